// duckdb_dump.mjs - DuckDB's side of the CSV oracle test: reads FILE.csv with explicit
// column types (no auto-detection) and prints every row in the canonical form that
// tests/oracle/oracle_dump_csv.c prints for medallion: fields joined by '|', NULL as \N,
// dates YYYY-MM-DD, timestamps as epoch microseconds, decimals with their scale.
//   node tests/oracle/duckdb_dump.mjs FILE.csv '{"col":"TYPE",...}'
import { DuckDBInstance } from '@duckdb/node-api';
import process from 'node:process';

const [file, columnsJson] = process.argv.slice(2);
const columns = JSON.parse(columnsJson);
const q = (s) => `'${s.replaceAll("'", "''")}'`;
const spec = '{' + Object.entries(columns).map(([k, v]) => `${q(k)}: ${q(v)}`).join(', ') + '}';
const exprs = Object.entries(columns).map(([k, v]) => {
  const id = `"${k.replaceAll('"', '""')}"`;
  if (v === 'TIMESTAMP' || v === 'TIMESTAMPTZ') return `coalesce(CAST(epoch_us(${id}) AS VARCHAR), '\\N')`;
  return `coalesce(CAST(${id} AS VARCHAR), '\\N')`;
});
const sql = `SELECT concat_ws('|', ${exprs.join(', ')}) FROM read_csv(${q(file)}, header = true,
  delim = ',', quote = '"', escape = '"', auto_detect = false, columns = ${spec})`;
const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
await con.run('SET threads = 1');
await con.run("SET TimeZone = 'UTC'");
await con.run('SET preserve_insertion_order = true');
const reader = await con.runAndReadAll(sql);
const out = [];
for (const row of reader.getRows()) out.push(String(row[0]));
process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
