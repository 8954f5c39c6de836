// bronze_oracle.mjs - checks a lake that `medallion ingest` wrote against the landing zone
// `medallion generate` wrote, independently of medallion's readers: every table's log is
// replayed here (JSON commits, from the checkpoint _last_checkpoint names when there is one)
// and DuckDB reads the active Parquet files.
//
// Per landing file (MANIFEST.json): rows in bronze + rows in quarantine = rows in the file,
// and rows in quarantine = the unparsable values and records the generator injected.
// Sums, "landing minus quarantine": for the Snowflake orders CSV files, the lines quarantine
// does not list are handed to DuckDB's own CSV reader, and its count and sums of QUANTITY and
// TOTAL_AMOUNT must equal bronze's; for the FX documents, the records quarantine does not
// list, read by DuckDB's JSON reader, must give bronze's count and sum of rates.
//   node tests/oracle/bronze_oracle.mjs LANDING LAKE
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [landing, lake] = process.argv.slice(2);
const q = (s) => `'${s.replaceAll("'", "''")}'`;
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run('SET threads = 1');
const rows = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson();
let failures = 0;
const fail = (msg) => { console.error(`MISMATCH ${msg}`); failures++; };

// The active data files of a Delta table, by its own log.
async function activeFiles(dir) {
  const log = path.join(dir, '_delta_log');
  const active = new Set();
  let from = 0;
  const lc = path.join(log, '_last_checkpoint');
  if (fs.existsSync(lc)) {
    const v = JSON.parse(fs.readFileSync(lc, 'utf8')).version;
    const cp = path.join(log, `${String(v).padStart(20, '0')}.checkpoint.parquet`);
    for (const r of await rows(`SELECT add.path AS p FROM read_parquet(${q(cp)}) WHERE add IS NOT NULL`))
      active.add(decodeURIComponent(r.p));
    from = v + 1;
  }
  const commits = fs.readdirSync(log).filter((f) => /^\d{20}\.json$/.test(f)).sort();
  for (const f of commits) {
    if (Number(f.slice(0, 20)) < from) continue;
    for (const line of fs.readFileSync(path.join(log, f), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const a = JSON.parse(line);
      if (a.add) active.add(decodeURIComponent(a.add.path));
      if (a.remove) active.delete(decodeURIComponent(a.remove.path));
    }
  }
  return [...active].map((p) => path.join(dir, p));
}
const list = (files) => `[${files.map(q).join(',')}]`;

const manifest = JSON.parse(fs.readFileSync(path.join(landing, 'MANIFEST.json'), 'utf8'));
const bronzeByFile = new Map(), quarantineLines = new Map();
const tables = fs.readdirSync(path.join(lake, 'bronze')).sort();
const bronzeFiles = {};
for (const t of tables) {
  const files = await activeFiles(path.join(lake, 'bronze', t));
  bronzeFiles[t] = files;
  if (files.length)
    for (const r of await rows(`SELECT _source_file AS f, count(*) AS n FROM read_parquet(${list(files)}) GROUP BY 1`))
      bronzeByFile.set(r.f, Number(r.n));
  const qdir = path.join(lake, 'quarantine', t);
  const qfiles = fs.existsSync(qdir) ? await activeFiles(qdir) : [];
  if (qfiles.length)
    for (const r of await rows(`SELECT _source_file AS f, _source_line AS l FROM read_parquet(${list(qfiles)})`)) {
      if (!quarantineLines.has(r.f)) quarantineLines.set(r.f, new Set());
      quarantineLines.get(r.f).add(Number(r.l));
    }
}

// counts per landing file
let files = 0, landed = 0, quarantined = 0;
for (const f of manifest.files) {
  const b = bronzeByFile.get(f.path) ?? 0;
  const qn = quarantineLines.get(f.path)?.size ?? 0;
  const injected = (f.defects.unparsable_value ?? 0) + (f.defects.unparsable_record ?? 0);
  if (b + qn !== f.rows) fail(`${f.path}: ${b} in bronze + ${qn} in quarantine != ${f.rows} rows landed`);
  if (qn !== injected) fail(`${f.path}: ${qn} quarantined, but ${injected} unparsable rows were injected`);
  files++; landed += f.rows; quarantined += qn;
}

// orders: landing minus quarantine, read by DuckDB, against bronze
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bronze-oracle-'));
const kept = [];
for (const f of manifest.files.filter((x) => x.path.startsWith('snowflake/orders/'))) {
  const lines = fs.readFileSync(path.join(landing, f.path), 'utf8').split('\n');
  const bad = quarantineLines.get(f.path) ?? new Set();
  const out = path.join(tmp, `${kept.length}.csv`);
  fs.writeFileSync(out, lines.filter((l, i) => i === 0 || (l !== '' && !bad.has(i + 1))).join('\n') + '\n');
  kept.push(out);
}
const [lo] = await rows(`SELECT count(*) AS n, sum(CAST(QUANTITY AS BIGINT)) AS qty,
  sum(CAST(TOTAL_AMOUNT AS DECIMAL(18,2)))::VARCHAR AS total
  FROM read_csv(${list(kept)}, header = true, all_varchar = true)`);
const [bo] = await rows(`SELECT count(*) AS n, sum(quantity) AS qty, sum(total_amount)::VARCHAR AS total
  FROM read_parquet(${list(bronzeFiles.snowflake_orders)})`);
for (const k of ['n', 'qty', 'total'])
  if (String(lo[k]) !== String(bo[k])) fail(`snowflake_orders ${k}: landing minus quarantine ${lo[k]}, bronze ${bo[k]}`);

// FX: the records quarantine does not list
const fx = manifest.files.filter((x) => x.path.startsWith('fx/'));
let fxRows = 0, fxSum = 0n;
for (const f of fx) {
  const doc = JSON.parse(fs.readFileSync(path.join(landing, f.path), 'utf8'));
  const bad = quarantineLines.get(f.path) ?? new Set();
  const good = doc.rates.filter((r, i) => !bad.has(i + 1));
  const out = path.join(tmp, 'fx.json');
  fs.writeFileSync(out, JSON.stringify(good));
  const [r] = await rows(`SELECT count(*) AS n, coalesce(sum(CAST(rate AS DECIMAL(18,6))), 0)::VARCHAR AS s
    FROM read_json(${q(out)}, columns = {rate: 'VARCHAR'})`);
  fxRows += Number(r.n);
  fxSum += BigInt(r.s.replace('.', ''));
}
const [bf] = await rows(`SELECT count(*) AS n, sum(rate)::VARCHAR AS s FROM read_parquet(${list(bronzeFiles.fx_rates)})`);
if (fxRows !== Number(bf.n)) fail(`fx_rates rows: landing minus quarantine ${fxRows}, bronze ${bf.n}`);
if (fxSum !== BigInt(bf.s.replace('.', ''))) fail(`fx_rates sum(rate): landing minus quarantine ${fxSum}, bronze ${bf.s}`);
fs.rmSync(tmp, { recursive: true, force: true });

console.log(`${files} landing files, ${landed} rows: ${landed - quarantined} in bronze, ${quarantined} in quarantine`);
console.log(`snowflake_orders: ${bo.n} rows, sum(quantity) ${bo.qty}, sum(total_amount) ${bo.total} (DuckDB over landing minus quarantine: ${lo.n}, ${lo.qty}, ${lo.total})`);
console.log(`fx_rates: ${bf.n} rows, sum(rate) ${bf.s}`);
if (failures) { console.error(`${failures} mismatch(es)`); process.exit(1); }
console.log('bronze agrees with the landing zone');
