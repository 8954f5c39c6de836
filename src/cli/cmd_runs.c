/*
 * cmd_runs.c - `medallion runs list|show RUN_ID`: the pipeline's run records
 * (_medallion/runs and task_runs, docs/pipeline.md) as tables, read with SQL.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "table.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: medallion runs list [--project PATH] [--env NAME] [--lake DIR] [--limit N]\n"
            "       medallion runs show RUN_ID [--project PATH] [--env NAME] [--lake DIR]\n"
            "\n"
            "The pipeline's run records: `list` the latest runs (newest first) with their\n"
            "status and task counts, `show` one run's tasks with status, attempts, rows,\n"
            "versions written and errors.\n"
            "\n"
            "Options:\n"
            "  --project PATH  the project config or its folder whose lake to read\n"
            "                (default lakehouse/medallion.yaml, when it is there)\n"
            "  --env NAME    its environment (default local)\n"
            "  --lake DIR    the lake root (default: the project's; without a project,\n"
            "                lake)\n"
            "  --limit N     runs to list (default 20)\n"
            "  -h, --help    this help\n");
}

/* Runs a query and prints its rows as a table; returns the row count or -1. */
static long print_query(mdl_ctx *ctx, const char *lake, const char *sql, size_t width)
{
    mdl_sql_options so;
    mdl_sql_options_init(&so);
    so.lake_root = lake;
    mdl_batch_stream *s = NULL;
    mdl_error err = {0, ""};
    if (mdl_sql_query(ctx, sql, strlen(sql), &so, &s, &err) != MDL_OK) {
        fprintf(stderr, "medallion runs: %s\n", err.message);
        if (strstr(err.message, "unknown table") != NULL)
            fprintf(stderr, "(no runs recorded in %s yet: 'medallion run' records them)\n", lake);
        return -1;
    }
    size_t nc = s->schema->num_fields;
    const char *hdr[CLI_TABLE_MAX_COLS];
    for (size_t c = 0; c < nc && c < CLI_TABLE_MAX_COLS; c++)
        hdr[c] = s->schema->fields[c].name;
    cli_table t;
    cli_table_init(&t, nc, hdr);
    long rows = 0;
    mdl_batch *b = NULL;
    int rc;
    while ((rc = mdl_batch_stream_next(s, &b, &err)) == MDL_OK && b != NULL) {
        for (size_t r = 0; r < b->num_rows; r++) {
            char vals[CLI_TABLE_MAX_COLS][512];
            const char *cells[CLI_TABLE_MAX_COLS];
            for (size_t c = 0; c < nc && c < CLI_TABLE_MAX_COLS; c++) {
                if (mdl_column_is_null(&b->columns[c], r))
                    snprintf(vals[c], sizeof vals[c], "-");
                else
                    mdl_column_format_value(&b->columns[c], r, vals[c], sizeof vals[c]);
                cells[c] = vals[c];
            }
            cli_table_add(&t, cells);
            rows++;
        }
        mdl_batch_free(b);
    }
    if (rc != MDL_OK) {
        fprintf(stderr, "medallion runs: %s\n", err.message);
        rows = -1;
    } else if (rows > 0) {
        cli_table_print(&t, stdout, width); /* the headers are the stream's: print first */
    }
    cli_table_free(&t);
    mdl_batch_stream_release(s);
    return rows;
}

/* list or show, over the lake's run records */
static int runs_action(mdl_ctx *ctx, const char *what, int argc, char **argv, const char *lake,
                       long limit)
{
    char sql[1024];
    if (what != NULL && strcmp(what, "list") == 0 && optind + 1 == argc) {
        snprintf(sql, sizeof sql,
                 "SELECT run_id, env, run_date, started_at, status, tasks, succeeded, "
                 "up_to_date, failed, quality_failed, skipped, resumed_from FROM "
                 "_medallion.runs ORDER BY started_at DESC LIMIT %ld",
                 limit);
        return print_query(ctx, lake, sql, 40) < 0 ? CLI_EXIT_ERROR : CLI_EXIT_OK;
    }
    if (what != NULL && strcmp(what, "show") == 0 && optind + 2 == argc) {
        const char *id = argv[optind + 1];
        for (const char *p = id; *p; p++)
            if (!(*p == '-' || *p == '_' || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
                  (*p >= 'A' && *p <= 'Z'))) {
                fprintf(stderr, "medallion runs: '%s' is not a run id\n", id);
                return CLI_EXIT_USAGE;
            }
        snprintf(sql, sizeof sql,
                 "SELECT task, kind, status, attempts, started_at, ended_at, rows_in, rows_out, "
                 "rows_quarantined, version, checks_failed, checks_warned, error FROM "
                 "_medallion.task_runs WHERE run_id = '%s' ORDER BY started_at, task",
                 id);
        long n = print_query(ctx, lake, sql, 60);
        if (n == 0) {
            fprintf(stderr, "medallion runs: no run '%s' (see 'medallion runs list')\n", id);
            return CLI_EXIT_ERROR;
        }
        return n < 0 ? CLI_EXIT_ERROR : CLI_EXIT_OK;
    }
    usage(stderr);
    return CLI_EXIT_USAGE;
}

int cmd_runs(int argc, char **argv)
{
    const char *lake = NULL, *project = NULL, *env = "local";
    long limit = 20;
    static const struct option opts[] = {
        {"lake", required_argument, 0, 'l'}, {"project", required_argument, 0, 'p'},
        {"env", required_argument, 0, 'e'},  {"limit", required_argument, 0, 'n'},
        {"help", no_argument, 0, 'h'},       {0, 0, 0, 0}};
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        char *end;
        switch (ch) {
        case 'l':
            lake = optarg;
            break;
        case 'p':
            project = optarg;
            break;
        case 'e':
            env = optarg;
            break;
        case 'n':
            limit = strtol(optarg, &end, 10);
            if (*end || limit < 1) {
                fprintf(stderr, "medallion runs: --limit takes a positive number\n");
                return CLI_EXIT_USAGE;
            }
            break;
        case 'h':
            usage(stdout);
            return CLI_EXIT_OK;
        default:
            usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    const char *what = optind < argc ? argv[optind] : NULL;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    /* the lake: --lake, else the project's (the default project only when it exists) */
    mdl_config *cfg = NULL;
    if (lake == NULL) {
        const char *p = project ? project : "lakehouse/medallion.yaml";
        mdl_error err = {0, ""};
        if (project != NULL || access(p, F_OK) == 0) {
            if (mdl_config_load(&ctx, p, env, mdl_env_getenv, NULL, &cfg, &err) != MDL_OK) {
                fprintf(stderr, "medallion runs: %s\n", err.message);
                return CLI_EXIT_ERROR;
            }
            lake = cfg->lake_root;
        } else {
            lake = "lake";
        }
    }
    int rc = runs_action(&ctx, what, argc, argv, lake, limit);
    mdl_config_free(cfg);
    return rc;
}
