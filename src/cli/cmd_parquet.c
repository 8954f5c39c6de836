/*
 * cmd_parquet.c - `medallion parquet schema|meta|head|cat FILE`: look inside a Parquet file
 * written by medallion or by any other engine: its schema (physical, logical and converted
 * types), its footer (row groups, codecs, encodings, statistics), its first rows, or all of
 * its rows as CSV. Tables on a terminal, --json for scripts.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli.h"
#include "table.h"

static void parquet_usage(FILE *out)
{
    fprintf(out, "Usage: medallion parquet schema|meta|head|cat FILE [options]\n"
                 "\n"
                 "  schema FILE    columns with their Parquet and medallion types\n"
                 "  meta FILE      footer: row groups, column chunks, codecs, encodings, sizes,\n"
                 "                 statistics, key-value metadata, created_by\n"
                 "  head FILE      the first rows as a table (--rows N, default 10)\n"
                 "  cat FILE       every row as CSV (--json: JSON lines) on standard output\n"
                 "\n"
                 "Options:\n"
                 "  --json           machine-readable output: schema and meta print the footer as\n"
                 "                   JSON, head and cat print rows as JSON lines\n"
                 "  --rows N         rows for head\n"
                 "  --columns A,B    read only these columns (head, cat)\n"
                 "  -h, --help       this help\n"
                 "\n"
                 "Exit codes: 0 ok, 1 error (unreadable or unsupported file), 2 usage.\n");
}

static const char *jstr(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
        return "";
    return json_object_get_string(v);
}

static int print_schema(json_object *doc)
{
    json_object *schema;
    if (!json_object_object_get_ex(doc, "schema", &schema))
        return CLI_EXIT_ERROR;
    static const char *const hdr[] = {"column",    "physical",   "logical",
                                      "converted", "repetition", "medallion type"};
    cli_table t;
    cli_table_init(&t, 6, hdr);
    for (size_t i = 0; i < json_object_array_length(schema); i++) {
        json_object *c = json_object_array_get_idx(schema, i);
        const char *mt = jstr(c, "medallion_type");
        char unsup[300];
        if (*mt == '\0') {
            snprintf(unsup, sizeof unsup, "unsupported: %s", jstr(c, "unsupported"));
            mt = unsup;
        }
        const char *cells[6] = {jstr(c, "name"),         jstr(c, "physical_type"),
                                jstr(c, "logical_type"), jstr(c, "converted_type"),
                                jstr(c, "repetition"),   mt};
        cli_table_add(&t, cells);
    }
    cli_table_print(&t, stdout, 60);
    cli_table_free(&t);
    return CLI_EXIT_OK;
}

static int print_meta(json_object *doc)
{
    printf("rows: %s\ncreated by: %s\nformat version: %s\n", jstr(doc, "num_rows"),
           jstr(doc, "created_by"), jstr(doc, "version"));
    json_object *kv;
    if (json_object_object_get_ex(doc, "key_value_metadata", &kv)) {
        json_object_object_foreach(kv, key, val)
        {
            const char *s = json_object_get_string(val);
            printf("metadata: %s = %.200s%s\n", key, s ? s : "", s && strlen(s) > 200 ? "..." : "");
        }
    }
    json_object *groups;
    if (!json_object_object_get_ex(doc, "row_groups", &groups))
        return CLI_EXIT_ERROR;
    static const char *const hdr[] = {"rg",    "column", "codec", "encodings", "values",
                                      "nulls", "size",   "min",   "max"};
    cli_table t;
    cli_table_init(&t, 9, hdr);
    cli_table_align_right(&t, 0);
    cli_table_align_right(&t, 4);
    cli_table_align_right(&t, 5);
    cli_table_align_right(&t, 6);
    for (size_t g = 0; g < json_object_array_length(groups); g++) {
        json_object *rg = json_object_array_get_idx(groups, g), *cols;
        if (!json_object_object_get_ex(rg, "columns", &cols))
            continue;
        char gs[24];
        snprintf(gs, sizeof gs, "%zu", g);
        for (size_t i = 0; i < json_object_array_length(cols); i++) {
            json_object *c = json_object_array_get_idx(cols, i), *encs;
            char enc[200] = "";
            if (json_object_object_get_ex(c, "encodings", &encs))
                for (size_t k = 0; k < json_object_array_length(encs); k++)
                    snprintf(enc + strlen(enc), sizeof enc - strlen(enc), "%s%s", k ? "," : "",
                             json_object_get_string(json_object_array_get_idx(encs, k)));
            char size[32];
            snprintf(size, sizeof size, "%s", jstr(c, "total_compressed_size"));
            const char *cells[9] = {gs,   jstr(c, "path"),       jstr(c, "codec"),
                                    enc,  jstr(c, "num_values"), jstr(c, "null_count"),
                                    size, jstr(c, "min"),        jstr(c, "max")};
            cli_table_add(&t, cells);
        }
    }
    printf("\n");
    cli_table_print(&t, stdout, 32);
    cli_table_free(&t);
    return CLI_EXIT_OK;
}

/* `cat` (and `head --json`): rows as CSV or JSON lines through the library's text writers. */
static int cat_text(mdl_ctx *ctx, mdl_parquet_reader *r, bool json, long limit, mdl_error *err)
{
    mdl_buf sink;
    mdl_buf_init(&sink, ctx, 0);
    mdl_output *out;
    mdl_text_writer *w = NULL;
    int rc = mdl_output_open_buffer(ctx, &sink, "stdout", &out, err);
    if (rc == MDL_OK)
        rc = json ? mdl_json_writer_open(ctx, out, mdl_parquet_reader_schema(r), &w, err)
                  : mdl_csv_writer_open(ctx, out, mdl_parquet_reader_schema(r), ',', &w, err);
    mdl_batch *b;
    long left = limit;
    while (rc == MDL_OK && left != 0 && (rc = mdl_parquet_reader_next(r, &b, err)) == MDL_OK &&
           b != NULL) {
        if (left > 0 && b->num_rows > (size_t)left)
            b->num_rows = (size_t)left; /* only the rows still wanted */
        if (left > 0)
            left -= (long)b->num_rows;
        rc = mdl_text_writer_write(w, b, err);
        mdl_batch_free(b);
        fwrite(sink.data, 1, sink.len, stdout); /* one batch at a time: bounded memory */
        sink.len = 0;
    }
    if (w != NULL) {
        if (rc == MDL_OK)
            rc = mdl_text_writer_close(w, err);
        else
            mdl_text_writer_abort(w);
    }
    fwrite(sink.data, 1, sink.len, stdout);
    mdl_buf_reset(&sink);
    return rc;
}

/* `head`: the first rows as a table. */
static int head_table(mdl_parquet_reader *r, long limit, mdl_error *err)
{
    mdl_schema *s = mdl_parquet_reader_schema(r);
    size_t ncols = s->num_fields > CLI_TABLE_MAX_COLS ? CLI_TABLE_MAX_COLS : s->num_fields;
    const char *hdr[CLI_TABLE_MAX_COLS];
    for (size_t c = 0; c < ncols; c++)
        hdr[c] = s->fields[c].name;
    cli_table t;
    cli_table_init(&t, ncols, hdr);
    long shown = 0;
    int rc = MDL_OK;
    mdl_batch *b;
    while (shown < limit && (rc = mdl_parquet_reader_next(r, &b, err)) == MDL_OK && b != NULL) {
        for (size_t row = 0; row < b->num_rows && shown < limit; row++, shown++) {
            const char *cells[CLI_TABLE_MAX_COLS];
            char vals[CLI_TABLE_MAX_COLS][128];
            for (size_t c = 0; c < ncols; c++) {
                mdl_column_format_value(&b->columns[c], row, vals[c], sizeof vals[c]);
                cells[c] = vals[c];
            }
            cli_table_add(&t, cells);
        }
        mdl_batch_free(b);
    }
    cli_table_print(&t, stdout, 40);
    cli_table_free(&t);
    return rc;
}

int cmd_parquet(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, 0, 'j'},
        {"rows", required_argument, 0, 'n'},
        {"columns", required_argument, 0, 'c'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    bool json = false;
    long rows = 10;
    const char *cols[64];
    size_t ncols = 0;
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 'j':
            json = true;
            break;
        case 'n': {
            char *end;
            rows = strtol(optarg, &end, 10);
            if (*end != '\0' || rows < 0) {
                fprintf(stderr, "medallion parquet: --rows takes a number >= 0\n");
                return CLI_EXIT_USAGE;
            }
            break;
        }
        case 'c':
            for (char *tok = strtok(optarg, ","); tok && ncols < 64; tok = strtok(NULL, ","))
                cols[ncols++] = tok;
            break;
        case 'h':
            parquet_usage(stdout);
            return CLI_EXIT_OK;
        default:
            fprintf(stderr, "Run 'medallion parquet --help' for the options.\n");
            return CLI_EXIT_USAGE;
        }
    }
    if (optind != argc - 2) {
        parquet_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *sub = argv[optind], *file = argv[optind + 1];
    bool is_schema = strcmp(sub, "schema") == 0, is_meta = strcmp(sub, "meta") == 0;
    bool is_head = strcmp(sub, "head") == 0, is_cat = strcmp(sub, "cat") == 0;
    if (!is_schema && !is_meta && !is_head && !is_cat) {
        fprintf(stderr, "medallion parquet: unknown subcommand '%s' (schema, meta, head, cat)\n",
                sub);
        return CLI_EXIT_USAGE;
    }
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_error err = {0, ""};
    mdl_parquet_read_options ro;
    memset(&ro, 0, sizeof ro);
    if (ncols > 0 && (is_head || is_cat)) {
        ro.columns = cols;
        ro.num_columns = ncols;
    }
    mdl_parquet_reader *r;
    if (mdl_parquet_reader_open_file(&ctx, file, &ro, &r, &err) != MDL_OK) {
        fprintf(stderr, "medallion parquet: %s\n", err.message);
        return CLI_EXIT_ERROR;
    }
    int exit_code = CLI_EXIT_OK;
    if (is_schema || is_meta) {
        mdl_buf doc;
        mdl_buf_init(&doc, &ctx, 0);
        if (mdl_parquet_reader_describe(r, &doc, &err) != MDL_OK ||
            mdl_buf_terminate(&doc, &err) != MDL_OK) {
            fprintf(stderr, "medallion parquet: %s\n", err.message);
            exit_code = CLI_EXIT_ERROR;
        } else if (json) {
            printf("%s\n", doc.data);
        } else {
            json_object *o = json_tokener_parse(doc.data);
            exit_code = o == NULL ? CLI_EXIT_ERROR : is_schema ? print_schema(o) : print_meta(o);
            json_object_put(o);
        }
        mdl_buf_reset(&doc);
    } else if ((is_cat || json ? cat_text(&ctx, r, json, is_cat ? -1 : rows, &err)
                               : head_table(r, rows, &err)) != MDL_OK) {
        fprintf(stderr, "medallion parquet: %s\n", err.message);
        exit_code = CLI_EXIT_ERROR;
    }
    mdl_parquet_reader_free(r);
    return exit_code;
}
