/*
 * contract_doc.c - the Markdown page of a table (docs/schemas/<layer>.<name>.md), generated
 * from its contract. Deterministic: the same contract gives the same bytes (no dates, no
 * absolute paths), so the committed pages can be compared with a fresh rendering in CI.
 */
#include <string.h>

#include "contract_internal.h"

/* Text in a table cell or a line: '|' escaped, line breaks as spaces. */
static int cell(mdl_buf *out, const char *s, mdl_error *err)
{
    if (s == NULL)
        return MDL_OK;
    for (const char *p = s; *p; p++) {
        int rc;
        if (*p == '|')
            rc = mdl_buf_append(out, "\\|", 2, err);
        else if (*p == '\n' || *p == '\r')
            rc = mdl_buf_append(out, " ", 1, err);
        else
            rc = mdl_buf_append(out, p, 1, err);
        if (rc != MDL_OK)
            return rc;
    }
    return MDL_OK;
}

/* `code` in a table cell; a backtick in the text makes it plain text instead. */
static int code(mdl_buf *out, const char *s, mdl_error *err)
{
    if (*s == '\0')
        return mdl_buf_append_str(out, "`\"\"` (empty)", err);
    if (strchr(s, '`') != NULL)
        return cell(out, s, err);
    int rc = mdl_buf_append(out, "`", 1, err);
    if (rc == MDL_OK)
        rc = cell(out, s, err);
    if (rc == MDL_OK)
        rc = mdl_buf_append(out, "`", 1, err);
    return rc;
}

static int code_list(mdl_buf *out, const char *const *items, size_t n, const char *none,
                     mdl_error *err)
{
    if (n == 0)
        return mdl_buf_append_str(out, none, err);
    for (size_t i = 0; i < n; i++) {
        int rc = i ? mdl_buf_append(out, ", ", 2, err) : MDL_OK;
        if (rc == MDL_OK)
            rc = code(out, items[i], err);
        if (rc != MDL_OK)
            return rc;
    }
    return MDL_OK;
}

#define TRY(x)                                                                                     \
    do {                                                                                           \
        rc = (x);                                                                                  \
        if (rc != MDL_OK)                                                                          \
            return rc;                                                                             \
    } while (0)

static int doc_source(const mdl_contract *c, mdl_buf *out, mdl_error *err)
{
    int rc;
    const mdl_contract_source *s = &c->source;
    TRY(mdl_buf_append_str(out, "\n## Source\n\n| | |\n|---|---|\n| type | ", err));
    TRY(cell(out, s->type, err));
    TRY(mdl_buf_append_str(out, " |\n| system (`_source_system`) | ", err));
    TRY(code(out, s->system, err));
    if (s->connection != NULL) {
        TRY(mdl_buf_append_str(out, " |\n| connection | ", err));
        TRY(code(out, s->connection, err));
    }
    TRY(mdl_buf_append_str(out, " |\n| format | ", err));
    TRY(cell(out, s->format, err));
    TRY(mdl_buf_append_str(out, " |\n| paths (relative to the landing root) | ", err));
    TRY(code_list(out, (const char *const *)s->paths, s->num_paths, "", err));
    TRY(mdl_buf_append_str(out, " |\n| options | ", err));
    if (s->num_options == 0)
        TRY(mdl_buf_append_str(out, "defaults", err));
    for (size_t i = 0; i < s->num_options; i++) {
        if (i)
            TRY(mdl_buf_append(out, ", ", 2, err));
        TRY(cell(out, s->options[i].key, err));
        TRY(mdl_buf_append(out, " ", 1, err));
        TRY(code(out, s->options[i].value, err));
    }
    return mdl_buf_append_str(out, " |\n", err);
}

static int doc_columns(const mdl_contract *c, mdl_buf *out, mdl_error *err)
{
    int rc;
    bool any_source = false, any_format = false;
    for (size_t i = 0; i < c->num_columns; i++) {
        any_source |= c->columns[i].source_name != NULL;
        any_format |= c->columns[i].format != NULL;
    }
    TRY(mdl_buf_append_str(out, "\n## Columns\n\n| column | type | nullable | PII |", err));
    if (any_source)
        TRY(mdl_buf_append_str(out, " source field |", err));
    if (any_format)
        TRY(mdl_buf_append_str(out, " source format |", err));
    TRY(mdl_buf_append_str(out, " description |\n|---|---|---|---|", err));
    if (any_source)
        TRY(mdl_buf_append_str(out, "---|", err));
    if (any_format)
        TRY(mdl_buf_append_str(out, "---|", err));
    TRY(mdl_buf_append_str(out, "---|\n", err));
    for (size_t i = 0; i < c->num_columns; i++) {
        const mdl_contract_column *col = &c->columns[i];
        char type[64];
        mdl_type_format(col->type, type, sizeof type);
        TRY(mdl_buf_append_str(out, "| ", err));
        TRY(code(out, col->name, err));
        TRY(mdl_buf_printf(out, err, " | %s | %s | %s |", type, col->nullable ? "yes" : "no",
                           col->pii == MDL_PII_NONE ? "" : mdl_contract__pii_name(col->pii)));
        if (any_source) {
            TRY(mdl_buf_append(out, " ", 1, err));
            if (col->source_name != NULL)
                TRY(code(out, col->source_name, err));
            TRY(mdl_buf_append(out, " |", 2, err));
        }
        if (any_format) {
            TRY(mdl_buf_append(out, " ", 1, err));
            if (col->format != NULL)
                TRY(code(out, col->format, err));
            TRY(mdl_buf_append(out, " |", 2, err));
        }
        TRY(mdl_buf_append(out, " ", 1, err));
        TRY(cell(out, col->description, err));
        TRY(mdl_buf_append_str(out, " |\n", err));
    }
    if (strcmp(c->layer, "bronze") != 0)
        return MDL_OK;
    TRY(mdl_buf_append_str(out,
                           "\nMetadata columns that bronze ingestion adds to every row:\n\n"
                           "| column | type | nullable | description |\n"
                           "|---|---|---|---|\n",
                           err));
    for (size_t i = 0; i < mdl_contract__num_meta_columns; i++) {
        const mdl_contract_meta_column *m = &mdl_contract__meta_columns[i];
        TRY(mdl_buf_printf(out, err, "| `%s` | %s | no | %s |\n", m->name, m->type,
                           m->description));
    }
    return MDL_OK;
}

static int doc_checks(const mdl_contract *c, mdl_buf *out, mdl_error *err)
{
    int rc;
    TRY(mdl_buf_append_str(out, "\n## Checks\n\n", err));
    if (c->num_checks == 0)
        return mdl_buf_append_str(out, "None declared.\n", err);
    TRY(mdl_buf_append_str(out,
                           "| check | column | parameters | severity | threshold |\n"
                           "|---|---|---|---|---|\n",
                           err));
    for (size_t i = 0; i < c->num_checks; i++) {
        const mdl_contract_check *ck = &c->checks[i];
        if (ck->label != NULL) /* the name results and alerts use, then what it is */
            TRY(mdl_buf_printf(out, err, "| %s (%s) | ", ck->label, ck->kind));
        else
            TRY(mdl_buf_printf(out, err, "| %s | ", ck->kind));
        if (ck->column != NULL)
            TRY(code(out, ck->column, err));
        else
            TRY(mdl_buf_append_str(out, "(table)", err));
        TRY(mdl_buf_append_str(out, " | ", err));
        for (size_t j = 0; j < ck->num_params; j++) {
            if (j)
                TRY(mdl_buf_append(out, ", ", 2, err));
            TRY(cell(out, ck->params[j].key, err));
            TRY(mdl_buf_append(out, " ", 1, err));
            TRY(code(out, ck->params[j].value, err));
        }
        if (ck->num_values > 0) {
            if (ck->num_params > 0)
                TRY(mdl_buf_append(out, ", ", 2, err));
            TRY(code_list(out, (const char *const *)ck->values, ck->num_values, "", err));
        }
        TRY(mdl_buf_printf(out, err, " | %s | %s |\n", ck->severity ? ck->severity : "error",
                           ck->threshold ? ck->threshold : "0"));
    }
    return MDL_OK;
}

int mdl_contract_doc(const mdl_contract *c, const char *const *upstream, size_t num_upstream,
                     const char *const *downstream, size_t num_downstream, mdl_buf *out,
                     mdl_error *err)
{
    int rc;
    TRY(mdl_buf_printf(out, err, "# %s\n\n", c->table));
    TRY(mdl_buf_printf(out, err,
                       "<!-- Generated by `medallion docs` from contracts/%s/%s.yaml; do not "
                       "edit. -->\n\n",
                       c->layer, c->name));
    if (c->description != NULL) {
        TRY(cell(out, c->description, err));
        TRY(mdl_buf_append_str(out, "\n\n", err));
    }
    TRY(mdl_buf_append_str(out, "| | |\n|---|---|\n| owner | ", err));
    TRY(cell(out, c->owner ? c->owner : "(none)", err));
    TRY(mdl_buf_printf(out, err, " |\n| materialized | %s |\n| unique key | ", c->materialized));
    TRY(code_list(out, (const char *const *)c->unique_key, c->num_unique_key, "(none)", err));
    TRY(mdl_buf_append_str(out, " |\n| partitioned by | ", err));
    TRY(code_list(out, (const char *const *)c->partition_by, c->num_partition_by,
                  "(not partitioned)", err));
    TRY(mdl_buf_printf(out, err, " |\n| schema mode | %s |\n",
                       mdl_contract__schema_mode_name(c->schema_mode)));
    if (c->incremental_order_by != NULL)
        TRY(mdl_buf_printf(out, err,
                           "| merge order | a row replaces its key's row unless older by `%s` |\n",
                           c->incremental_order_by));
    if (c->scd2_surrogate_key != NULL) {
        TRY(mdl_buf_printf(out, err,
                           "| scd2 | surrogate key `%s`; tracked: ", c->scd2_surrogate_key));
        TRY(code_list(out, (const char *const *)c->scd2_tracked, c->num_scd2_tracked,
                      "every column but the key", err));
        TRY(mdl_buf_append_str(out, "; valid_from: ", err));
        if (c->scd2_valid_from != NULL)
            TRY(mdl_buf_printf(out, err, "`%s`", c->scd2_valid_from));
        else
            TRY(mdl_buf_append_str(out, "the build time", err));
        TRY(mdl_buf_printf(out, err, "; a key that disappears is %s |\n",
                           c->scd2_keep_missing ? "kept open" : "closed"));
    }
    if (c->has_source)
        TRY(doc_source(c, out, err));
    TRY(doc_columns(c, out, err));
    TRY(doc_checks(c, out, err));
    TRY(mdl_buf_append_str(out, "\n## Lineage\n\n- upstream: ", err));
    if (num_upstream == 0 && c->has_source) {
        TRY(mdl_buf_printf(out, err, "source system `%s` (%s files: ", c->source.system,
                           c->source.format));
        TRY(code_list(out, (const char *const *)c->source.paths, c->source.num_paths, "", err));
        TRY(mdl_buf_append_str(out, ")", err));
    } else {
        TRY(code_list(out, upstream, num_upstream, "(none)", err));
    }
    TRY(mdl_buf_append_str(out, "\n- downstream: ", err));
    TRY(code_list(out, downstream, num_downstream, "(none yet)", err));
    return mdl_buf_append_str(out, "\n", err);
}
