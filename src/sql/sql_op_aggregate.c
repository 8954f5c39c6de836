/*
 * sql_op_aggregate.c - hash aggregation (GROUP BY). Each input batch is mapped to dense group
 * ids by one key table (sql_keys.h) a batch at a time, then the aggregates update their states:
 * one flat array of fixed-size group records indexed by group id, each holding every
 * aggregate's state side by side (counts, 128-bit or double sums, min/max/any values), so a
 * row touches one or two cache lines; rows are applied in 2048-row chunks with the records
 * prefetched. String values of MIN/MAX/ANY_VALUE live in a per-aggregate arena that is
 * compacted when replaced values pile up. COUNT(DISTINCT x) keeps a key table over (group, x).
 * The operator is blocking: the first pull consumes the whole input, then the groups come out
 * in first-seen order, batch_rows at a time.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sql/sql_keys.h"
#include "sql/sql_op_hash.h"
#include "sql/sql_op_order.h"

enum { P_INT = 1, P_I128, P_F64, P_STR };

#define PF_AHEAD     16
#define UPDATE_CHUNK 2048

typedef struct agg_state {
    sql_hagg_kind kind;
    size_t column;
    mdl_type in, out;
    int phys;
    /* Per-group state lives in the group's record (agg_op.states, `rec` bytes per group, all
     * aggregates of a group side by side, so updating a row touches one or two cache lines):
     * o_cnt: int64 values counted (MIN/MAX/ANY: has a value when > 0); o_val: the SUM/AVG sum
     * (mdl_i128 or double) or the MIN/MAX/ANY value (int64, mdl_i128, double, or for strings
     * the uint64 arena offset, with the uint32 length at o_slen). */
    size_t o_cnt, o_val, o_slen;
    char *arena;
    size_t arena_len, arena_cap, arena_live;
    sql_keytab *dkt; /* COUNT(DISTINCT): keys (group id, value) */
} agg_state;

typedef struct agg_op {
    mdl_batch_stream base;
    mdl_ctx *ctx;
    mdl_batch_stream *child;
    size_t num_keys, num_aggs;
    size_t *keys;
    agg_state *aggs;
    sql_keytab *kt;       /* NULL without keys: one group */
    mdl_column *keystore; /* first-seen key values, one row per group */
    size_t groups, cap_groups;
    char *states;     /* cap_groups records of rec bytes, 16-byte aligned (128-bit sums) */
    char *states_raw; /* the allocation: the allocator hook promises no alignment */
    size_t rec;
    size_t budget;
    uint32_t *ids, *rows, *dids;
    int64_t *gid64;
    size_t scratch_rows;
    bool consumed;
    size_t emitted;
} agg_op;

#define REC(g)     (op->states + (size_t)(g)*op->rec)
#define CNT(a, g)  (*(int64_t *)(void *)(REC(g) + (a)->o_cnt))
#define ISUM(a, g) (*(mdl_i128 *)(void *)(REC(g) + (a)->o_val))
#define FSUM(a, g) (*(double *)(void *)(REC(g) + (a)->o_val))
#define IVAL(a, g) (*(int64_t *)(void *)(REC(g) + (a)->o_val))
#define WVAL(a, g) (*(mdl_i128 *)(void *)(REC(g) + (a)->o_val))
#define FVAL(a, g) (*(double *)(void *)(REC(g) + (a)->o_val))
#define SOFF(a, g) (*(uint64_t *)(void *)(REC(g) + (a)->o_val))
#define SLEN(a, g) (*(uint32_t *)(void *)(REC(g) + (a)->o_slen))

int mdl_sql__agg_result_type(sql_hagg_kind kind, mdl_type in, mdl_type *out, mdl_error *err)
{
    switch (kind) {
    case SQL_HAGG_COUNT_STAR:
    case SQL_HAGG_COUNT:
    case SQL_HAGG_COUNT_DISTINCT:
        *out = mdl_type_make(MDL_TYPE_INT64);
        return MDL_OK;
    case SQL_HAGG_SUM:
    case SQL_HAGG_AVG:
        if (in.id == MDL_TYPE_INT32 || in.id == MDL_TYPE_INT64 || in.id == MDL_TYPE_DECIMAL ||
            in.id == MDL_TYPE_DOUBLE) {
            if (kind == SQL_HAGG_AVG || in.id == MDL_TYPE_DOUBLE)
                *out = mdl_type_make(MDL_TYPE_DOUBLE);
            else
                *out = mdl_type_decimal(MDL_DECIMAL_MAX_PRECISION,
                                        in.id == MDL_TYPE_DECIMAL ? in.scale : 0);
            return MDL_OK;
        }
        return mdl_error_set(err, MDL_ERR_SCHEMA, "%s() of a %s value is not defined",
                             kind == SQL_HAGG_SUM ? "sum" : "avg", mdl_type_name(in.id));
    case SQL_HAGG_MIN:
    case SQL_HAGG_MAX:
    case SQL_HAGG_ANY_VALUE:
        *out = in;
        return MDL_OK;
    }
    return mdl_error_set(err, MDL_ERR_INVALID_ARG, "unknown aggregate %d", (int)kind);
}

static int phys_of(mdl_type t)
{
    switch (t.id) {
    case MDL_TYPE_DOUBLE:
        return P_F64;
    case MDL_TYPE_STRING:
        return P_STR;
    case MDL_TYPE_DECIMAL:
        return t.precision > MDL_DECIMAL64_MAX_PRECISION ? P_I128 : P_INT;
    default:
        return P_INT;
    }
}

static inline int64_t load_int(const mdl_column *c, size_t r)
{
    switch (c->type.id) {
    case MDL_TYPE_BOOLEAN:
        return ((const uint8_t *)c->values)[r];
    case MDL_TYPE_INT32:
    case MDL_TYPE_DATE:
        return ((const int32_t *)c->values)[r];
    default:
        return ((const int64_t *)c->values)[r];
    }
}

static inline mdl_i128 load_i128(const mdl_column *c, size_t r)
{
    mdl_i128 v;
    memcpy(&v, (const char *)c->values + r * 16, 16);
    return v;
}

/* DuckDB's order for doubles: NaN above everything, all NaNs equal. */
static inline bool f64_less(double a, double b)
{
    if (isnan(a))
        return false;
    if (isnan(b))
        return true;
    return a < b;
}

static inline int str_cmp(const char *a, size_t al, const char *b, size_t bl)
{
    int c = memcmp(a, b, al < bl ? al : bl);
    if (c != 0)
        return c;
    return al < bl ? -1 : al > bl;
}

/* ---- state arrays ------------------------------------------------------------------------- */

static int ensure_groups(agg_op *op, size_t n, mdl_error *err)
{
    if (n <= op->cap_groups)
        return MDL_OK;
    size_t cap = op->cap_groups ? op->cap_groups : 1024, bytes;
    while (cap < n)
        cap *= 2;
    if (!mdl_size_mul(cap, op->rec, &bytes))
        return mdl_error_set(err, MDL_ERR_LIMIT, "too many groups");
    size_t old_bytes = op->cap_groups * op->rec;
    size_t old_off = op->states_raw ? (size_t)(op->states - op->states_raw) : 0;
    char *raw = mdl_realloc(op->ctx, op->states_raw, bytes + 16);
    if (raw == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory growing aggregate states");
    size_t off = (size_t)((16 - (uintptr_t)raw % 16) % 16);
    if (off != old_off)
        memmove(raw + off, raw + old_off, old_bytes);
    memset(raw + off + old_bytes, 0, bytes - old_bytes);
    op->states_raw = raw;
    op->states = raw + off;
    op->cap_groups = cap;
    return MDL_OK;
}

/* Lays out the per-group record: 16-byte values first (aligned), then 8-byte, then 4-byte. */
static void layout(agg_op *op)
{
    size_t off = 0;
    for (int pass = 0; pass < 3; pass++)
        for (size_t i = 0; i < op->num_aggs; i++) {
            agg_state *a = &op->aggs[i];
            bool minmax =
                a->kind == SQL_HAGG_MIN || a->kind == SQL_HAGG_MAX || a->kind == SQL_HAGG_ANY_VALUE;
            bool sum = a->kind == SQL_HAGG_SUM || a->kind == SQL_HAGG_AVG;
            bool wide = (sum && a->phys != P_F64) || (minmax && a->phys == P_I128);
            if (pass == 0 && wide) {
                a->o_val = off;
                off += 16;
            } else if (pass == 1) {
                a->o_cnt = off;
                off += 8;
                if ((sum || minmax) && !wide) {
                    a->o_val = off;
                    off += 8;
                }
            } else if (pass == 2 && minmax && a->phys == P_STR) {
                a->o_slen = off;
                off += 4;
            }
        }
    op->rec = (off + 15) / 16 * 16;
    if (op->rec == 0)
        op->rec = 16;
}

static size_t held_bytes(const agg_op *op)
{
    size_t b = op->kt ? mdl_sql__keytab_bytes(op->kt) : 0;
    for (size_t k = 0; k < op->num_keys; k++)
        b += mdl_sql__col_bytes(&op->keystore[k]);
    b += op->cap_groups * op->rec;
    for (size_t i = 0; i < op->num_aggs; i++) {
        const agg_state *a = &op->aggs[i];
        b += a->arena_cap;
        if (a->dkt)
            b += mdl_sql__keytab_bytes(a->dkt);
    }
    return b + op->scratch_rows * 20;
}

/* ---- string values ----------------------------------------------------------------------- */

static int arena_compact(agg_op *op, agg_state *a, mdl_error *err)
{
    mdl_ctx *ctx = op->ctx;
    size_t groups = op->groups;
    size_t cap = a->arena_live + 65536;
    char *na = mdl_alloc(ctx, cap);
    if (na == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory compacting aggregate strings");
    size_t pos = 0;
    for (size_t g = 0; g < groups; g++)
        if (CNT(a, g) > 0) {
            memcpy(na + pos, a->arena + SOFF(a, g), SLEN(a, g));
            SOFF(a, g) = pos;
            pos += SLEN(a, g);
        }
    mdl_free(ctx, a->arena);
    a->arena = na;
    a->arena_cap = cap;
    a->arena_len = pos;
    return MDL_OK;
}

static int set_str(agg_op *op, agg_state *a, uint32_t g, mdl_strview s, mdl_error *err)
{
    if (s.len > UINT32_MAX)
        return mdl_error_set(err, MDL_ERR_LIMIT, "string value too long to aggregate");
    if (CNT(a, g) > 0)
        a->arena_live -= SLEN(a, g);
    if (a->arena_len + s.len > a->arena_cap) {
        if (a->arena_len > 2 * a->arena_live + 65536) {
            int rc = arena_compact(op, a, err);
            if (rc != MDL_OK)
                return rc;
        }
        if (a->arena_len + s.len > a->arena_cap) {
            size_t cap = a->arena_cap ? a->arena_cap * 2 : 65536;
            while (cap < a->arena_len + s.len)
                cap *= 2;
            char *p = mdl_realloc(op->ctx, a->arena, cap);
            if (p == NULL)
                return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory in aggregate strings");
            a->arena = p;
            a->arena_cap = cap;
        }
    }
    memcpy(a->arena + a->arena_len, s.ptr, s.len);
    SOFF(a, g) = a->arena_len;
    SLEN(a, g) = (uint32_t)s.len;
    a->arena_len += s.len;
    a->arena_live += s.len;
    return MDL_OK;
}

/* ---- updates ----------------------------------------------------------------------------- */

static int update_agg(agg_op *op, agg_state *a, const mdl_batch *b, const uint32_t *ids,
                      size_t from, size_t n, mdl_error *err)
{
    /* With many groups the states are cache misses: fetch them PF_AHEAD rows early. */
#define PF(off)                                                                                    \
    if (r + PF_AHEAD < n)                                                                          \
    __builtin_prefetch(REC(ids[r + PF_AHEAD]) + (off), 1)
    if (a->kind == SQL_HAGG_COUNT_STAR) {
        for (size_t r = from; r < n; r++) {
            PF(a->o_cnt);
            CNT(a, ids[r])++;
        }
        return MDL_OK;
    }
    const mdl_column *c = &b->columns[a->column];
    bool nulls = c->validity != NULL && c->null_count > 0;
#define SKIP_NULL                                                                                  \
    if (nulls && mdl_column_is_null(c, r))                                                         \
    continue
    switch (a->kind) {
    case SQL_HAGG_COUNT:
        for (size_t r = from; r < n; r++) {
            PF(a->o_cnt);
            SKIP_NULL;
            CNT(a, ids[r])++;
        }
        return MDL_OK;
    case SQL_HAGG_COUNT_DISTINCT: {
        for (size_t r = from; r < n; r++)
            op->gid64[r] = ids[r];
        mdl_column gcol;
        memset(&gcol, 0, sizeof gcol);
        gcol.type = mdl_type_make(MDL_TYPE_INT64);
        gcol.length = gcol.capacity = n;
        gcol.values = op->gid64;
        const mdl_column *cols[2] = {&gcol, c};
        size_t before = mdl_sql__keytab_count(a->dkt);
        int rc = mdl_sql__keytab_insert(a->dkt, cols, n, op->dids, err);
        if (rc != MDL_OK)
            return rc;
        size_t next = before;
        for (size_t r = from; r < n; r++)
            if (op->dids[r] == next) {
                CNT(a, ids[r])++;
                next++;
            }
        return MDL_OK;
    }
    case SQL_HAGG_SUM:
    case SQL_HAGG_AVG:
        if (a->phys == P_F64) {
            const double *v = c->values;
            for (size_t r = from; r < n; r++) {
                PF(a->o_cnt);
                SKIP_NULL;
                FSUM(a, ids[r]) += v[r];
                CNT(a, ids[r])++;
            }
        } else if (a->phys == P_I128) {
            for (size_t r = from; r < n; r++) {
                PF(a->o_cnt);
                SKIP_NULL;
                mdl_i128 *s = &ISUM(a, ids[r]);
                if (__builtin_add_overflow(*s, load_i128(c, r), s))
                    return mdl_error_set(err, MDL_ERR_RANGE,
                                         "%s() overflows 38 digits (aggregate column %zu)",
                                         a->kind == SQL_HAGG_SUM ? "sum" : "avg", a->column + 1);
                CNT(a, ids[r])++;
            }
        } else if (c->type.id == MDL_TYPE_INT32) {
            const int32_t *v = c->values;
            for (size_t r = from; r < n; r++) {
                PF(a->o_cnt);
                SKIP_NULL;
                ISUM(a, ids[r]) += v[r];
                CNT(a, ids[r])++;
            }
        } else {
            for (size_t r = from; r < n; r++) {
                PF(a->o_cnt);
                SKIP_NULL;
                ISUM(a, ids[r]) += load_int(c, r);
                CNT(a, ids[r])++;
            }
        }
        return MDL_OK;
    case SQL_HAGG_MIN:
    case SQL_HAGG_MAX:
    case SQL_HAGG_ANY_VALUE: {
        bool mx = a->kind == SQL_HAGG_MAX, any = a->kind == SQL_HAGG_ANY_VALUE;
        for (size_t r = from; r < n; r++) {
            PF(a->o_cnt);
            SKIP_NULL;
            uint32_t g = ids[r];
            bool has = CNT(a, g) > 0;
            if (has && any)
                continue;
            switch (a->phys) {
            case P_INT: {
                int64_t v = load_int(c, r);
                if (!has || (mx ? v > IVAL(a, g) : v < IVAL(a, g)))
                    IVAL(a, g) = v;
                break;
            }
            case P_I128: {
                mdl_i128 v = load_i128(c, r);
                if (!has || (mx ? v > WVAL(a, g) : v < WVAL(a, g)))
                    WVAL(a, g) = v;
                break;
            }
            case P_F64: {
                double v = ((const double *)c->values)[r];
                if (!has || (mx ? f64_less(FVAL(a, g), v) : f64_less(v, FVAL(a, g))))
                    FVAL(a, g) = v;
                break;
            }
            default: {
                mdl_strview s = mdl_column_str(c, r);
                int cmp = has ? str_cmp(s.ptr, s.len, a->arena + SOFF(a, g), SLEN(a, g)) : 0;
                if (!has || (mx ? cmp > 0 : cmp < 0)) {
                    int rc = set_str(op, a, g, s, err);
                    if (rc != MDL_OK)
                        return rc;
                }
            }
            }
            CNT(a, g) = 1;
        }
        return MDL_OK;
    }
    default:
        return MDL_OK;
    }
#undef SKIP_NULL
#undef PF
}

static int consume_batch(agg_op *op, mdl_batch *b, mdl_error *err)
{
    size_t n = b->num_rows;
    int rc = MDL_OK;
    if (n > op->scratch_rows) {
        mdl_free(op->ctx, op->ids);
        mdl_free(op->ctx, op->rows);
        mdl_free(op->ctx, op->dids);
        mdl_free(op->ctx, op->gid64);
        op->ids = mdl_alloc(op->ctx, n * 4);
        op->rows = mdl_alloc(op->ctx, n * 4);
        op->dids = mdl_alloc(op->ctx, n * 4);
        op->gid64 = mdl_alloc(op->ctx, n * 8);
        op->scratch_rows = n;
        if (!op->ids || !op->rows || !op->dids || !op->gid64) {
            op->scratch_rows = 0;
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory in GROUP BY");
        }
    }
    if (op->kt != NULL) {
        const mdl_column *cols[64];
        const mdl_column **kc = op->num_keys <= 64 ? cols : NULL;
        if (kc == NULL)
            return mdl_error_set(err, MDL_ERR_UNSUPPORTED, "more than 64 GROUP BY keys");
        for (size_t k = 0; k < op->num_keys; k++)
            kc[k] = &b->columns[op->keys[k]];
        size_t before = op->groups;
        rc = mdl_sql__keytab_insert(op->kt, kc, n, op->ids, err);
        if (rc != MDL_OK)
            return rc;
        op->groups = mdl_sql__keytab_count(op->kt);
        if (op->groups > before) {
            size_t next = before, k = 0;
            for (size_t r = 0; r < n; r++)
                if (op->ids[r] == next) {
                    op->rows[k++] = (uint32_t)r;
                    next++;
                }
            for (size_t j = 0; j < op->num_keys && rc == MDL_OK; j++) {
                rc = mdl_sql__col_reserve(op->ctx, &op->keystore[j], op->groups, err);
                if (rc == MDL_OK)
                    rc = mdl_sql__col_append_rows(op->ctx, &op->keystore[j], kc[j], op->rows, 0, k,
                                                  err);
            }
            if (rc == MDL_OK)
                rc = ensure_groups(op, op->groups, err);
            if (rc != MDL_OK)
                return rc;
        }
    } else {
        memset(op->ids, 0, n * 4);
    }
    /* COUNT(DISTINCT) hashes the whole batch at once; the others update in chunks small
     * enough that the group records a chunk touches stay in cache from one aggregate to the
     * next. */
    for (size_t i = 0; i < op->num_aggs && rc == MDL_OK; i++)
        if (op->aggs[i].kind == SQL_HAGG_COUNT_DISTINCT)
            rc = update_agg(op, &op->aggs[i], b, op->ids, 0, n, err);
    for (size_t c0 = 0; c0 < n && rc == MDL_OK; c0 += UPDATE_CHUNK) {
        size_t c1 = n - c0 < UPDATE_CHUNK ? n : c0 + UPDATE_CHUNK;
        for (size_t i = 0; i < op->num_aggs && rc == MDL_OK; i++)
            if (op->aggs[i].kind != SQL_HAGG_COUNT_DISTINCT)
                rc = update_agg(op, &op->aggs[i], b, op->ids, c0, c1, err);
    }
    if (rc == MDL_OK && held_bytes(op) > op->budget)
        rc = mdl_sql__budget_error(err, "GROUP BY", held_bytes(op), op->budget);
    return rc;
}

/* ---- output ------------------------------------------------------------------------------ */

static int emit_agg(agg_op *op, agg_state *a, mdl_column *out, size_t g0, size_t n, mdl_error *err)
{
    mdl_ctx *ctx = op->ctx;
    int rc = MDL_OK;
    for (size_t i = 0; i < n && rc == MDL_OK; i++) {
        size_t g = g0 + i;
        int64_t cnt = CNT(a, g);
        switch (a->kind) {
        case SQL_HAGG_COUNT_STAR:
        case SQL_HAGG_COUNT:
        case SQL_HAGG_COUNT_DISTINCT:
            rc = mdl_column_append_value(ctx, out, &cnt, err);
            continue;
        default:
            break;
        }
        if (cnt == 0) {
            rc = mdl_column_append_null(ctx, out, err);
            continue;
        }
        if (a->kind == SQL_HAGG_SUM) {
            if (a->phys == P_F64) {
                rc = mdl_column_append_value(ctx, out, &FSUM(a, g), err);
            } else {
                mdl_i128 s = ISUM(a, g), lim = mdl_decimal_pow10(MDL_DECIMAL_MAX_PRECISION);
                if (s >= lim || s <= -lim)
                    return mdl_error_set(err, MDL_ERR_RANGE, "sum() overflows 38 digits");
                rc = mdl_column_append_value(ctx, out, &s, err);
            }
        } else if (a->kind == SQL_HAGG_AVG) {
            double v;
            if (a->phys == P_F64) {
                v = FSUM(a, g) / (double)cnt;
            } else {
                long double div = (long double)cnt;
                if (a->in.id == MDL_TYPE_DECIMAL)
                    div *= (long double)mdl_decimal_pow10(a->in.scale);
                v = (double)((long double)ISUM(a, g) / div);
            }
            rc = mdl_column_append_value(ctx, out, &v, err);
        } else {
            switch (a->phys) {
            case P_INT: {
                int64_t v = IVAL(a, g);
                if (a->in.id == MDL_TYPE_BOOLEAN) {
                    uint8_t u = (uint8_t)v;
                    rc = mdl_column_append_value(ctx, out, &u, err);
                } else if (a->in.id == MDL_TYPE_INT32 || a->in.id == MDL_TYPE_DATE) {
                    int32_t v32 = (int32_t)v;
                    rc = mdl_column_append_value(ctx, out, &v32, err);
                } else {
                    rc = mdl_column_append_value(ctx, out, &v, err);
                }
                break;
            }
            case P_I128:
                rc = mdl_column_append_value(ctx, out, &WVAL(a, g), err);
                break;
            case P_F64:
                rc = mdl_column_append_value(ctx, out, &FVAL(a, g), err);
                break;
            default:
                rc = mdl_column_append_string(ctx, out, a->arena + SOFF(a, g), SLEN(a, g), err);
            }
        }
    }
    return rc;
}

static void free_states(agg_op *op)
{
    for (size_t i = 0; i < op->num_aggs; i++) {
        agg_state *a = &op->aggs[i];
        mdl_free(op->ctx, a->arena);
        mdl_sql__keytab_free(a->dkt);
        memset(a, 0, sizeof *a);
    }
}

static int agg_next(mdl_batch_stream *s, mdl_batch **out, mdl_error *err)
{
    agg_op *op = s->private_data;
    *out = NULL;
    int rc = MDL_OK;
    if (!op->consumed) {
        for (;;) {
            mdl_batch *b = NULL;
            rc = mdl_batch_stream_next(op->child, &b, err);
            if (rc != MDL_OK)
                return rc;
            if (b == NULL)
                break;
            rc = consume_batch(op, b, err);
            mdl_batch_free(b);
            if (rc != MDL_OK)
                return rc;
        }
        op->consumed = true;
        /* The input is done: free what it holds before the output is produced. */
        mdl_batch_stream_release(op->child);
        op->child = NULL;
        mdl_sql__keytab_free(op->kt);
        op->kt = NULL;
        for (size_t i = 0; i < op->num_aggs; i++) {
            mdl_sql__keytab_free(op->aggs[i].dkt);
            op->aggs[i].dkt = NULL;
        }
    }
    if (op->emitted >= op->groups)
        return MDL_OK;
    size_t per = op->ctx->limits.batch_rows ? op->ctx->limits.batch_rows : MDL_DEFAULT_BATCH_ROWS;
    size_t n = op->groups - op->emitted < per ? op->groups - op->emitted : per;
    mdl_batch *b = NULL;
    rc = mdl_batch_new(op->ctx, op->base.schema, n, &b, err);
    if (rc != MDL_OK)
        return rc;
    for (size_t k = 0; k < op->num_keys && rc == MDL_OK; k++)
        rc = mdl_sql__col_append_rows(op->ctx, &b->columns[k], &op->keystore[k], NULL, op->emitted,
                                      n, err);
    for (size_t i = 0; i < op->num_aggs && rc == MDL_OK; i++)
        rc = emit_agg(op, &op->aggs[i], &b->columns[op->num_keys + i], op->emitted, n, err);
    if (rc != MDL_OK) {
        mdl_batch_free(b);
        return rc;
    }
    b->num_rows = n;
    op->emitted += n;
    *out = b;
    return MDL_OK;
}

static void agg_release(mdl_batch_stream *s)
{
    agg_op *op = s->private_data;
    mdl_ctx *ctx = op->ctx;
    mdl_batch_stream_release(op->child);
    mdl_sql__keytab_free(op->kt);
    if (op->keystore != NULL)
        for (size_t k = 0; k < op->num_keys; k++)
            mdl_sql__col_free(ctx, &op->keystore[k]);
    if (op->aggs != NULL)
        free_states(op);
    mdl_free(ctx, op->states_raw);
    mdl_free(ctx, op->keystore);
    mdl_free(ctx, op->aggs);
    mdl_free(ctx, op->keys);
    mdl_free(ctx, op->ids);
    mdl_free(ctx, op->rows);
    mdl_free(ctx, op->dids);
    mdl_free(ctx, op->gid64);
    mdl_schema_release(op->base.schema);
    mdl_free(ctx, op);
}

int mdl_sql__op_hash_aggregate(mdl_ctx *ctx, mdl_batch_stream *child, const size_t *keys,
                               size_t num_keys, const sql_agg_spec *aggs, size_t num_aggs,
                               size_t budget_bytes, mdl_batch_stream **out, mdl_error *err)
{
    *out = NULL;
    int rc = MDL_OK;
    const mdl_schema *in = child->schema;
    size_t nf = num_keys + num_aggs;
    mdl_field_def *defs = mdl_calloc(ctx, nf ? nf : 1, sizeof *defs);
    char(*names)[32] = mdl_calloc(ctx, num_aggs ? num_aggs : 1, 32);
    mdl_type *ktypes = mdl_calloc(ctx, num_keys ? num_keys : 1, sizeof *ktypes);
    agg_op *op = mdl_calloc(ctx, 1, sizeof *op);
    if (op != NULL) {
        op->ctx = ctx;
        op->child = child;
        op->num_keys = num_keys;
        op->num_aggs = num_aggs;
        op->keys = mdl_calloc(ctx, num_keys ? num_keys : 1, sizeof *op->keys);
        op->aggs = mdl_calloc(ctx, num_aggs ? num_aggs : 1, sizeof *op->aggs);
        op->keystore = mdl_calloc(ctx, num_keys ? num_keys : 1, sizeof *op->keystore);
        op->base.private_data = op;
        op->base.release = agg_release;
        op->base.next = agg_next;
    }
    if (defs == NULL || names == NULL || ktypes == NULL || op == NULL || op->keys == NULL ||
        op->aggs == NULL || op->keystore == NULL) {
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory creating GROUP BY");
        goto cleanup;
    }
    op->budget = mdl_sql__budget(ctx, budget_bytes);
    for (size_t k = 0; k < num_keys; k++) {
        if (keys[k] >= in->num_fields) {
            rc = mdl_error_set(err, MDL_ERR_INVALID_ARG, "GROUP BY key column %zu out of range",
                               keys[k]);
            goto cleanup;
        }
        op->keys[k] = keys[k];
        ktypes[k] = in->fields[keys[k]].type;
        defs[k].name = in->fields[keys[k]].name;
        defs[k].type = ktypes[k];
        defs[k].nullable = in->fields[keys[k]].nullable;
        rc = mdl_sql__col_init(ctx, &op->keystore[k], ktypes[k], 1024, err);
        if (rc != MDL_OK)
            goto cleanup;
    }
    for (size_t i = 0; i < num_aggs; i++) {
        agg_state *a = &op->aggs[i];
        a->kind = aggs[i].kind;
        a->column = aggs[i].column;
        a->in = mdl_type_make(MDL_TYPE_INT64);
        if (a->kind != SQL_HAGG_COUNT_STAR) {
            if (a->column >= in->num_fields) {
                rc = mdl_error_set(err, MDL_ERR_INVALID_ARG, "aggregate column %zu out of range",
                                   a->column);
                goto cleanup;
            }
            a->in = in->fields[a->column].type;
        }
        rc = mdl_sql__agg_result_type(a->kind, a->in, &a->out, err);
        if (rc != MDL_OK)
            goto cleanup;
        a->phys = phys_of(a->in);
        if (a->kind == SQL_HAGG_COUNT_DISTINCT) {
            mdl_type dt[2] = {mdl_type_make(MDL_TYPE_INT64), a->in};
            rc = mdl_sql__keytab_new(ctx, dt, 2, false, &a->dkt, err);
            if (rc != MDL_OK)
                goto cleanup;
        }
        if (aggs[i].name != NULL) {
            defs[num_keys + i].name = aggs[i].name;
        } else {
            snprintf(names[i], 32, "agg%zu", i);
            defs[num_keys + i].name = names[i];
        }
        defs[num_keys + i].type = a->out;
        defs[num_keys + i].nullable = a->kind != SQL_HAGG_COUNT_STAR && a->kind != SQL_HAGG_COUNT &&
                                      a->kind != SQL_HAGG_COUNT_DISTINCT;
    }
    layout(op);
    rc = mdl_schema_new(ctx, defs, nf, &op->base.schema, err);
    if (rc != MDL_OK)
        goto cleanup;
    if (num_keys > 0) {
        rc = mdl_sql__keytab_new(ctx, ktypes, num_keys, true, &op->kt, err);
    } else {
        op->groups = 1; /* the one global group, present even for an empty input */
        rc = ensure_groups(op, 1, err);
    }
    if (rc != MDL_OK)
        goto cleanup;
    *out = &op->base;
    op = NULL;
cleanup:
    if (op != NULL) {
        if (op->keys != NULL && op->aggs != NULL && op->keystore != NULL)
            agg_release(&op->base); /* releases the child too */
        else {
            mdl_batch_stream_release(child);
            mdl_free(ctx, op->keys);
            mdl_free(ctx, op->aggs);
            mdl_free(ctx, op->keystore);
            mdl_free(ctx, op);
        }
    } else if (rc != MDL_OK) {
        mdl_batch_stream_release(child);
    }
    mdl_free(ctx, defs);
    mdl_free(ctx, names);
    mdl_free(ctx, ktypes);
    return rc;
}
