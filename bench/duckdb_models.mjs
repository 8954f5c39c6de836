// duckdb_models.mjs - the DuckDB side of the models benchmark: every silver and gold model of
// lakehouse/models run by DuckDB, in dependency order, over the same bronze Parquet files
// medallion reads (tests/oracle/lake_views.mjs), each result written to a ZSTD Parquet file
// that the models downstream then read (a view per table).
//
//   node bench/duckdb_models.mjs MEDALLION LAKE CONTRACTS MODELS OUTDIR
//
// What DuckDB runs is the model SQL as medallion's first build of an empty lake sees it: an
// incremental model's result without its `_deleted` rows; an scd2 model's result with the four
// columns the build fills (a hash surrogate key, valid_from now, valid_to 9999-12-31,
// is_current true), so downstream joins find them. DuckDB does no PII masking. One thread.
// Timed: the models only (not the views over bronze). Prints {"rows":N,"seconds":S}, N the rows
// of all results — medallion's `build` must write the same number.
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { createLakeViews } from '../tests/oracle/lake_views.mjs';

const [mdl, lake, contractsDir, modelsDir, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: node bench/duckdb_models.mjs MEDALLION LAKE CONTRACTS MODELS OUTDIR');
  process.exit(2);
}
const q = (s) => `'${s.replaceAll("'", "''")}'`;
const id = (s) => `"${s.replaceAll('"', '""')}"`;

const models = [];
for (const layer of ['silver', 'gold']) {
  const dir = path.join(contractsDir, layer);
  for (const f of fs.existsSync(dir) ? fs.readdirSync(dir).filter((x) => x.endsWith('.yaml')).sort() : []) {
    const c = YAML.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    const name = c.table.split('.')[1];
    const sql = fs.readFileSync(path.join(modelsDir, layer, `${name}.sql`), 'utf8');
    const reads = new Set([...sql.matchAll(/\b(silver|gold)\.([a-z_0-9]+)\b/g)].map((m) => `${m[1]}.${m[2]}`));
    reads.delete(c.table);
    models.push({ c, layer, name, sql, reads });
  }
}
// dependency order: a model after the models it reads (silver first among the ready ones)
const done = new Set(), order = [];
while (order.length < models.length) {
  const next = models.find((m) => !done.has(m.c.table) &&
    [...m.reads].every((t) => done.has(t) || !models.some((o) => o.c.table === t)));
  if (!next) throw new Error('the models read each other in a cycle');
  done.add(next.c.table);
  order.push(next);
}

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run("SET threads = 1; SET TimeZone = 'UTC'");
fs.mkdirSync(outDir, { recursive: true });
await con.run(`SET temp_directory = ${q(path.join(outDir, 'duck_tmp'))}`);
await createLakeViews(con, mdl, lake);
await con.run('CREATE SCHEMA IF NOT EXISTS silver; CREATE SCHEMA IF NOT EXISTS gold');

let rows = 0;
const t0 = process.hrtime.bigint();
for (const { c, layer, name, sql } of order) {
  const mat = c.materialized ?? 'table';
  let query = sql.replace(/;\s*$/, '');
  if (mat === 'incremental' && /\b_deleted\b/.test(sql))
    query = `SELECT * EXCLUDE (_deleted) FROM (${query}\n) m WHERE NOT coalesce(_deleted, false)`;
  if (mat === 'scd2') {
    const key = c.unique_key.map((k) => `CAST(m.${id(k)} AS VARCHAR)`).join(` || '|' || `);
    const cols = c.columns.map((col) => {
      if (col.name === c.scd2.surrogate_key) return `CAST(hash(${key}) >> 1 AS BIGINT) AS ${id(col.name)}`;
      if (col.name === 'valid_from') return `CAST(current_timestamp AS TIMESTAMP) AS valid_from`;
      if (col.name === 'valid_to') return `TIMESTAMP '9999-12-31 00:00:00' AS valid_to`;
      if (col.name === 'is_current') return 'true AS is_current';
      return `m.${id(col.name)}`;
    });
    query = `SELECT ${cols.join(', ')} FROM (${query}\n) m`;
  }
  const out = path.join(outDir, `${layer}.${name}.parquet`);
  const res = await con.run(`COPY (${query}\n) TO ${q(out)} (FORMAT parquet, COMPRESSION zstd)`);
  rows += Number(res.rowsChanged);
  await con.run(`CREATE VIEW ${layer}.${name} AS SELECT * FROM read_parquet(${q(out)})`);
}
const t1 = process.hrtime.bigint();
console.log(JSON.stringify({ rows, seconds: Number(t1 - t0) / 1e9, models: order.length }));
