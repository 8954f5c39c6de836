// e2e_oracle.mjs - the headline gold numbers of a lake built by `medallion run`, checked
// against DuckDB recomputing them straight from the landing files (tests/e2e/test_e2e_run.sh).
//
// Nothing here reads bronze or silver, or the model SQL: DuckDB parses the landing CSV and
// JSON files itself and applies the rules as docs/landing.md and docs/models.md state them:
//   rows        a CSV record with the wrong number of fields, a value that is not of its
//               column's type (written the way the sources write it: integers as digits,
//               decimals with at most the column's scale, dates YYYY-MM-DD, timestamps
//               YYYY-MM-DD HH:MM:SS[.fff]) or a missing value in a non-nullable column is
//               quarantined by ingestion, so it is dropped here too; an FX record without a
//               rate likewise.
//   orders      snapshot and daily CDC files together: per order_id the version with the
//               latest UPDATED_AT (late updates lose to newer versions; equal times: the
//               greater file name), orders whose surviving version is a DELETE removed;
//               orphan customers / products and future dates are kept.
//   FX          per currency, the vendor's rate of the latest day at or before the order
//               date (weekends and gaps carried forward, dates after the feed's end take its
//               last rate, dates before the first rate have none); USD per unit is the rate
//               when quoted X/USD and 1/rate when quoted USD/X (the USD-based quote wins a
//               day with both); USD = 1. amount_usd = total_amount * rate as one DOUBLE
//               product cast to DECIMAL(18,2).
//   customers   one dimension row per valid customer id, one per valid product id; ids that
//               only orders name are orphans (customer_360 / product_performance rows with
//               is_orphan), value segments by spend: 10000 / 2500 / 500 / > 0.
// The rows left out are checked against MANIFEST.json's counts of injected unparsable
// records and values, so the oracle drops exactly the defective rows, no more.
// The gold side is read with `medallion query --csv`: what an analyst would see.
//   node tests/oracle/e2e_oracle.mjs MEDALLION LAKE LANDING
// Exit 0 when every number matches, 1 otherwise (each mismatch on a FAIL line), 2 usage.
import { DuckDBInstance } from '@duckdb/node-api';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [mdl, lake, landing] = process.argv.slice(2);
if (!mdl || !lake || !landing) {
  console.error('usage: node e2e_oracle.mjs MEDALLION LAKE LANDING');
  process.exit(2);
}
const q = (s) => `'${s.replaceAll("'", "''")}'`;
const ident = (s) => `"${s.replaceAll('"', '""')}"`;

function landingFiles(dir, re) {
  const d = path.join(landing, dir);
  const files = fs.existsSync(d) ? fs.readdirSync(d).filter((f) => re.test(f)).sort() : [];
  if (files.length === 0) throw new Error(`no landing files ${dir}/${re}`);
  return files.map((f) => path.join(d, f));
}

// ---- the landing files as the contracts describe them ----------------------------------
// [file column, type, nullable]; types: s string, i integer, d<S> decimal with scale S,
// date, ts timestamp, b boolean.
const ORDERS = [
  ['ORDER_ID', 's', false], ['CUSTOMER_ID', 's', false], ['PRODUCT_ID', 's', false],
  ['ORDER_DATE', 'date', false], ['ORDER_TS', 'ts', true], ['QUANTITY', 'i', true],
  ['UNIT_PRICE', 'd2', true], ['DISCOUNT_PCT', 'd2', true], ['TAX_AMOUNT', 'd2', true],
  ['SHIPPING_COST', 'd2', true], ['TOTAL_AMOUNT', 'd2', true], ['CURRENCY', 's', false],
  ['PAYMENT_METHOD', 's', true], ['STATUS', 's', true], ['CHANNEL', 's', true],
  ['OP', 's', false], ['UPDATED_AT', 'ts', false],
];
const CUSTOMERS = [
  ['CUSTOMER_ID', 's', false], ['FIRST_NAME', 's', true], ['LAST_NAME', 's', true],
  ['EMAIL', 's', true], ['PHONE', 's', true], ['ADDRESS', 's', true], ['CITY', 's', true],
  ['STATE', 's', true], ['COUNTRY', 's', true], ['ZIP_CODE', 's', true],
  ['REGISTRATION_DATE', 'date', true], ['GENDER', 's', true], ['AGE', 'i', true],
  ['CUSTOMER_SEGMENT', 's', true], ['PREFERRED_CHANNEL', 's', true],
  ['CREATED_AT', 'ts', true], ['UPDATED_AT', 'ts', true],
];
const PRODUCTS = [
  ['PRODUCT_ID', 's', false], ['SKU', 's', true], ['PRODUCT_NAME', 's', true],
  ['CATEGORY', 's', true], ['SUBCATEGORY', 's', true], ['BRAND', 's', true],
  ['PRICE_USD', 'd2', true], ['COST_USD', 'd2', true], ['ACTIVE', 'b', true],
  ['STOCK_QUANTITY', 'i', true], ['CREATED_AT', 'ts', true], ['UPDATED_AT', 'ts', true],
];

// The text of a value of each type as the sources write it, and DuckDB's cast for the
// calendar check (2024-02-30 matches the pattern but is no date).
function valid(col, type) {
  const c = ident(col);
  switch (type) {
    case 's': return 'TRUE';
    case 'i': return `regexp_full_match(${c}, '[+-]?[0-9]+') AND TRY_CAST(${c} AS INTEGER) IS NOT NULL`;
    case 'date': return `regexp_full_match(${c}, '[0-9]{4}-[0-9]{2}-[0-9]{2}') AND TRY_CAST(${c} AS DATE) IS NOT NULL`;
    case 'ts': return `regexp_full_match(${c}, '[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]{1,6})?Z?') AND TRY_CAST(${c} AS TIMESTAMP) IS NOT NULL`;
    case 'b': return `lower(${c}) IN ('true', 'false')`;
    default: {
      const scale = Number(type.slice(1));
      return `regexp_full_match(${c}, '[+-]?[0-9]+([.][0-9]{1,${scale}})?') AND TRY_CAST(${c} AS DECIMAL(18,${scale})) IS NOT NULL`;
    }
  }
}
const rowOk = (cols) => cols.map(([c, t, nullable]) => (nullable
  ? `(${ident(c)} IS NULL OR (${valid(c, t)}))`
  : `(${ident(c)} IS NOT NULL AND ${valid(c, t)})`)).join('\n   AND ');

// read_csv with every column as text; records with too few or too many fields are left out
// by DuckDB's own parser (ignore_errors), as ingestion quarantines them.
const readCsv = (files, cols) => `read_csv([${files.map(q).join(', ')}],
    header = true, delim = ',', quote = '"', escape = '"', nullstr = '',
    auto_detect = false, ignore_errors = true, null_padding = false, filename = true,
    columns = {${cols.map(([c]) => `${q(c)}: 'VARCHAR'`).join(', ')}})`;

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run("SET TimeZone = 'UTC'");
const all = async (sql) => (await con.runAndReadAll(sql)).getRowsJson();

const orderFiles = [...landingFiles('snowflake/orders', /^orders_\d+\.csv$/),
  ...landingFiles('snowflake/orders/changes', /^orders_changes_\d{4}-\d\d-\d\d\.csv$/)];
await con.run(`CREATE TABLE orders_raw AS SELECT * FROM ${readCsv(orderFiles, ORDERS)}`);
await con.run(`CREATE TABLE orders_ok AS
  SELECT ORDER_ID AS order_id, CUSTOMER_ID AS customer_id, PRODUCT_ID AS product_id,
         CAST(ORDER_DATE AS DATE) AS order_date, CAST(QUANTITY AS INTEGER) AS quantity,
         CAST(TOTAL_AMOUNT AS DECIMAL(18,2)) AS total_amount, CURRENCY AS currency,
         STATUS AS status, OP AS op, CAST(UPDATED_AT AS TIMESTAMP) AS updated_at,
         filename AS file
  FROM orders_raw
  WHERE ${rowOk(ORDERS)}`);
// CDC: the newest version of every order wins; DELETE removes the order.
await con.run(`CREATE TABLE orders_cur AS
  SELECT * EXCLUDE (rn) FROM (
    SELECT *, row_number() OVER (PARTITION BY order_id ORDER BY updated_at DESC, file DESC) AS rn
    FROM orders_ok)
  WHERE rn = 1 AND op <> 'DELETE'`);

await con.run(`CREATE TABLE customers_raw AS
  SELECT * FROM ${readCsv(landingFiles('snowflake/customers', /^customers_\d+\.csv$/), CUSTOMERS)}`);
await con.run(`CREATE TABLE customers_ok AS SELECT CUSTOMER_ID AS customer_id FROM customers_raw
  WHERE ${rowOk(CUSTOMERS)}`);
await con.run(`CREATE TABLE products_raw AS
  SELECT * FROM ${readCsv(landingFiles('snowflake/products', /^products_\d+\.csv$/), PRODUCTS)}`);
await con.run(`CREATE TABLE products_ok AS SELECT PRODUCT_ID AS product_id FROM products_raw
  WHERE ${rowOk(PRODUCTS)}`);

// FX: the vendor documents, records under "rates", every value a JSON string.
await con.run(`CREATE TABLE fx_raw AS
  SELECT unnest(json_extract(content, '$.rates[*]')) AS r
  FROM read_text([${landingFiles('fx', /^rates_\d{4}-\d\d\.json$/).map(q).join(', ')}])`);
await con.run(`CREATE TABLE fx_ok AS
  WITH rec AS (
    SELECT r->>'date' AS d, r->>'base' AS base, r->>'quote' AS quote, r->>'rate' AS rate,
           r->>'bid' AS bid, r->>'ask' AS ask
    FROM fx_raw)
  SELECT * FROM rec
  WHERE d IS NOT NULL AND base IS NOT NULL AND quote IS NOT NULL AND rate IS NOT NULL
    AND ${valid('d', 'date')} AND ${valid('rate', 'd6')}
    AND (bid IS NULL OR ${valid('bid', 'd6')}) AND (ask IS NULL OR ${valid('ask', 'd6')})`);
await con.run(`CREATE TABLE fx_day AS
  WITH usd AS (
    SELECT CAST(d AS DATE) AS rate_date,
           CASE WHEN quote = 'USD' THEN base ELSE quote END AS currency,
           CASE WHEN quote = 'USD' THEN CAST(rate AS DOUBLE) ELSE 1 / CAST(rate AS DOUBLE) END AS usd_rate,
           base = 'USD' AS usd_based
    FROM fx_ok
    WHERE CAST(rate AS DOUBLE) > 0 AND base <> quote AND 'USD' IN (base, quote))
  SELECT rate_date, currency, usd_rate FROM (
    SELECT *, row_number() OVER (PARTITION BY rate_date, currency
                                 ORDER BY usd_based DESC, usd_rate DESC) AS rn
    FROM usd)
  WHERE rn = 1`);

// The fact: every current order with its as-of rate, USD amount and dimension matches.
await con.run(`CREATE TABLE fact AS
  SELECT o.*,
         CASE WHEN o.currency = 'USD' THEN CAST(1 AS DOUBLE) ELSE f.usd_rate END AS fx_rate,
         CASE WHEN o.currency = 'USD' THEN o.total_amount
              ELSE CAST(CAST(o.total_amount AS DOUBLE) * f.usd_rate AS DECIMAL(18,2)) END AS amount_usd,
         o.customer_id NOT IN (SELECT customer_id FROM customers_ok) AS customer_orphan,
         o.product_id NOT IN (SELECT product_id FROM products_ok) AS product_orphan
  FROM orders_cur o
  ASOF LEFT JOIN fx_day f ON f.currency = o.currency AND o.order_date >= f.rate_date`);

// What the oracle leaves out must be exactly the rows the generator made unreadable: its
// MANIFEST.json counts, per set, the records cut short (a wrong field count; an FX record
// without its rate) and the records with an unparsable value.
const manifest = JSON.parse(fs.readFileSync(path.join(landing, 'MANIFEST.json'), 'utf8'));
const injected = (prefix, cls) => manifest.sets.filter((x) => x.set === prefix || x.set.startsWith(`${prefix}/`))
  .reduce((n, x) => n + x.defects[cls], 0);
const records = (prefix) => manifest.sets.filter((x) => x.set === prefix || x.set.startsWith(`${prefix}/`))
  .reduce((n, x) => n + x.rows, 0);
const count = async (t) => Number((await all(`SELECT count(*) FROM ${t}`))[0][0]);
let failed = 0;
for (const [set, raw, ok] of [['snowflake/orders', 'orders_raw', 'orders_ok'],
  ['snowflake/customers', 'customers_raw', 'customers_ok'], ['snowflake/products', 'products_raw', 'products_ok'],
  ['fx', 'fx_raw', 'fx_ok']]) {
  const total = records(set), nRaw = await count(raw), nOk = await count(ok);
  // CSV: a cut record never reaches the raw table; FX: every record is read, the cut ones
  // have no rate
  const cut = set === 'fx' ? await count("fx_raw WHERE r->>'rate' IS NULL") : total - nRaw;
  const bad = nRaw - nOk - (set === 'fx' ? cut : 0);
  const want = [injected(set, 'unparsable_record'), injected(set, 'unparsable_value')];
  const line = `landing ${set}: ${total} records, ${cut} cut short, ${bad} with an unparsable value, ${nOk} kept`;
  if (cut === want[0] && bad === want[1] && (set !== 'fx' || nRaw === total)) console.log(`ok   ${line}`);
  else { console.log(`FAIL ${line}; MANIFEST.json injected ${want[0]} and ${want[1]}`); failed++; }
}

// ---- the numbers ---------------------------------------------------------------------------
// Each check: key columns (k), value kinds (int, dec = exact to the cent, date, text), the
// query over the gold tables (medallion) and the recomputation over the landing (DuckDB),
// both returning the key columns then the values, in the same order.
const segment = (x) => `CASE WHEN ${x} >= 10000 THEN 'PLATINUM' WHEN ${x} >= 2500 THEN 'GOLD'
                             WHEN ${x} >= 500 THEN 'SILVER' WHEN ${x} > 0 THEN 'BRONZE' ELSE 'NONE' END`;
const checks = [
  {
    name: 'fact_orders', k: 0,
    cols: ['orders', 'revenue_usd', 'orders_without_fx_rate', 'orphan_customer_orders',
      'orphan_product_orders', 'first_order_date', 'last_order_date'],
    kinds: ['int', 'dec', 'int', 'int', 'int', 'date', 'date'],
    gold: `SELECT count(*), sum(amount_usd), sum(CASE WHEN fx_rate IS NULL THEN 1 ELSE 0 END),
                  sum(CASE WHEN customer_sk = -1 THEN 1 ELSE 0 END),
                  sum(CASE WHEN product_sk = -1 THEN 1 ELSE 0 END), min(order_date), max(order_date)
           FROM gold.fact_orders`,
    oracle: `SELECT count(*), sum(amount_usd), count(*) - count(fx_rate),
                    count(*) FILTER (WHERE customer_orphan), count(*) FILTER (WHERE product_orphan),
                    min(order_date), max(order_date)
             FROM fact`,
  },
  {
    name: 'revenue per year', k: 1, cols: ['year', 'orders', 'revenue_usd'], kinds: ['int', 'int', 'dec'],
    gold: 'SELECT year(order_date) AS y, count(*), sum(amount_usd) FROM gold.fact_orders GROUP BY year(order_date)',
    oracle: 'SELECT year(order_date), count(*), sum(amount_usd) FROM fact GROUP BY 1',
  },
  {
    name: 'bookings per currency', k: 1,
    cols: ['currency', 'orders', 'total_amount_local', 'revenue_usd'], kinds: ['text', 'int', 'dec', 'dec'],
    gold: 'SELECT currency, count(*), sum(total_amount), sum(amount_usd) FROM gold.fact_orders GROUP BY currency',
    oracle: 'SELECT currency, count(*), sum(total_amount), sum(amount_usd) FROM fact GROUP BY 1',
  },
  {
    name: 'orders per status', k: 1, cols: ['status', 'orders', 'revenue_usd'], kinds: ['text', 'int', 'dec'],
    gold: 'SELECT status, count(*), sum(amount_usd) FROM gold.fact_orders GROUP BY status',
    oracle: 'SELECT status, count(*), sum(amount_usd) FROM fact GROUP BY 1',
  },
  {
    name: 'customer_360', k: 1, cols: ['is_orphan', 'customers', 'orders', 'total_spend_usd'],
    kinds: ['text', 'int', 'int', 'dec'],
    gold: 'SELECT is_orphan, count(*), sum(order_count), sum(total_spend_usd) FROM gold.customer_360 GROUP BY is_orphan',
    oracle: `WITH spend AS (SELECT customer_id, count(*) AS n, coalesce(sum(amount_usd), 0) AS usd
                          FROM fact GROUP BY 1),
                  ids AS (SELECT DISTINCT customer_id, false AS is_orphan FROM customers_ok
                          UNION ALL
                          SELECT customer_id, true FROM spend
                          WHERE customer_id NOT IN (SELECT customer_id FROM customers_ok))
             SELECT i.is_orphan, count(*), coalesce(sum(s.n), 0), coalesce(sum(s.usd), 0)
             FROM ids i LEFT JOIN spend s USING (customer_id) GROUP BY 1`,
  },
  {
    name: 'customers per value segment', k: 1, cols: ['value_segment', 'customers', 'total_spend_usd'],
    kinds: ['text', 'int', 'dec'],
    gold: `SELECT value_segment, count(*), sum(total_spend_usd) FROM gold.customer_360
           WHERE NOT is_orphan GROUP BY value_segment`,
    oracle: `WITH spend AS (SELECT c.customer_id, coalesce(sum(f.amount_usd), 0) AS usd
                          FROM (SELECT DISTINCT customer_id FROM customers_ok) c
                          LEFT JOIN fact f USING (customer_id) GROUP BY 1)
             SELECT ${segment('usd')} AS seg, count(*), sum(usd) FROM spend GROUP BY 1`,
  },
  {
    name: 'product_performance', k: 1,
    cols: ['is_orphan', 'products', 'orders', 'units_sold', 'revenue_usd'],
    kinds: ['text', 'int', 'int', 'int', 'dec'],
    gold: `SELECT is_orphan, count(*), sum(order_count), sum(units_sold), sum(revenue_usd)
           FROM gold.product_performance GROUP BY is_orphan`,
    oracle: `WITH sales AS (SELECT product_id, count(*) AS n, sum(quantity) AS units,
                                 coalesce(sum(amount_usd), 0) AS usd
                          FROM fact GROUP BY 1),
                  ids AS (SELECT DISTINCT product_id, false AS is_orphan FROM products_ok
                          UNION ALL
                          SELECT product_id, true FROM sales
                          WHERE product_id NOT IN (SELECT product_id FROM products_ok))
             SELECT i.is_orphan, count(*), coalesce(sum(s.n), 0), coalesce(sum(s.units), 0),
                    coalesce(sum(s.usd), 0)
             FROM ids i LEFT JOIN sales s USING (product_id) GROUP BY 1`,
  },
  {
    name: 'dim_customer', k: 0, cols: ['current_customers'], kinds: ['int'],
    gold: 'SELECT count(*) FROM gold.dim_customer WHERE is_current',
    oracle: 'SELECT count(DISTINCT customer_id) FROM customers_ok',
  },
  {
    name: 'dim_product', k: 0, cols: ['current_products'], kinds: ['int'],
    gold: 'SELECT count(*) FROM gold.dim_product WHERE is_current',
    oracle: 'SELECT count(DISTINCT product_id) FROM products_ok',
  },
];

// ---- comparison --------------------------------------------------------------------------
// Values in one text form per kind: integers without a fraction, decimals with exactly two
// fraction digits (more non-zero digits are kept, so they cannot match), dates YYYY-MM-DD.
function norm(v, kind) {
  if (v === null || v === undefined || v === '') return 'NULL';
  const s = String(v).trim();
  if (kind === 'int' && /^-?\d+$/.test(s)) return BigInt(s).toString();
  if (kind === 'dec') {
    const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
    if (!m) return s;
    const frac = (m[3] ?? '').padEnd(2, '0');
    if (/[1-9]/.test(frac.slice(2))) return s;
    const cents = BigInt(m[2] + frac.slice(0, 2));
    const neg = m[1] === '-' && cents !== 0n;
    return `${neg ? '-' : ''}${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
  }
  if (kind === 'date') return s.slice(0, 10);
  return s;
}

function gold(sql) {
  const p = spawnSync(mdl, ['query', '--lake', lake, '--csv', sql], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (p.status !== 0) throw new Error(`medallion query failed: ${p.stderr.trim()}\n  ${sql}`);
  const lines = p.stdout.split('\n').filter((l) => l !== '');
  return lines.slice(1).map((l) => l.split(','));
}

for (const c of checks) {
  const toMap = (rows, side) => {
    const m = new Map();
    for (const row of rows) {
      if (row.length !== c.cols.length) throw new Error(`${c.name} (${side}): ${row.length} columns, expected ${c.cols.length}`);
      const vals = row.map((v, i) => norm(v, c.kinds[i]));
      m.set(vals.slice(0, c.k).join('|'), vals.slice(c.k));
    }
    return m;
  };
  const mine = toMap(gold(c.gold), 'gold');
  const theirs = toMap(await all(c.oracle), 'oracle');
  const keys = [...new Set([...mine.keys(), ...theirs.keys()])].sort();
  for (const key of keys) {
    const a = mine.get(key), b = theirs.get(key);
    for (let i = c.k; i < c.cols.length; i++) {
      const label = `${c.name}${key ? `[${key}]` : ''} ${c.cols[i]}`;
      const x = a ? a[i - c.k] : '(no row)', y = b ? b[i - c.k] : '(no row)';
      if (x === y) console.log(`ok   ${label} = ${x}`);
      else { console.log(`FAIL ${label}: gold ${x}, landing oracle ${y}`); failed++; }
    }
  }
}
console.log(failed ? `${failed} number(s) differ` : 'every gold number matches the landing oracle');
process.exit(failed ? 1 : 0);
