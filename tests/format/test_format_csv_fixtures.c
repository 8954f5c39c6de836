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

/* Reads one fixture with its schema and options into res. */
static void run_fixture(mdl_ctx *ctx, const char *dir, const char *base, mdl_test_result *res)
{
    char *schema_src = mdl_test_sidecar(dir, base, "schema", true);
    mdl_test_strip_newline(schema_src);
    fixture_opts fo;
    char *opts_src = mdl_test_sidecar(dir, base, "opts", false);
    parse_opts(opts_src, &fo, ctx);
    fo.csv.on_reject = mdl_test_collect_reject;
    fo.csv.reject_payload = &res->rejects;
    const char *schema_text = strcmp(schema_src, "infer") == 0 ? NULL : schema_src;
    mdl_test_read_fixture(ctx, &mdl_test_csv_reader, dir, base, schema_text, &fo.csv, res);
    free(schema_src);
    free(opts_src);
}

/* mdl_test_for_each_file callback: reads one fixture and checks it with the
 * mdl_test_fixture_check that `user` points to. */
static void check_fixture(const char *dir, const char *base, void *user)
{
    mdl_test_fixture_check *const *check = user;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_test_result res;
    run_fixture(&ctx, dir, base, &res);
    (*check)(dir, base, &res);
    mdl_test_result_free(&res);
}

static void test_format_csv_fixtures__good(void **state)
{
    (void)state;
    mdl_test_fixture_check *check = mdl_test_check_good;
    mdl_test_for_each_file("csv/good", ".csv", check_fixture, &check);
}

static void test_format_csv_fixtures__bad(void **state)
{
    (void)state;
    mdl_test_fixture_check *check = mdl_test_check_bad;
    mdl_test_for_each_file("csv/bad", ".csv", check_fixture, &check);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_csv_fixtures__good),
        cmocka_unit_test(test_format_csv_fixtures__bad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
