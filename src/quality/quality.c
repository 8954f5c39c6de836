/*
 * quality.c - the contract's checks run as SQL (medallion/quality.h, docs/quality.md). Each
 * check becomes one or two queries over the table under check, which is pinned to the data
 * being checked (a staged preview or the committed table), so the SQL engine does the work
 * and every check means the same as the query one would write by hand; the queries are in
 * docs/quality.md. NULLs never fail a check except not_null.
 */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medallion/quality.h"

#define SAMPLE_ROWS 5

typedef struct qrun {
    mdl_ctx *ctx;
    const mdl_contract *c;
    const mdl_quality_options *o;
    mdl_table *table; /* the data checked (borrowed) */
    mdl_sql_table_pin pin;
    mdl_buf sql, text;
    int64_t total; /* rows checked */
} qrun;

void mdl_quality_options_init(mdl_quality_options *o)
{
    memset(o, 0, sizeof *o);
    o->lake_root = "lake";
    o->previous_rows = -1;
    o->rows_read = -1;
    o->rows_quarantined = -1;
    o->committed_rows = -1;
    o->quarantine_rows = -1;
}

const char *mdl_check_status_name(mdl_check_status s)
{
    switch (s) {
    case MDL_CHECK_PASS:
        return "pass";
    case MDL_CHECK_WARN:
        return "warn";
    case MDL_CHECK_FAIL:
        return "fail";
    case MDL_CHECK_ERROR:
        return "error";
    }
    return "unknown";
}

static const char *param(const mdl_contract_check *ck, const char *key)
{
    for (size_t i = 0; i < ck->num_params; i++)
        if (strcmp(ck->params[i].key, key) == 0)
            return ck->params[i].value;
    return NULL;
}

/* Runs `sql` and appends up to max_rows rows to q->text, values tab-separated, rows ended by
 * '\n' (NULL as "\\N"); *rows_out counts them. */
static int fetch(qrun *q, const char *sql, size_t max_rows, size_t *rows_out, mdl_error *err)
{
    mdl_sql_options so;
    mdl_sql_options_init(&so);
    so.lake_root = q->o->lake_root;
    so.source = q->c->file;
    so.memory_bytes = q->o->memory_bytes;
    so.pins = &q->pin;
    so.num_pins = 1;
    mdl_batch_stream *s = NULL;
    q->text.len = 0;
    *rows_out = 0;
    int rc = mdl_sql_query(q->ctx, sql, strlen(sql), &so, &s, err);
    mdl_batch *b = NULL;
    while (rc == MDL_OK && (rc = mdl_batch_stream_next(s, &b, err)) == MDL_OK && b != NULL) {
        for (size_t r = 0; rc == MDL_OK && r < b->num_rows && *rows_out < max_rows; r++) {
            for (size_t c = 0; rc == MDL_OK && c < b->schema->num_fields; c++) {
                char v[256];
                if (mdl_column_is_null(&b->columns[c], r))
                    snprintf(v, sizeof v, "\\N");
                else
                    mdl_column_format_value(&b->columns[c], r, v, sizeof v);
                rc = mdl_buf_printf(&q->text, err, "%s%s", c ? "\t" : "", v);
            }
            if (rc == MDL_OK)
                rc = mdl_buf_append(&q->text, "\n", 1, err);
            (*rows_out)++;
        }
        mdl_batch_free(b);
    }
    mdl_batch_stream_release(s);
    if (rc == MDL_OK)
        rc = mdl_buf_terminate(&q->text, err);
    return rc;
}

/* The first value of the first row as an integer (NULL: 0). */
static int fetch_i64(qrun *q, const char *sql, int64_t *out, mdl_error *err)
{
    size_t rows;
    int rc = fetch(q, sql, 1, &rows, err);
    *out =
        rc == MDL_OK && rows > 0 && q->text.data[0] != '\\' ? strtoll(q->text.data, NULL, 10) : 0;
    return rc;
}

/* The SQL text of a query, built in q->sql. */
MDL_PRINTF(2, 3) static const char *build_sql(qrun *q, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    q->sql.len = 0;
    if (n < 0 || mdl_buf_reserve(&q->sql, (size_t)n + 1, NULL) != MDL_OK)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(q->sql.data, (size_t)n + 1, fmt, ap);
    va_end(ap);
    q->sql.len = (size_t)n;
    return q->sql.data;
}

/* A string literal for SQL ('it''s'), into buf. */
static void quoted(const char *s, mdl_buf *buf)
{
    mdl_buf_append(buf, "'", 1, NULL);
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            mdl_buf_append(buf, "'", 1, NULL);
        mdl_buf_append(buf, p, 1, NULL);
    }
    mdl_buf_append(buf, "'", 1, NULL);
}

/* A check's status: a condition that is not met fails, or warns for a `warn` check. */
static mdl_check_status verdict(const mdl_check_result *r, bool bad)
{
    if (!bad)
        return MDL_CHECK_PASS;
    return strcmp(r->severity, "warn") == 0 ? MDL_CHECK_WARN : MDL_CHECK_FAIL;
}

/* A row check's: over the threshold as above; failing rows within it are tolerated but still a
 * warning, so that a defect rate creeping up towards its limit shows in dq_results before it
 * blocks anything. */
static mdl_check_status grade(const mdl_check_result *r, int64_t ok)
{
    if (r->failing > ok)
        return verdict(r, true);
    return r->failing > 0 ? MDL_CHECK_WARN : MDL_CHECK_PASS;
}

/* Allowed failing rows for a threshold ("10", "0.5%", NULL = 0) over `total` rows. */
static int64_t allowed(const char *threshold, int64_t total)
{
    if (threshold == NULL)
        return 0;
    size_t n = strlen(threshold);
    if (n > 0 && threshold[n - 1] == '%')
        return (int64_t)floor(strtod(threshold, NULL) / 100.0 * (double)total);
    return strtoll(threshold, NULL, 10);
}

static int64_t duration_us(const char *s)
{
    char *end = NULL;
    double v = strtod(s, &end);
    int64_t unit = 1000000;
    if (end && strcmp(end, "ms") == 0)
        unit = 1000;
    else if (end && *end == 'm')
        unit = INT64_C(60000000);
    else if (end && *end == 'h')
        unit = INT64_C(3600000000);
    else if (end && *end == 'd')
        unit = INT64_C(86400000000);
    else if (end && *end == 'w')
        unit = INT64_C(604800000000);
    return (int64_t)(v * (double)unit);
}

MDL_PRINTF(2, 3) static char *dupf(mdl_ctx *ctx, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return mdl_strdup(ctx, buf);
}

/* The key columns shown in samples: the unique key, else the checked column. */
static void key_list(const qrun *q, const char *column, mdl_buf *out)
{
    const mdl_contract *c = q->c;
    if (c->num_unique_key == 0 && column != NULL) {
        mdl_buf_printf(out, NULL, "\"%s\"", column);
        return;
    }
    for (size_t i = 0; i < c->num_unique_key; i++)
        mdl_buf_printf(out, NULL, "%s\"%s\"", i ? ", " : "", c->unique_key[i]);
    if (c->num_unique_key == 0)
        mdl_buf_append_str(out, "1", NULL);
}

/* Sample of the failing keys of a row check: rows of `from` matching `where`. */
static int sample_keys(qrun *q, const char *column, const char *where, mdl_check_result *r,
                       mdl_error *err)
{
    mdl_buf keys;
    mdl_buf_init(&keys, q->ctx, 0);
    key_list(q, column, &keys);
    mdl_buf_terminate(&keys, NULL);
    const char *sql = build_sql(q, "SELECT %s FROM %s chk WHERE %s LIMIT %d", keys.data,
                                q->c->table, where, SAMPLE_ROWS);
    size_t rows = 0;
    int rc = sql ? fetch(q, sql, SAMPLE_ROWS, &rows, err) : MDL_ERR_NOMEM;
    mdl_buf_reset(&keys);
    if (rc != MDL_OK || rows == 0)
        return rc;
    /* "a\tb\nc\td\n" -> "a/b, c/d" */
    char *s = mdl_strdup(q->ctx, q->text.data);
    if (s == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == '\n')
        s[--n] = '\0';
    for (size_t i = 0; i < n; i++)
        s[i] = s[i] == '\t' ? '/' : s[i];
    mdl_buf out;
    mdl_buf_init(&out, q->ctx, 0);
    for (char *line = strtok(s, "\n"); line != NULL; line = strtok(NULL, "\n"))
        mdl_buf_printf(&out, NULL, "%s%s", out.len ? ", " : "", line);
    mdl_buf_terminate(&out, NULL);
    r->sample = out.data ? mdl_strdup(q->ctx, out.data) : NULL;
    mdl_buf_reset(&out);
    mdl_free(q->ctx, s);
    return MDL_OK;
}

/* A check over rows: `where` selects the failing rows (NULLs already excluded by it). */
static int row_check(qrun *q, const mdl_contract_check *ck, const char *where, const char *what,
                     mdl_check_result *r, mdl_error *err)
{
    const char *sql =
        build_sql(q, "SELECT CAST(count(*) AS BIGINT) FROM %s chk WHERE %s", q->c->table, where);
    int rc = sql ? fetch_i64(q, sql, &r->failing, err) : MDL_ERR_NOMEM;
    if (rc != MDL_OK)
        return rc;
    r->total = q->total;
    int64_t ok = allowed(ck->threshold, q->total);
    r->status = grade(r, ok);
    r->message =
        dupf(q->ctx, "%" PRId64 " of %" PRId64 " rows %s (%.2f%%; %" PRId64 " allowed)", r->failing,
             q->total, what, q->total ? 100.0 * (double)r->failing / (double)q->total : 0.0, ok);
    if (r->failing > 0) {
        char *w = mdl_strdup(q->ctx, where); /* build_sql reuses q->sql */
        rc = w ? sample_keys(q, ck->column, w, r, err) : MDL_ERR_NOMEM;
        mdl_free(q->ctx, w);
    }
    return rc;
}

static int check_unique(qrun *q, const mdl_contract_check *ck, mdl_check_result *r, mdl_error *err)
{
    mdl_buf cols, notnull;
    mdl_buf_init(&cols, q->ctx, 0);
    mdl_buf_init(&notnull, q->ctx, 0);
    size_t n = ck->column ? 1 : ck->num_values;
    for (size_t i = 0; i < n; i++) {
        const char *col = ck->column ? ck->column : ck->values[i];
        mdl_buf_printf(&cols, NULL, "%s\"%s\"", i ? ", " : "", col);
        mdl_buf_printf(&notnull, NULL, "%s\"%s\" IS NOT NULL", i ? " AND " : "", col);
    }
    mdl_buf_terminate(&cols, NULL);
    mdl_buf_terminate(&notnull, NULL);
    const char *sql = build_sql(q,
                                "SELECT CAST(coalesce(sum(n), 0) AS BIGINT) FROM (SELECT "
                                "count(*) AS n FROM %s WHERE %s GROUP BY %s HAVING count(*) > 1) d",
                                q->c->table, notnull.data, cols.data);
    int rc = sql ? fetch_i64(q, sql, &r->failing, err) : MDL_ERR_NOMEM;
    r->total = q->total;
    if (rc == MDL_OK) {
        int64_t ok = allowed(ck->threshold, q->total);
        r->status = grade(r, ok);
        r->message = dupf(q->ctx,
                          "%" PRId64 " of %" PRId64 " rows share their (%s) with another row "
                          "(%" PRId64 " allowed)",
                          r->failing, q->total, cols.data, ok);
        if (r->failing > 0) {
            sql =
                build_sql(q, "SELECT %s FROM %s WHERE %s GROUP BY %s HAVING count(*) > 1 LIMIT %d",
                          cols.data, q->c->table, notnull.data, cols.data, SAMPLE_ROWS);
            size_t rows;
            rc = sql ? fetch(q, sql, SAMPLE_ROWS, &rows, err) : MDL_ERR_NOMEM;
            if (rc == MDL_OK && rows > 0) {
                for (size_t i = 0; i < q->text.len; i++)
                    q->text.data[i] = q->text.data[i] == '\t' ? '/' : q->text.data[i];
                while (q->text.len > 0 && q->text.data[q->text.len - 1] == '\n')
                    q->text.data[--q->text.len] = '\0';
                for (size_t i = 0; i < q->text.len; i++)
                    if (q->text.data[i] == '\n')
                        q->text.data[i] = ',';
                r->sample = mdl_strdup(q->ctx, q->text.data);
            }
        }
    }
    mdl_buf_reset(&cols);
    mdl_buf_reset(&notnull);
    return rc;
}

static int check_row_count(qrun *q, const mdl_contract_check *ck, mdl_check_result *r)
{
    const char *mn = param(ck, "min"), *mx = param(ck, "max"), *ch = param(ck, "max_change");
    r->total = q->total;
    r->failing = -1;
    bool bad = false;
    char why[256] = "";
    if (mn != NULL && q->total < strtoll(mn, NULL, 10)) {
        bad = true;
        snprintf(why, sizeof why, "; at least %s expected", mn);
    } else if (mx != NULL && q->total > strtoll(mx, NULL, 10)) {
        bad = true;
        snprintf(why, sizeof why, "; at most %s expected", mx);
    } else if (ch != NULL && q->o->previous_rows > 0) {
        double change = 100.0 * fabs((double)q->total - (double)q->o->previous_rows) /
                        (double)q->o->previous_rows;
        if (change > strtod(ch, NULL)) {
            bad = true;
            snprintf(why, sizeof why, "; %.1f%% away from the previous %" PRId64 " (max %s)",
                     change, q->o->previous_rows, ch);
        }
    }
    r->status = verdict(r, bad);
    r->message = dupf(q->ctx, "%" PRId64 " rows%s", q->total, why);
    return MDL_OK;
}

/* The share of the source's rows that went to quarantine, over everything ingested so far:
 * quarantine.<name> (committed) against the table's rows plus those — during an ingest, the
 * committed table (committed_rows) plus the delivery being checked and its rejects.
 * Cumulative because one small delivery is too noisy a sample; and any threshold above zero
 * tolerates at least one reject, so that the first tiny file of a table does not block on a
 * single bad row. */
static int check_quarantined(qrun *q, const mdl_contract_check *ck, mdl_check_result *r,
                             mdl_error *err)
{
    int64_t committed = q->o->quarantine_rows;
    if (committed < 0) {
        const char *sql =
            build_sql(q, "SELECT CAST(count(*) AS BIGINT) FROM quarantine.%s", q->c->name);
        int rc = sql ? fetch_i64(q, sql, &committed, err) : MDL_ERR_NOMEM;
        if (rc != MDL_OK)
            return rc;
    }
    bool delivery = q->o->rows_quarantined >= 0;
    int64_t bad = committed + (delivery ? q->o->rows_quarantined : 0);
    int64_t all =
        q->total + bad + (delivery && q->o->committed_rows > 0 ? q->o->committed_rows : 0);
    r->failing = bad;
    r->total = all;
    int64_t ok = allowed(ck->threshold, all);
    if (ok == 0 && ck->threshold != NULL && strtod(ck->threshold, NULL) > 0)
        ok = 1;
    r->status = grade(r, ok);
    r->message = dupf(q->ctx,
                      "%" PRId64 " of %" PRId64 " source rows ingested so far went to quarantine "
                      "(%.2f%%; %" PRId64 " allowed)",
                      bad, all, all ? 100.0 * (double)bad / (double)all : 0.0, ok);
    if (delivery && q->o->rows_quarantined > 0) {
        char *m = dupf(q->ctx, "%s; this file: %" PRId64 " of %" PRId64, r->message,
                       q->o->rows_quarantined, q->o->rows_read);
        if (m != NULL) {
            mdl_free(q->ctx, r->message);
            r->message = m;
        }
    }
    return MDL_OK;
}

static int check_freshness(qrun *q, const mdl_contract_check *ck, mdl_check_result *r,
                           mdl_error *err)
{
    const char *col = param(ck, "column"), *age = param(ck, "max_age");
    /* epoch seconds of the newest value; dates count from their midnight */
    const char *sql = build_sql(q,
                                "SELECT CAST(date_diff('second', TIMESTAMP '1970-01-01 "
                                "00:00:00', CAST(max(\"%s\") AS TIMESTAMP)) AS BIGINT) FROM %s",
                                col, q->c->table);
    size_t rows;
    int rc = sql ? fetch(q, sql, 1, &rows, err) : MDL_ERR_NOMEM;
    if (rc != MDL_OK)
        return rc;
    r->total = q->total;
    r->failing = -1;
    int64_t now = q->o->now_us ? q->o->now_us : mdl_now_micros();
    bool none = rows == 0 || q->text.data[0] == '\\';
    int64_t newest = none ? 0 : strtoll(q->text.data, NULL, 10) * 1000000; /* seconds */
    int64_t limit = duration_us(age);
    bool bad = none || now - newest > limit;
    r->status = verdict(r, bad);
    if (none)
        r->message = dupf(q->ctx, "no %s value at all (max age %s)", col, age);
    else
        r->message = dupf(q->ctx, "the newest %s is %.1f hours old (max age %s)", col,
                          (double)(now - newest) / 3600e6, age);
    return MDL_OK;
}

static int check_sql(qrun *q, const mdl_contract_check *ck, mdl_check_result *r, mdl_error *err)
{
    /* `this` is the table under check, as a CTE over it */
    const char *query = param(ck, "query");
    const char *sql = build_sql(q,
                                "WITH this AS (SELECT * FROM %s) SELECT CAST(count(*) AS BIGINT) "
                                "FROM (%s\n) failing",
                                q->c->table, query);
    int rc = sql ? fetch_i64(q, sql, &r->failing, err) : MDL_ERR_NOMEM;
    if (rc != MDL_OK)
        return rc;
    r->total = q->total;
    int64_t ok = allowed(ck->threshold, q->total);
    r->status = grade(r, ok);
    r->message = dupf(q->ctx, "the check query returned %" PRId64 " rows (%" PRId64 " allowed)",
                      r->failing, ok);
    if (r->failing > 0) {
        sql = build_sql(q, "WITH this AS (SELECT * FROM %s) SELECT * FROM (%s\n) failing LIMIT %d",
                        q->c->table, query, SAMPLE_ROWS);
        size_t rows;
        rc = sql ? fetch(q, sql, SAMPLE_ROWS, &rows, err) : MDL_ERR_NOMEM;
        if (rc == MDL_OK && rows > 0) {
            for (size_t i = 0; i < q->text.len; i++)
                q->text.data[i] = q->text.data[i] == '\t' ? '/' : q->text.data[i];
            while (q->text.len > 0 && q->text.data[q->text.len - 1] == '\n')
                q->text.data[--q->text.len] = '\0';
            for (size_t i = 0; i < q->text.len; i++)
                if (q->text.data[i] == '\n')
                    q->text.data[i] = ';';
            r->sample = mdl_strdup(q->ctx, q->text.data);
        }
    }
    return rc;
}

/*
 * reconcile: {with: T, count: C [, with_count: D]} compares count(C) here with count(D, default
 * C) in T; {with: T, sum: A, with_sum:
 * B | with_count: B} compares sum(A) here with sum(B) / count(B) in T; with group_by: G, every
 * group of this table must match T's total. tolerance: an absolute number or a percentage of
 * T's value (default 0).
 */
static int check_reconcile(qrun *q, const mdl_contract_check *ck, mdl_check_result *r,
                           mdl_error *err)
{
    const char *with = param(ck, "with"), *count = param(ck, "count"), *sum = param(ck, "sum");
    const char *wsum = param(ck, "with_sum"), *wcount = param(ck, "with_count");
    const char *group = param(ck, "group_by"), *tol = param(ck, "tolerance");
    r->total = q->total;
    r->failing = -1;
    if (with == NULL || (count == NULL && sum == NULL) || (sum != NULL && !wsum && !wcount)) {
        r->status = MDL_CHECK_ERROR;
        r->message = dupf(q->ctx, "reconcile needs with and count, or sum and with_sum / "
                                  "with_count");
        return MDL_OK;
    }
    char mine[256], theirs[256];
    if (count != NULL) {
        snprintf(mine, sizeof mine, "CAST(count(\"%s\") AS DOUBLE)", count);
        snprintf(theirs, sizeof theirs, "CAST(count(\"%s\") AS DOUBLE)", wcount ? wcount : count);
    } else {
        snprintf(mine, sizeof mine, "CAST(coalesce(sum(\"%s\"), 0) AS DOUBLE)", sum);
        if (wsum)
            snprintf(theirs, sizeof theirs, "CAST(coalesce(sum(\"%s\"), 0) AS DOUBLE)", wsum);
        else
            snprintf(theirs, sizeof theirs, "CAST(count(\"%s\") AS DOUBLE)", wcount);
    }
    const char *sql = build_sql(q, "SELECT %s FROM %s", theirs, with);
    size_t rows;
    int rc = sql ? fetch(q, sql, 1, &rows, err) : MDL_ERR_NOMEM;
    if (rc != MDL_OK)
        return rc;
    double want = rows ? strtod(q->text.data, NULL) : 0;
    double allow = 0;
    if (tol != NULL) {
        size_t n = strlen(tol);
        allow =
            n > 0 && tol[n - 1] == '%' ? strtod(tol, NULL) / 100.0 * fabs(want) : strtod(tol, NULL);
    }
    allow += 1e-9 * fabs(want); /* the sums are doubles here */
    if (group != NULL)
        sql = build_sql(q, "SELECT CAST(\"%s\" AS VARCHAR), %s FROM %s GROUP BY 1 ORDER BY 1",
                        group, mine, q->c->table);
    else
        sql = build_sql(q, "SELECT 'all', %s FROM %s", mine, q->c->table);
    rc = sql ? fetch(q, sql, 1000, &rows, err) : MDL_ERR_NOMEM;
    if (rc != MDL_OK)
        return rc;
    int64_t bad = 0;
    double worst_have = want;
    char worst_group[128] = "";
    for (char *line = q->text.data; line && *line;) {
        char *nl = strchr(line, '\n'), *tab = strchr(line, '\t');
        if (nl)
            *nl = '\0';
        double have = tab ? strtod(tab + 1, NULL) : 0;
        if (fabs(have - want) > allow) {
            if (bad++ == 0) {
                worst_have = have;
                snprintf(worst_group, sizeof worst_group, "%.*s", tab ? (int)(tab - line) : 0,
                         line);
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    r->failing = bad;
    r->status = verdict(r, bad != 0);
    if (bad == 0)
        r->message = dupf(q->ctx, "%s here matches %s of %s: %.2f", count ? "count" : "sum",
                          wcount || count ? "the count" : "the sum", with, want);
    else
        r->message = dupf(q->ctx, "%s%s%s here is %.2f, %s has %.2f (difference %.2f)",
                          group ? "group " : "", group ? worst_group : "",
                          group ? ":" : "the value", worst_have, with, want, worst_have - want);
    return MDL_OK;
}

static int run_check(qrun *q, const mdl_contract_check *ck, mdl_check_result *r, mdl_error *err)
{
    const char *k = ck->kind, *col = ck->column;
    mdl_buf w;
    mdl_buf_init(&w, q->ctx, 0);
    int rc = MDL_OK;
    if (strcmp(k, "not_null") == 0) {
        mdl_buf_printf(&w, NULL, "\"%s\" IS NULL", col);
        mdl_buf_terminate(&w, NULL);
        rc = row_check(q, ck, w.data, "are NULL", r, err);
    } else if (strcmp(k, "unique") == 0) {
        rc = check_unique(q, ck, r, err);
    } else if (strcmp(k, "accepted_values") == 0) {
        mdl_buf_printf(&w, NULL, "\"%s\" IS NOT NULL AND CAST(\"%s\" AS VARCHAR) NOT IN (", col,
                       col);
        for (size_t i = 0; i < ck->num_values; i++) {
            if (i)
                mdl_buf_append(&w, ", ", 2, NULL);
            quoted(ck->values[i], &w);
        }
        mdl_buf_append(&w, ")", 1, NULL);
        mdl_buf_terminate(&w, NULL);
        rc = row_check(q, ck, w.data, "have a value outside the accepted ones", r, err);
    } else if (strcmp(k, "range") == 0) {
        const char *mn = param(ck, "min"), *mx = param(ck, "max");
        if (mn && mx)
            mdl_buf_printf(&w, NULL, "(\"%s\" < %s OR \"%s\" > %s)", col, mn, col, mx);
        else if (mn)
            mdl_buf_printf(&w, NULL, "\"%s\" < %s", col, mn);
        else
            mdl_buf_printf(&w, NULL, "\"%s\" > %s", col, mx);
        mdl_buf_terminate(&w, NULL);
        char what[160];
        snprintf(what, sizeof what, "are outside [%s, %s]", mn ? mn : "-inf", mx ? mx : "inf");
        rc = row_check(q, ck, w.data, what, r, err);
    } else if (strcmp(k, "regex") == 0) {
        mdl_buf_printf(&w, NULL,
                       "\"%s\" IS NOT NULL AND NOT regexp_matches(CAST(\"%s\" AS "
                       "VARCHAR), ",
                       col, col);
        quoted(param(ck, "pattern"), &w);
        mdl_buf_append(&w, ")", 1, NULL);
        mdl_buf_terminate(&w, NULL);
        rc = row_check(q, ck, w.data, "do not match the pattern", r, err);
    } else if (strcmp(k, "relationship") == 0) {
        /* "layer.table.column" */
        const char *to = param(ck, "to");
        const char *dot = to ? strrchr(to, '.') : NULL;
        if (dot == NULL) {
            r->status = MDL_CHECK_ERROR;
            r->message =
                dupf(q->ctx, "relationship target '%s' is not LAYER.TABLE.COLUMN", to ? to : "");
        } else {
            mdl_buf_printf(&w, NULL,
                           "chk.\"%s\" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %.*s ref "
                           "WHERE ref.\"%s\" = chk.\"%s\")",
                           col, (int)(dot - to), to, dot + 1, col);
            mdl_buf_terminate(&w, NULL);
            char what[300];
            snprintf(what, sizeof what, "have no match in %s", to);
            rc = row_check(q, ck, w.data, what, r, err);
        }
    } else if (strcmp(k, "row_count") == 0) {
        rc = check_row_count(q, ck, r);
    } else if (strcmp(k, "freshness") == 0) {
        rc = check_freshness(q, ck, r, err);
    } else if (strcmp(k, "quarantined") == 0) {
        rc = check_quarantined(q, ck, r, err);
    } else if (strcmp(k, "sql") == 0) {
        rc = check_sql(q, ck, r, err);
    } else if (strcmp(k, "reconcile") == 0) {
        rc = check_reconcile(q, ck, r, err);
    } else {
        r->status = MDL_CHECK_ERROR;
        r->message = dupf(q->ctx, "unknown check kind '%s'", k);
    }
    mdl_buf_reset(&w);
    return rc;
}

static char *check_name(mdl_ctx *ctx, const mdl_contract_check *ck)
{
    if (ck->label != NULL)
        return mdl_strdup(ctx, ck->label);
    mdl_buf b;
    mdl_buf_init(&b, ctx, 0);
    mdl_buf_append_str(&b, ck->kind, NULL);
    if (ck->column) {
        mdl_buf_printf(&b, NULL, "(%s)", ck->column);
    } else if (strcmp(ck->kind, "unique") == 0) {
        mdl_buf_append(&b, "(", 1, NULL);
        for (size_t i = 0; i < ck->num_values; i++)
            mdl_buf_printf(&b, NULL, "%s%s", i ? ", " : "", ck->values[i]);
        mdl_buf_append(&b, ")", 1, NULL);
    } else if (strcmp(ck->kind, "reconcile") == 0 || strcmp(ck->kind, "freshness") == 0) {
        mdl_buf_append(&b, "(", 1, NULL);
        for (size_t i = 0; i < ck->num_params; i++)
            mdl_buf_printf(&b, NULL, "%s%s=%s", i ? ", " : "", ck->params[i].key,
                           ck->params[i].value);
        mdl_buf_append(&b, ")", 1, NULL);
    }
    mdl_buf_terminate(&b, NULL);
    char *s = b.data ? mdl_strdup(ctx, b.data) : NULL;
    mdl_buf_reset(&b);
    return s;
}

int mdl_quality_run(mdl_ctx *ctx, const mdl_contract *c, const mdl_quality_options *opts,
                    mdl_quality_report *out, mdl_error *err)
{
    memset(out, 0, sizeof *out);
    out->ctx = ctx;
    out->version = -1;
    mdl_quality_options defaults;
    if (opts == NULL) {
        mdl_quality_options_init(&defaults);
        opts = &defaults;
    }
    qrun q;
    memset(&q, 0, sizeof q);
    q.ctx = ctx;
    q.c = c;
    q.o = opts;
    mdl_buf_init(&q.sql, ctx, 0);
    mdl_buf_init(&q.text, ctx, 64u << 20);
    mdl_storage *st = NULL;
    mdl_table *own = NULL;
    int rc = MDL_OK;
    out->table = mdl_strdup(ctx, c->table);
    out->results = mdl_calloc(ctx, c->num_checks + 1, sizeof *out->results);
    if (out->table == NULL || out->results == NULL)
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory running checks");
    q.table = opts->table;
    if (rc == MDL_OK && q.table == NULL) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s/%s", opts->lake_root ? opts->lake_root : "lake",
                 c->layer, c->name);
        rc = mdl_storage_open_local(ctx, path, &st, err);
        if (rc == MDL_OK)
            rc = mdl_table_open(ctx, st, -1, &own, err);
        q.table = own;
    }
    if (rc == MDL_OK) {
        out->version = mdl_table_version(q.table);
        q.pin = (mdl_sql_table_pin){c->table, -1, -1, q.table};
        const char *sql = build_sql(&q, "SELECT CAST(count(*) AS BIGINT) FROM %s", c->table);
        rc = sql ? fetch_i64(&q, sql, &q.total, err) : MDL_ERR_NOMEM;
    }
    for (size_t i = 0; rc == MDL_OK && i < c->num_checks; i++) {
        const mdl_contract_check *ck = &c->checks[i];
        mdl_check_result *r = &out->results[out->count++];
        r->name = check_name(ctx, ck);
        r->kind = mdl_strdup(ctx, ck->kind);
        r->column = ck->column ? mdl_strdup(ctx, ck->column) : NULL;
        r->severity = mdl_strdup(ctx, ck->severity ? ck->severity : "error");
        r->failing = -1;
        if (r->name == NULL || r->kind == NULL || r->severity == NULL) {
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory running checks");
            break;
        }
        mdl_error cerr = {0, ""};
        int crc = run_check(&q, ck, r, &cerr);
        if (crc == MDL_ERR_NOMEM) {
            rc = crc;
            if (err)
                *err = cerr;
        } else if (crc != MDL_OK) {
            /* the check could not run: a result, not a failure of the report */
            r->status = MDL_CHECK_ERROR;
            r->failing = -1;
            mdl_free(ctx, r->message);
            r->message = dupf(ctx, "could not run: %s", cerr.message);
        }
        bool warn = strcmp(r->severity, "warn") == 0;
        if (r->status == MDL_CHECK_FAIL || (r->status == MDL_CHECK_ERROR && !warn))
            out->failed++;
        else if (r->status == MDL_CHECK_WARN || (r->status == MDL_CHECK_ERROR && warn))
            out->warned++;
    }
    mdl_table_close(own);
    mdl_storage_release(st);
    mdl_buf_reset(&q.sql);
    mdl_buf_reset(&q.text);
    return rc;
}

void mdl_quality_report_free(mdl_quality_report *r)
{
    if (r == NULL || r->ctx == NULL)
        return;
    for (size_t i = 0; i < r->count; i++) {
        mdl_check_result *x = &r->results[i];
        mdl_free(r->ctx, x->name);
        mdl_free(r->ctx, x->kind);
        mdl_free(r->ctx, x->column);
        mdl_free(r->ctx, x->severity);
        mdl_free(r->ctx, x->message);
        mdl_free(r->ctx, x->sample);
    }
    mdl_free(r->ctx, r->results);
    mdl_free(r->ctx, r->table);
    memset(r, 0, sizeof *r);
}

int mdl_quality_summary(const mdl_quality_report *r, mdl_buf *out, mdl_error *err)
{
    int rc = mdl_buf_printf(out, err, "%zu check(s) failed on %s:", r->failed,
                            r->table ? r->table : "?");
    size_t shown = 0;
    for (size_t i = 0; rc == MDL_OK && i < r->count; i++) {
        const mdl_check_result *x = &r->results[i];
        bool warn = strcmp(x->severity, "warn") == 0;
        if (!(x->status == MDL_CHECK_FAIL || (x->status == MDL_CHECK_ERROR && !warn)))
            continue;
        rc = mdl_buf_printf(out, err, "%s %s: %s%s%s", shown++ ? ";" : "", x->name,
                            x->message ? x->message : "", x->sample ? ", e.g. " : "",
                            x->sample ? x->sample : "");
    }
    return rc == MDL_OK ? mdl_buf_terminate(out, err) : rc;
}

int mdl_quality_error(const mdl_quality_report *r, const char *outcome, mdl_error *err)
{
    mdl_buf msg;
    mdl_buf_init(&msg, r->ctx, 0);
    mdl_quality_summary(r, &msg, NULL);
    int rc = mdl_error_set(err, MDL_ERR_QUALITY, "%s; %s",
                           msg.data ? msg.data : "quality checks failed", outcome);
    mdl_buf_reset(&msg);
    return rc;
}
