// delta_oracle.mjs - an independent reading of a Delta table: replays _delta_log/*.json
// itself (add/remove by path, in version order, per PROTOCOL.md) and has DuckDB read the
// active data files. Prints {"rows","sum_id","sum_cents","version","files"}.
//   node tests/oracle/delta_oracle.mjs TABLE_DIR
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
const logDir = path.join(dir, '_delta_log');
const commits = fs.readdirSync(logDir).filter((f) => /^\d{20}\.json$/.test(f)).sort();
const active = new Map();
commits.forEach((f, i) => {
  if (Number(f.slice(0, 20)) !== i) throw new Error(`missing commit ${i}`);
  for (const line of fs.readFileSync(path.join(logDir, f), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const a = JSON.parse(line);
    if (a.add) active.set(decodeURIComponent(a.add.path), a.add);
    if (a.remove) active.delete(decodeURIComponent(a.remove.path));
  }
});
const files = [...active.keys()].map((p) => path.join(dir, p));
const q = (s) => `'${s.replaceAll("'", "''")}'`;
const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
let rows = 0n, sumId = 0n, sumCents = 0n;
if (files.length) {
  const r = await con.runAndReadAll(
    `SELECT count(*), coalesce(sum(id), 0), coalesce(sum(cents), 0) FROM read_parquet([${files.map(q).join(',')}])`);
  [rows, sumId, sumCents] = r.getRows()[0].map((x) => BigInt(x));
}
console.log(JSON.stringify({ rows: Number(rows), sum_id: Number(sumId), sum_cents: Number(sumCents),
  version: commits.length - 1, files: files.length }));
