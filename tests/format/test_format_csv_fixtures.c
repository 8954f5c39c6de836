/*
 * test_format_csv_fixtures.c - runs every file of tests/data/csv/{good,bad}.
 *
 * Each NAME.csv comes with NAME.schema (mdl_schema_parse text, or "infer") and optionally
 * NAME.opts (lines: "delimiter X", "quote X", "header false", "null TOKEN",
 * "max_field_bytes N", "max_record_bytes N", "chunk_bytes N").
 * good/: NAME.out is the exact dump of all rows (and NAME.inferred the inferred schema).
 * bad/:  NAME.expect is "rows=N" plus the exact reject lines, or "error=MESSAGE" when the
 *        file must fail as a whole. Every bad file is named for its defect.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

#define MAX_NULLS 8

typedef struct fixture_opts {
    mdl_csv_options csv;
    const char *nulls[MAX_NULLS];
    char null_store[MAX_NULLS][32];
} fixture_opts;

static char *sidecar(const char *dir, const char *base, const char *ext)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.%s", dir, base, ext);
    return mdl_test_read_file(path, NULL);
}

static void strip_newline(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
}

static void parse_opts(char *text, fixture_opts *fo, mdl_ctx *ctx)
{
    mdl_csv_options_init(&fo->csv);
    if (text == NULL)
        return;
    size_t nn = 0;
    for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        if (strncmp(line, "delimiter ", 10) == 0)
            fo->csv.delimiter = line[10];
        else if (strncmp(line, "quote ", 6) == 0)
            fo->csv.quote = line[6];
        else if (strcmp(line, "header false") == 0)
            fo->csv.header = false;
        else if (strncmp(line, "null ", 5) == 0 || strcmp(line, "null") == 0) {
            assert_true(nn < MAX_NULLS);
            snprintf(fo->null_store[nn], sizeof fo->null_store[nn], "%s", line[4] ? line + 5 : "");
            fo->nulls[nn] = fo->null_store[nn];
            nn++;
        } else if (strncmp(line, "max_field_bytes ", 16) == 0)
            ctx->limits.max_field_bytes = strtoul(line + 16, NULL, 10);
        else if (strncmp(line, "max_record_bytes ", 17) == 0)
            ctx->limits.max_record_bytes = strtoul(line + 17, NULL, 10);
        else if (strncmp(line, "chunk_bytes ", 12) == 0)
            fo->csv.chunk_bytes = strtoul(line + 12, NULL, 10);
        else
            fail_msg("unknown option line '%s'", line);
    }
    if (nn > 0) {
        fo->csv.null_tokens = fo->nulls;
        fo->csv.num_null_tokens = nn;
    }
}

/* Reads one fixture; fills rows/rejects/schema text; returns the status. */
static int run_fixture(const char *dir, const char *base, mdl_buf *rows, mdl_test_rejects *rj,
                       mdl_buf *schema_text, mdl_error *err)
{
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    char *schema_src = sidecar(dir, base, "schema");
    assert_non_null(schema_src);
    strip_newline(schema_src);
    fixture_opts fo;
    char *opts_src = sidecar(dir, base, "opts");
    parse_opts(opts_src, &fo, &ctx);
    fo.csv.on_reject = mdl_test_collect_reject;
    fo.csv.reject_payload = rj;
    mdl_schema *schema = NULL;
    if (strcmp(schema_src, "infer") != 0)
        assert_int_equal(mdl_schema_parse(&ctx, schema_src, &schema, NULL), MDL_OK);
    char path[1024], name[300];
    snprintf(path, sizeof path, "%s/%s.csv", dir, base);
    snprintf(name, sizeof name, "%s.csv", base);
    size_t len;
    char *data = mdl_test_read_file(path, &len);
    assert_non_null(data);
    mdl_input *in;
    assert_int_equal(mdl_input_open_memory(&ctx, data, len, name, &in, NULL), MDL_OK);
    mdl_csv_reader *r = NULL;
    int rc = mdl_csv_reader_open(&ctx, in, schema, &fo.csv, &r, err);
    if (rc == MDL_OK) {
        assert_int_equal(mdl_schema_format(mdl_csv_reader_schema(r), schema_text, NULL), MDL_OK);
        mdl_batch *b;
        while ((rc = mdl_csv_reader_next(r, &b, err)) == MDL_OK && b != NULL) {
            assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);
            mdl_test_dump_batch(b, rows);
            mdl_batch_free(b);
        }
        mdl_read_stats st;
        mdl_csv_reader_stats(r, &st);
        assert_int_equal(st.rows_rejected, rj->count);
    }
    mdl_csv_reader_free(r);
    mdl_schema_release(schema);
    free(data);
    free(schema_src);
    free(opts_src);
    assert_int_equal(mdl_buf_terminate(rows, NULL), MDL_OK);
    assert_int_equal(mdl_buf_terminate(&rj->text, NULL), MDL_OK);
    return rc;
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* Calls fn(dir, base) for each NAME.csv; fails when the directory holds none. */
static void for_each_csv(const char *sub, void (*fn)(const char *dir, const char *base))
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/csv/%s", MDL_TEST_DATA_DIR, sub);
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".csv") != 0)
            continue;
        char base[256];
        snprintf(base, sizeof base, "%.*s", (int)(l - 4), e->d_name);
        print_message("fixture %s/%s.csv\n", sub, base);
        fn(dir, base);
        n++;
    }
    closedir(d);
    assert_true(n > 0);
}

static void check_good(const char *dir, const char *base)
{
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_buf rows, schema_text;
    mdl_buf_init(&rows, &ctx, 0);
    mdl_buf_init(&schema_text, &ctx, 0);
    mdl_test_rejects rj;
    mdl_test_rejects_init(&rj, &ctx);
    mdl_error err = {0, ""};
    int rc = run_fixture(dir, base, &rows, &rj, &schema_text, &err);
    if (rc != MDL_OK)
        fail_msg("%s: unexpected error: %s", base, err.message);
    if (rj.count != 0)
        fail_msg("%s: unexpected rejects:\n%s", base, rj.text.data);
    char *expected = sidecar(dir, base, "out");
    assert_non_null(expected);
    assert_string_equal(rows.data, expected);
    char *inferred = sidecar(dir, base, "inferred");
    if (inferred != NULL) {
        strip_newline(inferred);
        assert_string_equal(schema_text.data, inferred);
    }
    free(inferred);
    free(expected);
    mdl_buf_reset(&rows);
    mdl_buf_reset(&schema_text);
    mdl_test_rejects_reset(&rj);
}

static void check_bad(const char *dir, const char *base)
{
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_buf rows, schema_text;
    mdl_buf_init(&rows, &ctx, 0);
    mdl_buf_init(&schema_text, &ctx, 0);
    mdl_test_rejects rj;
    mdl_test_rejects_init(&rj, &ctx);
    mdl_error err = {0, ""};
    int rc = run_fixture(dir, base, &rows, &rj, &schema_text, &err);
    char *expect = sidecar(dir, base, "expect");
    assert_non_null(expect);
    if (strncmp(expect, "error=", 6) == 0) {
        strip_newline(expect);
        if (rc == MDL_OK)
            fail_msg("%s: expected the read to fail with: %s", base, expect + 6);
        assert_string_equal(err.message, expect + 6);
    } else {
        if (rc != MDL_OK)
            fail_msg("%s: unexpected error: %s", base, err.message);
        char *nl = strchr(expect, '\n');
        assert_non_null(nl);
        *nl = '\0';
        assert_true(strncmp(expect, "rows=", 5) == 0);
        size_t want_rows = strtoul(expect + 5, NULL, 10);
        assert_int_equal(count_lines(rows.data), want_rows);
        assert_true(rj.count > 0); /* a bad fixture must produce at least one reject */
        assert_string_equal(rj.text.data, nl + 1);
    }
    free(expect);
    mdl_buf_reset(&rows);
    mdl_buf_reset(&schema_text);
    mdl_test_rejects_reset(&rj);
}

static void test_format_csv_fixtures__good(void **state)
{
    (void)state;
    for_each_csv("good", check_good);
}

static void test_format_csv_fixtures__bad(void **state)
{
    (void)state;
    for_each_csv("bad", check_bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_csv_fixtures__good),
        cmocka_unit_test(test_format_csv_fixtures__bad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
