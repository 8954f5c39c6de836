// pq_oracle.mjs - the Parquet oracle: reads a Parquet file with BOTH DuckDB (C++) and
// hyparquet (JS), checks that the two engines agree on every value and on the footer
// metadata, and prints one canonical JSON document describing the file (see
// tests/oracle/README.md for the format). Exit 1, with the disagreements on stderr, if the
// engines disagree or either cannot read the file.
//   node tests/oracle/pq_oracle.mjs dump [--no-values] FILE.parquet
//   node tests/oracle/pq_oracle.mjs compare FILE.parquet EXPECTED.json
// `compare` dumps FILE (same checks) and then diffs it against EXPECTED.json, which may
// hold any subset of the dump's keys; it prints the first mismatches and exits 1 on any.
import { DuckDBInstance } from '@duckdb/node-api';
import { parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { deserializeTCompactProtocol } from 'hyparquet/src/thrift.js';
import { compressors } from 'hyparquet-compressors';
import fs from 'node:fs';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const utf8 = new TextDecoder('utf-8');
const MAX_REPORT = 20;

// ---------------------------------------------------------------- canonical forms
const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const floorDiv = (a, b) => (a % b !== 0n && (a < 0n) !== (b < 0n) ? a / b - 1n : a / b);

export function canonDouble(x) {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (Object.is(x, -0)) return '-0';
  return String(x);
}

// Shortest decimal that rounds back to the same float32 (so FLOAT 0.1 prints as "0.1").
export function canonFloat(x) {
  if (!Number.isFinite(x) || x === 0) return canonDouble(x);
  for (let p = 1; p <= 9; p++) {
    const n = Number(x.toPrecision(p));
    if (Math.fround(n) === x) return String(n);
  }
  return String(x);
}

export function canonDecimal(unscaled, scale) {
  const neg = unscaled < 0n;
  const digits = (neg ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const body = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return neg ? `-${body}` : body;
}

// Days since 1970-01-01 -> proleptic Gregorian YYYY-MM-DD (H. Hinnant's civil_from_days).
export function canonDate(days) {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const yy = y < 0 ? `-${String(-y).padStart(4, '0')}` : String(y).padStart(4, '0');
  return `${yy}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function bytesToBigIntBE(b) {
  if (!b.length) return 0n;
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return b[0] & 0x80 ? v - (1n << BigInt(b.length * 8)) : v;
}

// What a leaf column holds, from its Parquet schema element (shared by both engines).
function columnKind(el) {
  const lt = el.logical_type, ct = el.converted_type, t = el.type;
  if (ct === 'INTERVAL' || ct === 'BSON' || ct === 'MAP' || ct === 'LIST' ||
      ['BSON', 'VARIANT', 'GEOMETRY', 'GEOGRAPHY', 'MAP', 'LIST', 'FILE'].includes(lt?.type)) {
    return { kind: 'unsupported', what: lt?.type ?? ct };
  }
  if (ct === 'DECIMAL' || lt?.type === 'DECIMAL') return { kind: 'decimal', scale: el.scale ?? lt?.scale ?? 0 };
  if (ct === 'DATE' || lt?.type === 'DATE') return { kind: 'date' };
  if (lt?.type === 'TIMESTAMP') return { kind: 'timestamp', unit: lt.unit };
  if (ct === 'TIMESTAMP_MILLIS') return { kind: 'timestamp', unit: 'MILLIS' };
  if (ct === 'TIMESTAMP_MICROS') return { kind: 'timestamp', unit: 'MICROS' };
  if (t === 'INT96') return { kind: 'timestamp', unit: 'INT96' };
  if (lt?.type === 'TIME') return { kind: 'time', unit: lt.unit };
  if (ct === 'TIME_MILLIS') return { kind: 'time', unit: 'MILLIS' };
  if (ct === 'TIME_MICROS') return { kind: 'time', unit: 'MICROS' };
  if (lt?.type === 'UUID') return { kind: 'uuid' };
  if (lt?.type === 'FLOAT16') return { kind: 'float' };
  if (t === 'BOOLEAN') return { kind: 'bool' };
  if (t === 'INT32' || t === 'INT64') {
    const unsigned = ct?.startsWith('UINT_') || (lt?.type === 'INTEGER' && !lt.isSigned);
    return { kind: 'int', unsigned };
  }
  if (t === 'FLOAT') return { kind: 'float' };
  if (t === 'DOUBLE') return { kind: 'double' };
  if (t === 'BYTE_ARRAY' && (ct === 'UTF8' || ct === 'ENUM' || ct === 'JSON' ||
      ['STRING', 'ENUM', 'JSON'].includes(lt?.type))) return { kind: 'string' };
  if (t === 'BYTE_ARRAY' || t === 'FIXED_LEN_BYTE_ARRAY') return { kind: 'blob' };
  return { kind: 'unsupported' };
}

// Timestamps are integer microseconds since the epoch, except NANOS columns (nanoseconds).
const tsOutUnit = (k) => (k.unit === 'NANOS' ? 'ns' : 'us');

function canonDuck(k, v) {
  if (v === null || v === undefined) return null;
  switch (k.kind) {
    case 'bool': return Boolean(v);
    case 'int': return String(v);
    case 'double': return canonDouble(Number(v));
    case 'float': return canonFloat(Number(v));
    case 'decimal':
      if (typeof v === 'object' && typeof v.value === 'bigint') {
        if (v.scale !== k.scale) throw new Error(`DuckDB decimal scale ${v.scale} != column scale ${k.scale}`);
        return canonDecimal(v.value, k.scale);
      }
      return `DuckDB returned ${typeof v} ${String(v)} for a DECIMAL`;
    case 'string': return String(v);
    case 'blob': return hex(v.bytes);
    case 'uuid': return String(v);
    case 'date': return canonDate(Number(v.days));
    case 'timestamp': {
      let us;
      if ('micros' in v) us = BigInt(v.micros);
      else if ('millis' in v) us = BigInt(v.millis) * 1000n;
      else if ('seconds' in v) us = BigInt(v.seconds) * 1000000n;
      else if ('nanos' in v) return tsOutUnit(k) === 'ns' ? String(v.nanos) : String(floorDiv(BigInt(v.nanos), 1000n));
      return String(tsOutUnit(k) === 'ns' ? us * 1000n : us);
    }
    case 'time':
      if ('micros' in v) return String(v.micros);
      if ('nanos' in v) return String(floorDiv(BigInt(v.nanos), 1000n));
      return String(v);
    default: return String(v); // a type the oracle does not canonicalise: DuckDB's own text
  }
}

// hyparquet values arrive raw (see HY_PARSERS and rawSchema below): days for dates,
// BigInt in the column's unit for timestamps, unscaled ints/bytes for decimals, bytes for strings.
function canonHy(k, v) {
  if (v === null || v === undefined) return null;
  switch (k.kind) {
    case 'bool': return Boolean(v);
    case 'int': return String(v);
    case 'double': return canonDouble(Number(v));
    case 'float': return canonFloat(Number(v));
    case 'decimal':
      if (v instanceof Uint8Array) return canonDecimal(bytesToBigIntBE(v), k.scale);
      return canonDecimal(BigInt(v), k.scale);
    case 'string': return typeof v === 'string' ? v : utf8.decode(v);
    case 'blob': return typeof v === 'string' ? hex(new TextEncoder().encode(v)) : hex(v);
    case 'uuid': return String(v);
    case 'date': return canonDate(Number(v));
    case 'timestamp': {
      const raw = BigInt(v);
      const ns = k.unit === 'NANOS' || k.unit === 'INT96';
      const us = k.unit === 'MILLIS' ? raw * 1000n : ns ? floorDiv(raw, 1000n) : raw;
      return tsOutUnit(k) === 'ns' ? String(raw) : String(us);
    }
    case 'time':
      if (k.unit === 'MILLIS') return String(BigInt(v) * 1000n);
      if (k.unit === 'NANOS') return String(floorDiv(BigInt(v), 1000n));
      return String(v);
    default: throw new Error(`unsupported column kind ${k.kind}`);
  }
}

// Raw min/max statistic bytes -> the same raw representation hyparquet gives for values.
function rawStat(el, k, b) {
  if (b === undefined || b === null) return null;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (el.type) {
    case 'BOOLEAN': return b[0] !== 0;
    case 'INT32': return k.unsigned ? view.getUint32(0, true) : view.getInt32(0, true);
    case 'INT64': return k.unsigned ? view.getBigUint64(0, true) : view.getBigInt64(0, true);
    case 'INT96': return (BigInt(view.getInt32(8, true)) - 2440588n) * 86400000000000n + view.getBigUint64(0, true);
    case 'FLOAT': return view.getFloat32(0, true);
    case 'DOUBLE': return view.getFloat64(0, true);
    default:
      if (k.kind === 'uuid') {
        const h = hex(b);
        return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
      }
      return b;
  }
}

// Logical types as one short string: STRING, DATE, DECIMAL(p,s), TIMESTAMP(MICROS,UTC), INTEGER(32,SIGNED)...
function logicalFromHy(lt) {
  if (!lt) return null;
  switch (lt.type) {
    case 'DECIMAL': return `DECIMAL(${lt.precision},${lt.scale})`;
    case 'TIMESTAMP': case 'TIME': return `${lt.type}(${lt.unit},${lt.isAdjustedToUTC ? 'UTC' : 'LOCAL'})`;
    case 'INTEGER': return `INTEGER(${lt.bitWidth},${lt.isSigned ? 'SIGNED' : 'UNSIGNED'})`;
    default: return lt.type;
  }
}
function logicalFromDuck(s) {
  if (s === null || s === undefined) return null;
  let m = /^DecimalType\(scale=(\d+), precision=(\d+)\)/.exec(s);
  if (m) return `DECIMAL(${m[2]},${m[1]})`;
  m = /^(Timestamp|Time)Type\(isAdjustedToUTC=(\w+), unit=TimeUnit\((.*)\)\)/.exec(s);
  if (m) {
    const unit = ['MILLIS', 'MICROS', 'NANOS'].find((u) => new RegExp(`${u}=(?!<null>)`).test(m[3]));
    const utc = m[2] === '1' || m[2] === 'true';
    return `${m[1].toUpperCase()}(${unit},${utc ? 'UTC' : 'LOCAL'})`;
  }
  m = /^IntType\(bitWidth=(\d+), isSigned=(\w+)\)/.exec(s);
  if (m) return `INTEGER(${m[1]},${m[2] === '1' || m[2] === 'true' ? 'SIGNED' : 'UNSIGNED'})`;
  m = /^(\w+?)Type\(/.exec(s);
  return m ? m[1].toUpperCase() : s;
}

// ---------------------------------------------------------------- DuckDB side
async function readWithDuckDB(file, schemaEls, kinds, wantValues) {
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  await con.run('SET threads = 1');
  await con.run("SET TimeZone = 'UTC'");
  await con.run('SET preserve_insertion_order = true');
  const q = async (sql) => {
    const p = await con.prepare(sql);
    p.bindVarchar(1, file);
    return (await p.runAndReadAll()).getRowObjects();
  };
  const out = {};
  const fm = (await q('SELECT created_by, num_rows, num_row_groups FROM parquet_file_metadata($1)'))[0];
  out.rows = Number(fm.num_rows);
  out.created_by = fm.created_by;
  out.num_row_groups = Number(fm.num_row_groups);
  const sch = await q(`SELECT name, type, type_length, repetition_type, num_children, converted_type,
    scale, precision, logical_type, duckdb_type FROM parquet_schema($1)`);
  out.columns = sch.slice(1).map((r) => ({
    name: r.name, duckdb_type: r.duckdb_type, physical_type: r.type,
    logical_type: logicalFromDuck(r.logical_type), converted_type: r.converted_type,
    repetition: r.repetition_type,
    ...(r.type === 'FIXED_LEN_BYTE_ARRAY' ? { type_length: Number(r.type_length) } : {}),
  }));
  const md = await q(`SELECT row_group_id, row_group_num_rows, column_id, path_in_schema, compression,
    encodings, stats_null_count, total_compressed_size, total_uncompressed_size
    FROM parquet_metadata($1) ORDER BY row_group_id, column_id`);
  // Min/max come back as VARCHAR; let DuckDB cast them to the column type, then canonicalise.
  const stats = [];
  for (let c = 0; c < kinds.length; c++) {
    const supported = kinds[c].kind !== 'unsupported';
    const ty = out.columns[c].duckdb_type;
    const rows = await q(`SELECT row_group_id,
        coalesce(stats_min_value, stats_min) AS mn_s, coalesce(stats_max_value, stats_max) AS mx_s
        ${supported ? `, TRY_CAST(coalesce(stats_min_value, stats_min) AS ${ty}) AS mn,
        TRY_CAST(coalesce(stats_max_value, stats_max) AS ${ty}) AS mx` : ''}
      FROM parquet_metadata($1) WHERE column_id = ${c} ORDER BY row_group_id`);
    stats.push(rows.map((r) => {
      const one = (s, v) => (s === null ? null : v === null || v === undefined ? `unparsed:${s}` : canonDuck(kinds[c], v));
      return { min: one(r.mn_s, r.mn), max: one(r.mx_s, r.mx) };
    }));
  }
  out.row_groups = [];
  for (const r of md) {
    const g = Number(r.row_group_id), c = Number(r.column_id);
    out.row_groups[g] ??= { rows: Number(r.row_group_num_rows), columns: [] };
    out.row_groups[g].columns[c] = {
      path: r.path_in_schema, codec: r.compression,
      encodings: r.encodings ? r.encodings.split(', ') : [],
      stats_min: stats[c][g].min, stats_max: stats[c][g].max,
      stats_null_count: r.stats_null_count === null ? null : Number(r.stats_null_count),
      total_compressed_size: Number(r.total_compressed_size),
      total_uncompressed_size: Number(r.total_uncompressed_size),
    };
  }
  out.key_value_metadata = {};
  for (const r of await q('SELECT key, value FROM parquet_kv_metadata($1)')) {
    out.key_value_metadata[utf8.decode(r.key.bytes)] = r.value === null ? null : utf8.decode(r.value.bytes);
  }
  if (wantValues) {
    const p = await con.prepare('SELECT * FROM read_parquet($1)');
    p.bindVarchar(1, file);
    const cols = (await p.runAndReadAll()).getColumns();
    out.valueColumns = cols.map((col, c) => col.map((v) => canonDuck(kinds[c], v)));
  }
  con.closeSync?.();
  instance.closeSync?.();
  return out;
}

// ---------------------------------------------------------------- hyparquet side
// Keep hyparquet's conversions from losing precision: dates stay day numbers, timestamps stay
// BigInt in their unit (no ms-precision Date), strings stay bytes (decoded here).
const HY_PARSERS = {
  timestampFromMilliseconds: (v) => v,
  timestampFromMicroseconds: (v) => v,
  timestampFromNanoseconds: (v) => v,
  dateFromDays: (v) => v,
  stringFromBytes: (v) => v,
  jsonFromBytes: (v) => v,
};

async function readWithHyparquet(file, wantValues) {
  const buf = fs.readFileSync(file);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const view = new DataView(ab);
  const file_ = { byteLength: ab.byteLength, slice: (s, e) => ab.slice(s, e) };
  const meta = await parquetMetadataAsync(file_, { parsers: HY_PARSERS, geoparquet: false });
  const leaves = meta.schema.slice(1);
  if (leaves.some((e) => e.num_children)) throw new Error('nested (group) columns are not supported by pq_oracle');
  const kinds = leaves.map(columnKind);
  const out = { kinds, schemaEls: leaves, notes: [], skipped: {}, readErrors: {} };
  out.rows = Number(meta.num_rows);
  out.created_by = meta.created_by ?? null;
  out.columns = leaves.map((e) => ({
    name: e.name, physical_type: e.type, logical_type: logicalFromHy(e.logical_type),
    converted_type: e.converted_type ?? null, repetition: e.repetition_type,
    ...(e.type === 'FIXED_LEN_BYTE_ARRAY' ? { type_length: e.type_length } : {}),
  }));
  out.key_value_metadata = {};
  for (const kv of meta.key_value_metadata ?? []) out.key_value_metadata[kv.key] = kv.value ?? null;

  // Raw footer (hyparquet's thrift decoder) for exact min/max bytes; hyparquet's own
  // statistics turn decimals into floats.
  const footerLen = view.getUint32(ab.byteLength - 8, true);
  const raw = deserializeTCompactProtocol({ view, offset: ab.byteLength - 8 - footerLen });
  out.row_groups = meta.row_groups.map((rg, g) => ({
    rows: Number(rg.num_rows),
    columns: rg.columns.map((cc, c) => {
      const m = cc.meta_data;
      const st = raw.field_4[g].field_1[c].field_3?.field_12;
      const k = kinds[c], el = leaves[c];
      const stat = (b) => (b === undefined ? null : k.kind === 'unsupported' ? undefined : canonHy(k, rawStat(el, k, b)));
      const pages = walkPages(view, m);
      return {
        path: m.path_in_schema.join('.'), codec: m.codec, encodings: m.encodings ?? [],
        stats_min: st ? stat(st.field_6 ?? st.field_2) : null,
        stats_max: st ? stat(st.field_5 ?? st.field_1) : null,
        stats_null_count: st?.field_3 === undefined ? null : Number(st.field_3),
        total_compressed_size: Number(m.total_compressed_size),
        total_uncompressed_size: Number(m.total_uncompressed_size),
        ...pages,
      };
    }),
  }));
  if (!wantValues) return out;

  // Decimals are read with their DECIMAL annotation removed, so hyparquet hands back the
  // unscaled INT32/INT64/byte values instead of a (lossy for precision > 15) float.
  const rawSchema = meta.schema.map((e) => (e.converted_type === 'DECIMAL' || e.logical_type?.type === 'DECIMAL'
    ? { ...e, converted_type: undefined, logical_type: undefined } : e));
  const rawMeta = { ...meta, schema: rawSchema };
  const read = (columns) => parquetReadObjects({ file: file_, metadata: rawMeta, compressors, parsers: HY_PARSERS, columns });
  out.valueColumns = leaves.map(() => null);
  const names = leaves.map((e) => e.name);
  let rows = null;
  try {
    rows = await read(names);
  } catch (e) {
    out.notes.push(`hyparquet could not read all columns at once (${e.message}); retried column by column`);
  }
  for (let c = 0; c < names.length; c++) {
    if (kinds[c].kind === 'unsupported') { out.skipped[names[c]] = `${kinds[c].what} is not canonicalised by pq_oracle`; continue; }
    try {
      const colRows = rows ? null : await read([names[c]]);
      const vals = new Array(out.rows);
      const src = rows ?? colRows, name = names[c];
      for (let r = 0; r < out.rows; r++) vals[r] = canonHy(kinds[c], src[r][name]);
      out.valueColumns[c] = vals;
    } catch (e) {
      out.readErrors[names[c]] = e.message; // a supported type hyparquet cannot read: a failure
    }
  }
  return out;
}

// Page headers of one column chunk, read with hyparquet's page-header parser.
function walkPages(view, m) {
  const dict = m.dictionary_page_offset === undefined ? undefined : Number(m.dictionary_page_offset);
  let pos = dict !== undefined && dict > 0 && dict < Number(m.data_page_offset) ? dict : Number(m.data_page_offset);
  const end = pos + Number(m.total_compressed_size);
  const types = [], encs = [];
  let dataPages = 0;
  try {
    while (pos < end) {
      const reader = { view, offset: pos };
      const h = parquetHeader(reader);
      if (!types.includes(h.type)) types.push(h.type);
      const enc = h.data_page_header?.encoding ?? h.data_page_header_v2?.encoding;
      if (h.type === 'DATA_PAGE' || h.type === 'DATA_PAGE_V2') {
        dataPages++;
        if (enc && !encs.includes(enc)) encs.push(enc);
      }
      pos = reader.offset + h.compressed_page_size;
    }
  } catch (e) {
    return { page_types: types, data_page_encodings: encs, num_data_pages: dataPages, page_walk_error: e.message };
  }
  return { page_types: types, data_page_encodings: encs, num_data_pages: dataPages };
}

// ---------------------------------------------------------------- dump = both engines, agreed
export async function dumpParquet(file, { values = true } = {}) {
  const problems = [];
  const bad = (what, d, h) => problems.push(`${what}: duckdb=${JSON.stringify(d)} hyparquet=${JSON.stringify(h)}`);
  let hy, dk;
  try {
    hy = await readWithHyparquet(file, values);
  } catch (e) {
    throw new Error(`hyparquet cannot read ${file}: ${e.message}`);
  }
  try {
    dk = await readWithDuckDB(file, hy.schemaEls, hy.kinds, values);
  } catch (e) {
    throw new Error(`DuckDB cannot read ${file}: ${e.message}`);
  }
  for (const [name, msg] of Object.entries(hy.readErrors)) problems.push(`column ${name}: DuckDB reads it, hyparquet fails: ${msg}`);
  if (dk.rows !== hy.rows) bad('rows', dk.rows, hy.rows);
  if (dk.created_by !== hy.created_by) bad('created_by', dk.created_by, hy.created_by);
  if (JSON.stringify(dk.key_value_metadata) !== JSON.stringify(hy.key_value_metadata)) {
    bad('key_value_metadata', dk.key_value_metadata, hy.key_value_metadata);
  }
  if (dk.columns.length !== hy.columns.length) bad('number of columns', dk.columns.length, hy.columns.length);
  const columns = dk.columns.map((d, c) => {
    const h = hy.columns[c] ?? {};
    for (const key of ['name', 'physical_type', 'logical_type', 'converted_type', 'repetition', 'type_length']) {
      if (d[key] !== h[key]) bad(`columns[${c}].${key}`, d[key], h[key]);
    }
    const col = { name: d.name, duckdb_type: d.duckdb_type, physical_type: d.physical_type,
      logical_type: d.logical_type, converted_type: d.converted_type, repetition: d.repetition };
    if (d.type_length !== undefined) col.type_length = d.type_length;
    if (hy.skipped[d.name]) col.hyparquet = `skipped (${hy.skipped[d.name]})`;
    return col;
  });
  if (dk.row_groups.length !== hy.row_groups.length) bad('number of row groups', dk.row_groups.length, hy.row_groups.length);
  const rowGroups = dk.row_groups.map((dg, g) => {
    const hg = hy.row_groups[g] ?? { columns: [] };
    if (dg.rows !== hg.rows) bad(`row_groups[${g}].rows`, dg.rows, hg.rows);
    return {
      rows: dg.rows,
      columns: dg.columns.map((d0, c) => {
        const h = hg.columns[c] ?? {};
        const d = { ...d0 };
        for (const key of ['stats_min', 'stats_max']) {
          // DuckDB's parquet_metadata() shows NULL for an infinite FLOAT/DOUBLE min/max; the
          // footer (read raw via hyparquet's thrift decoder) has it, so take it from there.
          if (d[key] === null && ['Infinity', '-Infinity'].includes(h[key]) && ['double', 'float'].includes(hy.kinds[c]?.kind)) {
            d[key] = h[key];
            hy.notes.push(`row group ${g} column ${d.path}: ${key} ${h[key]} is in the footer but DuckDB's parquet_metadata() shows NULL for it`);
          }
        }
        for (const key of Object.keys(d)) {
          if (h[key] === undefined && hy.kinds[c]?.kind === 'unsupported') continue; // DuckDB only
          if (JSON.stringify(d[key]) !== JSON.stringify(h[key])) bad(`row_groups[${g}].columns[${c}] (${d.path}).${key}`, d[key], h[key]);
        }
        const extra = { page_types: h.page_types, data_page_encodings: h.data_page_encodings, num_data_pages: h.num_data_pages };
        if (h.page_walk_error) extra.page_walk_error = h.page_walk_error;
        return { ...d, ...extra };
      }),
    };
  });
  const dump = { rows: dk.rows, columns };
  if (values) {
    const nrows = dk.valueColumns[0]?.length ?? 0;
    if (nrows !== dk.rows) bad('rows returned by read_parquet vs footer', nrows, dk.rows);
    const rows = new Array(nrows);
    for (let r = 0; r < nrows; r++) rows[r] = dk.valueColumns.map((col) => col[r]);
    let shown = 0;
    for (let c = 0; c < dk.valueColumns.length; c++) {
      const hc = hy.valueColumns[c];
      if (!hc) continue;
      for (let r = 0; r < nrows; r++) {
        if (dk.valueColumns[c][r] !== hc[r]) {
          if (shown++ < MAX_REPORT) bad(`value row ${r} column ${columns[c].name}`, dk.valueColumns[c][r], hc[r]);
          else problems.push(null);
        }
      }
    }
    dump.values = rows;
  }
  dump.row_groups = rowGroups;
  dump.created_by = dk.created_by;
  dump.key_value_metadata = dk.key_value_metadata;
  if (hy.notes.length) dump.notes = hy.notes;
  return { dump, kinds: hy.kinds, problems };
}

// One row / column / column chunk per line: small diffs, still plain JSON.
export function formatDump(d) {
  const j = JSON.stringify;
  const parts = [];
  for (const [k, v] of Object.entries(d)) {
    if (k === 'columns' || k === 'values' || k === 'notes') {
      parts.push(`${j(k)}: [${v.length ? '\n' + v.map((x) => '  ' + j(x)).join(',\n') + '\n' : ''}]`);
    } else if (k === 'row_groups') {
      parts.push(`${j(k)}: [${v.length ? '\n' + v.map((g) => `  {"rows": ${g.rows}, "columns": [\n` +
        g.columns.map((c) => '    ' + j(c)).join(',\n') + '\n  ]}').join(',\n') + '\n' : ''}]`);
    } else {
      parts.push(`${j(k)}: ${j(v)}`);
    }
  }
  return `{\n${parts.join(',\n')}\n}\n`;
}

function reportProblems(problems, file) {
  const real = problems.filter((p) => p !== null);
  const hidden = problems.length - real.length;
  process.stderr.write(`pq_oracle: DuckDB and hyparquet DISAGREE on ${file} (${problems.length} difference(s)):\n`);
  for (const p of real) process.stderr.write(`  ${p}\n`);
  if (hidden) process.stderr.write(`  ... and ${hidden} more value difference(s)\n`);
}

// ---------------------------------------------------------------- compare with an expected dump
function parseFloatish(s) {
  if (typeof s === 'number') return s;
  if (typeof s !== 'string' || s.trim() === '') return undefined;
  const t = s.trim().toLowerCase();
  if (t === 'nan' || t === '-nan' || t === '+nan') return NaN;
  if (t === 'infinity' || t === 'inf' || t === '+inf' || t === '+infinity') return Infinity;
  if (t === '-infinity' || t === '-inf') return -Infinity;
  const n = Number(t);
  return Number.isNaN(n) ? undefined : n;
}
const sameNum = (a, b) => (Number.isNaN(a) && Number.isNaN(b)) || Object.is(a, b);

// Equality of one canonical value, per column kind: floats compare as numbers (so "1e-07" and
// "1e-7" are the same double), integers may be given as JSON numbers if they are safe.
function sameValue(k, exp, got) {
  if (exp === null || got === null) return exp === got;
  if (k && (k.kind === 'double' || k.kind === 'float')) {
    const e = parseFloatish(exp), g = parseFloatish(got);
    if (e === undefined || g === undefined) return false;
    return k.kind === 'float' ? sameNum(Math.fround(e), Math.fround(g)) : sameNum(e, g);
  }
  if (typeof exp === 'number' && typeof got === 'string' && Number.isSafeInteger(exp)) return String(exp) === got;
  return JSON.stringify(exp) === JSON.stringify(got);
}

export function compareDump(expected, actual, kinds) {
  const diffs = [];
  const diff = (path, e, g) => diffs.push(`${path}: expected ${JSON.stringify(e)} got ${JSON.stringify(g)}`);
  const generic = (path, e, g) => {
    if (e !== null && typeof e === 'object' && !Array.isArray(e)) {
      if (g === null || typeof g !== 'object' || Array.isArray(g)) return diff(path, e, g);
      for (const key of Object.keys(e)) {
        if (!(key in g)) diff(`${path}.${key}`, e[key], '<missing>');
        else generic(`${path}.${key}`, e[key], g[key]);
      }
      return;
    }
    if (Array.isArray(e)) {
      if (!Array.isArray(g)) return diff(path, e, g);
      if (e.length !== g.length) diff(`${path}.length`, e.length, g.length);
      for (let i = 0; i < Math.min(e.length, g.length); i++) generic(`${path}[${i}]`, e[i], g[i]);
      return;
    }
    if (!sameValue(null, e, g)) diff(path, e, g);
  };
  const names = actual.columns.map((c) => c.name);
  for (const key of Object.keys(expected)) {
    if (!(key in actual)) { diff(key, expected[key], '<missing>'); continue; }
    const e = expected[key], g = actual[key];
    if (key === 'values' && Array.isArray(e) && Array.isArray(g)) {
      if (e.length !== g.length) diff('values.length (rows)', e.length, g.length);
      for (let r = 0; r < Math.min(e.length, g.length); r++) {
        if (!Array.isArray(e[r]) || e[r].length !== g[r].length) { diff(`values[${r}]`, e[r], g[r]); continue; }
        for (let c = 0; c < g[r].length; c++) {
          if (!sameValue(kinds[c], e[r][c], g[r][c])) diff(`values row ${r} column ${names[c]}`, e[r][c], g[r][c]);
        }
      }
    } else if (key === 'row_groups' && Array.isArray(e) && Array.isArray(g)) {
      if (e.length !== g.length) diff('row_groups.length', e.length, g.length);
      for (let i = 0; i < Math.min(e.length, g.length); i++) {
        const eg = e[i], gg = g[i];
        for (const gk of Object.keys(eg)) {
          if (gk !== 'columns') { generic(`row_groups[${i}].${gk}`, eg[gk], gg[gk]); continue; }
          if (!Array.isArray(eg.columns)) { diff(`row_groups[${i}].columns`, eg.columns, gg.columns); continue; }
          if (eg.columns.length !== gg.columns.length) diff(`row_groups[${i}].columns.length`, eg.columns.length, gg.columns.length);
          for (let c = 0; c < Math.min(eg.columns.length, gg.columns.length); c++) {
            const ec = eg.columns[c], gc = gg.columns[c], where = `row_groups[${i}].columns[${c}] (${gc.path})`;
            for (const ck of Object.keys(ec)) {
              if (!(ck in gc)) diff(`${where}.${ck}`, ec[ck], '<missing>');
              else if (ck === 'stats_min' || ck === 'stats_max') {
                if (!sameValue(kinds[c], ec[ck], gc[ck])) diff(`${where}.${ck}`, ec[ck], gc[ck]);
              } else generic(`${where}.${ck}`, ec[ck], gc[ck]);
            }
          }
        }
      }
    } else {
      generic(key, e, g);
    }
  }
  return diffs;
}

// ---------------------------------------------------------------- command line
async function main(argv) {
  const usage = 'usage: node tests/oracle/pq_oracle.mjs dump [--no-values] FILE.parquet\n' +
    '       node tests/oracle/pq_oracle.mjs compare FILE.parquet EXPECTED.json\n';
  const [cmd, ...rest] = argv;
  const noValues = rest.includes('--no-values');
  const args = rest.filter((a) => a !== '--no-values');
  if (cmd === 'dump' && args.length === 1) {
    const { dump, problems } = await dumpParquet(args[0], { values: !noValues });
    if (problems.length) { reportProblems(problems, args[0]); return 1; }
    process.stdout.write(formatDump(dump));
    return 0;
  }
  if (cmd === 'compare' && args.length === 2) {
    const expected = JSON.parse(fs.readFileSync(args[1], 'utf8'));
    const { dump, kinds, problems } = await dumpParquet(args[0], { values: 'values' in expected });
    if (problems.length) { reportProblems(problems, args[0]); return 1; }
    const diffs = compareDump(expected, dump, kinds);
    if (diffs.length) {
      process.stderr.write(`pq_oracle: ${args[0]} does NOT match ${args[1]} (${diffs.length} mismatch(es)):\n`);
      for (const d of diffs.slice(0, MAX_REPORT)) process.stderr.write(`  ${d}\n`);
      if (diffs.length > MAX_REPORT) process.stderr.write(`  ... and ${diffs.length - MAX_REPORT} more\n`);
      return 1;
    }
    process.stdout.write(`pq_oracle: ${args[0]} matches ${args[1]} (${Object.keys(expected).join(', ')})\n`);
    return 0;
  }
  process.stderr.write(usage);
  return 2;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    process.stderr.write(`pq_oracle: ${e.message}\n`);
    process.exitCode = 1;
  });
}
