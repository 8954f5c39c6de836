// model_oracle.mjs - every built silver and gold table against DuckDB running the same model
// SQL over the same input tables (lake_views.mjs), with the contract's PII masking applied
// here independently (node:crypto HMAC-SHA-256 etc.):
//   table        the table = the SQL's result
//   incremental  the table (after any number of merges) = the SQL's result over all the input,
//                without the rows whose _deleted is true (the full recompute)
//   scd2         the table's current versions = the SQL's result
// and no column of a silver or gold table holds an unmasked email address or phone number.
//   node tests/oracle/model_oracle.mjs MEDALLION LAKE CONTRACTS MODELS PII_KEY
import { DuckDBInstance } from '@duckdb/node-api';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { createLakeViews } from './lake_views.mjs';
import { canon, same, sortRows } from './compare.mjs';

const [mdl, lake, contractsDir, modelsDir, key] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run("SET threads = 1; SET TimeZone = 'UTC'");
await createLakeViews(con, mdl, lake);

function mask(rule, v) {
  if (v === null || v === undefined) return null;
  const s = String(v);
  switch (rule) {
    case 'hash': return crypto.createHmac('sha256', key).update(s, 'utf8').digest('hex');
    case 'redact': return 'REDACTED';
    case 'mask_email': {
      const at = s.indexOf('@');
      if (at <= 0) return 'REDACTED';
      return [...s.slice(0, at)][0] + '***' + s.slice(at);
    }
    case 'last4': {
      const cs = [...s];
      const keep = cs.length > 4 ? cs.length - 4 : cs.length;
      return '*'.repeat(keep) + (cs.length > 4 ? cs.slice(keep).join('') : '');
    }
    default: return v;
  }
}

function ours(sql) {
  const p = spawnSync(mdl, ['query', '--lake', lake, '--json', sql], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (p.status !== 0) throw new Error(p.stderr.trim());
  return p.stdout.split('\n').filter((l) => l).map((l) => Object.values(JSON.parse(l)).map(canon));
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z]{2,}/;
const PHONE = /(\(\d{3}\)\s?\d{3}-\d{4})|(\b\d{3}[-. ]\d{3}[-. ]\d{4}\b)|(^\+?\d{10,15}$)/;

let pass = 0, fail = 0;
const report = (name, msg) => { console.log(`FAIL ${name}: ${msg}`); fail++; };
for (const layer of ['silver', 'gold']) {
  const dir = path.join(contractsDir, layer);
  if (!fs.existsSync(dir)) continue;
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.yaml')).sort()) {
    const c = YAML.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    const name = c.table;
    if (!fs.existsSync(path.join(lake, layer, c.table.split('.')[1], '_delta_log'))) continue;
    const sql = fs.readFileSync(path.join(modelsDir, layer, `${c.table.split('.')[1]}.sql`), 'utf8');
    const mat = c.materialized ?? 'table';
    const filled = mat === 'scd2' ? [c.scd2.surrogate_key, 'valid_from', 'valid_to', 'is_current'] : [];
    const cols = c.columns.filter((col) => !filled.includes(col.name));
    const list = cols.map((col) => JSON.stringify(col.name)).join(', ');
    let duckSql = `SELECT ${list} FROM (${sql}) m`;
    if (mat === 'incremental' && /\b_deleted\b/.test(sql)) duckSql += ' WHERE NOT coalesce(_deleted, false)';
    let theirs, mine;
    try {
      const r = await con.runAndReadAll(duckSql);
      theirs = r.getRowsJson().map((row) => row.map((v, i) => canon(mask(cols[i].pii, v))));
    } catch (e) { report(name, `DuckDB fails: ${e.message.split('\n')[0]}`); continue; }
    try {
      mine = ours(`SELECT ${list} FROM ${name}${mat === 'scd2' ? ' WHERE is_current' : ''}`);
    } catch (e) { report(name, `medallion fails: ${e.message}`); continue; }
    if (mine.length !== theirs.length) { report(name, `${mine.length} rows, DuckDB ${theirs.length}`); continue; }
    const a = sortRows(mine), b = sortRows(theirs);
    let bad = -1;
    for (let i = 0; i < a.length && bad < 0; i++)
      for (let k = 0; k < a[i].length; k++) if (!same(a[i][k], b[i][k])) { bad = i; break; }
    if (bad >= 0) { report(name, `row ${bad}: medallion ${JSON.stringify(a[bad])}, DuckDB ${JSON.stringify(b[bad])}`); continue; }
    // no clear email or phone in any string column of the table
    const all = ours(`SELECT * FROM ${name}`);
    let leak = null;
    for (const row of all) for (const v of row) if (typeof v === 'string' && (EMAIL.test(v) || PHONE.test(v))) leak = v;
    if (leak !== null) { report(name, `unmasked personal data: '${leak}'`); continue; }
    console.log(`ok   ${name} (${mat}, ${mine.length} rows)`);
    pass++;
  }
}
console.log(`${pass} passed, ${fail} failed`);
process.exit(fail || pass === 0 ? 1 : 0);
