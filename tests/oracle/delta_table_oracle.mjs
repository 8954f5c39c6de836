// delta_table_oracle.mjs - an independent reading of every Delta table the tests wrote,
// compared with what medallion's reader saw (oracle_table_summary's JSON lines).
//
// For each table it replays the log itself (PROTOCOL.md): from the checkpoint that
// _delta_log/_last_checkpoint names when there is one (classic V.checkpoint.parquet or
// multi-part V.checkpoint.P.N.parquet, read with DuckDB's read_parquet: add.path,
// add.partitionValues, metaData), then the JSON commits after it; else every commit from 0.
// DuckDB reads the active data files (read_parquet([...], union_by_name, filename)), grouped by
// file; the partition columns, which the files do not hold, come from each file's
// partitionValues times its row count. Compared: version, row count, the sorted active paths,
// per column the non-null count and, for integer/decimal columns, the exact sum (doubles:
// within 1e-9 relative). Prints one line per table and exits 1 on any difference.
//   node tests/oracle/delta_table_oracle.mjs ROOT OURS.jsonl
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';

const [root, oursFile] = process.argv.slice(2);
const ours = fs.readFileSync(oursFile, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const q = (s) => `'${s.replaceAll("'", "''")}'`;
const ident = (s) => `"${s.replaceAll('"', '""')}"`;
const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
const rowsOf = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson();

// "12.5" at scale 2 -> 1250n
function scaled(text, scale) {
  const neg = text.startsWith('-');
  const [i, f = ''] = (neg ? text.slice(1) : text).split('.');
  const v = BigInt(i || '0') * 10n ** BigInt(scale) + BigInt((f + '0'.repeat(scale)).slice(0, scale) || '0');
  return neg ? -v : v;
}
function unscaled(v, scale) {
  if (scale === 0) return v.toString();
  const neg = v < 0n;
  const s = (neg ? -v : v).toString().padStart(scale + 1, '0');
  return `${neg ? '-' : ''}${s.slice(0, -scale)}.${s.slice(-scale)}`;
}
function kindOf(type) {
  if (['integer', 'long', 'short', 'byte'].includes(type)) return { kind: 'int', scale: 0 };
  const m = /^decimal\((\d+),\s*(\d+)\)$/.exec(type);
  if (m) return { kind: 'int', scale: Number(m[2]) };
  if (type === 'double' || type === 'float') return { kind: 'double' };
  return { kind: 'other' };
}

// The active files {path -> partitionValues}, metaData and version, from the log alone.
async function replay(dir) {
  const logDir = path.join(dir, '_delta_log');
  const names = fs.readdirSync(logDir);
  const commits = names.filter((f) => /^\d{20}\.json$/.test(f)).map((f) => Number(f.slice(0, 20))).sort((a, b) => a - b);
  const active = new Map();
  let meta = null;
  let start = 0;
  let version = -1;
  let checkpoint = null;
  if (names.includes('_last_checkpoint')) {
    const last = JSON.parse(fs.readFileSync(path.join(logDir, '_last_checkpoint'), 'utf8'));
    const v = String(last.version).padStart(20, '0');
    const single = `${v}.checkpoint.parquet`;
    let parts = names.includes(single) ? [single] : [];
    if (!parts.length) {
      const multi = names.filter((f) => f.startsWith(`${v}.checkpoint.`) && /\.\d{10}\.\d{10}\.parquet$/.test(f)).sort();
      const n = multi.length ? Number(multi[0].split('.')[3]) : 0;
      if (!n || multi.length !== n) throw new Error(`checkpoint ${last.version}: parts missing (${multi.length} of ${n})`);
      parts = multi;
    }
    const files = parts.map((f) => q(path.join(logDir, f))).join(',');
    for (const r of await rowsOf(`SELECT add.path AS p, to_json(add.partitionValues)::VARCHAR AS pv,
        metaData.schemaString AS s, to_json(metaData.partitionColumns)::VARCHAR AS pc
        FROM read_parquet([${files}], union_by_name=true)`)) {
      if (r.p !== null) active.set(decodeURIComponent(r.p), r.pv ? JSON.parse(r.pv) : {});
      if (r.s !== null) meta = { schemaString: r.s, partitionColumns: r.pc ? JSON.parse(r.pc) : [] };
    }
    start = last.version + 1;
    version = last.version;
    checkpoint = `${last.version}${parts.length > 1 ? ` (${parts.length} parts)` : ''}`;
  }
  for (const v of commits.filter((c) => c >= start)) {
    if (v !== version + 1) throw new Error(`missing commit ${version + 1}`);
    version = v;
    const text = fs.readFileSync(path.join(logDir, `${String(v).padStart(20, '0')}.json`), 'utf8');
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const a = JSON.parse(line);
      if (a.add) active.set(decodeURIComponent(a.add.path), a.add.partitionValues ?? {});
      if (a.remove) active.delete(decodeURIComponent(a.remove.path));
      if (a.metaData) meta = a.metaData;
    }
  }
  if (meta === null) throw new Error('no metaData in the log');
  return { version, active, meta, checkpoint };
}

async function theirs(dir) {
  const { version, active, meta, checkpoint } = await replay(dir);
  const fields = JSON.parse(meta.schemaString).fields;
  const parts = new Set(meta.partitionColumns ?? []);
  const cols = fields.map((f) => ({ name: f.name, part: parts.has(f.name), ...kindOf(f.type) }));
  const acc = Object.fromEntries(cols.map((c) => [c.name, { nonnull: 0n, sum: c.kind === 'double' ? 0 : 0n }]));
  let rows = 0n;
  const rel = new Map([...active.keys()].map((p) => [path.join(dir, p), p]));
  if (rel.size) {
    const data = cols.filter((c) => !c.part);
    const sel = data.map((c, i) => `count(${ident(c.name)})::BIGINT AS c${i}` +
      (c.kind === 'other' ? '' : `, CAST(sum(${ident(c.name)}) AS VARCHAR) AS s${i}`)).join(', ');
    const res = await rowsOf(`SELECT filename, count(*)::BIGINT AS n${sel ? ', ' + sel : ''}
      FROM read_parquet([${[...rel.keys()].map(q).join(',')}], union_by_name=true, filename=true)
      GROUP BY filename`);
    for (const r of res) {
      const n = BigInt(r.n);
      rows += n;
      data.forEach((c, i) => {
        const a = acc[c.name];
        a.nonnull += BigInt(r[`c${i}`]);
        if (c.kind === 'int' && r[`s${i}`] !== null) a.sum += scaled(r[`s${i}`], c.scale);
        if (c.kind === 'double' && r[`s${i}`] !== null) a.sum += Number(r[`s${i}`]);
      });
      const pv = active.get(rel.get(r.filename));
      for (const c of cols.filter((x) => x.part)) {
        const v = pv[c.name];
        if (v === null || v === undefined || v === '') continue; // "" and null are null
        acc[c.name].nonnull += n;
        if (c.kind === 'int') acc[c.name].sum += scaled(v, c.scale) * n;
      }
    }
  }
  const columns = {};
  for (const c of cols) {
    const a = acc[c.name];
    columns[c.name] = { nonnull: Number(a.nonnull) };
    if (c.kind === 'int') columns[c.name].sum = unscaled(a.sum, c.scale);
    if (c.kind === 'double') columns[c.name].sum = a.sum;
  }
  return { version, rows: Number(rows), files: [...active.keys()].sort(), columns, checkpoint };
}

function differences(a, b) {
  const out = [];
  if (a.version !== b.version) out.push(`version: medallion ${a.version}, oracle ${b.version}`);
  if (a.rows !== b.rows) out.push(`rows: medallion ${a.rows}, oracle ${b.rows}`);
  // byte order, as C's strcmp sorts
  const sorted = (l) => [...l].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  const fa = sorted(a.files), fb = sorted(b.files);
  if (fa.join('\n') !== fb.join('\n')) {
    const only = (x, y) => x.filter((p) => !y.includes(p)).slice(0, 3).join(', ');
    out.push(`files: ${fa.length} vs ${fb.length}; only medallion: [${only(fa, fb)}]; only oracle: [${only(fb, fa)}]`);
  }
  for (const [name, o] of Object.entries(b.columns)) {
    const m = a.columns[name];
    if (!m) { out.push(`column ${name}: missing in medallion's scan`); continue; }
    if (m.nonnull !== o.nonnull) out.push(`${name} non-null: medallion ${m.nonnull}, oracle ${o.nonnull}`);
    if (!('sum' in o)) continue;
    if (typeof o.sum === 'number') {
      const x = Number(m.sum), y = o.sum;
      const same = (Number.isNaN(x) && Number.isNaN(y)) || x === y || Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
      if (!same) out.push(`${name} sum: medallion ${m.sum}, oracle ${y}`);
    } else if (m.sum !== o.sum) {
      out.push(`${name} sum: medallion ${m.sum}, oracle ${o.sum}`);
    }
  }
  return out;
}

let bad = 0;
const pad = (s, n) => String(s).padEnd(n);
console.log(`${pad('table', 56)} ${pad('version', 8)} ${pad('rows', 8)} ${pad('files', 6)} ${pad('checkpoint', 11)} result`);
for (const a of ours) {
  const name = path.relative(root, a.table);
  let b, diff;
  try {
    b = await theirs(a.table);
    diff = differences(a, b);
  } catch (e) {
    diff = [`oracle failed: ${e.message}`];
    b = { checkpoint: null };
  }
  bad += diff.length > 0;
  console.log(`${pad(name, 56)} ${pad(a.version, 8)} ${pad(a.rows, 8)} ${pad(a.files.length, 6)} ${pad(b.checkpoint ?? '-', 11)} ${diff.length ? 'MISMATCH' : 'ok'}`);
  for (const d of diff) console.log(`    ${d}`);
}
console.log(`${ours.length} table(s), ${bad} mismatch(es)`);
process.exit(bad ? 1 : 0);
