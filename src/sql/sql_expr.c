/*
 * sql_expr.c - bound expressions: the builders (which resolve functions and insert the
 * implicit casts) and the vectorized evaluator. An expression is computed for a whole batch
 * at a time: arguments into temporary columns, then the function over all rows. Functions
 * that are NULL-in-NULL-out see only the rows where every argument is present (the
 * evaluator compacts and scatters), so they never compute on the placeholder values of null
 * rows. CASE evaluates each WHEN only on the rows no earlier branch took and each THEN only
 * on the rows that take it, so an error in a branch a row does not take never fires
 * (CASE WHEN x = 0 THEN 0 ELSE 1 / x END).
 */
#include <string.h>

#include "sql/sql_func.h"

/* ---- builders --------------------------------------------------------------------------- */

static sql_bound *node_new(mdl_ctx *ctx, sql_bound_kind kind, mdl_type type, mdl_error *err)
{
    sql_bound *e = mdl_calloc(ctx, 1, sizeof *e);
    if (e == NULL) {
        mdl_error_set(err, MDL_ERR_NOMEM, "out of memory building an expression");
        return NULL;
    }
    e->kind = kind;
    e->type = type;
    return e;
}

static void free_args(mdl_ctx *ctx, sql_bound **args, size_t n)
{
    if (args == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        mdl_sql__bound_free(ctx, args[i]);
}

void mdl_sql__bound_free(mdl_ctx *ctx, sql_bound *e)
{
    if (e == NULL)
        return;
    free_args(ctx, e->args, e->num_args);
    mdl_free(ctx, e->args);
    if (e->literal != NULL) {
        mdl_column_reset(ctx, e->literal);
        mdl_free(ctx, e->literal);
    }
    mdl_free(ctx, e);
}

int mdl_sql__bound_column(mdl_ctx *ctx, size_t column, mdl_type type, sql_bound **out,
                          mdl_error *err)
{
    *out = node_new(ctx, SQL_B_COLUMN, type, err);
    if (*out == NULL)
        return MDL_ERR_NOMEM;
    (*out)->column = column;
    return MDL_OK;
}

int mdl_sql__bound_literal(mdl_ctx *ctx, mdl_column *value, sql_bound **out, mdl_error *err)
{
    *out = NULL;
    if (value == NULL || value->length != 1) {
        if (value != NULL) {
            mdl_column_reset(ctx, value);
            mdl_free(ctx, value);
        }
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "a literal is a one-row column");
    }
    sql_bound *e = node_new(ctx, SQL_B_LITERAL, value->type, err);
    if (e == NULL) {
        mdl_column_reset(ctx, value);
        mdl_free(ctx, value);
        return MDL_ERR_NOMEM;
    }
    e->literal = value;
    *out = e;
    return MDL_OK;
}

/* A one-row NULL column of `type` as a literal node. */
static int null_literal(mdl_ctx *ctx, mdl_type type, bool untyped, sql_bound **out, mdl_error *err)
{
    *out = NULL;
    mdl_column *c = mdl_calloc(ctx, 1, sizeof *c);
    if (c == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory building an expression");
    int rc = mdl_column_init(ctx, c, type, 1, err);
    if (rc == MDL_OK)
        rc = mdl_column_append_null(ctx, c, err);
    if (rc != MDL_OK) {
        mdl_column_reset(ctx, c);
        mdl_free(ctx, c);
        return rc;
    }
    rc = mdl_sql__bound_literal(ctx, c, out, err);
    if (rc == MDL_OK)
        (*out)->null_only = untyped;
    return rc;
}

int mdl_sql__bound_null(mdl_ctx *ctx, sql_bound **out, mdl_error *err)
{
    return null_literal(ctx, mdl_type_make(MDL_TYPE_INT32), true, out, err);
}

/* Gives `*slot` the type `to`: an untyped NULL becomes a typed one, others get a CAST node. */
static int coerce(mdl_ctx *ctx, sql_bound **slot, mdl_type to, mdl_error *err)
{
    sql_bound *a = *slot;
    if (a->null_only) {
        sql_bound *n;
        int rc = null_literal(ctx, to, false, &n, err);
        if (rc != MDL_OK)
            return rc;
        n->line = a->line;
        n->col = a->col;
        mdl_sql__bound_free(ctx, a);
        *slot = n;
        return MDL_OK;
    }
    if (mdl_type_equal(a->type, to))
        return MDL_OK;
    sql_bound *c = node_new(ctx, SQL_B_CAST, to, err);
    if (c == NULL)
        return MDL_ERR_NOMEM;
    c->args = mdl_calloc(ctx, 1, sizeof *c->args);
    if (c->args == NULL) {
        mdl_free(ctx, c);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory building an expression");
    }
    c->args[0] = a;
    c->num_args = 1;
    c->line = a->line;
    c->col = a->col;
    *slot = c;
    return MDL_OK;
}

/* Takes ownership of args (an array the caller allocated or not: copied here). */
static int node_with_args(mdl_ctx *ctx, sql_bound_kind kind, mdl_type type, sql_bound **args,
                          size_t n, sql_bound **out, mdl_error *err)
{
    sql_bound *e = node_new(ctx, kind, type, err);
    sql_bound **copy = n ? mdl_calloc(ctx, n, sizeof *copy) : NULL;
    if (e == NULL || (n && copy == NULL)) {
        mdl_free(ctx, e);
        mdl_free(ctx, copy);
        free_args(ctx, args, n);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory building an expression");
    }
    if (n)
        memcpy(copy, args, n * sizeof *copy);
    e->args = copy;
    e->num_args = n;
    *out = e;
    return MDL_OK;
}

/* The value of a constant integer expression: a literal, maybe negated or cast. */
static bool const_int(const sql_bound *e, int64_t *out)
{
    if (e->kind == SQL_B_LITERAL && !mdl_column_is_null(e->literal, 0) &&
        sql_is_int(e->literal->type.id)) {
        *out = e->literal->type.id == MDL_TYPE_INT32 ? mdl_column_i32(e->literal, 0)
                                                     : mdl_column_i64(e->literal, 0);
        return true;
    }
    if ((e->kind == SQL_B_CAST && sql_is_int(e->type.id)) ||
        (e->kind == SQL_B_CALL && strcmp(e->fn->name, "neg") == 0)) {
        if (!const_int(e->args[0], out) || *out == INT64_MIN)
            return false;
        if (e->kind == SQL_B_CALL)
            *out = -*out;
        return true;
    }
    return false;
}

int mdl_sql__bound_call(mdl_ctx *ctx, const char *name, sql_bound **args, size_t num_args,
                        sql_bound **out, mdl_error *err)
{
    *out = NULL;
    sql_type types[64] = {{{0, 0, 0}, false}};
    mdl_type cast_to[64], result;
    if (num_args > 64) {
        free_args(ctx, args, num_args);
        return mdl_error_set(err, MDL_ERR_LIMIT, "function %s: more than 64 arguments", name);
    }
    for (size_t i = 0; i < num_args; i++) {
        types[i].t = args[i]->type;
        types[i].null_only = args[i]->null_only;
    }
    const sql_function *fn;
    int rc = mdl_sql__func_resolve(name, types, num_args, &fn, &result, cast_to, err);
    if (rc != MDL_OK) {
        free_args(ctx, args, num_args);
        return rc;
    }
    for (size_t i = 0; i < num_args; i++) {
        rc = coerce(ctx, &args[i], cast_to[i], err);
        if (rc != MDL_OK) {
            free_args(ctx, args, num_args);
            return rc;
        }
    }
    /* round(decimal, n) with a constant n: DECIMAL(p, max(n, 0)) as in DuckDB. */
    int64_t d;
    if (strcmp(fn->name, "round") == 0 && result.id == MDL_TYPE_DECIMAL && num_args == 2 &&
        const_int(args[1], &d)) {
        if (d < 0)
            d = 0;
        if (d < result.scale)
            result.scale = (uint8_t)d;
    }
    rc = node_with_args(ctx, SQL_B_CALL, result, args, num_args, out, err);
    if (rc != MDL_OK)
        return rc;
    (*out)->fn = fn;
    if (strncmp(fn->name, "current_", 8) == 0)
        (*out)->now_micros = mdl_now_micros();
    return MDL_OK;
}

int mdl_sql__bound_cast(mdl_ctx *ctx, sql_bound *arg, mdl_type to, bool try_cast, sql_bound **out,
                        mdl_error *err)
{
    *out = NULL;
    if (!arg->null_only && !mdl_sql__castable(arg->type, to)) {
        char a[32], b[32];
        mdl_type_format(arg->type, a, sizeof a);
        mdl_type_format(to, b, sizeof b);
        mdl_sql__bound_free(ctx, arg);
        return mdl_error_set(err, MDL_ERR_SCHEMA, "cannot cast %s to %s", a, b);
    }
    if (arg->null_only || mdl_type_equal(arg->type, to)) {
        int rc = coerce(ctx, &arg, to, err);
        if (rc != MDL_OK) {
            mdl_sql__bound_free(ctx, arg);
            return rc;
        }
        *out = arg;
        return MDL_OK;
    }
    int rc = node_with_args(ctx, SQL_B_CAST, to, &arg, 1, out, err);
    if (rc == MDL_OK) {
        (*out)->try_cast = try_cast;
        (*out)->line = arg->line;
        (*out)->col = arg->col;
    }
    return rc;
}

int mdl_sql__bound_case(mdl_ctx *ctx, sql_bound **args, size_t num_args, bool has_else,
                        sql_bound **out, mdl_error *err)
{
    *out = NULL;
    size_t pairs = (num_args - (has_else ? 1 : 0)) / 2;
    int rc = MDL_OK;
    if (pairs == 0 || pairs * 2 + (has_else ? 1 : 0) != num_args) {
        rc = mdl_error_set(err, MDL_ERR_INVALID_ARG, "CASE needs WHEN/THEN pairs");
        goto fail;
    }
    sql_type acc = {mdl_type_make(MDL_TYPE_INT32), true};
    for (size_t i = 0; i < num_args; i++) {
        bool is_when = i % 2 == 0 && i / 2 < pairs;
        if (is_when) {
            if (!args[i]->null_only && args[i]->type.id != MDL_TYPE_BOOLEAN) {
                char t[32];
                mdl_type_format(args[i]->type, t, sizeof t);
                rc =
                    mdl_error_set(err, MDL_ERR_SCHEMA, "CASE WHEN condition is %s, not boolean", t);
                goto fail;
            }
            rc = coerce(ctx, &args[i], mdl_type_make(MDL_TYPE_BOOLEAN), err);
            if (rc != MDL_OK)
                goto fail;
            continue;
        }
        sql_type t = {args[i]->type, args[i]->null_only};
        mdl_type common;
        rc = mdl_sql__common_type(&acc, &t, &common, err);
        if (rc != MDL_OK) {
            mdl_error_prefix(err, "CASE: ");
            goto fail;
        }
        acc.t = common;
        acc.null_only = acc.null_only && t.null_only;
    }
    for (size_t i = 0; i < num_args; i++)
        if (!(i % 2 == 0 && i / 2 < pairs)) {
            rc = coerce(ctx, &args[i], acc.t, err);
            if (rc != MDL_OK)
                goto fail;
        }
    rc = node_with_args(ctx, SQL_B_CASE, acc.t, args, num_args, out, err);
    if (rc == MDL_OK)
        (*out)->has_else = has_else;
    return rc;
fail:
    free_args(ctx, args, num_args);
    return rc;
}

/* ---- evaluation helpers ----------------------------------------------------------------- */

/* Appends row r of src to dst (same type), null included. */
static int append_row(mdl_ctx *ctx, const mdl_column *src, size_t r, mdl_column *dst,
                      mdl_error *err)
{
    if (mdl_column_is_null(src, r))
        return mdl_column_append_null(ctx, dst, err);
    if (dst->type.id == MDL_TYPE_STRING) {
        mdl_strview v = mdl_column_str(src, r);
        return mdl_column_append_string(ctx, dst, v.ptr, v.len, err);
    }
    size_t w = mdl_type_width(dst->type);
    return mdl_column_append_value(ctx, dst, (const char *)src->values + r * w, err);
}

/* dst (initialised empty, capacity >= nsel) = the rows sel[0..nsel) of src. */
static int take(mdl_ctx *ctx, const mdl_column *src, const uint32_t *sel, size_t nsel,
                mdl_column *dst, mdl_error *err)
{
    if (src->type.id != MDL_TYPE_STRING && src->null_count == 0) {
        size_t w = mdl_type_width(src->type);
        for (size_t i = 0; i < nsel; i++)
            memcpy((char *)dst->values + i * w, (const char *)src->values + (size_t)sel[i] * w, w);
        dst->length = nsel;
        return MDL_OK;
    }
    for (size_t i = 0; i < nsel; i++) {
        int rc = append_row(ctx, src, sel[i], dst, err);
        if (rc != MDL_OK)
            return rc;
    }
    return MDL_OK;
}

static void reset_all(mdl_ctx *ctx, mdl_column *cols, size_t n)
{
    if (cols == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        mdl_column_reset(ctx, &cols[i]);
}

static bool uses_column(const sql_bound *e, size_t c)
{
    if (e->kind == SQL_B_COLUMN)
        return e->column == c;
    for (size_t i = 0; i < e->num_args; i++)
        if (uses_column(e->args[i], c))
            return true;
    return false;
}

/* A batch of the rows sel[0..nsel) of `in`: only the columns `e` reads are copied, the others
 * stay empty (columns owned by `sub->columns`). */
static int sub_batch(mdl_ctx *ctx, const sql_bound *e, const mdl_batch *in, const uint32_t *sel,
                     size_t nsel, mdl_batch *sub, mdl_error *err)
{
    size_t nc = in->schema != NULL ? in->schema->num_fields : 0;
    memset(sub, 0, sizeof *sub);
    sub->ctx = ctx;
    sub->schema = in->schema;
    sub->num_rows = nsel;
    sub->capacity = nsel;
    sub->columns = mdl_calloc(ctx, nc ? nc : 1, sizeof(mdl_column));
    if (sub->columns == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory evaluating an expression");
    for (size_t c = 0; c < nc; c++) {
        sub->columns[c].type = in->columns[c].type;
        if (!uses_column(e, c))
            continue;
        int rc = mdl_column_init(ctx, &sub->columns[c], in->columns[c].type, nsel, err);
        if (rc == MDL_OK)
            rc = take(ctx, &in->columns[c], sel, nsel, &sub->columns[c], err);
        if (rc != MDL_OK) {
            reset_all(ctx, sub->columns, nc);
            mdl_free(ctx, sub->columns);
            sub->columns = NULL;
            return rc;
        }
    }
    return MDL_OK;
}

static void sub_batch_free(mdl_ctx *ctx, mdl_batch *sub)
{
    size_t nc = sub->schema != NULL ? sub->schema->num_fields : 0;
    reset_all(ctx, sub->columns, nc);
    mdl_free(ctx, sub->columns);
}

static int broadcast(mdl_ctx *ctx, const mdl_column *lit, size_t n, mdl_column *out, mdl_error *err)
{
    if (lit->type.id != MDL_TYPE_STRING && lit->null_count == 0) {
        size_t w = mdl_type_width(lit->type);
        for (size_t r = 0; r < n; r++)
            memcpy((char *)out->values + r * w, lit->values, w);
        out->length = n;
        return MDL_OK;
    }
    for (size_t r = 0; r < n; r++) {
        int rc = append_row(ctx, lit, 0, out, err);
        if (rc != MDL_OK)
            return rc;
    }
    return MDL_OK;
}

static int copy_column(mdl_ctx *ctx, const mdl_column *src, size_t n, mdl_column *out,
                       mdl_error *err)
{
    if (src->type.id != MDL_TYPE_STRING && src->null_count == 0) {
        memcpy(out->values, src->values, n * mdl_type_width(src->type));
        out->length = n;
        return MDL_OK;
    }
    for (size_t r = 0; r < n; r++) {
        int rc = append_row(ctx, src, r, out, err);
        if (rc != MDL_OK)
            return rc;
    }
    return MDL_OK;
}

/* Evaluates e over `in` into a fresh column *col (initialised here; reset by the caller). */
static int eval_new(mdl_ctx *ctx, const sql_bound *e, const mdl_batch *in, mdl_column *col,
                    mdl_error *err)
{
    int rc = mdl_column_init(ctx, col, e->type, in->num_rows, err);
    if (rc == MDL_OK)
        rc = mdl_sql__eval(ctx, e, in, col, err);
    return rc;
}

static int eval_call(mdl_ctx *ctx, const sql_bound *e, const mdl_batch *in, mdl_column *out,
                     mdl_error *err)
{
    size_t n = in->num_rows, na = e->num_args;
    mdl_column *vals = mdl_calloc(ctx, na ? na : 1, sizeof *vals);
    const mdl_column **argv = mdl_calloc(ctx, na ? na : 1, sizeof *argv);
    mdl_column *packed = NULL, packed_out;
    uint32_t *sel = NULL;
    bool packed_out_init = false;
    int rc = MDL_OK;
    memset(&packed_out, 0, sizeof packed_out);
    if (vals == NULL || argv == NULL) {
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory evaluating an expression");
        goto cleanup;
    }
    bool any_null = false;
    for (size_t i = 0; i < na; i++) {
        const sql_bound *a = e->args[i];
        if (a->kind == SQL_B_COLUMN && in->schema != NULL && a->column < in->schema->num_fields) {
            argv[i] = &in->columns[a->column]; /* input columns are read in place */
        } else {
            rc = eval_new(ctx, a, in, &vals[i], err);
            if (rc != MDL_OK)
                goto cleanup;
            argv[i] = &vals[i];
        }
        any_null |= argv[i]->null_count > 0;
    }
    if (!e->fn->null_in_null_out || !any_null) {
        rc = e->fn->eval(ctx, e, argv, n, out, err);
        goto cleanup;
    }
    /* NULL in, NULL out: run the function on the rows where every argument is present. */
    sel = mdl_alloc(ctx, (n ? n : 1) * sizeof *sel);
    packed = mdl_calloc(ctx, na, sizeof *packed);
    if (sel == NULL || packed == NULL) {
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory evaluating an expression");
        goto cleanup;
    }
    size_t nsel = 0;
    for (size_t r = 0; r < n; r++) {
        bool ok = true;
        for (size_t i = 0; i < na && ok; i++)
            ok = !mdl_column_is_null(argv[i], r);
        if (ok)
            sel[nsel++] = (uint32_t)r;
    }
    for (size_t i = 0; i < na; i++) {
        rc = mdl_column_init(ctx, &packed[i], argv[i]->type, nsel, err);
        if (rc == MDL_OK)
            rc = take(ctx, argv[i], sel, nsel, &packed[i], err);
        if (rc != MDL_OK)
            goto cleanup;
        argv[i] = &packed[i];
    }
    rc = mdl_column_init(ctx, &packed_out, e->type, nsel, err);
    if (rc != MDL_OK)
        goto cleanup;
    packed_out_init = true;
    if (nsel > 0) {
        rc = e->fn->eval(ctx, e, argv, nsel, &packed_out, err);
        if (rc != MDL_OK)
            goto cleanup;
    }
    for (size_t r = 0, k = 0; r < n; r++) {
        if (k < nsel && sel[k] == r)
            rc = append_row(ctx, &packed_out, k++, out, err);
        else
            rc = mdl_column_append_null(ctx, out, err);
        if (rc != MDL_OK)
            goto cleanup;
    }
cleanup:
    if (packed_out_init)
        mdl_column_reset(ctx, &packed_out);
    reset_all(ctx, packed, packed ? na : 0);
    reset_all(ctx, vals, vals ? na : 0);
    mdl_free(ctx, packed);
    mdl_free(ctx, vals);
    mdl_free(ctx, argv);
    mdl_free(ctx, sel);
    return rc;
}

/* Evaluates `e` on the rows sel[0..nsel) of `in` (all rows when sel is NULL). */
static int eval_on(mdl_ctx *ctx, const sql_bound *e, const mdl_batch *in, const uint32_t *sel,
                   size_t nsel, mdl_column *col, mdl_error *err)
{
    if (sel == NULL)
        return eval_new(ctx, e, in, col, err);
    mdl_batch sub;
    int rc = sub_batch(ctx, e, in, sel, nsel, &sub, err);
    if (rc != MDL_OK) {
        memset(col, 0, sizeof *col);
        return rc;
    }
    rc = eval_new(ctx, e, &sub, col, err);
    sub_batch_free(ctx, &sub);
    return rc;
}

static int eval_case(mdl_ctx *ctx, const sql_bound *e, const mdl_batch *in, mdl_column *out,
                     mdl_error *err)
{
    size_t n = in->num_rows;
    size_t pairs = (e->num_args - (e->has_else ? 1 : 0)) / 2, nbranch = pairs + 1;
    uint32_t *rest = mdl_alloc(ctx, (n ? n : 1) * sizeof *rest);
    uint32_t *taken = mdl_alloc(ctx, (n ? n : 1) * sizeof *taken);
    uint32_t *branch = mdl_alloc(ctx, (n ? n : 1) * sizeof *branch); /* per row */
    mdl_column *results = mdl_calloc(ctx, nbranch, sizeof *results);
    int rc = MDL_OK;
    if (rest == NULL || taken == NULL || branch == NULL || results == NULL) {
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory evaluating CASE");
        goto cleanup;
    }
    size_t nrest = n;
    for (size_t r = 0; r < n; r++) {
        rest[r] = (uint32_t)r;
        branch[r] = (uint32_t)pairs; /* else / null */
    }
    for (size_t p = 0; p < pairs && nrest > 0; p++) {
        mdl_column cond;
        rc = eval_on(ctx, e->args[2 * p], in, nrest == n ? NULL : rest, nrest, &cond, err);
        if (rc != MDL_OK) {
            mdl_column_reset(ctx, &cond);
            goto cleanup;
        }
        size_t nt = 0, nr = 0;
        for (size_t i = 0; i < nrest; i++) {
            if (!mdl_column_is_null(&cond, i) && mdl_column_bool(&cond, i)) {
                taken[nt++] = rest[i];
                branch[rest[i]] = (uint32_t)p;
            } else {
                rest[nr++] = rest[i];
            }
        }
        mdl_column_reset(ctx, &cond);
        nrest = nr;
        if (nt > 0) {
            rc = eval_on(ctx, e->args[2 * p + 1], in, nt == n ? NULL : taken, nt, &results[p], err);
            if (rc != MDL_OK)
                goto cleanup;
        }
    }
    if (e->has_else && nrest > 0) {
        rc = eval_on(ctx, e->args[e->num_args - 1], in, nrest == n ? NULL : rest, nrest,
                     &results[pairs], err);
        if (rc != MDL_OK)
            goto cleanup;
    }
    /* Rows of a branch are in increasing order, so a cursor per branch reassembles them. */
    size_t *cursor = mdl_calloc(ctx, nbranch, sizeof *cursor);
    if (cursor == NULL) {
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory evaluating CASE");
        goto cleanup;
    }
    for (size_t r = 0; r < n && rc == MDL_OK; r++) {
        uint32_t b = branch[r];
        if (b == pairs && !e->has_else)
            rc = mdl_column_append_null(ctx, out, err);
        else
            rc = append_row(ctx, &results[b], cursor[b]++, out, err);
    }
    mdl_free(ctx, cursor);
cleanup:
    reset_all(ctx, results, results ? nbranch : 0);
    mdl_free(ctx, results);
    mdl_free(ctx, rest);
    mdl_free(ctx, taken);
    mdl_free(ctx, branch);
    return rc;
}

int mdl_sql__eval(mdl_ctx *ctx, const sql_bound *e, const mdl_batch *in, mdl_column *out,
                  mdl_error *err)
{
    size_t n = in->num_rows;
    if (out->capacity < n)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                             "result column has room for %zu rows, not %zu", out->capacity, n);
    switch (e->kind) {
    case SQL_B_COLUMN:
        if (in->schema == NULL || e->column >= in->schema->num_fields)
            return mdl_error_set(err, MDL_ERR_INVALID_ARG, "column %zu is not in the batch",
                                 e->column);
        return copy_column(ctx, &in->columns[e->column], n, out, err);
    case SQL_B_LITERAL:
        return broadcast(ctx, e->literal, n, out, err);
    case SQL_B_CALL:
        return eval_call(ctx, e, in, out, err);
    case SQL_B_CASE:
        return eval_case(ctx, e, in, out, err);
    case SQL_B_CAST: {
        const sql_bound *a = e->args[0];
        if (a->kind == SQL_B_COLUMN && in->schema != NULL && a->column < in->schema->num_fields)
            return mdl_sql__cast_column(ctx, e, &in->columns[a->column], e->type, e->try_cast, out,
                                        err);
        mdl_column arg;
        int rc = eval_new(ctx, a, in, &arg, err);
        if (rc == MDL_OK)
            rc = mdl_sql__cast_column(ctx, e, &arg, e->type, e->try_cast, out, err);
        mdl_column_reset(ctx, &arg);
        return rc;
    }
    }
    return mdl_error_set(err, MDL_ERR_INVALID_ARG, "bad expression kind %d", (int)e->kind);
}

/* The conjuncts of a filter (a AND b AND c, however nested), up to cap. */
static size_t conjuncts(const sql_bound *e, const sql_bound **out, size_t n, size_t cap)
{
    if (e->kind == SQL_B_CALL && strcmp(e->fn->name, "and") == 0) {
        for (size_t i = 0; i < e->num_args; i++)
            n = conjuncts(e->args[i], out, n, cap);
        return n;
    }
    if (n < cap)
        out[n] = e;
    return n + 1;
}

/* Marks the input columns an expression reads. */
static void columns_read(const sql_bound *e, bool *used, size_t ncols)
{
    if (e->kind == SQL_B_COLUMN && e->column < ncols)
        used[e->column] = true;
    for (size_t i = 0; i < e->num_args; i++)
        columns_read(e->args[i], used, ncols);
}

/* keep[r] &= the conjunct on row r, evaluated over the rows still kept only (gathered into a
 * batch of the columns it reads), so that a selective first condition spares the others. */
static int filter_kept(mdl_ctx *ctx, const sql_bound *c, const mdl_batch *in, uint8_t *keep,
                       size_t kept, mdl_error *err)
{
    size_t ncols = in->schema->num_fields;
    bool *used = mdl_calloc(ctx, ncols + 1, sizeof *used);
    mdl_batch *sub = NULL;
    int rc = used ? mdl_batch_new(ctx, in->schema, kept, &sub, err)
                  : mdl_error_set(err, MDL_ERR_NOMEM, "out of memory filtering");
    if (rc == MDL_OK)
        columns_read(c, used, ncols);
    for (size_t k = 0; rc == MDL_OK && k < ncols; k++)
        for (size_t r = 0; used[k] && rc == MDL_OK && r < in->num_rows; r++)
            if (keep[r])
                rc = mdl_column_append_from(ctx, &sub->columns[k], &in->columns[k], r, err);
    mdl_column col;
    memset(&col, 0, sizeof col);
    if (rc == MDL_OK) {
        sub->num_rows = kept;
        rc = eval_new(ctx, c, sub, &col, err);
    }
    for (size_t r = 0, j = 0; rc == MDL_OK && r < in->num_rows; r++)
        if (keep[r]) {
            keep[r] = !mdl_column_is_null(&col, j) && mdl_column_bool(&col, j);
            j++;
        }
    mdl_column_reset(ctx, &col);
    mdl_batch_free(sub);
    mdl_free(ctx, used);
    return rc;
}

int mdl_sql__eval_filter(mdl_ctx *ctx, const sql_bound *e, const mdl_batch *in, uint8_t *keep,
                         mdl_error *err)
{
    if (e->type.id != MDL_TYPE_BOOLEAN)
        return mdl_error_set(err, MDL_ERR_SCHEMA, "a filter must be boolean");
    /* conjunct by conjunct: the first over the whole batch, each next one over the rows still
     * kept (a row that fails one is out whatever the others say, NULL included) */
    const sql_bound *cs[64];
    size_t nc = conjuncts(e, cs, 0, 64);
    if (nc > 64 || in->schema == NULL) {
        cs[0] = e;
        nc = 1;
    }
    mdl_column col;
    int rc = eval_new(ctx, cs[0], in, &col, err);
    size_t kept = 0;
    if (rc == MDL_OK)
        for (size_t r = 0; r < in->num_rows; r++)
            kept += keep[r] = !mdl_column_is_null(&col, r) && mdl_column_bool(&col, r);
    mdl_column_reset(ctx, &col);
    for (size_t i = 1; rc == MDL_OK && i < nc && kept > 0; i++) {
        if (kept * 2 > in->num_rows) {
            /* most rows are still in: cheaper over the whole batch than gathered */
            rc = eval_new(ctx, cs[i], in, &col, err);
            for (size_t r = 0; rc == MDL_OK && r < in->num_rows; r++)
                keep[r] = keep[r] && !mdl_column_is_null(&col, r) && mdl_column_bool(&col, r);
            mdl_column_reset(ctx, &col);
        } else {
            rc = filter_kept(ctx, cs[i], in, keep, kept, err);
        }
        kept = 0;
        for (size_t r = 0; rc == MDL_OK && r < in->num_rows; r++)
            kept += keep[r];
    }
    return rc;
}
