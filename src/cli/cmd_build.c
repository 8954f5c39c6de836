/*
 * cmd_build.c - `medallion build [MODEL...]`: runs the SQL of silver and gold models over the
 * lake and commits each result as its contract's materialization says (docs/models.md), after
 * its checks passed on the staged data (docs/quality.md). Models run in dependency order (a
 * model after the models its SQL reads); a model whose upstream failed is skipped. A summary
 * table at the end; exit 1 when a model failed, 3 when only quality checks failed.
 *
 * The masking key of `pii: hash` columns comes from $MEDALLION_PII_KEY. In the local
 * environment a fixed, published development key stands in when it is unset (so `make demo`
 * works on a laptop); in dev and prod a missing or short key stops the build before it reads
 * anything.
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
        "Build silver and gold tables from their SQL models, in dependency order. Each\n"
        "model's query runs over the lake, columns tagged pii are masked, and the result\n"
        "is committed as the contract's materialization says: table (replace), incremental\n"
        "(merge the rows new since the last build on unique_key) or scd2 (history). MODEL\n"
        "is layer.name or name (default: every silver and gold model).\n"
        "\n"
        "Write-audit-publish: each model's new data is staged and its contract's checks\n"
        "run on it first; a failed error-severity check leaves the table at its previous\n"
        "version (exit 3) and skips the models downstream. Results go to\n"
        "_medallion/dq_results.\n"
        "\n"
        "Environment:\n"
        "  MEDALLION_PII_KEY the key of pii: hash columns (HMAC-SHA-256); never printed\n"
        "\n"
        "Options:\n"
        "  --contracts DIR   the contracts (default lakehouse/contracts)\n"
        "  --models DIR      the SQL models, DIR/<layer>/<name>.sql (default lakehouse/models)\n"
        "  --lake DIR        the lake root (default lake)\n"
        "  --memory MB       working memory per sort, join or aggregate (default 512)\n"
        "  --env NAME        local (default), dev or prod: outside local the masking key\n"
        "                    $MEDALLION_PII_KEY (16+ bytes) is required\n"
        "  --as-of TS        the build time scd2 records (ISO 8601; default now)\n"
        "  --no-checks       publish without running the contract's checks\n"
        "  --no-record       do not append check results to _medallion/dq_results\n"
        "  -h, --help        this help\n"
        "\n"
        "Example:\n"
        "  medallion build silver.orders\n");
}

/* Does model i depend on model d: its SQL reads d, or (with_checks) one of its checks looks
 * into d? */
static bool depends(const mdl_contract *const *todo, const char *const *const *src,
                    const size_t *nsrc, size_t i, size_t d, bool with_checks)
{
    if (i == d)
        return false;
    for (size_t s = 0; s < nsrc[i]; s++)
        if (strcmp(todo[d]->table, src[i][s]) == 0)
            return true;
    for (size_t k = 0; with_checks && k < todo[i]->num_checks; k++) {
        char t[512];
        if (mdl_contract_check_target(&todo[i]->checks[k], t, sizeof t) &&
            strcmp(t, todo[d]->table) == 0)
            return true;
    }
    return false;
}

/* Kahn's algorithm; among the ready models silver before gold, then as listed. MDL_ERR_SCHEMA
 * on a cycle. */
static int kahn(const mdl_contract **todo, size_t n, const char *const *const *src,
                const size_t *nsrc, bool with_checks, const mdl_contract **ordered)
{
    bool *done = calloc(n + 1, sizeof *done);
    if (done == NULL)
        return MDL_ERR_NOMEM;
    int rc = MDL_OK;
    for (size_t k = 0; rc == MDL_OK && k < n; k++) {
        size_t pick = n;
        for (size_t pass_i = 0; pick == n && pass_i < 2 * n; pass_i++) {
            size_t i = pass_i % n;
            if (done[i] || (pass_i < n) != (strcmp(todo[i]->layer, "silver") == 0))
                continue;
            bool ready = true;
            for (size_t d = 0; ready && d < n; d++)
                ready = done[d] || !depends(todo, src, nsrc, i, d, with_checks);
            if (ready)
                pick = i;
        }
        if (pick == n)
            rc = MDL_ERR_SCHEMA;
        else
            done[pick] = true, ordered[k] = todo[pick];
    }
    free(done);
    return rc;
}

/* The models to build, in dependency order: Kahn's algorithm over the tables each model's
 * SQL reads (an upstream outside the selection is taken as built). A cycle is an error. */
static int order_models(mdl_ctx *ctx, const mdl_contract **todo, size_t n, const char *models,
                        const mdl_contract **ordered, mdl_error *err)
{
    char ***src = calloc(n + 1, sizeof *src);
    size_t *nsrc = calloc(n + 1, sizeof *nsrc);
    int rc = src && nsrc ? MDL_OK : mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    for (size_t i = 0; rc == MDL_OK && i < n; i++)
        rc = mdl_model_sources(ctx, todo[i], models, &src[i], &nsrc[i], err);
    /* The tables a model's checks look into (relationship, reconcile) come first too when
     * that makes no cycle, so the checks find them built in this run. */
    for (int pass = 0; rc == MDL_OK && pass < 2; pass++) {
        int orc = kahn(todo, n, (const char *const *const *)src, nsrc, pass == 0, ordered);
        if (orc == MDL_OK)
            break;
        if (pass == 1)
            rc = mdl_error_set(err, MDL_ERR_SCHEMA,
                               "the models read each other in a cycle; break it");
    }
    for (size_t i = 0; src != NULL && i < n; i++)
        mdl_free(ctx, src[i]);
    free(src);
    free(nsrc);
    return rc;
}

static int build_run(const char *contracts, const char *const *names, size_t num_names,
                     const mdl_build_options *o, bool no_record)
{
    size_t checks_failed = 0, checks_warned = 0;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    char run_id[37] = "build";
    mdl_uuid u;
    if (mdl_uuid_v7(&ctx, &u, NULL) == MDL_OK)
        mdl_uuid_format(&u, run_id);
    mdl_error err = {0, ""};
    mdl_contract_set set;
    if (mdl_contract_set_load(&ctx, contracts, &set, &err) != MDL_OK) {
        fprintf(stderr, "medallion build: %s\n", err.message);
        return CLI_EXIT_ERROR;
    }
    const mdl_contract **todo = calloc(set.count + num_names + 1, sizeof *todo);
    const mdl_contract **ordered = calloc(set.count + num_names + 1, sizeof *ordered);
    size_t n = 0;
    int exit_code = todo && ordered ? CLI_EXIT_OK : CLI_EXIT_ERROR;
    for (size_t i = 0; exit_code == CLI_EXIT_OK && i < num_names; i++) {
        const mdl_contract *c = mdl_contract_set_find(&set, names[i]);
        for (const char *layer = "silver"; c == NULL && layer != NULL;
             layer = strcmp(layer, "silver") == 0 ? "gold" : NULL) {
            char name[512];
            snprintf(name, sizeof name, "%s.%s", layer, names[i]);
            c = strchr(names[i], '.') ? NULL : mdl_contract_set_find(&set, name);
        }
        if (c == NULL || c->has_source) {
            fprintf(stderr, "medallion build: no silver or gold contract for '%s' in %s\n",
                    names[i], contracts);
            exit_code = CLI_EXIT_USAGE;
        } else {
            todo[n++] = c;
        }
    }
    for (size_t i = 0; exit_code == CLI_EXIT_OK && num_names == 0 && i < set.count; i++)
        if (!set.items[i]->has_source)
            todo[n++] = set.items[i];
    if (exit_code == CLI_EXIT_OK &&
        order_models(&ctx, todo, n, o->models_root, ordered, &err) != MDL_OK) {
        fprintf(stderr, "medallion build: %s\n", err.message);
        exit_code = CLI_EXIT_ERROR;
    }
    static const char *const hdr[] = {"model",    "materialized", "rows written",
                                      "inserted", "updated",      "deleted",
                                      "version",  "seconds",      "status"};
    cli_table t;
    cli_table_init(&t, 9, hdr);
    char **failed = calloc(n + 1, sizeof *failed);
    size_t num_failed = 0;
    for (size_t i = 0; exit_code != CLI_EXIT_USAGE && failed && i < n; i++) {
        const mdl_contract *c = ordered[i];
        /* a model reading a table that failed in this run is skipped: it would publish a
         * result computed from stale input */
        char **src = NULL;
        size_t nsrc = 0;
        const char *blocked = NULL;
        if (mdl_model_sources(&ctx, c, o->models_root, &src, &nsrc, &err) == MDL_OK)
            for (size_t s = 0; blocked == NULL && s < nsrc; s++)
                for (size_t f = 0; blocked == NULL && f < num_failed; f++)
                    if (strcmp(src[s], failed[f]) == 0)
                        blocked = failed[f];
        mdl_free(&ctx, src);
        mdl_build_result r;
        memset(&r, 0, sizeof r);
        r.version = -1;
        int rc = MDL_OK;
        if (blocked != NULL) {
            fprintf(stderr, "medallion build: %s skipped: its upstream %s failed\n", c->table,
                    blocked);
            rc = MDL_ERR_SCHEMA;
        } else {
            rc = mdl_build_model(&ctx, c, o, &r, &err);
            if (rc != MDL_OK)
                fprintf(stderr, "medallion build: %s\n", err.message);
            for (size_t k = 0; r.checked && k < r.quality.count; k++) {
                const mdl_check_result *x = &r.quality.results[k];
                if (x->status != MDL_CHECK_PASS)
                    fprintf(stderr, "medallion build: %s: %s %s: %s%s%s\n", c->table, x->severity,
                            x->name, x->message ? x->message : "", x->sample ? "; e.g. " : "",
                            x->sample ? x->sample : "");
            }
            mdl_error rerr;
            if (r.checked && !no_record &&
                mdl_quality_record(&ctx, o->lake_root, run_id, &r.quality, r.published, &rerr) !=
                    MDL_OK)
                fprintf(stderr, "medallion build: %s: recording check results: %s\n", c->table,
                        rerr.message);
            checks_failed += r.checked ? r.quality.failed : 0;
            checks_warned += r.checked ? r.quality.warned : 0;
            mdl_quality_report_free(&r.quality);
        }
        if (rc != MDL_OK) {
            failed[num_failed++] = c->table;
            /* a skipped model adds nothing to its upstream's exit status */
            if (blocked == NULL && exit_code != CLI_EXIT_ERROR)
                exit_code = rc == MDL_ERR_QUALITY ? CLI_EXIT_QUALITY : CLI_EXIT_ERROR;
        }
        char rows[24], ins[24], upd[24], del[24], ver[24], secs[24];
        snprintf(rows, sizeof rows, "%llu", (unsigned long long)r.rows_written);
        snprintf(ins, sizeof ins, "%llu", (unsigned long long)r.inserted);
        snprintf(upd, sizeof upd, "%llu", (unsigned long long)r.updated);
        snprintf(del, sizeof del, "%llu", (unsigned long long)r.deleted);
        snprintf(ver, sizeof ver, "%lld", (long long)r.version);
        snprintf(secs, sizeof secs, "%.2f", r.seconds);
        const char *status = blocked                 ? "skipped"
                             : rc == MDL_ERR_QUALITY ? "FAILED checks"
                             : rc                    ? "FAILED"
                             : r.up_to_date          ? "up to date"
                                                     : "ok";
        const char *cells[9] = {c->table, c->materialized, rows, ins, upd, del, ver, secs, status};
        cli_table_add(&t, cells);
    }
    if (n > 0 && exit_code != CLI_EXIT_USAGE) {
        cli_table_print(&t, stdout, 60);
        if (checks_failed + checks_warned > 0 || exit_code == CLI_EXIT_QUALITY)
            printf("checks: %zu failed, %zu warning(s)%s\n", checks_failed, checks_warned,
                   no_record ? "" : " (recorded in _medallion/dq_results)");
    }
    cli_table_free(&t);
    free(failed);
    free(todo);
    free(ordered);
    mdl_contract_set_free(&set);
    return exit_code;
}

int cmd_build(int argc, char **argv)
{
    const char *contracts = "lakehouse/contracts";
    mdl_build_options o;
    mdl_build_options_init(&o);
    const char *env = "local";
    bool no_record = false;
    enum { O_CONTRACTS = 256, O_MODELS, O_LAKE, O_MEMORY, O_ENV, O_ASOF, O_NOCHECKS, O_NOREC };
    static const struct option opts[] = {{"contracts", required_argument, 0, O_CONTRACTS},
                                         {"models", required_argument, 0, O_MODELS},
                                         {"lake", required_argument, 0, O_LAKE},
                                         {"memory", required_argument, 0, O_MEMORY},
                                         {"env", required_argument, 0, O_ENV},
                                         {"as-of", required_argument, 0, O_ASOF},
                                         {"no-checks", no_argument, 0, O_NOCHECKS},
                                         {"no-record", no_argument, 0, O_NOREC},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
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
        case O_MEMORY:
            if (cli_parse_megabytes("build", optarg, &o.memory_bytes) != 0)
                return CLI_EXIT_USAGE;
            break;
        case O_NOCHECKS:
            o.skip_checks = true;
            break;
        case O_NOREC:
            no_record = true;
            break;
        case O_ENV:
            if (strcmp(optarg, "local") != 0 && strcmp(optarg, "dev") != 0 &&
                strcmp(optarg, "prod") != 0) {
                fprintf(stderr, "medallion build: --env is local, dev or prod, not '%s'\n", optarg);
                return CLI_EXIT_USAGE;
            }
            env = optarg;
            break;
        case O_ASOF:
            if (mdl_timestamp_parse(optarg, strlen(optarg), &o.now_us) != MDL_OK) {
                fprintf(stderr,
                        "medallion build: --as-of takes an ISO 8601 timestamp "
                        "(2024-05-01T00:00:00Z), not '%s'\n",
                        optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'h':
            usage(stdout);
            return CLI_EXIT_OK;
        default:
            fprintf(stderr, "Run 'medallion build --help' for the options.\n");
            return CLI_EXIT_USAGE;
        }
    }
    const char *key = getenv("MEDALLION_PII_KEY");
    if (key != NULL && *key == '\0')
        key = NULL;
    if (key == NULL && strcmp(env, "local") == 0) {
        key = CLI_LOCAL_PII_KEY;
    } else if (key == NULL || strlen(key) < 16) {
        fprintf(stderr,
                "medallion build: the %s environment needs a masking key of 16 or more bytes in "
                "MEDALLION_PII_KEY (%s); nothing was built\n",
                env, key == NULL ? "it is not set" : "it is too short");
        return CLI_EXIT_ERROR;
    }
    o.pii_key = key;
    o.pii_key_len = strlen(key);
    if (optind == argc)
        return build_run(contracts, NULL, 0, &o, no_record);
    return build_run(contracts, (const char *const *)argv + optind, (size_t)(argc - optind), &o,
                     no_record);
}
