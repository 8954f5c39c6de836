/*
 * cmd_check.c - `medallion check [TABLE...]`: runs the quality checks of tables' contracts on
 * demand over their committed data (docs/quality.md), prints a result table, records the
 * results in `_medallion/dq_results`, and exits 3 when an error-severity check failed.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "table.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: medallion check [TABLE...] [options]\n"
            "\n"
            "Run the quality checks a table's contract declares (not_null, unique,\n"
            "accepted_values, range, regex, relationship, row_count, freshness, sql,\n"
            "reconcile) over its committed data, print the results and append them to the\n"
            "_medallion/dq_results table. TABLE is layer.name or name (default: every table\n"
            "of the lake that has a contract).\n"
            "\n"
            "Options:\n"
            "  --contracts DIR   the contracts (default lakehouse/contracts)\n"
            "  --lake DIR        the lake root (default lake)\n"
            "  --run-id ID       the run id recorded with the results (default: a new UUIDv7)\n"
            "  --no-record       do not append to _medallion/dq_results\n"
            "  --memory MB       working memory per sort, join or aggregate (default 512)\n"
            "  -h, --help        this help\n"
            "\n"
            "Exit codes: 0 every error check passed (warnings allowed), 1 error, 2 usage,\n"
            "3 an error-severity check failed.\n"
            "\n"
            "Example:\n"
            "  medallion check silver.orders gold.fact_orders\n");
}

int cmd_check(int argc, char **argv)
{
    const char *contracts = "lakehouse/contracts", *run_id = NULL;
    bool record = true;
    mdl_quality_options qo;
    mdl_quality_options_init(&qo);
    enum { O_CONTRACTS = 256, O_LAKE, O_RUN, O_NOREC, O_MEMORY };
    static const struct option opts[] = {{"contracts", required_argument, 0, O_CONTRACTS},
                                         {"lake", required_argument, 0, O_LAKE},
                                         {"run-id", required_argument, 0, O_RUN},
                                         {"no-record", no_argument, 0, O_NOREC},
                                         {"memory", required_argument, 0, O_MEMORY},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case O_CONTRACTS:
            contracts = optarg;
            break;
        case O_LAKE:
            qo.lake_root = optarg;
            break;
        case O_RUN:
            run_id = optarg;
            break;
        case O_NOREC:
            record = false;
            break;
        case O_MEMORY:
            if (cli_parse_megabytes("check", optarg, &qo.memory_bytes) != 0)
                return CLI_EXIT_USAGE;
            break;
        case 'h':
            usage(stdout);
            return CLI_EXIT_OK;
        default:
            fprintf(stderr, "Run 'medallion check --help' for the options.\n");
            return CLI_EXIT_USAGE;
        }
    }
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_error err = {0, ""};
    mdl_contract_set set;
    if (mdl_contract_set_load(&ctx, contracts, &set, &err) != MDL_OK) {
        fprintf(stderr, "medallion check: %s\n", err.message);
        return CLI_EXIT_ERROR;
    }
    const mdl_contract **todo = calloc(set.count + (size_t)argc + 1, sizeof *todo);
    size_t n = 0;
    int exit_code = todo ? CLI_EXIT_OK : CLI_EXIT_ERROR;
    for (int i = optind; todo && i < argc; i++) {
        const mdl_contract *c = mdl_contract_set_find(&set, argv[i]);
        static const char *const layers[] = {"silver", "gold", "bronze"};
        for (size_t l = 0; c == NULL && !strchr(argv[i], '.') && l < 3; l++) {
            char name[512];
            snprintf(name, sizeof name, "%s.%s", layers[l], argv[i]);
            c = mdl_contract_set_find(&set, name);
        }
        if (c == NULL) {
            fprintf(stderr, "medallion check: no contract for '%s' in %s\n", argv[i], contracts);
            exit_code = CLI_EXIT_USAGE;
        } else {
            todo[n++] = c;
        }
    }
    for (size_t i = 0; todo && optind == argc && i < set.count; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s/%s/_delta_log", qo.lake_root, set.items[i]->layer,
                 set.items[i]->name);
        FILE *f = fopen(path, "r");
        if (f != NULL) { /* only tables that exist */
            fclose(f);
            todo[n++] = set.items[i];
        }
    }
    char rid[37];
    if (run_id == NULL) {
        mdl_uuid u;
        if (mdl_uuid_v7(&ctx, &u, NULL) == MDL_OK)
            mdl_uuid_format(&u, rid);
        else
            snprintf(rid, sizeof rid, "check");
        run_id = rid;
    }
    static const char *const hdr[] = {"table",   "check", "severity", "status",
                                      "failing", "rows",  "details"};
    cli_table t;
    cli_table_init(&t, 7, hdr);
    size_t failed = 0, warned = 0, checks = 0;
    for (size_t i = 0; exit_code == CLI_EXIT_OK && i < n; i++) {
        mdl_quality_report r;
        if (mdl_quality_run(&ctx, todo[i], &qo, &r, &err) != MDL_OK) {
            fprintf(stderr, "medallion check: %s: %s\n", todo[i]->table, err.message);
            mdl_quality_report_free(&r);
            exit_code = CLI_EXIT_ERROR;
            break;
        }
        for (size_t k = 0; k < r.count; k++) {
            const mdl_check_result *x = &r.results[k];
            char failing[24] = "-", rows[24];
            if (x->failing >= 0)
                snprintf(failing, sizeof failing, "%" PRId64, x->failing);
            snprintf(rows, sizeof rows, "%" PRId64, x->total);
            char details[1024];
            snprintf(details, sizeof details, "%s%s%s", x->message ? x->message : "",
                     x->sample ? "; e.g. " : "", x->sample ? x->sample : "");
            const char *cells[7] = {
                todo[i]->table, x->name, x->severity, mdl_check_status_name(x->status),
                failing,        rows,    details};
            cli_table_add(&t, cells);
        }
        failed += r.failed;
        warned += r.warned;
        checks += r.count;
        if (record && mdl_quality_record(&ctx, qo.lake_root, run_id, &r, true, &err) != MDL_OK) {
            fprintf(stderr, "medallion check: recording the results: %s\n", err.message);
            exit_code = CLI_EXIT_ERROR;
        }
        mdl_quality_report_free(&r);
    }
    if (exit_code != CLI_EXIT_USAGE && checks > 0)
        cli_table_print(&t, stdout, 80);
    if (exit_code == CLI_EXIT_OK) {
        printf("%zu check(s) on %zu table(s): %zu failed, %zu warning(s)%s\n", checks, n, failed,
               warned, record && checks ? "; recorded in _medallion/dq_results" : "");
        if (failed > 0)
            exit_code = CLI_EXIT_QUALITY;
    }
    cli_table_free(&t);
    free(todo);
    mdl_contract_set_free(&set);
    return exit_code;
}
