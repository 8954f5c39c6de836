/*
 * sql_op_join.c - the hash join. The build input (the right one unless hints say the left is
 * smaller) is read whole into operator-owned columns; its key ids from a key table
 * (sql_keys.h) are then grouped into a CSR index (per key id the run of build rows in input
 * order), so probing a row is one hash lookup and a contiguous scan. The probe input streams:
 * per probe batch the candidate pairs are produced up to batch_rows at a time (resumable, so
 * a key with many duplicates cannot blow up one output batch), filtered by the residual
 * predicate when there is one, and marked as matched on both sides. Unmatched probe rows
 * (outer on the probe side, SEMI, ANTI) come out after each probe batch; unmatched build rows
 * (outer on the build side, SEMI/ANTI when the left input is built) after the probe input
 * ends. With no keys every pair is a candidate (CROSS JOIN, or a non-equi ON condition given
 * entirely as the residual).
 */
#include <stdio.h>
#include <string.h>

#include "sql/sql_keys.h"
#include "sql/sql_op_hash.h"
#include "sql/sql_op_order.h"

#define MAX_KEYS 64

typedef struct join_op {
    mdl_batch_stream base;
    mdl_ctx *ctx;
    mdl_batch_stream *build_in, *probe_in;
    bool build_left;
    bool probe_outer, build_outer, semi, anti, null_aware, pairs_out;
    size_t num_keys;
    size_t bkeys[MAX_KEYS], pkeys[MAX_KEYS];
    sql_join_residual_fn residual;
    void *residual_user;
    size_t budget, batch_rows;
    size_t nleft, nright;
    mdl_schema *full_schema; /* left then right columns: output of non-SEMI/ANTI, residual input */
    /* Output (and residual input) batches are recycled: a fresh 64K-row batch per output is
     * mostly page faults. */
    mdl_batch_pool *pool_out, *pool_full;
    /* build side */
    bool built;
    mdl_column *bcols;
    size_t nb, brows;
    sql_keytab *kt;
    uint32_t *bids; /* build row -> key id, until the CSR index replaces it */
    size_t bids_cap;
    uint32_t *start, *list; /* CSR: rows of key id k are list[start[k] .. start[k + 1]) */
    uint8_t *bmatched;
    bool build_null_key;
    /* probe side */
    mdl_batch *pb;
    uint32_t *pids;
    uint8_t *pmatched;
    size_t pcap, prow, ppos;
    uint32_t *pair_p, *pair_b, *sel;
    uint8_t *keep;
    bool probe_done;
    size_t end_pos;
} join_op;

static size_t build_bytes(const join_op *op)
{
    size_t b = op->kt ? mdl_sql__keytab_bytes(op->kt) : 0;
    for (size_t c = 0; c < op->nb; c++)
        b += mdl_sql__col_bytes(&op->bcols[c]);
    b += op->bids_cap * 4;
    if (op->start != NULL)
        b += ((op->kt ? mdl_sql__keytab_count(op->kt) : 1) + 2) * 4 + op->brows * 4;
    if (op->bmatched != NULL)
        b += op->brows;
    return b;
}

/* A batch of `schema` (left columns, then right ones when it has them) from probe rows prow
 * and build rows brow; a NULL array or a SQL_ROW_NULL row gives NULLs for that side. */
static int make_batch(join_op *op, mdl_schema *schema, const uint32_t *prow, const uint32_t *brow,
                      size_t n, mdl_batch **out, mdl_error *err)
{
    mdl_batch *b = NULL;
    mdl_batch_pool *pool = schema == op->base.schema   ? op->pool_out
                           : schema == op->full_schema ? op->pool_full
                                                       : NULL;
    int rc = pool != NULL && n <= op->batch_rows
                 ? mdl_batch_pool_get(pool, &b, err)
                 : mdl_batch_new(op->ctx, schema, n ? n : 1, &b, err);
    for (size_t c = 0; c < schema->num_fields && rc == MDL_OK; c++) {
        bool left = c < op->nleft;
        size_t sc = left ? c : c - op->nleft;
        bool from_build = left == op->build_left;
        const uint32_t *rows = from_build ? brow : prow;
        if (rows == NULL) {
            rc = mdl_sql__col_append_nulls(op->ctx, &b->columns[c], n, err);
            continue;
        }
        const mdl_column *src = from_build ? &op->bcols[sc] : &op->pb->columns[sc];
        rc = mdl_sql__col_append_rows(op->ctx, &b->columns[c], src, rows, 0, n, err);
    }
    if (rc != MDL_OK) {
        mdl_batch_free(b);
        return rc;
    }
    b->num_rows = n;
    *out = b;
    return MDL_OK;
}

static int build(join_op *op, mdl_error *err)
{
    int rc = MDL_OK;
    const mdl_column *kc[MAX_KEYS];
    for (;;) {
        mdl_batch *b = NULL;
        rc = mdl_batch_stream_next(op->build_in, &b, err);
        if (rc != MDL_OK)
            return rc;
        if (b == NULL)
            break;
        size_t n = b->num_rows, total;
        if (!mdl_size_add(op->brows, n, &total) || total >= UINT32_MAX) {
            mdl_batch_free(b);
            return mdl_error_set(err, MDL_ERR_LIMIT, "hash join build side over 4 billion rows");
        }
        for (size_t c = 0; c < op->nb && rc == MDL_OK; c++) {
            rc = mdl_sql__col_reserve(op->ctx, &op->bcols[c], total, err);
            if (rc == MDL_OK)
                rc = mdl_sql__col_append_rows(op->ctx, &op->bcols[c], &b->columns[c], NULL, 0, n,
                                              err);
        }
        if (rc == MDL_OK && total > op->bids_cap) {
            size_t cap = op->bids_cap ? op->bids_cap * 2 : 4096;
            while (cap < total)
                cap *= 2;
            uint32_t *p = mdl_realloc(op->ctx, op->bids, cap * 4);
            if (p == NULL)
                rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory in hash join build");
            else {
                op->bids = p;
                op->bids_cap = cap;
            }
        }
        if (rc == MDL_OK) {
            if (op->num_keys > 0) {
                for (size_t k = 0; k < op->num_keys; k++)
                    kc[k] = &b->columns[op->bkeys[k]];
                rc = mdl_sql__keytab_insert(op->kt, kc, n, op->bids + op->brows, err);
                if (rc == MDL_OK && op->null_aware)
                    for (size_t r = 0; r < n; r++)
                        if (op->bids[op->brows + r] == SQL_KEY_NONE)
                            op->build_null_key = true;
            } else {
                memset(op->bids + op->brows, 0, n * 4);
            }
        }
        mdl_batch_free(b);
        if (rc != MDL_OK)
            return rc;
        op->brows = total;
        if (build_bytes(op) > op->budget)
            return mdl_sql__budget_error(err, "hash join build side", build_bytes(op), op->budget);
    }
    mdl_batch_stream_release(op->build_in);
    op->build_in = NULL;
    /* CSR index: count per key, prefix sums, scatter (stable: input order within a key). */
    size_t nk = op->num_keys > 0 ? mdl_sql__keytab_count(op->kt) : 1;
    op->start = mdl_calloc(op->ctx, nk + 2, 4);
    op->list = mdl_alloc(op->ctx, (op->brows ? op->brows : 1) * 4);
    if (op->start == NULL || op->list == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory in hash join build");
    for (size_t r = 0; r < op->brows; r++)
        if (op->bids[r] != SQL_KEY_NONE)
            op->start[op->bids[r] + 2]++;
    for (size_t k = 2; k < nk + 2; k++)
        op->start[k] += op->start[k - 1];
    for (size_t r = 0; r < op->brows; r++)
        if (op->bids[r] != SQL_KEY_NONE)
            op->list[op->start[op->bids[r] + 1]++] = (uint32_t)r;
    /* now start[k] .. start[k + 1] is key k's run */
    mdl_free(op->ctx, op->bids);
    op->bids = NULL;
    op->bids_cap = 0;
    if (op->build_outer || (op->build_left && (op->semi || op->anti))) {
        op->bmatched = mdl_calloc(op->ctx, op->brows ? op->brows : 1, 1);
        if (op->bmatched == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory in hash join build");
    }
    op->built = true;
    if (build_bytes(op) > op->budget)
        return mdl_sql__budget_error(err, "hash join build side", build_bytes(op), op->budget);
    return MDL_OK;
}

static int probe_scratch(join_op *op, size_t n, mdl_error *err)
{
    if (n <= op->pcap)
        return MDL_OK;
    mdl_free(op->ctx, op->pids);
    mdl_free(op->ctx, op->pmatched);
    op->pids = mdl_alloc(op->ctx, n * 4);
    op->pmatched = mdl_alloc(op->ctx, n);
    if (n > op->batch_rows) {
        mdl_free(op->ctx, op->sel);
        op->sel = mdl_alloc(op->ctx, n * 4);
    }
    op->pcap = n;
    if (op->pids == NULL || op->pmatched == NULL || op->sel == NULL) {
        op->pcap = 0;
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory in hash join probe");
    }
    return MDL_OK;
}

/* Starts on a new probe batch: key ids and match flags. */
static int probe_begin(join_op *op, mdl_error *err)
{
    size_t n = op->pb->num_rows;
    int rc = probe_scratch(op, n, err);
    if (rc != MDL_OK)
        return rc;
    memset(op->pmatched, 0, n);
    op->prow = op->ppos = 0;
    if (op->num_keys > 0) {
        const mdl_column *kc[MAX_KEYS];
        for (size_t k = 0; k < op->num_keys; k++)
            kc[k] = &op->pb->columns[op->pkeys[k]];
        rc = mdl_sql__keytab_find(op->kt, kc, n, op->pids, err);
        if (rc != MDL_OK)
            return rc;
        if (op->null_aware) {
            /* x NOT IN (non-empty set without NULLs): NULL for a NULL x, never returned. */
            const mdl_column *c = kc[0];
            if (op->brows > 0 && c->validity != NULL && c->null_count > 0)
                for (size_t r = 0; r < n; r++)
                    if (mdl_column_is_null(c, r))
                        op->pmatched[r] = 1;
        }
    } else {
        uint32_t v = op->brows > 0 ? 0 : SQL_KEY_NONE;
        for (size_t r = 0; r < n; r++)
            op->pids[r] = v;
    }
    /* SEMI/ANTI on the probe side without a residual: a row matches when its key exists. */
    if (!op->build_left && (op->semi || op->anti) && op->residual == NULL) {
        for (size_t r = 0; r < n; r++)
            if (op->pids[r] != SQL_KEY_NONE)
                op->pmatched[r] = 1;
        op->prow = n;
    }
    return MDL_OK;
}

/* The next up-to-batch_rows candidate pairs of the current probe batch. */
static size_t next_pairs(join_op *op)
{
    size_t np = 0, n = op->pb->num_rows;
    while (op->prow < n && np < op->batch_rows) {
        uint32_t id = op->pids[op->prow];
        if (id == SQL_KEY_NONE) {
            op->prow++;
            continue;
        }
        size_t s = op->start[id] + op->ppos, e = op->start[id + 1];
        while (s < e && np < op->batch_rows) {
            op->pair_p[np] = (uint32_t)op->prow;
            op->pair_b[np] = op->list[s];
            np++;
            s++;
        }
        if (s == e) {
            op->prow++;
            op->ppos = 0;
        } else {
            op->ppos = s - op->start[id];
        }
    }
    return np;
}

/* Processes one chunk of pairs; *out gets the joined rows when this join outputs pairs. */
static int process_pairs(join_op *op, size_t np, mdl_batch **out, mdl_error *err)
{
    mdl_batch *joined = NULL;
    int rc = MDL_OK;
    size_t kept = np;
    if (op->residual != NULL) {
        rc = make_batch(op, op->full_schema, op->pair_p, op->pair_b, np, &joined, err);
        if (rc != MDL_OK)
            return rc;
        memset(op->keep, 0, np);
        rc = op->residual(op->residual_user, joined, op->keep, err);
        if (rc != MDL_OK) {
            mdl_batch_free(joined);
            return rc;
        }
        kept = 0;
        for (size_t i = 0; i < np; i++)
            if (op->keep[i]) {
                op->pair_p[kept] = op->pair_p[i];
                op->pair_b[kept] = op->pair_b[i];
                kept++;
            }
    }
    for (size_t i = 0; i < kept; i++)
        op->pmatched[op->pair_p[i]] = 1;
    if (op->bmatched != NULL)
        for (size_t i = 0; i < kept; i++)
            op->bmatched[op->pair_b[i]] = 1;
    if (op->pairs_out && kept > 0) {
        if (joined != NULL && kept == np) {
            *out = joined;
            return MDL_OK;
        }
        rc = make_batch(op, op->full_schema, op->pair_p, op->pair_b, kept, out, err);
    }
    mdl_batch_free(joined);
    return rc;
}

/* After the pairs of a probe batch: its unmatched rows (outer) or its SEMI/ANTI rows. */
static int probe_tail(join_op *op, mdl_batch **out, mdl_error *err)
{
    size_t n = op->pb->num_rows, k = 0;
    bool want_matched = op->semi;
    if (!(op->probe_outer || ((op->semi || op->anti) && !op->build_left)))
        return MDL_OK;
    for (size_t r = 0; r < n; r++)
        if ((op->pmatched[r] != 0) == want_matched)
            op->sel[k++] = (uint32_t)r;
    if (k == 0)
        return MDL_OK;
    if (op->semi || op->anti) {
        if (k == n) { /* the whole batch passes: hand it on */
            *out = op->pb;
            op->pb = NULL;
            return MDL_OK;
        }
        return make_batch(op, op->base.schema, op->sel, op->sel, k, out, err);
    }
    return make_batch(op, op->full_schema, op->sel, NULL, k, out, err);
}

/* After the probe input: unmatched build rows (outer), or build-side SEMI/ANTI rows. */
static int build_tail(join_op *op, mdl_batch **out, mdl_error *err)
{
    if (op->bmatched == NULL)
        return MDL_OK;
    bool want_matched = op->semi;
    while (op->end_pos < op->brows) {
        size_t k = 0;
        while (op->end_pos < op->brows && k < op->batch_rows) {
            if ((op->bmatched[op->end_pos] != 0) == want_matched)
                op->sel[k++] = (uint32_t)op->end_pos;
            op->end_pos++;
        }
        if (k > 0)
            return make_batch(op, op->base.schema, NULL, op->sel, k, out, err);
    }
    return MDL_OK;
}

static int join_next(mdl_batch_stream *s, mdl_batch **out, mdl_error *err)
{
    join_op *op = s->private_data;
    *out = NULL;
    int rc = MDL_OK;
    if (!op->built) {
        rc = build(op, err);
        if (rc != MDL_OK)
            return rc;
        if (op->null_aware && op->build_null_key) /* x NOT IN (..., NULL, ...) is never TRUE */
            op->probe_done = true;
        /* Nothing can come out of the probe side: do not read it. */
        if (op->brows == 0 && !op->probe_outer && !op->anti)
            op->probe_done = true;
    }
    while (!op->probe_done) {
        if (op->pb == NULL) {
            rc = mdl_batch_stream_next(op->probe_in, &op->pb, err);
            if (rc != MDL_OK)
                return rc;
            if (op->pb == NULL) {
                op->probe_done = true;
                break;
            }
            rc = probe_begin(op, err);
            if (rc != MDL_OK)
                return rc;
        }
        size_t np = next_pairs(op);
        if (np > 0) {
            rc = process_pairs(op, np, out, err);
            if (rc != MDL_OK || *out != NULL)
                return rc;
            continue;
        }
        rc = probe_tail(op, out, err);
        mdl_batch_free(op->pb);
        op->pb = NULL;
        if (rc != MDL_OK || *out != NULL)
            return rc;
    }
    if (op->probe_in != NULL) {
        mdl_batch_stream_release(op->probe_in);
        op->probe_in = NULL;
    }
    return build_tail(op, out, err);
}

static void join_release(mdl_batch_stream *s)
{
    join_op *op = s->private_data;
    mdl_ctx *ctx = op->ctx;
    mdl_batch_stream_release(op->build_in);
    mdl_batch_stream_release(op->probe_in);
    if (op->bcols != NULL)
        for (size_t c = 0; c < op->nb; c++)
            mdl_sql__col_free(ctx, &op->bcols[c]);
    mdl_free(ctx, op->bcols);
    mdl_sql__keytab_free(op->kt);
    mdl_free(ctx, op->bids);
    mdl_free(ctx, op->start);
    mdl_free(ctx, op->list);
    mdl_free(ctx, op->bmatched);
    mdl_batch_free(op->pb);
    mdl_free(ctx, op->pids);
    mdl_free(ctx, op->pmatched);
    mdl_free(ctx, op->pair_p);
    mdl_free(ctx, op->pair_b);
    mdl_free(ctx, op->sel);
    mdl_free(ctx, op->keep);
    mdl_batch_pool_release(op->pool_out);
    mdl_batch_pool_release(op->pool_full);
    mdl_schema_release(op->full_schema);
    mdl_schema_release(op->base.schema);
    mdl_free(ctx, op);
}

/* Left then right fields; right names already taken get "_1", "_2", ... */
static int full_schema(mdl_ctx *ctx, const mdl_schema *l, const mdl_schema *r, bool lnull,
                       bool rnull, mdl_schema **out, mdl_error *err)
{
    size_t n = l->num_fields + r->num_fields;
    mdl_field_def *defs = mdl_calloc(ctx, n ? n : 1, sizeof *defs);
    char **names = mdl_calloc(ctx, n ? n : 1, sizeof *names);
    int rc = MDL_OK;
    if (defs == NULL || names == NULL) {
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory creating a join");
        goto cleanup;
    }
    for (size_t c = 0; c < n && rc == MDL_OK; c++) {
        const mdl_field *f = c < l->num_fields ? &l->fields[c] : &r->fields[c - l->num_fields];
        defs[c].type = f->type;
        defs[c].nullable = f->nullable || (c < l->num_fields ? lnull : rnull);
        size_t len = strlen(f->name);
        names[c] = mdl_alloc(ctx, len + 24);
        if (names[c] == NULL) {
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory creating a join");
            break;
        }
        memcpy(names[c], f->name, len + 1);
        for (unsigned suffix = 1;; suffix++) {
            bool taken = false;
            for (size_t j = 0; j < c && !taken; j++)
                taken = strcmp(names[j], names[c]) == 0;
            if (!taken)
                break;
            snprintf(names[c], len + 24, "%s_%u", f->name, suffix);
        }
        defs[c].name = names[c];
    }
    if (rc == MDL_OK)
        rc = mdl_schema_new(ctx, defs, n, out, err);
cleanup:
    if (names != NULL)
        for (size_t c = 0; c < n; c++)
            mdl_free(ctx, names[c]);
    mdl_free(ctx, names);
    mdl_free(ctx, defs);
    return rc;
}

int mdl_sql__op_hash_join(mdl_ctx *ctx, mdl_batch_stream *left, mdl_batch_stream *right,
                          const sql_join_spec *spec, mdl_batch_stream **out, mdl_error *err)
{
    *out = NULL;
    int rc = MDL_OK;
    const mdl_schema *ls = left->schema, *rs = right->schema;
    sql_hjoin_type t = spec->type;
    join_op *op = mdl_calloc(ctx, 1, sizeof *op);
    if (op == NULL) {
        mdl_batch_stream_release(left);
        mdl_batch_stream_release(right);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory creating a join");
    }
    op->ctx = ctx;
    op->base.next = join_next;
    op->base.release = join_release;
    op->base.private_data = op;
    op->build_in = right;
    op->probe_in = left;
    if (t < SQL_HJOIN_INNER || t > SQL_HJOIN_ANTI) {
        rc = mdl_error_set(err, MDL_ERR_INVALID_ARG, "unknown join type %d", (int)t);
        goto cleanup;
    }
    if (spec->num_keys > MAX_KEYS) {
        rc = mdl_error_set(err, MDL_ERR_UNSUPPORTED, "more than %d join keys", MAX_KEYS);
        goto cleanup;
    }
    if (t == SQL_HJOIN_CROSS && spec->num_keys > 0) {
        rc = mdl_error_set(err, MDL_ERR_INVALID_ARG, "CROSS JOIN takes no keys");
        goto cleanup;
    }
    if (spec->null_aware && (t != SQL_HJOIN_ANTI || spec->num_keys != 1 || spec->residual)) {
        rc = mdl_error_set(err, MDL_ERR_UNSUPPORTED,
                           "NOT IN semantics need an ANTI join on exactly one key without a "
                           "residual condition");
        goto cleanup;
    }
    mdl_type kt[MAX_KEYS];
    for (size_t k = 0; k < spec->num_keys; k++) {
        size_t lk = spec->left_keys[k], rk = spec->right_keys[k];
        if (lk >= ls->num_fields || rk >= rs->num_fields) {
            rc = mdl_error_set(err, MDL_ERR_INVALID_ARG, "join key column out of range");
            goto cleanup;
        }
        if (!mdl_type_equal(ls->fields[lk].type, rs->fields[rk].type)) {
            char a[48], b[48];
            mdl_type_format(ls->fields[lk].type, a, sizeof a);
            mdl_type_format(rs->fields[rk].type, b, sizeof b);
            rc = mdl_error_set(err, MDL_ERR_SCHEMA,
                               "join key '%s' (%s) and '%s' (%s) differ in type; cast one side",
                               ls->fields[lk].name, a, rs->fields[rk].name, b);
            goto cleanup;
        }
        kt[k] = ls->fields[lk].type;
    }
    op->num_keys = spec->num_keys;
    op->null_aware = spec->null_aware;
    op->residual = spec->residual;
    op->residual_user = spec->residual_user;
    op->budget = mdl_sql__budget(ctx, spec->budget_bytes);
    op->batch_rows = ctx->limits.batch_rows ? ctx->limits.batch_rows : MDL_DEFAULT_BATCH_ROWS;
    op->nleft = ls->num_fields;
    op->nright = rs->num_fields;
    op->build_left = !spec->null_aware && spec->left_rows_hint > 0 && spec->right_rows_hint > 0 &&
                     spec->left_rows_hint < spec->right_rows_hint;
    if (op->build_left) {
        op->build_in = left;
        op->probe_in = right;
    }
    bool lo = t == SQL_HJOIN_LEFT || t == SQL_HJOIN_FULL;
    bool ro = t == SQL_HJOIN_RIGHT || t == SQL_HJOIN_FULL;
    op->probe_outer = op->build_left ? ro : lo;
    op->build_outer = op->build_left ? lo : ro;
    op->semi = t == SQL_HJOIN_SEMI;
    op->anti = t == SQL_HJOIN_ANTI;
    op->pairs_out = !op->semi && !op->anti;
    for (size_t k = 0; k < spec->num_keys; k++) {
        op->bkeys[k] = op->build_left ? spec->left_keys[k] : spec->right_keys[k];
        op->pkeys[k] = op->build_left ? spec->right_keys[k] : spec->left_keys[k];
    }
    rc = full_schema(ctx, ls, rs, ro, lo, &op->full_schema, err);
    if (rc != MDL_OK)
        goto cleanup;
    op->base.schema =
        op->pairs_out ? mdl_schema_retain(op->full_schema) : mdl_schema_retain(left->schema);
    op->nb = op->build_left ? op->nleft : op->nright;
    const mdl_schema *bs = op->build_left ? ls : rs;
    op->bcols = mdl_calloc(ctx, op->nb ? op->nb : 1, sizeof *op->bcols);
    op->pair_p = mdl_alloc(ctx, op->batch_rows * 4);
    op->pair_b = mdl_alloc(ctx, op->batch_rows * 4);
    op->keep = mdl_alloc(ctx, op->batch_rows);
    op->sel = mdl_alloc(ctx, op->batch_rows * 4);
    if (op->bcols == NULL || op->pair_p == NULL || op->pair_b == NULL || op->keep == NULL ||
        op->sel == NULL) {
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory creating a join");
        goto cleanup;
    }
    rc = mdl_batch_pool_new(ctx, op->base.schema, op->batch_rows, &op->pool_out, err);
    if (rc == MDL_OK && !op->pairs_out)
        rc = mdl_batch_pool_new(ctx, op->full_schema, op->batch_rows, &op->pool_full, err);
    for (size_t c = 0; c < op->nb && rc == MDL_OK; c++)
        rc = mdl_sql__col_init(ctx, &op->bcols[c], bs->fields[c].type, 1024, err);
    if (rc == MDL_OK && op->num_keys > 0)
        rc = mdl_sql__keytab_new(ctx, kt, op->num_keys, false, &op->kt, err);
    if (rc != MDL_OK)
        goto cleanup;
    *out = &op->base;
    return MDL_OK;
cleanup:
    join_release(&op->base);
    return rc;
}
