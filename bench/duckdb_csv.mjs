// duckdb_csv.mjs - the DuckDB side of medallion's CSV parse+cast benchmark.
//
//   node bench/duckdb_csv.mjs FILE.csv
//
// Opens an in-memory DuckDB limited to one thread and runs the reference "csvscan" workload
// (peer-baselines §5.2): read_csv with explicit column types, no auto-detection, and an
// aggregate over every column so that every field is parsed and cast but nothing is written.
// Only the query is timed (instance start-up is not). Prints one JSON line:
//   {"rows":N,"seconds":S,"sum_quantity":Q,"sum_unit_price":"P"}
// The two sums let bench/run.sh check that medallion read the same values.
// Needs `npm ci` at the repository root (@duckdb/node-api 1.5.6-r.1, pinned in package.json).
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import process from 'node:process';

const file = process.argv[2];
if (!file || process.argv.length !== 3) {
  console.error('usage: node bench/duckdb_csv.mjs FILE.csv');
  process.exit(2);
}
if (!fs.existsSync(file)) {
  console.error(`duckdb_csv: ${file}: no such file`);
  process.exit(1);
}

const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;

const COLUMNS = `{
  'order_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'product_id': 'VARCHAR',
  'order_date': 'DATE', 'order_ts': 'TIMESTAMP', 'quantity': 'INTEGER',
  'unit_price': 'DECIMAL(12,2)', 'currency': 'VARCHAR', 'status': 'VARCHAR',
  'country': 'VARCHAR', 'email': 'VARCHAR'}`;

const QUERY = `
  SELECT count(*), max(order_id), max(customer_id), max(product_id), max(order_date),
         max(order_ts), sum(quantity), sum(unit_price), max(currency), max(status),
         max(country), max(email)
  FROM read_csv(${sqlString(file)}, header = true, delim = ',', quote = '"',
                auto_detect = false, columns = ${COLUMNS})`;

try {
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  await con.run('SET threads = 1');

  const t0 = process.hrtime.bigint();
  const reader = await con.runAndReadAll(QUERY);
  const t1 = process.hrtime.bigint();

  const row = reader.getRows()[0];
  console.log(JSON.stringify({
    rows: Number(row[0]),
    seconds: Number(t1 - t0) / 1e9,
    sum_quantity: Number(row[6]),
    sum_unit_price: String(row[7]),
  }));
  con.closeSync();
  instance.closeSync();
} catch (e) {
  console.error(`duckdb_csv: ${e && e.message ? e.message : e}`);
  process.exit(1);
}
