/*
 * oracle_sql_expr.c - evaluates the expressions of tests/sql/expr_cases.txt through medallion's
 * bound-expression evaluator, for the DuckDB cross-check (test_oracle_sql_expr.sh). It does
 * not use the SQL parser: a small recursive-descent reader of constant expressions (literals,
 * operators, CASE, CAST, function calls) builds the bound tree with the builders, evaluates it
 * over a one-row batch and prints, per line of the case file:
 *     expression <TAB> value as CAST(x AS VARCHAR) prints it | NULL | ERROR <TAB> type
 * Usage: oracle_sql_expr CASES.txt
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql/sql_func.h"

typedef struct reader {
    mdl_ctx *ctx;
    const char *p;
    mdl_error *err;
} reader;

static void skip_ws(reader *r)
{
    while (isspace((unsigned char)*r->p))
        r->p++;
}

/* Case-insensitive keyword at the cursor (followed by a non-identifier character). */
static bool kw(reader *r, const char *word)
{
    skip_ws(r);
    size_t n = strlen(word);
    if (strncasecmp(r->p, word, n) != 0 || isalnum((unsigned char)r->p[n]) || r->p[n] == '_')
        return false;
    r->p += n;
    return true;
}

static bool sym(reader *r, const char *s)
{
    skip_ws(r);
    size_t n = strlen(s);
    if (strncmp(r->p, s, n) != 0)
        return false;
    r->p += n;
    return true;
}

static int fail(reader *r, const char *what)
{
    return mdl_error_set(r->err, MDL_ERR_PARSE, "%s at '%.20s'", what, r->p);
}

static int expr(reader *r, sql_bound **out);

static int call(reader *r, const char *name, sql_bound **args, size_t n, sql_bound **out)
{
    return mdl_sql__bound_call(r->ctx, name, args, n, out, r->err);
}

static int binary(reader *r, const char *name, sql_bound *a, sql_bound *b, sql_bound **out)
{
    sql_bound *args[2] = {a, b};
    return call(r, name, args, 2, out);
}

static int literal_column(reader *r, mdl_type t, mdl_column **out)
{
    *out = mdl_calloc(r->ctx, 1, sizeof **out);
    if (*out == NULL)
        return MDL_ERR_NOMEM;
    int rc = mdl_column_init(r->ctx, *out, t, 1, r->err);
    if (rc != MDL_OK) {
        mdl_free(r->ctx, *out);
        *out = NULL;
    }
    return rc;
}

static int string_literal(reader *r, char **out)
{
    if (*r->p != '\'')
        return fail(r, "expected a string");
    r->p++;
    mdl_buf b;
    mdl_buf_init(&b, r->ctx, 1 << 20);
    for (;;) {
        if (*r->p == '\0') {
            mdl_buf_reset(&b);
            return fail(r, "unterminated string");
        }
        if (*r->p == '\'') {
            if (r->p[1] != '\'')
                break;
            r->p++;
        }
        mdl_buf_append(&b, r->p, 1, NULL);
        r->p++;
    }
    r->p++;
    mdl_buf_terminate(&b, NULL);
    *out = b.data ? b.data : mdl_strdup(r->ctx, "");
    return MDL_OK;
}

static int string_value(reader *r, const char *s, sql_bound **out)
{
    mdl_column *c;
    int rc = literal_column(r, mdl_type_make(MDL_TYPE_STRING), &c);
    if (rc == MDL_OK)
        rc = mdl_column_append_string(r->ctx, c, s, strlen(s), r->err);
    if (rc != MDL_OK) {
        mdl_column_reset(r->ctx, c);
        mdl_free(r->ctx, c);
        return rc;
    }
    return mdl_sql__bound_literal(r->ctx, c, out, r->err);
}

/* A typed literal from text: the string cast to `t` (as DATE '...' does), folded into a
 * literal node as a binder folds constants. */
static int typed_literal(reader *r, const char *text, mdl_type t, sql_bound **out)
{
    *out = NULL;
    mdl_column s, *c = NULL;
    int rc = mdl_column_init(r->ctx, &s, mdl_type_make(MDL_TYPE_STRING), 1, r->err);
    if (rc == MDL_OK)
        rc = mdl_column_append_string(r->ctx, &s, text, strlen(text), r->err);
    if (rc == MDL_OK)
        rc = literal_column(r, t, &c);
    if (rc == MDL_OK)
        rc = mdl_sql__cast_column(r->ctx, NULL, &s, t, false, c, r->err);
    mdl_column_reset(r->ctx, &s);
    if (rc != MDL_OK) {
        if (c != NULL) {
            mdl_column_reset(r->ctx, c);
            mdl_free(r->ctx, c);
        }
        return rc;
    }
    return mdl_sql__bound_literal(r->ctx, c, out, r->err);
}

static int number(reader *r, sql_bound **out)
{
    const char *start = r->p;
    size_t int_digits = 0, frac_digits = 0;
    bool dot = false, exp = false;
    while (isdigit((unsigned char)*r->p) || *r->p == '.') {
        if (*r->p == '.')
            dot = true;
        else if (dot)
            frac_digits++;
        else
            int_digits++;
        r->p++;
    }
    if (*r->p == 'e' || *r->p == 'E') {
        exp = true;
        r->p++;
        if (*r->p == '+' || *r->p == '-')
            r->p++;
        while (isdigit((unsigned char)*r->p))
            r->p++;
    }
    char text[64];
    size_t len = (size_t)(r->p - start);
    if (len >= sizeof text)
        return fail(r, "number too long");
    memcpy(text, start, len);
    text[len] = '\0';
    mdl_type t;
    if (exp)
        t = mdl_type_make(MDL_TYPE_DOUBLE);
    else if (dot) {
        /* DuckDB: DECIMAL(all digits as written, fraction digits). */
        int p = (int)(int_digits + frac_digits);
        p = p < 1 ? 1 : p;
        t = mdl_type_decimal(p, (int)frac_digits);
    } else {
        long long v = strtoll(text, NULL, 10);
        t = mdl_type_make(v <= INT32_MAX ? MDL_TYPE_INT32 : MDL_TYPE_INT64);
    }
    return typed_literal(r, text, t, out);
}

static int type_name(reader *r, mdl_type *t)
{
    skip_ws(r);
    const char *start = r->p;
    while (isalnum((unsigned char)*r->p) || *r->p == '_')
        r->p++;
    skip_ws(r);
    if (*r->p == '(') {
        while (*r->p && *r->p != ')')
            r->p++;
        if (*r->p == ')')
            r->p++;
    }
    return mdl_type_parse(mdl_sv_make(start, (size_t)(r->p - start)), t, r->err);
}

static int arg_list(reader *r, sql_bound **args, size_t *n)
{
    *n = 0;
    if (sym(r, ")"))
        return MDL_OK;
    for (;;) {
        if (*n >= 16)
            return fail(r, "too many arguments");
        int rc = expr(r, &args[*n]);
        if (rc != MDL_OK)
            return rc;
        (*n)++;
        if (sym(r, ")"))
            return MDL_OK;
        if (!sym(r, ","))
            return fail(r, "expected , or )");
    }
}

static void free_all(reader *r, sql_bound **args, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mdl_sql__bound_free(r->ctx, args[i]);
}

static int primary(reader *r, sql_bound **out)
{
    skip_ws(r);
    int rc;
    if (isdigit((unsigned char)*r->p) || (*r->p == '.' && isdigit((unsigned char)r->p[1])))
        return number(r, out);
    if (*r->p == '\'') {
        char *s;
        rc = string_literal(r, &s);
        if (rc != MDL_OK)
            return rc;
        rc = string_value(r, s, out);
        mdl_free(r->ctx, s);
        return rc;
    }
    if (sym(r, "(")) {
        rc = expr(r, out);
        if (rc == MDL_OK && !sym(r, ")"))
            return fail(r, "expected )");
        return rc;
    }
    if (kw(r, "NULL"))
        return mdl_sql__bound_null(r->ctx, out, r->err);
    bool truth = kw(r, "TRUE");
    if (truth || kw(r, "FALSE"))
        return typed_literal(r, truth ? "true" : "false", mdl_type_make(MDL_TYPE_BOOLEAN), out);
    bool date = kw(r, "DATE");
    if (date || kw(r, "TIMESTAMP")) {
        skip_ws(r);
        char *s;
        rc = string_literal(r, &s);
        if (rc != MDL_OK)
            return rc;
        rc = typed_literal(r, s, mdl_type_make(date ? MDL_TYPE_DATE : MDL_TYPE_TIMESTAMP), out);
        mdl_free(r->ctx, s);
        return rc;
    }
    bool try_cast = kw(r, "TRY_CAST");
    if (try_cast || kw(r, "CAST")) {
        sql_bound *a;
        mdl_type t;
        if (!sym(r, "("))
            return fail(r, "expected (");
        rc = expr(r, &a);
        if (rc != MDL_OK)
            return rc;
        if (!kw(r, "AS") || type_name(r, &t) != MDL_OK || !sym(r, ")")) {
            mdl_sql__bound_free(r->ctx, a);
            return fail(r, "bad CAST");
        }
        return mdl_sql__bound_cast(r->ctx, a, t, try_cast, out, r->err);
    }
    if (kw(r, "CASE")) {
        sql_bound *args[32];
        size_t n = 0;
        while (kw(r, "WHEN")) {
            if (n + 3 > 32 || expr(r, &args[n]) != MDL_OK)
                return free_all(r, args, n), fail(r, "bad WHEN");
            n++;
            if (!kw(r, "THEN") || expr(r, &args[n]) != MDL_OK)
                return free_all(r, args, n), fail(r, "bad THEN");
            n++;
        }
        bool has_else = false;
        if (kw(r, "ELSE")) {
            if (expr(r, &args[n]) != MDL_OK)
                return free_all(r, args, n), fail(r, "bad ELSE");
            n++;
            has_else = true;
        }
        if (!kw(r, "END"))
            return free_all(r, args, n), fail(r, "expected END");
        return mdl_sql__bound_case(r->ctx, args, n, has_else, out, r->err);
    }
    if (kw(r, "EXTRACT")) {
        skip_ws(r);
        if (!sym(r, "("))
            return fail(r, "expected (");
        skip_ws(r);
        const char *s = r->p;
        while (isalpha((unsigned char)*r->p))
            r->p++;
        char part[32];
        snprintf(part, sizeof part, "%.*s", (int)(r->p - s), s);
        sql_bound *args[2] = {NULL, NULL};
        if (!kw(r, "FROM"))
            return fail(r, "expected FROM");
        rc = string_value(r, part, &args[0]);
        if (rc == MDL_OK)
            rc = expr(r, &args[1]);
        if (rc != MDL_OK || !sym(r, ")")) {
            free_all(r, args, 2);
            return rc != MDL_OK ? rc : fail(r, "expected )");
        }
        return call(r, "date_part", args, 2, out);
    }
    if (isalpha((unsigned char)*r->p) || *r->p == '_') {
        const char *s = r->p;
        while (isalnum((unsigned char)*r->p) || *r->p == '_')
            r->p++;
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(r->p - s), s);
        sql_bound *args[16];
        size_t n = 0;
        if (sym(r, "(")) {
            rc = arg_list(r, args, &n);
            if (rc != MDL_OK)
                return free_all(r, args, n), rc;
        }
        return call(r, name, args, n, out);
    }
    return fail(r, "unexpected input");
}

static int unary(reader *r, sql_bound **out)
{
    if (sym(r, "-")) {
        sql_bound *a;
        int rc = unary(r, &a);
        if (rc != MDL_OK)
            return rc;
        return call(r, "neg", &a, 1, out);
    }
    return primary(r, out);
}

static int mul(reader *r, sql_bound **out)
{
    int rc = unary(r, out);
    while (rc == MDL_OK) {
        const char *op = sym(r, "*") ? "*" : sym(r, "/") ? "/" : sym(r, "%") ? "%" : NULL;
        if (op == NULL)
            break;
        sql_bound *b;
        rc = unary(r, &b);
        if (rc != MDL_OK)
            break;
        rc = binary(r, op, *out, b, out);
    }
    return rc;
}

static int add(reader *r, sql_bound **out)
{
    int rc = mul(r, out);
    while (rc == MDL_OK) {
        skip_ws(r);
        if (r->p[0] == '|' && r->p[1] == '|') {
            r->p += 2;
            sql_bound *b;
            rc = mul(r, &b);
            if (rc == MDL_OK)
                rc = binary(r, "||", *out, b, out);
            continue;
        }
        const char *op = sym(r, "+") ? "+" : sym(r, "-") ? "-" : NULL;
        if (op == NULL)
            break;
        sql_bound *b;
        rc = mul(r, &b);
        if (rc != MDL_OK)
            break;
        rc = binary(r, op, *out, b, out);
    }
    return rc;
}

static int comparison(reader *r, sql_bound **out)
{
    int rc = add(r, out);
    if (rc != MDL_OK)
        return rc;
    static const char *const ops[] = {"<>", "!=", "<=", ">=", "=", "<", ">"};
    for (size_t i = 0; i < 7; i++)
        if (sym(r, ops[i])) {
            sql_bound *b;
            rc = add(r, &b);
            if (rc != MDL_OK)
                return rc;
            return binary(r, ops[i], *out, b, out);
        }
    if (kw(r, "IS")) {
        bool neg = kw(r, "NOT");
        if (kw(r, "NULL")) {
            sql_bound *a = *out;
            return call(r, neg ? "is_not_null" : "is_null", &a, 1, out);
        }
        if (!kw(r, "DISTINCT") || !kw(r, "FROM"))
            return fail(r, "bad IS");
        sql_bound *b;
        rc = add(r, &b);
        if (rc != MDL_OK)
            return rc;
        return binary(r, neg ? "is_not_distinct" : "is_distinct", *out, b, out);
    }
    const char *save = r->p;
    bool neg = kw(r, "NOT");
    if (kw(r, "IN")) {
        sql_bound *args[16];
        size_t n = 0;
        args[n++] = *out;
        if (!sym(r, "("))
            return fail(r, "expected (");
        rc = arg_list(r, args + 1, &n);
        if (rc != MDL_OK)
            return rc;
        return call(r, neg ? "not_in" : "in", args, n + 1, out);
    }
    if (kw(r, "BETWEEN")) {
        sql_bound *args[3] = {*out, NULL, NULL};
        rc = add(r, &args[1]);
        if (rc == MDL_OK && !kw(r, "AND"))
            rc = fail(r, "expected AND");
        if (rc == MDL_OK)
            rc = add(r, &args[2]);
        if (rc != MDL_OK)
            return rc;
        return call(r, neg ? "not_between" : "between", args, 3, out);
    }
    if (kw(r, "LIKE")) {
        sql_bound *args[3] = {*out, NULL, NULL};
        rc = add(r, &args[1]);
        if (rc != MDL_OK)
            return rc;
        if (!kw(r, "ESCAPE"))
            return binary(r, neg ? "not_like" : "like", *out, args[1], out);
        rc = add(r, &args[2]);
        if (rc != MDL_OK)
            return rc;
        return call(r, neg ? "not_like" : "like", args, 3, out);
    }
    r->p = save;
    return MDL_OK;
}

static int not_expr(reader *r, sql_bound **out)
{
    if (kw(r, "NOT")) {
        sql_bound *a;
        int rc = not_expr(r, &a);
        if (rc != MDL_OK)
            return rc;
        return call(r, "not", &a, 1, out);
    }
    return comparison(r, out);
}

static int and_expr(reader *r, sql_bound **out)
{
    int rc = not_expr(r, out);
    while (rc == MDL_OK && kw(r, "AND")) {
        sql_bound *b;
        rc = not_expr(r, &b);
        if (rc == MDL_OK)
            rc = binary(r, "and", *out, b, out);
    }
    return rc;
}

static int expr(reader *r, sql_bound **out)
{
    *out = NULL;
    int rc = and_expr(r, out);
    while (rc == MDL_OK && kw(r, "OR")) {
        sql_bound *b;
        rc = and_expr(r, &b);
        if (rc == MDL_OK)
            rc = binary(r, "or", *out, b, out);
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: oracle_sql_expr CASES.txt\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (f == NULL) {
        perror(argv[1]);
        return 1;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_schema *schema;
    mdl_error err;
    if (mdl_schema_parse(&ctx, "dummy int32", &schema, &err) != MDL_OK)
        return 1;
    mdl_batch *batch;
    if (mdl_batch_new(&ctx, schema, 1, &batch, &err) != MDL_OK)
        return 1;
    int32_t zero = 0;
    mdl_column_append_value(&ctx, &batch->columns[0], &zero, NULL);
    batch->num_rows = 1;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '\0' || line[0] == '#')
            continue;
        char *tab = strchr(line, '\t');
        if (tab != NULL)
            *tab = '\0';
        reader r = {&ctx, line, &err};
        sql_bound *e = NULL;
        int rc = expr(&r, &e);
        skip_ws(&r);
        if (rc == MDL_OK && *r.p != '\0')
            rc = fail(&r, "trailing input");
        char value[512] = "ERROR", tname[40] = "-";
        mdl_column out;
        memset(&out, 0, sizeof out);
        if (rc == MDL_OK) {
            mdl_type_format(e->type, tname, sizeof tname);
            rc = mdl_column_init(&ctx, &out, e->type, 1, &err);
            if (rc == MDL_OK)
                rc = mdl_sql__eval(&ctx, e, batch, &out, &err);
            if (rc == MDL_OK && mdl_column_is_null(&out, 0))
                snprintf(value, sizeof value, "NULL");
            else if (rc == MDL_OK)
                mdl_sql__format_value(&out, 0, value, sizeof value);
        }
        if (rc != MDL_OK)
            fprintf(stderr, "%s: %s\n", line, err.message);
        printf("%s\t%s\t%s\n", line, value, tname);
        mdl_column_reset(&ctx, &out);
        mdl_sql__bound_free(&ctx, e);
    }
    fclose(f);
    mdl_batch_free(batch);
    mdl_schema_release(schema);
    return 0;
}
