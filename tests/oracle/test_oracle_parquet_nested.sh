#!/usr/bin/env bash
# Oracle test for the nested Parquet record writer: records shaped like a Delta checkpoint and
# deeply nested ones (lists of structs holding maps of lists, lists of lists, nulls and empty
# lists/maps at every level) are written with every codec, small pages and several row
# groups; DuckDB and hyparquet must both read back exactly the records the writer accepted.
# Every 50th generated record is bad and must be refused without leaving anything behind.
# Env: MDL_ORACLE_WRITE_RECORDS, MDL_REPO.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$MDL_REPO"
[ -d node_modules/@duckdb/node-api ] || { echo "node_modules missing: run npm ci (make test does)"; exit 1; }
oracle=tests/oracle/pq_nested_oracle.mjs
fails=0
run() { # name schema input codec page_bytes row_group_rows expected_accepted
    local name=$1 schema=$2 input=$3 codec=$4 page=$5 rg=$6 want=$7
    local rows
    rows=$("$MDL_ORACLE_WRITE_RECORDS" "$schema" "$input" "$tmp/$name.parquet" "$codec" "$page" "$rg" \
        2>"$tmp/$name.rejects")
    if [ "$rows" != "$want" ]; then
        echo "FAIL $name: wrote $rows records, expected $want"; head -5 "$tmp/$name.rejects"
        fails=$((fails + 1)); return
    fi
    if node "$oracle" check "$tmp/$name.parquet" "$tmp/$name.parquet.accepted.jsonl" >"$tmp/$name.out" 2>&1; then
        echo "ok   $name ($rows records, $(wc -l <"$tmp/$name.rejects") refused)"
    else
        echo "FAIL $name"; sed 's/^/  /' "$tmp/$name.out" | head -30
        fails=$((fails + 1))
    fi
}

# Hand-written edge cases: every level null or empty, extremes, escapes, one bad record
# between good ones.
cat >"$tmp/edge.jsonl" <<'JSON'
{"id":1,"flag":true,"score":1.5,"tags":["a",null,"b"],"items":[{"name":"x","qty":3,"attrs":{"k1":[1.0,null,2.5],"k2":null,"k3":[]},"sub":{"a":[[1,2],[],null,[3]],"b":false}},null,{"name":"y"}],"meta":{"m1":{"x":1,"y":["p","q"]},"m2":{}},"req_list":[1,2,3]}
{"id":2,"req_list":[]}
{"id":9223372036854775807,"tags":[],"items":[],"meta":{},"req_list":[-2147483648,2147483647]}
{"id":3,"items":[{"name":"z","sub":{"a":[[1],[2]],"bogus":true}}],"req_list":[]}
{"id":-9223372036854775808,"score":-0.0,"tags":null,"items":[null,null],"req_list":[5]}
{"id":4,"tags":["\u00e9\u20ac\"\\\n",""],"items":[{"name":"","attrs":{"":[]}}],"meta":{"k":{}},"req_list":[0]}
{"id":5,"score":1e300,"items":[{"name":"deep","sub":{"a":[[null,-1],null,[]]}}],"req_list":[7,8]}
{"id":6,"req_list":null}
{"id":7,"score":"1.5","req_list":[]}
JSON
run edge deep "$tmp/edge.jsonl" zstd 1048576 0 6

cat >"$tmp/ckpt.jsonl" <<'JSON'
{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}
{"metaData":{"id":"6a9c","format":{"provider":"parquet","options":{}},"schemaString":"{\"type\":\"struct\",\"fields\":[]}","partitionColumns":["date"],"configuration":{"delta.checkpointInterval":"10"},"createdTime":1700000000000}}
{"add":{"path":"date=2024-01-01/part-0.parquet","partitionValues":{"date":"2024-01-01"},"size":1234,"modificationTime":1700000000001,"dataChange":true,"stats":"{\"numRecords\":3}"}}
{"add":{"path":"date=__HIVE_DEFAULT_PARTITION__/part-1.parquet","partitionValues":{"date":null},"size":99,"modificationTime":1700000000002,"dataChange":false,"tags":{"INSERTION_TIME":"1700000000002"}}}
{"remove":{"path":"date=2024-01-01/part-0.parquet","deletionTimestamp":1700000000003,"dataChange":true}}
{"txn":{"appId":"app","version":9223372036854775807,"lastUpdated":1700000000004}}
{"add":{"path":"no-partition-values.parquet","size":1,"modificationTime":1,"dataChange":true}}
{"protocol":{"minReaderVersion":1,"minWriterVersion":2147483648}}
JSON
run checkpoint-edge checkpoint "$tmp/ckpt.jsonl" snappy 1048576 0 6

node "$oracle" gen deep 1000 11 >"$tmp/deep.jsonl"
node "$oracle" gen checkpoint 1000 12 >"$tmp/ckpt-gen.jsonl"
for codec in none snappy gzip zstd lz4_raw; do
    run "deep-$codec" deep "$tmp/deep.jsonl" "$codec" 2048 700 980
done
run checkpoint-gen checkpoint "$tmp/ckpt-gen.jsonl" zstd 4096 0 980
run deep-tiny-pages deep "$tmp/deep.jsonl" none 1 1 980

[ "$fails" -eq 0 ] || { echo "$fails file(s) disagree with the oracles"; exit 1; }
echo "DuckDB and hyparquet read every nested file as written"
