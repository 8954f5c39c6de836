// duckdb_pqwrite.mjs - the DuckDB side of medallion's "parquet write" benchmark.
//
//   node bench/duckdb_pqwrite.mjs FILE.csv OUT.parquet
//
// The 'pqwrite' variant of peer-baselines §5.2 (peer-bench/duck_bench.js): the Parquet zstd
// writer alone, from an in-memory table. An in-memory DuckDB limited to one thread first loads
// the orders CSV into table t (CREATE TABLE t AS SELECT * FROM read_csv(... explicit columns
// ...); untimed, the reference loaded the same rows from Parquet instead), then times only
// COPY t TO OUT (FORMAT parquet, COMPRESSION zstd). OUT is removed first (untimed). DuckDB
// does not fsync the file. Prints one JSON line:
//   {"rows":N,"seconds":S,"bytes":B,"load_seconds":S}
// Needs `npm ci` at the repository root (@duckdb/node-api 1.5.6-r.1).
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';

const [file, out] = process.argv.slice(2);
if (!file || !out || process.argv.length !== 4) {
  console.error('usage: node bench/duckdb_pqwrite.mjs FILE.csv OUT.parquet');
  process.exit(2);
}
if (!fs.existsSync(file)) {
  console.error(`duckdb_pqwrite: ${file}: no such file`);
  process.exit(1);
}

const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;

// The same columns as bench/duckdb_csv.mjs.
const COLUMNS = `{
  'order_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'product_id': 'VARCHAR',
  'order_date': 'DATE', 'order_ts': 'TIMESTAMP', 'quantity': 'INTEGER',
  'unit_price': 'DECIMAL(12,2)', 'currency': 'VARCHAR', 'status': 'VARCHAR',
  'country': 'VARCHAR', 'email': 'VARCHAR'}`;

const LOAD = `
  CREATE TABLE t AS
  SELECT * FROM read_csv(${sqlString(file)}, header = true, delim = ',', quote = '"',
                         auto_detect = false, columns = ${COLUMNS})`;
const COPY = `COPY t TO ${sqlString(out)} (FORMAT parquet, COMPRESSION zstd)`;

try {
  fs.rmSync(out, { force: true });
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  await con.run('SET threads = 1');
  await con.run(`SET temp_directory = ${sqlString(path.join(path.dirname(out), 'duck_tmp'))}`);

  const l0 = process.hrtime.bigint();
  await con.run(LOAD);
  const l1 = process.hrtime.bigint();

  const t0 = process.hrtime.bigint();
  const res = await con.run(COPY);
  const t1 = process.hrtime.bigint();

  console.log(JSON.stringify({
    rows: Number(res.rowsChanged),
    seconds: Number(t1 - t0) / 1e9,
    bytes: fs.statSync(out).size,
    load_seconds: Number(l1 - l0) / 1e9,
  }));
  con.closeSync();
  instance.closeSync();
} catch (e) {
  console.error(`duckdb_pqwrite: ${e && e.message ? e.message : e}`);
  process.exit(1);
}
