/*
 * oracle_write_table.c - writes a Delta table with medallion (appends, an idempotent
 * transaction, an overwrite, more appends) and prints what medallion's own scan reads:
 * {"rows":N,"sum_id":S,"sum_cents":C,"version":V}. tests/oracle/delta_oracle.mjs replays the
 * same log independently and has DuckDB read the active files; the numbers must agree.
 *   oracle_write_table DIR
 */
#include <stdio.h>
#include <stdlib.h>

#include "medallion/medallion.h"

static void die(const char *what, const mdl_error *err)
{
    fprintf(stderr, "oracle_write_table: %s: %s\n", what, err ? err->message : "");
    exit(1);
}

static void write_rows(mdl_ctx *ctx, mdl_storage *st, mdl_schema *s, size_t rows, int64_t first,
                       bool overwrite, const char *txn, int64_t txn_version)
{
    mdl_error err;
    mdl_table_write_options o;
    mdl_table_write_options_init(&o);
    o.overwrite = overwrite;
    o.txn_app_id = txn;
    o.txn_version = txn_version;
    o.parquet.row_group_rows = 700;
    mdl_table_writer *w;
    if (mdl_table_writer_open(ctx, st, &o, &w, &err) != MDL_OK)
        die("open", &err);
    mdl_batch *b;
    if (mdl_batch_new(ctx, s, rows ? rows : 1, &b, &err) != MDL_OK)
        die("batch", &err);
    for (size_t r = 0; r < rows; r++) {
        int64_t id = first + (int64_t)r, cents = (int64_t)(r * 37 % 10007);
        mdl_column_append_value(ctx, &b->columns[0], &id, NULL);
        if (r % 9 == 0)
            mdl_column_append_null(ctx, &b->columns[1], NULL);
        else
            mdl_column_append_string(ctx, &b->columns[1], "x", 1, NULL);
        mdl_column_append_value(ctx, &b->columns[2], &cents, NULL);
    }
    b->num_rows = rows;
    if (mdl_table_writer_write(w, b, &err) != MDL_OK)
        die("write", &err);
    mdl_batch_free(b);
    int64_t v;
    bool noop;
    if (mdl_table_writer_commit(w, &v, &noop, &err) != MDL_OK)
        die("commit", &err);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_error err;
    mdl_storage *st;
    mdl_schema *s;
    if (mdl_storage_open_local(&ctx, argv[1], &st, &err) != MDL_OK ||
        mdl_schema_parse(&ctx, "id int64 not null, tag string, cents int64", &s, &err) != MDL_OK ||
        mdl_table_create(&ctx, st, s, "oracle", NULL, NULL, 0, &err) != MDL_OK)
        die("create", &err);
    write_rows(&ctx, st, s, 2000, 0, false, NULL, -1);
    write_rows(&ctx, st, s, 1500, 10000, false, "job", 1);
    write_rows(&ctx, st, s, 1500, 10000, false, "job", 1); /* no-op */
    write_rows(&ctx, st, s, 800, 20000, true, NULL, -1);   /* overwrite */
    write_rows(&ctx, st, s, 300, 30000, false, "job", 2);
    write_rows(&ctx, st, s, 0, 0, false, NULL, -1); /* an empty file */
    mdl_table *t;
    mdl_batch_stream *scan;
    if (mdl_table_open(&ctx, st, -1, &t, &err) != MDL_OK ||
        mdl_table_scan(t, &scan, &err) != MDL_OK)
        die("scan", &err);
    int64_t rows = 0, sum_id = 0, sum_cents = 0;
    mdl_batch *b;
    while (mdl_batch_stream_next(scan, &b, &err) == MDL_OK && b != NULL) {
        for (size_t r = 0; r < b->num_rows; r++) {
            sum_id += mdl_column_i64(&b->columns[0], r);
            sum_cents += mdl_column_i64(&b->columns[2], r);
        }
        rows += (int64_t)b->num_rows;
        mdl_batch_free(b);
    }
    printf("{\"rows\":%lld,\"sum_id\":%lld,\"sum_cents\":%lld,\"version\":%lld}\n", (long long)rows,
           (long long)sum_id, (long long)sum_cents, (long long)mdl_table_version(t));
    mdl_batch_stream_release(scan);
    mdl_table_close(t);
    mdl_schema_release(s);
    mdl_storage_release(st);
    return 0;
}
