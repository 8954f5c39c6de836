/*
 * cmd_build.c - `medallion build [MODEL...]`: runs the SQL of silver and gold models over the
 * lake and commits each result (docs/models.md). A summary table at the end; exit 1 when a
 * model failed (the others still run, in the order given or by layer: silver before gold).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "table.h"

static void usage(FILE *out)
{
    fprintf(
        out,
        "Usage: medallion build [MODEL...] [options]\n"
        "\n"
        "Build silver and gold tables from their SQL models: each model's query runs over\n"
        "the lake and its result replaces the table in one atomic commit. MODEL is\n"
        "layer.name or name (default: every silver model, then every gold model).\n"
        "\n"
        "Options:\n"
        "  --contracts DIR   the contracts (default lakehouse/contracts)\n"
        "  --models DIR      the SQL models, DIR/<layer>/<name>.sql (default lakehouse/models)\n"
        "  --lake DIR        the lake root (default lake)\n"
        "  --memory MB       working memory per sort, join or aggregate (default 512)\n"
        "  -h, --help        this help\n"
        "\n"
        "Example:\n"
        "  medallion build silver.orders\n");
}

int cmd_build(int argc, char **argv)
{
    const char *contracts = "lakehouse/contracts";
    mdl_build_options o;
    mdl_build_options_init(&o);
    enum { O_CONTRACTS = 256, O_MODELS, O_LAKE, O_MEMORY };
    static const struct option opts[] = {{"contracts", required_argument, 0, O_CONTRACTS},
                                         {"models", required_argument, 0, O_MODELS},
                                         {"lake", required_argument, 0, O_LAKE},
                                         {"memory", required_argument, 0, O_MEMORY},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        char *end;
        switch (ch) {
        case O_CONTRACTS:
            contracts = optarg;
            break;
        case O_MODELS:
            o.models_root = optarg;
            break;
        case O_LAKE:
            o.lake_root = optarg;
            break;
        case O_MEMORY: {
            unsigned long long mb = strtoull(optarg, &end, 10);
            if (*end != '\0' || mb == 0) {
                fprintf(stderr, "medallion build: --memory takes megabytes, not '%s'\n", optarg);
                return CLI_EXIT_USAGE;
            }
            o.memory_bytes = (size_t)mb << 20;
            break;
        }
        case 'h':
            usage(stdout);
            return CLI_EXIT_OK;
        default:
            fprintf(stderr, "Run 'medallion build --help' for the options.\n");
            return CLI_EXIT_USAGE;
        }
    }
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_error err = {0, ""};
    mdl_contract_set set;
    if (mdl_contract_set_load(&ctx, contracts, &set, &err) != MDL_OK) {
        fprintf(stderr, "medallion build: %s\n", err.message);
        return CLI_EXIT_ERROR;
    }
    const mdl_contract **todo = calloc(set.count + (size_t)argc + 1, sizeof *todo);
    size_t n = 0;
    int exit_code = CLI_EXIT_OK;
    for (int i = optind; todo != NULL && i < argc; i++) {
        const mdl_contract *c = mdl_contract_set_find(&set, argv[i]);
        for (const char *layer = "silver"; c == NULL && layer != NULL;
             layer = strcmp(layer, "silver") == 0 ? "gold" : NULL) {
            char name[512];
            snprintf(name, sizeof name, "%s.%s", layer, argv[i]);
            c = strchr(argv[i], '.') ? NULL : mdl_contract_set_find(&set, name);
        }
        if (c == NULL || c->has_source) {
            fprintf(stderr, "medallion build: no silver or gold contract for '%s' in %s\n", argv[i],
                    contracts);
            exit_code = CLI_EXIT_USAGE;
        } else {
            todo[n++] = c;
        }
    }
    for (int pass = 0; todo != NULL && optind == argc && pass < 2; pass++)
        for (size_t i = 0; i < set.count; i++)
            if (!set.items[i]->has_source &&
                strcmp(set.items[i]->layer, pass == 0 ? "silver" : "gold") == 0)
                todo[n++] = set.items[i];
    if (todo == NULL || exit_code != CLI_EXIT_OK) {
        free(todo);
        mdl_contract_set_free(&set);
        return todo == NULL ? CLI_EXIT_ERROR : exit_code;
    }
    static const char *const hdr[] = {"model", "rows", "version", "seconds", "status"};
    cli_table t;
    cli_table_init(&t, 5, hdr);
    for (size_t i = 0; i < n; i++) {
        mdl_build_result r;
        int rc = mdl_build_model(&ctx, todo[i], &o, &r, &err);
        char rows[24], ver[24], secs[24];
        snprintf(rows, sizeof rows, "%llu", (unsigned long long)r.rows_written);
        snprintf(ver, sizeof ver, "%lld", (long long)r.version);
        snprintf(secs, sizeof secs, "%.2f", r.seconds);
        const char *cells[5] = {todo[i]->table, rows, ver, secs, rc == MDL_OK ? "ok" : "FAILED"};
        cli_table_add(&t, cells);
        if (rc != MDL_OK) {
            fprintf(stderr, "medallion build: %s\n", err.message);
            exit_code = CLI_EXIT_ERROR;
        }
    }
    cli_table_print(&t, stdout, 60);
    cli_table_free(&t);
    free(todo);
    mdl_contract_set_free(&set);
    return exit_code;
}
