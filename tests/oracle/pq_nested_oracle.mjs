// pq_nested_oracle.mjs - the oracle for nested Parquet records (struct, list, map): reads a
// file written by medallion's record writer with BOTH DuckDB and hyparquet and checks that
// each engine gives back exactly the JSON records that were written.
//   node tests/oracle/pq_nested_oracle.mjs check FILE.parquet RECORDS.jsonl
//   node tests/oracle/pq_nested_oracle.mjs gen checkpoint|deep N SEED   (JSON lines to stdout)
// Comparison rules: null members and absent members are the same (both dropped), maps are
// compared as objects (DuckDB returns them as [{key, value}] arrays, hyparquet as objects),
// integers exactly (the expected JSON is parsed with numbers kept as their source text, so
// INT64 extremes are not rounded through doubles), doubles by their shortest JS form.
import { DuckDBInstance } from '@duckdb/node-api';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import fs from 'node:fs';
import process from 'node:process';

// ---------------------------------------------------------------- JSON with exact numbers
class Num {
  constructor(src) { this.src = src; }
}

function parseJson(text) {
  let i = 0;
  const ws = () => { while (i < text.length && ' \t\r\n'.includes(text[i])) i++; };
  const value = () => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++; const o = {}; ws();
      if (text[i] === '}') { i++; return o; }
      for (;;) {
        ws(); const k = value(); ws(); i++; // ':'
        o[k] = value(); ws();
        if (text[i++] === '}') return o;
      }
    }
    if (c === '[') {
      i++; const a = []; ws();
      if (text[i] === ']') { i++; return a; }
      for (;;) {
        a.push(value()); ws();
        if (text[i++] === ']') return a;
      }
    }
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const s = JSON.parse(text.slice(i, j + 1)); i = j + 1; return s;
    }
    if (text.startsWith('true', i)) { i += 4; return true; }
    if (text.startsWith('false', i)) { i += 5; return false; }
    if (text.startsWith('null', i)) { i += 4; return null; }
    const m = /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(text.slice(i));
    if (!m) throw new Error(`bad JSON at ${i}: ${text.slice(i, i + 20)}`);
    i += m[0].length;
    return new Num(m[0]);
  };
  return value();
}

// ---------------------------------------------------------------- canonical forms
const isPlain = (x) => x !== null && typeof x === 'object' && !Array.isArray(x) && !(x instanceof Num);

function canonExpected(v) {
  if (v === null || v === undefined) return null;
  if (v instanceof Num) return /^-?[0-9]+$/.test(v.src) ? BigInt(v.src).toString() : String(Number(v.src));
  if (Array.isArray(v)) return v.map(canonExpected);
  if (isPlain(v)) {
    const o = {};
    for (const k of Object.keys(v).sort()) {
      const c = canonExpected(v[k]);
      if (c !== null) o[k] = c;
    }
    return o;
  }
  return v;
}

// The engine's value, shaped by the expected one (which says where maps are).
function canonActual(v, exp) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return String(v);
  if (Array.isArray(exp)) return Array.isArray(v) ? v.map((x, i) => canonActual(x, exp[i])) : v;
  if (isPlain(exp)) {
    let obj = v;
    if (Array.isArray(v)) obj = Object.fromEntries(v.map((e) => [e.key, e.value]));
    else if (v instanceof Map) obj = Object.fromEntries(v);
    if (!isPlain(obj)) return obj;
    const o = {};
    for (const k of Object.keys(obj).sort()) {
      const c = canonActual(obj[k], exp[k]);
      if (c !== null) o[k] = c;
    }
    return o;
  }
  return v;
}

async function readDuck(file) {
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  const r = await con.runAndReadAll(`SELECT * FROM read_parquet('${file.replaceAll("'", "''")}')`);
  const rows = r.getRowObjectsJS();
  con.closeSync?.();
  instance.closeSync?.();
  return rows;
}

async function readHy(file) {
  const buf = fs.readFileSync(file);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  return parquetReadObjects({ file: ab, compressors });
}

async function check(file, recordsPath) {
  const lines = fs.readFileSync(recordsPath, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const expected = lines.map((l) => canonExpected(parseJson(l)));
  const raw = lines.map(parseJson);
  let bad = 0;
  for (const [name, read] of [['duckdb', readDuck], ['hyparquet', readHy]]) {
    let rows;
    try {
      rows = await read(file);
    } catch (e) {
      console.error(`${name}: cannot read ${file}: ${e.message}`);
      bad++;
      continue;
    }
    if (rows.length !== expected.length) {
      console.error(`${name}: ${rows.length} rows, expected ${expected.length}`);
      bad++;
    }
    let shown = 0;
    for (let r = 0; r < Math.min(rows.length, expected.length); r++) {
      const got = JSON.stringify(canonActual(rows[r], raw[r]));
      const want = JSON.stringify(expected[r]);
      if (got !== want) {
        bad++;
        if (shown++ < 5) console.error(`${name}: record ${r + 1}:\n  got  ${got}\n  want ${want}`);
      }
    }
  }
  if (bad) process.exit(1);
  console.log(`${expected.length} records read back by DuckDB and hyparquet`);
}

// ---------------------------------------------------------------- record generator
function rng(seed) {
  let s = BigInt(seed) & 0xffffffffffffffffn;
  return () => {
    s = (s + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn;
    return Number((z ^ (z >> 31n)) >> 11n) / 2 ** 53;
  };
}

function gen(schema, n, seed) {
  const R = rng(seed);
  const pick = (a) => a[Math.floor(R() * a.length)];
  const maybe = (p, f) => (R() < p ? null : f());
  const str = () => pick(['', 'a', 'héllo', 'x'.repeat(Math.floor(R() * 40)), 'date=2024-01-01', '"q"\\', 'ünï €']);
  const int = () => pick([0, 1, -1, 42, 2147483647, -2147483648, Math.floor(R() * 4e9) - 2e9]);
  const i64 = () => pick(['9223372036854775807', '-9223372036854775808', String(Math.floor(R() * 1e15)), '0']);
  const dbl = () => pick(['0.5', '-1.25e-7', '3', '1e300', String(R() * 1000), '-0.0']);
  const list = (max, f) => Array.from({ length: Math.floor(R() * (max + 1)) }, f);
  const map = (max, f) => Object.fromEntries(list(max, () => [`k${Math.floor(R() * 1000)}`, f()]));
  const out = [];
  // Values are written as JSON text by hand so INT64 extremes stay exact.
  const J = (v) => (v instanceof Num ? v.src : Array.isArray(v) ? `[${v.map(J).join(',')}]`
    : isPlain(v) ? `{${Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => `${JSON.stringify(k)}:${J(x)}`).join(',')}}`
      : JSON.stringify(v));
  const N = (s) => new Num(String(s));
  for (let r = 0; r < n; r++) {
    let rec;
    if (schema === 'checkpoint') {
      const kind = pick(['add', 'add', 'remove', 'txn', 'metaData', 'protocol']);
      if (kind === 'add') {
        rec = { add: { path: `part-${r}.parquet`, partitionValues: map(3, () => maybe(0.3, str)), size: N(int() & 0x7fffffff),
          modificationTime: N(i64()), dataChange: R() < 0.5, stats: maybe(0.3, () => `{"numRecords":${r}}`),
          tags: maybe(0.6, () => map(2, str)) } };
      } else if (kind === 'remove') {
        rec = { remove: { path: `part-${r}.parquet`, deletionTimestamp: maybe(0.2, () => N(i64())), dataChange: true,
          extendedFileMetadata: maybe(0.5, () => R() < 0.5), partitionValues: maybe(0.5, () => map(2, str)), size: maybe(0.5, () => N(int())) } };
      } else if (kind === 'txn') {
        rec = { txn: { appId: maybe(0.2, str), version: N(i64()), lastUpdated: maybe(0.5, () => N(i64())) } };
      } else if (kind === 'metaData') {
        rec = { metaData: { id: `id-${r}`, name: maybe(0.5, str), description: maybe(0.7, str),
          format: { provider: 'parquet', options: maybe(0.5, () => map(2, str)) }, schemaString: '{"type":"struct","fields":[]}',
          partitionColumns: list(3, str), configuration: maybe(0.3, () => map(4, () => maybe(0.2, str))), createdTime: maybe(0.3, () => N(i64())) } };
      } else {
        rec = { protocol: { minReaderVersion: N(pick([1, 3])), minWriterVersion: N(pick([2, 7])) } };
      }
    } else {
      const item = () => ({ name: str(), qty: maybe(0.3, () => N(int())),
        attrs: maybe(0.4, () => map(3, () => maybe(0.2, () => list(3, () => maybe(0.2, () => N(dbl())))))),
        sub: maybe(0.4, () => ({ a: maybe(0.3, () => list(3, () => maybe(0.2, () => list(3, () => maybe(0.2, () => N(i64())))))),
          b: maybe(0.3, () => R() < 0.5) })) });
      rec = { id: N(r), flag: maybe(0.3, () => R() < 0.5), score: maybe(0.3, () => N(dbl())),
        tags: maybe(0.3, () => list(4, () => maybe(0.2, str))), items: maybe(0.3, () => list(3, () => maybe(0.2, item))),
        meta: maybe(0.3, () => map(3, () => ({ x: maybe(0.3, () => N(int())), y: maybe(0.3, () => list(2, str)) }))),
        req_list: list(4, () => N(int())) };
      if (R() < 0.5) delete rec.flag; // missing and null are the same
    }
    // Every 50th record is bad (a member the schema lacks, deep inside when possible): the
    // writer must refuse it and leave nothing of it in the file.
    if (r % 50 === 49) out.push(J(rec).replace(/\}$/, ',"bogus":1}').replace('"name":', '"nope":1,"name":'));
    else out.push(J(rec));
  }
  process.stdout.write(out.join('\n') + '\n');
}

const [cmd, a, b, c] = process.argv.slice(2);
if (cmd === 'check') await check(a, b);
else if (cmd === 'gen') gen(a, Number(b), Number(c));
else {
  console.error('usage: pq_nested_oracle.mjs check FILE.parquet RECORDS.jsonl | gen SCHEMA N SEED');
  process.exit(2);
}
