/*
 * cmd_run.c - `medallion run`: the whole lake in one command (docs/pipeline.md). Loads the
 * project config of an environment, checks the secrets it names are set, and runs the DAG of
 * ingest and build tasks (mdl_run) for a run date or each date of a backfill, printing each
 * task as it starts and ends and a summary table per run. Exit codes: 0 success, 1 a task
 * failed (or the run could not start), 2 usage, 3 only quality checks failed.
 *
 * Test hook: MEDALLION_TEST_FAIL="layer.table:N[:status]" makes the first N attempts of that
 * task fail with an I/O error (or `quality`), to exercise retries; it is documented as a test
 * aid and does nothing unless set.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "table.h"

#define MAX_SELECT 64

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: medallion run [options]\n"
            "\n"
            "Run the lakehouse: every bronze table ingested and every silver and gold model\n"
            "built, as one DAG (a model waits for the tables its SQL reads), independent tasks in\n"
            "parallel. Transient failures are retried with backoff; quality failures are not. A\n"
            "failed task skips what depends on it; the rest finishes. Alerts go to the\n"
            "environment's channels; the run is recorded in _medallion/runs and task_runs.\n"
            "\n"
            "Options:\n"
            "  --project PATH     the project config, or its folder (default\n"
            "                     lakehouse/medallion.yaml)\n"
            "  --env NAME         local (default), dev, prod: the overlay env/NAME.yaml\n"
            "  -j, --parallel N   tasks at once (default: run.parallelism of the config)\n"
            "  --select SEL       only these tables (repeatable): layer.name, name, a layer\n"
            "                     (bronze, silver, gold), tag:NAME; +SEL adds its upstream,\n"
            "                     SEL+ its downstream\n"
            "  --exclude SEL      leave these out (same forms; repeatable)\n"
            "  --run-date D       the run's date (YYYY-MM-DD; default today): _ingest_date and\n"
            "                     the build time of SCD2 versions\n"
            "  --from D --to D    a backfill: one run per date, in order\n"
            "  --dry-run          print the plan (tasks, levels, dependencies) and stop\n"
            "  --resume RUN_ID    run again only what did not succeed in that run\n"
            "  -h, --help         this help\n"
            "\n"
            "Exit codes: 0 success, 1 a task failed, 2 usage, 3 only quality checks failed.\n"
            "\n"
            "Examples:\n"
            "  medallion run --env local\n"
            "  medallion run --select +gold.customer_360 -j 2\n"
            "  medallion run --from 2024-05-01 --to 2024-05-03\n");
}

static int parse_date(const char *s, int32_t *out)
{
    int64_t us;
    if (strlen(s) != 10 || mdl_timestamp_parse(s, 10, &us) != MDL_OK)
        return -1;
    *out = (int32_t)(us / INT64_C(86400000000));
    return 0;
}

typedef struct fail_hook {
    char table[256];
    int attempts;
    int status;
} fail_hook;

static int inject(void *user, const char *table, int attempt)
{
    const fail_hook *h = user;
    return strcmp(h->table, table) == 0 && attempt <= h->attempts ? h->status : MDL_OK;
}

static void clock_now(char *buf, size_t cap)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, cap, "%H:%M:%S", &tm);
}

static void on_event(void *user, const mdl_run_task *t, const char *what, int attempt)
{
    (void)user;
    char at[16];
    clock_now(at, sizeof at);
    if (strcmp(what, "started") == 0)
        printf("%s  start   %s\n", at, t->table);
    else if (strcmp(what, "retrying") == 0)
        printf("%s  retry   %s (attempt %d)\n", at, t->table, attempt);
    else if (strcmp(what, "attempt_failed") == 0)
        printf("%s  failed  %s (attempt %d, will retry): %s\n", at, t->table, attempt, t->error);
    else if (strcmp(what, "skipped") == 0)
        printf("%s  skip    %s (%s)\n", at, t->table, t->error);
    else
        printf("%s  %-7s %s%s%s\n", at,
               t->status == MDL_TASK_SUCCESS          ? "ok"
               : t->status == MDL_TASK_UP_TO_DATE     ? "ok"
               : t->status == MDL_TASK_QUALITY_FAILED ? "QUALITY"
                                                      : "FAILED",
               t->table, t->status == MDL_TASK_UP_TO_DATE ? " (up to date)" : "",
               t->status == MDL_TASK_FAILED || t->status == MDL_TASK_QUALITY_FAILED ? "" : "");
    if (t->status == MDL_TASK_FAILED || t->status == MDL_TASK_QUALITY_FAILED)
        if (strcmp(what, "finished") == 0)
            printf("          %s\n", t->error);
    fflush(stdout);
}

static void on_alert(void *user, const char *channel, const char *event, int rc, const char *error)
{
    (void)user;
    if (rc == MDL_OK)
        printf("          alert %s sent to %s\n", event, channel);
    else
        fprintf(stderr, "medallion run: alert %s to %s failed: %s\n", event, channel, error);
}

static void print_plan(const mdl_run_result *r)
{
    static const char *const hdr[] = {"level", "task", "kind", "after"};
    cli_table t;
    cli_table_init(&t, 4, hdr);
    int max_level = 0;
    for (size_t i = 0; i < r->num_tasks; i++)
        if (r->tasks[i].level > max_level)
            max_level = r->tasks[i].level;
    size_t n = 0;
    for (int level = 0; level <= max_level; level++)
        for (size_t i = 0; i < r->num_tasks; i++) {
            const mdl_run_task *x = &r->tasks[i];
            if (x->level != level || x->status != MDL_TASK_PENDING)
                continue;
            char lv[16], after[2048] = "";
            snprintf(lv, sizeof lv, "%d", level);
            size_t len = 0;
            for (size_t k = 0; k < x->num_deps && len + 64 < sizeof after; k++)
                len += (size_t)snprintf(after + len, sizeof after - len, "%s%s", k ? ", " : "",
                                        r->tasks[x->deps[k]].table);
            const char *cells[4] = {lv, x->table, x->is_ingest ? "ingest" : "build", after};
            cli_table_add(&t, cells);
            n++;
        }
    cli_table_print(&t, stdout, 90);
    printf("%zu task(s) planned; nothing was run (--dry-run)\n", n);
    cli_table_free(&t);
}

static void print_summary(const mdl_run_options *o, const mdl_run_result *r)
{
    static const char *const hdr[] = {"task",     "kind",        "status", "attempts", "rows in",
                                      "rows out", "quarantined", "checks", "version",  "seconds"};
    cli_table t;
    cli_table_init(&t, 10, hdr);
    /* in the order they ran: by DAG level (bronze first), then by name */
    size_t *ord = calloc(r->num_tasks + 1, sizeof *ord);
    for (size_t i = 0; ord != NULL && i < r->num_tasks; i++) {
        size_t j = i;
        for (; j > 0; j--) {
            const mdl_run_task *a = &r->tasks[ord[j - 1]], *b = &r->tasks[i];
            if (a->level < b->level || (a->level == b->level && strcmp(a->table, b->table) < 0))
                break;
            ord[j] = ord[j - 1];
        }
        ord[j] = i;
    }
    for (size_t k = 0; ord != NULL && k < r->num_tasks; k++) {
        const mdl_run_task *x = &r->tasks[ord[k]];
        if (x->status == MDL_TASK_NOT_SELECTED)
            continue;
        char att[16], in[24] = "-", outr[24] = "-", q[24] = "-", ver[24] = "-", secs[24] = "-",
                      chk[48] = "-";
        snprintf(att, sizeof att, "%d", x->attempts);
        if (x->attempts > 0) {
            if (x->is_ingest) {
                snprintf(in, sizeof in, "%" PRIu64, x->rows_in);
                snprintf(q, sizeof q, "%" PRIu64, x->rows_quarantined);
            }
            snprintf(outr, sizeof outr, "%" PRIu64, x->rows_out);
            if (x->version >= 0)
                snprintf(ver, sizeof ver, "%" PRId64, x->version);
            snprintf(secs, sizeof secs, "%.2f", (double)(x->ended_us - x->started_us) / 1e6);
            if (x->checks_failed > 0 && x->checks_warned > 0)
                snprintf(chk, sizeof chk, "%d failed, %d warn", x->checks_failed, x->checks_warned);
            else if (x->checks_failed > 0)
                snprintf(chk, sizeof chk, "%d failed", x->checks_failed);
            else if (x->checks_warned > 0)
                snprintf(chk, sizeof chk, "%d warn", x->checks_warned);
        }
        const char *cells[10] = {x->table,
                                 x->is_ingest ? "ingest" : "build",
                                 mdl_task_status_name(x->status),
                                 att,
                                 in,
                                 outr,
                                 q,
                                 chk,
                                 ver,
                                 secs};
        cli_table_add(&t, cells);
    }
    free(ord);
    printf("\n");
    cli_table_print(&t, stdout, 60);
    printf("run %s (%s, env %s): %s in %.1f s — %zu ok, %zu up to date, %zu failed, %zu "
           "failed checks, %zu skipped%s\n",
           o->run_id, o->project ? o->project : "project", o->env ? o->env : "-", r->status,
           (double)(r->ended_us - r->started_us) / 1e6, r->succeeded, r->up_to_date, r->failed,
           r->quality_failed, r->skipped, r->sla_missed ? "; SLA missed" : "");
    cli_table_free(&t);
}

int cmd_run(int argc, char **argv)
{
    const char *project = "lakehouse/medallion.yaml", *env = "local", *resume = NULL;
    const char *sel[MAX_SELECT], *exc[MAX_SELECT];
    size_t nsel = 0, nexc = 0;
    int parallel = 0;
    int32_t run_date = INT32_MIN, from = INT32_MIN, to = INT32_MIN;
    bool dry = false;
    enum { O_PROJECT = 256, O_ENV, O_SELECT, O_EXCLUDE, O_DATE, O_FROM, O_TO, O_DRY, O_RESUME };
    static const struct option opts[] = {{"project", required_argument, 0, O_PROJECT},
                                         {"env", required_argument, 0, O_ENV},
                                         {"parallel", required_argument, 0, 'j'},
                                         {"select", required_argument, 0, O_SELECT},
                                         {"exclude", required_argument, 0, O_EXCLUDE},
                                         {"run-date", required_argument, 0, O_DATE},
                                         {"from", required_argument, 0, O_FROM},
                                         {"to", required_argument, 0, O_TO},
                                         {"dry-run", no_argument, 0, O_DRY},
                                         {"resume", required_argument, 0, O_RESUME},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "hj:", opts, NULL)) != -1) {
        char *end;
        switch (ch) {
        case O_PROJECT:
            project = optarg;
            break;
        case O_ENV:
            env = optarg;
            break;
        case 'j':
            parallel = (int)strtol(optarg, &end, 10);
            if (*end || parallel < 1 || parallel > 64) {
                fprintf(stderr, "medallion run: -j takes 1 to 64, not '%s'\n", optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case O_SELECT:
        case O_EXCLUDE:
            if ((ch == O_SELECT ? nsel : nexc) >= MAX_SELECT) {
                fprintf(stderr, "medallion run: at most %d --select/--exclude each\n", MAX_SELECT);
                return CLI_EXIT_USAGE;
            }
            if (ch == O_SELECT)
                sel[nsel++] = optarg;
            else
                exc[nexc++] = optarg;
            break;
        case O_DATE:
        case O_FROM:
        case O_TO: {
            int32_t *d = ch == O_DATE ? &run_date : ch == O_FROM ? &from : &to;
            if (parse_date(optarg, d) != 0) {
                fprintf(stderr, "medallion run: a date is YYYY-MM-DD, not '%s'\n", optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        }
        case O_DRY:
            dry = true;
            break;
        case O_RESUME:
            resume = optarg;
            break;
        case 'h':
            usage(stdout);
            return CLI_EXIT_OK;
        default:
            fprintf(stderr, "Run 'medallion run --help' for the options.\n");
            return CLI_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "medallion run: unexpected argument '%s' (tables go in --select)\n",
                argv[optind]);
        return CLI_EXIT_USAGE;
    }
    if ((from == INT32_MIN) != (to == INT32_MIN) || (from != INT32_MIN && run_date != INT32_MIN) ||
        (from != INT32_MIN && from > to) || (from != INT32_MIN && to - from > 3660)) {
        fprintf(stderr, "medallion run: a backfill is --from D --to D (D <= D, at most ten "
                        "years), without --run-date\n");
        return CLI_EXIT_USAGE;
    }
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_error err = {0, ""};
    mdl_config *cfg = NULL;
    if (mdl_config_load(&ctx, project, env, mdl_env_getenv, NULL, &cfg, &err) != MDL_OK ||
        mdl_config_check_env(cfg, mdl_env_getenv, NULL, &err) != MDL_OK) {
        fprintf(stderr, "medallion run: %s\n", err.message);
        mdl_config_free(cfg);
        return CLI_EXIT_ERROR;
    }
    const char *key = getenv(cfg->pii_key_env ? cfg->pii_key_env : "MEDALLION_PII_KEY");
    if ((key == NULL || *key == '\0') && !cfg->require_pii_key)
        key = CLI_LOCAL_PII_KEY;
    /* alert channels, credentials from the environment variables the config names */
    mdl_run_channel *chans = calloc(cfg->num_alerts + 1, sizeof *chans);
    for (size_t i = 0; chans && i < cfg->num_alerts; i++) {
        const mdl_alert_channel_config *a = &cfg->alerts[i];
        mdl_alert_channel *c = &chans[i].channel;
        c->name = a->name;
        c->type = a->type;
        c->url = a->url;
        c->from = a->from;
        c->to = (const char *const *)a->to;
        c->num_to = a->num_to;
        c->path = a->path;
        c->username = a->username_env ? getenv(a->username_env) : NULL;
        c->password = a->password_env ? getenv(a->password_env) : NULL;
        chans[i].on = (const char *const *)a->on;
        chans[i].num_on = a->num_on;
    }
    fail_hook hook = {"", 0, MDL_ERR_IO};
    const char *tf = getenv("MEDALLION_TEST_FAIL");
    if (tf != NULL && *tf) {
        const char *colon = strchr(tf, ':');
        snprintf(hook.table, sizeof hook.table, "%.*s", colon ? (int)(colon - tf) : 0, tf);
        hook.attempts = colon ? atoi(colon + 1) : 0;
        const char *second = colon ? strchr(colon + 1, ':') : NULL;
        if (second && strcmp(second + 1, "quality") == 0)
            hook.status = MDL_ERR_QUALITY;
    }
    int exit_code = chans ? CLI_EXIT_OK : CLI_EXIT_ERROR;
    int32_t first = from != INT32_MIN ? from : run_date, last = from != INT32_MIN ? to : run_date;
    for (int32_t day = first; exit_code != CLI_EXIT_ERROR && chans && day <= last; day++) {
        char run_id[37];
        mdl_uuid u;
        if (mdl_uuid_v7(&ctx, &u, &err) != MDL_OK)
            break;
        mdl_uuid_format(&u, run_id);
        mdl_run_options o;
        mdl_run_options_init(&o);
        o.project = cfg->project;
        o.env = cfg->env;
        o.run_id = run_id;
        o.lake_root = cfg->lake_root;
        o.landing_root = cfg->landing_root;
        o.contracts_dir = cfg->contracts_dir;
        o.models_root = cfg->models_dir;
        o.parallelism = parallel ? parallel : cfg->parallelism;
        o.max_attempts = cfg->max_attempts;
        o.retry_base_ms = cfg->retry_base_ms;
        o.retry_max_ms = cfg->retry_max_ms;
        o.task_timeout_ms = cfg->task_timeout_ms;
        o.pii_key = key;
        o.run_date = day;
        o.select = sel;
        o.num_select = nsel;
        o.exclude = exc;
        o.num_exclude = nexc;
        o.resume_run_id = resume;
        o.dry_run = dry;
        o.channels = chans;
        o.num_channels = cfg->num_alerts;
        o.slas = cfg->slas;
        o.num_slas = cfg->num_slas;
        o.inject = hook.table[0] ? inject : NULL;
        o.inject_user = &hook;
        o.on_event = on_event;
        o.on_alert = on_alert;
        if (day != INT32_MIN) {
            char d[16];
            int64_t us = (int64_t)day * INT64_C(86400000000);
            time_t secs = (time_t)(us / 1000000);
            struct tm tm;
            gmtime_r(&secs, &tm);
            strftime(d, sizeof d, "%Y-%m-%d", &tm);
            printf("== run %s for %s (env %s)\n", run_id, d, cfg->env);
        } else {
            printf("== run %s (env %s)\n", run_id, cfg->env);
        }
        fflush(stdout);
        mdl_run_result r;
        int rc = mdl_run(&ctx, &o, &r, &err);
        if (rc != MDL_OK) {
            fprintf(stderr, "medallion run: %s\n", err.message);
            /* a selector that names nothing is a usage error; the rest are errors */
            exit_code =
                strstr(err.message, "names no table") != NULL ? CLI_EXIT_USAGE : CLI_EXIT_ERROR;
            mdl_run_result_free(&r);
            break; /* the same error would stop every other date of a backfill */
        } else if (dry) {
            print_plan(&r);
        } else {
            print_summary(&o, &r);
            if (r.failed > 0)
                exit_code = CLI_EXIT_ERROR;
            else if (r.quality_failed > 0 && exit_code == CLI_EXIT_OK)
                exit_code = CLI_EXIT_QUALITY;
        }
        mdl_run_result_free(&r);
        if (day == INT32_MAX)
            break;
    }
    free(chans);
    mdl_config_free(cfg);
    return exit_code;
}
