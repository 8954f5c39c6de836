// duckdb_sql_ops.mjs - DuckDB (one thread) on the shapes of bench_sql_ops.c, for the ratio:
// a high-cardinality GROUP BY, a join to daily FX rates on (date, currency) aggregated by
// currency, and DISTINCT (date, currency). The tables are created first; only the queries
// are timed (results are materialised in DuckDB, then counted).
//   node bench/duckdb_sql_ops.mjs [rows]
import { DuckDBInstance } from '@duckdb/node-api';

const rows = Number(process.argv[2] ?? 10000000);
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run('SET threads = 1');
await con.run(`CREATE TABLE orders AS SELECT hash(i) % ${Math.floor(rows / 4) + 1} AS key,
  DATE '2022-01-08' + (i % 730)::INTEGER AS day,
  ['EUR','USD','GBP','JPY','CHF','SEK','NOK','DKK','PLN','CZK'][((hash(i) >> 20) % 10)::BIGINT + 1] AS ccy,
  ((hash(i) >> 40) % 100000 / 100)::DECIMAL(12,2) AS amount,
  (hash(i) >> 44) / 100.0 AS price
  FROM range(${rows}) t(i)`);
await con.run(`CREATE TABLE fx AS SELECT DATE '2022-01-08' + d::INTEGER AS day, c AS ccy,
  1.0 + ci * 0.1 + d * 0.0001 AS rate
  FROM range(730) a(d), (SELECT unnest(['EUR','USD','GBP','JPY','CHF','SEK','NOK','DKK','PLN','CZK']) c,
  generate_subscripts(['EUR','USD','GBP','JPY','CHF','SEK','NOK','DKK','PLN','CZK'], 1) - 1 ci)`);
const cases = {
  groupby: 'SELECT key, count(*), sum(amount), max(price) FROM orders GROUP BY key',
  fxjoin: 'SELECT o.ccy, sum(amount), sum(rate) FROM orders o JOIN fx ON o.day = fx.day AND o.ccy = fx.ccy GROUP BY o.ccy',
  distinct: 'SELECT DISTINCT day, ccy FROM orders',
};
for (const [name, sql] of Object.entries(cases)) {
  const t0 = process.hrtime.bigint();
  await con.run(`CREATE OR REPLACE TEMP TABLE r AS ${sql}`);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const n = (await con.runAndReadAll('SELECT count(*) FROM r')).getRows()[0][0];
  console.log(`${name.padEnd(8)} ${rows} rows -> ${n} rows: ${secs.toFixed(3)} s (DuckDB, 1 thread)`);
}
