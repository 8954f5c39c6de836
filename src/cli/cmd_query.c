/*
 * cmd_query.c - `medallion query "SQL"`: a query over the lake's tables (docs/sql.md), its
 * rows as a table on a terminal (or when asked), CSV, JSON lines or a Parquet file; --explain
 * prints the plan instead.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "table.h"

#define TABLE_ROWS_DEFAULT 100

static void usage(FILE *out)
{
    fprintf(
        out,
        "Usage: medallion query SQL [options]\n"
        "       medallion query -f FILE.sql [options]\n"
        "\n"
        "Run a SQL query over the lake's Delta tables, named layer.table (bronze.x,\n"
        "silver.x, gold.x -> LAKE/layer/table). The dialect is in docs/sql.md.\n"
        "\n"
        "Options:\n"
        "  -f, --file FILE     read the query from FILE (errors name it)\n"
        "  --lake DIR          the lake root (default lake)\n"
        "  --csv               rows as CSV on stdout\n"
        "  --json              rows as JSON lines on stdout\n"
        "  --parquet FILE      rows into a Parquet file (zstd)\n"
        "  --max-rows N        a table shows at most N rows (default 100; 0: all)\n"
        "  --explain           print the plan instead of running the query\n"
        "  --memory MB         working memory per sort, join or aggregate (default: 512)\n"
        "  -h, --help          this help\n"
        "\n"
        "Without --csv/--json/--parquet the rows are printed as a table.\n"
        "\n"
        "Examples:\n"
        "  medallion query \"SELECT currency, count(*) FROM bronze.snowflake_orders GROUP BY 1\"\n"
        "  medallion query -f lakehouse/models/silver/orders.sql --explain\n"
        "  medallion query \"SELECT * FROM bronze.fx_rates\" --csv > fx.csv\n");
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t k;
    while (buf != NULL && (k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            char *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Rows as CSV or JSON lines on stdout, one batch at a time. */
static int write_text(mdl_ctx *ctx, mdl_batch_stream *s, bool json, mdl_error *err)
{
    mdl_buf sink;
    mdl_buf_init(&sink, ctx, 0);
    mdl_output *out;
    mdl_text_writer *w = NULL;
    int rc = mdl_output_open_buffer(ctx, &sink, "stdout", &out, err);
    if (rc == MDL_OK)
        rc = json ? mdl_json_writer_open(ctx, out, s->schema, &w, err)
                  : mdl_csv_writer_open(ctx, out, s->schema, ',', &w, err);
    mdl_batch *b;
    while (rc == MDL_OK && (rc = mdl_batch_stream_next(s, &b, err)) == MDL_OK && b != NULL) {
        rc = mdl_text_writer_write(w, b, err);
        mdl_batch_free(b);
        if (sink.len > 0)
            fwrite(sink.data, 1, sink.len, stdout);
        sink.len = 0;
    }
    if (w != NULL) {
        if (rc == MDL_OK)
            rc = mdl_text_writer_close(w, err);
        else
            mdl_text_writer_abort(w);
    }
    if (sink.len > 0)
        fwrite(sink.data, 1, sink.len, stdout);
    mdl_buf_reset(&sink);
    return rc;
}

static int write_parquet(mdl_ctx *ctx, mdl_batch_stream *s, const char *path, uint64_t *rows,
                         mdl_error *err)
{
    mdl_output *out;
    mdl_parquet_writer *w = NULL;
    mdl_parquet_write_options o;
    mdl_parquet_write_options_init(&o);
    int rc = mdl_output_open_file(ctx, path, &out, err);
    if (rc == MDL_OK)
        rc = mdl_parquet_writer_open(ctx, out, s->schema, &o, &w, err);
    mdl_batch *b;
    while (rc == MDL_OK && (rc = mdl_batch_stream_next(s, &b, err)) == MDL_OK && b != NULL) {
        rc = mdl_parquet_writer_write(w, b, err);
        mdl_batch_free(b);
    }
    if (w != NULL) {
        if (rc == MDL_OK)
            rc = mdl_parquet_writer_close(w, rows, NULL, err);
        else
            mdl_parquet_writer_abort(w);
    }
    return rc;
}

/* Rows as a table (at most max_rows; the rest are counted). */
static int write_table(mdl_batch_stream *s, uint64_t max_rows, mdl_error *err)
{
    mdl_schema *schema = s->schema;
    size_t ncols =
        schema->num_fields > CLI_TABLE_MAX_COLS ? CLI_TABLE_MAX_COLS : schema->num_fields;
    const char *hdr[CLI_TABLE_MAX_COLS];
    for (size_t c = 0; c < ncols; c++)
        hdr[c] = schema->fields[c].name;
    cli_table t;
    cli_table_init(&t, ncols, hdr);
    uint64_t total = 0;
    mdl_batch *b;
    int rc;
    while ((rc = mdl_batch_stream_next(s, &b, err)) == MDL_OK && b != NULL) {
        for (size_t r = 0; r < b->num_rows; r++, total++) {
            if (max_rows != 0 && total >= max_rows)
                continue;
            char vals[CLI_TABLE_MAX_COLS][128];
            const char *cells[CLI_TABLE_MAX_COLS];
            for (size_t c = 0; c < ncols; c++) {
                mdl_column_format_value(&b->columns[c], r, vals[c], sizeof vals[c]);
                cells[c] = vals[c];
            }
            cli_table_add(&t, cells);
        }
        mdl_batch_free(b);
    }
    if (rc == MDL_OK) {
        cli_table_print(&t, stdout, 48);
        if (max_rows != 0 && total > max_rows)
            printf("(%llu rows, %llu shown; --max-rows 0 shows all, --csv/--json write all)\n",
                   (unsigned long long)total, (unsigned long long)max_rows);
        else
            printf("(%llu row%s)\n", (unsigned long long)total, total == 1 ? "" : "s");
        if (schema->num_fields > ncols)
            printf("(%zu of %zu columns shown)\n", ncols, schema->num_fields);
    }
    cli_table_free(&t);
    return rc;
}

int cmd_query(int argc, char **argv)
{
    const char *file = NULL, *parquet = NULL;
    bool csv = false, json = false, explain = false;
    uint64_t max_rows = TABLE_ROWS_DEFAULT;
    mdl_sql_options o;
    mdl_sql_options_init(&o);
    enum { O_LAKE = 256, O_CSV, O_JSON, O_PARQUET, O_EXPLAIN, O_MEMORY, O_MAX_ROWS };
    static const struct option opts[] = {{"file", required_argument, 0, 'f'},
                                         {"lake", required_argument, 0, O_LAKE},
                                         {"csv", no_argument, 0, O_CSV},
                                         {"json", no_argument, 0, O_JSON},
                                         {"parquet", required_argument, 0, O_PARQUET},
                                         {"explain", no_argument, 0, O_EXPLAIN},
                                         {"memory", required_argument, 0, O_MEMORY},
                                         {"max-rows", required_argument, 0, O_MAX_ROWS},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
        char *end;
        switch (ch) {
        case 'f':
            file = optarg;
            break;
        case O_LAKE:
            o.lake_root = optarg;
            break;
        case O_CSV:
            csv = true;
            break;
        case O_JSON:
            json = true;
            break;
        case O_PARQUET:
            parquet = optarg;
            break;
        case O_EXPLAIN:
            explain = true;
            break;
        case O_MEMORY:
            if (cli_parse_megabytes("query", optarg, &o.memory_bytes) != 0)
                return CLI_EXIT_USAGE;
            break;
        case O_MAX_ROWS:
            max_rows = strtoull(optarg, &end, 10);
            if (*end != '\0') {
                fprintf(stderr, "medallion query: --max-rows takes a number, not '%s'\n", optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'h':
            usage(stdout);
            return CLI_EXIT_OK;
        default:
            fprintf(stderr, "Run 'medallion query --help' for the options.\n");
            return CLI_EXIT_USAGE;
        }
    }
    if ((file == NULL) == (optind >= argc) || argc - optind > 1) {
        fprintf(stderr, "medallion query: give the query as one argument or with -f FILE\n"
                        "Run 'medallion query --help' for the options.\n");
        return CLI_EXIT_USAGE;
    }
    if (csv + json + (parquet != NULL) > 1) {
        fprintf(stderr, "medallion query: choose one of --csv, --json and --parquet\n");
        return CLI_EXIT_USAGE;
    }
    char *text = NULL;
    size_t len = 0;
    if (file != NULL) {
        text = read_file(file, &len);
        if (text == NULL) {
            fprintf(stderr, "medallion query: cannot read '%s'\n", file);
            return CLI_EXIT_ERROR;
        }
        o.source = file;
    } else {
        len = strlen(argv[optind]);
    }
    const char *sql = text ? text : argv[optind];
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_error err = {0, ""};
    int rc;
    if (explain) {
        mdl_buf plan;
        mdl_buf_init(&plan, &ctx, 0);
        rc = mdl_sql_explain(&ctx, sql, len, &o, &plan, &err);
        if (rc == MDL_OK)
            fwrite(plan.data, 1, plan.len, stdout);
        mdl_buf_reset(&plan);
    } else {
        mdl_batch_stream *s = NULL;
        rc = mdl_sql_query(&ctx, sql, len, &o, &s, &err);
        uint64_t rows = 0;
        if (rc == MDL_OK) {
            if (csv || json)
                rc = write_text(&ctx, s, json, &err);
            else if (parquet != NULL)
                rc = write_parquet(&ctx, s, parquet, &rows, &err);
            else
                rc = write_table(s, max_rows, &err);
        }
        mdl_batch_stream_release(s);
        if (rc == MDL_OK && parquet != NULL)
            fprintf(stderr, "wrote %llu rows to %s\n", (unsigned long long)rows, parquet);
    }
    free(text);
    if (rc != MDL_OK) {
        fprintf(stderr, "medallion query: %s\n", err.message);
        return CLI_EXIT_ERROR;
    }
    return CLI_EXIT_OK;
}
