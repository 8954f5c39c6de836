/*
 * cmd_convert.c - `medallion convert IN OUT`: streams a CSV, JSON-lines or Parquet file into
 * Parquet (or CSV / JSON lines), batch by batch, in bounded memory. Rows the reader rejects
 * are counted and listed; the output is written atomically (a temporary file renamed into
 * place), so a failed conversion leaves nothing behind.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "table.h"

static void convert_usage(FILE *out)
{
    fprintf(out,
            "Usage: medallion convert IN OUT [options]\n"
            "\n"
            "Converts between CSV, JSON lines and Parquet. Formats come from the extensions\n"
            "(.csv, .jsonl/.ndjson/.json, .parquet) unless --from / --to say otherwise.\n"
            "The output appears only when the conversion succeeds.\n"
            "\n"
            "Input:\n"
            "  --from csv|jsonl|parquet  input format\n"
            "  --schema TEXT          column types, e.g. \"id int64 not null, amount "
            "decimal(12,2)\";\n"
            "                         CSV without it infers types; JSON lines needs it\n"
            "  --delimiter C, --quote C, --no-header, --null TOKEN   CSV options (see 'read')\n"
            "  --path COL=PATH        JSON: take COL from a dotted path\n"
            "  --columns A,B,...      Parquet input: read only these columns\n"
            "  --strict               stop at the first row that cannot be read\n"
            "Output:\n"
            "  --to parquet|csv|jsonl output format (CSV and JSON lines read back to the same\n"
            "                         values: NULL and \"\" stay distinct, decimals stay exact)\n"
            "  --codec NAME           Parquet codec: zstd (default), snappy, gzip, lz4_raw, none\n"
            "  --level N              codec level (zstd default 3)\n"
            "  --row-group-mb N       close a row group past N MiB of data (default 128)\n"
            "  --row-group-rows N     ... or past N rows (default: no limit)\n"
            "  --no-dictionary        PLAIN encoding only\n"
            "  --dictionary-kb N      dictionary size limit per column chunk before falling back\n"
            "                         to PLAIN (default 1024)\n"
            "  --quiet                no progress line\n"
            "  -h, --help             this help\n"
            "\n"
            "Exit codes: 0 converted (rejected rows are listed, not fatal), 1 error, 2 usage.\n"
            "\n"
            "Examples:\n"
            "  medallion convert orders.csv orders.parquet --schema \"order_id string not null, "
            "qty int32\"\n"
            "  medallion convert events.jsonl events.parquet --schema \"id string, ts timestamp\" "
            "--codec snappy\n"
            "  medallion convert orders.parquet orders.csv\n");
}

#define MAX_LIST 64

typedef struct convert_args {
    const char *in, *out, *from, *to, *schema, *codec;
    char delimiter, quote;
    bool no_header, strict, quiet, no_dict;
    const char *nulls[MAX_LIST];
    size_t num_nulls;
    mdl_json_column_map paths[MAX_LIST];
    size_t num_paths;
    const char *columns[MAX_LIST];
    size_t num_columns;
    long level, rg_mb, rg_rows, dict_kb;
} convert_args;

static int parse_number(const char *opt, const char *v, long min, long *out)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (*end != '\0' || n < min) {
        fprintf(stderr, "medallion convert: %s takes a number >= %ld (got '%s')\n", opt, min, v);
        return -1;
    }
    *out = n;
    return 0;
}

static int parse_args(int argc, char **argv, convert_args *a)
{
    enum {
        O_FROM = 256,
        O_TO,
        O_SCHEMA,
        O_DELIM,
        O_QUOTE,
        O_NOHEADER,
        O_NULL,
        O_PATH,
        O_COLUMNS,
        O_STRICT,
        O_CODEC,
        O_LEVEL,
        O_RGMB,
        O_RGROWS,
        O_NODICT,
        O_DICTKB,
        O_QUIET
    };
    static const struct option opts[] = {
        {"from", required_argument, 0, O_FROM},
        {"to", required_argument, 0, O_TO},
        {"schema", required_argument, 0, O_SCHEMA},
        {"delimiter", required_argument, 0, O_DELIM},
        {"quote", required_argument, 0, O_QUOTE},
        {"no-header", no_argument, 0, O_NOHEADER},
        {"null", required_argument, 0, O_NULL},
        {"path", required_argument, 0, O_PATH},
        {"columns", required_argument, 0, O_COLUMNS},
        {"strict", no_argument, 0, O_STRICT},
        {"codec", required_argument, 0, O_CODEC},
        {"level", required_argument, 0, O_LEVEL},
        {"row-group-mb", required_argument, 0, O_RGMB},
        {"row-group-rows", required_argument, 0, O_RGROWS},
        {"no-dictionary", no_argument, 0, O_NODICT},
        {"dictionary-kb", required_argument, 0, O_DICTKB},
        {"quiet", no_argument, 0, O_QUIET},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    memset(a, 0, sizeof *a);
    a->delimiter = ',';
    a->quote = '"';
    a->codec = "zstd";
    a->rg_mb = 128;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case O_FROM:
            a->from = optarg;
            break;
        case O_TO:
            a->to = optarg;
            break;
        case O_SCHEMA:
            a->schema = optarg;
            break;
        case O_DELIM:
            if (cli_parse_char("convert", "--delimiter", optarg, &a->delimiter) != 0)
                return CLI_EXIT_USAGE;
            break;
        case O_QUOTE:
            if (cli_parse_char("convert", "--quote", optarg, &a->quote) != 0)
                return CLI_EXIT_USAGE;
            break;
        case O_NOHEADER:
            a->no_header = true;
            break;
        case O_NULL:
            if (a->num_nulls < MAX_LIST)
                a->nulls[a->num_nulls++] = optarg;
            break;
        case O_PATH: {
            char *eq = strchr(optarg, '=');
            if (eq == NULL || eq == optarg || a->num_paths == MAX_LIST) {
                fprintf(stderr, "medallion convert: --path takes COLUMN=PATH\n");
                return CLI_EXIT_USAGE;
            }
            *eq = '\0';
            a->paths[a->num_paths].column = optarg;
            a->paths[a->num_paths++].path = eq + 1;
            break;
        }
        case O_COLUMNS:
            for (char *tok = strtok(optarg, ","); tok && a->num_columns < MAX_LIST;
                 tok = strtok(NULL, ","))
                a->columns[a->num_columns++] = tok;
            break;
        case O_STRICT:
            a->strict = true;
            break;
        case O_CODEC:
            a->codec = optarg;
            break;
        case O_LEVEL: {
            char *end;
            a->level = strtol(optarg, &end, 10);
            if (*end != '\0') {
                fprintf(stderr, "medallion convert: --level takes a number\n");
                return CLI_EXIT_USAGE;
            }
            break;
        }
        case O_RGMB:
            if (parse_number("--row-group-mb", optarg, 1, &a->rg_mb) != 0)
                return CLI_EXIT_USAGE;
            break;
        case O_RGROWS:
            if (parse_number("--row-group-rows", optarg, 1, &a->rg_rows) != 0)
                return CLI_EXIT_USAGE;
            break;
        case O_NODICT:
            a->no_dict = true;
            break;
        case O_DICTKB:
            if (parse_number("--dictionary-kb", optarg, 1, &a->dict_kb) != 0)
                return CLI_EXIT_USAGE;
            break;
        case O_QUIET:
            a->quiet = true;
            break;
        case 'h':
            convert_usage(stdout);
            return -1;
        default:
            fprintf(stderr, "Run 'medallion convert --help' for the options.\n");
            return CLI_EXIT_USAGE;
        }
    }
    if (optind != argc - 2) {
        fprintf(stderr, "medallion convert: expected IN and OUT\n"
                        "Run 'medallion convert --help' for the options.\n");
        return CLI_EXIT_USAGE;
    }
    a->in = argv[optind];
    a->out = argv[optind + 1];
    if (a->from == NULL)
        a->from = cli_format_of(a->in);
    if (a->to == NULL)
        a->to = cli_format_of(a->out);
    if (a->from == NULL || a->to == NULL) {
        fprintf(stderr,
                "medallion convert: cannot tell the %s format from its extension; "
                "use --%s csv|jsonl|parquet\n",
                a->from == NULL ? "input" : "output", a->from == NULL ? "from" : "to");
        return CLI_EXIT_USAGE;
    }
    if (strcmp(a->from, "jsonl") == 0 && a->schema == NULL) {
        fprintf(stderr, "medallion convert: JSON lines input needs --schema\n");
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* Opens the input as a batch stream with the command's reader options. */
static int open_input(mdl_ctx *ctx, const convert_args *a, mdl_schema *schema, cli_reject_count *rj,
                      mdl_batch_stream **out, mdl_error *err)
{
    mdl_csv_options csv;
    mdl_csv_options_init(&csv);
    csv.delimiter = a->delimiter;
    csv.quote = a->quote;
    csv.header = !a->no_header;
    if (a->num_nulls) {
        csv.null_tokens = a->nulls;
        csv.num_null_tokens = a->num_nulls;
    }
    mdl_json_options json;
    mdl_json_options_init(&json);
    json.paths = a->paths;
    json.num_paths = a->num_paths;
    if (!a->strict) {
        csv.on_reject = json.on_reject = cli_count_reject;
        csv.reject_payload = json.reject_payload = rj;
    }
    mdl_parquet_read_options pq;
    memset(&pq, 0, sizeof pq);
    pq.columns = a->num_columns ? a->columns : NULL;
    pq.num_columns = a->num_columns;
    return cli_open_input(ctx, a->in, a->from, schema, &csv, &json, &pq, out, err);
}

int cmd_convert(int argc, char **argv)
{
    convert_args a;
    int prc = parse_args(argc, argv, &a);
    if (prc != CLI_EXIT_OK)
        return prc < 0 ? CLI_EXIT_OK : prc;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_error err = {0, ""};
    int exit_code = CLI_EXIT_ERROR;
    mdl_schema *schema = NULL;
    mdl_batch_stream *in = NULL;
    mdl_parquet_writer *w = NULL;
    mdl_text_writer *tw = NULL;
    bool to_parquet = strcmp(a.to, "parquet") == 0;
    cli_reject_count rj = {0, 0};

    mdl_parquet_write_options wo;
    mdl_parquet_write_options_init(&wo);
    if (mdl_codec_parse(a.codec, &wo.codec, &err) != MDL_OK) {
        fprintf(stderr, "medallion convert: --codec: %s\n", err.message);
        return CLI_EXIT_USAGE;
    }
    wo.level = (int)a.level;
    wo.row_group_bytes = (size_t)a.rg_mb << 20;
    wo.row_group_rows = (size_t)a.rg_rows;
    wo.dictionary = !a.no_dict;
    if (a.dict_kb > 0)
        wo.dictionary_bytes = (size_t)a.dict_kb << 10;

    if (a.schema != NULL && mdl_schema_parse(&ctx, a.schema, &schema, &err) != MDL_OK) {
        fprintf(stderr, "medallion convert: --schema: %s\n", err.message);
        exit_code = CLI_EXIT_USAGE;
        goto cleanup;
    }
    if (open_input(&ctx, &a, schema, &rj, &in, &err) != MDL_OK) {
        fprintf(stderr, "medallion convert: %s\n", err.message);
        goto cleanup;
    }
    mdl_output *out;
    int orc = mdl_output_open_file(&ctx, a.out, &out, &err);
    if (orc == MDL_OK)
        orc = to_parquet ? mdl_parquet_writer_open(&ctx, out, in->schema, &wo, &w, &err)
              : strcmp(a.to, "csv") == 0
                  ? mdl_csv_writer_open(&ctx, out, in->schema, a.delimiter, &tw, &err)
                  : mdl_json_writer_open(&ctx, out, in->schema, &tw, &err);
    if (orc != MDL_OK) {
        fprintf(stderr, "medallion convert: %s\n", err.message);
        goto cleanup;
    }
    struct stat st;
    uint64_t total = stat(a.in, &st) == 0 ? (uint64_t)st.st_size : 0;
    bool progress = !a.quiet && isatty(STDERR_FILENO);
    double t0 = cli_now_seconds(), last = t0;
    uint64_t rows = 0;
    mdl_batch *b;
    int rc;
    while ((rc = mdl_batch_stream_next(in, &b, &err)) == MDL_OK && b != NULL) {
        rows += b->num_rows;
        rc = to_parquet ? mdl_parquet_writer_write(w, b, &err) : mdl_text_writer_write(tw, b, &err);
        mdl_batch_free(b);
        if (rc != MDL_OK)
            break;
        double t = cli_now_seconds();
        if (progress && t - last >= 0.25) {
            fprintf(stderr, "\r  converting %s: %llu rows, %.1f s   ", a.in,
                    (unsigned long long)rows, t - t0);
            last = t;
        }
    }
    if (progress)
        fprintf(stderr, "\r\033[K");
    if (rc != MDL_OK) {
        fprintf(stderr, "medallion convert: %s\n", err.message);
        goto cleanup;
    }
    uint64_t wrote_rows = rows, bytes = 0;
    if (to_parquet) {
        rc = mdl_parquet_writer_close(w, &wrote_rows, &bytes, &err);
        w = NULL;
    } else {
        rc = mdl_text_writer_close(tw, &err);
        tw = NULL;
        struct stat ost;
        bytes = stat(a.out, &ost) == 0 ? (uint64_t)ost.st_size : 0;
    }
    if (rc != MDL_OK) {
        fprintf(stderr, "medallion convert: %s\n", err.message);
        goto cleanup;
    }
    double secs = cli_now_seconds() - t0;
    printf("%s -> %s: %llu rows written, %llu rejected, %.1f MB in, %.1f MB out, %.2f s "
           "(%.2f M rows/s)\n",
           a.in, a.out, (unsigned long long)wrote_rows, (unsigned long long)rj.count,
           (double)total / 1e6, (double)bytes / 1e6, secs,
           secs > 0 ? (double)wrote_rows / 1e6 / secs : 0.0);
    exit_code = CLI_EXIT_OK;
cleanup:
    mdl_parquet_writer_abort(w);
    mdl_text_writer_abort(tw);
    mdl_batch_stream_release(in);
    mdl_schema_release(schema);
    return exit_code;
}
