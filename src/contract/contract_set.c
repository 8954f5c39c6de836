/*
 * contract_set.c - contracts as files: loading one file, loading every `*.yaml` below a
 * directory (`<dir>/<layer>/<name>.yaml`, checked against each file's `table:`), lookups,
 * the table schema a contract describes, and freeing.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "contract_internal.h"

static void free_strs(mdl_ctx *ctx, char **a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mdl_free(ctx, a[i]);
    mdl_free(ctx, a);
}

static void free_kvs(mdl_ctx *ctx, mdl_key_value *kv, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        mdl_free(ctx, (void *)(uintptr_t)kv[i].key);
        mdl_free(ctx, (void *)(uintptr_t)kv[i].value);
    }
    mdl_free(ctx, kv);
}

void mdl_contract_free(mdl_contract *c)
{
    if (c == NULL)
        return;
    mdl_ctx *ctx = c->ctx;
    mdl_free(ctx, c->file);
    mdl_free(ctx, c->table);
    mdl_free(ctx, c->layer);
    mdl_free(ctx, c->name);
    mdl_free(ctx, c->description);
    mdl_free(ctx, c->owner);
    mdl_free(ctx, c->materialized);
    free_strs(ctx, c->unique_key, c->num_unique_key);
    free_strs(ctx, c->partition_by, c->num_partition_by);
    mdl_free(ctx, c->incremental_order_by);
    free_strs(ctx, c->tags, c->num_tags);
    mdl_free(ctx, c->scd2_surrogate_key);
    free_strs(ctx, c->scd2_tracked, c->num_scd2_tracked);
    mdl_free(ctx, c->scd2_valid_from);
    for (size_t i = 0; i < c->num_columns; i++) {
        mdl_contract_column *col = &c->columns[i];
        mdl_free(ctx, col->name);
        mdl_free(ctx, col->source_name);
        mdl_free(ctx, col->description);
        mdl_free(ctx, col->format);
    }
    mdl_free(ctx, c->columns);
    for (size_t i = 0; i < c->num_checks; i++) {
        mdl_contract_check *ck = &c->checks[i];
        mdl_free(ctx, ck->kind);
        mdl_free(ctx, ck->column);
        mdl_free(ctx, ck->severity);
        mdl_free(ctx, ck->label);
        mdl_free(ctx, ck->threshold);
        free_kvs(ctx, ck->params, ck->num_params);
        free_strs(ctx, ck->values, ck->num_values);
    }
    mdl_free(ctx, c->checks);
    mdl_contract_source *s = &c->source;
    mdl_free(ctx, s->type);
    mdl_free(ctx, s->connection);
    free_strs(ctx, s->paths, s->num_paths);
    mdl_free(ctx, s->format);
    free_kvs(ctx, s->options, s->num_options);
    mdl_free(ctx, s->system);
    mdl_free(ctx, c);
}

int mdl_contract_load(mdl_ctx *ctx, const char *path, mdl_contract **out, mdl_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return mdl_error_set(err, errno == ENOENT ? MDL_ERR_NOT_FOUND : MDL_ERR_IO,
                             "%s: cannot open: %s", path, strerror(errno));
    /* One byte more than the limit, so an over-long file is seen without reading it all. */
    char *text = mdl_alloc(ctx, MDL_CONTRACT_MAX_BYTES + 1);
    if (text == NULL) {
        fclose(f);
        return mdl_error_set(err, MDL_ERR_NOMEM, "%s: out of memory", path);
    }
    size_t n = fread(text, 1, MDL_CONTRACT_MAX_BYTES + 1, f);
    int rc = MDL_OK;
    if (ferror(f))
        rc = mdl_error_set(err, MDL_ERR_IO, "%s: cannot read", path);
    fclose(f);
    if (rc == MDL_OK)
        rc = mdl_contract_parse(ctx, path, text, n, out, err);
    mdl_free(ctx, text);
    return rc;
}

/* ---- sets -------------------------------------------------------------------------------- */

typedef struct path_list {
    mdl_ctx *ctx;
    char **items;
    size_t count, cap;
} path_list;

static int path_add(path_list *l, char *path)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        char **a = mdl_realloc(l->ctx, l->items, cap * sizeof *a);
        if (a == NULL)
            return MDL_ERR_NOMEM;
        l->items = a;
        l->cap = cap;
    }
    l->items[l->count++] = path;
    return MDL_OK;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Collects every *.yaml below dir (hidden entries skipped; at most 8 levels, so a link loop ends).
 */
static int walk(path_list *l, const char *dir, int depth, mdl_error *err)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return mdl_error_set(err, errno == ENOENT ? MDL_ERR_NOT_FOUND : MDL_ERR_IO,
                             "%s: cannot open directory: %s", dir, strerror(errno));
    int rc = MDL_OK;
    struct dirent *e;
    while (rc == MDL_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        char *path = mdl_alloc(l->ctx, len);
        if (path == NULL) {
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "%s: out of memory", dir);
            break;
        }
        snprintf(path, len, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0) {
            mdl_free(l->ctx, path);
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            if (depth < 8)
                rc = walk(l, path, depth + 1, err);
            mdl_free(l->ctx, path);
        } else if (S_ISREG(st.st_mode) && ends_with(e->d_name, ".yaml")) {
            if (path_add(l, path) != MDL_OK) {
                mdl_free(l->ctx, path);
                rc = mdl_error_set(err, MDL_ERR_NOMEM, "%s: out of memory", dir);
            }
        } else {
            mdl_free(l->ctx, path);
        }
    }
    closedir(d);
    return rc;
}

static int cmp_contract(const void *a, const void *b)
{
    const mdl_contract *x = *(const mdl_contract *const *)a, *y = *(const mdl_contract *const *)b;
    int r = strcmp(x->table, y->table);
    return r != 0 ? r : strcmp(x->file, y->file);
}

/* `table:` must be <layer>.<name> of a file at <layer>/<name>.yaml. */
static int check_place(const mdl_contract *c, mdl_error *err)
{
    const char *path = c->file, *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *parent = base;
    if (base > path + 1) {
        parent = base - 1;
        while (parent > path && parent[-1] != '/')
            parent--;
    }
    size_t base_len = strlen(base) - 5, parent_len = (size_t)(base - parent);
    parent_len = parent_len > 0 ? parent_len - 1 : 0;
    bool ok = parent_len == strlen(c->layer) && memcmp(parent, c->layer, parent_len) == 0 &&
              base_len == strlen(c->name) && memcmp(base, c->name, base_len) == 0;
    if (ok)
        return MDL_OK;
    return mdl_error_set(err, MDL_ERR_SCHEMA,
                         "%s:%d:%d: table '%s' must be in %s/%s.yaml (the file's place says "
                         "'%.*s.%.*s')",
                         c->file, c->table_line, c->table_column, c->table, c->layer, c->name,
                         (int)parent_len, parent, (int)base_len, base);
}

int mdl_contract_set_load(mdl_ctx *ctx, const char *dir, mdl_contract_set *out, mdl_error *err)
{
    memset(out, 0, sizeof *out);
    out->ctx = ctx;
    path_list l = {ctx, NULL, 0, 0};
    int rc = walk(&l, dir, 0, err);
    if (rc == MDL_OK && l.count > 0) {
        out->items = mdl_calloc(ctx, l.count, sizeof *out->items);
        if (out->items == NULL)
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "%s: out of memory", dir);
    }
    for (size_t i = 0; rc == MDL_OK && i < l.count; i++) {
        rc = mdl_contract_load(ctx, l.items[i], &out->items[out->count], err);
        if (rc == MDL_OK)
            rc = check_place(out->items[out->count++], err);
    }
    if (rc == MDL_OK && out->count > 1) {
        qsort(out->items, out->count, sizeof *out->items, cmp_contract);
        for (size_t i = 1; i < out->count && rc == MDL_OK; i++)
            if (strcmp(out->items[i]->table, out->items[i - 1]->table) == 0)
                rc = mdl_error_set(
                    err, MDL_ERR_SCHEMA, "%s:%d:%d: table '%s' is also defined in %s",
                    out->items[i]->file, out->items[i]->table_line, out->items[i]->table_column,
                    out->items[i]->table, out->items[i - 1]->file);
    }
    free_strs(ctx, l.items, l.count);
    if (rc != MDL_OK)
        mdl_contract_set_free(out);
    return rc;
}

void mdl_contract_set_free(mdl_contract_set *set)
{
    if (set == NULL)
        return;
    for (size_t i = 0; i < set->count; i++)
        mdl_contract_free(set->items[i]);
    mdl_free(set->ctx, set->items);
    set->items = NULL;
    set->count = 0;
}

const mdl_contract *mdl_contract_set_find(const mdl_contract_set *set, const char *table)
{
    for (size_t i = 0; set != NULL && i < set->count; i++)
        if (strcmp(set->items[i]->table, table) == 0)
            return set->items[i];
    return NULL;
}

int mdl_contract_schema(const mdl_contract *c, mdl_schema **out, mdl_error *err)
{
    *out = NULL;
    mdl_field_def *defs = mdl_calloc(c->ctx, c->num_columns ? c->num_columns : 1, sizeof *defs);
    if (defs == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < c->num_columns; i++)
        defs[i] = (mdl_field_def){c->columns[i].name, c->columns[i].type, c->columns[i].nullable};
    int rc = mdl_schema_new(c->ctx, defs, c->num_columns, out, err);
    mdl_free(c->ctx, defs);
    return rc;
}

const char *mdl_contract_source_option(const mdl_contract *c, const char *key)
{
    if (c == NULL || !c->has_source)
        return NULL;
    for (size_t i = 0; i < c->source.num_options; i++)
        if (strcmp(c->source.options[i].key, key) == 0)
            return c->source.options[i].value;
    return NULL;
}

bool mdl_contract_check_target(const mdl_contract_check *ck, char *buf, size_t cap)
{
    for (size_t i = 0; i < ck->num_params; i++) {
        const char *k = ck->params[i].key, *v = ck->params[i].value;
        if (strcmp(ck->kind, "relationship") == 0 && strcmp(k, "to") == 0) {
            const char *dot = strrchr(v, '.');
            snprintf(buf, cap, "%.*s", dot ? (int)(dot - v) : 0, v);
            return dot != NULL;
        }
        if (strcmp(ck->kind, "reconcile") == 0 && strcmp(k, "with") == 0) {
            snprintf(buf, cap, "%s", v);
            return true;
        }
    }
    return false;
}
