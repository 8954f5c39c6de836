// duckdb_sql.mjs - the DuckDB side of the SQL benchmarks (sqld, sqle, sqlscan, sqlgroup), and
// the result check for both engines.
//
//   node bench/duckdb_sql.mjs run MEDALLION LAKE QUERY.sql OUT.parquet
//   node bench/duckdb_sql.mjs check FILE.parquet
//
// run: an in-memory DuckDB limited to one thread (TimeZone UTC) gets a view `layer.table` over
// every Delta table of LAKE (tests/oracle/lake_views.mjs: the table's active files from
// `MEDALLION table files --json`, its declared types, so DuckDB reads exactly the Parquet files
// medallion reads), untimed. Timed: COPY (text of QUERY.sql) TO OUT (FORMAT parquet,
// COMPRESSION zstd). Prints {"rows":N,"seconds":S,"bytes":B}.
//
// check: reads a result file back and prints {"rows":N,"columns":[{"name","type","nonnull",
// "sum"}]}: per column the non-NULL count and an order-independent sum — of the value as a
// double for numbers, of hash(value) for strings and dates (exact, as text), of epoch
// microseconds for timestamps, of the true values for booleans. bench/run.sh runs it on both
// engines' outputs and compares (report.py same_checksum: numbers within 1e-9 relative).
// Needs `npm ci` at the repository root.
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { createLakeViews } from '../tests/oracle/lake_views.mjs';

const usage = () => {
  console.error('usage: node bench/duckdb_sql.mjs run MEDALLION LAKE QUERY.sql OUT.parquet\n' +
                '       node bench/duckdb_sql.mjs check FILE.parquet');
  process.exit(2);
};
const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;
const ident = (s) => `"${s.replaceAll('"', '""')}"`;
const [mode, ...args] = process.argv.slice(2);

async function open() {
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  await con.run("SET threads = 1; SET TimeZone = 'UTC'");
  return { instance, con };
}

async function run(mdl, lake, queryFile, out) {
  const query = fs.readFileSync(queryFile, 'utf8').replace(/;\s*$/, '');
  fs.rmSync(out, { force: true });
  const { instance, con } = await open();
  await con.run(`SET temp_directory = ${sqlString(path.join(path.dirname(out), 'duck_tmp'))}`);
  await createLakeViews(con, mdl, lake);
  const t0 = process.hrtime.bigint();
  const res = await con.run(`COPY (${query}\n) TO ${sqlString(out)} (FORMAT parquet, COMPRESSION zstd)`);
  const t1 = process.hrtime.bigint();
  console.log(JSON.stringify({ rows: Number(res.rowsChanged), seconds: Number(t1 - t0) / 1e9, bytes: fs.statSync(out).size }));
  con.closeSync();
  instance.closeSync();
}

async function check(file) {
  const { instance, con } = await open();
  const src = `read_parquet(${sqlString(file)})`;
  const cols = (await con.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`)).getRows().map((r) => ({ name: String(r[0]), type: String(r[1]) }));
  const exprs = ['count(*)'];
  for (const { name, type } of cols) {
    const c = ident(name);
    let sum;
    if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|U.*INT|FLOAT|DOUBLE|DECIMAL)/.test(type)) sum = `sum(CAST(${c} AS DOUBLE))`;
    else if (type.startsWith('TIMESTAMP')) sum = `CAST(sum(epoch_us(CAST(${c} AS TIMESTAMP))) AS VARCHAR)`;
    else if (type === 'BOOLEAN') sum = `CAST(count_if(${c}) AS VARCHAR)`;
    else sum = `CAST(sum(hash(CAST(${c} AS VARCHAR))) AS VARCHAR)`;
    exprs.push(`count(${c})`, sum);
  }
  const row = (await con.runAndReadAll(`SELECT ${exprs.join(', ')} FROM ${src}`)).getRows()[0];
  const columns = cols.map(({ name, type }, i) => {
    const s = row[2 + 2 * i];
    return { name, type, nonnull: Number(row[1 + 2 * i]), sum: s === null ? null : typeof s === 'number' ? s : String(s) };
  });
  console.log(JSON.stringify({ file, rows: Number(row[0]), columns }));
  con.closeSync();
  instance.closeSync();
}

try {
  if (mode === 'run' && args.length === 4) await run(...args);
  else if (mode === 'check' && args.length === 1) await check(args[0]);
  else usage();
} catch (e) {
  console.error(`duckdb_sql: ${e && e.message ? e.message : e}`);
  process.exit(1);
}
