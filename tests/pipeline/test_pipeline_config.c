/*
 * test_pipeline_config.c - the project configuration (include/medallion/pipeline.h,
 * docs/config.md): the committed lakehouse/medallion.yaml with each of its environments; the
 * merge of an overlay (mappings key by key, scalars and lists replaced); ${VAR} interpolation
 * and redaction; relative paths; every file of tests/data/config/bad fails with exactly the
 * message of its .expect (BASE.yaml is the project file, BASE.overlay when present its
 * overlay env/test.yaml; MDL_TEST_UPDATE=1 rewrites the .expect files); files on disk and
 * missing environments; limits; the shown text; the environment check; no leaks, also out of
 * memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "medallion/pipeline.h"
#include "test_support.h"

#define REPO_PROJECT MDL_TEST_DATA_DIR "/../../lakehouse/medallion.yaml"
#define REPO_DIR     MDL_TEST_DATA_DIR "/../../lakehouse"

/* ---- an environment made of "NAME=value" strings ------------------------------------------ */

typedef struct vars {
    const char *const *items; /* NULL-terminated */
} vars;

static const char *lookup(void *user, const char *name)
{
    const vars *v = user;
    size_t n = strlen(name);
    for (const char *const *p = v->items; *p != NULL; p++)
        if (strncmp(*p, name, n) == 0 && (*p)[n] == '=')
            return *p + n + 1;
    return NULL;
}

static const char *const ALL_VARS[] = {"ALERT_WEBHOOK_URL=https://hooks.example.com/T0/s3cr3t",
                                       "SMTP_URL=smtps://mail.example.com:465",
                                       "SMTP_USER=medallion",
                                       "SMTP_PASSWORD=hunter2hunter2",
                                       "MEDALLION_PII_KEY=0123456789abcdef-key",
                                       "API_TOKEN=tok-123",
                                       "PLAIN=plain-value",
                                       "EMPTY=",
                                       NULL};
static vars all_vars = {ALL_VARS};

static mdl_config *parse_ok(mdl_ctx *ctx, const char *base, const char *overlay)
{
    mdl_config *c = NULL;
    mdl_error err = {0};
    int rc = mdl_config_parse(ctx, "proj/medallion.yaml", base, strlen(base), "test", overlay,
                              overlay ? strlen(overlay) : 0, lookup, &all_vars, &c, &err);
    if (rc != MDL_OK)
        fail_msg("%s", err.message);
    assert_non_null(c);
    return c;
}

static void parse_err(const char *base, const char *overlay, int want_rc, const char *want)
{
    mdl_test_alloc a;
    mdl_ctx ctx;
    mdl_test_counting_ctx(&ctx, &a);
    mdl_config *c = NULL;
    mdl_error err = {0};
    int rc = mdl_config_parse(&ctx, "proj/medallion.yaml", base, strlen(base), "test", overlay,
                              overlay ? strlen(overlay) : 0, lookup, &all_vars, &c, &err);
    assert_null(c);
    if (rc != want_rc || strcmp(err.message, want) != 0)
        fail_msg("got (%s) '%s'\nwant (%s) '%s'", mdl_status_str(rc), err.message,
                 mdl_status_str(want_rc), want);
    assert_int_equal(a.live, 0);
}

static const mdl_alert_channel_config *channel(const mdl_config *c, const char *name)
{
    for (size_t i = 0; i < c->num_alerts; i++)
        if (strcmp(c->alerts[i].name, name) == 0)
            return &c->alerts[i];
    fail_msg("no alert channel %s", name);
    return NULL;
}

/* ---- the committed configuration ---------------------------------------------------------- */

static void test_pipeline_config__repo_envs_load(void **state)
{
    (void)state;
    mdl_test_alloc a;
    mdl_ctx ctx;
    mdl_test_counting_ctx(&ctx, &a);
    mdl_error err = {0};
    static const char *const envs[] = {"local", "dev", "prod"};
    for (size_t i = 0; i < 3; i++) {
        mdl_config *c = NULL;
        if (mdl_config_load(&ctx, REPO_PROJECT, envs[i], lookup, &all_vars, &c, &err) != MDL_OK)
            fail_msg("%s: %s", envs[i], err.message);
        assert_string_equal(c->env, envs[i]);
        assert_string_equal(c->project, "acme-lakehouse");
        assert_string_equal(c->contracts_dir, REPO_DIR "/contracts");
        assert_string_equal(c->models_dir, REPO_DIR "/models");
        assert_string_equal(c->pii_key_env, "MEDALLION_PII_KEY");
        assert_int_equal(mdl_config_check_env(c, lookup, &all_vars, &err), MDL_OK);
        mdl_buf out;
        mdl_buf_init(&out, &ctx, 1 << 20);
        assert_int_equal(mdl_config_format(c, &out, &err), MDL_OK);
        assert_int_equal(mdl_buf_terminate(&out, &err), MDL_OK);
        /* No secret ever shows. */
        assert_null(strstr(out.data, "s3cr3t"));
        assert_null(strstr(out.data, "hunter2"));
        assert_null(strstr(out.data, "0123456789abcdef"));
        if (i == 0) {
            assert_string_equal(c->lake_root, MDL_TEST_DATA_DIR "/../../lake");
            assert_string_equal(c->landing_root, MDL_TEST_DATA_DIR "/../../landing");
            assert_int_equal(c->parallelism, 2);
            assert_int_equal(c->max_attempts, 3);
            assert_int_equal(c->retry_base_ms, 1000);
            assert_int_equal(c->retry_max_ms, 30000);
            assert_int_equal(c->task_timeout_ms, 30 * 60000);
            assert_false(c->require_pii_key);
            assert_int_equal(c->num_slas, 0);
            assert_int_equal(c->num_alerts, 1);
            assert_string_equal(c->alerts[0].type, "file");
            assert_string_equal(c->alerts[0].path,
                                MDL_TEST_DATA_DIR "/../../lake/_medallion/alerts.jsonl");
            assert_int_equal(c->alerts[0].num_on, 3);
            assert_int_equal(c->num_redacted, 0);
            /* Without a variable set, local still loads. */
            mdl_config *bare = NULL;
            assert_int_equal(mdl_config_load(&ctx, REPO_PROJECT, "local", NULL, NULL, &bare, &err),
                             MDL_OK);
            assert_int_equal(mdl_config_check_env(bare, NULL, NULL, &err), MDL_OK);
            mdl_config_free(bare);
        } else {
            assert_true(c->require_pii_key);
            assert_int_equal(c->num_slas, 3);
            assert_string_equal(c->slas[0].target, "bronze");
            assert_int_equal(c->slas[0].deadline_minutes, 3 * 60);
            assert_int_equal(c->slas[2].deadline_minutes, 5 * 60);
            const mdl_alert_channel_config *hook = channel(c, "ops-webhook");
            assert_string_equal(hook->url, "https://hooks.example.com/T0/s3cr3t");
            assert_true(mdl_config_is_redacted(c, hook->url));
            assert_ptr_equal(hook->file, c->env_file);
            const mdl_alert_channel_config *mail = channel(c, "ops-email");
            assert_string_equal(mail->url, "smtps://mail.example.com:465");
            assert_false(mdl_config_is_redacted(c, mail->url));
            assert_string_equal(mail->username_env, "SMTP_USER");
            assert_string_equal(mail->password_env, "SMTP_PASSWORD");
            assert_true(mail->num_to >= 1);
            assert_string_equal(mail->to[0], "data-oncall@example.com");
            /* Without the variables: the first unset one is named, with its place. */
            mdl_config *none = NULL;
            assert_int_equal(mdl_config_load(&ctx, REPO_PROJECT, envs[i], NULL, NULL, &none, &err),
                             MDL_ERR_SCHEMA);
            assert_null(none);
            assert_non_null(strstr(err.message, "environment variable "));
            assert_non_null(strstr(err.message, "/env/"));
        }
        if (i == 1) {
            assert_string_equal(c->lake_root, MDL_TEST_DATA_DIR "/../../lake");
            assert_int_equal(c->parallelism, 4);
            assert_int_equal(c->task_timeout_ms, 3600000);
            assert_int_equal(c->max_attempts, 3); /* from the base */
        }
        if (i == 2) {
            assert_string_equal(c->lake_root, "s3://acme-lakehouse-prod/lake");
            assert_string_equal(c->landing_root, "s3://acme-lakehouse-prod/landing");
            assert_int_equal(c->parallelism, 8);
            assert_int_equal(c->retry_max_ms, 300000);
            assert_int_equal(c->retry_base_ms, 1000);
        }
        mdl_buf_reset(&out);
        mdl_config_free(c);
    }
    /* dev and prod check that the secrets they name are set. */
    mdl_config *c = NULL;
    assert_int_equal(mdl_config_load(&ctx, REPO_PROJECT, "dev", lookup, &all_vars, &c, &err),
                     MDL_OK);
    static const char *const no_key[] = {"SMTP_USER=u", "SMTP_PASSWORD=p", NULL};
    vars v = {no_key};
    assert_int_equal(mdl_config_check_env(c, lookup, &v, &err), MDL_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "security.require_pii_key is true but MEDALLION_PII_KEY "
                                        "is not set"));
    static const char *const short_key[] = {"MEDALLION_PII_KEY=short", NULL};
    v.items = short_key;
    assert_int_equal(mdl_config_check_env(c, lookup, &v, &err), MDL_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "the masking key in MEDALLION_PII_KEY is shorter than 16 "
                                        "bytes"));
    assert_null(strstr(err.message, "short:"));
    static const char *const no_pass[] = {"MEDALLION_PII_KEY=0123456789abcdef", "SMTP_USER=u",
                                          NULL};
    v.items = no_pass;
    assert_int_equal(mdl_config_check_env(c, lookup, &v, &err), MDL_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, ": alert channel 'ops-email' needs SMTP_PASSWORD "
                                        "(password_env), which is not set"));
    mdl_config_free(c);
    assert_int_equal(a.live, 0);
}

/* ---- merging -------------------------------------------------------------------------------- */

static const char *const BASE =
    "project: p\n"
    "paths:\n"
    "  lake: lake\n"
    "  landing: /data/landing\n"
    "run:\n"
    "  parallelism: 3\n"
    "  max_attempts: 5\n"
    "  retry_base: 500ms\n"
    "security:\n"
    "  require_pii_key: true\n"
    "slas:\n"
    "  - {target: bronze, deadline: \"02:30\"}\n"
    "  - {target: silver.orders, deadline: '03:15'}\n"
    "alerts:\n"
    "  - {name: f, type: file, path: out/alerts.jsonl, on: [sla_missed]}\n";

static void test_pipeline_config__defaults_and_paths(void **state)
{
    (void)state;
    mdl_test_alloc a;
    mdl_ctx ctx;
    mdl_test_counting_ctx(&ctx, &a);
    mdl_config *c = parse_ok(&ctx, "project: p\n", NULL);
    assert_string_equal(c->file, "proj/medallion.yaml");
    assert_string_equal(c->env_file, "proj/env/test.yaml");
    assert_string_equal(c->lake_root, "proj/lake");
    assert_string_equal(c->landing_root, "proj/landing");
    assert_string_equal(c->contracts_dir, "proj/contracts");
    assert_string_equal(c->models_dir, "proj/models");
    assert_int_equal(c->parallelism, 2);
    assert_int_equal(c->max_attempts, 3);
    assert_int_equal(c->retry_base_ms, 1000);
    assert_int_equal(c->retry_max_ms, 30000);
    assert_int_equal(c->task_timeout_ms, 1800000);
    assert_string_equal(c->pii_key_env, "MEDALLION_PII_KEY");
    assert_false(c->require_pii_key);
    assert_int_equal(c->num_slas, 0);
    assert_int_equal(c->num_alerts, 0);
    mdl_config_free(c);

    /* A project file without a directory: paths stay as written; absolute paths and URLs
     * are never joined. */
    mdl_config *d = NULL;
    mdl_error err = {0};
    const char *text = "project: p\npaths: {lake: /abs/lake, landing: s3://b/landing, "
                       "models: ./m}\n";
    assert_int_equal(mdl_config_parse(&ctx, "medallion.yaml", text, strlen(text), "local", NULL, 0,
                                      NULL, NULL, &d, &err),
                     MDL_OK);
    assert_string_equal(d->env_file, "env/local.yaml");
    assert_string_equal(d->lake_root, "/abs/lake");
    assert_string_equal(d->landing_root, "s3://b/landing");
    assert_string_equal(d->models_dir, "./m");
    assert_string_equal(d->contracts_dir, "contracts");
    mdl_config_free(d);

    /* A leading ../ cancels a component of the directory, as far as there is one. */
    static const struct {
        const char *project, *lake, *want;
    } rel[] = {{"lakehouse/medallion.yaml", "../lake", "lake"},
               {"a/b/medallion.yaml", "../../x/lake", "x/lake"},
               {"a/b/medallion.yaml", "../../../lake", "../lake"},
               {"../p/medallion.yaml", "../../lake", "../../lake"},
               {"./medallion.yaml", "../lake", "./../lake"},
               {"/srv/medallion.yaml", "../lake", "/lake"},
               {"/medallion.yaml", "lake", "/lake"},
               {"a/medallion.yaml", "./lake", "a/./lake"}};
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        char buf[200];
        snprintf(buf, sizeof buf, "project: p\npaths: {lake: \"%s\"}\n", rel[i].lake);
        assert_int_equal(mdl_config_parse(&ctx, rel[i].project, buf, strlen(buf), "local", NULL, 0,
                                          NULL, NULL, &d, &err),
                         MDL_OK);
        if (strcmp(d->lake_root, rel[i].want) != 0)
            fail_msg("%s + %s: got %s, want %s", rel[i].project, rel[i].lake, d->lake_root,
                     rel[i].want);
        mdl_config_free(d);
    }

    /* Every duration unit. */
    static const struct {
        const char *text;
        int64_t ms;
    } durations[] = {{"1ms", 1},      {"500ms", 500},   {"30s", 30000},   {"5m", 300000},
                     {"2h", 7200000}, {"1d", 86400000}, {"7d", 604800000}};
    for (size_t i = 0; i < sizeof durations / sizeof durations[0]; i++) {
        char buf[200];
        snprintf(buf, sizeof buf, "project: p\nrun: {retry_base: 1ms, task_timeout: %s}\n",
                 durations[i].text);
        c = parse_ok(&ctx, buf, NULL);
        assert_int_equal(c->task_timeout_ms, durations[i].ms);
        mdl_config_free(c);
    }
    assert_int_equal(a.live, 0);
}

static void test_pipeline_config__overlay_merge(void **state)
{
    (void)state;
    mdl_test_alloc a;
    mdl_ctx ctx;
    mdl_test_counting_ctx(&ctx, &a);
    /* No overlay: the base as it is. */
    mdl_config *c = parse_ok(&ctx, BASE, NULL);
    assert_string_equal(c->lake_root, "proj/lake");
    assert_string_equal(c->landing_root, "/data/landing");
    assert_int_equal(c->parallelism, 3);
    assert_int_equal(c->retry_base_ms, 500);
    assert_true(c->require_pii_key);
    assert_int_equal(c->num_slas, 2);
    assert_string_equal(c->slas[1].target, "silver.orders");
    assert_int_equal(c->slas[1].deadline_minutes, 195);
    assert_int_equal(c->slas[1].line, 13);
    assert_ptr_equal(c->slas[1].file, c->file);
    assert_int_equal(c->num_alerts, 1);
    assert_string_equal(c->alerts[0].path, "proj/out/alerts.jsonl");
    assert_int_equal(c->alerts[0].num_on, 1);
    assert_ptr_equal(c->alerts[0].file, c->file);
    assert_int_equal(c->alerts[0].line, 15);
    mdl_config_free(c);

    /* Mappings merge key by key; a null value keeps the base's; lists replace. */
    const char *overlay = "paths:\n"
                          "  lake: s3://bucket/lake\n"
                          "run:\n"
                          "  parallelism: 8\n"
                          "  max_attempts: ~\n"
                          "security: {require_pii_key: false}\n"
                          "slas:\n"
                          "  - {target: gold, deadline: \"06:00\"}\n"
                          "alerts:\n"
                          "  - name: hook\n"
                          "    type: webhook\n"
                          "    url: https://h.example.com/x\n";
    c = parse_ok(&ctx, BASE, overlay);
    assert_string_equal(c->lake_root, "s3://bucket/lake");
    assert_string_equal(c->landing_root, "/data/landing");
    assert_int_equal(c->parallelism, 8);
    assert_int_equal(c->max_attempts, 5);
    assert_int_equal(c->retry_base_ms, 500);
    assert_false(c->require_pii_key);
    assert_int_equal(c->num_slas, 1);
    assert_string_equal(c->slas[0].target, "gold");
    assert_ptr_equal(c->slas[0].file, c->env_file);
    assert_int_equal(c->num_alerts, 1);
    assert_string_equal(c->alerts[0].name, "hook");
    assert_ptr_equal(c->alerts[0].file, c->env_file);
    assert_int_equal(c->alerts[0].line, 10);
    assert_int_equal(c->alerts[0].num_on, 3); /* every event when `on` is left out */
    assert_string_equal(c->alerts[0].on[2], "sla_missed");
    assert_false(mdl_config_is_redacted(c, c->alerts[0].url)); /* written in the file */
    mdl_config_free(c);

    /* An overlay may clear the lists, and an empty overlay changes nothing. */
    c = parse_ok(&ctx, BASE, "slas: []\nalerts: []\n");
    assert_int_equal(c->num_slas, 0);
    assert_int_equal(c->num_alerts, 0);
    mdl_config_free(c);
    c = parse_ok(&ctx, BASE, "# nothing here\n");
    assert_int_equal(c->num_slas, 2);
    assert_int_equal(c->parallelism, 3);
    mdl_config_free(c);
    /* The overlay may set what the base lacks, the project included. */
    c = parse_ok(&ctx, "run: {parallelism: 1}\n", "project: q\n");
    assert_string_equal(c->project, "q");
    mdl_config_free(c);
    /* Only the values in effect are interpolated: a replaced base value may name a variable
     * that is not set. */
    c = parse_ok(&ctx, "project: ${NOT_SET}\n", "project: q\n");
    assert_string_equal(c->project, "q");
    mdl_config_free(c);
    assert_int_equal(a.live, 0);
}

/* ---- interpolation ------------------------------------------------------------------------ */

static void test_pipeline_config__interpolation(void **state)
{
    (void)state;
    mdl_test_alloc a;
    mdl_ctx ctx;
    mdl_test_counting_ctx(&ctx, &a);
    const char *text = "project: x-${PLAIN}-${UNSET:-dflt}-${EMPTY:-was-empty}-[${EMPTY}]\n"
                       "paths:\n"
                       "  lake: ${LAKE_DIR:-/srv/lake}\n"
                       "  landing: \"cost $$5 and $x and $\"\n"
                       "run:\n"
                       "  parallelism: ${PAR:-6}\n"
                       "  retry_max: ${UNSET:-1m}\n"
                       "alerts:\n"
                       "  - name: mail\n"
                       "    type: email\n"
                       "    url: smtp://${API_TOKEN}@relay\n"
                       "    from: ${PLAIN}@example.com\n"
                       "    to: [\"${API_TOKEN}@example.com\", b@example.com]\n"
                       "    on: [task_failed]\n"
                       "  - name: hook\n"
                       "    type: webhook\n"
                       "    url: https://h.example.com/${PLAIN}\n";
    mdl_config *c = parse_ok(&ctx, text, NULL);
    assert_string_equal(c->project, "x-plain-value-dflt-was-empty-[]");
    assert_string_equal(c->lake_root, "/srv/lake");
    assert_string_equal(c->landing_root, "proj/cost $5 and $x and $");
    assert_int_equal(c->parallelism, 6);
    assert_int_equal(c->retry_max_ms, 60000);
    const mdl_alert_channel_config *mail = channel(c, "mail");
    assert_string_equal(mail->url, "smtp://tok-123@relay");
    assert_string_equal(mail->from, "plain-value@example.com");
    assert_string_equal(mail->to[0], "tok-123@example.com");
    /* Redacted: values from a variable named like a secret, and webhook URLs from any. */
    assert_true(mdl_config_is_redacted(c, mail->url));
    assert_true(mdl_config_is_redacted(c, mail->to[0]));
    assert_false(mdl_config_is_redacted(c, mail->to[1]));
    assert_false(mdl_config_is_redacted(c, mail->from));
    assert_false(mdl_config_is_redacted(c, c->project));
    assert_true(mdl_config_is_redacted(c, channel(c, "hook")->url));
    assert_int_equal(c->num_redacted, 3);
    assert_false(mdl_config_is_redacted(c, "smtp://tok-123@relay")); /* by address */

    mdl_buf out;
    mdl_buf_init(&out, &ctx, 1 << 20);
    mdl_error err = {0};
    assert_int_equal(mdl_config_format(c, &out, &err), MDL_OK);
    assert_int_equal(mdl_buf_terminate(&out, &err), MDL_OK);
    assert_string_equal(out.data,
                        "# proj/medallion.yaml with env/test.yaml (env test); paths resolved, "
                        "values from secret variables shown as ***\n"
                        "project: \"x-plain-value-dflt-was-empty-[]\"\n"
                        "paths:\n"
                        "  lake: /srv/lake\n"
                        "  landing: \"proj/cost $$5 and $$x and $$\"\n"
                        "  contracts: proj/contracts\n"
                        "  models: proj/models\n"
                        "run:\n"
                        "  parallelism: 6\n"
                        "  max_attempts: 3\n"
                        "  retry_base: 1s\n"
                        "  retry_max: 1m\n"
                        "  task_timeout: 30m\n"
                        "security:\n"
                        "  pii_key_env: MEDALLION_PII_KEY\n"
                        "  require_pii_key: false\n"
                        "slas: []\n"
                        "alerts:\n"
                        "  - name: mail\n"
                        "    type: email\n"
                        "    url: \"***\"\n"
                        "    from: plain-value@example.com\n"
                        "    to: [\"***\", b@example.com]\n"
                        "    on: [task_failed]\n"
                        "  - name: hook\n"
                        "    type: webhook\n"
                        "    url: \"***\"\n"
                        "    on: [task_failed, quality_failed, sla_missed]\n");
    assert_null(strstr(out.data, "tok-123"));
    mdl_buf_reset(&out);
    mdl_config_free(c);

    /* The shown text (a project that is not redacted) loads back to the same text. */
    c = parse_ok(&ctx, BASE, "project: \"a $$b: c\"\nalerts: []\n");
    mdl_buf_init(&out, &ctx, 1 << 20);
    assert_int_equal(mdl_config_format(c, &out, &err), MDL_OK);
    mdl_config *back = NULL;
    assert_int_equal(mdl_config_parse(&ctx, "medallion.yaml", out.data, out.len, "test", NULL, 0,
                                      NULL, NULL, &back, &err),
                     MDL_OK);
    assert_string_equal(back->project, "a $b: c");
    assert_string_equal(back->lake_root, "proj/lake");
    assert_int_equal(back->num_slas, 2);
    mdl_buf again;
    mdl_buf_init(&again, &ctx, 1 << 20);
    assert_int_equal(mdl_config_format(back, &again, &err), MDL_OK);
    char *nl1 = memchr(out.data, '\n', out.len), *nl2 = memchr(again.data, '\n', again.len);
    assert_int_equal(out.len - (size_t)(nl1 - out.data), again.len - (size_t)(nl2 - again.data));
    assert_memory_equal(nl1, nl2, out.len - (size_t)(nl1 - out.data));
    mdl_buf_reset(&again);
    mdl_buf_reset(&out);
    mdl_config_free(back);
    mdl_config_free(c);

    /* Errors name the file, the value's line and column and the variable. */
    parse_err("project: p\nrun:\n  parallelism: ${PAR}\n", NULL, MDL_ERR_SCHEMA,
              "proj/medallion.yaml:3:16: 'parallelism': environment variable PAR is not set "
              "(${PAR:-default} gives a default)");
    parse_err("project: p\n", "alerts:\n  - {name: h, type: webhook, url: \"${HOOK_URL}\"}\n",
              MDL_ERR_SCHEMA,
              "proj/env/test.yaml:2:35: 'url': environment variable HOOK_URL is not set "
              "(${HOOK_URL:-default} gives a default)");
    parse_err("project: ${PLAIN\n", NULL, MDL_ERR_SCHEMA,
              "proj/medallion.yaml:1:10: 'project': '${' without a closing '}' (write '$$' for a "
              "'$')");
    parse_err("project: ${1X}\n", NULL, MDL_ERR_SCHEMA,
              "proj/medallion.yaml:1:10: 'project': '${1X}' is not a variable reference: use "
              "${NAME} or ${NAME:-default}, NAME of letters, digits and '_'");
    parse_err("project: ${A-b}\n", NULL, MDL_ERR_SCHEMA,
              "proj/medallion.yaml:1:10: 'project': '${A-b}' is not a variable reference: use "
              "${NAME} or ${NAME:-default}, NAME of letters, digits and '_'");
    parse_err("project: ${}\n", NULL, MDL_ERR_SCHEMA,
              "proj/medallion.yaml:1:10: 'project': '${}' is not a variable reference: use "
              "${NAME} or ${NAME:-default}, NAME of letters, digits and '_'");
    /* A bad value from a secret variable is not shown in the message. */
    parse_err("project: p\nrun: {max_attempts: \"${API_TOKEN}\"}\n", NULL, MDL_ERR_SCHEMA,
              "proj/medallion.yaml:2:21: 'max_attempts' must be a whole number from 1 to 20, not "
              "'***'");
    parse_err("project: p\nalerts: [{name: h, type: webhook, url: \"${PLAIN}\"}]\n", NULL,
              MDL_ERR_SCHEMA,
              "proj/medallion.yaml:2:40: the url of webhook channel 'h' must start with http:// "
              "or https://, not '***'");
    assert_int_equal(a.live, 0);
}

/* ---- bad configurations ------------------------------------------------------------------- */

static void check_bad(const char *dir, const char *base, void *user)
{
    (void)user;
    mdl_test_alloc a;
    mdl_ctx ctx;
    mdl_test_counting_ctx(&ctx, &a);
    char path[1024], name[300];
    snprintf(path, sizeof path, "%s/%s.yaml", dir, base);
    snprintf(name, sizeof name, "%s.yaml", base);
    size_t len;
    char *text = mdl_test_read_file(path, &len);
    assert_non_null(text);
    char *overlay = mdl_test_sidecar(dir, base, "overlay", false);
    mdl_config *c = NULL;
    mdl_error err = {0};
    int rc = mdl_config_parse(&ctx, name, text, len, "test", overlay, overlay ? strlen(overlay) : 0,
                              lookup, &all_vars, &c, &err);
    free(text);
    free(overlay);
    if (rc == MDL_OK)
        fail_msg("%s loaded; expected an error", name);
    assert_null(c);
    assert_int_equal(err.code, rc);
    assert_true(rc == MDL_ERR_PARSE || rc == MDL_ERR_SCHEMA || rc == MDL_ERR_LIMIT);
    /* Every message names a file, a line and a column. */
    const char *colon = strstr(err.message, ".yaml:");
    assert_non_null(colon);
    int line = 0, col = 0;
    assert_int_equal(sscanf(colon + 6, "%d:%d:", &line, &col), 2);
    assert_true(line >= 1 && col >= 1);
    assert_null(strstr(err.message, "s3cr3t"));
    assert_null(strstr(err.message, "hunter2"));
    assert_null(strstr(err.message, "tok-123"));
    char got[1200];
    snprintf(got, sizeof got, "status=%s\nerror=%s\n", mdl_status_str(rc), err.message);
    if (getenv("MDL_TEST_UPDATE") != NULL) {
        snprintf(path, sizeof path, "%s/%s.expect", dir, base);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(got, f);
        fclose(f);
    } else {
        char *want = mdl_test_sidecar(dir, base, "expect", true);
        if (strcmp(want, got) != 0)
            fail_msg("%s:\n got: %s\nwant: %s", name, got, want);
        free(want);
    }
    assert_int_equal(a.live, 0);
}

static void test_pipeline_config__bad_fixtures(void **state)
{
    (void)state;
    mdl_test_for_each_file("config/bad", ".yaml", check_bad, NULL);
}

/* ---- files on disk ------------------------------------------------------------------------ */

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_pipeline_config__files(void **state)
{
    (void)state;
    mdl_test_alloc a;
    mdl_ctx ctx;
    mdl_test_counting_ctx(&ctx, &a);
    char root[] = "/tmp/mdl_config_XXXXXX", path[64], envdir[64], file[300];
    assert_non_null(mkdtemp(root));
    snprintf(path, sizeof path, "%s/medallion.yaml", root);
    snprintf(envdir, sizeof envdir, "%s/env", root);
    mdl_config *c = NULL;
    mdl_error err = {0};
    /* No project file. */
    assert_int_equal(mdl_config_load(&ctx, path, "local", NULL, NULL, &c, &err), MDL_ERR_NOT_FOUND);
    snprintf(file, sizeof file, "%s: cannot open: No such file or directory", path);
    assert_string_equal(err.message, file);
    write_text(path, "project: p\nrun: {parallelism: 3}\n");
    /* No env folder, then no such environment. */
    assert_int_equal(mdl_config_load(&ctx, path, "local", NULL, NULL, &c, &err), MDL_ERR_NOT_FOUND);
    snprintf(file, sizeof file,
             "environment 'local': %s/env/local.yaml does not exist (environments: none: %s/env/ "
             "does not exist)",
             root, root);
    assert_string_equal(err.message, file);
    assert_int_equal(mkdir(envdir, 0755), 0);
    snprintf(file, sizeof file, "%s/prod.yaml", envdir);
    write_text(file, "run: {parallelism: 9}\n");
    snprintf(file, sizeof file, "%s/dev.yaml", envdir);
    write_text(file, "run: {parallelism: 5}\n");
    assert_int_equal(mdl_config_load(&ctx, path, "staging", NULL, NULL, &c, &err),
                     MDL_ERR_NOT_FOUND);
    snprintf(file, sizeof file,
             "environment 'staging': %s/env/staging.yaml does not exist (environments: dev, "
             "prod)",
             root);
    assert_string_equal(err.message, file);
    /* Environment names are names, not paths. */
    assert_int_equal(mdl_config_load(&ctx, path, "../dev", NULL, NULL, &c, &err),
                     MDL_ERR_INVALID_ARG);
    assert_string_equal(err.message,
                        "environment name '../dev' must be 1 to 64 letters, digits, '-' or '_'");
    assert_int_equal(mdl_config_load(&ctx, path, "", NULL, NULL, &c, &err), MDL_ERR_INVALID_ARG);
    assert_null(c);
    /* Found. */
    assert_int_equal(mdl_config_load(&ctx, path, "dev", NULL, NULL, &c, &err), MDL_OK);
    assert_int_equal(c->parallelism, 5);
    snprintf(file, sizeof file, "%s/lake", root);
    assert_string_equal(c->lake_root, file);
    mdl_config_free(c);
    /* An error in the overlay names the overlay. */
    snprintf(file, sizeof file, "%s/dev.yaml", envdir);
    write_text(file, "run:\n  paralelism: 5\n");
    assert_int_equal(mdl_config_load(&ctx, path, "dev", NULL, NULL, &c, &err), MDL_ERR_SCHEMA);
    snprintf(file, sizeof file,
             "%s/env/dev.yaml:2:3: unknown key 'paralelism' in run (did you mean "
             "'parallelism'?)",
             root);
    assert_string_equal(err.message, file);
    /* A file over the limit is refused before it is parsed. */
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (size_t i = 0; i < (1u << 20) + 10; i++)
        fputc('#', f);
    fclose(f);
    assert_int_equal(mdl_config_load(&ctx, path, "dev", NULL, NULL, &c, &err), MDL_ERR_LIMIT);
    snprintf(file, sizeof file, "%s:1:1: config file is 1048577 bytes, over the limit of 1048576",
             path);
    assert_string_equal(err.message, file);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(a.live, 0);
}

/* ---- limits -------------------------------------------------------------------------------- */

static void test_pipeline_config__limits(void **state)
{
    (void)state;
    parse_err("project: p\nx: &a [1]\n", NULL, MDL_ERR_PARSE,
              "proj/medallion.yaml:2:4: anchors (&a) are not allowed in a config file");
    parse_err("project: p\n", "project: *a\n", MDL_ERR_PARSE,
              "proj/env/test.yaml:1:10: aliases (*a) are not allowed in a config file");
    parse_err("project: p\n---\nproject: q\n", NULL, MDL_ERR_PARSE,
              "proj/medallion.yaml:2:1: a config file is one YAML document, found a second");
    parse_err("project: !!str p\n", NULL, MDL_ERR_PARSE,
              "proj/medallion.yaml:1:10: tags (tag:yaml.org,2002:str) are not allowed in a config "
              "file");
    /* Nesting. */
    char deep[200];
    size_t n = 0;
    n += (size_t)snprintf(deep, sizeof deep, "project: ");
    for (int i = 0; i < 20; i++)
        deep[n++] = '[';
    deep[n] = '\0';
    parse_err(deep, NULL, MDL_ERR_LIMIT, "proj/medallion.yaml:1:25: nested deeper than 16 levels");
    /* A value that grows over the scalar limit once expanded. */
    size_t big = 70000;
    char *value = malloc(big + 1);
    assert_non_null(value);
    memset(value, 'v', big);
    value[big] = '\0';
    char *entry = malloc(big + 8);
    assert_non_null(entry);
    snprintf(entry, big + 8, "BIG=%s", value);
    const char *items[] = {entry, NULL};
    vars v = {items};
    mdl_test_alloc a;
    mdl_ctx ctx;
    mdl_test_counting_ctx(&ctx, &a);
    mdl_config *c = NULL;
    mdl_error err = {0};
    const char *text = "project: ${BIG}\n";
    assert_int_equal(
        mdl_config_parse(&ctx, "m.yaml", text, strlen(text), "test", NULL, 0, lookup, &v, &c, &err),
        MDL_ERR_LIMIT);
    assert_string_equal(err.message,
                        "m.yaml:1:10: 'project' is over 65536 bytes once its variables are "
                        "expanded");
    assert_int_equal(a.live, 0);
    free(entry);
    free(value);
    /* Invalid arguments. */
    assert_int_equal(
        mdl_config_parse(&ctx, "m.yaml", "project: p", 10, NULL, NULL, 0, NULL, NULL, &c, &err),
        MDL_ERR_INVALID_ARG);
    assert_null(c);
    mdl_config_free(NULL);
}

/* ---- out of memory ------------------------------------------------------------------------ */

static void test_pipeline_config__out_of_memory(void **state)
{
    (void)state;
    const char *overlay = "run: {parallelism: 4}\n"
                          "alerts:\n"
                          "  - name: mail\n"
                          "    type: email\n"
                          "    url: smtp://${API_TOKEN}@relay\n"
                          "    from: a@example.com\n"
                          "    to: [\"${API_TOKEN}@example.com\", b@example.com]\n"
                          "    username_env: SMTP_USER\n"
                          "    password_env: SMTP_PASSWORD\n"
                          "  - {name: f, type: file, path: \"${PLAIN}/a.jsonl\"}\n"
                          "  - {name: h, type: webhook, url: \"${ALERT_WEBHOOK_URL}\"}\n";
    bool done = false;
    for (long n = 0; !done; n++) {
        mdl_test_alloc a;
        mdl_ctx ctx;
        mdl_test_counting_ctx(&ctx, &a);
        a.fail_after = n;
        mdl_config *c = NULL;
        mdl_error err = {0};
        int rc = mdl_config_parse(&ctx, "p/medallion.yaml", BASE, strlen(BASE), "dev", overlay,
                                  strlen(overlay), lookup, &all_vars, &c, &err);
        if (rc == MDL_OK) {
            mdl_buf out;
            mdl_buf_init(&out, &ctx, 1 << 20);
            rc = mdl_config_format(c, &out, &err);
            mdl_buf_reset(&out);
            mdl_config_free(c);
            done = rc == MDL_OK;
        } else {
            assert_null(c);
        }
        if (!done) {
            if (rc != MDL_ERR_NOMEM)
                fail_msg("at %ld: (%s) %s", n, mdl_status_str(rc), err.message);
        }
        assert_int_equal(a.live, 0);
        assert_true(n < 100000);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pipeline_config__repo_envs_load),
        cmocka_unit_test(test_pipeline_config__defaults_and_paths),
        cmocka_unit_test(test_pipeline_config__overlay_merge),
        cmocka_unit_test(test_pipeline_config__interpolation),
        cmocka_unit_test(test_pipeline_config__bad_fixtures),
        cmocka_unit_test(test_pipeline_config__files),
        cmocka_unit_test(test_pipeline_config__limits),
        cmocka_unit_test(test_pipeline_config__out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
