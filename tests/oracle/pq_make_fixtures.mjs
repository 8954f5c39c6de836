// pq_make_fixtures.mjs - writes the "external writer" Parquet fixtures with DuckDB: one table
// holding every column type our reader must accept, COPYed once per writer option DuckDB
// offers (codec, dictionary on/off, PARQUET_VERSION V1/V2, small row groups). Each NAME.parquet
// gets NAME.expected.json, the `pq_oracle.mjs dump` of it (DuckDB and hyparquet agreeing), and
// OUTDIR/README.md records how each file was made and what parquet_metadata shows in it.
// Deterministic: same DuckDB version -> byte-identical output. Fails if a fixture does not
// contain what its name says, if the engines disagree, or if the size budget is exceeded.
//   node tests/oracle/pq_make_fixtures.mjs OUTDIR      (normally tests/data/parquet/external)
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { dumpParquet, formatDump } from './pq_oracle.mjs';

const ROWS = 2000; // ~3000 would push each .expected.json (~130 bytes a row) over the 300 KB per-file budget
const RG = 500; // the small ROW_GROUP_SIZE; edge values repeat with this period
const MAX_FILE = 300 * 1000;
const MAX_TOTAL = 5 * 1000 * 1000;

// Every value is a pure function of i, so the table (and the files) are deterministic.
// Edge cases sit at i % RG = 1..10, so every small row group has them.
const TABLE_SQL = `CREATE TABLE t AS
SELECT
  i::INTEGER AS id,
  CASE WHEN i % 7 = 3 THEN NULL ELSE (i % 5 = 0 OR i % 3 = 1) END AS c_bool,
  CASE WHEN i % 11 = 5 THEN NULL
       WHEN i % ${RG} = 1 THEN 2147483647 WHEN i % ${RG} = 2 THEN -2147483648
       ELSE (i * 7919) % 61 - 30 END::INTEGER AS c_int,
  CASE WHEN i % 13 = 6 THEN NULL
       WHEN i % ${RG} = 1 THEN 9223372036854775807 WHEN i % ${RG} = 2 THEN -9223372036854775808
       WHEN i % 50 = 17 THEN i::BIGINT * 3074457345618258 * (CASE WHEN i % 100 = 17 THEN -1 ELSE 1 END)
       ELSE (i::BIGINT * 104729) % 1000003 - 500000 END::BIGINT AS c_bigint,
  CASE WHEN i % 17 = 8 THEN NULL
       WHEN i % ${RG} = 1 THEN 'NaN'::DOUBLE WHEN i % ${RG} = 2 THEN 'Infinity'::DOUBLE
       WHEN i % ${RG} = 3 THEN '-Infinity'::DOUBLE WHEN i % ${RG} = 4 THEN '-0.0'::DOUBLE
       WHEN i % ${RG} = 5 THEN 5e-324::DOUBLE WHEN i % ${RG} = 6 THEN 1.7976931348623157e308::DOUBLE
       WHEN i % ${RG} = 7 THEN 0.1::DOUBLE WHEN i % ${RG} = 8 THEN 2.2250738585072014e-308::DOUBLE
       WHEN i % ${RG} = 9 THEN 1e21::DOUBLE WHEN i % ${RG} = 10 THEN 1e-7::DOUBLE
       WHEN i % 20 = 0 THEN i::DOUBLE / 7
       ELSE (i % 32)::DOUBLE / 4 - 4 END AS c_double,
  CASE WHEN i % 19 = 9 THEN NULL
       WHEN i % ${RG} = 1 THEN 9999999.99 WHEN i % ${RG} = 2 THEN -9999999.99
       WHEN i % ${RG} = 3 THEN 0 WHEN i % ${RG} = 4 THEN -0.01
       ELSE ((i * 37) % 64 - 32) * 0.25 END::DECIMAL(9,2) AS c_dec9,
  CASE WHEN i % 23 = 10 THEN NULL
       WHEN i % ${RG} = 1 THEN 99999999999999.9999 WHEN i % ${RG} = 2 THEN -99999999999999.9999
       WHEN i % ${RG} = 3 THEN -0.0001
       ELSE i * 123.4567 * (CASE WHEN i % 2 = 0 THEN 1 ELSE -1 END) END::DECIMAL(18,4) AS c_dec18,
  CASE WHEN i % 29 = 11 THEN NULL
       WHEN i % ${RG} = 1 THEN '9999999999999999999999999999.9999999999'::DECIMAL(38,10)
       WHEN i % ${RG} = 2 THEN '-9999999999999999999999999999.9999999999'::DECIMAL(38,10)
       WHEN i % ${RG} = 3 THEN '0.0000000001'::DECIMAL(38,10)
       WHEN i % ${RG} = 4 THEN '-12345678901234567890.1234567890'::DECIMAL(38,10)
       ELSE ((i % 50) - 25) * 1.0000000001 END::DECIMAL(38,10) AS c_dec38,
  CASE WHEN i % 31 = 12 THEN NULL
       WHEN i % 97 = 0 THEN ''
       WHEN i % ${RG} = 3 THEN repeat('long-' || i || '-', 200)
       WHEN i % 89 = 1 THEN 'héllo wörld'
       WHEN i % 83 = 2 THEN '日本語テキスト 😀'
       WHEN i % 79 = 3 THEN 'e' || chr(769) || ' ñ ß Ω'
       WHEN i % 20 = 7 THEN 'r' || i
       ELSE 'status_' || (i % 6) END AS c_varchar,
  CASE WHEN i % 37 = 13 OR i % ${RG} BETWEEN 250 AND 281 THEN NULL
       WHEN i % ${RG} = 1 THEN DATE '0001-01-01' WHEN i % ${RG} = 2 THEN DATE '9999-12-31'
       WHEN i % ${RG} = 3 THEN DATE '1969-12-31' WHEN i % ${RG} = 4 THEN DATE '1970-01-01'
       WHEN i % ${RG} = 5 THEN DATE '1600-02-29' WHEN i % ${RG} = 6 THEN DATE '1899-12-31'
       ELSE DATE '1950-01-01' + ((i * 13) % 36500)::INTEGER END AS c_date,
  CASE WHEN i % 41 = 14 THEN NULL
       WHEN i % ${RG} = 1 THEN TIMESTAMPTZ '1900-01-01 00:00:00.000001+00'
       WHEN i % ${RG} = 2 THEN TIMESTAMPTZ '1969-12-31 23:59:59.999999+00'
       WHEN i % ${RG} = 3 THEN TIMESTAMPTZ '1970-01-01 00:00:00+00'
       WHEN i % ${RG} = 4 THEN TIMESTAMPTZ '2262-04-11 23:47:16.854775+00'
       ELSE TIMESTAMPTZ '1970-01-01 00:00:00+00'
            + to_microseconds((i::BIGINT * 1234567890123) % 3155760000000000 - 1000000000000000) END AS c_tstz,
  NULL::INTEGER AS c_null
FROM range(${ROWS}) r(i)`;

// DuckDB only ends a row group at a DataChunk (2048 rows) boundary: ROW_GROUP_SIZE 500 on the
// 2000-row table still gives one group. Feeding it RG-row pieces gives groups of exactly RG rows.
const PIECES = '(' + Array.from({ length: Math.ceil(ROWS / RG) },
  (_, k) => `SELECT * FROM t WHERE id >= ${k * RG} AND id < ${(k + 1) * RG}`).join(' UNION ALL ') + ')';
const SMALL_GROUPS = Array.from({ length: Math.ceil(ROWS / RG) }, (_, k) => Math.min(RG, ROWS - k * RG));

// `has`: codecs / encodings / page types the file must show (checked, so a name never lies);
// `lacks`: ones it must not show. DuckDB 1.5.6 writes DATA_PAGE (v1) headers even with
// PARQUET_VERSION V2, so every file lacks DATA_PAGE_V2 (the check flags a DuckDB that changes this).
const V1 = ['DATA_PAGE'], NOV2 = ['DATA_PAGE_V2'];
const FIXTURES = [
  { name: 'v1_plain_uncompressed', src: 't', opts: 'COMPRESSION uncompressed, DICTIONARY_SIZE_LIMIT 0',
    has: ['UNCOMPRESSED', 'PLAIN', ...V1], lacks: ['PLAIN_DICTIONARY', 'DICTIONARY_PAGE', ...NOV2] },
  { name: 'v1_dict_snappy', src: 't', opts: "KV_METADATA {fixture: 'v1_dict_snappy', note: 'DuckDB defaults + kv metadata, ü'}",
    has: ['SNAPPY', 'PLAIN_DICTIONARY', 'PLAIN', 'DICTIONARY_PAGE', ...V1], lacks: NOV2 },
  { name: 'v1_dict_gzip', src: 't', opts: 'COMPRESSION gzip', has: ['GZIP', 'PLAIN_DICTIONARY', ...V1], lacks: NOV2 },
  { name: 'v1_dict_zstd', src: 't', opts: 'COMPRESSION zstd', has: ['ZSTD', 'PLAIN_DICTIONARY', ...V1], lacks: NOV2 },
  { name: 'v1_dict_lz4raw', src: 't', opts: 'COMPRESSION lz4', has: ['LZ4_RAW', 'PLAIN_DICTIONARY', ...V1], lacks: ['LZ4', ...NOV2] },
  { name: 'v1_dict_brotli', src: 't', opts: 'COMPRESSION brotli', has: ['BROTLI', 'PLAIN_DICTIONARY', ...V1], lacks: NOV2 },
  { name: 'v1_plain_snappy_4rg', src: PIECES, opts: `ROW_GROUP_SIZE ${RG}, DICTIONARY_SIZE_LIMIT 0`,
    has: ['SNAPPY', 'PLAIN', ...V1], lacks: ['PLAIN_DICTIONARY', ...NOV2], rowGroups: SMALL_GROUPS },
  { name: 'v1_dict_snappy_4rg', src: PIECES, opts: `ROW_GROUP_SIZE ${RG}`,
    has: ['SNAPPY', 'PLAIN_DICTIONARY', 'DICTIONARY_PAGE', ...V1], lacks: NOV2, rowGroups: SMALL_GROUPS },
  { name: 'v2_delta_bss_zstd', src: 't', opts: 'PARQUET_VERSION V2, COMPRESSION zstd, DICTIONARY_SIZE_LIMIT 0',
    has: ['ZSTD', 'DELTA_BINARY_PACKED', 'DELTA_LENGTH_BYTE_ARRAY', 'BYTE_STREAM_SPLIT', ...V1],
    lacks: ['RLE_DICTIONARY', 'PLAIN_DICTIONARY', 'DICTIONARY_PAGE', ...NOV2] },
  { name: 'v2_dict_delta_snappy', src: 't', opts: 'PARQUET_VERSION V2',
    has: ['SNAPPY', 'RLE_DICTIONARY', 'DELTA_BINARY_PACKED', 'DICTIONARY_PAGE', ...V1],
    lacks: ['PLAIN_DICTIONARY', ...NOV2] },
  { name: 'v2_delta_bss_uncompressed_4rg', src: PIECES,
    opts: `PARQUET_VERSION V2, COMPRESSION uncompressed, DICTIONARY_SIZE_LIMIT 0, ROW_GROUP_SIZE ${RG}`,
    has: ['UNCOMPRESSED', 'DELTA_BINARY_PACKED', 'DELTA_LENGTH_BYTE_ARRAY', 'BYTE_STREAM_SPLIT', ...V1],
    lacks: ['RLE_DICTIONARY', ...NOV2], rowGroups: SMALL_GROUPS },
  { name: 'v2_dict_delta_gzip_4rg', src: PIECES, opts: `PARQUET_VERSION V2, COMPRESSION gzip, ROW_GROUP_SIZE ${RG}`,
    has: ['GZIP', 'RLE_DICTIONARY', 'DELTA_BINARY_PACKED', 'DICTIONARY_PAGE', ...V1], lacks: NOV2, rowGroups: SMALL_GROUPS },
];

function summarise(dump) {
  const seen = new Set();
  const perColumn = dump.columns.map((c, i) => {
    const enc = new Set(), pages = new Set(), codecs = new Set();
    let dataPages = 0;
    for (const g of dump.row_groups) {
      const cc = g.columns[i];
      cc.encodings.forEach((e) => enc.add(e));
      cc.page_types.forEach((p) => pages.add(p));
      codecs.add(cc.codec);
      dataPages += cc.num_data_pages;
    }
    [...enc, ...pages, ...codecs].forEach((x) => seen.add(x));
    return { name: c.name, encodings: [...enc].join('+'), pages: [...pages].join('+'), dataPages, codecs: [...codecs] };
  });
  return { seen, perColumn };
}

async function main() {
  const outDir = process.argv[2];
  if (!outDir) { process.stderr.write('usage: node tests/oracle/pq_make_fixtures.mjs OUTDIR\n'); return 2; }
  fs.mkdirSync(outDir, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  await con.run('SET threads = 1');
  await con.run("SET TimeZone = 'UTC'");
  await con.run('SET preserve_insertion_order = true');
  const version = (await con.runAndReadAll('SELECT version()')).getRows()[0][0];
  await con.run(TABLE_SQL);

  let total = 0;
  const failures = [];
  const report = [];
  for (const f of FIXTURES) {
    const file = path.join(outDir, `${f.name}.parquet`);
    const sidecar = path.join(outDir, `${f.name}.expected.json`);
    const src = f.src === 't' ? 't' : f.src;
    const copy = `COPY ${src} TO '${f.name}.parquet' (FORMAT parquet${f.opts ? ', ' + f.opts : ''})`;
    fs.rmSync(file, { force: true });
    await con.run(copy.replace(`'${f.name}.parquet'`, `'${file.replaceAll("'", "''")}'`));
    const { dump, problems } = await dumpParquet(file);
    if (problems.length) {
      failures.push(`${f.name}: DuckDB and hyparquet disagree:\n    ${problems.filter(Boolean).join('\n    ')}`);
      continue;
    }
    const text = formatDump(dump);
    fs.writeFileSync(sidecar, text);
    const { seen, perColumn } = summarise(dump);
    for (const x of f.has ?? []) if (!seen.has(x)) failures.push(`${f.name}: expected ${x} in the file, not found`);
    for (const x of f.lacks ?? []) if (seen.has(x)) failures.push(`${f.name}: ${x} found in the file, not expected`);
    const rg = dump.row_groups.map((g) => g.rows);
    if (f.rowGroups && JSON.stringify(rg) !== JSON.stringify(f.rowGroups)) {
      failures.push(`${f.name}: row groups ${JSON.stringify(rg)}, expected ${JSON.stringify(f.rowGroups)}`);
    }
    const sizes = [fs.statSync(file).size, Buffer.byteLength(text)];
    for (const [n, s] of [[file, sizes[0]], [sidecar, sizes[1]]]) if (s >= MAX_FILE) failures.push(`${n}: ${s} bytes >= ${MAX_FILE}`);
    total += sizes[0] + sizes[1];
    const bloomRows = await con.runAndReadAll(`SELECT DISTINCT column_id, path_in_schema FROM parquet_metadata('${file.replaceAll("'", "''")}')
      WHERE bloom_filter_offset IS NOT NULL ORDER BY column_id`);
    const bloom = bloomRows.getRowObjects().map((r) => r.path_in_schema);
    report.push({ f, copy, dump, perColumn, rg, sizes, bloom });
    process.stdout.write(`${f.name}: ${sizes[0]} + ${sizes[1]} bytes, row groups ${JSON.stringify(rg)}, ${[...seen].join(' ')}\n`);
  }
  if (total >= MAX_TOTAL) failures.push(`total ${total} bytes >= ${MAX_TOTAL}`);
  fs.writeFileSync(path.join(outDir, 'README.md'), readme(version, report, total));
  process.stdout.write(`total ${total} bytes in ${report.length * 2} files\n`);
  if (failures.length) {
    process.stderr.write(`pq_make_fixtures: FAILED\n  ${failures.join('\n  ')}\n`);
    return 1;
  }
  return 0;
}

function readme(version, report, total) {
  const L = [];
  L.push('# External-writer Parquet fixtures (written by DuckDB)', '');
  L.push('Generated by `node tests/oracle/pq_make_fixtures.mjs tests/data/parquet/external` — do not edit by hand;');
  L.push('re-run the script instead (it rewrites this README too). Output is deterministic for a given DuckDB version.', '');
  L.push(`- Writer: DuckDB ${version} (\`@duckdb/node-api\` 1.5.6-r.1), \`SET threads = 1\`, \`SET TimeZone = 'UTC'\`,`);
  L.push('  `SET preserve_insertion_order = true`.');
  L.push('- Each `NAME.expected.json` is `node tests/oracle/pq_oracle.mjs dump NAME.parquet`: DuckDB and hyparquet 1.33.0');
  L.push('  read the file independently and agreed on every value and on the footer metadata.');
  L.push('- Check a reader against one: emit the same JSON (any subset of keys) and run');
  L.push('  `node tests/oracle/pq_oracle.mjs compare NAME.parquet OURS.json`.');
  L.push(`- Total size: ${total} bytes.`, '');
  L.push('## The table', '');
  L.push(`${ROWS} rows (~3000 would make each .expected.json > 300 KB). Columns: \`id\` INTEGER (never NULL), \`c_bool\` BOOLEAN,`);
  L.push('`c_int` INTEGER, `c_bigint` BIGINT (incl. the ±2^63 limits and values near 2^63), `c_double` DOUBLE (NaN,');
  L.push('±Infinity, -0.0, 5e-324, DBL_MAX, DBL_MIN, 1e21, 1e-7), `c_dec9` DECIMAL(9,2) (INT32), `c_dec18` DECIMAL(18,4)');
  L.push('(INT64), `c_dec38` DECIMAL(38,10) (FIXED_LEN_BYTE_ARRAY(16); ±(10^38-1)/10^10 and values beyond 2^64),');
  L.push('`c_varchar` VARCHAR (empty, accented, combining mark, CJK, 4-byte emoji, 1.4 KB strings), `c_date` DATE');
  L.push('(0001-01-01 .. 9999-12-31, pre-1970), `c_tstz` TIMESTAMP WITH TIME ZONE (UTC, µs, 1900 .. 2262, pre-1970),');
  L.push('`c_null` INTEGER (all NULL). Every nullable column has NULLs at its own period, and `c_date` has a run of 32 NULLs');
  L.push(`per ${RG} rows. Edge values sit at \`i % ${RG} = 1..10\`, so each ${RG}-row group has them. Low-cardinality columns`);
  L.push('`c_int`, `c_double`, `c_dec9`, `c_varchar` get a dictionary when dictionaries are on; the others stay PLAIN / DELTA_*');
  L.push('(DuckDB drops the dictionary when a chunk has more distinct values than `DICTIONARY_SIZE_LIMIT`, by default');
  L.push('row-group rows / 5, and never dictionary-encodes the FIXED_LEN_BYTE_ARRAY `c_dec38`).', '');
  L.push('```sql', TABLE_SQL + ';', '```', '');
  L.push('## What DuckDB 1.5.6 can and cannot produce', '');
  L.push('- Codecs accepted by COPY: `uncompressed`, `snappy` (default), `gzip`, `zstd`, `brotli`, `lz4`, `lz4_raw`.');
  L.push('  `lz4` and `lz4_raw` both write codec **LZ4_RAW** (7); DuckDB never writes the deprecated Hadoop LZ4 (5)');
  L.push('  codec, and LZO is not offered.');
  L.push('- There is no "dictionary off" switch; `DICTIONARY_SIZE_LIMIT 0` does it.');
  L.push('- `PARQUET_VERSION V1` (default): PLAIN and PLAIN_DICTIONARY, footer version 1. `V2`: RLE_DICTIONARY,');
  L.push('  DELTA_BINARY_PACKED (INT32/INT64), DELTA_LENGTH_BYTE_ARRAY (strings), BYTE_STREAM_SPLIT (FLOAT/DOUBLE), footer');
  L.push('  version 2. BOOLEAN and FIXED_LEN_BYTE_ARRAY stay PLAIN in V2. DuckDB never writes DELTA_BYTE_ARRAY.');
  L.push('- **No DATA_PAGE_V2**: even with `PARQUET_VERSION V2` every data page header is a v1 DATA_PAGE (checked by');
  L.push('  walking the page headers). DATA_PAGE_V2 pages must come from another writer.');
  L.push('- BYTE_STREAM_SPLIT has no option of its own: DuckDB uses it for DOUBLE/FLOAT chunks of V2 files that are not');
  L.push('  dictionary-encoded (`c_double` in `v2_delta_bss_*`). It cannot be had in a V1 file.');
  L.push('- INT96 timestamps: DuckDB cannot write them (no COPY option; timestamps are always INT64). Not covered here.');
  L.push('- REQUIRED columns: DuckDB writes every column OPTIONAL, even NOT NULL ones. Not covered here.');
  L.push('- One data page per column chunk: DuckDB only starts a new page past ~100 MB, so multi-page chunks are not');
  L.push('  covered.');
  L.push(`- ROW_GROUP_SIZE only takes effect at 2048-row DataChunk boundaries (ROW_GROUP_SIZE ${RG} on this table still`);
  L.push(`  gives one group); the \`*_4rg\` files feed ${RG}-row pieces through \`UNION ALL\` to get ${SMALL_GROUPS.join('/')}.`);
  L.push('- DuckDB writes bloom filters for dictionary-encoded chunks (listed per file below); they sit between the column');
  L.push('  chunks, outside `total_compressed_size`.');
  L.push('- **DuckDB writer bug seen here**: a dictionary-encoded DOUBLE chunk treats 0.0 and -0.0 as one dictionary entry,');
  L.push('  and whichever of the two comes first in the chunk is written for both: in the one-group dictionary files the');
  L.push('  -0.0 rows read back as 0, and in the `*_dict_*_4rg` files the 0.0 rows of row groups 1 and 2 read back as -0.');
  L.push('  The .expected.json files describe the files as written (both readers agree); the PLAIN and BYTE_STREAM_SPLIT');
  L.push('  files keep the table\'s zeros.');
  L.push('- DuckDB\'s `parquet_metadata()` shows NULL for an infinite DOUBLE min/max. In the `*_4rg` files row group 1 of');
  L.push('  `c_double` has min -Infinity / max Infinity in the footer, so the dump takes them from the footer and says so');
  L.push('  in `notes`. Every other `c_double` chunk (all of them hold NaN) carries only a null count, no min/max:');
  L.push('  DuckDB is not consistent about min/max for chunks with NaN, so readers must cope with both.', '');
  L.push('## Files', '');
  L.push('Encodings are the column-chunk `encodings` list from `parquet_metadata()` (DuckDB lists only value');
  L.push('encodings, not the RLE used for definition levels). Page types come from walking the page headers');
  L.push('(`page_types` in the dump; `parquet_metadata()` does not show them).', '');
  for (const { f, copy, perColumn, rg, sizes, bloom } of report) {
    L.push(`### ${f.name}.parquet`, '');
    L.push(`${sizes[0]} bytes (+ ${sizes[1]} bytes of .expected.json); ${rg.length} row group(s): ${rg.join(' / ')} rows.`, '');
    L.push('```sql', copy + ';', '```', '');
    const codecs = [...new Set(perColumn.flatMap((c) => c.codecs))];
    L.push(`- codec: ${codecs.join(', ')}`);
    const byEnc = new Map();
    for (const c of perColumn) {
      const key = `${c.encodings || '(none)'} — pages ${c.pages}`;
      byEnc.set(key, [...(byEnc.get(key) ?? []), c.name]);
    }
    for (const [k, cols] of byEnc) L.push(`- ${k}: ${cols.map((n) => '`' + n + '`').join(', ')}`);
    L.push(`- bloom filters: ${bloom.length ? bloom.map((n) => '`' + n + '`').join(', ') : 'none'}`);
    L.push('');
  }
  return L.join('\n');
}

main().then((code) => { process.exitCode = code; }, (e) => {
  process.stderr.write(`pq_make_fixtures: ${e.stack ?? e.message}\n`);
  process.exitCode = 1;
});
