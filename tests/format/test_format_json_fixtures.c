/*
 * test_format_json_fixtures.c - runs every file of tests/data/json/{good,bad}.
 *
 * Each NAME.jsonl comes with NAME.schema (mdl_schema_parse text) and optionally NAME.opts,
 * one option a line: "path COLUMN=PATH", "raw COLUMN", "remainder COLUMN",
 * "chunk_bytes N", "batch_rows N", "max_field_bytes N", "max_record_bytes N",
 * "max_json_depth N".
 * good/: NAME.out is the exact dump of all rows of all batches, and there are no rejects.
 * bad/:  NAME.expect is "rows=N" (rows that converted) plus the exact reject lines; every
 *        bad file is named for its defect and must produce at least one reject.
 * Every fixture is read twice, with its own chunk size and with 3-byte chunks, and both
 * reads must give the same rows and rejects (chunk boundaries must not matter).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

#define MAX_PATHS 16

typedef struct fixture_opts {
    mdl_json_options json;
    mdl_json_column_map paths[MAX_PATHS];
    char store[MAX_PATHS][2][128];
    char raw[128], remainder[128];
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

static bool option(const char *line, const char *name, const char **value)
{
    size_t n = strlen(name);
    if (strncmp(line, name, n) != 0 || line[n] != ' ')
        return false;
    *value = line + n + 1;
    return true;
}

static void parse_opts(char *text, fixture_opts *fo, mdl_ctx *ctx)
{
    mdl_json_options_init(&fo->json);
    if (text == NULL)
        return;
    size_t np = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        const char *v;
        if (option(line, "path", &v)) {
            const char *eq = strchr(v, '=');
            assert_non_null(eq);
            assert_true(np < MAX_PATHS);
            snprintf(fo->store[np][0], sizeof fo->store[np][0], "%.*s", (int)(eq - v), v);
            snprintf(fo->store[np][1], sizeof fo->store[np][1], "%s", eq + 1);
            fo->paths[np].column = fo->store[np][0];
            fo->paths[np].path = fo->store[np][1];
            np++;
        } else if (option(line, "raw", &v)) {
            snprintf(fo->raw, sizeof fo->raw, "%s", v);
            fo->json.raw_column = fo->raw;
        } else if (option(line, "remainder", &v)) {
            snprintf(fo->remainder, sizeof fo->remainder, "%s", v);
            fo->json.remainder_column = fo->remainder;
        } else if (option(line, "chunk_bytes", &v)) {
            fo->json.chunk_bytes = strtoul(v, NULL, 10);
        } else if (option(line, "batch_rows", &v)) {
            ctx->limits.batch_rows = strtoul(v, NULL, 10);
        } else if (option(line, "max_field_bytes", &v)) {
            ctx->limits.max_field_bytes = strtoul(v, NULL, 10);
        } else if (option(line, "max_record_bytes", &v)) {
            ctx->limits.max_record_bytes = strtoul(v, NULL, 10);
        } else if (option(line, "max_json_depth", &v)) {
            ctx->limits.max_json_depth = strtoul(v, NULL, 10);
        } else {
            fail_msg("unknown option line '%s'", line);
        }
    }
    fo->json.paths = fo->paths;
    fo->json.num_paths = np;
}

/* Reads one fixture (with chunk_override when not 0); fills rows and rejects. */
static int run_fixture(const char *dir, const char *base, size_t chunk_override, mdl_buf *rows,
                       mdl_test_rejects *rj, mdl_error *err)
{
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    char *schema_src = sidecar(dir, base, "schema");
    if (schema_src == NULL)
        fail_msg("%s: missing %s.schema", base, base);
    strip_newline(schema_src);
    fixture_opts fo;
    char *opts_src = sidecar(dir, base, "opts");
    parse_opts(opts_src, &fo, &ctx);
    if (chunk_override != 0)
        fo.json.chunk_bytes = chunk_override;
    fo.json.on_reject = mdl_test_collect_reject;
    fo.json.reject_payload = rj;
    mdl_schema *schema = NULL;
    assert_int_equal(mdl_schema_parse(&ctx, schema_src, &schema, NULL), MDL_OK);
    char path[1024], name[300];
    snprintf(path, sizeof path, "%s/%s.jsonl", dir, base);
    snprintf(name, sizeof name, "%s.jsonl", base);
    size_t len;
    char *data = mdl_test_read_file(path, &len);
    assert_non_null(data);
    mdl_input *in;
    /* The bare file name as the source, so expected messages hold no absolute paths. */
    assert_int_equal(mdl_input_open_memory(&ctx, data, len, name, &in, NULL), MDL_OK);
    mdl_json_reader *r = NULL;
    int rc = mdl_json_reader_open(&ctx, in, schema, &fo.json, &r, err);
    if (rc == MDL_OK) {
        mdl_batch *b;
        while ((rc = mdl_json_reader_next(r, &b, err)) == MDL_OK && b != NULL) {
            mdl_error verr = {0, ""};
            if (mdl_batch_validate(b, &verr) != MDL_OK)
                fail_msg("%s: invalid batch: %s", base, verr.message);
            mdl_test_dump_batch(b, rows);
            mdl_batch_free(b);
        }
        mdl_read_stats st;
        mdl_json_reader_stats(r, &st);
        assert_int_equal(st.rows_rejected, rj->count);
        assert_int_equal(st.bytes_read, len);
    }
    mdl_json_reader_free(r);
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

/* Calls fn(dir, base) for each NAME.jsonl; fails when the directory holds none. */
static void for_each_jsonl(const char *sub, void (*fn)(const char *dir, const char *base))
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/json/%s", MDL_TEST_DATA_DIR, sub);
    DIR *d = opendir(dir);
    if (d == NULL)
        fail_msg("fixture directory %s is missing", dir);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 7 || strcmp(e->d_name + l - 6, ".jsonl") != 0)
            continue;
        char base[256];
        snprintf(base, sizeof base, "%.*s", (int)(l - 6), e->d_name);
        print_message("fixture json/%s/%s.jsonl\n", sub, base);
        fn(dir, base);
        n++;
    }
    closedir(d);
    if (n == 0)
        fail_msg("fixture directory %s holds no .jsonl files", dir);
}

typedef struct outcome {
    mdl_ctx ctx;
    mdl_buf rows;
    mdl_test_rejects rj;
    mdl_error err;
    int rc;
} outcome;

static void outcome_run(outcome *o, const char *dir, const char *base, size_t chunk)
{
    mdl_ctx_init(&o->ctx);
    mdl_buf_init(&o->rows, &o->ctx, 0);
    mdl_test_rejects_init(&o->rj, &o->ctx);
    mdl_error_clear(&o->err);
    o->rc = run_fixture(dir, base, chunk, &o->rows, &o->rj, &o->err);
}

static void outcome_free(outcome *o)
{
    mdl_buf_reset(&o->rows);
    mdl_test_rejects_reset(&o->rj);
}

/* Reads with the fixture's own options and again with tiny chunks; both must agree. */
static void run_both(const char *dir, const char *base, outcome *main_run)
{
    outcome_run(main_run, dir, base, 0);
    outcome tiny;
    outcome_run(&tiny, dir, base, 3);
    assert_int_equal(tiny.rc, main_run->rc);
    assert_string_equal(tiny.rows.data, main_run->rows.data);
    assert_string_equal(tiny.rj.text.data, main_run->rj.text.data);
    outcome_free(&tiny);
}

static void check_good(const char *dir, const char *base)
{
    outcome o;
    run_both(dir, base, &o);
    if (o.rc != MDL_OK)
        fail_msg("%s: unexpected error: %s", base, o.err.message);
    if (o.rj.count != 0)
        fail_msg("%s: unexpected rejects:\n%s", base, o.rj.text.data);
    char *expected = sidecar(dir, base, "out");
    if (expected == NULL)
        fail_msg("%s: missing %s.out", base, base);
    assert_string_equal(o.rows.data, expected);
    free(expected);
    outcome_free(&o);
}

static void check_bad(const char *dir, const char *base)
{
    outcome o;
    run_both(dir, base, &o);
    if (o.rc != MDL_OK)
        fail_msg("%s: unexpected error: %s", base, o.err.message);
    char *expect = sidecar(dir, base, "expect");
    if (expect == NULL)
        fail_msg("%s: missing %s.expect", base, base);
    char *nl = strchr(expect, '\n');
    assert_non_null(nl);
    *nl = '\0';
    if (strncmp(expect, "rows=", 5) != 0)
        fail_msg("%s: %s.expect must start with rows=N", base, base);
    size_t want_rows = strtoul(expect + 5, NULL, 10);
    assert_int_equal(count_lines(o.rows.data), want_rows);
    if (o.rj.count == 0)
        fail_msg("%s: a bad fixture must produce at least one reject", base);
    assert_string_equal(o.rj.text.data, nl + 1);
    free(expect);
    outcome_free(&o);
}

static void test_format_json_fixtures__good(void **state)
{
    (void)state;
    for_each_jsonl("good", check_good);
}

static void test_format_json_fixtures__bad(void **state)
{
    (void)state;
    for_each_jsonl("bad", check_bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_json_fixtures__good),
        cmocka_unit_test(test_format_json_fixtures__bad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
