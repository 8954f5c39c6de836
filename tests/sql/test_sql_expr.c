/*
 * test_sql_expr.c - bound expressions built with the builders and evaluated over hand-made
 * batches: NULL handling of every family, three-valued logic, CASE that evaluates a branch
 * only on its rows, casts and their errors, function resolution errors with suggestions,
 * the type lattice, filters, multi-row literals and out-of-memory at every allocation.
 * (tests/sql/expr_cases.txt checks single values of every function against DuckDB.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql/sql_func.h"
#include "test_support.h"

/* ---- helpers ---------------------------------------------------------------------------- */

/* A batch from a schema and row-major cells as text (NULL pointers are nulls). */
static mdl_batch *make_batch(mdl_ctx *ctx, const char *schema_text, size_t rows,
                             const char *const *cells)
{
    mdl_schema *s = NULL;
    mdl_error err;
    if (mdl_schema_parse(ctx, schema_text, &s, &err) != MDL_OK)
        fail_msg("schema: %s", err.message);
    mdl_batch *b = NULL;
    assert_int_equal(mdl_batch_new(ctx, s, rows ? rows : 1, &b, &err), MDL_OK);
    size_t nf = s->num_fields;
    for (size_t c = 0; c < nf; c++) {
        mdl_column text;
        assert_int_equal(
            mdl_column_init(ctx, &text, mdl_type_make(MDL_TYPE_STRING), rows ? rows : 1, &err),
            MDL_OK);
        for (size_t r = 0; r < rows; r++) {
            const char *v = cells[r * nf + c];
            if (v == NULL)
                assert_int_equal(mdl_column_append_null(ctx, &text, &err), MDL_OK);
            else
                assert_int_equal(mdl_column_append_string(ctx, &text, v, strlen(v), &err), MDL_OK);
        }
        mdl_column_reset(ctx, &b->columns[c]);
        assert_int_equal(mdl_column_init(ctx, &b->columns[c], s->fields[c].type, rows, &err),
                         MDL_OK);
        if (mdl_sql__cast_column(ctx, NULL, &text, s->fields[c].type, false, &b->columns[c],
                                 &err) != MDL_OK)
            fail_msg("cell: %s", err.message);
        mdl_column_reset(ctx, &text);
    }
    b->num_rows = rows;
    mdl_schema_release(s);
    return b;
}

/* Evaluates e and returns "v|v|NULL" (a static buffer), or "ERROR: message". */
static const char *eval_str(mdl_ctx *ctx, const sql_bound *e, const mdl_batch *b)
{
    static char out[4096];
    mdl_column col;
    mdl_error err;
    size_t len = 0;
    out[0] = '\0';
    if (mdl_column_init(ctx, &col, e->type, b->num_rows, &err) != MDL_OK)
        fail_msg("init: %s", err.message);
    int rc = mdl_sql__eval(ctx, e, b, &col, &err);
    if (rc != MDL_OK) {
        snprintf(out, sizeof out, "ERROR: %s", err.message);
        assert_int_equal(err.code, rc);
    } else {
        assert_int_equal(col.length, b->num_rows);
        size_t nulls = 0;
        for (size_t r = 0; r < col.length; r++) {
            if (r)
                out[len++] = '|';
            if (mdl_column_is_null(&col, r)) {
                len += (size_t)snprintf(out + len, sizeof out - len, "NULL");
                nulls++;
            } else {
                len += mdl_sql__format_value(&col, r, out + len, sizeof out - len);
            }
        }
        assert_int_equal(nulls, col.null_count);
    }
    mdl_column_reset(ctx, &col);
    return out;
}

static sql_bound *col(mdl_ctx *ctx, size_t i, mdl_type t)
{
    sql_bound *e;
    assert_int_equal(mdl_sql__bound_column(ctx, i, t, &e, NULL), MDL_OK);
    return e;
}

static sql_bound *lit(mdl_ctx *ctx, const char *text, mdl_type t)
{
    mdl_column s, *c = mdl_calloc(ctx, 1, sizeof *c);
    assert_non_null(c);
    assert_int_equal(mdl_column_init(ctx, &s, mdl_type_make(MDL_TYPE_STRING), 1, NULL), MDL_OK);
    assert_int_equal(mdl_column_append_string(ctx, &s, text, strlen(text), NULL), MDL_OK);
    assert_int_equal(mdl_column_init(ctx, c, t, 1, NULL), MDL_OK);
    assert_int_equal(mdl_sql__cast_column(ctx, NULL, &s, t, false, c, NULL), MDL_OK);
    mdl_column_reset(ctx, &s);
    sql_bound *e;
    assert_int_equal(mdl_sql__bound_literal(ctx, c, &e, NULL), MDL_OK);
    return e;
}

static sql_bound *null_lit(mdl_ctx *ctx)
{
    sql_bound *e;
    assert_int_equal(mdl_sql__bound_null(ctx, &e, NULL), MDL_OK);
    return e;
}

#define T(id) mdl_type_make(MDL_TYPE_##id)

static sql_bound *fn(mdl_ctx *ctx, const char *name, size_t n, ...)
{
    sql_bound *args[8];
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        args[i] = va_arg(ap, sql_bound *);
    va_end(ap);
    sql_bound *e;
    mdl_error err;
    if (mdl_sql__bound_call(ctx, name, args, n, &e, &err) != MDL_OK)
        fail_msg("%s: %s", name, err.message);
    return e;
}

static int fn_err(mdl_ctx *ctx, const char *name, mdl_error *err, size_t n, ...)
{
    sql_bound *args[8];
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        args[i] = va_arg(ap, sql_bound *);
    va_end(ap);
    sql_bound *e = (sql_bound *)1;
    int rc = mdl_sql__bound_call(ctx, name, args, n, &e, err);
    assert_int_not_equal(rc, MDL_OK);
    assert_null(e);
    return rc;
}

static sql_bound *cast(mdl_ctx *ctx, sql_bound *a, mdl_type t, bool try_cast)
{
    sql_bound *e;
    mdl_error err;
    if (mdl_sql__bound_cast(ctx, a, t, try_cast, &e, &err) != MDL_OK)
        fail_msg("cast: %s", err.message);
    return e;
}

static void expect(mdl_ctx *ctx, sql_bound *e, const mdl_batch *b, const char *want)
{
    const char *got = eval_str(ctx, e, b);
    if (strcmp(got, want) != 0)
        fail_msg("got '%s', want '%s'", got, want);
    mdl_sql__bound_free(ctx, e);
}

/* ---- tests ------------------------------------------------------------------------------ */

static const char *const NUMS[] = {"1", "10", "2.50",  "x",  NULL, "20", NULL,   "y",
                                   "3", "0",  "-1.25", NULL, "-4", NULL, "0.01", "z"};
#define NUMS_SCHEMA "a int32, b int32, d decimal(10,2), s string"

static void test_sql_expr__arithmetic_nulls(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc al;
    mdl_test_counting_ctx(&ctx, &al);
    mdl_batch *b = make_batch(&ctx, NUMS_SCHEMA, 4, NUMS);
    expect(&ctx, fn(&ctx, "+", 2, col(&ctx, 0, T(INT32)), col(&ctx, 1, T(INT32))), b,
           "11|NULL|3|NULL");
    expect(&ctx, fn(&ctx, "*", 2, col(&ctx, 0, T(INT32)), col(&ctx, 2, mdl_type_decimal(10, 2))), b,
           "2.50|NULL|-3.75|-0.04");
    expect(&ctx, fn(&ctx, "/", 2, col(&ctx, 0, T(INT32)), col(&ctx, 1, T(INT32))), b,
           "0.1|NULL|inf|NULL");
    expect(&ctx, fn(&ctx, "%", 2, col(&ctx, 0, T(INT32)), col(&ctx, 1, T(INT32))), b,
           "1|NULL|NULL|NULL"); /* % 0 is NULL */
    expect(&ctx, fn(&ctx, "-", 2, col(&ctx, 2, mdl_type_decimal(10, 2)), lit(&ctx, "1", T(INT32))),
           b, "1.50|NULL|-2.25|-0.99");
    expect(&ctx, fn(&ctx, "neg", 1, col(&ctx, 0, T(INT32))), b, "-1|NULL|-3|4");
    /* A NULL literal makes every row NULL, typed by the other side. */
    sql_bound *e = fn(&ctx, "+", 2, col(&ctx, 0, T(INT32)), null_lit(&ctx));
    assert_int_equal(e->type.id, MDL_TYPE_INT32);
    expect(&ctx, e, b, "NULL|NULL|NULL|NULL");
    /* Decimal result types follow DuckDB. */
    e = fn(&ctx, "+", 2, col(&ctx, 2, mdl_type_decimal(10, 2)), col(&ctx, 0, T(INT32)));
    assert_true(mdl_type_equal(e->type, mdl_type_decimal(13, 2)));
    expect(&ctx, e, b, "3.50|NULL|1.75|-3.99");
    e = fn(&ctx, "*", 2, lit(&ctx, "12345678901234567.89", mdl_type_decimal(38, 2)),
           lit(&ctx, "10", mdl_type_decimal(20, 0)));
    assert_true(mdl_type_equal(e->type, mdl_type_decimal(38, 2)));
    expect(&ctx, e, b,
           "123456789012345678.90|123456789012345678.90|123456789012345678.90|"
           "123456789012345678.90");
    mdl_batch_free(b);
    assert_int_equal(al.live, 0);
}

static void test_sql_expr__overflow_errors_name_position(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    const char *cells[] = {"2147483647", "1", "5", "1"};
    mdl_batch *b = make_batch(&ctx, "a int32, b int32", 2, cells);
    sql_bound *e = fn(&ctx, "+", 2, col(&ctx, 0, T(INT32)), col(&ctx, 1, T(INT32)));
    e->line = 3;
    e->col = 7;
    expect(&ctx, e, b, "ERROR: line 3 column 7: overflow in addition of int32");
    e = fn(&ctx, "abs", 1, lit(&ctx, "-2147483648", T(INT32)));
    assert_string_equal(eval_str(&ctx, e, b), "ERROR: abs: overflow of -2147483648");
    mdl_sql__bound_free(&ctx, e);
    e = fn(&ctx, "*", 2, lit(&ctx, "99999999999999.99", mdl_type_decimal(16, 2)),
           lit(&ctx, "99999999999999.99", mdl_type_decimal(16, 2)));
    expect(&ctx, e, b, "ERROR: overflow in multiplication of decimal(18,4)");
    e = fn(&ctx, "sqrt", 1, lit(&ctx, "-1", T(INT32)));
    expect(&ctx, e, b, "ERROR: cannot take square root of a negative number");
    mdl_batch_free(b);
}

static void test_sql_expr__three_valued_logic(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    const char *cells[] = {"true",  "true", "true",  "false", "true",  NULL,
                           "false", "true", "false", "false", "false", NULL,
                           NULL,    "true", NULL,    "false", NULL,    NULL};
    mdl_batch *b = make_batch(&ctx, "p boolean, q boolean", 9, cells);
    expect(&ctx, fn(&ctx, "and", 2, col(&ctx, 0, T(BOOLEAN)), col(&ctx, 1, T(BOOLEAN))), b,
           "true|false|NULL|false|false|false|NULL|false|NULL");
    expect(&ctx, fn(&ctx, "or", 2, col(&ctx, 0, T(BOOLEAN)), col(&ctx, 1, T(BOOLEAN))), b,
           "true|true|true|true|false|NULL|true|NULL|NULL");
    expect(&ctx, fn(&ctx, "not", 1, col(&ctx, 1, T(BOOLEAN))), b,
           "false|true|NULL|false|true|NULL|false|true|NULL");
    expect(&ctx, fn(&ctx, "is_null", 1, col(&ctx, 1, T(BOOLEAN))), b,
           "false|false|true|false|false|true|false|false|true");
    expect(&ctx, fn(&ctx, "is_distinct", 2, col(&ctx, 0, T(BOOLEAN)), col(&ctx, 1, T(BOOLEAN))), b,
           "false|true|true|true|false|true|true|true|false");
    expect(&ctx, fn(&ctx, "is_not_distinct", 2, col(&ctx, 0, T(BOOLEAN)), col(&ctx, 1, T(BOOLEAN))),
           b, "true|false|false|false|true|false|false|false|true");
    expect(&ctx, fn(&ctx, "=", 2, col(&ctx, 0, T(BOOLEAN)), col(&ctx, 1, T(BOOLEAN))), b,
           "true|false|NULL|false|true|NULL|NULL|NULL|NULL");
    /* Filters keep TRUE only. */
    sql_bound *e = fn(&ctx, "or", 2, col(&ctx, 0, T(BOOLEAN)), col(&ctx, 1, T(BOOLEAN)));
    uint8_t keep[9];
    assert_int_equal(mdl_sql__eval_filter(&ctx, e, b, keep, NULL), MDL_OK);
    const uint8_t want[9] = {1, 1, 1, 1, 0, 0, 1, 0, 0};
    assert_memory_equal(keep, want, 9);
    mdl_sql__bound_free(&ctx, e);
    mdl_error err;
    e = col(&ctx, 0, T(BOOLEAN));
    mdl_sql__bound_free(&ctx, e);
    e = lit(&ctx, "1", T(INT32));
    assert_int_equal(mdl_sql__eval_filter(&ctx, e, b, keep, &err), MDL_ERR_SCHEMA);
    mdl_sql__bound_free(&ctx, e);
    mdl_batch_free(b);
}

static void test_sql_expr__case_evaluates_branches_on_their_rows(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc al;
    mdl_test_counting_ctx(&ctx, &al);
    mdl_batch *b = make_batch(&ctx, NUMS_SCHEMA, 4, NUMS);
    /* CASE WHEN s = 'x' OR s = 'y' OR s = 'z' THEN -1 ELSE CAST(s AS int) END: the cast would
     * fail on the rows the first branch takes. */
    sql_bound *w = fn(&ctx, "in", 4, col(&ctx, 3, T(STRING)), lit(&ctx, "x", T(STRING)),
                      lit(&ctx, "y", T(STRING)), lit(&ctx, "z", T(STRING)));
    sql_bound *args[3] = {w, lit(&ctx, "-1", T(INT32)),
                          cast(&ctx, col(&ctx, 3, T(STRING)), T(INT32), false)};
    sql_bound *e;
    assert_int_equal(mdl_sql__bound_case(&ctx, args, 3, true, &e, NULL), MDL_OK);
    expect(&ctx, e, b, "-1|-1|NULL|-1"); /* NULL IN (...) is NULL: ELSE */
    /* CASE WHEN b = 0 THEN 0 WHEN b IS NULL THEN NULL ELSE 2147483647 + b END: the overflow
     * is only on a row no branch sends there; a NULL in a THEN types as the others. */
    const char *cells[] = {"0", "-5", NULL, "7"};
    mdl_batch *c = make_batch(&ctx, "b int32", 4, cells);
    sql_bound *a2[5] = {
        fn(&ctx, "=", 2, col(&ctx, 0, T(INT32)), lit(&ctx, "0", T(INT32))),
        lit(&ctx, "0", T(INT32)), fn(&ctx, "is_null", 1, col(&ctx, 0, T(INT32))), null_lit(&ctx),
        fn(&ctx, "+", 2, lit(&ctx, "2147483640", T(INT32)), col(&ctx, 0, T(INT32)))};
    assert_int_equal(mdl_sql__bound_case(&ctx, a2, 5, true, &e, NULL), MDL_OK);
    assert_int_equal(e->type.id, MDL_TYPE_INT32);
    expect(&ctx, e, c, "0|2147483635|NULL|2147483647");
    /* Without ELSE, unmatched rows are NULL; branches widen to the common type. */
    sql_bound *a3[2] = {fn(&ctx, ">", 2, col(&ctx, 0, T(INT32)), lit(&ctx, "0", T(INT32))),
                        lit(&ctx, "1.5", mdl_type_decimal(2, 1))};
    assert_int_equal(mdl_sql__bound_case(&ctx, a3, 2, false, &e, NULL), MDL_OK);
    expect(&ctx, e, c, "NULL|NULL|NULL|1.5");
    /* A non-boolean WHEN and incompatible branches are refused. */
    mdl_error err;
    sql_bound *a4[2] = {lit(&ctx, "1", T(INT32)), lit(&ctx, "1", T(INT32))};
    assert_int_equal(mdl_sql__bound_case(&ctx, a4, 2, false, &e, &err), MDL_ERR_SCHEMA);
    assert_string_equal(err.message, "CASE WHEN condition is int32, not boolean");
    sql_bound *a5[3] = {lit(&ctx, "true", T(BOOLEAN)), lit(&ctx, "1", T(INT32)),
                        lit(&ctx, "a", T(STRING))};
    assert_int_equal(mdl_sql__bound_case(&ctx, a5, 3, true, &e, &err), MDL_ERR_SCHEMA);
    assert_string_equal(err.message,
                        "CASE: no common type for int32 and string: add an explicit CAST");
    mdl_batch_free(b);
    mdl_batch_free(c);
    assert_int_equal(al.live, 0);
}

static void test_sql_expr__casts(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_batch *b = make_batch(&ctx, NUMS_SCHEMA, 4, NUMS);
    expect(&ctx, cast(&ctx, col(&ctx, 3, T(STRING)), T(INT32), true), b, "NULL|NULL|NULL|NULL");
    sql_bound *e = cast(&ctx, col(&ctx, 3, T(STRING)), T(INT32), false);
    e->line = 1;
    e->col = 8;
    expect(&ctx, e, b, "ERROR: line 1 column 8: could not convert string 'x' to int32");
    expect(&ctx, cast(&ctx, col(&ctx, 2, mdl_type_decimal(10, 2)), mdl_type_decimal(3, 1), false),
           b, "2.5|NULL|-1.3|0.0");
    expect(&ctx, cast(&ctx, col(&ctx, 2, mdl_type_decimal(10, 2)), T(INT64), false), b,
           "3|NULL|-1|0");
    expect(&ctx, cast(&ctx, col(&ctx, 2, mdl_type_decimal(10, 2)), T(STRING), false), b,
           "2.50|NULL|-1.25|0.01");
    expect(&ctx, cast(&ctx, col(&ctx, 0, T(INT32)), mdl_type_decimal(2, 1), true), b,
           "1.0|NULL|3.0|-4.0");
    expect(&ctx, cast(&ctx, col(&ctx, 1, T(INT32)), mdl_type_decimal(2, 1), false), b,
           "ERROR: int32 value 10 is out of range for decimal(2,1)");
    expect(&ctx, cast(&ctx, lit(&ctx, "2024-05-17 23:59:59.5", T(TIMESTAMP)), T(DATE), false), b,
           "2024-05-17|2024-05-17|2024-05-17|2024-05-17");
    expect(&ctx, cast(&ctx, lit(&ctx, "1969-12-31 23:00:00", T(TIMESTAMP)), T(DATE), false), b,
           "1969-12-31|1969-12-31|1969-12-31|1969-12-31");
    expect(&ctx, cast(&ctx, lit(&ctx, "-1e300", T(DOUBLE)), T(INT64), true), b,
           "NULL|NULL|NULL|NULL");
    /* Same type: no node; NULL literal: a typed NULL literal; impossible pairs refused. */
    sql_bound *c = col(&ctx, 0, T(INT32));
    assert_ptr_equal(cast(&ctx, c, T(INT32), false), c);
    mdl_sql__bound_free(&ctx, c);
    e = cast(&ctx, null_lit(&ctx), T(DATE), false);
    assert_int_equal(e->kind, SQL_B_LITERAL);
    assert_false(e->null_only);
    expect(&ctx, e, b, "NULL|NULL|NULL|NULL");
    mdl_error err;
    assert_int_equal(mdl_sql__bound_cast(&ctx, col(&ctx, 0, T(INT32)), T(DATE), false, &e, &err),
                     MDL_ERR_SCHEMA);
    assert_string_equal(err.message, "cannot cast int32 to date");
    assert_true(mdl_sql__castable(T(STRING), T(TIMESTAMP)));
    assert_true(mdl_sql__castable(T(BOOLEAN), mdl_type_decimal(5, 2)));
    assert_true(mdl_sql__castable(T(DATE), T(TIMESTAMP)));
    assert_false(mdl_sql__castable(T(DATE), T(DOUBLE)));
    assert_false(mdl_sql__castable(T(BOOLEAN), T(TIMESTAMP)));
    mdl_batch_free(b);
}

static void test_sql_expr__comparisons_in_between_coalesce(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_batch *b = make_batch(&ctx, NUMS_SCHEMA, 4, NUMS);
    expect(&ctx, fn(&ctx, "<", 2, col(&ctx, 0, T(INT32)), col(&ctx, 2, mdl_type_decimal(10, 2))), b,
           "true|NULL|false|true");
    expect(
        &ctx,
        fn(&ctx, "in", 3, col(&ctx, 0, T(INT32)), lit(&ctx, "3", T(INT32)), col(&ctx, 1, T(INT32))),
        b, "false|NULL|true|NULL");
    expect(&ctx,
           fn(&ctx, "not_in", 3, col(&ctx, 0, T(INT32)), lit(&ctx, "3", T(INT32)),
              lit(&ctx, "1", T(INT32))),
           b, "false|NULL|false|true");
    expect(&ctx,
           fn(&ctx, "between", 3, col(&ctx, 0, T(INT32)), lit(&ctx, "0", T(INT32)),
              col(&ctx, 1, T(INT32))),
           b, "true|NULL|false|false");
    expect(&ctx,
           fn(&ctx, "coalesce", 3, col(&ctx, 1, T(INT32)), col(&ctx, 0, T(INT32)), null_lit(&ctx)),
           b, "10|20|0|-4");
    expect(&ctx, fn(&ctx, "coalesce", 2, col(&ctx, 3, T(STRING)), lit(&ctx, "-", T(STRING))), b,
           "x|y|-|z");
    expect(&ctx, fn(&ctx, "nullif", 2, col(&ctx, 3, T(STRING)), lit(&ctx, "y", T(STRING))), b,
           "x|NULL|NULL|z");
    expect(&ctx,
           fn(&ctx, "greatest", 3, col(&ctx, 0, T(INT32)), col(&ctx, 1, T(INT32)),
              lit(&ctx, "2", T(INT32))),
           b, "10|20|3|2");
    expect(&ctx, fn(&ctx, "least", 2, col(&ctx, 1, T(INT32)), null_lit(&ctx)), b, "10|20|0|NULL");
    expect(&ctx, fn(&ctx, "like", 2, col(&ctx, 3, T(STRING)), lit(&ctx, "_", T(STRING))), b,
           "true|true|NULL|true");
    expect(&ctx, fn(&ctx, "||", 2, col(&ctx, 3, T(STRING)), col(&ctx, 0, T(INT32))), b,
           "x1|NULL|NULL|z-4");
    mdl_batch_free(b);
    /* LIKE ... ESCAPE: the escaped character is literal; a trailing escape matches nothing */
    const char *like_cells[] = {"a%b", "a!%b", "axb", "a!%b", "a_b", "a!_b", "a!b", "a!!b",
                                "a",   "a!",   "ax",  "a!x",  "ab",  "a!%",  "a%",  "%!%"};
    b = make_batch(&ctx, "s string, p string", 8, like_cells);
    expect(&ctx,
           fn(&ctx, "like", 3, col(&ctx, 0, T(STRING)), col(&ctx, 1, T(STRING)),
              lit(&ctx, "!", T(STRING))),
           b, "true|false|true|true|false|true|false|true");
    expect(&ctx,
           fn(&ctx, "not_like", 3, col(&ctx, 0, T(STRING)), col(&ctx, 1, T(STRING)),
              lit(&ctx, "!", T(STRING))),
           b, "false|true|false|false|true|false|true|false");
    mdl_batch_free(b);
}

static void test_sql_expr__strings_utf8(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc al;
    mdl_test_counting_ctx(&ctx, &al);
    const char *cells[] = {"Ünïcødé", "ü", "a,b", ",", NULL, "x", "ÀbÇ", NULL, "", ""};
    mdl_batch *b = make_batch(&ctx, "s string, p string", 5, cells);
    expect(&ctx, fn(&ctx, "length", 1, col(&ctx, 0, T(STRING))), b, "7|3|NULL|3|0");
    expect(&ctx, fn(&ctx, "upper", 1, col(&ctx, 0, T(STRING))), b, "ÜNÏCØDÉ|A,B|NULL|ÀBÇ|");
    expect(&ctx, fn(&ctx, "lower", 1, col(&ctx, 0, T(STRING))), b, "ünïcødé|a,b|NULL|àbç|");
    mdl_batch_free(b);
    /* the letters outside the regular runs of their blocks (Unicode simple mappings) */
    const char *extra[] = {"ςµſı", "İΆΈΉΊΌΎΏΪΫ"};
    b = make_batch(&ctx, "s string", 2, extra);
    expect(&ctx, fn(&ctx, "upper", 1, col(&ctx, 0, T(STRING))), b, "ΣΜSI|İΆΈΉΊΌΎΏΪΫ");
    expect(&ctx, fn(&ctx, "lower", 1, col(&ctx, 0, T(STRING))), b, "ςµſı|iάέήίόύώϊϋ");
    mdl_batch_free(b);
    const char *tonos[] = {"άέήίόύώϊϋ"};
    b = make_batch(&ctx, "s string", 1, tonos);
    expect(&ctx, fn(&ctx, "upper", 1, col(&ctx, 0, T(STRING))), b, "ΆΈΉΊΌΎΏΪΫ");
    mdl_batch_free(b);
    b = make_batch(&ctx, "s string, p string", 5, cells);
    expect(&ctx,
           fn(&ctx, "substring", 3, col(&ctx, 0, T(STRING)), lit(&ctx, "2", T(INT32)),
              lit(&ctx, "2", T(INT32))),
           b, "nï|,b|NULL|bÇ|");
    expect(&ctx,
           fn(&ctx, "lpad", 3, col(&ctx, 0, T(STRING)), lit(&ctx, "4", T(INT32)),
              lit(&ctx, "é", T(STRING))),
           b, "Ünïc|éa,b|NULL|éÀbÇ|éééé");
    expect(&ctx,
           fn(&ctx, "rpad", 3, col(&ctx, 0, T(STRING)), lit(&ctx, "4", T(INT32)),
              lit(&ctx, "", T(STRING))),
           b, "ERROR: rpad: the fill string is empty");
    expect(&ctx,
           fn(&ctx, "split_part", 3, col(&ctx, 0, T(STRING)), col(&ctx, 1, T(STRING)),
              lit(&ctx, "2", T(INT32))),
           b, "|b|NULL|NULL|");
    expect(&ctx, fn(&ctx, "starts_with", 2, col(&ctx, 0, T(STRING)), col(&ctx, 1, T(STRING))), b,
           "false|false|NULL|NULL|true");
    expect(&ctx, fn(&ctx, "trim", 2, col(&ctx, 0, T(STRING)), lit(&ctx, "Üé", T(STRING))), b,
           "nïcød|a,b|NULL|ÀbÇ|");
    expect(&ctx,
           fn(&ctx, "replace", 3, col(&ctx, 0, T(STRING)), lit(&ctx, "ï", T(STRING)),
              lit(&ctx, "ii", T(STRING))),
           b, "Üniicødé|a,b|NULL|ÀbÇ|");
    expect(&ctx,
           fn(&ctx, "concat", 3, col(&ctx, 1, T(STRING)), col(&ctx, 0, T(STRING)), null_lit(&ctx)),
           b, "üÜnïcødé|,a,b|x|ÀbÇ|");
    /* Per-row patterns (the compiled expression is cached while the pattern repeats). */
    expect(&ctx, fn(&ctx, "regexp_matches", 2, col(&ctx, 0, T(STRING)), col(&ctx, 1, T(STRING))), b,
           "false|true|NULL|NULL|true");
    expect(&ctx,
           fn(&ctx, "regexp_replace", 4, col(&ctx, 0, T(STRING)), lit(&ctx, "[a-zÀ]", T(STRING)),
              lit(&ctx, "<\\0>", T(STRING)), lit(&ctx, "g", T(STRING))),
           b, "Ü<n>ï<c>ø<d>é|<a>,<b>|NULL|<À><b>Ç|");
    sql_bound *e =
        fn(&ctx, "regexp_matches", 2, col(&ctx, 0, T(STRING)), lit(&ctx, "(", T(STRING)));
    const char *got = eval_str(&ctx, e, b);
    assert_non_null(strstr(got, "ERROR: regexp_matches: bad regular expression '('"));
    mdl_sql__bound_free(&ctx, e);
    expect(&ctx, fn(&ctx, "md5", 1, col(&ctx, 1, T(STRING))), b,
           "c03410a5204b21cd8229ff754688d743|c0cb5f0fcf239ab3d9c1fcd31fff1efc|"
           "9dd4e461268c8034f5c8564e155c67a6|NULL|d41d8cd98f00b204e9800998ecf8427e");
    mdl_batch_free(b);
    assert_int_equal(al.live, 0);
}

static void test_sql_expr__dates(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    const char *cells[] = {"2024-02-29", "2024-02-29T13:14:15.5Z", NULL, NULL,
                           "1969-12-31", "1970-01-01T00:00:00Z"};
    mdl_batch *b = make_batch(&ctx, "d date, t timestamp", 3, cells);
    expect(&ctx, fn(&ctx, "year", 1, col(&ctx, 0, T(DATE))), b, "2024|NULL|1969");
    expect(&ctx, fn(&ctx, "dayofweek", 1, col(&ctx, 0, T(DATE))), b, "4|NULL|3");
    expect(&ctx,
           fn(&ctx, "date_trunc", 2, lit(&ctx, "month", T(STRING)), col(&ctx, 1, T(TIMESTAMP))), b,
           "2024-02-01 00:00:00|NULL|1970-01-01 00:00:00");
    expect(&ctx, fn(&ctx, "date_add", 2, col(&ctx, 0, T(DATE)), lit(&ctx, "366", T(INT32))), b,
           "2025-03-01|NULL|1971-01-01");
    expect(&ctx,
           fn(&ctx, "date_diff", 3, lit(&ctx, "day", T(STRING)), col(&ctx, 0, T(DATE)),
              col(&ctx, 1, T(TIMESTAMP))),
           b, "0|NULL|1");
    expect(&ctx, fn(&ctx, "date_part", 2, lit(&ctx, "fortnight", T(STRING)), col(&ctx, 0, T(DATE))),
           b, "ERROR: date_part: unknown date part 'fortnight'");
    expect(&ctx,
           fn(&ctx, "strftime", 2, col(&ctx, 1, T(TIMESTAMP)), lit(&ctx, "%Y%m%d %f", T(STRING))),
           b, "20240229 500000|NULL|19700101 000000");
    /* current_date/current_timestamp: one instant per built call, the same for every row. */
    sql_bound *e = fn(&ctx, "current_timestamp", 0);
    assert_true(e->now_micros > 0);
    e->now_micros = INT64_C(1716000000000000);
    expect(&ctx, e, b, "2024-05-18 02:40:00|2024-05-18 02:40:00|2024-05-18 02:40:00");
    e = fn(&ctx, "current_date", 0);
    e->now_micros = INT64_C(1716000000000000);
    expect(&ctx, e, b, "2024-05-18|2024-05-18|2024-05-18");
    mdl_batch_free(b);
}

static void test_sql_expr__resolution_errors(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc al;
    mdl_test_counting_ctx(&ctx, &al);
    mdl_error err;
    assert_int_equal(fn_err(&ctx, "lowr", &err, 1, lit(&ctx, "a", T(STRING))), MDL_ERR_NOT_FOUND);
    assert_string_equal(err.message, "unknown function 'lowr' (did you mean 'lower'?)");
    assert_int_equal(fn_err(&ctx, "regexp_match", &err, 0), MDL_ERR_NOT_FOUND);
    assert_string_equal(err.message,
                        "unknown function 'regexp_match' (did you mean 'regexp_matches'?)");
    assert_int_equal(fn_err(&ctx, "frobnicate", &err, 0), MDL_ERR_NOT_FOUND);
    assert_string_equal(err.message, "unknown function 'frobnicate'");
    assert_int_equal(fn_err(&ctx, "sum", &err, 1, lit(&ctx, "1", T(INT32))), MDL_ERR_SCHEMA);
    assert_string_equal(err.message, "sum is not a scalar function here");
    assert_int_equal(fn_err(&ctx, "abs", &err, 1, lit(&ctx, "a", T(STRING))), MDL_ERR_SCHEMA);
    assert_string_equal(err.message, "function abs does not accept (string)");
    assert_int_equal(fn_err(&ctx, "replace", &err, 2, lit(&ctx, "a", T(STRING)), null_lit(&ctx)),
                     MDL_ERR_SCHEMA);
    assert_string_equal(err.message, "function replace takes 3 arguments, not 2");
    assert_int_equal(fn_err(&ctx, "substring", &err, 1, lit(&ctx, "a", T(STRING))), MDL_ERR_SCHEMA);
    assert_string_equal(err.message, "function substring takes 2 to 3 arguments, not 1");
    assert_int_equal(
        fn_err(&ctx, "=", &err, 2, lit(&ctx, "a", T(STRING)), lit(&ctx, "1", T(INT64))),
        MDL_ERR_SCHEMA);
    assert_string_equal(err.message,
                        "=: no common type for string and int64: add an explicit CAST");
    assert_int_equal(fn_err(&ctx, "UPPER", &err, 1, lit(&ctx, "1", T(INT32))), MDL_ERR_SCHEMA);
    assert_string_equal(err.message, "function upper does not accept (int32)");
    /* Names are case-insensitive. */
    mdl_sql__bound_free(&ctx, fn(&ctx, "Upper", 1, lit(&ctx, "a", T(STRING))));
    assert_true(mdl_sql__is_aggregate("COUNT"));
    assert_true(mdl_sql__is_aggregate("any_value"));
    assert_false(mdl_sql__is_aggregate("lower"));
    assert_true(mdl_sql__is_window_function("row_number"));
    assert_true(mdl_sql__is_window_function("LAST_VALUE"));
    assert_false(mdl_sql__is_window_function("sum"));
    /* The type lattice. */
    sql_type i32 = {T(INT32), false}, i64 = {T(INT64), false}, dbl = {T(DOUBLE), false},
             dec = {mdl_type_decimal(5, 3), false}, date = {T(DATE), false},
             ts = {T(TIMESTAMP), false}, nul = {T(INT32), true}, str = {T(STRING), false};
    mdl_type out;
    assert_int_equal(mdl_sql__common_type(&i32, &i64, &out, NULL), MDL_OK);
    assert_int_equal(out.id, MDL_TYPE_INT64);
    assert_int_equal(mdl_sql__common_type(&i64, &dec, &out, NULL), MDL_OK);
    assert_true(mdl_type_equal(out, mdl_type_decimal(22, 3)));
    assert_int_equal(mdl_sql__common_type(&dec, &dbl, &out, NULL), MDL_OK);
    assert_int_equal(out.id, MDL_TYPE_DOUBLE);
    assert_int_equal(mdl_sql__common_type(&date, &ts, &out, NULL), MDL_OK);
    assert_int_equal(out.id, MDL_TYPE_TIMESTAMP);
    assert_int_equal(mdl_sql__common_type(&nul, &str, &out, NULL), MDL_OK);
    assert_int_equal(out.id, MDL_TYPE_STRING);
    assert_int_equal(mdl_sql__common_type(&date, &i32, &out, &err), MDL_ERR_SCHEMA);
    assert_int_equal(al.live, 0);
}

static void test_sql_expr__builder_contracts(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc al;
    mdl_test_counting_ctx(&ctx, &al);
    mdl_error err;
    /* A literal must be one row; the column is freed on failure. */
    mdl_column *c = mdl_calloc(&ctx, 1, sizeof *c);
    assert_int_equal(mdl_column_init(&ctx, c, T(INT32), 2, NULL), MDL_OK);
    sql_bound *e;
    assert_int_equal(mdl_sql__bound_literal(&ctx, c, &e, &err), MDL_ERR_INVALID_ARG);
    assert_null(e);
    /* A result column too small, a column index outside the batch. */
    const char *cells[] = {"1", "2"};
    mdl_batch *b = make_batch(&ctx, "a int32", 2, cells);
    mdl_column out;
    assert_int_equal(mdl_column_init(&ctx, &out, T(INT32), 1, NULL), MDL_OK);
    e = col(&ctx, 0, T(INT32));
    assert_int_equal(mdl_sql__eval(&ctx, e, b, &out, &err), MDL_ERR_INVALID_ARG);
    mdl_sql__bound_free(&ctx, e);
    mdl_column_reset(&ctx, &out);
    e = col(&ctx, 5, T(INT32));
    expect(&ctx, e, b, "ERROR: column 5 is not in the batch");
    /* Empty batches evaluate to empty columns. */
    mdl_batch *empty = make_batch(&ctx, "a int32", 0, NULL);
    expect(&ctx, fn(&ctx, "+", 2, col(&ctx, 0, T(INT32)), null_lit(&ctx)), empty, "");
    sql_bound *a[2] = {fn(&ctx, "=", 2, col(&ctx, 0, T(INT32)), lit(&ctx, "1", T(INT32))),
                       lit(&ctx, "a", T(STRING))};
    assert_int_equal(mdl_sql__bound_case(&ctx, a, 2, false, &e, NULL), MDL_OK);
    expect(&ctx, e, empty, "");
    mdl_sql__bound_free(&ctx, NULL);
    mdl_batch_free(b);
    mdl_batch_free(empty);
    assert_int_equal(al.live, 0);
}

/* Every allocation of building and evaluating a mixed expression fails in turn: NOMEM,
 * nothing leaked. */
static void test_sql_expr__out_of_memory(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc al;
    mdl_test_counting_ctx(&ctx, &al);
    mdl_batch *b = make_batch(&ctx, NUMS_SCHEMA, 4, NUMS);
    size_t base = al.live;
    long k;
    for (k = 0;; k++) {
        sql_bound *parts[4] = {NULL, NULL, NULL, NULL};
        int rc = MDL_OK;
        mdl_error err;
        /* CASE WHEN coalesce(a, NULL) > b THEN upper(s) ELSE s END */
        al.fail_after = k;
        sql_bound *e = NULL, *x, *y;
        rc = mdl_sql__bound_column(&ctx, 0, T(INT32), &x, &err);
        if (rc == MDL_OK)
            rc = mdl_sql__bound_null(&ctx, &y, &err);
        else
            y = NULL;
        if (rc == MDL_OK) {
            sql_bound *args[2] = {x, y};
            rc = mdl_sql__bound_call(&ctx, "coalesce", args, 2, &parts[0], &err);
            x = y = NULL;
        }
        mdl_sql__bound_free(&ctx, x);
        mdl_sql__bound_free(&ctx, y);
        if (rc == MDL_OK)
            rc = mdl_sql__bound_column(&ctx, 3, T(STRING), &x, &err);
        if (rc == MDL_OK) {
            rc = mdl_sql__bound_call(&ctx, "upper", &x, 1, &parts[1], &err);
        }
        if (rc == MDL_OK)
            rc = mdl_sql__bound_column(&ctx, 1, T(INT32), &parts[2], &err);
        if (rc == MDL_OK) {
            sql_bound *args[2] = {parts[0], parts[2]};
            parts[0] = parts[2] = NULL;
            rc = mdl_sql__bound_call(&ctx, ">", args, 2, &parts[0], &err);
        }
        if (rc == MDL_OK) {
            rc = mdl_sql__bound_column(&ctx, 3, T(STRING), &parts[2], &err);
        }
        if (rc == MDL_OK) {
            sql_bound *args[3] = {parts[0], parts[1], parts[2]};
            parts[0] = parts[1] = parts[2] = NULL;
            rc = mdl_sql__bound_case(&ctx, args, 3, true, &e, &err);
        }
        mdl_column out;
        memset(&out, 0, sizeof out);
        if (rc == MDL_OK)
            rc = mdl_column_init(&ctx, &out, e->type, b->num_rows, &err);
        if (rc == MDL_OK)
            rc = mdl_sql__eval(&ctx, e, b, &out, &err);
        al.fail_after = -1;
        if (rc == MDL_OK) {
            assert_int_equal(out.length, 4);
        } else {
            if (rc != MDL_ERR_NOMEM)
                fail_msg("k=%ld: %s", k, err.message);
        }
        mdl_column_reset(&ctx, &out);
        mdl_sql__bound_free(&ctx, e);
        for (size_t i = 0; i < 4; i++)
            mdl_sql__bound_free(&ctx, parts[i]);
        assert_int_equal(al.live, base);
        if (rc == MDL_OK)
            break;
    }
    assert_true(k > 10);
    mdl_batch_free(b);
    assert_int_equal(al.live, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sql_expr__arithmetic_nulls),
        cmocka_unit_test(test_sql_expr__overflow_errors_name_position),
        cmocka_unit_test(test_sql_expr__three_valued_logic),
        cmocka_unit_test(test_sql_expr__case_evaluates_branches_on_their_rows),
        cmocka_unit_test(test_sql_expr__casts),
        cmocka_unit_test(test_sql_expr__comparisons_in_between_coalesce),
        cmocka_unit_test(test_sql_expr__strings_utf8),
        cmocka_unit_test(test_sql_expr__dates),
        cmocka_unit_test(test_sql_expr__resolution_errors),
        cmocka_unit_test(test_sql_expr__builder_contracts),
        cmocka_unit_test(test_sql_expr__out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
