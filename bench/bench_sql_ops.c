/*
 * bench_sql_ops.c - micro benchmark of the hash operators on in-memory batches (no I/O):
 *   groupby: GROUP BY a high-cardinality int64 key (rows / 4 groups, random order) with
 *            COUNT(*), SUM(decimal(12,2)), MAX(double)
 *   fxjoin:  rows joined to daily FX rates on (date, currency) — 730 days x 10 currencies —
 *            then SUM(amount) and SUM(rate) per currency (the shape of gold query (d))
 *   distinct: DISTINCT over (date, currency)
 * Usage: mdl_bench_sql_ops [rows] (default 10,000,000). Prints CPU seconds per case.
 * DuckDB's times for the same shapes: bench/duckdb_sql_ops.mjs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "medallion/medallion.h"
#include "sql/sql_op_hash.h"

/* CPU time of the process: steadier than wall time on a shared machine (the operators are
 * single-threaded, so on an idle machine the two agree). */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct vec {
    mdl_batch **b;
    size_t n, pos;
    mdl_schema *schema;
} vec;

static int vec_next(void *st, mdl_batch **out, mdl_error *err)
{
    (void)err;
    vec *v = st;
    *out = v->pos < v->n ? v->b[v->pos++] : NULL;
    return MDL_OK;
}

static void vec_free(void *st)
{
    vec *v = st;
    for (size_t i = v->pos; i < v->n; i++)
        mdl_batch_free(v->b[i]);
    free(v->b);
    mdl_schema_release(v->schema);
    free(v);
}

static const mdl_batch_source vec_src = {vec_next, vec_free};

static const char *ccy[10] = {"EUR", "USD", "GBP", "JPY", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK"};

static uint64_t mix(uint64_t x)
{
    x ^= x >> 31;
    x *= 0x7fb5d329728ea185ULL;
    x ^= x >> 27;
    x *= 0x81dadef4bc2dd44dULL;
    x ^= x >> 33;
    return x;
}

/* orders: key int64, day date, ccy string, amount decimal(12,2), price double */
static mdl_batch_stream *orders(mdl_ctx *ctx, size_t rows)
{
    vec *v = calloc(1, sizeof *v);
    if (mdl_schema_parse(ctx, "key int64, day date, ccy string, amount decimal(12,2), price double",
                         &v->schema, NULL) != MDL_OK)
        abort();
    size_t per = 65536;
    v->b = calloc(rows / per + 1, sizeof *v->b);
    for (size_t i = 0; i < rows;) {
        size_t n = rows - i < per ? rows - i : per;
        mdl_batch *b = NULL;
        if (mdl_batch_new(ctx, v->schema, n, &b, NULL) != MDL_OK)
            abort();
        for (size_t r = 0; r < n; r++, i++) {
            uint64_t h = mix(i);
            int64_t key = (int64_t)(h % (rows / 4 + 1));
            int32_t day = 19000 + (int32_t)(i % 730);
            int64_t amount = (int64_t)(h >> 40) % 100000;
            double price = (double)(h >> 44) / 100.0;
            const char *c = ccy[(h >> 20) % 10];
            mdl_column_append_value(ctx, &b->columns[0], &key, NULL);
            mdl_column_append_value(ctx, &b->columns[1], &day, NULL);
            mdl_column_append_string(ctx, &b->columns[2], c, 3, NULL);
            mdl_column_append_value(ctx, &b->columns[3], &amount, NULL);
            mdl_column_append_value(ctx, &b->columns[4], &price, NULL);
        }
        b->num_rows = n;
        v->b[v->n++] = b;
    }
    mdl_batch_stream *s = NULL;
    if (mdl_batch_stream_wrap(ctx, v->schema, &vec_src, v, &s, NULL) != MDL_OK)
        abort();
    return s;
}

static mdl_batch_stream *fx(mdl_ctx *ctx)
{
    vec *v = calloc(1, sizeof *v);
    if (mdl_schema_parse(ctx, "day date, ccy string, rate double", &v->schema, NULL) != MDL_OK)
        abort();
    v->b = calloc(1, sizeof *v->b);
    mdl_batch *b = NULL;
    if (mdl_batch_new(ctx, v->schema, 7300, &b, NULL) != MDL_OK)
        abort();
    for (int d = 0; d < 730; d++)
        for (int c = 0; c < 10; c++) {
            int32_t day = 19000 + d;
            double rate = 1.0 + c * 0.1 + d * 0.0001;
            mdl_column_append_value(ctx, &b->columns[0], &day, NULL);
            mdl_column_append_string(ctx, &b->columns[1], ccy[c], 3, NULL);
            mdl_column_append_value(ctx, &b->columns[2], &rate, NULL);
        }
    b->num_rows = 7300;
    v->b[v->n++] = b;
    mdl_batch_stream *s = NULL;
    if (mdl_batch_stream_wrap(ctx, v->schema, &vec_src, v, &s, NULL) != MDL_OK)
        abort();
    return s;
}

/* Keeps columns idx[0..n) of every batch by moving the column buffers (no copy): what the
 * planner's projection pushdown into the scan gives the join. */
typedef struct proj {
    mdl_ctx *ctx;
    mdl_batch_stream *in;
    mdl_schema *schema;
    size_t idx[8], n;
} proj;

static int proj_next(void *st, mdl_batch **out, mdl_error *err)
{
    proj *p = st;
    mdl_batch *b = NULL;
    *out = NULL;
    int rc = mdl_batch_stream_next(p->in, &b, err);
    if (rc != MDL_OK || b == NULL)
        return rc;
    mdl_batch *o = NULL;
    rc = mdl_batch_new(p->ctx, p->schema, 1, &o, err);
    if (rc != MDL_OK)
        return rc;
    for (size_t i = 0; i < p->n; i++) {
        mdl_column t = o->columns[i];
        o->columns[i] = b->columns[p->idx[i]];
        b->columns[p->idx[i]] = t;
    }
    o->capacity = b->capacity;
    o->num_rows = b->num_rows;
    mdl_batch_free(b);
    *out = o;
    return MDL_OK;
}

static void proj_free(void *st)
{
    proj *p = st;
    mdl_batch_stream_release(p->in);
    mdl_schema_release(p->schema);
    free(p);
}

static const mdl_batch_source proj_src = {proj_next, proj_free};

static mdl_batch_stream *project(mdl_ctx *ctx, mdl_batch_stream *in, const size_t *idx, size_t n)
{
    proj *p = calloc(1, sizeof *p);
    p->ctx = ctx;
    p->in = in;
    p->n = n;
    mdl_field_def defs[8];
    for (size_t i = 0; i < n; i++) {
        p->idx[i] = idx[i];
        defs[i].name = in->schema->fields[idx[i]].name;
        defs[i].type = in->schema->fields[idx[i]].type;
        defs[i].nullable = in->schema->fields[idx[i]].nullable;
    }
    if (mdl_schema_new(ctx, defs, n, &p->schema, NULL) != MDL_OK)
        abort();
    mdl_batch_stream *s = NULL;
    if (mdl_batch_stream_wrap(ctx, p->schema, &proj_src, p, &s, NULL) != MDL_OK)
        abort();
    return s;
}

static size_t drain(mdl_batch_stream *s)
{
    size_t rows = 0;
    mdl_error err;
    for (;;) {
        mdl_batch *b = NULL;
        if (mdl_batch_stream_next(s, &b, &err) != MDL_OK) {
            fprintf(stderr, "error: %s\n", err.message);
            exit(1);
        }
        if (b == NULL)
            break;
        rows += b->num_rows;
        mdl_batch_free(b);
    }
    mdl_batch_stream_release(s);
    return rows;
}

int main(int argc, char **argv)
{
    size_t rows = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 10000000;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    ctx.limits.operator_memory_bytes = (size_t)4 << 30;
    mdl_error err;

    mdl_batch_stream *in = orders(&ctx, rows), *out = NULL;
    size_t keys[] = {0};
    sql_agg_spec aggs[] = {
        {SQL_HAGG_COUNT_STAR, 0, "n"}, {SQL_HAGG_SUM, 3, "amount"}, {SQL_HAGG_MAX, 4, "price"}};
    double t0 = now_s();
    if (mdl_sql__op_hash_aggregate(&ctx, in, keys, 1, aggs, 3, 0, &out, &err) != MDL_OK)
        return fprintf(stderr, "%s\n", err.message), 1;
    size_t groups = drain(out);
    printf("groupby  %zu rows -> %zu groups: %.3f s\n", rows, groups, now_s() - t0);

    size_t cols[] = {1, 2, 3}; /* day, ccy, amount */
    in = project(&ctx, orders(&ctx, rows), cols, 3);
    size_t lk[] = {0, 1}, rk[] = {0, 1};
    sql_join_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.type = SQL_HJOIN_INNER;
    spec.left_keys = lk;
    spec.right_keys = rk;
    spec.num_keys = 2;
    t0 = now_s();
    mdl_batch_stream *j = NULL;
    if (mdl_sql__op_hash_join(&ctx, in, fx(&ctx), &spec, &j, &err) != MDL_OK)
        return fprintf(stderr, "%s\n", err.message), 1;
    /* joined: day ccy amount | day_1 ccy_1 rate -> by ccy: sum(amount), sum(rate) */
    size_t gk[] = {1};
    sql_agg_spec ja[] = {{SQL_HAGG_SUM, 2, "amount"}, {SQL_HAGG_SUM, 5, "rate"}};
    if (mdl_sql__op_hash_aggregate(&ctx, j, gk, 1, ja, 2, 0, &out, &err) != MDL_OK)
        return fprintf(stderr, "%s\n", err.message), 1;
    groups = drain(out);
    printf("fxjoin   %zu rows -> %zu groups: %.3f s\n", rows, groups, now_s() - t0);

    in = orders(&ctx, rows);
    t0 = now_s();
    size_t pk[] = {1, 2};
    if (mdl_sql__op_hash_aggregate(&ctx, in, pk, 2, NULL, 0, 0, &out, &err) != MDL_OK)
        return fprintf(stderr, "%s\n", err.message), 1;
    groups = drain(out);
    printf("distinct %zu rows -> %zu rows: %.3f s (GROUP BY day, ccy)\n", rows, groups,
           now_s() - t0);

    size_t dc[] = {1, 2};
    in = project(&ctx, orders(&ctx, rows), dc, 2);
    t0 = now_s();
    if (mdl_sql__op_distinct(&ctx, in, 0, &out, &err) != MDL_OK)
        return fprintf(stderr, "%s\n", err.message), 1;
    groups = drain(out);
    printf("distinct %zu rows -> %zu rows: %.3f s (DISTINCT operator)\n", rows, groups,
           now_s() - t0);
    return 0;
}
