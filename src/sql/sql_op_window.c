/*
 * sql_op_window.c - window functions over one window (PARTITION BY, ORDER BY, frame).
 *
 * The child is sorted once by (partition columns, ORDER BY keys) with the sort operator; then
 * rows are gathered one partition at a time into a growable batch, every function is computed
 * over the partition in one pass, and the partition's rows plus the results are copied out in
 * batches of batch_rows. Frames are windows [lo, hi) of partition rows whose ends never move
 * backwards as the current row advances (true of the default RANGE frame, whose end is the
 * current row's last peer, and of every ROWS frame we accept), so aggregates are incremental:
 * SUM/COUNT/AVG add the rows entering at hi and subtract those leaving at lo (doubles keep
 * NaN and infinities counted apart so a subtraction never has to undo them), MIN/MAX keep a
 * monotonic deque of candidate rows.
 */
#include <math.h>
#include <string.h>

#include "sql/sql_op_order.h"

typedef struct win_op {
    mdl_batch_stream base;
    mdl_ctx *ctx;
    mdl_batch_stream *sorted;
    mdl_sql_sort_key *part_keys; /* partition columns as keys */
    size_t num_part;
    mdl_sql_sort_key *order;
    size_t num_order;
    mdl_sql_window_fn *fns;
    size_t num_fns;
    size_t num_in;
    size_t budget, batch_rows;
    mdl_schema *res_schema;

    mdl_batch *in; /* current sorted input batch */
    size_t in_pos;
    bool in_done;
    mdl_batch *part; /* the current partition's rows */
    mdl_batch *res;  /* its results, one column per function */
    size_t part_pos; /* rows of `part` already produced */
    bool part_ready;
    size_t *peer_end; /* per partition row: one past its last peer */
    size_t *peer_start;
    size_t *deque;
    size_t scratch_cap;
    int failed;
} win_op;

static int fail(mdl_error *err, int code, const char *msg)
{
    return mdl_error_set(err, code, "window: %s", msg);
}

/* Appends in rows [from, to) to the partition buffer. */
static int part_append(win_op *w, size_t from, size_t to, mdl_error *err)
{
    mdl_batch *p = w->part;
    size_t n = p->num_rows + (to - from);
    for (size_t c = 0; c < w->num_in; c++) {
        mdl_column *dst = &p->columns[c];
        int rc = mdl_sql__column_reserve(w->ctx, dst, n, err);
        for (size_t r = from; rc == MDL_OK && r < to; r++)
            rc = mdl_sql__column_append_from(w->ctx, dst, &w->in->columns[c], r, err);
        if (rc != MDL_OK)
            return rc;
    }
    p->num_rows = n;
    if (n > p->capacity)
        p->capacity = n;
    if (mdl_sql__batch_bytes(p) > w->budget)
        return mdl_error_set(err, MDL_ERR_LIMIT,
                             "window: a partition of more than %zu rows exceeds the memory "
                             "budget of %zu bytes",
                             n, w->budget);
    return MDL_OK;
}

static int ensure_scratch(win_op *w, size_t n, mdl_error *err)
{
    if (n <= w->scratch_cap)
        return MDL_OK;
    size_t bytes;
    if (!mdl_size_mul(n, sizeof(size_t), &bytes))
        return fail(err, MDL_ERR_LIMIT, "partition too large");
    size_t *a = mdl_realloc(w->ctx, w->peer_end, bytes);
    if (a != NULL)
        w->peer_end = a;
    size_t *b = mdl_realloc(w->ctx, w->peer_start, bytes);
    if (b != NULL)
        w->peer_start = b;
    size_t *d = mdl_realloc(w->ctx, w->deque, bytes);
    if (d != NULL)
        w->deque = d;
    if (a == NULL || b == NULL || d == NULL)
        return fail(err, MDL_ERR_NOMEM, "out of memory");
    w->scratch_cap = n;
    return MDL_OK;
}

static void frame_of(const win_op *w, const mdl_sql_window_fn *f, size_t i, size_t n, size_t *lo,
                     size_t *hi)
{
    if (!f->rows_frame) {
        *lo = 0;
        *hi = w->peer_end[i];
        return;
    }
    size_t l = 0, h = n;
    switch (f->start.kind) {
    case MDL_SQL_FRAME_PRECEDING:
        l = i >= f->start.n ? i - (size_t)f->start.n : 0;
        break;
    case MDL_SQL_FRAME_CURRENT_ROW:
        l = i;
        break;
    case MDL_SQL_FRAME_FOLLOWING:
        l = n - i > f->start.n ? i + (size_t)f->start.n : n;
        break;
    default:
        l = 0;
        break;
    }
    switch (f->end.kind) {
    case MDL_SQL_FRAME_CURRENT_ROW:
        h = i + 1;
        break;
    case MDL_SQL_FRAME_FOLLOWING:
        h = n - i - 1 > f->end.n ? i + 1 + (size_t)f->end.n : n;
        break;
    case MDL_SQL_FRAME_PRECEDING:
        h = i >= f->end.n ? i - (size_t)f->end.n + 1 : 0;
        break;
    default:
        h = n;
        break;
    }
    if (h < l)
        h = l;
    *lo = l;
    *hi = h;
}

static int put_i64(mdl_ctx *ctx, mdl_column *c, int64_t v, mdl_error *err)
{
    return mdl_column_append_value(ctx, c, &v, err);
}

/* Running SUM/COUNT/AVG state over [lo, hi). */
typedef struct agg_state {
    mdl_i128 isum;
    double dsum;
    size_t nan, pinf, ninf;
    size_t count;
} agg_state;

static void agg_step(agg_state *a, const mdl_column *c, size_t r, int sign)
{
    if (mdl_column_is_null(c, r))
        return;
    a->count += (size_t)(long)sign;
    switch (c->type.id) {
    case MDL_TYPE_DOUBLE: {
        double v = mdl_column_f64(c, r);
        if (isnan(v))
            a->nan += (size_t)(long)sign;
        else if (isinf(v))
            *(v > 0 ? &a->pinf : &a->ninf) += (size_t)(long)sign;
        else
            a->dsum += sign * v;
        break;
    }
    case MDL_TYPE_BOOLEAN:
        a->isum += sign * (int)mdl_column_bool(c, r);
        break;
    case MDL_TYPE_INT32:
        a->isum += sign * (mdl_i128)mdl_column_i32(c, r);
        break;
    case MDL_TYPE_INT64:
        a->isum += sign * (mdl_i128)mdl_column_i64(c, r);
        break;
    case MDL_TYPE_DECIMAL:
        a->isum += sign * mdl_column_decimal(c, r);
        break;
    default:
        break;
    }
}

static double agg_double(const agg_state *a)
{
    if (a->nan > 0 || (a->pinf > 0 && a->ninf > 0))
        return NAN;
    if (a->pinf > 0)
        return INFINITY;
    if (a->ninf > 0)
        return -INFINITY;
    return a->dsum;
}

static int compute_fn(win_op *w, const mdl_sql_window_fn *f, mdl_column *out, size_t n,
                      mdl_error *err)
{
    mdl_ctx *ctx = w->ctx;
    const mdl_column *arg = &w->part->columns[f->column];
    int rc = MDL_OK;
    switch (f->kind) {
    case MDL_SQL_WIN_ROW_NUMBER:
        for (size_t i = 0; rc == MDL_OK && i < n; i++)
            rc = put_i64(ctx, out, (int64_t)i + 1, err);
        return rc;
    case MDL_SQL_WIN_RANK:
        for (size_t i = 0; rc == MDL_OK && i < n; i++)
            rc = put_i64(ctx, out, (int64_t)w->peer_start[i] + 1, err);
        return rc;
    case MDL_SQL_WIN_DENSE_RANK: {
        int64_t rank = 0;
        for (size_t i = 0; rc == MDL_OK && i < n; i++) {
            if (w->peer_start[i] == i)
                rank++;
            rc = put_i64(ctx, out, rank, err);
        }
        return rc;
    }
    case MDL_SQL_WIN_LAG:
    case MDL_SQL_WIN_LEAD:
        for (size_t i = 0; rc == MDL_OK && i < n; i++) {
            bool lag = f->kind == MDL_SQL_WIN_LAG;
            bool in = lag ? i >= f->offset : (n - i > f->offset);
            if (in)
                rc = mdl_sql__column_append_from(
                    ctx, out, arg, lag ? i - (size_t)f->offset : i + (size_t)f->offset, err);
            else if (f->default_column >= 0)
                rc = mdl_sql__column_append_from(ctx, out, &w->part->columns[f->default_column], i,
                                                 err);
            else
                rc = mdl_column_append_null(ctx, out, err);
        }
        return rc;
    case MDL_SQL_WIN_FIRST_VALUE:
    case MDL_SQL_WIN_LAST_VALUE:
        for (size_t i = 0; rc == MDL_OK && i < n; i++) {
            size_t lo, hi;
            frame_of(w, f, i, n, &lo, &hi);
            if (lo >= hi)
                rc = mdl_column_append_null(ctx, out, err);
            else
                rc = mdl_sql__column_append_from(
                    ctx, out, arg, f->kind == MDL_SQL_WIN_FIRST_VALUE ? lo : hi - 1, err);
        }
        return rc;
    case MDL_SQL_WIN_MIN:
    case MDL_SQL_WIN_MAX: {
        /* Monotonic deque of row indexes with values strictly improving from the back. */
        int sign = f->kind == MDL_SQL_WIN_MIN ? 1 : -1;
        size_t head = 0, tail = 0, cur_hi = 0;
        for (size_t i = 0; rc == MDL_OK && i < n; i++) {
            size_t lo, hi;
            frame_of(w, f, i, n, &lo, &hi);
            for (; cur_hi < hi; cur_hi++) {
                if (mdl_column_is_null(arg, cur_hi))
                    continue;
                while (tail > head &&
                       sign * mdl_sql__value_cmp(arg, w->deque[tail - 1], arg, cur_hi) > 0)
                    tail--;
                w->deque[tail++] = cur_hi;
            }
            while (tail > head && w->deque[head] < lo)
                head++;
            if (tail > head)
                rc = mdl_sql__column_append_from(ctx, out, arg, w->deque[head], err);
            else
                rc = mdl_column_append_null(ctx, out, err);
        }
        return rc;
    }
    case MDL_SQL_WIN_SUM:
    case MDL_SQL_WIN_COUNT:
    case MDL_SQL_WIN_COUNT_STAR:
    case MDL_SQL_WIN_AVG: {
        agg_state a = {0};
        size_t cur_lo = 0, cur_hi = 0;
        bool star = f->kind == MDL_SQL_WIN_COUNT_STAR;
        for (size_t i = 0; rc == MDL_OK && i < n; i++) {
            size_t lo, hi;
            frame_of(w, f, i, n, &lo, &hi);
            if (!star) {
                for (; cur_hi < hi; cur_hi++)
                    agg_step(&a, arg, cur_hi, 1);
                for (; cur_lo < lo; cur_lo++)
                    agg_step(&a, arg, cur_lo, -1);
            }
            if (f->kind == MDL_SQL_WIN_COUNT_STAR) {
                rc = put_i64(ctx, out, (int64_t)(hi - lo), err);
            } else if (f->kind == MDL_SQL_WIN_COUNT) {
                rc = put_i64(ctx, out, (int64_t)a.count, err);
            } else if (a.count == 0) {
                rc = mdl_column_append_null(ctx, out, err);
            } else if (f->kind == MDL_SQL_WIN_SUM) {
                if (arg->type.id == MDL_TYPE_DOUBLE) {
                    double d = agg_double(&a);
                    rc = mdl_column_append_value(ctx, out, &d, err);
                } else {
                    rc = mdl_column_append_value(ctx, out, &a.isum, err);
                }
            } else {
                double d;
                if (arg->type.id == MDL_TYPE_DOUBLE)
                    d = agg_double(&a) / (double)a.count;
                else {
                    /* DuckDB scales the decimal sum to a double first, then divides. */
                    d = (double)a.isum;
                    if (arg->type.id == MDL_TYPE_DECIMAL)
                        d /= (double)mdl_decimal_pow10(arg->type.scale);
                    d /= (double)a.count;
                }
                rc = mdl_column_append_value(ctx, out, &d, err);
            }
        }
        return rc;
    }
    }
    return fail(err, MDL_ERR_INVALID_ARG, "unknown function");
}

static int compute(win_op *w, mdl_error *err)
{
    size_t n = w->part->num_rows;
    int rc = ensure_scratch(w, n, err);
    if (rc != MDL_OK)
        return rc;
    /* Peer groups: rows equal on every ORDER BY key (all rows without ORDER BY). */
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && mdl_sql__row_cmp(w->order, w->num_order, w->part, i - 1, w->part, i) != 0) {
            for (size_t j = start; j < i; j++)
                w->peer_end[j] = i;
            start = i;
        }
        w->peer_start[i] = start;
    }
    for (size_t j = start; j < n; j++)
        w->peer_end[j] = n;
    mdl_batch_clear(w->res);
    for (size_t f = 0; f < w->num_fns; f++) {
        mdl_column *out = &w->res->columns[f];
        if ((rc = mdl_sql__column_reserve(w->ctx, out, n, err)) != MDL_OK)
            return rc;
        if ((rc = compute_fn(w, &w->fns[f], out, n, err)) != MDL_OK)
            return rc;
    }
    w->res->num_rows = n;
    if (n > w->res->capacity)
        w->res->capacity = n;
    return MDL_OK;
}

/* Gathers the next partition into w->part and computes it; part_ready false at the end. */
static int fill_partition(win_op *w, mdl_error *err)
{
    mdl_batch_clear(w->part);
    w->part_pos = 0;
    w->part_ready = false;
    for (;;) {
        if (w->in == NULL || w->in_pos == w->in->num_rows) {
            mdl_batch_free(w->in);
            w->in = NULL;
            w->in_pos = 0;
            if (w->in_done)
                break;
            int rc = mdl_batch_stream_next(w->sorted, &w->in, err);
            if (rc != MDL_OK)
                return rc;
            if (w->in == NULL) {
                w->in_done = true;
                break;
            }
            continue;
        }
        /* Extend over the run of input rows in the partition of the buffer's first row. */
        const mdl_batch *ref = w->part->num_rows ? w->part : w->in;
        size_t ref_row = w->part->num_rows ? 0 : w->in_pos;
        size_t end = w->in_pos;
        while (end < w->in->num_rows &&
               mdl_sql__row_cmp(w->part_keys, w->num_part, ref, ref_row, w->in, end) == 0)
            end++;
        int rc = part_append(w, w->in_pos, end, err);
        if (rc != MDL_OK)
            return rc;
        bool complete = end < w->in->num_rows;
        w->in_pos = end;
        if (complete)
            break;
    }
    if (w->part->num_rows == 0)
        return MDL_OK;
    w->part_ready = true;
    return compute(w, err);
}

static int win_next(mdl_batch_stream *self, mdl_batch **out, mdl_error *err)
{
    win_op *w = self->private_data;
    *out = NULL;
    if (w->failed)
        return mdl_error_set(err, w->failed, "window: the stream failed before");
    mdl_batch *b = NULL;
    int rc = mdl_batch_new(w->ctx, w->base.schema, w->batch_rows, &b, err);
    while (rc == MDL_OK && b->num_rows < w->batch_rows) {
        if (!w->part_ready || w->part_pos == w->part->num_rows) {
            if (w->in_done && (w->in == NULL))
                break;
            rc = fill_partition(w, err);
            if (rc != MDL_OK || !w->part_ready)
                break;
        }
        size_t k = w->part->num_rows - w->part_pos;
        if (k > w->batch_rows - b->num_rows)
            k = w->batch_rows - b->num_rows;
        for (size_t c = 0; rc == MDL_OK && c < w->base.schema->num_fields; c++) {
            const mdl_column *src =
                c < w->num_in ? &w->part->columns[c] : &w->res->columns[c - w->num_in];
            for (size_t r = w->part_pos; rc == MDL_OK && r < w->part_pos + k; r++)
                rc = mdl_sql__column_append_from(w->ctx, &b->columns[c], src, r, err);
        }
        b->num_rows += k;
        w->part_pos += k;
    }
    if (rc != MDL_OK) {
        mdl_batch_free(b);
        w->failed = rc;
        return rc;
    }
    if (b->num_rows == 0)
        mdl_batch_free(b);
    else
        *out = b;
    return MDL_OK;
}

static void win_release(mdl_batch_stream *self)
{
    win_op *w = self->private_data;
    mdl_ctx *ctx = w->ctx;
    mdl_batch_stream_release(w->sorted);
    mdl_batch_free(w->in);
    mdl_batch_free(w->part);
    mdl_batch_free(w->res);
    mdl_schema_release(w->res_schema);
    mdl_schema_release(w->base.schema);
    if (w->fns != NULL)
        for (size_t i = 0; i < w->num_fns; i++)
            mdl_free(ctx, (void *)(uintptr_t)w->fns[i].name);
    mdl_free(ctx, w->fns);
    mdl_free(ctx, w->part_keys);
    mdl_free(ctx, w->order);
    mdl_free(ctx, w->peer_end);
    mdl_free(ctx, w->peer_start);
    mdl_free(ctx, w->deque);
    mdl_free(ctx, w);
}

/* The result type of `f` over an argument of type `t`; MDL_ERR_SCHEMA when there is none. */
static int result_type(const mdl_sql_window_fn *f, mdl_type t, mdl_type *out, bool *nullable,
                       mdl_error *err)
{
    *nullable = true;
    switch (f->kind) {
    case MDL_SQL_WIN_ROW_NUMBER:
    case MDL_SQL_WIN_RANK:
    case MDL_SQL_WIN_DENSE_RANK:
    case MDL_SQL_WIN_COUNT:
    case MDL_SQL_WIN_COUNT_STAR:
        *nullable = false;
        *out = mdl_type_make(MDL_TYPE_INT64);
        return MDL_OK;
    case MDL_SQL_WIN_SUM:
    case MDL_SQL_WIN_AVG:
        if (t.id == MDL_TYPE_DOUBLE ||
            (f->kind == MDL_SQL_WIN_AVG && t.id != MDL_TYPE_BOOLEAN &&
             (t.id == MDL_TYPE_INT32 || t.id == MDL_TYPE_INT64 || t.id == MDL_TYPE_DECIMAL))) {
            *out = mdl_type_make(MDL_TYPE_DOUBLE);
            return MDL_OK;
        }
        if (f->kind == MDL_SQL_WIN_SUM && (t.id == MDL_TYPE_BOOLEAN || t.id == MDL_TYPE_INT32 ||
                                           t.id == MDL_TYPE_INT64 || t.id == MDL_TYPE_DECIMAL)) {
            *out = mdl_type_decimal(38, t.id == MDL_TYPE_DECIMAL ? t.scale : 0);
            return MDL_OK;
        }
        return mdl_error_set(err, MDL_ERR_SCHEMA, "window: no %s for %s",
                             f->kind == MDL_SQL_WIN_SUM ? "sum" : "avg", mdl_type_name(t.id));
    default:
        *out = t;
        return MDL_OK;
    }
}

static bool frame_valid(const mdl_sql_window_fn *f)
{
    if (!f->rows_frame)
        return true;
    mdl_sql_frame_bound_kind s = f->start.kind, e = f->end.kind;
    if (s < MDL_SQL_FRAME_UNBOUNDED_PRECEDING || s > MDL_SQL_FRAME_FOLLOWING)
        return false;
    if (e < MDL_SQL_FRAME_PRECEDING || e > MDL_SQL_FRAME_UNBOUNDED_FOLLOWING)
        return false;
    /* The end may not come before the start's kind (SQL's rule, e.g. no CURRENT ROW AND 1
     * PRECEDING). */
    return e >= s;
}

int mdl_sql__window_new(mdl_ctx *ctx, mdl_batch_stream *child, const mdl_sql_window_options *opt,
                        mdl_batch_stream **out, mdl_error *err)
{
    *out = NULL;
    const mdl_schema *in = child->schema;
    size_t nin = in->num_fields;
    int rc = MDL_OK;
    mdl_field_def *defs = NULL;
    mdl_sql_sort_key *sort_keys = NULL;
    win_op *w = mdl_calloc(ctx, 1, sizeof *w);
    if (w == NULL) {
        mdl_batch_stream_release(child);
        return fail(err, MDL_ERR_NOMEM, "out of memory");
    }
    w->ctx = ctx;
    w->base.next = win_next;
    w->base.release = win_release;
    w->base.private_data = w;
    w->num_in = nin;
    w->budget = mdl_sql__budget(ctx, opt->budget_bytes);
    w->batch_rows = ctx->limits.batch_rows ? ctx->limits.batch_rows : MDL_DEFAULT_BATCH_ROWS;
    for (size_t i = 0; i < opt->num_partition; i++)
        if (opt->partition[i] >= nin)
            rc = fail(err, MDL_ERR_INVALID_ARG, "partition column out of range");
    for (size_t i = 0; i < opt->num_order; i++)
        if (opt->order[i].column >= nin)
            rc = fail(err, MDL_ERR_INVALID_ARG, "order column out of range");
    for (size_t i = 0; rc == MDL_OK && i < opt->num_fns; i++) {
        const mdl_sql_window_fn *f = &opt->fns[i];
        bool needs_arg = f->kind != MDL_SQL_WIN_ROW_NUMBER && f->kind != MDL_SQL_WIN_RANK &&
                         f->kind != MDL_SQL_WIN_DENSE_RANK && f->kind != MDL_SQL_WIN_COUNT_STAR;
        if (f->kind < MDL_SQL_WIN_ROW_NUMBER || f->kind > MDL_SQL_WIN_AVG)
            rc = fail(err, MDL_ERR_INVALID_ARG, "unknown function");
        else if (needs_arg && f->column >= nin)
            rc = fail(err, MDL_ERR_INVALID_ARG, "argument column out of range");
        else if (f->default_column >= 0 &&
                 ((size_t)f->default_column >= nin ||
                  !mdl_type_equal(in->fields[f->default_column].type, in->fields[f->column].type)))
            rc = fail(err, MDL_ERR_SCHEMA, "LAG/LEAD default column must have the argument's type");
        else if (!frame_valid(f))
            rc = fail(err, MDL_ERR_INVALID_ARG, "invalid ROWS frame");
    }
    size_t nkeys = opt->num_partition + opt->num_order;
    size_t nout = nin + opt->num_fns;
    if (rc == MDL_OK) {
        w->part_keys = mdl_calloc(ctx, opt->num_partition + 1, sizeof *w->part_keys);
        w->order = mdl_calloc(ctx, opt->num_order + 1, sizeof *w->order);
        w->fns = mdl_calloc(ctx, opt->num_fns + 1, sizeof *w->fns);
        sort_keys = mdl_calloc(ctx, nkeys + 1, sizeof *sort_keys);
        defs = mdl_calloc(ctx, nout + 1, sizeof *defs);
        if (!w->part_keys || !w->order || !w->fns || !sort_keys || !defs)
            rc = fail(err, MDL_ERR_NOMEM, "out of memory");
    }
    if (rc == MDL_OK) {
        w->num_part = opt->num_partition;
        for (size_t i = 0; i < opt->num_partition; i++) {
            w->part_keys[i].column = opt->partition[i];
            sort_keys[i] = w->part_keys[i];
        }
        w->num_order = opt->num_order;
        for (size_t i = 0; i < opt->num_order; i++) {
            w->order[i] = opt->order[i];
            sort_keys[opt->num_partition + i] = opt->order[i];
        }
        for (size_t i = 0; i < nin; i++) {
            defs[i].name = in->fields[i].name;
            defs[i].type = in->fields[i].type;
            defs[i].nullable = in->fields[i].nullable;
        }
        w->num_fns = opt->num_fns;
        for (size_t i = 0; rc == MDL_OK && i < opt->num_fns; i++) {
            w->fns[i] = opt->fns[i];
            w->fns[i].name = mdl_strdup(ctx, opt->fns[i].name ? opt->fns[i].name : "");
            if (w->fns[i].name == NULL) {
                rc = fail(err, MDL_ERR_NOMEM, "out of memory");
                break;
            }
            mdl_type at = w->fns[i].column < nin ? in->fields[w->fns[i].column].type
                                                 : mdl_type_make(MDL_TYPE_INT64);
            defs[nin + i].name = w->fns[i].name;
            rc = result_type(&w->fns[i], at, &defs[nin + i].type, &defs[nin + i].nullable, err);
        }
    }
    if (rc == MDL_OK)
        rc = mdl_schema_new(ctx, defs, nout, &w->base.schema, err);
    if (rc == MDL_OK)
        rc = mdl_schema_new(ctx, defs + nin, opt->num_fns, &w->res_schema, err);
    if (rc == MDL_OK)
        rc = mdl_batch_new(ctx, child->schema, 64, &w->part, err);
    if (rc == MDL_OK)
        rc = mdl_batch_new(ctx, w->res_schema, 64, &w->res, err);
    if (rc == MDL_OK) {
        w->part->capacity = 64;
        mdl_sql_sort_options so = {.keys = sort_keys,
                                   .num_keys = nkeys,
                                   .budget_bytes = opt->budget_bytes,
                                   .temp_dir = opt->temp_dir};
        rc = mdl_sql__sort_new(ctx, child, &so, &w->sorted, err);
        child = NULL; /* owned by the sort now, even on failure */
    }
    mdl_free(ctx, defs);
    mdl_free(ctx, sort_keys);
    mdl_batch_stream_release(child);
    if (rc != MDL_OK) {
        win_release(&w->base);
        return rc;
    }
    *out = &w->base;
    return MDL_OK;
}
