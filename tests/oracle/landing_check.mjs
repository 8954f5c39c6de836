// landing_check.mjs - checks a landing zone written by `medallion generate` against
// docs/landing.md with DuckDB (and plain JavaScript for the JSON sources): row counts match
// MANIFEST.json, keys are consistent across sources (orphans exactly where the manifest says),
// Kafka events carry their order's customer, amount and currency, FX covers every order
// currency on weekdays only with both quote directions, amounts are per-currency (JPY without
// fraction), and the injected defects are present where the manifest counts them.
//   node tests/oracle/landing_check.mjs DIR
// Prints "ok ..." / "FAIL ..." lines; exits 1 when any check fails.
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';

const dir = process.argv[2];
const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'MANIFEST.json'), 'utf8'));
let fails = 0;
const check = (name, cond, detail = '') => {
  if (cond) console.log(`ok   ${name}`);
  else {
    console.log(`FAIL ${name} ${detail}`);
    fails++;
  }
};
const set = (name) => manifest.sets.find((s) => s.set === name);
const defects = (name) => set(name).defects;

// ---- row counts: every file's data lines (FX: rate entries) match the manifest
for (const f of manifest.files) {
  const text = fs.readFileSync(path.join(dir, f.path), 'utf8');
  let rows;
  if (f.path.endsWith('.json')) rows = (text.match(/\{"date"/g) || []).length;
  else {
    const lines = text.split('\n').filter((l) => l.length > 0).length;
    rows = f.path.endsWith('.csv') ? lines - 1 : lines;
  }
  if (rows !== f.rows) check(`rows ${f.path}`, false, `file has ${rows}, manifest ${f.rows}`);
}
check('row counts match MANIFEST.json', fails === 0);

const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
await con.run('SET threads = 1');
const q = (s) => `'${s.replaceAll("'", "''")}'`;
const all = async (sql) => (await con.runAndReadAll(sql)).getRowObjects();
const one = async (sql) => {
  const rows = await all(sql);
  const v = Object.values(rows[0])[0];
  return typeof v === 'bigint' ? Number(v) : v;
};
// every field as text; a line with too few fields (an injected unparsable record) is skipped
const csv = (glob, delim = ',') =>
  `read_csv(${q(path.join(dir, glob))}, header = true, delim = ${q(delim)}, quote = '"', escape = '"', all_varchar = true, ignore_errors = true, null_padding = false)`;
await con.run(`CREATE TABLE customers AS SELECT * FROM ${csv('snowflake/customers/customers_*.csv')}`);
await con.run(`CREATE TABLE products AS SELECT * FROM ${csv('snowflake/products/products_*.csv')}`);
await con.run(`CREATE TABLE orders AS SELECT * FROM ${csv('snowflake/orders/orders_*.csv')}`);
await con.run(`CREATE TABLE changes AS SELECT *, filename AS f FROM read_csv(${q(path.join(dir, 'snowflake/orders/changes/*.csv'))}, header = true, delim = ',', quote = '"', escape = '"', all_varchar = true, ignore_errors = true, filename = true)`);
await con.run(`CREATE TABLE accounts AS SELECT * FROM ${csv('crm/accounts.csv')}`);
await con.run(`CREATE TABLE contacts AS SELECT * FROM ${csv('crm/contacts.csv')}`);
await con.run(`CREATE TABLE opps AS SELECT * FROM ${csv('crm/opportunities.csv')}`);
await con.run(`CREATE TABLE behavior AS SELECT * FROM ${csv('redshift/behavior/behavior_*.csv', '|')}`);

// ---- keys: the ids a file holds are the first fields of its lines (a cut line keeps its id)
const ids = (glob) =>
  `(SELECT split_part(l, ',', 1) AS id FROM (SELECT unnest(string_split(content, chr(10))) AS l FROM read_text(${q(path.join(dir, glob))})) WHERE l <> '')`;
await con.run(`CREATE TABLE customer_ids AS SELECT * FROM ${ids('snowflake/customers/customers_*.csv')}`);
await con.run(`CREATE TABLE product_ids AS SELECT * FROM ${ids('snowflake/products/products_*.csv')}`);
await con.run(`CREATE TABLE account_ids AS SELECT * FROM ${ids('crm/accounts.csv')}`);
await con.run(`CREATE TABLE contact_ids AS SELECT * FROM ${ids('crm/contacts.csv')}`);
const ordOrphans = await one(`SELECT count(*) FROM orders o WHERE o.CUSTOMER_ID NOT IN (SELECT id FROM customer_ids) OR o.PRODUCT_ID NOT IN (SELECT id FROM product_ids)`);
check('orders: orphans = manifest orphan_key', ordOrphans === defects('snowflake/orders').orphan_key,
  `${ordOrphans} vs ${defects('snowflake/orders').orphan_key}`);
const conOrphans = await one(`SELECT count(*) FROM contacts WHERE AccountId NOT IN (SELECT id FROM account_ids)`);
check('contacts: orphans = manifest orphan_key', conOrphans === defects('crm/contacts').orphan_key,
  `${conOrphans} vs ${defects('crm/contacts').orphan_key}`);
const behOrphans = await one(`SELECT count(*) FROM behavior WHERE customer_id NOT IN (SELECT id FROM customer_ids)`);
check('behavior: orphans = manifest orphan_key', behOrphans === defects('redshift/behavior').orphan_key,
  `${behOrphans} vs ${defects('redshift/behavior').orphan_key}`);
check('accounts are customers (account i = customer i)',
  (await one(`SELECT count(*) FROM account_ids WHERE id <> 'Id' AND id NOT IN (SELECT id FROM customer_ids)`)) === 0 &&
  (await one(`SELECT count(*) FROM accounts a JOIN customers c ON a.Id = c.CUSTOMER_ID WHERE a.BillingCountry <> c.COUNTRY`)) === 0);
check('opportunities reference accounts',
  (await one(`SELECT count(*) FROM opps WHERE AccountId NOT IN (SELECT id FROM account_ids)`)) === 0);
check('opportunity contacts belong to the same account',
  (await one(`SELECT count(*) FROM opps o JOIN contacts c ON o.ContactId = c.Id WHERE c.AccountId <> o.AccountId`)) === 0 &&
  (await one(`SELECT count(*) FROM opps WHERE ContactId IS NOT NULL AND ContactId NOT IN (SELECT id FROM contact_ids)`)) === 0);
const hot = await one(`SELECT count(*) FILTER (WHERE CAST(substr(CUSTOMER_ID, 6) AS BIGINT) <= greatest(1, (SELECT count(*) FROM customers) * 5 // 100)) / count(*) FROM orders`);
check('orders: most go to the first 5% of customers', hot > 0.6, `share ${hot}`);

// ---- amounts
check('JPY amounts have no fraction',
  (await one(`SELECT count(*) FROM orders WHERE CURRENCY = 'JPY' AND (regexp_matches(UNIT_PRICE, '^[0-9]+\\.[0-9]+$') OR regexp_matches(TOTAL_AMOUNT, '^[0-9]+\\.[0-9]+$'))`)) === 0);
check('other amounts have 2 fraction digits',
  (await one(`SELECT count(*) FROM orders WHERE CURRENCY <> 'JPY' AND regexp_matches(TOTAL_AMOUNT, '^[0-9]+$')`)) === 0);
const ratio = await one(`SELECT avg(TRY_CAST(UNIT_PRICE AS DOUBLE)) FILTER (WHERE CURRENCY = 'JPY') / avg(TRY_CAST(UNIT_PRICE AS DOUBLE)) FILTER (WHERE CURRENCY = 'USD') FROM orders`);
check('JPY prices are about 150 times USD', ratio === null || (ratio > 40 && ratio < 600), `ratio ${ratio}`);
const badTotal = await one(`SELECT count(*) FROM orders WHERE abs(TRY_CAST(QUANTITY AS INT) * TRY_CAST(UNIT_PRICE AS DECIMAL(18,2)) * (1 - TRY_CAST(DISCOUNT_PCT AS DECIMAL(6,2)) / 100) + TRY_CAST(TAX_AMOUNT AS DECIMAL(18,2)) + TRY_CAST(SHIPPING_COST AS DECIMAL(18,2)) - TRY_CAST(TOTAL_AMOUNT AS DECIMAL(18,2))) > CASE WHEN CURRENCY = 'JPY' THEN 1 ELSE 0.01 END`);
check('TOTAL_AMOUNT = QUANTITY x UNIT_PRICE x (1 - DISCOUNT_PCT/100) + TAX + SHIPPING', badTotal === 0, `${badTotal} rows off`);
const currencies = (await all(`SELECT DISTINCT CURRENCY AS c FROM orders`)).map((r) => r.c);
check('orders use all eight currencies', currencies.length === 8, currencies.join(','));

// ---- defects visible where the manifest counts them
const asOf = manifest.as_of;
const fut = await one(`SELECT count(*) FROM orders WHERE TRY_CAST(ORDER_DATE AS DATE) > DATE ${q(asOf)}`);
const od = defects('snowflake/orders');
check('orders: future dates = manifest future_date', fut <= od.future_date && od.future_date <= fut + od.unparsable_value, `${fut} vs ${od.future_date}`);
const bfut = await one(`SELECT count(*) FROM behavior WHERE TRY_CAST(event_ts AS TIMESTAMP) >= DATE ${q(asOf)}`);
const bd = defects('redshift/behavior');
check('behavior: future event_ts = manifest future_date', bfut <= bd.future_date && bd.future_date <= bfut + bd.unparsable_value, `${bfut} vs ${bd.future_date}`);
const bdup = await one(`SELECT count(*) - count(DISTINCT behavior_id) FROM behavior`);
check('behavior: re-delivered rows = manifest redelivered', bdup <= bd.redelivered && bd.redelivered <= bdup + bd.unparsable_record, `${bdup} vs ${bd.redelivered}`);
const late = await one(`SELECT count(*) FROM changes WHERE OP <> 'INSERT' AND TRY_CAST(UPDATED_AT AS TIMESTAMP) < CAST(regexp_extract(f, '(\\d{4}-\\d{2}-\\d{2})\\.csv$', 1) AS DATE)`);
const cd = defects('snowflake/orders/changes');
check('changes: late updates = manifest late_cdc_update', late <= cd.late_cdc_update && cd.late_cdc_update <= late + cd.unparsable_value, `${late} vs ${cd.late_cdc_update}`);
check('changes: UPDATE, DELETE and INSERT rows',
  (await one(`SELECT count(DISTINCT OP) FROM changes`)) === 3 || manifest.sets.find((s) => s.set === 'snowflake/orders/changes').rows < 60);
const email = await one(`SELECT count(*) FROM customers WHERE EMAIL IS NOT NULL AND NOT regexp_matches(EMAIL, '^[^@]+@[^@]+\\.[a-z]+$')`);
const cud = defects('snowflake/customers');
check('customers: malformed emails = manifest malformed_email', email <= cud.malformed_email && cud.malformed_email <= email + cud.blank_as_null, `${email} vs ${cud.malformed_email}`);
const phone = await one(`SELECT count(*) FROM customers WHERE PHONE IS NOT NULL AND NOT regexp_matches(PHONE, '^\\([0-9]{3}\\) [0-9]{3}-[0-9]{4}$')`);
check('customers: malformed phones = manifest malformed_phone', phone <= cud.malformed_phone && cud.malformed_phone <= phone + cud.blank_as_null, `${phone} vs ${cud.malformed_phone}`);

// ---- Kafka: every parsable record names an existing order and carries its values
const orderMap = new Map();
for (const r of await all(`SELECT ORDER_ID, CUSTOMER_ID, TOTAL_AMOUNT, CURRENCY FROM orders`))
  orderMap.set(r.ORDER_ID, r);
const kd = defects('kafka/orders_events');
let cut = 0, mismatch = 0, dups = 0;
const seen = new Set();
const offsets = new Map();
for (const f of manifest.files.filter((x) => x.set === 'kafka/orders_events')) {
  for (const line of fs.readFileSync(path.join(dir, f.path), 'utf8').split('\n')) {
    if (!line) continue;
    let rec;
    try {
      rec = JSON.parse(line);
    } catch {
      cut++;
      continue;
    }
    const v = JSON.parse(rec.value);
    if (seen.has(v.event_id)) dups++;
    seen.add(v.event_id);
    (offsets.get(rec.partition) || offsets.set(rec.partition, []).get(rec.partition)).push(rec.offset);
    const o = orderMap.get(v.order_id);
    if (rec.key !== v.order_id || !o || o.CUSTOMER_ID !== v.customer_id || o.TOTAL_AMOUNT !== v.amount || o.CURRENCY !== v.currency) {
      // allowed only when the snapshot row of that order is itself unreadable
      if (o && /^[0-9]+(\.[0-9]{2})?$/.test(o.TOTAL_AMOUNT)) mismatch++;
    }
  }
}
check('kafka: cut lines = manifest unparsable_record', cut === kd.unparsable_record, `${cut} vs ${kd.unparsable_record}`);
check('kafka: events carry their order (customer, amount, currency)', mismatch === 0, `${mismatch} mismatches`);
check('kafka: re-delivered records = manifest redelivered', dups <= kd.redelivered && kd.redelivered <= dups + cut, `${dups} vs ${kd.redelivered}`);
let gaps = 0;
for (const [, offs] of offsets) gaps += Math.max(...offs) + 1 - offs.length;
check('kafka: offsets dense per partition', gaps <= cut && offsets.size <= 6, `${gaps} gaps`);

// ---- FX: weekdays only, every order currency quoted, both directions, 6-digit strings
const quotes = new Set();
let weekend = 0, inverted = 0, noRate = 0, badText = 0, entries = 0;
for (const f of manifest.files.filter((x) => x.set === 'fx')) {
  const doc = JSON.parse(fs.readFileSync(path.join(dir, f.path), 'utf8'));
  for (const r of doc.rates) {
    entries++;
    const day = new Date(r.date + 'T00:00:00Z').getUTCDay();
    if (day === 0 || day === 6) weekend++;
    if (r.base === 'USD') quotes.add(r.quote);
    else inverted++;
    if (r.rate === undefined) noRate++;
    else if (!/^[0-9]+\.[0-9]{6}$/.test(r.rate)) badText++;
  }
}
check('fx: no weekend dates', weekend === 0, `${weekend}`);
check('fx: every order currency quoted from USD', currencies.filter((c) => c !== 'USD').every((c) => quotes.has(c)), [...quotes].join(','));
check('fx: both quote directions', inverted > 0 && inverted < entries / 4, `${inverted} of ${entries}`);
check('fx: entries without a rate = manifest unparsable_record', noRate === defects('fx').unparsable_record, `${noRate}`);
check('fx: rates are 6-digit decimal strings', badText === 0);

// ---- every defect class injected somewhere
const total = Object.fromEntries(manifest.defect_classes.map((c) => [c, 0]));
for (const s of manifest.sets) for (const c of manifest.defect_classes) total[c] += s.defects[c];
check('every defect class present', Object.values(total).every((n) => n > 0), JSON.stringify(total));

process.exit(fails ? 1 : 0);
