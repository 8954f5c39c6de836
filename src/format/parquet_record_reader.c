/*
 * parquet_record_reader.c - reads nested Parquet records (struct, list, map) as JSON text,
 * against a requested schema of mdl_pq_node trees (include/medallion/format.h, "nested
 * Parquet records").
 *
 * Spec: apache/parquet-format README.md ("Nested encoding"), LogicalTypes.md ("Nested
 * types", with its "Backward-compatibility rules" for lists and maps), and the record
 * assembly of the Dremel paper (Melnik et al., VLDB 2010).
 *
 * The file's schema is a depth-first list of SchemaElements (parquet_reader.c shows the
 * layout); each element's definition level is the number of non-REQUIRED elements on its
 * path from the root (itself included), its repetition level the number of REPEATED ones.
 * The shapes matched against the requested nodes:
 *
 *   STRUCT  <name> (group, no LIST/MAP annotation) { fields ... }
 *   LIST    <name> (LIST) { repeated group <any> { <element> } }        three-level
 *           <name> (LIST) { repeated <primitive element> }              two-level (legacy)
 *           <name> (LIST) { repeated group <any> { >1 fields } }        two-level: the
 *           <name> (LIST) { repeated group array / <name>_tuple { 1 } } group is the element
 *           repeated <element> (no annotation)                          a required list
 *   MAP     <name> (MAP or MAP_KEY_VALUE) { repeated group <any> { key, value } }
 *   LEAF    BOOLEAN; INT32; INT64 (or INT32); DOUBLE (or FLOAT); STRING (BYTE_ARRAY,
 *           UTF8/STRING or unannotated)
 *
 * Reading: per row group, every needed leaf's chunk is decoded whole into repetition and
 * definition levels plus the values of its defined entries (parquet_page.c). Records are
 * then assembled top-down with a cursor per leaf: a node is present when the first leaf
 * below it has a definition level at least the node's; a null (or empty) node takes one
 * entry from every leaf below it; a list goes on while the next entry of its first leaf
 * repeats at the list's level. Every entry taken is checked against what the node expects
 * (its repetition level, its definition level range), so leaves that disagree on record or
 * element boundaries are MDL_ERR_PARSE, as are leaves left with entries after the row
 * group's records. A requested STRUCT whose fields the file all lacks reads levels (only)
 * of one leaf below the file's group, to tell null from {}.
 *
 * Memory: one chunk's bytes per leaf at a time, and per needed leaf its levels (4 bytes an
 * entry) and values, each bounded by the page limit the flat reader uses.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compress.h"
#include "parquet_footer.h"
#include "parquet_meta.h"
#include "parquet_nested.h"
#include "parquet_page.h"
#include "parquet_schema.h"

/* Level entries decoded per step while reading a chunk. */
#define STEP 8192

/* One element of the file's schema. */
typedef struct fnode {
    const pq_schema_element *e;
    size_t *kids; /* schema indices of the children (into r->kid_slots) */
    size_t nkids;
    int def, rep;
    size_t parent; /* schema index of the parent (0 for the root's children) */
    size_t col;    /* leaves: the column chunk index */
} fnode;

/* A leaf read for the records. */
typedef struct rleaf {
    size_t col;
    char *path; /* dotted path in the file */
    mdl_format__pq_leaf leaf;
    mdl_format__pq_chunk_reader *cr;
    bool probe; /* levels only */
    uint16_t *rep, *def;
    size_t n, cap, pos;
    mdl_column vals;
    size_t vpos;
} rleaf;

/* A requested node matched against the file. */
typedef struct pnode {
    const mdl_pq_node *req;
    char *path;
    bool missing;     /* not in the file: null */
    int def;          /* present when the first leaf's def is at least this */
    int rep, rep_def; /* LIST / MAP: the repeated level; elements exist from rep_def */
    int self_rep;     /* STRUCT with a probe: the group's own repetition level */
    size_t leaf;      /* LEAF: index into leaves; STRUCT: the probe or SIZE_MAX */
    size_t lb, le;    /* leaves below: [lb, le) */
    struct pnode *kids;
    size_t nkids;
} pnode;

struct mdl_parquet_record_reader {
    mdl_ctx *ctx;
    mdl_rinput *in;
    const char *name;
    mdl_format__pq_footer ft;
    fnode *fn;
    size_t *kid_slots;
    size_t ncols;
    pnode root;
    rleaf *leaves;
    size_t nleaves, leaves_cap;
    mdl_format__decompressor *dec;
    size_t page_limit;
    size_t next_rg, rg;
    bool in_rg;
    uint64_t rg_left;
    uint64_t record; /* records returned so far */
    bool done;
};

/* ---- file schema -------------------------------------------------------------------------- */

/* Builds r->fn from the depth-first schema list, with levels and column indices. */
static int build_tree(mdl_parquet_record_reader *r, mdl_error *err)
{
    const pq_file_meta *m = &r->ft.meta;
    size_t n = m->num_schema;
    if (n == 0 || m->schema[0].num_children < 0)
        return mdl_error_set(err, MDL_ERR_PARSE, "%s: the schema has no root group", r->name);
    r->fn = mdl_calloc(r->ctx, n, sizeof *r->fn);
    r->kid_slots = mdl_calloc(r->ctx, n, sizeof *r->kid_slots);
    size_t *stack = mdl_calloc(r->ctx, n, sizeof *stack);
    int rc = MDL_OK;
    if (r->fn == NULL || r->kid_slots == NULL || stack == NULL) {
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory reading a Parquet schema");
        goto cleanup;
    }
    size_t used = 0, depth = 1, i = 1;
    r->fn[0].e = &m->schema[0];
    r->fn[0].kids = r->kid_slots;
    if ((size_t)m->schema[0].num_children > n - 1) {
        rc = mdl_error_set(err, MDL_ERR_PARSE,
                           "%s: the schema has fewer elements than its groups claim", r->name);
        goto cleanup;
    }
    used = (size_t)m->schema[0].num_children;
    stack[0] = 0;
    while (depth > 0) {
        fnode *top = &r->fn[stack[depth - 1]];
        if (top->nkids == (size_t)top->e->num_children) {
            depth--;
            continue;
        }
        if (i >= n) {
            rc = mdl_error_set(err, MDL_ERR_PARSE,
                               "%s: the schema has fewer elements than its groups claim", r->name);
            goto cleanup;
        }
        const pq_schema_element *e = &m->schema[i];
        fnode *f = &r->fn[i];
        f->e = e;
        top->kids[top->nkids++] = i;
        f->parent = stack[depth - 1];
        bool is_root = top == &r->fn[0];
        f->def = (is_root ? 0 : top->def) + (e->repetition != PQ_REQUIRED);
        f->rep = (is_root ? 0 : top->rep) + (e->repetition == PQ_REPEATED);
        if (e->num_children != PQ_ABSENT) {
            if (e->num_children < 0 || (size_t)e->num_children > n - used - 1) {
                rc = mdl_error_set(err, MDL_ERR_PARSE,
                                   "%s: schema element %zu has a bad number of children", r->name,
                                   i);
                goto cleanup;
            }
            f->kids = r->kid_slots + used;
            used += (size_t)e->num_children;
            stack[depth++] = i;
        } else {
            if (e->type < PQ_BOOLEAN || e->type > PQ_FLBA) {
                rc = mdl_error_set(err, MDL_ERR_PARSE,
                                   "%s: schema element %zu is neither a group nor a known "
                                   "physical type",
                                   r->name, i);
                goto cleanup;
            }
            f->col = r->ncols++;
        }
        i++;
    }
    if (i != n)
        rc = mdl_error_set(err, MDL_ERR_PARSE,
                           "%s: the schema has %zu elements but its groups hold only %zu", r->name,
                           n, i);
cleanup:
    mdl_free(r->ctx, stack);
    return rc;
}

/* ---- matching the requested nodes --------------------------------------------------------- */

static bool is_list(const pq_schema_element *e)
{
    return e->converted_type == PQ_CT_LIST || e->logical.kind == PQ_LT_LIST;
}

static bool is_map(const pq_schema_element *e)
{
    return e->converted_type == PQ_CT_MAP || e->converted_type == PQ_CT_MAP_KEY_VALUE ||
           e->logical.kind == PQ_LT_MAP;
}

/* What a file element is, for messages. */
static void describe(const pq_schema_element *e, char *buf, size_t cap)
{
    const char *rep = e->repetition == PQ_REPEATED ? "a repeated " : "";
    if (e->num_children == PQ_ABSENT) {
        mdl_type t;
        char tn[64] = "";
        if (mdl_format__pq_type_for(e, &t, NULL) == MDL_OK)
            mdl_type_format(t, tn, sizeof tn);
        snprintf(buf, cap, "%s%s%s%s%s", rep, mdl_format__pq_type_name(e->type), tn[0] ? " (" : "",
                 tn, tn[0] ? ")" : "");
    } else {
        snprintf(buf, cap, "%s%s", rep[0] ? rep : "a ",
                 is_list(e)  ? "LIST group"
                 : is_map(e) ? "MAP group"
                             : "group");
    }
}

static const char *kind_name(const mdl_pq_node *n)
{
    switch (n->kind) {
    case MDL_PQ_STRUCT:
        return "a STRUCT";
    case MDL_PQ_LIST:
        return "a LIST";
    case MDL_PQ_MAP:
        return "a MAP";
    default:
        return "a leaf";
    }
}

static int mismatch(mdl_parquet_record_reader *r, const pnode *pn, const char *expected,
                    const pq_schema_element *e, const char *why, mdl_error *err)
{
    char found[96];
    describe(e, found, sizeof found);
    return mdl_error_set(err, MDL_ERR_SCHEMA, "%s: field '%s': expected %s, found %s%s%s", r->name,
                         pn->path, expected, found, why ? ": " : "", why ? why : "");
}

static int push_leaf(mdl_parquet_record_reader *r, size_t fi, bool probe, size_t *out,
                     mdl_error *err)
{
    if (r->nleaves == r->leaves_cap) {
        size_t cap = r->leaves_cap ? r->leaves_cap * 2 : 8;
        rleaf *p = mdl_realloc(r->ctx, r->leaves, cap * sizeof *p);
        if (p == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a record reader");
        r->leaves = p;
        r->leaves_cap = cap;
    }
    rleaf *l = &r->leaves[r->nleaves];
    memset(l, 0, sizeof *l);
    const fnode *f = &r->fn[fi];
    l->col = f->col;
    l->probe = probe;
    /* the dotted file path, built from the leaf up */
    size_t len = 0;
    for (size_t cur = fi; cur != 0; cur = r->fn[cur].parent)
        len += r->fn[cur].e->name.len + 1;
    l->path = mdl_alloc(r->ctx, len ? len : 1);
    if (l->path == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a record reader");
    l->path[len ? len - 1 : 0] = '\0';
    for (size_t cur = fi, end = len ? len - 1 : 0; cur != 0; cur = r->fn[cur].parent) {
        mdl_strview nm = r->fn[cur].e->name;
        end -= nm.len;
        if (nm.len)
            memcpy(l->path + end, nm.ptr, nm.len);
        if (end > 0)
            l->path[--end] = '.';
    }
    r->nleaves++;
    mdl_error e;
    int rc = mdl_format__pq_leaf_init(f->e, l->path, &l->leaf, &e);
    if (rc != MDL_OK)
        return mdl_error_set(err, rc, "%s: %s", r->name, e.message);
    if (f->def > MDL_PQ_MAX_LEVEL || f->rep > MDL_PQ_MAX_LEVEL)
        return mdl_error_set(err, MDL_ERR_UNSUPPORTED, "%s: column '%s' is nested too deeply",
                             r->name, l->path);
    l->leaf.levels = true;
    l->leaf.max_def = f->def;
    l->leaf.max_rep = f->rep;
    l->vals.type = l->leaf.type;
    *out = r->nleaves - 1;
    return MDL_OK;
}

/* The first leaf below file element fi that reads (for a probe), or SIZE_MAX. */
static size_t probe_leaf(const mdl_parquet_record_reader *r, size_t fi)
{
    const fnode *f = &r->fn[fi];
    if (f->e->num_children == PQ_ABSENT) {
        mdl_format__pq_leaf l;
        return mdl_format__pq_leaf_init(f->e, "", &l, NULL) == MDL_OK ? fi : SIZE_MAX;
    }
    for (size_t k = 0; k < f->nkids; k++) {
        size_t p = probe_leaf(r, f->kids[k]);
        if (p != SIZE_MAX)
            return p;
    }
    return SIZE_MAX;
}

static int match(mdl_parquet_record_reader *r, pnode *pn, const mdl_pq_node *req, size_t fi,
                 bool elem2, mdl_error *err);

static int set_path(mdl_parquet_record_reader *r, pnode *pn, const char *parent,
                    const mdl_pq_node *req, mdl_error *err)
{
    size_t pl = parent ? strlen(parent) : 0, nl = strlen(req->name), len;
    if (!mdl_size_add(pl + 1, nl + 1, &len) || (pn->path = mdl_alloc(r->ctx, len)) == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a record reader");
    if (pl)
        snprintf(pn->path, len, "%s.%s", parent, req->name);
    else
        snprintf(pn->path, len, "%s", req->name);
    return MDL_OK;
}

/* Matches the children of a STRUCT by name among the file group fi's children. */
static int match_fields(mdl_parquet_record_reader *r, pnode *pn, size_t fi, mdl_error *err)
{
    const mdl_pq_node *req = pn->req;
    pn->kids = mdl_calloc(r->ctx, req->num_children, sizeof *pn->kids);
    if (pn->kids == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a record reader");
    pn->nkids = req->num_children;
    const fnode *f = &r->fn[fi];
    for (size_t c = 0; c < req->num_children; c++) {
        const mdl_pq_node *cr = &req->children[c];
        pnode *kid = &pn->kids[c];
        kid->req = cr;
        int rc = set_path(r, kid, pn->path, cr, err);
        if (rc != MDL_OK)
            return rc;
        size_t found = SIZE_MAX;
        for (size_t k = 0; k < f->nkids; k++)
            if (mdl_sv_eq_cstr(r->fn[f->kids[k]].e->name, cr->name)) {
                if (found != SIZE_MAX)
                    return mdl_error_set(err, MDL_ERR_UNSUPPORTED,
                                         "%s: field '%s': the file has it twice", r->name,
                                         kid->path);
                found = f->kids[k];
            }
        if (found == SIZE_MAX) {
            if (!cr->nullable)
                return mdl_error_set(err, MDL_ERR_SCHEMA,
                                     "%s: field '%s' is not in the file and is not nullable",
                                     r->name, kid->path);
            kid->missing = true;
            kid->lb = kid->le = r->nleaves;
            continue;
        }
        rc = match(r, kid, cr, found, false, err);
        if (rc != MDL_OK)
            return rc;
    }
    return MDL_OK;
}

static int match_leaf(mdl_parquet_record_reader *r, pnode *pn, const mdl_pq_node *req, size_t fi,
                      mdl_error *err)
{
    const pq_schema_element *e = r->fn[fi].e;
    char expected[64];
    mdl_type_format(req->type, expected, sizeof expected);
    mdl_type t;
    if (mdl_format__pq_type_for(e, &t, NULL) != MDL_OK)
        return mismatch(r, pn, expected, e, "a type this reader does not read", err);
    bool ok;
    switch (req->type.id) {
    case MDL_TYPE_BOOLEAN:
        ok = t.id == MDL_TYPE_BOOLEAN;
        break;
    case MDL_TYPE_INT32:
        ok = t.id == MDL_TYPE_INT32;
        break;
    case MDL_TYPE_INT64:
        ok = t.id == MDL_TYPE_INT64 || t.id == MDL_TYPE_INT32;
        break;
    case MDL_TYPE_DOUBLE:
        ok = t.id == MDL_TYPE_DOUBLE;
        break;
    case MDL_TYPE_STRING:
        ok = t.id == MDL_TYPE_STRING;
        break;
    default:
        ok = false;
    }
    if (!ok)
        return mismatch(r, pn, expected, e, NULL, err);
    return push_leaf(r, fi, false, &pn->leaf, err);
}

/*
 * Matches requested node `req` to file element fi. elem2: fi is the repeated field of a
 * two-level list standing for the element itself.
 */
static int match(mdl_parquet_record_reader *r, pnode *pn, const mdl_pq_node *req, size_t fi,
                 bool elem2, mdl_error *err)
{
    const fnode *f = &r->fn[fi];
    const pq_schema_element *e = f->e;
    bool group = e->num_children != PQ_ABSENT;
    pn->req = req;
    pn->def = f->def;
    pn->leaf = SIZE_MAX;
    pn->lb = r->nleaves;
    int rc = MDL_OK;
    bool repeated = e->repetition == PQ_REPEATED && !elem2;
    switch (req->kind) {
    case MDL_PQ_LEAF:
        if (group || repeated) {
            char expected[64];
            mdl_type_format(req->type, expected, sizeof expected);
            return mismatch(r, pn, expected, e, NULL, err);
        }
        rc = match_leaf(r, pn, req, fi, err);
        break;
    case MDL_PQ_STRUCT:
        if (!group || repeated || is_list(e) || is_map(e))
            return mismatch(r, pn, kind_name(req), e, NULL, err);
        rc = match_fields(r, pn, fi, err);
        if (rc == MDL_OK && r->nleaves == pn->lb) {
            size_t p = probe_leaf(r, fi);
            if (p == SIZE_MAX)
                return mdl_error_set(err, MDL_ERR_UNSUPPORTED,
                                     "%s: field '%s': none of the file's columns below it reads",
                                     r->name, pn->path);
            pn->self_rep = f->rep;
            rc = push_leaf(r, p, true, &pn->leaf, err);
        }
        break;
    case MDL_PQ_LIST: {
        if (elem2)
            return mismatch(r, pn, kind_name(req), e, "a list in a two-level list", err);
        size_t el;
        bool two = true;
        if (e->repetition == PQ_REPEATED && !is_list(e) && !is_map(e)) {
            /* a bare repeated field: a required list of required elements */
            pn->def = f->def - 1;
            pn->rep = f->rep;
            pn->rep_def = f->def;
            el = fi;
        } else {
            if (!group || !is_list(e) || e->repetition == PQ_REPEATED)
                return mismatch(r, pn, kind_name(req), e, NULL, err);
            if (f->nkids != 1 || r->fn[f->kids[0]].e->repetition != PQ_REPEATED)
                return mismatch(r, pn, kind_name(req), e,
                                "a LIST group must hold one repeated field", err);
            size_t g = f->kids[0];
            const fnode *gf = &r->fn[g];
            pn->rep = gf->rep;
            pn->rep_def = gf->def;
            el = g;
            if (gf->e->num_children != PQ_ABSENT) {
                char tuple[256];
                snprintf(tuple, sizeof tuple, "%.*s_tuple", (int)e->name.len, e->name.ptr);
                if (gf->nkids == 0)
                    return mismatch(r, pn, kind_name(req), e, "its repeated group is empty", err);
                if (gf->nkids == 1 && !mdl_sv_eq_cstr(gf->e->name, "array") &&
                    !mdl_sv_eq_cstr(gf->e->name, tuple)) {
                    el = gf->kids[0];
                    two = false;
                }
            }
        }
        pn->kids = mdl_calloc(r->ctx, 1, sizeof *pn->kids);
        if (pn->kids == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a record reader");
        pn->nkids = 1;
        const mdl_pq_node *ce = &req->children[0];
        rc = set_path(r, &pn->kids[0], pn->path, ce, err);
        if (rc == MDL_OK)
            rc = match(r, &pn->kids[0], ce, el, two, err);
        break;
    }
    case MDL_PQ_MAP: {
        if (elem2 || !group || repeated || !is_map(e))
            return mismatch(r, pn, kind_name(req), e, NULL, err);
        if (f->nkids != 1 || r->fn[f->kids[0]].e->repetition != PQ_REPEATED ||
            r->fn[f->kids[0]].nkids != 2)
            return mismatch(r, pn, kind_name(req), e,
                            "a MAP group must hold one repeated group of key and value", err);
        const fnode *gf = &r->fn[f->kids[0]];
        pn->rep = gf->rep;
        pn->rep_def = gf->def;
        pn->kids = mdl_calloc(r->ctx, 2, sizeof *pn->kids);
        if (pn->kids == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a record reader");
        pn->nkids = 2;
        for (size_t c = 0; c < 2 && rc == MDL_OK; c++) {
            rc = set_path(r, &pn->kids[c], pn->path, &req->children[c], err);
            if (rc == MDL_OK)
                rc = match(r, &pn->kids[c], &req->children[c], gf->kids[c], false, err);
        }
        break;
    }
    default:
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "field '%s': unknown kind", pn->path);
    }
    pn->le = r->nleaves;
    return rc;
}

/* ---- row groups --------------------------------------------------------------------------- */

/* Checks the row groups' counts and the needed chunks' ranges, types and codecs. */
static int validate_row_groups(mdl_parquet_record_reader *r, mdl_error *err)
{
    const pq_file_meta *m = &r->ft.meta;
    uint64_t total = 0;
    for (size_t g = 0; g < m->num_row_groups; g++) {
        int rc = mdl_format__pq_footer_check_row_group(&r->ft, r->name, g, r->ncols, &total, err);
        for (size_t i = 0; rc == MDL_OK && i < r->nleaves; i++) {
            const rleaf *l = &r->leaves[i];
            const pq_column_chunk *cc = &m->row_groups[g].columns[l->col];
            rc = mdl_format__pq_footer_check_chunk(&r->ft, r->name, g, cc, l->path,
                                                   l->leaf.physical, err);
            if (rc == MDL_OK)
                rc = mdl_format__pq_check_codec(r->name, l->path, cc->meta.codec, err);
        }
        if (rc != MDL_OK)
            return rc;
    }
    return mdl_format__pq_footer_check_total(&r->ft, r->name, total, err);
}

/* Makes room for `need` dense values in a column the reader grows itself. */
static int vals_reserve(mdl_parquet_record_reader *r, mdl_column *c, size_t need, mdl_error *err)
{
    if (need <= c->capacity && c->values != NULL)
        return MDL_OK;
    size_t cap = c->capacity < 1024 ? 1024 : c->capacity;
    while (cap < need)
        cap *= 2;
    bool str = c->type.id == MDL_TYPE_STRING;
    size_t w = str ? sizeof(int64_t) : mdl_type_width(c->type), bytes;
    if (!mdl_size_mul(cap + 1, w, &bytes))
        return mdl_error_set(err, MDL_ERR_LIMIT, "%s: too many values", r->name);
    void *p = mdl_realloc(r->ctx, c->values, bytes);
    if (p == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory reading nested Parquet values");
    if (c->values == NULL && str)
        ((int64_t *)p)[0] = 0;
    c->values = p;
    c->capacity = cap;
    return MDL_OK;
}

/* Decodes the whole chunk of leaf l in row group g into its level arrays and values. */
static int load_leaf(mdl_parquet_record_reader *r, rleaf *l, size_t g, mdl_error *err)
{
    const pq_row_group *rg = &r->ft.meta.row_groups[g];
    const pq_column_meta *cm = &rg->columns[l->col].meta;
    l->n = l->pos = l->vpos = 0;
    l->vals.length = 0;
    l->vals.data_len = 0;
    int rc = mdl_format__pq_chunk_reader_start(
        l->cr, r->in, g, (uint64_t)mdl_format__pq_chunk_start(cm), (size_t)cm->total_compressed,
        cm->codec, cm->num_values, rg->num_rows, err);
    if (rc != MDL_OK)
        return rc;
    size_t max_entries = r->page_limit / (2 * sizeof(uint16_t));
    for (;;) {
        uint64_t left = mdl_format__pq_chunk_reader_left(l->cr);
        if (left == 0)
            break;
        size_t k = left < STEP ? (size_t)left : STEP;
        if (l->n + k > max_entries)
            return mdl_error_set(err, MDL_ERR_LIMIT,
                                 "%s: column '%s' row group %zu: more than %zu level entries, "
                                 "over the page limit of %zu bytes",
                                 r->name, l->path, g, max_entries, r->page_limit);
        if (l->n + k > l->cap) {
            size_t cap = l->cap ? l->cap : STEP;
            while (cap < l->n + k)
                cap *= 2;
            uint16_t *a = mdl_realloc(r->ctx, l->rep, cap * sizeof *a);
            if (a != NULL)
                l->rep = a;
            uint16_t *b = a ? mdl_realloc(r->ctx, l->def, cap * sizeof *b) : NULL;
            if (b == NULL)
                return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory reading nested levels");
            l->def = b;
            l->cap = cap;
        }
        mdl_column *dv = l->probe ? NULL : &l->vals;
        if (dv != NULL) {
            rc = vals_reserve(r, dv, dv->length + k, err);
            if (rc != MDL_OK)
                return rc;
        }
        rc = mdl_format__pq_chunk_reader_read_levels(l->cr, k, l->rep + l->n, l->def + l->n, dv,
                                                     err);
        if (rc != MDL_OK)
            return rc;
        l->n += k;
        if (dv != NULL && dv->data_len > r->page_limit)
            return mdl_error_set(err, MDL_ERR_LIMIT,
                                 "%s: column '%s' row group %zu: its values take more than the "
                                 "page limit of %zu bytes",
                                 r->name, l->path, g, r->page_limit);
    }
    return mdl_format__pq_chunk_reader_finish(l->cr, err);
}

static int start_row_group(mdl_parquet_record_reader *r, size_t g, mdl_error *err)
{
    for (size_t i = 0; i < r->nleaves; i++) {
        int rc = load_leaf(r, &r->leaves[i], g, err);
        if (rc != MDL_OK)
            return rc;
    }
    r->rg = g;
    r->in_rg = true;
    r->rg_left = (uint64_t)r->ft.meta.row_groups[g].num_rows;
    return MDL_OK;
}

/* After the row group's last record: every leaf must be used up. */
static int end_row_group(mdl_parquet_record_reader *r, mdl_error *err)
{
    for (size_t i = 0; i < r->nleaves; i++) {
        const rleaf *l = &r->leaves[i];
        if (l->pos != l->n)
            return mdl_error_set(err, MDL_ERR_PARSE,
                                 "%s: column '%s' row group %zu entry %zu: the column has more "
                                 "entries than the row group's %lld records",
                                 r->name, l->path, r->rg, l->pos,
                                 (long long)r->ft.meta.row_groups[r->rg].num_rows);
    }
    r->in_rg = false;
    return MDL_OK;
}

/* ---- JSON output -------------------------------------------------------------------------- */

typedef struct jw {
    mdl_buf *out;
    int rc;
    mdl_error *err;
} jw;

static void jraw(jw *w, const char *s, size_t len)
{
    if (w->rc == MDL_OK && len > 0)
        w->rc = mdl_buf_append(w->out, s, len, w->err);
}

static void jc(jw *w, char c)
{
    jraw(w, &c, 1);
}

/* A JSON string of valid UTF-8: quotes, backslashes and control characters escaped. */
static void jstr(jw *w, const char *s, size_t len)
{
    jc(w, '"');
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        uint8_t c = (uint8_t)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            run++;
            continue;
        }
        jraw(w, s + i - run, run);
        run = 0;
        char esc[8];
        switch (c) {
        case '"':
            jraw(w, "\\\"", 2);
            break;
        case '\\':
            jraw(w, "\\\\", 2);
            break;
        case '\n':
            jraw(w, "\\n", 2);
            break;
        case '\t':
            jraw(w, "\\t", 2);
            break;
        case '\r':
            jraw(w, "\\r", 2);
            break;
        case '\b':
            jraw(w, "\\b", 2);
            break;
        case '\f':
            jraw(w, "\\f", 2);
            break;
        default:
            snprintf(esc, sizeof esc, "\\u%04x", (unsigned)c);
            jraw(w, esc, 6);
        }
    }
    jraw(w, s + len - run, run);
    jc(w, '"');
}

/* The shortest %.*g text that reads back as v; non-finite values are null. */
static void jdouble(jw *w, double v)
{
    if (!isfinite(v)) {
        jraw(w, "null", 4);
        return;
    }
    char buf[40];
    int n = 0;
    for (int p = 1; p <= 17; p++) {
        n = snprintf(buf, sizeof buf, "%.*g", p, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    jraw(w, buf, (size_t)n);
}

/* ---- record assembly ---------------------------------------------------------------------- */

typedef struct asm_ctx {
    mdl_parquet_record_reader *r;
    jw w;
    mdl_error *err;
} asm_ctx;

/* "FILE: column 'c' row group G entry E (record N): <message>" */
static int bad_entry(asm_ctx *a, const rleaf *l, const char *msg)
{
    mdl_parquet_record_reader *r = a->r;
    return mdl_error_set(a->err, MDL_ERR_PARSE,
                         "%s: column '%s' row group %zu entry %zu (record %llu): %s", r->name,
                         l->path, r->rg, l->pos, (unsigned long long)(r->record + 1), msg);
}

/* Checks the next entry of leaf i: it exists and repeats at `rep`; *def is its level. */
static int peek(asm_ctx *a, size_t i, int rep, int *def)
{
    const rleaf *l = &a->r->leaves[i];
    if (l->pos >= l->n)
        return bad_entry(a, l, "the column has fewer entries than the records need");
    if (l->rep[l->pos] != rep) {
        char msg[128];
        snprintf(msg, sizeof msg, "repetition level %u where %d was expected (%s)",
                 (unsigned)l->rep[l->pos], rep,
                 rep == 0 ? "a record starts here" : "the columns disagree on list boundaries");
        return bad_entry(a, l, msg);
    }
    *def = l->def[l->pos];
    return MDL_OK;
}

/* Takes one entry, with a definition level in [lo, hi), from every leaf below pn. */
static int take_one(asm_ctx *a, const pnode *pn, int rep, int lo, int hi)
{
    for (size_t i = pn->lb; i < pn->le; i++) {
        int d;
        int rc = peek(a, i, rep, &d);
        if (rc != MDL_OK)
            return rc;
        if (d < lo || d >= hi) {
            char msg[160];
            snprintf(msg, sizeof msg,
                     "definition level %d where %d to %d was expected (the columns below "
                     "'%s' disagree)",
                     d, lo, hi - 1, pn->path);
            return bad_entry(a, &a->r->leaves[i], msg);
        }
        a->r->leaves[i].pos++;
    }
    return MDL_OK;
}

static int null_error(asm_ctx *a, const pnode *pn)
{
    return mdl_error_set(a->err, MDL_ERR_SCHEMA,
                         "%s: record %llu: %s: null, but it is not nullable", a->r->name,
                         (unsigned long long)(a->r->record + 1), pn->path);
}

static int assemble(asm_ctx *a, const pnode *pn, int rep, int lo);

/*
 * A child node (present in the file) where a value or null goes: *is_null tells which. A null
 * takes its entries here; a value is left for assemble().
 */
static int child_state(asm_ctx *a, const pnode *pn, int rep, int lo, bool *is_null)
{
    int d;
    int rc = peek(a, pn->lb, rep, &d);
    if (rc != MDL_OK)
        return rc;
    if (d < lo) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "definition level %d below %d (the columns disagree on whether '%s' is null)", d,
                 lo, pn->path);
        return bad_entry(a, &a->r->leaves[pn->lb], msg);
    }
    *is_null = d < pn->def;
    if (!*is_null)
        return MDL_OK;
    if (!pn->req->nullable)
        return null_error(a, pn);
    return take_one(a, pn, rep, lo, pn->def);
}

static int assemble_leaf(asm_ctx *a, const pnode *pn, int rep, int lo)
{
    rleaf *l = &a->r->leaves[pn->leaf];
    int d;
    int rc = peek(a, pn->leaf, rep, &d);
    if (rc != MDL_OK)
        return rc;
    if (d != l->leaf.max_def) {
        char msg[160];
        snprintf(msg, sizeof msg, "definition level %d where %d was expected (at least %d)", d,
                 l->leaf.max_def, lo);
        return bad_entry(a, l, msg);
    }
    if (l->vpos >= l->vals.length)
        return bad_entry(a, l, "the column has fewer values than its definition levels say");
    const mdl_column *c = &l->vals;
    size_t v = l->vpos++;
    l->pos++;
    char buf[32];
    switch (c->type.id) {
    case MDL_TYPE_BOOLEAN:
        if (mdl_column_bool(c, v))
            jraw(&a->w, "true", 4);
        else
            jraw(&a->w, "false", 5);
        break;
    case MDL_TYPE_INT32:
        jraw(&a->w, buf, (size_t)snprintf(buf, sizeof buf, "%ld", (long)mdl_column_i32(c, v)));
        break;
    case MDL_TYPE_INT64:
        jraw(&a->w, buf,
             (size_t)snprintf(buf, sizeof buf, "%lld", (long long)mdl_column_i64(c, v)));
        break;
    case MDL_TYPE_DOUBLE:
        jdouble(&a->w, mdl_column_f64(c, v));
        break;
    case MDL_TYPE_STRING: {
        mdl_strview s = mdl_column_str(c, v);
        jstr(&a->w, s.ptr, s.len);
        break;
    }
    default:
        return mdl_error_set(a->err, MDL_ERR_UNSUPPORTED, "field '%s': unsupported type", pn->path);
    }
    return a->w.rc;
}

static int assemble_struct(asm_ctx *a, const pnode *pn, int rep)
{
    jc(&a->w, '{');
    bool first = true;
    for (size_t c = 0; c < pn->nkids; c++) {
        const pnode *kid = &pn->kids[c];
        if (kid->missing)
            continue;
        bool is_null;
        int rc = child_state(a, kid, rep, pn->def, &is_null);
        if (rc != MDL_OK)
            return rc;
        if (is_null)
            continue;
        if (!first)
            jc(&a->w, ',');
        first = false;
        jstr(&a->w, kid->req->name, strlen(kid->req->name));
        jc(&a->w, ':');
        rc = assemble(a, kid, rep, pn->def);
        if (rc != MDL_OK)
            return rc;
    }
    if (pn->leaf != SIZE_MAX) {
        /* levels only: this instance's entries of the probe leaf */
        int rc = take_one(a, pn, rep, pn->def, MDL_PQ_MAX_LEVEL + 1);
        if (rc != MDL_OK)
            return rc;
        rleaf *l = &a->r->leaves[pn->leaf];
        while (l->pos < l->n && l->rep[l->pos] > pn->self_rep)
            l->pos++;
    }
    jc(&a->w, '}');
    return a->w.rc;
}

/* LIST and MAP: elements while the first leaf repeats at the node's level. */
static int assemble_repeated(asm_ctx *a, const pnode *pn, int rep)
{
    bool map = pn->req->kind == MDL_PQ_MAP;
    int d;
    int rc = peek(a, pn->lb, rep, &d);
    if (rc != MDL_OK)
        return rc;
    if (d < pn->rep_def) {
        rc = take_one(a, pn, rep, pn->def, pn->rep_def);
        if (rc == MDL_OK)
            jraw(&a->w, map ? "{}" : "[]", 2);
        return rc != MDL_OK ? rc : a->w.rc;
    }
    jc(&a->w, map ? '{' : '[');
    const rleaf *first = &a->r->leaves[pn->lb];
    for (int er = rep, k = 0;; er = pn->rep, k++) {
        if (k > 0)
            jc(&a->w, ',');
        bool is_null;
        if (map) {
            const pnode *key = &pn->kids[0], *val = &pn->kids[1];
            rc = child_state(a, key, er, pn->rep_def, &is_null);
            if (rc == MDL_OK)
                rc = assemble(a, key, er, pn->rep_def);
            if (rc == MDL_OK) {
                jc(&a->w, ':');
                rc = child_state(a, val, er, pn->rep_def, &is_null);
            }
            if (rc == MDL_OK && is_null)
                jraw(&a->w, "null", 4);
            else if (rc == MDL_OK)
                rc = assemble(a, val, er, pn->rep_def);
        } else {
            const pnode *el = &pn->kids[0];
            rc = child_state(a, el, er, pn->rep_def, &is_null);
            if (rc == MDL_OK && is_null)
                jraw(&a->w, "null", 4);
            else if (rc == MDL_OK)
                rc = assemble(a, el, er, pn->rep_def);
        }
        if (rc != MDL_OK)
            return rc;
        if (first->pos >= first->n || first->rep[first->pos] != pn->rep)
            break;
    }
    jc(&a->w, map ? '}' : ']');
    return a->w.rc;
}

/* A present node (child_state said not null). */
static int assemble(asm_ctx *a, const pnode *pn, int rep, int lo)
{
    switch (pn->req->kind) {
    case MDL_PQ_LEAF:
        return assemble_leaf(a, pn, rep, lo);
    case MDL_PQ_STRUCT:
        return assemble_struct(a, pn, rep);
    default:
        return assemble_repeated(a, pn, rep);
    }
}

/* ---- the public API ----------------------------------------------------------------------- */

static void pnode_free(mdl_ctx *ctx, pnode *pn)
{
    for (size_t i = 0; pn->kids != NULL && i < pn->nkids; i++)
        pnode_free(ctx, &pn->kids[i]);
    mdl_free(ctx, pn->kids);
    mdl_free(ctx, pn->path);
}

void mdl_parquet_record_reader_free(mdl_parquet_record_reader *r)
{
    if (r == NULL)
        return;
    mdl_ctx *ctx = r->ctx;
    for (size_t i = 0; i < r->nleaves; i++) {
        rleaf *l = &r->leaves[i];
        mdl_format__pq_chunk_reader_free(l->cr);
        mdl_free(ctx, l->path);
        mdl_free(ctx, l->rep);
        mdl_free(ctx, l->def);
        mdl_free(ctx, l->vals.values);
        mdl_free(ctx, l->vals.data);
        mdl_free(ctx, l->vals.validity);
    }
    mdl_free(ctx, r->leaves);
    pnode_free(ctx, &r->root);
    mdl_free(ctx, r->fn);
    mdl_free(ctx, r->kid_slots);
    mdl_format__decompressor_free(r->dec);
    mdl_format__pq_footer_free(&r->ft, ctx);
    mdl_rinput_close(r->in);
    mdl_free(ctx, r);
}

int mdl_parquet_record_reader_open(mdl_ctx *ctx, mdl_rinput *in, const mdl_pq_node *fields,
                                   size_t num_fields, mdl_parquet_record_reader **out,
                                   mdl_error *err)
{
    *out = NULL;
    int rc = mdl_format__pq_nodes_check(fields, num_fields, err);
    if (rc != MDL_OK) {
        mdl_rinput_close(in);
        return rc;
    }
    mdl_parquet_record_reader *r = mdl_calloc(ctx, 1, sizeof *r);
    if (r == NULL) {
        mdl_rinput_close(in);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a record reader");
    }
    r->ctx = ctx;
    r->in = in;
    r->name = in->name ? in->name : "<parquet>";
    mdl_format__pq_footer_init(&r->ft, ctx);
    r->page_limit = mdl_format__pq_page_limit(ctx);
    rc = mdl_format__pq_footer_read(&r->ft, ctx, r->in, r->name, err);
    if (rc == MDL_OK)
        rc = build_tree(r, err);
    if (rc != MDL_OK)
        goto fail;
    /* the record: a STRUCT of `fields` over the file's root group */
    static const char root_name[] = "";
    mdl_pq_node root = {root_name, MDL_PQ_STRUCT, false, {0}, fields, num_fields};
    r->root.req = &root;
    r->root.leaf = SIZE_MAX;
    rc = match_fields(r, &r->root, 0, err);
    r->root.req = NULL;
    r->root.le = r->nleaves;
    if (rc == MDL_OK)
        rc = validate_row_groups(r, err);
    if (rc == MDL_OK)
        rc = mdl_format__decompressor_new(ctx, &r->dec, err);
    for (size_t i = 0; rc == MDL_OK && i < r->nleaves; i++)
        rc = mdl_format__pq_chunk_reader_new(ctx, &r->leaves[i].leaf, r->name, r->dec,
                                             r->page_limit, &r->leaves[i].cr, err);
    if (rc != MDL_OK)
        goto fail;
    *out = r;
    return MDL_OK;
fail:
    mdl_parquet_record_reader_free(r);
    return rc;
}

int mdl_parquet_record_reader_next(mdl_parquet_record_reader *r, mdl_buf *out, bool *got,
                                   mdl_error *err)
{
    *got = false;
    out->len = 0;
    if (r->done)
        return MDL_OK;
    int rc;
    while (!r->in_rg || r->rg_left == 0) {
        if (r->in_rg) {
            rc = end_row_group(r, err);
            if (rc != MDL_OK)
                goto fail;
        }
        if (r->next_rg >= r->ft.meta.num_row_groups) {
            r->done = true;
            return MDL_OK;
        }
        rc = start_row_group(r, r->next_rg++, err);
        if (rc != MDL_OK)
            goto fail;
    }
    asm_ctx a = {r, {out, MDL_OK, err}, err};
    /* the root: a STRUCT that is never null, over all leaves */
    pnode root = r->root;
    root.def = 0;
    rc = assemble_struct(&a, &root, 0);
    if (rc != MDL_OK)
        goto fail;
    r->rg_left--;
    r->record++;
    if (r->rg_left == 0) {
        rc = end_row_group(r, err);
        if (rc != MDL_OK)
            goto fail;
    }
    *got = true;
    return MDL_OK;
fail:
    out->len = 0;
    r->done = true;
    return rc;
}

uint64_t mdl_parquet_record_reader_num_rows(const mdl_parquet_record_reader *r)
{
    return (uint64_t)r->ft.meta.num_rows;
}
