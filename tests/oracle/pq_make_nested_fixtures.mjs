// pq_make_nested_fixtures.mjs - writes the nested-record Parquet fixtures with DuckDB (structs,
// lists, maps, lists of structs, maps in lists, lists of lists, a Delta-checkpoint-shaped file)
// and, for each table, TABLE.expected.jsonl: DuckDB's own reading of its files, one record
// per line in the JSON form mdl_parquet_record_reader_next produces (compact, schema order, null
// struct members left out, maps as objects, doubles as C's shortest "%.*g", non-finite ones as
// null). The schema each file is read with is SCHEMAS below; the C test
// (tests/format/test_format_parquet_records_read.c) declares the same trees.
// It also writes bad/*.parquet: copies of small generated files with level bytes patched, each
// with bad/NAME.expect holding the error substring the reader must report.
//   node tests/oracle/pq_make_nested_fixtures.mjs OUTDIR      (normally tests/data/parquet/nested)
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';

const out = process.argv[2];
if (!out) {
  console.error('usage: pq_make_nested_fixtures.mjs OUTDIR');
  process.exit(2);
}
fs.mkdirSync(path.join(out, 'bad'), { recursive: true });

// ---- schemas (as the C test declares them) ------------------------------------------------
const leaf = (name, type) => ({ name, kind: 'leaf', type });
const struct = (name, ...children) => ({ name, kind: 'struct', children });
const list = (name, element) => ({ name, kind: 'list', children: [element] });
const map = (name, value) => ({ name, kind: 'map', children: [leaf('key', 'STRING'), value] });

const BASIC = [
  leaf('id', 'INT32'),
  struct('s', leaf('a', 'INT32'), leaf('b', 'STRING'), leaf('c', 'DOUBLE')),
  list('l', leaf('element', 'INT32')),
  list('ls', struct('element', leaf('x', 'INT64'), leaf('y', 'STRING'))),
  map('m', leaf('value', 'INT32')),
  list('lm', map('element', leaf('value', 'STRING'))),
  list('ll', list('element', leaf('element', 'STRING'))),
  leaf('flag', 'BOOLEAN'),
  leaf('f', 'DOUBLE'),
  leaf('txt', 'STRING'),
  leaf('big', 'INT64'),
  struct('deep', struct('inner', leaf('v', 'INT32'), list('w', leaf('element', 'INT32')))),
];

const CHECKPOINT = [
  struct('txn', leaf('appId', 'STRING'), leaf('version', 'INT64'), leaf('lastUpdated', 'INT64')),
  struct('add', leaf('path', 'STRING'), map('partitionValues', leaf('value', 'STRING')),
    leaf('size', 'INT64'), leaf('modificationTime', 'INT64'), leaf('dataChange', 'BOOLEAN'),
    leaf('stats', 'STRING'), map('tags', leaf('value', 'STRING'))),
  struct('remove', leaf('path', 'STRING'), leaf('deletionTimestamp', 'INT64'),
    leaf('dataChange', 'BOOLEAN'), leaf('extendedFileMetadata', 'BOOLEAN'),
    map('partitionValues', leaf('value', 'STRING')), leaf('size', 'INT64')),
  struct('metaData', leaf('id', 'STRING'), leaf('name', 'STRING'), leaf('description', 'STRING'),
    struct('format', leaf('provider', 'STRING'), map('options', leaf('value', 'STRING'))),
    leaf('schemaString', 'STRING'), list('partitionColumns', leaf('element', 'STRING')),
    map('configuration', leaf('value', 'STRING')), leaf('createdTime', 'INT64')),
  struct('protocol', leaf('minReaderVersion', 'INT32'), leaf('minWriterVersion', 'INT32')),
];

// ---- tables --------------------------------------------------------------------------------
const BASIC_SQL = `CREATE TABLE basic AS
SELECT
  i::INTEGER AS id,
  CASE WHEN i % 7 = 3 THEN NULL ELSE {'a': CASE WHEN i % 5 = 0 THEN NULL ELSE i * 3 END::INTEGER,
    'b': CASE WHEN i % 4 = 1 THEN NULL ELSE 'str' || i END,
    'c': CASE WHEN i % 6 = 2 THEN NULL ELSE i / 8.0 END::DOUBLE} END AS s,
  CASE WHEN i % 9 = 4 THEN NULL ELSE list_transform(range(i % 4),
    x -> CASE WHEN x = 1 AND i % 2 = 0 THEN NULL ELSE (i * 10 + x)::INTEGER END) END AS l,
  CASE WHEN i % 11 = 7 THEN NULL ELSE list_transform(range(i % 3),
    x -> CASE WHEN x = 1 AND i % 5 = 1 THEN NULL
         ELSE {'x': (i::BIGINT * 1000000007 + x)::BIGINT, 'y': CASE WHEN x = 0 THEN NULL ELSE 'y' || x END} END) END AS ls,
  CASE WHEN i % 8 = 6 THEN NULL ELSE map_from_entries(list_transform(range(i % 3),
    x -> {'key': 'k' || x, 'value': CASE WHEN x = 1 THEN NULL ELSE (i + x)::INTEGER END})) END AS m,
  list_transform(range(i % 3), x -> CASE WHEN x = 2 THEN NULL
    ELSE map_from_entries(list_transform(range(x + 1), y -> {'key': 'm' || y, 'value': 'v' || i || '_' || y})) END) AS lm,
  CASE WHEN i % 10 = 9 THEN NULL ELSE list_transform(range(i % 4),
    x -> CASE WHEN x = 2 THEN NULL ELSE list_transform(range(x), y -> 'e' || y) END) END AS ll,
  CASE WHEN i % 3 = 0 THEN NULL ELSE i % 2 = 0 END AS flag,
  CASE WHEN i % 17 = 5 THEN 'NaN'::FLOAT WHEN i % 7 = 1 THEN NULL ELSE (i / 4.0)::FLOAT END AS f,
  CASE i % 6 WHEN 0 THEN 'quote"back\\slash/' WHEN 1 THEN 'tab' || chr(9) || 'nl' || chr(10) || 'ctl' || chr(1) || chr(31)
    WHEN 2 THEN 'héllo 日本 😀' WHEN 3 THEN '' WHEN 4 THEN 'plain' || (i % 5) ELSE NULL END AS txt,
  CASE WHEN i % 50 = 1 THEN 9223372036854775807 WHEN i % 50 = 2 THEN -9223372036854775808
    WHEN i % 13 = 0 THEN NULL ELSE i::BIGINT * -4294967311 END::BIGINT AS big,
  CASE WHEN i % 13 = 1 THEN NULL ELSE {'inner': CASE WHEN i % 13 = 2 THEN NULL
    ELSE {'v': CASE WHEN i % 3 = 0 THEN NULL ELSE i END::INTEGER,
          'w': CASE WHEN i % 4 = 0 THEN NULL ELSE list_transform(range(i % 3), x -> x::INTEGER) END} END} END AS deep
FROM range(300) r(i)
ORDER BY i`;

// More rows, fewer columns: several row groups (DuckDB's smallest is 2048 rows); read with the
// BASIC schema, so the columns it lacks read as null.
const MULTI_SQL = `CREATE TABLE multi AS
SELECT id, ls, m, deep FROM (${BASIC_SQL.replace('CREATE TABLE basic AS', '').replace('range(300)', 'range(2500)')})`;

const CHECKPOINT_SQL = `CREATE TABLE checkpoint AS
WITH a AS (SELECT i FROM range(40) r(i))
SELECT
  CASE WHEN i = 3 THEN {'appId': 'app-1', 'version': 7::BIGINT, 'lastUpdated': 1700000000000::BIGINT} END
    AS txn,
  CASE WHEN i >= 5 THEN {'path': 'date=2024-01-0' || (i % 9 + 1) || '/part-' || i || '.parquet',
    'partitionValues': MAP {'date': '2024-01-0' || (i % 9 + 1)},
    'size': (1000 + i * 37)::BIGINT, 'modificationTime': (1700000000000 + i)::BIGINT,
    'dataChange': i % 2 = 0,
    'stats': CASE WHEN i % 4 = 0 THEN NULL ELSE '{"numRecords":' || i || ',"minValues":{"id":1}}' END,
    'tags': CASE WHEN i % 3 = 0 THEN MAP {'INSERTION_TIME': '17000' || i, 'k2': NULL} ELSE NULL END} END AS add,
  CASE WHEN i = 4 THEN {'path': 'date=2024-01-01/part-0.parquet', 'deletionTimestamp': 1700000000999::BIGINT,
    'dataChange': true, 'extendedFileMetadata': false,
    'partitionValues': MAP {'date': '2024-01-01'}, 'size': 123::BIGINT} END AS remove,
  CASE WHEN i = 1 THEN {'id': 'a6d8-0001', 'name': NULL::VARCHAR, 'description': 'orders "silver" table',
    'format': {'provider': 'parquet', 'options': MAP {}::MAP(VARCHAR, VARCHAR)},
    'schemaString': '{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}}]}',
    'partitionColumns': ['date'],
    'configuration': MAP {'delta.appendOnly': 'true', 'delta.checkpointInterval': '10'},
    'createdTime': 1699999999000::BIGINT} END AS metaData,
  CASE WHEN i = 0 THEN {'minReaderVersion': 1::INTEGER, 'minWriterVersion': 2::INTEGER} END AS protocol
FROM a ORDER BY i`;

// name, table, schema, COPY options
const FIXTURES = [
  ['basic_uncompressed', 'basic', BASIC, "COMPRESSION 'uncompressed'"],
  ['basic_snappy', 'basic', BASIC, "COMPRESSION 'snappy'"],
  ['basic_zstd_v2', 'basic', BASIC, "COMPRESSION 'zstd', PARQUET_VERSION V2"],
  ['basic_gzip', 'basic', BASIC, "COMPRESSION 'gzip'"],
  ['multi_rg_lz4', 'multi', BASIC, "COMPRESSION 'lz4_raw', ROW_GROUP_SIZE 2048"],
  ['basic_nodict', 'basic', BASIC, "COMPRESSION 'zstd', DICTIONARY_SIZE_LIMIT 1"],
  ['checkpoint', 'checkpoint', CHECKPOINT, "COMPRESSION 'snappy'"],
];

// ---- JSON in the reader's form --------------------------------------------------------------
function cDouble(v) {
  if (!Number.isFinite(v)) return 'null';
  if (Object.is(v, -0)) return '-0';
  for (let p = 1; p <= 17; p++) {
    const e = v.toExponential(p - 1); // d.ddde[+-]x
    if (Number(e) !== v) continue;
    let [mant, exp] = e.split('e');
    const x = Number(exp);
    if (x < -4 || x >= p) { // %g: exponent form, mantissa without trailing zeros
      if (mant.includes('.')) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
      const ax = Math.abs(x);
      return `${mant}e${x < 0 ? '-' : '+'}${ax < 10 ? '0' : ''}${ax}`;
    }
    let f = v.toFixed(Math.max(0, p - 1 - x));
    if (f.includes('.')) f = f.replace(/0+$/, '').replace(/\.$/, '');
    return f;
  }
  throw new Error(`no round trip for ${v}`);
}

function jsonStr(s) {
  let o = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (ch === '"') o += '\\"';
    else if (ch === '\\') o += '\\\\';
    else if (ch === '\n') o += '\\n';
    else if (ch === '\t') o += '\\t';
    else if (ch === '\r') o += '\\r';
    else if (ch === '\b') o += '\\b';
    else if (ch === '\f') o += '\\f';
    else if (c < 0x20) o += '\\u' + c.toString(16).padStart(4, '0');
    else o += ch;
  }
  return o + '"';
}

function value(node, v) {
  switch (node.kind) {
    case 'leaf':
      if (node.type === 'DOUBLE') return cDouble(v);
      if (node.type === 'BOOLEAN') return v ? 'true' : 'false';
      if (node.type === 'STRING') return jsonStr(v);
      return String(v);
    case 'struct':
      return fields(node.children, v);
    case 'list':
      return '[' + v.map((e) => (e === null ? 'null' : value(node.children[0], e))).join(',') + ']';
    case 'map':
      return '{' + v.map((kv) => jsonStr(kv.key) + ':' +
        (kv.value === null ? 'null' : value(node.children[1], kv.value))).join(',') + '}';
  }
  throw new Error(node.kind);
}

function fields(children, obj) {
  const parts = [];
  for (const c of children) {
    const v = obj[c.name];
    if (v === null || v === undefined) continue;
    parts.push(jsonStr(c.name) + ':' + value(c, v));
  }
  return '{' + parts.join(',') + '}';
}

// ---- bad fixtures: patch level bytes ----------------------------------------------------------
// Thrift compact: skips one struct at buf[p], returns the position after it.
function skipStruct(buf, p) {
  const varint = () => { let v = 0n, s = 0n; for (;;) { const b = buf[p++]; v |= BigInt(b & 0x7f) << s; s += 7n; if (!(b & 0x80)) return v; } };
  const skip = (t) => {
    switch (t) {
      case 1: case 2: return;
      case 3: p++; return;
      case 4: case 5: case 6: varint(); return;
      case 7: p += 8; return;
      case 8: { const n = Number(varint()); p += n; return; }
      case 9: case 10: { const h = buf[p++]; let n = h >> 4; const et = h & 15; if (n === 15) n = Number(varint()); for (let i = 0; i < n; i++) skip(et === 1 || et === 2 ? 3 : et); return; }
      case 12: p = skipStruct(buf, p); return;
      default: throw new Error(`thrift type ${t}`);
    }
  };
  for (;;) {
    const h = buf[p++];
    if (h === 0) return p;
    if ((h >> 4) === 0) varint(); // long-form field id (zigzag i16)
    skip(h & 15);
  }
}

// The byte offset of the first data page body of column `pathInSchema` (row group 0).
async function pageBody(con, file, pathInSchema) {
  const r = await con.runAndReadAll(`SELECT data_page_offset FROM parquet_metadata('${file}')
    WHERE row_group_id = 0 AND path_in_schema = '${pathInSchema}'`);
  const rows = r.getRowObjectsJS();
  if (rows.length !== 1) throw new Error(`no column ${pathInSchema} in ${file}`);
  const off = Number(rows[0].data_page_offset);
  const buf = fs.readFileSync(file);
  return { buf, body: skipStruct(buf, off) };
}

// An RLE run header (one-byte varint) and value at `at`: checks and returns [count, value].
function rleRun(buf, at) {
  const h = buf[at];
  if (h & 0x81) throw new Error(`not a short RLE run at ${at}: ${h}`);
  return [h >> 1, buf[at + 1]];
}

async function makeBad(con) {
  const dir = path.join(out, 'bad');
  const tmp = path.join(dir, 'tmp.parquet');
  const write = async (sql) => con.run(`COPY (${sql}) TO '${tmp}' (COMPRESSION 'uncompressed', DICTIONARY_SIZE_LIMIT 1)`);
  const save = (name, buf, expect) => {
    fs.writeFileSync(path.join(dir, `${name}.parquet`), buf);
    fs.writeFileSync(path.join(dir, `${name}.expect`), expect + '\n');
  };
  const N = 50; // so a run header (N << 1) is one byte
  // s STRUCT(a, b): max def 2 for s.a and s.b; every row present: def levels one run of 2s.
  await write(`SELECT {'a': i::INTEGER, 'b': i::INTEGER} AS s FROM range(${N}) r(i)`);
  {
    const { buf, body } = await pageBody(con, tmp, 's, b');
    const [n, v] = rleRun(buf, body + 4);
    if (n !== N || v !== 2) throw new Error(`unexpected def run ${n} x ${v}`);
    const b1 = Buffer.from(buf); b1[body + 5] = 3; // def 3 > max 2 (bit width 2)
    save('def_above_max', b1, "column 's.b' row group 0: entry 0: definition level 3 is above the maximum 2");
    const b2 = Buffer.from(buf); b2[body + 5] = 0; // b says s is null, a says it is not
    save('leaves_disagree_null', b2, "column 's.b' row group 0 entry 0 (record 1): definition level 0 below 1 (the columns disagree on whether 's.b' is null)");
    const b3 = Buffer.from(buf); b3[body + 4] = (N - 1) << 1; // one definition level short
    save('truncated_def_levels', b3, `column 's.b' row group 0: entry 0: a data page of ${N} values has fewer definition levels`);
  }
  // l INTEGER[] of one element each: rep levels one run of 0s.
  await write(`SELECT [i::INTEGER] AS l FROM range(${N}) r(i)`);
  {
    const { buf, body } = await pageBody(con, tmp, 'l, list, element');
    const [n, v] = rleRun(buf, body + 4);
    if (n !== N || v !== 0) throw new Error(`unexpected rep run ${n} x ${v}`);
    const b1 = Buffer.from(buf); b1[body + 5] = 1;
    save('rep_nonzero_at_start', b1, "column 'l.list.element' row group 0 entry 0 (record 1): repetition level 1 where 0 was expected (a record starts here)");
  }
  // ls STRUCT(x, y)[] of one element each: y's rep levels say every entry continues a list.
  await write(`SELECT [{'x': i::INTEGER, 'y': i::INTEGER}] AS ls FROM range(${N}) r(i)`);
  {
    const { buf, body } = await pageBody(con, tmp, 'ls, list, element, y');
    const [n, v] = rleRun(buf, body + 4);
    if (n !== N || v !== 0) throw new Error(`unexpected rep run ${n} x ${v}`);
    const b1 = Buffer.from(buf); b1[body + 5] = 1;
    save('leaves_disagree_records', b1, "column 'ls.list.element.y' row group 0 entry 0 (record 1): repetition level 1 where 0 was expected");
  }
  fs.rmSync(tmp);
}

// ---- legacy two-level lists: rename the repeated group in the footer --------------------------
// DuckDB writes `l (LIST) { repeated group list { optional int32 element } }`. Renamed to
// `array` or `l_tuple`, LogicalTypes.md's backward-compatibility rules make the repeated group
// itself the element: a list of structs {element}. Only footer bytes change (the Thrift string
// "list" wherever it occurs: the schema and path_in_schema), so the pages stay as they are.
const LEGACY_SCHEMA = (group) => [leaf('id', 'INT32'), list('l', struct(group, leaf('element', 'INT32')))];

function renameInFooter(buf, from, to) {
  const len = buf.readUInt32LE(buf.length - 8);
  const start = buf.length - 8 - len;
  const footer = buf.subarray(start, buf.length - 8);
  const a = Buffer.concat([Buffer.from([from.length]), Buffer.from(from)]);
  const b = Buffer.concat([Buffer.from([to.length]), Buffer.from(to)]);
  const parts = [];
  let p = 0, n = 0;
  for (let i; (i = footer.indexOf(a, p)) >= 0; p = i + a.length, n++) parts.push(footer.subarray(p, i), b);
  parts.push(footer.subarray(p));
  if (n === 0) throw new Error(`no "${from}" in the footer`);
  const nf = Buffer.concat(parts);
  const tail = Buffer.alloc(8);
  tail.writeUInt32LE(nf.length, 0);
  tail.write('PAR1', 4);
  return Buffer.concat([buf.subarray(0, start), nf, tail]);
}

async function makeLegacy(con) {
  const tmp = path.join(out, 'legacy_tmp.parquet');
  await con.run(`COPY (SELECT id, l FROM basic) TO '${tmp}' (COMPRESSION 'snappy')`);
  const r = await con.runAndReadAll(`SELECT id, l FROM read_parquet('${tmp}')`);
  const rows = r.getRowObjectsJS();
  const buf = fs.readFileSync(tmp);
  fs.rmSync(tmp);
  for (const [name, group] of [['legacy_array', 'array'], ['legacy_tuple', 'l_tuple']]) {
    fs.writeFileSync(path.join(out, `${name}.parquet`), renameInFooter(buf, 'list', group));
    const schema = LEGACY_SCHEMA(group);
    const lines = rows.map((row) => fields(schema, { id: row.id, l: row.l === null ? null : row.l.map((e) => ({ element: e })) }));
    fs.writeFileSync(path.join(out, `${name}.expected.jsonl`), lines.join('\n') + '\n');
    console.log(`${name}: ${lines.length} records`);
  }
}

// ---- main ---------------------------------------------------------------------------------------
const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
await con.run('SET threads = 1');
await con.run('SET preserve_insertion_order = true');
await con.run(BASIC_SQL);
await con.run(CHECKPOINT_SQL);
await con.run(MULTI_SQL);
const expected = new Map();
for (const [name, table, schema, opts] of FIXTURES) {
  const file = path.join(out, `${name}.parquet`);
  await con.run(`COPY (SELECT * FROM ${table}) TO '${file}' (${opts})`);
  const r = await con.runAndReadAll(`SELECT * FROM read_parquet('${file}')`);
  const lines = r.getRowObjectsJS().map((row) => fields(schema, row));
  const text = lines.join('\n') + '\n';
  // one expected file per table: every file of a table must read back the same
  const exp = path.join(out, `${table}.expected.jsonl`);
  if (expected.has(table) && expected.get(table) !== text) throw new Error(`${name} reads differently`);
  expected.set(table, text);
  fs.writeFileSync(exp, text);
  const meta = await con.runAndReadAll(`SELECT count(DISTINCT row_group_id) AS rgs FROM parquet_metadata('${file}')`);
  console.log(`${name}: ${lines.length} records, ${meta.getRowObjectsJS()[0].rgs} row groups`);
}
await makeBad(con);
await makeLegacy(con);
