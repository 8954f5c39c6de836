/*
 * test_quality.c - the checks (include/medallion/quality.h) over small tables with known
 * defects: each kind passes on good data and counts exactly the bad rows, with a sample of
 * their keys; thresholds (count and percent), severities, `this` in sql checks, relationship
 * into another table, reconcile (count, sum, group_by, tolerance), row_count with max_change,
 * freshness against a fixed now, a check that cannot run (ERROR), a staged preview checked
 * instead of the committed table, and results recorded in _medallion/dq_results.
 */
#include <stdio.h>
#include <string.h>

#include "test_support.h"

#include "medallion/contract.h"
#include "medallion/quality.h"
#include "medallion/sql.h"

typedef struct row {
    const char *id, *status; /* NULL = null */
    int64_t cents;
    const char *ref;
} row;

/* id, status, amount decimal(10,2), ts (2024-01-0N), ref -> silver.refs */
static const row ROWS[] = {
    {"A1", "open", 100, "R1"},  {"A2", "closed", 250, "R2"}, {"A3", "open", -5, "R1"},
    {"A4", "bogus", 700, "R9"}, {"A4", NULL, 10, NULL},      {"B6", "open", 20, "R2"},
};
#define NROWS (sizeof ROWS / sizeof ROWS[0])

typedef struct fx {
    mdl_ctx ctx;
    char lake[512];
    char path[600], refs[600];
    mdl_storage *st;
} fx;

static void write_table(fx *f, const char *path, const char *schema_text, const char *name,
                        bool refs, mdl_storage **out)
{
    mdl_schema *s;
    assert_int_equal(mdl_schema_parse(&f->ctx, schema_text, &s, NULL), MDL_OK);
    assert_int_equal(mdl_storage_open_local(&f->ctx, path, out, NULL), MDL_OK);
    assert_int_equal(mdl_table_create(&f->ctx, *out, s, name, NULL, NULL, 0, NULL), MDL_OK);
    mdl_batch *b;
    assert_int_equal(mdl_batch_new(&f->ctx, s, 16, &b, NULL), MDL_OK);
    if (refs) {
        const char *ids[] = {"R1", "R2", "R3"};
        for (int i = 0; i < 3; i++) {
            assert_int_equal(mdl_column_append_string(&f->ctx, &b->columns[0], ids[i], 2, NULL),
                             MDL_OK);
            int64_t total = 1075; /* = sum of the amounts in cents */
            assert_int_equal(mdl_column_append_value(&f->ctx, &b->columns[1], &total, NULL),
                             MDL_OK);
            b->num_rows++;
        }
    } else {
        for (size_t r = 0; r < NROWS; r++) {
            const row *x = &ROWS[r];
            mdl_column *c = b->columns;
            assert_int_equal(mdl_column_append_string(&f->ctx, &c[0], x->id, strlen(x->id), NULL),
                             MDL_OK);
            if (x->status)
                assert_int_equal(
                    mdl_column_append_string(&f->ctx, &c[1], x->status, strlen(x->status), NULL),
                    MDL_OK);
            else
                assert_int_equal(mdl_column_append_null(&f->ctx, &c[1], NULL), MDL_OK);
            assert_int_equal(mdl_column_append_value(&f->ctx, &c[2], &x->cents, NULL), MDL_OK);
            int64_t ts = (INT64_C(19723) + (int64_t)r) * INT64_C(86400000000); /* 2024-01-01+ */
            assert_int_equal(mdl_column_append_value(&f->ctx, &c[3], &ts, NULL), MDL_OK);
            if (x->ref)
                assert_int_equal(mdl_column_append_string(&f->ctx, &c[4], x->ref, 2, NULL), MDL_OK);
            else
                assert_int_equal(mdl_column_append_null(&f->ctx, &c[4], NULL), MDL_OK);
            b->num_rows++;
        }
    }
    mdl_table_writer *w;
    assert_int_equal(mdl_table_writer_open(&f->ctx, *out, NULL, &w, NULL), MDL_OK);
    assert_int_equal(mdl_table_writer_write(w, b, NULL), MDL_OK);
    int64_t v;
    bool noop;
    assert_int_equal(mdl_table_writer_commit(w, &v, &noop, NULL), MDL_OK);
    mdl_batch_free(b);
    mdl_schema_release(s);
}

static void setup(fx *f)
{
    mdl_ctx_init(&f->ctx);
    mdl_test_table_dir("quality", f->lake, sizeof f->lake);
    snprintf(f->path, sizeof f->path, "%s/silver/items", f->lake);
    snprintf(f->refs, sizeof f->refs, "%s/silver/refs", f->lake);
    write_table(f, f->path,
                "id string not null, status string, amount decimal(10,2), ts timestamp, "
                "ref string",
                "silver.items", false, &f->st);
    mdl_storage *rs;
    write_table(f, f->refs, "ref_id string not null, total_cents int64", "silver.refs", true, &rs);
    mdl_storage_release(rs);
}

static void teardown(fx *f)
{
    mdl_storage_release(f->st);
    mdl_test_table_dir_done(f->lake);
}

static const char *CONTRACT =
    "table: silver.items\n"
    "materialized: table\n"
    "unique_key: [id]\n"
    "columns:\n"
    "  - {name: id, type: string, nullable: false, checks: [not_null, unique, {regex: "
    "'^A[0-9]$'}]}\n"
    "  - {name: status, type: string, checks: [not_null, {accepted_values: [open, closed]}]}\n"
    "  - {name: amount, type: \"decimal(10,2)\", checks: [{range: {min: 0, max: 5}}]}\n"
    "  - {name: ts, type: timestamp}\n"
    "  - {name: ref, type: string, checks: [{relationship: silver.refs.ref_id, severity: "
    "warn}]}\n"
    "checks:\n"
    "  - {row_count: {min: 1, max: 100}}\n"
    "  - {row_count: {max_change: 50%, severity: warn}}\n"
    "  - {freshness: {column: ts, max_age: 2d}}\n"
    "  - {sql: \"select * from this where amount > 6\", threshold: 1}\n"
    "  - {reconcile: {with: silver.refs, count: id, with_count: ref_id, tolerance: 0}}\n"
    "  - {reconcile: {with: silver.refs, sum: amount, with_sum: total_cents, tolerance: 1%}}\n"
    "  - {not_null: true, severity: warn, threshold: 50%}\n";

static const mdl_check_result *find(const mdl_quality_report *r, const char *name)
{
    for (size_t i = 0; i < r->count; i++)
        if (strcmp(r->results[i].name, name) == 0)
            return &r->results[i];
    fail_msg("no result %s", name);
    return NULL;
}

static void expect(const mdl_quality_report *r, const char *name, mdl_check_status st,
                   int64_t failing, const char *sample)
{
    const mdl_check_result *x = find(r, name);
    if (x->status != st || x->failing != failing)
        fail_msg("%s: status %s failing %lld, expected %s %lld (%s)", name,
                 mdl_check_status_name(x->status), (long long)x->failing, mdl_check_status_name(st),
                 (long long)failing, x->message ? x->message : "");
    if (sample != NULL)
        assert_string_equal(x->sample ? x->sample : "(none)", sample);
}

static void test_quality__kinds(void **state)
{
    (void)state;
    fx f;
    setup(&f);
    mdl_contract *c = NULL;
    mdl_error err = {0};
    const char *text = CONTRACT;
    /* the last line is not a valid table check: drop it for this contract */
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", text);
    *strstr(buf, "  - {not_null: true") = '\0';
    if (mdl_contract_parse(&f.ctx, "items.yaml", buf, strlen(buf), &c, &err) != MDL_OK)
        fail_msg("%s", err.message);
    mdl_quality_options o;
    mdl_quality_options_init(&o);
    o.lake_root = f.lake;
    o.previous_rows = 3;                                    /* 6 now: +100% */
    o.now_us = (INT64_C(19723) + 8) * INT64_C(86400000000); /* 2024-01-09: newest is 3 days */
    mdl_quality_report r;
    if (mdl_quality_run(&f.ctx, c, &o, &r, &err) != MDL_OK)
        fail_msg("%s", err.message);
    assert_int_equal(r.count, c->num_checks);
    expect(&r, "not_null(id)", MDL_CHECK_PASS, 0, NULL);
    expect(&r, "unique(id)", MDL_CHECK_FAIL, 2, "A4");
    expect(&r, "regex(id)", MDL_CHECK_FAIL, 1, "B6");
    expect(&r, "not_null(status)", MDL_CHECK_FAIL, 1, "A4");
    expect(&r, "accepted_values(status)", MDL_CHECK_FAIL, 1, "A4");
    expect(&r, "range(amount)", MDL_CHECK_FAIL, 2, NULL);
    expect(&r, "relationship(ref)", MDL_CHECK_WARN, 1, "A4");
    expect(&r, "row_count", MDL_CHECK_PASS, -1, NULL); /* min 1 max 100: 6 */
    /* the second row_count (max_change 50%, warn): +100% */
    size_t rc_warn = 0;
    for (size_t i = 0; i < r.count; i++)
        rc_warn +=
            strcmp(r.results[i].name, "row_count") == 0 && r.results[i].status == MDL_CHECK_WARN;
    assert_int_equal(rc_warn, 1);
    expect(&r, "freshness(column=ts, max_age=2d)", MDL_CHECK_FAIL, -1, NULL);
    expect(&r, "sql", MDL_CHECK_WARN, 1, NULL); /* one row over 6: tolerated, a warning */
    expect(&r, "reconcile(with=silver.refs, count=id, with_count=ref_id, tolerance=0)",
           MDL_CHECK_FAIL, 1, NULL);
    /* sum(amount) = 10.75 here vs 3 x 1075 there: off by far more than 1% */
    expect(&r, "reconcile(with=silver.refs, sum=amount, with_sum=total_cents, tolerance=1%)",
           MDL_CHECK_FAIL, 1, NULL);
    assert_int_equal(r.failed, 8);
    assert_int_equal(r.warned, 3); /* relationship, row_count change, sql (tolerated) */
    mdl_buf sum;
    mdl_buf_init(&sum, &f.ctx, 0);
    assert_int_equal(mdl_quality_summary(&r, &sum, NULL), MDL_OK);
    assert_non_null(strstr(sum.data, "8 check(s) failed on silver.items:"));
    mdl_buf_reset(&sum);

    /* recorded: one row per check */
    assert_int_equal(mdl_quality_record(&f.ctx, f.lake, "run-7", &r, false, &err), MDL_OK);
    mdl_sql_options so;
    mdl_sql_options_init(&so);
    so.lake_root = f.lake;
    const char *q = "SELECT count(*) FROM _medallion.dq_results WHERE run_id = 'run-7' AND NOT "
                    "published";
    mdl_batch_stream *s;
    assert_int_equal(mdl_sql_query(&f.ctx, q, strlen(q), &so, &s, NULL), MDL_OK);
    mdl_batch *b;
    assert_int_equal(mdl_batch_stream_next(s, &b, NULL), MDL_OK);
    assert_int_equal(mdl_column_i64(&b->columns[0], 0), (int64_t)r.count);
    mdl_batch_free(b);
    mdl_batch_stream_release(s);
    mdl_quality_report_free(&r);
    mdl_contract_free(c);
    teardown(&f);
}

/* Thresholds, a check that cannot run, and a staged preview checked instead of the table. */
static void test_quality__thresholds_errors_preview(void **state)
{
    (void)state;
    fx f;
    setup(&f);
    const char *text = "table: silver.items\n"
                       "columns:\n"
                       "  - {name: id, type: string}\n"
                       "  - {name: status, type: string, checks: [{not_null: true, threshold: "
                       "20%}, {accepted_values: [open], threshold: 2, severity: warn}]}\n"
                       "  - {name: amount, type: \"decimal(10,2)\"}\n"
                       "  - {name: ts, type: timestamp}\n"
                       "  - {name: ref, type: string, checks: [{relationship: silver.nope.x}]}\n"
                       "checks:\n"
                       "  - {sql: \"select nonsense from this\"}\n";
    mdl_contract *c = NULL;
    mdl_error err = {0};
    if (mdl_contract_parse(&f.ctx, "items.yaml", text, strlen(text), &c, &err) != MDL_OK)
        fail_msg("%s", err.message);
    mdl_quality_options o;
    mdl_quality_options_init(&o);
    o.lake_root = f.lake;
    mdl_quality_report r;
    assert_int_equal(mdl_quality_run(&f.ctx, c, &o, &r, &err), MDL_OK);
    expect(&r, "not_null(status)", MDL_CHECK_WARN, 1, NULL);        /* 1 of 6 <= 20%: tolerated */
    expect(&r, "accepted_values(status)", MDL_CHECK_WARN, 2, NULL); /* closed, bogus: 2 allowed */
    expect(&r, "relationship(ref)", MDL_CHECK_ERROR, -1, NULL);
    expect(&r, "sql", MDL_CHECK_ERROR, -1, NULL);
    assert_non_null(strstr(find(&r, "sql")->message, "could not run"));
    assert_int_equal(r.failed, 2); /* errors of error severity */
    mdl_quality_report_free(&r);

    /* a staged overwrite with only good rows: its preview passes, the table is unchanged */
    mdl_table_write_options wo;
    mdl_table_write_options_init(&wo);
    wo.overwrite = true;
    mdl_table_writer *w;
    assert_int_equal(mdl_table_writer_open(&f.ctx, f.st, &wo, &w, NULL), MDL_OK);
    mdl_batch *b;
    assert_int_equal(mdl_batch_new(&f.ctx, mdl_table_writer_schema(w), 2, &b, NULL), MDL_OK);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(mdl_column_append_string(&f.ctx, &b->columns[0], "Z", 1, NULL), MDL_OK);
        assert_int_equal(mdl_column_append_string(&f.ctx, &b->columns[1], "open", 4, NULL), MDL_OK);
        int64_t v = 1;
        assert_int_equal(mdl_column_append_value(&f.ctx, &b->columns[2], &v, NULL), MDL_OK);
        assert_int_equal(mdl_column_append_value(&f.ctx, &b->columns[3], &v, NULL), MDL_OK);
        assert_int_equal(mdl_column_append_null(&f.ctx, &b->columns[4], NULL), MDL_OK);
        b->num_rows++;
    }
    assert_int_equal(mdl_table_writer_write(w, b, NULL), MDL_OK);
    mdl_batch_free(b);
    mdl_table *preview;
    assert_int_equal(mdl_table_writer_stage(w, &preview, NULL), MDL_OK);
    o.table = preview;
    assert_int_equal(mdl_quality_run(&f.ctx, c, &o, &r, &err), MDL_OK);
    expect(&r, "not_null(status)", MDL_CHECK_PASS, 0, NULL);
    expect(&r, "accepted_values(status)", MDL_CHECK_PASS, 0, NULL);
    assert_int_equal(r.results[0].total, 2);
    mdl_quality_report_free(&r);
    mdl_table_close(preview);
    mdl_table_writer_abort(w);
    o.table = NULL;
    assert_int_equal(mdl_quality_run(&f.ctx, c, &o, &r, &err), MDL_OK);
    assert_int_equal(r.results[0].total, 6); /* the committed table again */
    mdl_quality_report_free(&r);
    mdl_contract_free(c);
    teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quality__kinds),
        cmocka_unit_test(test_quality__thresholds_errors_preview),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
