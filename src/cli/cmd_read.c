/*
 * cmd_read.c - `medallion read`: stream a CSV or JSON-lines file through the typed reader
 * and print the schema, a per-column profile (nulls, min, max), the first rows and the
 * rejected rows with their reasons. It is the quickest way to see how medallion will
 * interpret a file before a contract is written for it.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "table.h"

#define MAX_NULLS 16
#define MAX_PATHS 64

static void read_usage(FILE *out)
{
    fprintf(out,
            "Usage: medallion read FILE [options]\n"
            "\n"
            "Reads a CSV or JSON-lines file into typed columns and prints its schema, a\n"
            "profile of every column, the first rows and every row that could not be read.\n"
            "\n"
            "Options:\n"
            "  --format csv|jsonl     file format (default: from the extension; .jsonl,\n"
            "                         .ndjson and .json are JSON lines, anything else CSV)\n"
            "  --schema TEXT          column types, e.g. \"id int64 not null, amount "
            "decimal(12,2)\";\n"
            "                         CSV without --schema infers the types from the first "
            "rows;\n"
            "                         JSON lines needs a schema\n"
            "  --delimiter C          CSV field delimiter (default ','; 'tab' for a tab)\n"
            "  --quote C              CSV quote character (default '\"'; 'none' disables)\n"
            "  --no-header            CSV has no header row (columns are positional)\n"
            "  --null TOKEN           unquoted CSV value that means NULL; repeatable; replaces\n"
            "                         the default (only the empty field) - add --null '' to "
            "keep it\n"
            "  --path COL=PATH        JSON: take COL from the dotted PATH (e.g. "
            "page=properties.page)\n"
            "  --raw-column COL       JSON: put the whole object, as JSON text, in COL\n"
            "  --remainder-column COL JSON: put the keys no column uses, as JSON, in COL\n"
            "  --head N               rows to show (default 5; 0 for none)\n"
            "  --show-rejects N       rejected rows to list (default 10)\n"
            "  --strict               stop at the first row that cannot be read (exit 1)\n"
            "  --json                 print one JSON object instead of tables\n"
            "  --quiet                no progress line\n"
            "  -h, --help             this help\n"
            "\n"
            "Exit codes: 0 read completely (rejected rows are listed, not fatal), 1 error,\n"
            "2 usage error.\n"
            "\n"
            "Examples:\n"
            "  medallion read orders.csv\n"
            "  medallion read orders.csv --schema \"order_id string not null, qty int32\"\n"
            "  medallion read events.jsonl --schema \"id string, ts timestamp, page string\" "
            "\\\n"
            "      --path page=properties.page\n");
}

/* Running profile of one column: nulls and min/max in a type-independent form. */
typedef struct col_profile {
    uint64_t nulls;
    bool has;
    mdl_i128 imin, imax; /* integer-like types */
    double dmin, dmax;   /* double */
    size_t lmin, lmax;   /* string lengths */
} col_profile;

typedef struct reject_list {
    cli_table table;
    size_t shown, limit;
} reject_list;

static int on_reject(void *payload, const mdl_reject *rj)
{
    reject_list *l = payload;
    if (l->shown < l->limit) {
        char line[32], col[128];
        snprintf(line, sizeof line, "%llu", (unsigned long long)rj->line);
        snprintf(col, sizeof col, "%s", rj->column ? rj->column : "-");
        const char *cells[3] = {line, col, rj->reason};
        cli_table_add(&l->table, cells);
        l->shown++;
    }
    return MDL_OK;
}

static void profile_batch(col_profile *p, const mdl_batch *b)
{
    for (size_t c = 0; c < b->schema->num_fields; c++) {
        const mdl_column *col = &b->columns[c];
        col_profile *cp = &p[c];
        for (size_t r = 0; r < b->num_rows; r++) {
            if (mdl_column_is_null(col, r)) {
                cp->nulls++;
                continue;
            }
            bool first = !cp->has;
            cp->has = true;
            switch (col->type.id) {
            case MDL_TYPE_DOUBLE: {
                double d = mdl_column_f64(col, r);
                if (first || d < cp->dmin)
                    cp->dmin = d;
                if (first || d > cp->dmax)
                    cp->dmax = d;
                break;
            }
            case MDL_TYPE_STRING: {
                size_t l = mdl_column_str(col, r).len;
                if (first || l < cp->lmin)
                    cp->lmin = l;
                if (first || l > cp->lmax)
                    cp->lmax = l;
                break;
            }
            default: {
                mdl_i128 v;
                switch (col->type.id) {
                case MDL_TYPE_BOOLEAN:
                    v = mdl_column_bool(col, r);
                    break;
                case MDL_TYPE_INT32:
                case MDL_TYPE_DATE:
                    v = mdl_column_i32(col, r);
                    break;
                case MDL_TYPE_DECIMAL:
                    v = mdl_column_decimal(col, r);
                    break;
                default:
                    v = mdl_column_i64(col, r);
                    break;
                }
                if (first || v < cp->imin)
                    cp->imin = v;
                if (first || v > cp->imax)
                    cp->imax = v;
                break;
            }
            }
        }
    }
}

static void format_extreme(const col_profile *cp, mdl_type t, bool max, char *buf, size_t cap)
{
    if (!cp->has) {
        snprintf(buf, cap, "-");
        return;
    }
    mdl_i128 v = max ? cp->imax : cp->imin;
    switch (t.id) {
    case MDL_TYPE_DOUBLE:
        snprintf(buf, cap, "%.15g", max ? cp->dmax : cp->dmin);
        break;
    case MDL_TYPE_STRING:
        snprintf(buf, cap, "len %zu", max ? cp->lmax : cp->lmin);
        break;
    case MDL_TYPE_BOOLEAN:
        snprintf(buf, cap, "%s", v ? "true" : "false");
        break;
    case MDL_TYPE_DATE:
        mdl_date_format((int32_t)v, buf, cap);
        break;
    case MDL_TYPE_TIMESTAMP:
        mdl_timestamp_format((int64_t)v, buf, cap);
        break;
    case MDL_TYPE_DECIMAL:
        mdl_decimal_format(v, t.scale, buf, cap);
        break;
    default:
        snprintf(buf, cap, "%lld", (long long)v);
        break;
    }
}

typedef struct read_args {
    const char *file, *format, *schema, *raw_col, *rem_col;
    char delimiter, quote;
    bool no_header, strict, json, quiet;
    const char *nulls[MAX_NULLS];
    size_t num_nulls;
    mdl_json_column_map paths[MAX_PATHS];
    size_t num_paths;
    long head, show_rejects;
} read_args;

static int parse_args(int argc, char **argv, read_args *a)
{
    enum {
        O_FORMAT = 256,
        O_SCHEMA,
        O_DELIM,
        O_QUOTE,
        O_NOHEADER,
        O_NULL,
        O_PATH,
        O_RAW,
        O_REM,
        O_HEAD,
        O_SHOWREJ,
        O_STRICT,
        O_JSON,
        O_QUIET
    };
    static const struct option opts[] = {
        {"format", required_argument, 0, O_FORMAT},
        {"schema", required_argument, 0, O_SCHEMA},
        {"delimiter", required_argument, 0, O_DELIM},
        {"quote", required_argument, 0, O_QUOTE},
        {"no-header", no_argument, 0, O_NOHEADER},
        {"null", required_argument, 0, O_NULL},
        {"path", required_argument, 0, O_PATH},
        {"raw-column", required_argument, 0, O_RAW},
        {"remainder-column", required_argument, 0, O_REM},
        {"head", required_argument, 0, O_HEAD},
        {"show-rejects", required_argument, 0, O_SHOWREJ},
        {"strict", no_argument, 0, O_STRICT},
        {"json", no_argument, 0, O_JSON},
        {"quiet", no_argument, 0, O_QUIET},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    memset(a, 0, sizeof *a);
    a->delimiter = ',';
    a->quote = '"';
    a->head = 5;
    a->show_rejects = 10;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case O_FORMAT:
            a->format = optarg;
            break;
        case O_SCHEMA:
            a->schema = optarg;
            break;
        case O_DELIM:
            if (cli_parse_char("read", "--delimiter", optarg, &a->delimiter) != 0)
                return CLI_EXIT_USAGE;
            break;
        case O_QUOTE:
            if (cli_parse_char("read", "--quote", optarg, &a->quote) != 0)
                return CLI_EXIT_USAGE;
            break;
        case O_NOHEADER:
            a->no_header = true;
            break;
        case O_NULL:
            if (a->num_nulls == MAX_NULLS) {
                fprintf(stderr, "medallion read: at most %d --null tokens\n", MAX_NULLS);
                return CLI_EXIT_USAGE;
            }
            a->nulls[a->num_nulls++] = optarg;
            break;
        case O_PATH: {
            char *eq = strchr(optarg, '=');
            if (eq == NULL || eq == optarg || eq[1] == '\0' || a->num_paths == MAX_PATHS) {
                fprintf(stderr, "medallion read: --path takes COLUMN=PATH (got '%s')\n", optarg);
                return CLI_EXIT_USAGE;
            }
            *eq = '\0';
            a->paths[a->num_paths].column = optarg;
            a->paths[a->num_paths].path = eq + 1;
            a->num_paths++;
            break;
        }
        case O_RAW:
            a->raw_col = optarg;
            break;
        case O_REM:
            a->rem_col = optarg;
            break;
        case O_HEAD:
        case O_SHOWREJ: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end != '\0' || v < 0) {
                fprintf(stderr, "medallion read: %s takes a number >= 0 (got '%s')\n",
                        c == O_HEAD ? "--head" : "--show-rejects", optarg);
                return CLI_EXIT_USAGE;
            }
            if (c == O_HEAD)
                a->head = v;
            else
                a->show_rejects = v;
            break;
        }
        case O_STRICT:
            a->strict = true;
            break;
        case O_JSON:
            a->json = true;
            break;
        case O_QUIET:
            a->quiet = true;
            break;
        case 'h':
            read_usage(stdout);
            return -1;
        default:
            fprintf(stderr, "Run 'medallion read --help' for the options.\n");
            return CLI_EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "medallion read: expected exactly one FILE\n"
                        "Run 'medallion read --help' for the options.\n");
        return CLI_EXIT_USAGE;
    }
    a->file = argv[optind];
    if (a->format == NULL) {
        const char *f = cli_format_of(a->file);
        a->format = f != NULL && strcmp(f, "jsonl") == 0 ? "jsonl" : "csv"; /* CSV by default */
    }
    if (strcmp(a->format, "csv") != 0 && strcmp(a->format, "jsonl") != 0) {
        fprintf(stderr, "medallion read: --format must be csv or jsonl (got '%s')\n", a->format);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(a->format, "jsonl") == 0 && a->schema == NULL) {
        fprintf(stderr, "medallion read: JSON lines needs --schema (the reader does not guess "
                        "types from JSON)\n");
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* One reader interface over the two formats. */
typedef struct any_reader {
    mdl_csv_reader *csv;
    mdl_json_reader *json;
} any_reader;

static int reader_next(any_reader *r, mdl_batch **b, mdl_error *err)
{
    return r->csv ? mdl_csv_reader_next(r->csv, b, err) : mdl_json_reader_next(r->json, b, err);
}

static void reader_stats(any_reader *r, mdl_read_stats *st)
{
    if (r->csv)
        mdl_csv_reader_stats(r->csv, st);
    else
        mdl_json_reader_stats(r->json, st);
}

static void print_text(const read_args *a, const mdl_schema *s, const col_profile *prof,
                       cli_table *head, reject_list *rj, const mdl_read_stats *st, double secs)
{
    printf("%s (%s)\n\n", a->file, a->format);
    static const char *const hdr[] = {"column", "type", "nullable", "nulls", "min", "max"};
    cli_table t;
    cli_table_init(&t, 6, hdr);
    cli_table_align_right(&t, 3);
    for (size_t c = 0; c < s->num_fields; c++) {
        char type[48], nulls[32], mn[64], mx[64];
        mdl_type_format(s->fields[c].type, type, sizeof type);
        snprintf(nulls, sizeof nulls, "%llu", (unsigned long long)prof[c].nulls);
        format_extreme(&prof[c], s->fields[c].type, false, mn, sizeof mn);
        format_extreme(&prof[c], s->fields[c].type, true, mx, sizeof mx);
        const char *cells[6] = {
            s->fields[c].name, type, s->fields[c].nullable ? "yes" : "no", nulls, mn, mx};
        cli_table_add(&t, cells);
    }
    cli_table_print(&t, stdout, 40);
    cli_table_free(&t);
    if (head->nrows > 0) {
        printf("\nfirst %zu rows:\n", head->nrows);
        cli_table_print(head, stdout, 32);
    }
    char bytes[32];
    cli_human_bytes(st->bytes_read, bytes, sizeof bytes);
    uint64_t good = st->rows_read - st->rows_rejected;
    printf("\nrows read %llu, loaded %llu, rejected %llu - %s in %.2f s (%.0f MB/s, %.2f M "
           "rows/s)\n",
           (unsigned long long)st->rows_read, (unsigned long long)good,
           (unsigned long long)st->rows_rejected, bytes, secs,
           secs > 0 ? (double)st->bytes_read / 1e6 / secs : 0.0,
           secs > 0 ? (double)st->rows_read / 1e6 / secs : 0.0);
    if (st->rows_rejected > 0) {
        printf("\nrejected rows (%zu of %llu shown):\n", rj->shown,
               (unsigned long long)st->rows_rejected);
        cli_table_print(&rj->table, stdout, 100);
    }
}

static void print_json(const read_args *a, const mdl_schema *s, const col_profile *prof,
                       reject_list *rj, const mdl_read_stats *st, double secs)
{
    printf("{\"file\":");
    cli_json_string(stdout, a->file, strlen(a->file));
    printf(",\"format\":\"%s\",\"rows_read\":%llu,\"rows_rejected\":%llu,\"bytes\":%llu,"
           "\"seconds\":%.6f,\"columns\":[",
           a->format, (unsigned long long)st->rows_read, (unsigned long long)st->rows_rejected,
           (unsigned long long)st->bytes_read, secs);
    for (size_t c = 0; c < s->num_fields; c++) {
        char type[48], mn[64], mx[64];
        mdl_type_format(s->fields[c].type, type, sizeof type);
        format_extreme(&prof[c], s->fields[c].type, false, mn, sizeof mn);
        format_extreme(&prof[c], s->fields[c].type, true, mx, sizeof mx);
        printf("%s{\"name\":", c ? "," : "");
        cli_json_string(stdout, s->fields[c].name, strlen(s->fields[c].name));
        printf(",\"type\":\"%s\",\"nullable\":%s,\"nulls\":%llu,\"min\":", type,
               s->fields[c].nullable ? "true" : "false", (unsigned long long)prof[c].nulls);
        cli_json_string(stdout, mn, strlen(mn));
        printf(",\"max\":");
        cli_json_string(stdout, mx, strlen(mx));
        printf("}");
    }
    printf("],\"rejects\":[");
    for (size_t r = 0; r < rj->table.nrows; r++) {
        char **cells = &rj->table.cells[r * 3];
        printf("%s{\"line\":%s,\"column\":", r ? "," : "", cells[0]);
        if (strcmp(cells[1], "-") == 0)
            printf("null");
        else
            cli_json_string(stdout, cells[1], strlen(cells[1]));
        printf(",\"reason\":");
        cli_json_string(stdout, cells[2], strlen(cells[2]));
        printf("}");
    }
    printf("]}\n");
}

int cmd_read(int argc, char **argv)
{
    read_args a;
    int prc = parse_args(argc, argv, &a);
    if (prc != CLI_EXIT_OK)
        return prc < 0 ? CLI_EXIT_OK : prc;

    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_error err = {0, ""};
    int exit_code = CLI_EXIT_ERROR;
    mdl_schema *schema = NULL;
    any_reader r = {NULL, NULL};
    col_profile *prof = NULL;
    cli_table head;
    memset(&head, 0, sizeof head);
    reject_list rj;
    memset(&rj, 0, sizeof rj);
    static const char *const rj_hdr[] = {"line", "column", "reason"};
    cli_table_init(&rj.table, 3, rj_hdr);
    cli_table_align_right(&rj.table, 0);
    rj.limit = (size_t)a.show_rejects;

    if (a.schema != NULL && mdl_schema_parse(&ctx, a.schema, &schema, &err) != MDL_OK) {
        fprintf(stderr, "medallion read: --schema: %s\n", err.message);
        exit_code = CLI_EXIT_USAGE;
        goto cleanup;
    }
    int rc;
    if (strcmp(a.format, "csv") == 0) {
        mdl_csv_options o;
        mdl_csv_options_init(&o);
        o.delimiter = a.delimiter;
        o.quote = a.quote;
        o.header = !a.no_header;
        if (a.num_nulls > 0) {
            o.null_tokens = a.nulls;
            o.num_null_tokens = a.num_nulls;
        }
        if (!a.strict) {
            o.on_reject = on_reject;
            o.reject_payload = &rj;
        }
        rc = mdl_csv_reader_open_file(&ctx, a.file, schema, &o, &r.csv, &err);
    } else {
        mdl_json_options o;
        mdl_json_options_init(&o);
        o.paths = a.paths;
        o.num_paths = a.num_paths;
        o.raw_column = a.raw_col;
        o.remainder_column = a.rem_col;
        if (!a.strict) {
            o.on_reject = on_reject;
            o.reject_payload = &rj;
        }
        rc = mdl_json_reader_open_file(&ctx, a.file, schema, &o, &r.json, &err);
    }
    if (rc != MDL_OK) {
        fprintf(stderr, "medallion read: %s\n", err.message);
        goto cleanup;
    }
    mdl_schema *s = r.csv ? mdl_csv_reader_schema(r.csv) : mdl_json_reader_schema(r.json);
    prof = calloc(s->num_fields ? s->num_fields : 1, sizeof *prof);
    const char **hdr = calloc(s->num_fields ? s->num_fields : 1, sizeof *hdr);
    size_t hcols = s->num_fields > CLI_TABLE_MAX_COLS ? CLI_TABLE_MAX_COLS : s->num_fields;
    for (size_t c = 0; c < hcols; c++)
        hdr[c] = s->fields[c].name;
    cli_table_init(&head, hcols, hdr);
    free(hdr);

    struct stat stt;
    uint64_t total = stat(a.file, &stt) == 0 ? (uint64_t)stt.st_size : 0;
    bool progress = !a.quiet && !a.json && isatty(STDERR_FILENO) && total > 0;
    double t0 = cli_now_seconds(), last = t0;
    mdl_batch *b;
    while ((rc = reader_next(&r, &b, &err)) == MDL_OK && b != NULL) {
        profile_batch(prof, b);
        for (size_t row = 0; row < b->num_rows && head.nrows < (size_t)a.head; row++) {
            char vals[CLI_TABLE_MAX_COLS][128];
            const char *cells[CLI_TABLE_MAX_COLS];
            for (size_t c = 0; c < hcols; c++) {
                mdl_column_format_value(&b->columns[c], row, vals[c], sizeof vals[c]);
                cells[c] = vals[c];
            }
            cli_table_add(&head, cells);
        }
        mdl_batch_free(b);
        double t = cli_now_seconds();
        if (progress && t - last >= 0.25) {
            mdl_read_stats st;
            reader_stats(&r, &st);
            char done[32], all[32];
            cli_human_bytes(st.bytes_read, done, sizeof done);
            cli_human_bytes(total, all, sizeof all);
            fprintf(stderr, "\r  reading %s: %s of %s (%.0f%%), %llu rows   ", a.file, done, all,
                    100.0 * (double)st.bytes_read / (double)total,
                    (unsigned long long)st.rows_read);
            last = t;
        }
    }
    if (progress)
        fprintf(stderr, "\r\033[K");
    double secs = cli_now_seconds() - t0;
    if (rc != MDL_OK) {
        fprintf(stderr, "medallion read: %s\n", err.message);
        if (a.strict)
            fprintf(stderr, "(--strict stops at the first bad row; without it, bad rows are "
                            "listed and the read continues)\n");
        goto cleanup;
    }
    mdl_read_stats st;
    reader_stats(&r, &st);
    if (a.json)
        print_json(&a, s, prof, &rj, &st, secs);
    else
        print_text(&a, s, prof, &head, &rj, &st, secs);
    exit_code = CLI_EXIT_OK;
cleanup:
    mdl_csv_reader_free(r.csv);
    mdl_json_reader_free(r.json);
    mdl_schema_release(schema);
    free(prof);
    cli_table_free(&head);
    cli_table_free(&rj.table);
    return exit_code;
}
