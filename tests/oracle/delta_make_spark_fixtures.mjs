// delta_make_spark_fixtures.mjs - builds Delta tables laid out the way Spark (delta-spark)
// leaves them after log cleanup, from PROTOCOL.md ("Checkpoints", "Checkpoint Schema",
// "Last Checkpoint File Schema"), with DuckDB writing the Parquet: checkpoints whose columns
// are the action structs (including the columns Spark adds that medallion does not use:
// add.tags, add.deletionVector, add.baseRowId, add.defaultRowCommitVersion, add.stats_parsed),
// later JSON commits with removes and txn, commits older than the checkpoint deleted.
//
//   spark_checkpoint/   checkpoint at 10 (classic) + commits 11, 12; no commits 0..9
//   spark_multipart/    checkpoint at 3 in two parts + commit 4; an incomplete two-part
//                       checkpoint at 4 (part 2 missing, so readers must ignore it)
//
// Deterministic apart from Parquet's created_by; rerun only to change the fixtures.
//   node tests/oracle/delta_make_spark_fixtures.mjs OUTDIR   (normally tests/data/delta)
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';

const out = process.argv[2];
if (!out) { console.error('usage: delta_make_spark_fixtures.mjs OUTDIR'); process.exit(2); }

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const run = (sql) => con.run(sql);
const q = (s) => `'${s.replaceAll("'", "''")}'`;

const SCHEMA = JSON.stringify({
  type: 'struct',
  fields: [
    { name: 'id', type: 'long', nullable: true, metadata: {} },
    { name: 'amount', type: 'double', nullable: true, metadata: {} },
    { name: 'region', type: 'string', nullable: true, metadata: {} },
  ],
});
const MAP = 'MAP(VARCHAR, VARCHAR)';
const CHECKPOINT_TYPES = `
  txn STRUCT(appId VARCHAR, version BIGINT, lastUpdated BIGINT),
  add STRUCT(path VARCHAR, partitionValues ${MAP}, size BIGINT, modificationTime BIGINT,
             dataChange BOOLEAN, stats VARCHAR, tags ${MAP},
             deletionVector STRUCT(storageType VARCHAR, pathOrInlineDv VARCHAR, "offset" INTEGER,
                                   sizeInBytes INTEGER, cardinality BIGINT),
             baseRowId BIGINT, defaultRowCommitVersion BIGINT,
             stats_parsed STRUCT(numRecords BIGINT, minValues STRUCT(id BIGINT, amount DOUBLE),
                                 maxValues STRUCT(id BIGINT, amount DOUBLE),
                                 nullCount STRUCT(id BIGINT, amount BIGINT))),
  remove STRUCT(path VARCHAR, deletionTimestamp BIGINT, dataChange BOOLEAN,
                extendedFileMetadata BOOLEAN, partitionValues ${MAP}, size BIGINT),
  metaData STRUCT(id VARCHAR, name VARCHAR, description VARCHAR,
                  format STRUCT(provider VARCHAR, options ${MAP}), schemaString VARCHAR,
                  partitionColumns VARCHAR[], configuration ${MAP}, createdTime BIGINT),
  protocol STRUCT(minReaderVersion INTEGER, minWriterVersion INTEGER)`;

const T0 = 1735689600000; // 2025-01-01T00:00:00Z, all times are offsets from it

// One data file: ids [from, to), amount = id * 1.5, region is a partition column (not stored).
async function dataFile(table, rel, from, to) {
  const file = path.join(table, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await run(`COPY (SELECT range::BIGINT AS id, (range * 1.5)::DOUBLE AS amount FROM range(${from}, ${to}))
             TO ${q(file)} (FORMAT parquet, COMPRESSION snappy)`);
  const stats = { numRecords: to - from, minValues: { id: from, amount: from * 1.5 },
    maxValues: { id: to - 1, amount: (to - 1) * 1.5 }, nullCount: { id: 0, amount: 0 } };
  return { path: rel, size: fs.statSync(file).size, stats, from, to };
}

const mapSql = (obj) => `MAP {${Object.entries(obj).map(([k, v]) => `${q(k)}: ${q(v)}`).join(', ')}}::${MAP}`;
const addSql = (f, region) => `{'path': ${q(f.path)}, 'partitionValues': ${mapSql({ region })},
  'size': ${f.size}, 'modificationTime': ${T0 + f.from}, 'dataChange': false,
  'stats': ${q(JSON.stringify(f.stats))}, 'tags': NULL, 'deletionVector': NULL,
  'baseRowId': NULL, 'defaultRowCommitVersion': NULL,
  'stats_parsed': {'numRecords': ${f.stats.numRecords},
    'minValues': {'id': ${f.from}, 'amount': ${f.from * 1.5}},
    'maxValues': {'id': ${f.to - 1}, 'amount': ${(f.to - 1) * 1.5}},
    'nullCount': {'id': 0, 'amount': 0}}}`;
const metaSql = (id) => `{'id': ${q(id)}, 'name': 'sales', 'description': NULL,
  'format': {'provider': 'parquet', 'options': MAP {}::${MAP}}, 'schemaString': ${q(SCHEMA)},
  'partitionColumns': ['region'], 'configuration': ${mapSql({ 'delta.checkpointInterval': '10' })},
  'createdTime': ${T0}}`;

// Writes one checkpoint file holding `rows` (each a {column: sqlLiteral} with one action).
async function checkpoint(file, rows) {
  await run(`CREATE OR REPLACE TABLE cp (${CHECKPOINT_TYPES})`);
  for (const r of rows) {
    const cols = Object.keys(r);
    await run(`INSERT INTO cp (${cols.join(', ')}) VALUES (${cols.map((c) => r[c]).join(', ')})`);
  }
  await run(`COPY cp TO ${q(file)} (FORMAT parquet, COMPRESSION snappy)`);
}

const line = (o) => JSON.stringify(o);
const addJson = (f, region, dataChange) => ({ add: { path: f.path, partitionValues: { region },
  size: f.size, modificationTime: T0 + f.from, dataChange, stats: JSON.stringify(f.stats) } });
const commit = (table, version, actions, op) => {
  const info = { commitInfo: { timestamp: T0 + version * 1000, operation: op,
    operationParameters: {}, engineInfo: 'Apache-Spark/3.5.1 Delta-Lake/3.2.0' } };
  fs.writeFileSync(path.join(table, '_delta_log', `${String(version).padStart(20, '0')}.json`),
    [info, ...actions].map(line).join('\n') + '\n');
};

// ---- spark_checkpoint ---------------------------------------------------------------------
{
  const t = path.join(out, 'spark_checkpoint');
  fs.rmSync(t, { recursive: true, force: true });
  fs.mkdirSync(path.join(t, '_delta_log'), { recursive: true });
  const f0 = await dataFile(t, 'region=eu/part-00000-a.snappy.parquet', 0, 10);
  const f1 = await dataFile(t, 'region=us/part-00001-b.snappy.parquet', 10, 20);
  const f2 = await dataFile(t, 'region=eu/part-00002-c.snappy.parquet', 20, 25);
  const f3 = await dataFile(t, 'region=us/part-00003-d.snappy.parquet', 25, 30);
  const f4 = await dataFile(t, 'region=eu/part-00004-e.snappy.parquet', 100, 110);
  await checkpoint(path.join(t, '_delta_log', '00000000000000000010.checkpoint.parquet'), [
    { protocol: `{'minReaderVersion': 1, 'minWriterVersion': 2}` },
    { metaData: metaSql('0b7e7a5e-5c1f-4c7a-9d53-1d1f8c8e0a10') },
    { txn: `{'appId': 'stream-1', 'version': 7, 'lastUpdated': ${T0 + 9000}}` },
    { add: addSql(f0, 'eu') }, { add: addSql(f1, 'us') }, { add: addSql(f2, 'eu') },
    { remove: `{'path': 'region=us/part-00009-old.snappy.parquet', 'deletionTimestamp': ${T0 + 8000},
        'dataChange': false, 'extendedFileMetadata': true,
        'partitionValues': ${mapSql({ region: 'us' })}, 'size': 1234}` },
  ]);
  fs.writeFileSync(path.join(t, '_delta_log', '_last_checkpoint'),
    line({ version: 10, size: 7, sizeInBytes: fs.statSync(path.join(t, '_delta_log',
      '00000000000000000010.checkpoint.parquet')).size, numOfAddFiles: 3 }) + '\n');
  commit(t, 11, [addJson(f3, 'us', true), { txn: { appId: 'stream-1', version: 8,
    lastUpdated: T0 + 11000 } }], 'STREAMING UPDATE');
  commit(t, 12, [{ remove: { path: f0.path, deletionTimestamp: T0 + 12000, dataChange: true,
    extendedFileMetadata: true, partitionValues: { region: 'eu' }, size: f0.size } },
  addJson(f4, 'eu', true)], 'WRITE');
}

// ---- spark_multipart ----------------------------------------------------------------------
{
  const t = path.join(out, 'spark_multipart');
  fs.rmSync(t, { recursive: true, force: true });
  fs.mkdirSync(path.join(t, '_delta_log'), { recursive: true });
  const a = await dataFile(t, 'region=eu/part-00000-a.snappy.parquet', 0, 4);
  const b = await dataFile(t, 'region=us/part-00001-b.snappy.parquet', 4, 10);
  const c = await dataFile(t, 'region=us/part-00002-c.snappy.parquet', 10, 13);
  const log = path.join(t, '_delta_log');
  await checkpoint(path.join(log, '00000000000000000003.checkpoint.0000000001.0000000002.parquet'), [
    { protocol: `{'minReaderVersion': 1, 'minWriterVersion': 2}` },
    { metaData: metaSql('6d0c2b7e-2f4e-4d7b-8f0e-3c7c0d1f2a33') },
    { add: addSql(a, 'eu') },
  ]);
  await checkpoint(path.join(log, '00000000000000000003.checkpoint.0000000002.0000000002.parquet'), [
    { add: addSql(b, 'us') },
    { txn: `{'appId': 'batch-job', 'version': 3, 'lastUpdated': ${T0 + 3000}}` },
  ]);
  // Part 1 of 2 of a checkpoint at 4 whose second part never landed: not a checkpoint.
  await checkpoint(path.join(log, '00000000000000000004.checkpoint.0000000001.0000000002.parquet'), [
    { protocol: `{'minReaderVersion': 1, 'minWriterVersion': 2}` },
  ]);
  fs.writeFileSync(path.join(log, '_last_checkpoint'),
    line({ version: 3, size: 5, parts: 2 }) + '\n');
  commit(t, 4, [addJson(c, 'us', true)], 'WRITE');
}
console.log(`wrote ${out}/spark_checkpoint and ${out}/spark_multipart`);
