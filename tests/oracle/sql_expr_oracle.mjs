// sql_expr_oracle.mjs - the DuckDB side of the expression cross-check
// (test_oracle_sql_expr.sh). Reads the case file (expression <TAB> expected, '#' comments) and
// medallion's results (expression <TAB> value <TAB> type, from oracle_sql_expr), runs every
// expression in DuckDB as SELECT CAST((expr) AS VARCHAR), typeof(expr), and checks that
//   - DuckDB's value is the expected one (NULL for null, ERROR when DuckDB refuses it),
//   - medallion's value is the expected one,
//   - medallion's result type is DuckDB's (INTEGER = int32, DECIMAL(p,s) = decimal(p,s), ...;
//     not checked for errors and for DuckDB's untyped NULL).
// Exit 1 with the disagreements on stdout.
//   node tests/oracle/sql_expr_oracle.mjs CASES.txt MEDALLION.tsv
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import process from 'node:process';

const [casesPath, oursPath] = process.argv.slice(2);
const cases = fs.readFileSync(casesPath, 'utf8').split('\n')
  .filter((l) => l.trim() !== '' && !l.startsWith('#'))
  .map((l) => { const i = l.indexOf('\t'); return { expr: l.slice(0, i), expected: l.slice(i + 1) }; });
const ours = new Map(fs.readFileSync(oursPath, 'utf8').split('\n').filter((l) => l !== '')
  .map((l) => { const f = l.split('\t'); return [f[0], { value: f[1], type: f[2] }]; }));

const typeMap = { INTEGER: 'int32', BIGINT: 'int64', DOUBLE: 'double', VARCHAR: 'string',
  DATE: 'date', TIMESTAMP: 'timestamp', BOOLEAN: 'boolean' };
const ourType = (t) => typeMap[t] ?? (t.startsWith('DECIMAL') ? t.toLowerCase() : t);

const inst = await DuckDBInstance.create(':memory:');
const con = await inst.connect();
await con.run("SET TimeZone = 'UTC'");
let failures = 0;
for (const { expr, expected } of cases) {
  let value, type;
  try {
    const r = await con.runAndReadAll(`SELECT CAST((${expr}) AS VARCHAR), typeof(${expr})`);
    const row = r.getRows()[0];
    value = row[0] === null ? 'NULL' : String(row[0]);
    type = String(row[1]);
  } catch (e) {
    value = 'ERROR';
    type = null;
  }
  const m = ours.get(expr);
  const problems = [];
  if (value !== expected) problems.push(`DuckDB gives '${value}'`);
  if (m === undefined) problems.push('medallion has no result');
  else {
    if (m.value !== expected) problems.push(`medallion gives '${m.value}'`);
    if (type !== null && type !== '"NULL"' && value !== 'ERROR' && ourType(type) !== m.type)
      problems.push(`type: DuckDB ${type}, medallion ${m.type}`);
  }
  if (problems.length) {
    failures++;
    console.log(`${expr}  (expected '${expected}'): ${problems.join('; ')}`);
  }
}
console.log(`${cases.length} expressions, ${failures} disagreements`);
process.exit(failures ? 1 : 0);
