// duckdb_pqcheck.mjs - reads Parquet files back with DuckDB for bench/run.sh's output check.
//
//   node bench/duckdb_pqcheck.mjs FILE.parquet...
//
// For every file prints one JSON line {"file":F,"rows":N,"sum_quantity":Q,"sum_unit_price":"P"}
// from SELECT count(*), sum(quantity), sum(unit_price) FROM read_parquet(F). Run on
// medallion's output this also proves DuckDB can read what medallion wrote. Exits 1 if a
// file cannot be read. Needs `npm ci` at the repository root.
import { DuckDBInstance } from '@duckdb/node-api';
import process from 'node:process';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node bench/duckdb_pqcheck.mjs FILE.parquet...');
  process.exit(2);
}
const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;

let instance;
let con;
try {
  instance = await DuckDBInstance.create(':memory:');
  con = await instance.connect();
} catch (e) {
  console.error(`duckdb_pqcheck: ${e && e.message ? e.message : e}`);
  process.exit(1);
}
for (const f of files) {
  try {
    const reader = await con.runAndReadAll(
      `SELECT count(*), sum(quantity), sum(unit_price) FROM read_parquet(${sqlString(f)})`);
    const row = reader.getRows()[0];
    console.log(JSON.stringify({
      file: f,
      rows: Number(row[0]),
      sum_quantity: Number(row[1]),
      sum_unit_price: String(row[2]),
    }));
  } catch (e) {
    console.error(`duckdb_pqcheck: ${f}: ${e && e.message ? e.message : e}`);
    process.exit(1);
  }
}
con.closeSync();
instance.closeSync();
