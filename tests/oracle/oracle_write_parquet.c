/*
 * oracle_write_parquet.c - writes Parquet files with medallion's writer, each beside the JSON
 * an independent reader must produce from it (tests/oracle/pq_oracle.mjs `compare` format):
 * the values, the schema's physical/logical/converted types, and per row group the codec,
 * encodings and min/max/null-count statistics we meant to write. The data is random but
 * seeded, and covers the edges: nulls, empty and long strings, extreme integers, NaN, +-inf,
 * -0.0, decimal boundaries, dates before 1970, all-null columns, empty files.
 *   oracle_write_parquet OUTDIR
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medallion/medallion.h"

static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void die(const char *what, const mdl_error *err)
{
    fprintf(stderr, "oracle_write_parquet: %s: %s\n", what, err ? err->message : "");
    exit(1);
}

/* ---- JSON output ------------------------------------------------------------------------- */

static void json_str(FILE *f, const char *s, size_t n)
{
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void json_double(FILE *f, double d)
{
    if (isnan(d))
        fputs("\"NaN\"", f);
    else if (isinf(d))
        fputs(d > 0 ? "\"Infinity\"" : "\"-Infinity\"", f);
    else if (d == 0 && signbit(d))
        fputs("-0", f);
    else
        fprintf(f, "%.17g", d);
}

/* One value in the oracle's canonical form. */
static void json_value(FILE *f, const mdl_column *col, size_t r)
{
    char buf[64];
    if (mdl_column_is_null(col, r)) {
        fputs("null", f);
        return;
    }
    switch (col->type.id) {
    case MDL_TYPE_BOOLEAN:
        fputs(mdl_column_bool(col, r) ? "true" : "false", f);
        return;
    case MDL_TYPE_INT32:
        fprintf(f, "\"%d\"", (int)mdl_column_i32(col, r));
        return;
    case MDL_TYPE_INT64:
    case MDL_TYPE_TIMESTAMP:
        fprintf(f, "\"%lld\"", (long long)mdl_column_i64(col, r));
        return;
    case MDL_TYPE_DOUBLE:
        json_double(f, mdl_column_f64(col, r));
        return;
    case MDL_TYPE_DECIMAL:
    case MDL_TYPE_DATE:
        mdl_column_format_value(col, r, buf, sizeof buf);
        fprintf(f, "\"%s\"", buf);
        return;
    case MDL_TYPE_STRING: {
        mdl_strview s = mdl_column_str(col, r);
        json_str(f, s.ptr, s.len);
        return;
    }
    }
}

/* ---- data -------------------------------------------------------------------------------- */

static const char *SCHEMA_ALL =
    "b boolean, i int32, l int64, d double, m9 decimal(9,2), m18 decimal(18,4), "
    "m38 decimal(38,10), s string, dt date, ts timestamp, nothing string";
static const char *SCHEMA_REQUIRED = "id int64 not null, name string not null, "
                                     "amount decimal(12,2) not null, day date not null";

static void fill_value(mdl_ctx *ctx, mdl_column *col, const mdl_field *f, size_t row)
{
    uint64_t r = rnd();
    bool null = f->nullable && (r % 11 == 0 || strcmp(f->name, "nothing") == 0);
    if (null) {
        if (mdl_column_append_null(ctx, col, NULL) != MDL_OK)
            die("append", NULL);
        return;
    }
    uint64_t k = rnd() % 20; /* chance of an edge value */
    switch (f->type.id) {
    case MDL_TYPE_BOOLEAN: {
        uint8_t v = (uint8_t)(r >> 8 & 1);
        mdl_column_append_value(ctx, col, &v, NULL);
        return;
    }
    case MDL_TYPE_INT32: {
        int32_t v = k == 0 ? INT32_MIN : k == 1 ? INT32_MAX : (int32_t)(r % 2000) - 1000;
        mdl_column_append_value(ctx, col, &v, NULL);
        return;
    }
    case MDL_TYPE_INT64: {
        int64_t v = k == 0 ? INT64_MIN : k == 1 ? INT64_MAX : (int64_t)(r >> 8) - (1LL << 54);
        mdl_column_append_value(ctx, col, &v, NULL);
        return;
    }
    case MDL_TYPE_DOUBLE: {
        static const double edges[] = {NAN, INFINITY, -INFINITY, -0.0, 0.0, 1e-308, -1.5e300};
        double v = k < 7 && rnd() % 3 == 0 ? edges[k] : ((double)(int64_t)(r >> 11) / 7.0);
        mdl_column_append_value(ctx, col, &v, NULL);
        return;
    }
    case MDL_TYPE_DECIMAL: {
        mdl_i128 lim = mdl_decimal_pow10(f->type.precision) - 1;
        mdl_i128 v;
        if (k == 0) {
            v = lim;
        } else if (k == 1) {
            v = -lim;
        } else {
            int64_t mod = f->type.precision <= 18 ? (int64_t)lim : INT64_MAX;
            v = (mdl_i128)((int64_t)(r >> 4) % mod);
            if (f->type.precision > 18 && k > 10) /* exercise the high bits too */
                v *= (mdl_i128)(int64_t)(rnd() % 1000003);
            v %= lim;
        }
        if (f->type.precision <= 18) {
            int64_t v64 = (int64_t)v;
            mdl_column_append_value(ctx, col, &v64, NULL);
        } else {
            mdl_column_append_value(ctx, col, &v, NULL);
        }
        return;
    }
    case MDL_TYPE_STRING: {
        static const char *const words[] = {
            "", "a", "héllo wörld", "東京", "emoji 😀", "tab\tquote\"", "zzz", "Apple", "apple"};
        char buf[6000];
        size_t n;
        if (k == 0) { /* long */
            n = 3000 + (size_t)(rnd() % 2000);
            for (size_t i = 0; i < n; i++)
                buf[i] = (char)('a' + (i * 7 + row) % 26);
        } else if (k < 10) {
            n = strlen(words[k - 1]);
            memcpy(buf, words[k - 1], n);
        } else {
            n = (size_t)snprintf(buf, sizeof buf, "value-%llu", (unsigned long long)(r % 500));
        }
        mdl_column_append_string(ctx, col, buf, n, NULL);
        return;
    }
    case MDL_TYPE_DATE: {
        int32_t v = k == 0   ? mdl_days_from_civil(1, 1, 1)
                    : k == 1 ? mdl_days_from_civil(9999, 12, 31)
                             : (int32_t)(r % 40000) - 20000;
        mdl_column_append_value(ctx, col, &v, NULL);
        return;
    }
    case MDL_TYPE_TIMESTAMP: {
        int64_t v =
            k == 0 ? -62135596800000000LL : (int64_t)(r % 4000000000000000ULL) - 1000000000000000LL;
        mdl_column_append_value(ctx, col, &v, NULL);
        return;
    }
    }
}

/* ---- expected statistics ------------------------------------------------------------------ */

/* Writes "stats_min", "stats_max", "stats_null_count" for rows [from, to) of a column. */
static void json_stats(FILE *f, const mdl_column *col, size_t from, size_t to)
{
    size_t nulls = 0, best_min = SIZE_MAX, best_max = SIZE_MAX;
    for (size_t r = from; r < to; r++) {
        if (mdl_column_is_null(col, r)) {
            nulls++;
            continue;
        }
        if (col->type.id == MDL_TYPE_DOUBLE && isnan(mdl_column_f64(col, r)))
            continue;
        if (best_min == SIZE_MAX) {
            best_min = best_max = r;
            continue;
        }
        int cmin, cmax;
        switch (col->type.id) {
        case MDL_TYPE_STRING: {
            mdl_strview a = mdl_column_str(col, r), bmin = mdl_column_str(col, best_min),
                        bmax = mdl_column_str(col, best_max);
            int c1 = memcmp(a.ptr, bmin.ptr, a.len < bmin.len ? a.len : bmin.len);
            cmin = c1 ? c1 : (a.len > bmin.len) - (a.len < bmin.len);
            int c2 = memcmp(a.ptr, bmax.ptr, a.len < bmax.len ? a.len : bmax.len);
            cmax = c2 ? c2 : (a.len > bmax.len) - (a.len < bmax.len);
            break;
        }
        case MDL_TYPE_DOUBLE: {
            double a = mdl_column_f64(col, r);
            cmin = a < mdl_column_f64(col, best_min) ? -1 : 1;
            cmax = a > mdl_column_f64(col, best_max) ? 1 : -1;
            break;
        }
        case MDL_TYPE_DECIMAL: {
            mdl_i128 a = mdl_column_decimal(col, r);
            cmin = a < mdl_column_decimal(col, best_min) ? -1 : 1;
            cmax = a > mdl_column_decimal(col, best_max) ? 1 : -1;
            break;
        }
        case MDL_TYPE_BOOLEAN:
            cmin = mdl_column_bool(col, r) < mdl_column_bool(col, best_min) ? -1 : 1;
            cmax = mdl_column_bool(col, r) > mdl_column_bool(col, best_max) ? 1 : -1;
            break;
        case MDL_TYPE_INT32:
        case MDL_TYPE_DATE:
            cmin = mdl_column_i32(col, r) < mdl_column_i32(col, best_min) ? -1 : 1;
            cmax = mdl_column_i32(col, r) > mdl_column_i32(col, best_max) ? 1 : -1;
            break;
        default:
            cmin = mdl_column_i64(col, r) < mdl_column_i64(col, best_min) ? -1 : 1;
            cmax = mdl_column_i64(col, r) > mdl_column_i64(col, best_max) ? 1 : -1;
            break;
        }
        if (cmin < 0)
            best_min = r;
        if (cmax > 0)
            best_max = r;
    }
    bool too_long =
        col->type.id == MDL_TYPE_STRING && best_min != SIZE_MAX &&
        (mdl_column_str(col, best_min).len > 256 || mdl_column_str(col, best_max).len > 256);
    fputs("\"stats_min\": ", f);
    if (best_min == SIZE_MAX || too_long)
        fputs("null", f);
    else if (col->type.id == MDL_TYPE_DOUBLE && mdl_column_f64(col, best_min) == 0)
        fputs("-0", f); /* parquet.thrift: a zero min is written as -0.0 */
    else
        json_value(f, col, best_min);
    fputs(", \"stats_max\": ", f);
    if (best_max == SIZE_MAX || too_long)
        fputs("null", f);
    else if (col->type.id == MDL_TYPE_DOUBLE && mdl_column_f64(col, best_max) == 0)
        fputs("0", f);
    else
        json_value(f, col, best_max);
    fprintf(f, ", \"stats_null_count\": %zu", nulls);
}

/* ---- one file ---------------------------------------------------------------------------- */

typedef struct file_case {
    const char *name;
    const char *schema;
    size_t rows, row_group_rows, page_bytes, dictionary_bytes;
    mdl_codec codec;
    bool dictionary;
} file_case;

static const char *physical(const mdl_field *f)
{
    switch (f->type.id) {
    case MDL_TYPE_BOOLEAN:
        return "BOOLEAN";
    case MDL_TYPE_INT32:
    case MDL_TYPE_DATE:
        return "INT32";
    case MDL_TYPE_DECIMAL:
        return f->type.precision <= 9    ? "INT32"
               : f->type.precision <= 18 ? "INT64"
                                         : "FIXED_LEN_BYTE_ARRAY";
    case MDL_TYPE_STRING:
        return "BYTE_ARRAY";
    case MDL_TYPE_DOUBLE:
        return "DOUBLE";
    default:
        return "INT64";
    }
}

static void write_case(const char *dir, const file_case *fc)
{
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_error err;
    mdl_schema *schema;
    if (mdl_schema_parse(&ctx, fc->schema, &schema, &err) != MDL_OK)
        die("schema", &err);
    /* All rows in one batch so the expected statistics can be computed per row group. */
    mdl_batch *b;
    if (mdl_batch_new(&ctx, schema, fc->rows ? fc->rows : 1, &b, &err) != MDL_OK)
        die("batch", &err);
    for (size_t r = 0; r < fc->rows; r++)
        for (size_t c = 0; c < schema->num_fields; c++)
            fill_value(&ctx, &b->columns[c], &schema->fields[c], r);
    b->num_rows = fc->rows;
    if (mdl_batch_validate(b, &err) != MDL_OK)
        die("validate", &err);

    char path[1024];
    snprintf(path, sizeof path, "%s/%s.parquet", dir, fc->name);
    mdl_output *out;
    if (mdl_output_open_file(&ctx, path, &out, &err) != MDL_OK)
        die("output", &err);
    mdl_parquet_write_options o;
    mdl_parquet_write_options_init(&o);
    o.codec = fc->codec;
    o.row_group_rows = fc->row_group_rows;
    if (fc->page_bytes)
        o.page_bytes = fc->page_bytes;
    if (fc->dictionary_bytes)
        o.dictionary_bytes = fc->dictionary_bytes;
    o.dictionary = fc->dictionary;
    mdl_key_value kv[] = {{"medallion.test", fc->name}, {"empty", ""}};
    o.metadata = kv;
    o.num_metadata = 2;
    mdl_parquet_writer *w;
    if (mdl_parquet_writer_open(&ctx, out, schema, &o, &w, &err) != MDL_OK)
        die("writer", &err);
    if (fc->rows > 0 && mdl_parquet_writer_write(w, b, &err) != MDL_OK)
        die("write", &err);
    if (mdl_parquet_writer_close(w, NULL, NULL, &err) != MDL_OK)
        die("close", &err);

    snprintf(path, sizeof path, "%s/%s.expected.json", dir, fc->name);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        die(path, NULL);
    fprintf(f, "{\"rows\": %zu,\n\"columns\": [\n", fc->rows);
    for (size_t c = 0; c < schema->num_fields; c++) {
        const mdl_field *fd = &schema->fields[c];
        const char *lt = "null", *ct = "null";
        char ltbuf[64];
        switch (fd->type.id) {
        case MDL_TYPE_STRING:
            lt = "\"STRING\"";
            ct = "\"UTF8\"";
            break;
        case MDL_TYPE_DATE:
            lt = ct = "\"DATE\"";
            break;
        case MDL_TYPE_TIMESTAMP:
            lt = "\"TIMESTAMP(MICROS,UTC)\"";
            ct = "\"TIMESTAMP_MICROS\"";
            break;
        case MDL_TYPE_DECIMAL:
            snprintf(ltbuf, sizeof ltbuf, "\"DECIMAL(%u,%u)\"", fd->type.precision, fd->type.scale);
            lt = ltbuf;
            ct = "\"DECIMAL\"";
            break;
        default:
            break;
        }
        fprintf(f,
                "%s{\"name\": \"%s\", \"physical_type\": \"%s\", \"logical_type\": %s, "
                "\"converted_type\": %s, \"repetition\": \"%s\"}\n",
                c ? "," : "", fd->name, physical(fd), lt, ct,
                fd->nullable ? "OPTIONAL" : "REQUIRED");
    }
    fputs("],\n\"values\": [\n", f);
    for (size_t r = 0; r < fc->rows; r++) {
        fputs(r ? ",[" : "[", f);
        for (size_t c = 0; c < schema->num_fields; c++) {
            if (c)
                fputs(", ", f);
            json_value(f, &b->columns[c], r);
        }
        fputs("]\n", f);
    }
    fputs("],\n\"row_groups\": [\n", f);
    size_t per = fc->row_group_rows ? fc->row_group_rows : fc->rows;
    for (size_t g = 0, from = 0; from < fc->rows; g++, from += per) {
        size_t to = from + per < fc->rows ? from + per : fc->rows;
        fprintf(f, "%s{\"rows\": %zu, \"columns\": [\n", g ? "," : "", to - from);
        for (size_t c = 0; c < schema->num_fields; c++) {
            fprintf(f, "%s{\"path\": \"%s\", \"codec\": \"%s\", ", c ? "," : "",
                    schema->fields[c].name, mdl_codec_name(fc->codec));
            json_stats(f, &b->columns[c], from, to);
            fputs("}\n", f);
        }
        fputs("]}\n", f);
    }
    fprintf(f, "],\n\"created_by\": \"medallion version %s (build %s)\",\n", mdl_version(),
            mdl_build_id());
    fprintf(f, "\"key_value_metadata\": {\"medallion.test\": \"%s\", \"empty\": \"\"}\n}\n",
            fc->name);
    fclose(f);
    mdl_batch_free(b);
    mdl_schema_release(schema);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
        return 2;
    }
    static const file_case cases[] = {
        {"all_types_zstd", NULL, 3000, 1000, 0, 0, MDL_CODEC_ZSTD, true},
        {"all_types_snappy_plain", NULL, 2500, 0, 0, 0, MDL_CODEC_SNAPPY, false},
        {"all_types_gzip_small_pages", NULL, 2000, 700, 2048, 0, MDL_CODEC_GZIP, true},
        {"all_types_lz4raw", NULL, 1500, 0, 0, 0, MDL_CODEC_LZ4_RAW, true},
        {"all_types_uncompressed_dict_fallback", NULL, 3000, 0, 256, 16384, MDL_CODEC_UNCOMPRESSED,
         true},
        {"required_zstd", NULL, 2000, 999, 0, 0, MDL_CODEC_ZSTD, true},
        {"empty_file", NULL, 0, 0, 0, 0, MDL_CODEC_ZSTD, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        file_case fc = cases[i];
        fc.schema = strncmp(fc.name, "required", 8) == 0 ? SCHEMA_REQUIRED : SCHEMA_ALL;
        rng_state = 42 + i;
        write_case(argv[1], &fc);
        printf("%s\n", fc.name);
    }
    return 0;
}
