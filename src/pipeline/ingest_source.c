/*
 * ingest_source.c - one landing file as a batch stream with the contract's types (see
 * ingest_internal.h): format options from the contract's `source.options`, the CSV header
 * checked against the contract (schema modes), JSON documents flattened to JSON lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "ingest_internal.h"

enum { FMT_CSV, FMT_JSONL, FMT_JSON };

/* A JSON document larger than this is refused: vendor API responses are small. */
#define MAX_JSON_DOCUMENT (256u << 20)
#define MAX_COLUMNS       4096

static int bool_option(const mdl_contract *c, const char *key, bool dflt, bool *out, mdl_error *err)
{
    const char *v = mdl_contract_source_option(c, key);
    if (v == NULL) {
        *out = dflt;
        return MDL_OK;
    }
    if (strcmp(v, "true") == 0 || strcmp(v, "false") == 0) {
        *out = v[0] == 't';
        return MDL_OK;
    }
    return mdl_error_set(err, MDL_ERR_SCHEMA,
                         "%s: source option %s must be true or false, not "
                         "'%s'",
                         c->file, key, v);
}

static int char_option(const mdl_contract *c, const char *key, char dflt, char *out, mdl_error *err)
{
    const char *v = mdl_contract_source_option(c, key);
    if (v == NULL) {
        *out = dflt;
        return MDL_OK;
    }
    if (strcmp(v, "\\t") == 0 || strcmp(v, "tab") == 0) {
        *out = '\t';
        return MDL_OK;
    }
    if (strlen(v) != 1)
        return mdl_error_set(err, MDL_ERR_SCHEMA,
                             "%s: source option %s must be one character, not '%s'", c->file, key,
                             v);
    *out = v[0];
    return MDL_OK;
}

/* The file's header names, from a reader that infers on one row. */
static int csv_header(mdl_ctx *ctx, const char *path, const mdl_csv_options *base, mdl_schema **out,
                      mdl_error *err)
{
    mdl_csv_options o = *base;
    o.infer_rows = 1;
    o.on_reject = NULL;
    mdl_csv_reader *r;
    int rc = mdl_csv_reader_open_file(ctx, path, NULL, &o, &r, err);
    if (rc != MDL_OK)
        return rc;
    *out = mdl_schema_retain(mdl_csv_reader_schema(r));
    mdl_csv_reader_free(r);
    return MDL_OK;
}

/* Appends "a, b, c" of the names in `names` flagged in `pick` to buf. */
static void name_list(char *buf, size_t cap, const char *const *names, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len + 8 < cap; i++) {
        int w = snprintf(buf + len, cap - len, "%s'%s'", i ? ", " : "", names[i]);
        if (w < 0 || (size_t)w >= cap - len) {
            snprintf(buf + len, cap - len, ", ...");
            break;
        }
        len += (size_t)w;
    }
}

/* The table columns beyond the contract and the metadata: added by schema evolution. */
static bool is_evolved(const mdl_contract *c, const char *name)
{
    if (mdl_pipeline__is_meta_column(name))
        return false;
    for (size_t i = 0; i < c->num_columns; i++)
        if (strcmp(c->columns[i].name, name) == 0)
            return false;
    return true;
}

static const char *source_name(const mdl_contract_column *cc)
{
    return cc->source_name ? cc->source_name : cc->name;
}

/*
 * The columns to read: (source name, table name, type, nullable) for the contract's columns
 * and for the evolved columns of `table` the file has (`header` NULL: every one, JSON).
 */
typedef struct col_plan {
    const char *source[MAX_COLUMNS];
    mdl_field_def fields[MAX_COLUMNS]; /* table names */
    size_t n;
} col_plan;

static int plan_add(col_plan *p, const char *source, const char *name, mdl_type type, bool nullable,
                    mdl_error *err)
{
    if (p->n == MAX_COLUMNS)
        return mdl_error_set(err, MDL_ERR_LIMIT, "more than %d columns", MAX_COLUMNS);
    p->source[p->n] = source;
    p->fields[p->n] = (mdl_field_def){name, type, nullable};
    p->n++;
    return MDL_OK;
}

/* Checks the CSV header against the plan; applies the schema mode to extra columns. */
static int check_header(mdl_ctx *ctx, const mdl_contract *c, const char *rel, mdl_schema *header,
                        mdl_schema *table, mdl_storage *bronze, col_plan *p, size_t *added,
                        mdl_error *err)
{
    const char *missing[64], *extra[64];
    size_t nmissing = 0, nextra = 0;
    for (size_t i = 0; i < p->n; i++)
        if (mdl_schema_find(header, mdl_sv(p->source[i])) < 0 && nmissing < 64)
            missing[nmissing++] = p->source[i];
    char list[1024];
    if (nmissing > 0) {
        name_list(list, sizeof list, missing, nmissing);
        return mdl_error_set(err, MDL_ERR_SCHEMA,
                             "%s: the file has no column %s, which the contract %s reads; fix "
                             "the export or the column's `source:` in the contract",
                             rel, list, c->file);
    }
    /* header columns neither the contract nor an evolved table column names */
    for (size_t h = 0; h < header->num_fields; h++) {
        const char *name = header->fields[h].name;
        bool known = false;
        for (size_t i = 0; i < p->n && !known; i++)
            known = strcmp(p->source[i], name) == 0;
        long k = mdl_schema_find(table, mdl_sv(name));
        if (!known && k >= 0 && is_evolved(c, name))
            known = true; /* an earlier file brought it: read it (below) */
        if (!known && nextra < 64)
            extra[nextra++] = name;
    }
    /* evolved columns of the table that this file has */
    for (size_t k = 0; k < table->num_fields; k++) {
        const char *name = table->fields[k].name;
        if (is_evolved(c, name) && mdl_schema_find(header, mdl_sv(name)) >= 0) {
            int rc = plan_add(p, name, name, table->fields[k].type, true, err);
            if (rc != MDL_OK)
                return rc;
        }
    }
    if (nextra == 0)
        return MDL_OK;
    name_list(list, sizeof list, extra, nextra);
    switch (c->schema_mode) {
    case MDL_SCHEMA_FREEZE:
        return mdl_error_set(err, MDL_ERR_SCHEMA,
                             "%s: the file has column(s) %s that the contract %s does not "
                             "(schema_mode freeze); add them to the contract, or set "
                             "schema_mode: evolve to take new columns as they come",
                             rel, list, c->file);
    case MDL_SCHEMA_EVOLVE: {
        mdl_field_def defs[64];
        for (size_t i = 0; i < nextra; i++)
            defs[i] = (mdl_field_def){extra[i], mdl_type_make(MDL_TYPE_STRING), true};
        int rc = mdl_table_add_columns(ctx, bronze, defs, nextra, NULL, err);
        if (rc != MDL_OK)
            return mdl_error_prefix(err, "%s: adding its new column(s) %s: ", rel, list);
        *added = nextra;
        for (size_t i = 0; rc == MDL_OK && i < nextra; i++)
            rc = plan_add(p, extra[i], extra[i], mdl_type_make(MDL_TYPE_STRING), true, err);
        return rc;
    }
    default:
        return MDL_OK; /* discard modes: the extra columns are not read */
    }
}

/* Reads a JSON document and writes the records at `records_path` as JSON lines. */
static int json_records(mdl_ctx *ctx, const char *path, const char *rel, const char *records_path,
                        char **out, size_t *out_len, mdl_error *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return mdl_error_set(err, MDL_ERR_IO, "%s: cannot open it", rel);
    mdl_buf text, lines;
    mdl_buf_init(&text, ctx, MAX_JSON_DOCUMENT);
    mdl_buf_init(&lines, ctx, 0);
    int rc = MDL_OK;
    char chunk[65536];
    size_t n;
    while (rc == MDL_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = mdl_buf_append(&text, chunk, n, err);
    if (rc == MDL_OK && ferror(f))
        rc = mdl_error_set(err, MDL_ERR_IO, "%s: read error", rel);
    fclose(f);
    if (rc == MDL_ERR_LIMIT)
        rc = mdl_error_set(err, MDL_ERR_LIMIT, "%s: a JSON document over %u MiB", rel,
                           MAX_JSON_DOCUMENT >> 20);
    json_object *root = NULL;
    if (rc == MDL_OK) {
        json_tokener *tok = json_tokener_new_ex(64);
        if (tok != NULL)
            root = json_tokener_parse_ex(tok, text.data ? text.data : "", (int)text.len);
        enum json_tokener_error je = tok ? json_tokener_get_error(tok) : json_tokener_success;
        if (tok == NULL)
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
        else if (root == NULL || je != json_tokener_success)
            rc = mdl_error_set(err, MDL_ERR_PARSE, "%s: not a JSON document (at byte %zu: %s)", rel,
                               json_tokener_get_parse_end(tok) + 1, json_tokener_error_desc(je));
        json_tokener_free(tok);
    }
    /* walk records_path ("a.b") */
    json_object *at = root;
    const char *p = records_path;
    while (rc == MDL_OK && p != NULL && *p != '\0') {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        char key[256];
        snprintf(key, sizeof key, "%.*s", (int)(len < 255 ? len : 255), p);
        json_object *next;
        if (!json_object_is_type(at, json_type_object) ||
            !json_object_object_get_ex(at, key, &next))
            rc = mdl_error_set(err, MDL_ERR_SCHEMA,
                               "%s: no '%s' in the document (records_path '%s')", rel, key,
                               records_path);
        at = next;
        p = dot ? dot + 1 : NULL;
    }
    if (rc == MDL_OK && !json_object_is_type(at, json_type_array))
        rc = mdl_error_set(err, MDL_ERR_SCHEMA, "%s: records_path '%s' is not an array", rel,
                           records_path ? records_path : "");
    for (size_t i = 0; rc == MDL_OK && i < json_object_array_length(at); i++) {
        const char *s = json_object_to_json_string_ext(json_object_array_get_idx(at, i),
                                                       JSON_C_TO_STRING_PLAIN);
        rc = mdl_buf_append_str(&lines, s, err);
        if (rc == MDL_OK)
            rc = mdl_buf_append(&lines, "\n", 1, err);
    }
    json_object_put(root);
    mdl_buf_reset(&text);
    if (rc != MDL_OK) {
        mdl_buf_reset(&lines);
        return rc;
    }
    *out = lines.data; /* the buffer's bytes, freed with mdl_free */
    *out_len = lines.len;
    return MDL_OK;
}

int mdl_pipeline__source_open(mdl_ctx *ctx, const mdl_contract *c, const char *landing_root,
                              const char *rel, mdl_schema *table, mdl_storage *bronze,
                              mdl_reject_fn on_reject, void *payload, mdl_source_reader **out,
                              mdl_error *err)
{
    *out = NULL;
    mdl_source_reader *r = mdl_calloc(ctx, 1, sizeof *r);
    col_plan *p = mdl_calloc(ctx, 1, sizeof *p);
    if (r == NULL || p == NULL) {
        mdl_free(ctx, r);
        mdl_free(ctx, p);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    }
    r->ctx = ctx;
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", landing_root, rel);
    struct stat sb;
    int rc = MDL_OK;
    if (stat(path, &sb) != 0)
        rc = mdl_error_set(err, MDL_ERR_IO, "%s: cannot read it", rel);
    r->size = rc == MDL_OK ? (uint64_t)sb.st_size : 0;
    const char *fmt = c->source.format ? c->source.format : "csv";
    r->format = strcmp(fmt, "csv") == 0     ? FMT_CSV
                : strcmp(fmt, "jsonl") == 0 ? FMT_JSONL
                : strcmp(fmt, "json") == 0  ? FMT_JSON
                                            : -1;
    if (rc == MDL_OK && r->format < 0)
        rc = mdl_error_set(err, MDL_ERR_UNSUPPORTED,
                           "%s: source format '%s' (csv, jsonl and json are supported)", c->file,
                           fmt);
    for (size_t i = 0; rc == MDL_OK && i < c->num_columns; i++)
        rc = plan_add(p, source_name(&c->columns[i]), c->columns[i].name, c->columns[i].type,
                      c->columns[i].nullable, err);
    mdl_schema *read = NULL;
    mdl_schema *header = NULL; /* the plan borrows names from it: released at the end */
    if (rc == MDL_OK && r->format == FMT_CSV) {
        mdl_csv_options o;
        mdl_csv_options_init(&o);
        const char *null_token = mdl_contract_source_option(c, "null");
        const char *tokens[1] = {null_token};
        if (null_token != NULL) {
            o.null_tokens = tokens;
            o.num_null_tokens = 1;
        }
        rc = char_option(c, "delimiter", ',', &o.delimiter, err);
        if (rc == MDL_OK)
            rc = char_option(c, "quote", '"', &o.quote, err);
        if (rc == MDL_OK)
            rc = bool_option(c, "header", true, &o.header, err);
        if (rc == MDL_OK && o.header)
            rc = csv_header(ctx, path, &o, &header, err);
        if (rc == MDL_OK && o.header)
            rc = check_header(ctx, c, rel, header, table, bronze, p, &r->added, err);
        /* read under the source names (the header's), hand out under the table names */
        mdl_field_def src[MAX_COLUMNS];
        for (size_t i = 0; i < p->n; i++)
            src[i] = (mdl_field_def){p->source[i], p->fields[i].type, p->fields[i].nullable};
        if (rc == MDL_OK)
            rc = mdl_schema_new(ctx, src, p->n, &read, err);
        mdl_input *in = NULL;
        if (rc == MDL_OK)
            rc = mdl_input_open_file(ctx, path, &in, err);
        if (rc == MDL_OK) {
            in->name = rel; /* rejects name the file as the contract does */
            o.on_reject = on_reject;
            o.reject_payload = payload;
            mdl_csv_reader *cr;
            rc = mdl_csv_reader_open(ctx, in, read, &o, &cr, err);
            if (rc == MDL_OK) {
                r->impl = cr;
                rc = mdl_csv_reader_stream(cr, &r->stream, err);
                if (rc != MDL_OK)
                    r->impl = NULL;
            }
        }
    } else if (rc == MDL_OK) {
        /* JSON: the table names are the batch's; `source` names a (dotted) path */
        for (size_t k = 0; table != NULL && rc == MDL_OK && k < table->num_fields; k++)
            if (is_evolved(c, table->fields[k].name))
                rc = plan_add(p, table->fields[k].name, table->fields[k].name,
                              table->fields[k].type, true, err);
        mdl_json_column_map maps[MAX_COLUMNS];
        for (size_t i = 0; i < p->n; i++)
            maps[i] = (mdl_json_column_map){p->fields[i].name, p->source[i]};
        if (rc == MDL_OK)
            rc = mdl_schema_new(ctx, p->fields, p->n, &read, err);
        mdl_input *in = NULL;
        if (rc == MDL_OK && r->format == FMT_JSONL) {
            rc = mdl_input_open_file(ctx, path, &in, err);
        } else if (rc == MDL_OK) {
            size_t len = 0;
            rc = json_records(ctx, path, rel, mdl_contract_source_option(c, "records_path"),
                              &r->doc, &len, err);
            if (rc == MDL_OK)
                rc = mdl_input_open_memory(ctx, r->doc ? r->doc : "", len, rel, &in, err);
        }
        if (rc == MDL_OK) {
            in->name = rel;
            mdl_json_options o;
            mdl_json_options_init(&o);
            o.paths = maps;
            o.num_paths = p->n;
            o.on_reject = on_reject;
            o.reject_payload = payload;
            mdl_json_reader *jr;
            rc = mdl_json_reader_open(ctx, in, read, &o, &jr, err);
            if (rc == MDL_OK) {
                r->impl = jr;
                rc = mdl_json_reader_stream(jr, &r->stream, err);
                if (rc != MDL_OK)
                    r->impl = NULL;
            }
        }
    }
    if (rc == MDL_OK)
        rc = mdl_schema_new(ctx, p->fields, p->n, &r->table_names, err);
    mdl_schema_release(read);
    mdl_schema_release(header);
    mdl_free(ctx, p);
    if (rc != MDL_OK) {
        mdl_pipeline__source_close(r);
        return rc;
    }
    *out = r;
    return MDL_OK;
}

void mdl_pipeline__source_stats(const mdl_source_reader *r, mdl_read_stats *out)
{
    memset(out, 0, sizeof *out);
    if (r->impl == NULL)
        return;
    if (r->format == FMT_CSV)
        mdl_csv_reader_stats(r->impl, out);
    else
        mdl_json_reader_stats(r->impl, out);
    if (r->format == FMT_JSON)
        out->bytes_read = out->bytes_read > 0 ? r->size : 0; /* the document, not its lines */
}

void mdl_pipeline__source_close(mdl_source_reader *r)
{
    if (r == NULL)
        return;
    mdl_batch_stream_release(r->stream); /* frees the format reader */
    mdl_schema_release(r->table_names);
    mdl_free(r->ctx, r->doc);
    mdl_free(r->ctx, r);
}
