/*
 * cmd_ingest.c - `medallion ingest [TABLE...]`: bronze ingestion of the landing files the
 * bronze contracts name (docs/ingest.md). A progress bar per table on a terminal, plain lines
 * otherwise, a summary table (or --json) at the end; exit 1 when a table failed, after the
 * others have run.
 */
#include <getopt.h>
#include <json-c/json.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "table.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: medallion ingest [TABLE...] [options]\n"
            "\n"
            "Ingest the landing files of bronze tables: read each file a contract's source\n"
            "names with the contract's types, send the rows that break the contract to\n"
            "quarantine/<name> (with reason, column, value, file and line), add\n"
            "_ingestion_ts, _source_system, _batch_id, _source_file and _ingest_date, and\n"
            "append the rest to bronze/<name> in the lake, one commit per file. Files a\n"
            "table already has are skipped, so a re-run ingests only new files.\n"
            "Each file is written, checked and only then committed: its rows are staged, the\n"
            "contract's checks run on them (docs/quality.md) and a failed error check leaves\n"
            "nothing of that file in the lake (read again next time). Check results go to\n"
            "_medallion/dq_results under the batch id.\n"
            "\n"
            "TABLE is bronze.NAME or NAME (default: every bronze contract).\n"
            "\n"
            "Options:\n"
            "  --contracts DIR   the contracts (default lakehouse/contracts)\n"
            "  --landing DIR     the landing zone the source paths are relative to\n"
            "                    (default landing)\n"
            "  --lake DIR        the lake root (default lake)\n"
            "  --codec C         data file codec: zstd (default), snappy, gzip, lz4, none\n"
            "  --no-checks       commit without running the contract's checks (emergencies)\n"
            "  --json            print the summary as JSON on stdout\n"
            "  --quiet           no progress\n"
            "  -h, --help        this help\n"
            "\n"
            "Exit status: 0 every table ingested, 1 a table failed (the others still run),\n"
            "2 usage, 3 only quality checks failed.\n"
            "\n"
            "Example:\n"
            "  medallion generate --scale 0.1 --seed 7 --out landing\n"
            "  medallion ingest                       # all nine bronze tables into ./lake\n"
            "  medallion ingest crm_accounts --json   # one table, machine-readable summary\n");
}

typedef struct progress_state {
    bool tty;
    double start, last;
    const char *table;
} progress_state;

static void on_progress(void *user, const mdl_ingest_progress *p)
{
    progress_state *s = user;
    double now = cli_now_seconds();
    if (!s->tty || now - s->last < 0.2)
        return;
    s->last = now;
    double frac = p->bytes_total ? (double)p->bytes_done / (double)p->bytes_total : 0;
    if (frac > 1)
        frac = 1;
    double el = now - s->start;
    double rate = el > 0 ? (double)p->rows_read / el : 0;
    double eta = frac > 0.01 ? el * (1 - frac) / frac : 0;
    char done[32], total[32];
    cli_human_bytes(p->bytes_done, done, sizeof done);
    cli_human_bytes(p->bytes_total, total, sizeof total);
    char bar[21];
    int fill = (int)(frac * 20);
    for (int i = 0; i < 20; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[20] = '\0';
    fprintf(stderr, "\r%-28.28s [%s] %3d%% %s/%s %.0f rows/s ETA %.0fs file %zu/%zu   ", p->table,
            bar, (int)(frac * 100), done, total, rate, eta, p->file_index + 1, p->num_files);
    fflush(stderr);
}

static int parse_codec(const char *s, mdl_codec *out)
{
    static const struct {
        const char *name;
        mdl_codec codec;
    } codecs[] = {{"zstd", MDL_CODEC_ZSTD},
                  {"snappy", MDL_CODEC_SNAPPY},
                  {"gzip", MDL_CODEC_GZIP},
                  {"lz4", MDL_CODEC_LZ4_RAW},
                  {"none", MDL_CODEC_UNCOMPRESSED}};
    for (size_t i = 0; i < sizeof codecs / sizeof codecs[0]; i++)
        if (strcmp(s, codecs[i].name) == 0) {
            *out = codecs[i].codec;
            return 0;
        }
    return -1;
}

int cmd_ingest(int argc, char **argv)
{
    const char *contracts = "lakehouse/contracts";
    bool json = false, quiet = false;
    mdl_ingest_options o;
    mdl_ingest_options_init(&o);
    enum { O_CONTRACTS = 256, O_LANDING, O_LAKE, O_CODEC, O_JSON, O_QUIET, O_NO_CHECKS };
    static const struct option opts[] = {{"contracts", required_argument, 0, O_CONTRACTS},
                                         {"landing", required_argument, 0, O_LANDING},
                                         {"lake", required_argument, 0, O_LAKE},
                                         {"codec", required_argument, 0, O_CODEC},
                                         {"json", no_argument, 0, O_JSON},
                                         {"quiet", no_argument, 0, O_QUIET},
                                         {"no-checks", no_argument, 0, O_NO_CHECKS},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case O_CONTRACTS:
            contracts = optarg;
            break;
        case O_LANDING:
            o.landing_root = optarg;
            break;
        case O_LAKE:
            o.lake_root = optarg;
            break;
        case O_CODEC:
            if (parse_codec(optarg, &o.parquet.codec) != 0) {
                fprintf(stderr,
                        "medallion ingest: unknown codec '%s' (zstd, snappy, gzip, lz4, "
                        "none)\n",
                        optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case O_JSON:
            json = true;
            break;
        case O_QUIET:
            quiet = true;
            break;
        case O_NO_CHECKS:
            o.skip_checks = true;
            break;
        case 'h':
            usage(stdout);
            return CLI_EXIT_OK;
        default:
            fprintf(stderr, "Run 'medallion ingest --help' for the options.\n");
            return CLI_EXIT_USAGE;
        }
    }
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_error err = {0, ""};
    mdl_contract_set set;
    if (mdl_contract_set_load(&ctx, contracts, &set, &err) != MDL_OK) {
        fprintf(stderr, "medallion ingest: %s\n", err.message);
        return CLI_EXIT_ERROR;
    }
    /* the tables to ingest: the named ones, or every bronze contract with a source */
    const mdl_contract **todo = calloc(set.count + (size_t)argc + 1, sizeof *todo);
    size_t n = 0;
    int exit_code = CLI_EXIT_OK;
    if (todo == NULL) {
        fprintf(stderr, "medallion ingest: out of memory\n");
        mdl_contract_set_free(&set);
        return CLI_EXIT_ERROR;
    }
    for (int i = optind; i < argc; i++) {
        char name[512];
        snprintf(name, sizeof name, "%s%s", strchr(argv[i], '.') ? "" : "bronze.", argv[i]);
        const mdl_contract *c = mdl_contract_set_find(&set, name);
        if (c == NULL || !c->has_source) {
            fprintf(stderr,
                    "medallion ingest: no bronze contract for '%s' in %s (the bronze tables are "
                    "lakehouse/contracts/bronze/*.yaml)\n",
                    argv[i], contracts);
            exit_code = CLI_EXIT_USAGE;
        } else {
            todo[n++] = c;
        }
    }
    if (optind == argc)
        for (size_t i = 0; i < set.count; i++)
            if (set.items[i]->has_source)
                todo[n++] = set.items[i];
    if (exit_code != CLI_EXIT_OK) {
        free(todo);
        mdl_contract_set_free(&set);
        return exit_code;
    }
    /* one batch id for the whole run */
    mdl_uuid u;
    char batch[37];
    if (mdl_uuid_v7(&ctx, &u, &err) != MDL_OK) {
        fprintf(stderr, "medallion ingest: %s\n", err.message);
        free(todo);
        mdl_contract_set_free(&set);
        return CLI_EXIT_ERROR;
    }
    mdl_uuid_format(&u, batch);
    o.batch_id = batch;
    o.dq_run_id = batch;
    o.ingestion_ts = mdl_now_micros();
    progress_state ps = {!quiet && !json && isatty(STDERR_FILENO), 0, 0, NULL};
    o.progress = on_progress;
    o.progress_user = &ps;

    mdl_ingest_result *res = calloc(n ? n : 1, sizeof *res);
    char(*errors)[MDL_ERROR_MESSAGE_SIZE] = calloc(n ? n : 1, sizeof *errors);
    for (size_t i = 0; res != NULL && errors != NULL && i < n; i++) {
        ps.start = cli_now_seconds();
        ps.last = 0;
        if (!quiet && !json && !ps.tty)
            fprintf(stderr, "ingesting %s\n", todo[i]->table);
        if (mdl_ingest_table(&ctx, todo[i], &o, &res[i], &err) != MDL_OK) {
            snprintf(errors[i], sizeof errors[i], "%s", err.message);
            /* quality alone is 3; any other failure makes the run 1 */
            if (err.code == MDL_ERR_QUALITY && exit_code != CLI_EXIT_ERROR)
                exit_code = CLI_EXIT_QUALITY;
            else
                exit_code = CLI_EXIT_ERROR;
        }
        if (ps.tty)
            fprintf(stderr, "\r\033[K");
        if (errors[i][0] != '\0')
            fprintf(stderr, "medallion ingest: %s\n", errors[i]);
        else if (!quiet && !json)
            fprintf(stderr,
                    "%s: %zu file(s) ingested, %zu skipped; %llu rows read, %llu written, %llu "
                    "quarantined; %zu check warning(s) (%.1f s)\n",
                    todo[i]->table, res[i].files_ingested, res[i].files_skipped,
                    (unsigned long long)res[i].rows_read, (unsigned long long)res[i].rows_written,
                    (unsigned long long)res[i].rows_quarantined, res[i].checks_warned,
                    res[i].seconds);
    }
    if (res == NULL || errors == NULL) {
        fprintf(stderr, "medallion ingest: out of memory\n");
        exit_code = CLI_EXIT_ERROR;
    } else if (json) {
        json_object *arr = json_object_new_array();
        for (size_t i = 0; i < n; i++) {
            json_object *t = json_object_new_object();
            json_object_object_add(t, "table", json_object_new_string(todo[i]->table));
            json_object_object_add(t, "status",
                                   json_object_new_string(errors[i][0] ? "failed" : "ok"));
            json_object_object_add(t, "files_matched",
                                   json_object_new_int64((int64_t)res[i].files_matched));
            json_object_object_add(t, "files_ingested",
                                   json_object_new_int64((int64_t)res[i].files_ingested));
            json_object_object_add(t, "files_skipped",
                                   json_object_new_int64((int64_t)res[i].files_skipped));
            json_object_object_add(t, "rows_read",
                                   json_object_new_int64((int64_t)res[i].rows_read));
            json_object_object_add(t, "rows_written",
                                   json_object_new_int64((int64_t)res[i].rows_written));
            json_object_object_add(t, "rows_quarantined",
                                   json_object_new_int64((int64_t)res[i].rows_quarantined));
            json_object_object_add(t, "bytes_read",
                                   json_object_new_int64((int64_t)res[i].bytes_read));
            json_object_object_add(t, "columns_added",
                                   json_object_new_int64((int64_t)res[i].columns_added));
            json_object_object_add(t, "version", json_object_new_int64(res[i].version));
            json_object_object_add(t, "checks_failed",
                                   json_object_new_int64((int64_t)res[i].checks_failed));
            json_object_object_add(t, "checks_warned",
                                   json_object_new_int64((int64_t)res[i].checks_warned));
            json_object_object_add(
                t, "seconds",
                json_object_new_double((double)(int64_t)(res[i].seconds * 1000 + 0.5) / 1000));
            json_object_object_add(t, "error",
                                   errors[i][0] ? json_object_new_string(errors[i]) : NULL);
            json_object_array_add(arr, t);
        }
        json_object *top = json_object_new_object();
        json_object_object_add(top, "batch_id", json_object_new_string(batch));
        json_object_object_add(top, "tables", arr);
        printf("%s\n", json_object_to_json_string_ext(top, JSON_C_TO_STRING_PRETTY |
                                                               JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(top);
    } else if (!quiet) {
        static const char *const hdr[] = {"table",   "files",       "skipped", "rows in",
                                          "written", "quarantined", "seconds", "status"};
        cli_table t;
        cli_table_init(&t, 8, hdr);
        uint64_t tin = 0, tw = 0, tq = 0;
        double ts = 0;
        for (size_t i = 0; i < n; i++) {
            char f[24], sk[24], in[24], w[24], q[24], s[24];
            snprintf(f, sizeof f, "%zu", res[i].files_ingested);
            snprintf(sk, sizeof sk, "%zu", res[i].files_skipped);
            snprintf(in, sizeof in, "%llu", (unsigned long long)res[i].rows_read);
            snprintf(w, sizeof w, "%llu", (unsigned long long)res[i].rows_written);
            snprintf(q, sizeof q, "%llu", (unsigned long long)res[i].rows_quarantined);
            snprintf(s, sizeof s, "%.2f", res[i].seconds);
            const char *cells[8] = {
                todo[i]->table, f, sk, in, w, q, s, errors[i][0] ? "FAILED" : "ok"};
            cli_table_add(&t, cells);
            tin += res[i].rows_read;
            tw += res[i].rows_written;
            tq += res[i].rows_quarantined;
            ts += res[i].seconds;
        }
        char in[24], w[24], q[24], s[24];
        snprintf(in, sizeof in, "%llu", (unsigned long long)tin);
        snprintf(w, sizeof w, "%llu", (unsigned long long)tw);
        snprintf(q, sizeof q, "%llu", (unsigned long long)tq);
        snprintf(s, sizeof s, "%.2f", ts);
        const char *total[8] = {"total", "", "", in, w, q, s, ""};
        cli_table_add(&t, total);
        printf("\nbatch %s -> %s\n", batch, o.lake_root);
        cli_table_print(&t, stdout, 60);
        cli_table_free(&t);
    }
    free(res);
    free(errors);
    free(todo);
    mdl_contract_set_free(&set);
    return exit_code;
}
