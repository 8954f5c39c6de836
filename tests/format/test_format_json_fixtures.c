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

/* Reads one fixture with its schema and options (chunk_override, when not 0, as chunk_bytes)
 * into res. */
static void run_fixture(mdl_ctx *ctx, const char *dir, const char *base, size_t chunk_override,
                        mdl_test_result *res)
{
    char *schema_src = mdl_test_sidecar(dir, base, "schema", true);
    mdl_test_strip_newline(schema_src);
    fixture_opts fo;
    char *opts_src = mdl_test_sidecar(dir, base, "opts", false);
    parse_opts(opts_src, &fo, ctx);
    if (chunk_override != 0)
        fo.json.chunk_bytes = chunk_override;
    fo.json.on_reject = mdl_test_collect_reject;
    fo.json.reject_payload = &res->rejects;
    mdl_test_read_fixture(ctx, &mdl_test_json_reader, dir, base, schema_src, &fo.json, res);
    free(schema_src);
    free(opts_src);
}

/* A fixture read and the context its buffers belong to. */
typedef struct outcome {
    mdl_ctx ctx;
    mdl_test_result res;
} outcome;

static void outcome_run(outcome *o, const char *dir, const char *base, size_t chunk)
{
    mdl_ctx_init(&o->ctx);
    run_fixture(&o->ctx, dir, base, chunk, &o->res);
}

/* mdl_test_for_each_file callback: reads one fixture with its own options and again with tiny
 * chunks, requires both reads to agree, and checks the first with the mdl_test_fixture_check
 * that `user` points to. */
static void check_fixture(const char *dir, const char *base, void *user)
{
    mdl_test_fixture_check *const *check = user;
    outcome main_run, tiny;
    outcome_run(&main_run, dir, base, 0);
    outcome_run(&tiny, dir, base, 3);
    assert_int_equal(tiny.res.rc, main_run.res.rc);
    assert_string_equal(mdl_test_result_dump(&tiny.res), mdl_test_result_dump(&main_run.res));
    assert_string_equal(mdl_test_result_rejects(&tiny.res), mdl_test_result_rejects(&main_run.res));
    mdl_test_result_free(&tiny.res);
    (*check)(dir, base, &main_run.res);
    mdl_test_result_free(&main_run.res);
}

static void test_format_json_fixtures__good(void **state)
{
    (void)state;
    mdl_test_fixture_check *check = mdl_test_check_good;
    mdl_test_for_each_file("json/good", ".jsonl", check_fixture, &check);
}

static void test_format_json_fixtures__bad(void **state)
{
    (void)state;
    mdl_test_fixture_check *check = mdl_test_check_bad;
    mdl_test_for_each_file("json/bad", ".jsonl", check_fixture, &check);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_json_fixtures__good),
        cmocka_unit_test(test_format_json_fixtures__bad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
