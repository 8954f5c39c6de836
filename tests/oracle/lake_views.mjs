// lake_views.mjs - DuckDB views over a medallion lake, shared by the SQL oracle
// (tests/oracle/sql_oracle.mjs) and the SQL benchmark (bench/duckdb_sql.mjs).
//
// Every Delta table LAKE/layer/table becomes a view `layer.table` over the table's active
// files, taken from medallion's own `table files --json`, so both engines read exactly the
// same files. The partition columns come back from the paths (hive_partitioning) and every
// column is cast to its declared type (`table describe --json`), so an empty or partitioned
// table reads the same as in medallion and the query text is the same for both engines.
//   await createLakeViews(con, MEDALLION, LAKE)   // con: a @duckdb/node-api connection
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const q = (s) => `'${s.replaceAll("'", "''")}'`;

export function duckType(t) {
  const m = /^decimal\((\d+),(\d+)\)$/.exec(t);
  if (m) return `DECIMAL(${m[1]},${m[2]})`;
  return { boolean: 'BOOLEAN', int32: 'INTEGER', int64: 'BIGINT', double: 'DOUBLE', string: 'VARCHAR', date: 'DATE', timestamp: 'TIMESTAMP' }[t] ?? 'VARCHAR';
}

// createLakeViews: one view per Delta table of LAKE with at least one active file; returns
// their names ("layer.table"). Also defines the functions medallion's dialect names after
// Spark that DuckDB spells differently.
export async function createLakeViews(con, mdl, lake) {
  // get_json_object: DuckDB's json_extract_string, with malformed JSON giving NULL as in
  // Spark and medallion instead of DuckDB's error
  await con.run(`CREATE OR REPLACE MACRO get_json_object(j, p) AS
    json_extract_string(CASE WHEN json_valid(j) THEN j END, p)`);
  const made = [];
  for (const layer of fs.readdirSync(lake).sort()) {
    if (!fs.statSync(path.join(lake, layer)).isDirectory()) continue;
    await con.run(`CREATE SCHEMA IF NOT EXISTS ${layer}`);
    for (const table of fs.readdirSync(path.join(lake, layer)).sort()) {
      const dir = path.join(lake, layer, table);
      if (!fs.existsSync(path.join(dir, '_delta_log'))) continue;
      const files = JSON.parse(execFileSync(mdl, ['table', 'files', dir, '--json'], { encoding: 'utf8' }))
        .map((f) => path.join(dir, f.path));
      const schema = JSON.parse(execFileSync(mdl, ['table', 'describe', dir, '--json'], { encoding: 'utf8' }));
      if (files.length === 0) continue;
      const cols = schema.schema.map((c) => `CAST(${JSON.stringify(c.name)} AS ${duckType(c.type)}) AS ${JSON.stringify(c.name)}`);
      await con.run(`CREATE VIEW ${layer}.${table} AS SELECT ${cols.join(', ')} FROM read_parquet([${files.map(q).join(',')}], hive_partitioning = true)`);
      made.push(`${layer}.${table}`);
    }
  }
  return made;
}
