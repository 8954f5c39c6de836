// sql_oracle.mjs - runs every query of the SQL corpus (tests/sql/corpus/*.sql) with medallion
// and with DuckDB over the same Parquet files, and compares the results; checks the error
// cases (tests/sql/errors/*.sql, first line `-- error: TEXT`) fail with TEXT in the message.
//
// DuckDB sees each lake table as a view `layer.table` over the table's active files
// (lake_views.mjs: the same files medallion reads, the declared types, partition columns from
// the paths), so the query text is the same for both engines.
//
// Comparison: column count; rows as multisets unless the query starts with `-- ordered`;
// numbers equal within 1e-9 relative; NULLs equal; booleans, strings, dates and timestamps
// compared as text in a canonical form.
//   node tests/oracle/sql_oracle.mjs MEDALLION LAKE [PATTERN]
import { DuckDBInstance } from '@duckdb/node-api';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createLakeViews } from './lake_views.mjs';
import { canon, same, rowKey as key } from './compare.mjs';

const [mdl, lake, pattern] = process.argv.slice(2);
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const corpus = path.join(repo, 'tests/sql/corpus');
const errors = path.join(repo, 'tests/sql/errors');

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run("SET threads = 1; SET TimeZone = 'UTC'");
await createLakeViews(con, mdl, lake);

async function duck(sql) {
  const r = await con.runAndReadAll(sql);
  return { columns: r.columnNames(), rows: r.getRowsJson().map((row) => row.map(canon)) };
}

function ours(file) {
  const p = spawnSync(mdl, ['query', '-f', file, '--lake', lake, '--json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (p.status !== 0) return { error: p.stderr.trim() };
  const rows = p.stdout.split('\n').filter((l) => l).map((l) => Object.values(JSON.parse(l)).map(canon));
  return { rows };
}

let pass = 0, fail = 0;
const report = (name, msg) => { console.log(`FAIL ${name}: ${msg}`); fail++; };
// the corpus, then the silver models (their SQL reads only bronze tables)
const models = path.join(repo, 'lakehouse/models/silver');
const queries = fs.readdirSync(corpus).filter((f) => f.endsWith('.sql')).sort().map((f) => [f, path.join(corpus, f)])
  .concat(fs.existsSync(models) ? fs.readdirSync(models).filter((f) => f.endsWith('.sql')).sort()
    .map((f) => [`models/silver/${f}`, path.join(models, f)]) : []);
for (const [f, file] of queries) {
  if (pattern && !f.includes(pattern)) continue;
  const sql = fs.readFileSync(file, 'utf8');
  const ordered = sql.startsWith('-- ordered');
  let theirs;
  try { theirs = await duck(sql); } catch (e) { report(f, `DuckDB fails: ${e.message.split('\n')[0]}`); continue; }
  const mine = ours(file);
  if (mine.error) { report(f, `medallion fails: ${mine.error}`); continue; }
  if (mine.rows.length !== theirs.rows.length) { report(f, `${mine.rows.length} rows, DuckDB ${theirs.rows.length}`); continue; }
  if (mine.rows.length && mine.rows[0].length !== theirs.columns.length) { report(f, `${mine.rows[0].length} columns, DuckDB ${theirs.columns.length}`); continue; }
  const a = ordered ? mine.rows : [...mine.rows].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
  const b = ordered ? theirs.rows : [...theirs.rows].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
  let bad = -1;
  for (let i = 0; i < a.length && bad < 0; i++)
    for (let c = 0; c < a[i].length; c++) if (!same(a[i][c], b[i][c])) { bad = i; break; }
  if (bad >= 0) { report(f, `row ${bad}: medallion ${JSON.stringify(a[bad])}, DuckDB ${JSON.stringify(b[bad])}`); continue; }
  pass++;
}
for (const f of fs.existsSync(errors) ? fs.readdirSync(errors).filter((f) => f.endsWith('.sql')).sort() : []) {
  if (pattern && !f.includes(pattern)) continue;
  const file = path.join(errors, f);
  const want = /^-- error: (.*)$/m.exec(fs.readFileSync(file, 'utf8'))?.[1];
  const mine = ours(file);
  if (!mine.error) report(f, 'medallion accepted it');
  else if (want && !mine.error.includes(want)) report(f, `message '${mine.error}' lacks '${want}'`);
  else pass++;
}
console.log(`${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
