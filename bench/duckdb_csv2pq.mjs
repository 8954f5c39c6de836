// duckdb_csv2pq.mjs - the DuckDB side of medallion's csv→parquet zstd and bronze ingest
// benchmarks.
//
//   node bench/duckdb_csv2pq.mjs FILE.csv OUT.parquet [--columns SPEC] [--ignore-errors]
//
// Reference workload (a) of peer-baselines §1/§5: an in-memory DuckDB limited to one thread
// runs COPY (SELECT * FROM read_csv(... explicit columns, no auto-detection ...)) TO OUT
// (FORMAT parquet, COMPRESSION zstd), with DuckDB's defaults otherwise (zstd level 3,
// ROW_GROUP_SIZE 122880, preserve_insertion_order). OUT is removed first (untimed). Only the
// COPY is timed; instance start-up is not. DuckDB does not fsync the file. Prints one JSON line:
//   {"rows":N,"seconds":S,"bytes":B}
// rows is what COPY reports, bytes the size of OUT. bench/run.sh adds the whole-process wall
// time and peak RSS. Needs `npm ci` at the repository root (@duckdb/node-api 1.5.6-r.1).
//
// --columns SPEC replaces the bench orders columns with a DuckDB struct literal of names and
// types, e.g. "{'ORDER_ID': 'VARCHAR', 'QUANTITY': 'INTEGER'}" (the bronze ingest case passes
// the types of lakehouse/contracts/bronze/snowflake_orders.yaml). --ignore-errors adds
// ignore_errors = true: rows that do not convert, or have the wrong number of fields, are
// skipped (and not counted in rows) instead of failing the COPY.
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';

const usage = () => {
  console.error('usage: node bench/duckdb_csv2pq.mjs FILE.csv OUT.parquet [--columns SPEC] ' +
                '[--ignore-errors]');
  process.exit(2);
};
const args = process.argv.slice(2);
const [file, out] = args;
let columnsSpec = null;
let ignoreErrors = false;
if (!file || !out) usage();
for (let i = 2; i < args.length; i++) {
  if (args[i] === '--columns' && i + 1 < args.length) columnsSpec = args[++i];
  else if (args[i] === '--ignore-errors') ignoreErrors = true;
  else usage();
}
if (!fs.existsSync(file)) {
  console.error(`duckdb_csv2pq: ${file}: no such file`);
  process.exit(1);
}

const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;

// The same columns as bench/duckdb_csv.mjs.
const BENCH_COLUMNS = `{
  'order_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'product_id': 'VARCHAR',
  'order_date': 'DATE', 'order_ts': 'TIMESTAMP', 'quantity': 'INTEGER',
  'unit_price': 'DECIMAL(12,2)', 'currency': 'VARCHAR', 'status': 'VARCHAR',
  'country': 'VARCHAR', 'email': 'VARCHAR'}`;
const COLUMNS = columnsSpec ?? BENCH_COLUMNS;

const IGNORE = ignoreErrors ? ', ignore_errors = true' : '';
const COPY = `
  COPY (SELECT * FROM read_csv(${sqlString(file)}, header = true, delim = ',', quote = '"',
                               auto_detect = false, columns = ${COLUMNS}${IGNORE}))
  TO ${sqlString(out)} (FORMAT parquet, COMPRESSION zstd)`;

try {
  fs.rmSync(out, { force: true });
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  await con.run('SET threads = 1');
  await con.run(`SET temp_directory = ${sqlString(path.join(path.dirname(out), 'duck_tmp'))}`);

  const t0 = process.hrtime.bigint();
  const res = await con.run(COPY);
  const t1 = process.hrtime.bigint();

  console.log(JSON.stringify({
    rows: Number(res.rowsChanged),
    seconds: Number(t1 - t0) / 1e9,
    bytes: fs.statSync(out).size,
  }));
  con.closeSync();
  instance.closeSync();
} catch (e) {
  console.error(`duckdb_csv2pq: ${e && e.message ? e.message : e}`);
  process.exit(1);
}
