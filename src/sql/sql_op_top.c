/*
 * sql_op_top.c - top-1 per key ("latest row per key"): ROW_NUMBER() OVER (PARTITION BY k
 * ORDER BY t DESC) = 1 without sorting the input.
 *
 * One pass over the child. An open-addressing table (8-byte slots: the key's 32-bit hash and
 * an entry number, so a probe for a new key touches no entry) maps each key to an entry:
 * where the key's best row so far lives in a row arena. A batch is hashed first and probed
 * second, prefetching slots a few rows ahead, since the table is far larger than the caches. Keys
 * are not stored apart: the winning row contains the key columns, and equality is checked against
 * them. A row is serialized compactly into the arena:
 *
 *   validity bitmap (ceil(columns / 8) bytes, bit set = not null)
 *   fixed part: each column at its natural width, unaligned (boolean 1, int32/date 4,
 *               int64/timestamp/double 8, decimal 8 or 16, string: u32 byte length)
 *   string bytes of the string columns, in column order
 *
 * When a better row comes it overwrites the old one in place if it fits, else it is
 * appended and the old bytes become garbage; past 50% garbage the arena is compacted into a
 * fresh one (live rows in entry order). No per-row allocation. Everything (slots, entries,
 * arena) counts against the budget; past it the operator fails with MDL_ERR_LIMIT.
 */
#include <math.h>
#include <string.h>

#include "sql/sql_op_order.h"

typedef struct top_entry {
    uint64_t off; /* row offset in the arena */
    uint32_t cap; /* bytes reserved for the row there */
} top_entry;

typedef struct top_op {
    mdl_batch_stream base;
    mdl_ctx *ctx;
    mdl_batch_stream *child;
    size_t *keys;
    size_t num_keys;
    mdl_sql_sort_key *order;
    size_t num_order;
    size_t budget, batch_rows;
    size_t ncols, bitmap_bytes, fixed_bytes;
    size_t *col_off; /* offset of each column's slot in the row */
    uint8_t *widths; /* slot width per column */

    uint64_t *slots;  /* hash << 32 | (entry + 1); 0 = empty */
    uint32_t *hashes; /* per row of the current batch */
    size_t cap_hashes;
    size_t num_slots;
    top_entry *entries;
    size_t num_entries, cap_entries;
    char *arena;
    size_t arena_len, arena_cap, garbage;
    mdl_buf keybuf; /* serialized key of the current row, for hashing */

    bool consumed;
    size_t out_pos;
    int failed;
} top_op;

static size_t slot_width(mdl_type t)
{
    switch (t.id) {
    case MDL_TYPE_BOOLEAN:
        return 1;
    case MDL_TYPE_INT32:
    case MDL_TYPE_DATE:
    case MDL_TYPE_STRING:
        return 4;
    case MDL_TYPE_DECIMAL:
        return t.precision <= MDL_DECIMAL64_MAX_PRECISION ? 8 : 16;
    default:
        return 8;
    }
}

static size_t memory_used(const top_op *t)
{
    return t->num_slots * sizeof(uint64_t) + t->cap_hashes * sizeof(uint32_t) +
           t->cap_entries * sizeof(top_entry) + t->arena_cap;
}

static int over_budget(const top_op *t, size_t extra, mdl_error *err)
{
    if (memory_used(t) + extra <= t->budget)
        return MDL_OK;
    return mdl_error_set(err, MDL_ERR_LIMIT,
                         "top-1 per key: %zu keys need more than the memory budget of %zu bytes",
                         t->num_entries, t->budget);
}

/* A one-row column view of a stored value, so comparisons share sql_compare.c. */
typedef struct stored_view {
    mdl_column col;
    int64_t offs[2];
    union {
        mdl_i128 d;
        int64_t i;
        double f;
        uint8_t bytes[16];
    } v;
} stored_view;

static const char *row_string_start(const top_op *t, const char *row, size_t c)
{
    const char *p = row + t->fixed_bytes;
    for (size_t k = 0; k < c; k++)
        if (t->widths[k] == 4 && t->base.schema->fields[k].type.id == MDL_TYPE_STRING) {
            uint32_t len;
            memcpy(&len, row + t->col_off[k], 4);
            p += len;
        }
    return p;
}

static bool stored_null(const char *row, size_t c)
{
    return !(((const uint8_t *)row)[c >> 3] & (1u << (c & 7)));
}

static void stored_load(const top_op *t, const char *row, size_t c, stored_view *sv)
{
    memset(&sv->col, 0, sizeof sv->col);
    sv->col.type = t->base.schema->fields[c].type;
    sv->col.length = sv->col.capacity = 1;
    if (sv->col.type.id == MDL_TYPE_STRING) {
        uint32_t len;
        memcpy(&len, row + t->col_off[c], 4);
        sv->offs[0] = 0;
        sv->offs[1] = len;
        sv->col.values = sv->offs;
        sv->col.data = (char *)(uintptr_t)row_string_start(t, row, c); /* read only */
        sv->col.data_len = len;
    } else {
        memcpy(sv->v.bytes, row + t->col_off[c], t->widths[c]);
        sv->col.values = sv->v.bytes;
    }
}

/* <0 when row r of the batch ranks before the stored row on the ORDER BY keys. */
static int order_cmp(const top_op *t, const mdl_batch *b, size_t r, const char *row)
{
    for (size_t k = 0; k < t->num_order; k++) {
        const mdl_sql_sort_key *key = &t->order[k];
        const mdl_column *col = &b->columns[key->column];
        bool an = mdl_column_is_null(col, r), bn = stored_null(row, key->column);
        int c;
        if (an || bn) {
            c = an && bn ? 0 : (an ? 1 : -1) * (key->nulls_first ? -1 : 1);
        } else {
            stored_view sv;
            stored_load(t, row, key->column, &sv);
            c = mdl_sql__value_cmp(col, r, &sv.col, 0);
            if (key->desc)
                c = -c;
        }
        if (c != 0)
            return c;
    }
    return 0;
}

static bool key_equal(const top_op *t, const mdl_batch *b, size_t r, const char *row)
{
    for (size_t k = 0; k < t->num_keys; k++) {
        size_t c = t->keys[k];
        const mdl_column *col = &b->columns[c];
        bool an = mdl_column_is_null(col, r), bn = stored_null(row, c);
        if (an || bn) {
            if (an != bn)
                return false;
            continue;
        }
        stored_view sv;
        stored_load(t, row, c, &sv);
        if (mdl_sql__value_cmp(col, r, &sv.col, 0) != 0)
            return false;
    }
    return true;
}

/* The key of row r in a byte form where equal keys (NULLs together, -0 = 0, NaN = NaN) give
 * equal bytes; only hashed. */
static int key_bytes(top_op *t, const mdl_batch *b, size_t r, mdl_error *err)
{
    t->keybuf.len = 0;
    for (size_t k = 0; k < t->num_keys; k++) {
        const mdl_column *col = &b->columns[t->keys[k]];
        char tmp[20];
        size_t n = 0;
        if (mdl_column_is_null(col, r)) {
            tmp[n++] = 0;
        } else {
            tmp[n++] = 1;
            switch (col->type.id) {
            case MDL_TYPE_STRING: {
                mdl_strview s = mdl_column_str(col, r);
                uint32_t len = (uint32_t)s.len;
                memcpy(tmp + n, &len, 4);
                int rc = mdl_buf_append(&t->keybuf, tmp, n + 4, err);
                if (rc == MDL_OK)
                    rc = mdl_buf_append(&t->keybuf, s.ptr, s.len, err);
                if (rc != MDL_OK)
                    return rc;
                continue;
            }
            case MDL_TYPE_DOUBLE: {
                double d = mdl_column_f64(col, r);
                if (d == 0)
                    d = 0;
                else if (isnan(d))
                    d = NAN;
                memcpy(tmp + n, &d, 8);
                n += 8;
                break;
            }
            case MDL_TYPE_BOOLEAN:
                tmp[n++] = (char)mdl_column_bool(col, r);
                break;
            default: {
                size_t w = mdl_type_width(col->type);
                memcpy(tmp + n, (const char *)col->values + r * w, w);
                n += w;
                break;
            }
            }
        }
        int rc = mdl_buf_append(&t->keybuf, tmp, n, err);
        if (rc != MDL_OK)
            return rc;
    }
    return MDL_OK;
}

static size_t row_size(const top_op *t, const mdl_batch *b, size_t r)
{
    size_t n = t->fixed_bytes;
    for (size_t c = 0; c < t->ncols; c++) {
        const mdl_column *col = &b->columns[c];
        if (col->type.id == MDL_TYPE_STRING && !mdl_column_is_null(col, r)) {
            const int64_t *off = col->values;
            n += (size_t)(off[r + 1] - off[r]);
        }
    }
    return n;
}

static void row_write(const top_op *t, const mdl_batch *b, size_t r, char *dst)
{
    uint8_t *bits = (uint8_t *)dst;
    memset(bits, 0, t->bitmap_bytes);
    char *str = dst + t->fixed_bytes;
    for (size_t c = 0; c < t->ncols; c++) {
        const mdl_column *col = &b->columns[c];
        char *slot = dst + t->col_off[c];
        if (mdl_column_is_null(col, r)) {
            memset(slot, 0, t->widths[c]);
            continue;
        }
        bits[c >> 3] |= (uint8_t)(1u << (c & 7));
        if (col->type.id == MDL_TYPE_STRING) {
            mdl_strview s = mdl_column_str(col, r);
            uint32_t len = (uint32_t)s.len;
            memcpy(slot, &len, 4);
            if (len)
                memcpy(str, s.ptr, len);
            str += len;
        } else {
            memcpy(slot, (const char *)col->values + r * t->widths[c], t->widths[c]);
        }
    }
}

static int arena_reserve(top_op *t, size_t extra, mdl_error *err)
{
    size_t need;
    if (!mdl_size_add(t->arena_len, extra, &need))
        return mdl_error_set(err, MDL_ERR_LIMIT, "top-1 per key: arena too large");
    if (need <= t->arena_cap)
        return MDL_OK;
    size_t cap = t->arena_cap ? t->arena_cap : (size_t)1 << 16;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap + cap / 2;
    int rc = over_budget(t, cap - t->arena_cap, err);
    if (rc != MDL_OK)
        return rc;
    char *p = mdl_realloc(t->ctx, t->arena, cap);
    if (p == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "top-1 per key: out of memory");
    t->arena = p;
    t->arena_cap = cap;
    return MDL_OK;
}

/* Copies the live rows into a fresh arena, dropping the garbage of replaced rows. */
static int compact(top_op *t, mdl_error *err)
{
    size_t live = t->arena_len - t->garbage;
    size_t cap = live + live / 2 + 4096;
    char *p = mdl_alloc(t->ctx, cap);
    if (p == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "top-1 per key: out of memory compacting");
    size_t len = 0;
    for (size_t e = 0; e < t->num_entries; e++) {
        top_entry *en = &t->entries[e];
        memcpy(p + len, t->arena + en->off, en->cap);
        en->off = len;
        len += en->cap;
    }
    mdl_free(t->ctx, t->arena);
    t->arena = p;
    t->arena_cap = cap;
    t->arena_len = len;
    t->garbage = 0;
    return MDL_OK;
}

static int grow_slots(top_op *t, mdl_error *err)
{
    size_t n = t->num_slots ? t->num_slots * 2 : 1024;
    if (n > ((size_t)1 << 32))
        return mdl_error_set(err, MDL_ERR_LIMIT, "top-1 per key: too many keys");
    int rc = over_budget(t, n * sizeof(uint64_t), err);
    if (rc != MDL_OK)
        return rc;
    uint64_t *s = mdl_calloc(t->ctx, n, sizeof *s);
    if (s == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "top-1 per key: out of memory");
    /* Rehash from the old slots (they carry the hashes): a sequential read, no entry loads. */
    for (size_t j = 0; j < t->num_slots; j++) {
        uint64_t v = t->slots[j];
        if (v == 0)
            continue;
        size_t i = (uint32_t)(v >> 32) & (n - 1);
        while (s[i] != 0)
            i = (i + 1) & (n - 1);
        s[i] = v;
    }
    mdl_free(t->ctx, t->slots);
    t->slots = s;
    t->num_slots = n;
    return MDL_OK;
}

static int store_row(top_op *t, top_entry *en, const mdl_batch *b, size_t r, bool fresh,
                     mdl_error *err)
{
    size_t size = row_size(t, b, r);
    if (size > UINT32_MAX)
        return mdl_error_set(err, MDL_ERR_LIMIT, "top-1 per key: row too large");
    if (!fresh && size <= en->cap) {
        row_write(t, b, r, t->arena + en->off);
        return MDL_OK;
    }
    int rc = arena_reserve(t, size, err);
    if (rc != MDL_OK)
        return rc;
    if (!fresh)
        t->garbage += en->cap;
    en->off = t->arena_len;
    en->cap = (uint32_t)size;
    row_write(t, b, r, t->arena + en->off);
    t->arena_len += size;
    if (t->garbage > (size_t)1 << 16 && t->garbage > t->arena_len / 2)
        return compact(t, err);
    return MDL_OK;
}

static int add_batch(top_op *t, const mdl_batch *b, mdl_error *err)
{
    int rc;
    if (b->num_rows > t->cap_hashes) {
        if ((rc = over_budget(t, (b->num_rows - t->cap_hashes) * sizeof(uint32_t), err)) != MDL_OK)
            return rc;
        uint32_t *p = mdl_realloc(t->ctx, t->hashes, b->num_rows * sizeof *p);
        if (p == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "top-1 per key: out of memory");
        t->hashes = p;
        t->cap_hashes = b->num_rows;
    }
    for (size_t r = 0; r < b->num_rows; r++) {
        if ((rc = key_bytes(t, b, r, err)) != MDL_OK)
            return rc;
        t->hashes[r] = (uint32_t)mdl_hash_bytes(t->keybuf.data, t->keybuf.len);
    }
    enum { AHEAD = 16 };
    for (size_t r = 0; r < b->num_rows; r++) {
        if (r + AHEAD < b->num_rows)
            __builtin_prefetch(&t->slots[t->hashes[r + AHEAD] & (t->num_slots - 1)]);
        uint32_t h = t->hashes[r];
        size_t mask = t->num_slots - 1, i = h & mask;
        for (;;) {
            uint64_t s = t->slots[i];
            if (s == 0)
                break;
            if ((uint32_t)(s >> 32) == h &&
                key_equal(t, b, r, t->arena + t->entries[(uint32_t)s - 1].off))
                break;
            i = (i + 1) & mask;
        }
        if (t->slots[i] != 0) {
            top_entry *en = &t->entries[(uint32_t)t->slots[i] - 1];
            /* Strictly better only: among equals the first in input order stays. */
            if (order_cmp(t, b, r, t->arena + en->off) < 0 &&
                (rc = store_row(t, en, b, r, false, err)) != MDL_OK)
                return rc;
            continue;
        }
        if (t->num_entries == t->cap_entries) {
            size_t cap = t->cap_entries ? t->cap_entries + t->cap_entries / 2 : 1024;
            if ((rc = over_budget(t, (cap - t->cap_entries) * sizeof(top_entry), err)) != MDL_OK)
                return rc;
            top_entry *p = mdl_realloc(t->ctx, t->entries, cap * sizeof *p);
            if (p == NULL)
                return mdl_error_set(err, MDL_ERR_NOMEM, "top-1 per key: out of memory");
            t->entries = p;
            t->cap_entries = cap;
        }
        if (t->num_entries >= UINT32_MAX - 1)
            return mdl_error_set(err, MDL_ERR_LIMIT, "top-1 per key: too many keys");
        top_entry *en = &t->entries[t->num_entries];
        if ((rc = store_row(t, en, b, r, true, err)) != MDL_OK)
            return rc;
        t->slots[i] = (uint64_t)h << 32 | (uint64_t)(++t->num_entries);
        if (t->num_entries * 10 > t->num_slots * 7 && (rc = grow_slots(t, err)) != MDL_OK)
            return rc;
    }
    return MDL_OK;
}

static int top_next(mdl_batch_stream *self, mdl_batch **out, mdl_error *err)
{
    top_op *t = self->private_data;
    *out = NULL;
    if (t->failed)
        return mdl_error_set(err, t->failed, "top-1 per key: the stream failed before");
    int rc = MDL_OK;
    if (!t->consumed) {
        t->consumed = true;
        rc = grow_slots(t, err);
        while (rc == MDL_OK) {
            mdl_batch *b = NULL;
            rc = mdl_batch_stream_next(t->child, &b, err);
            if (rc != MDL_OK || b == NULL)
                break;
            rc = add_batch(t, b, err);
            mdl_batch_free(b);
        }
        /* The input is done: give its buffers back before the output is built. */
        mdl_free(t->ctx, t->slots);
        mdl_free(t->ctx, t->hashes);
        t->slots = NULL;
        t->hashes = NULL;
        t->num_slots = t->cap_hashes = 0;
    }
    if (rc == MDL_OK && t->out_pos < t->num_entries) {
        size_t n = t->num_entries - t->out_pos;
        if (n > t->batch_rows)
            n = t->batch_rows;
        mdl_batch *b = NULL;
        rc = mdl_batch_new(t->ctx, t->base.schema, n, &b, err);
        for (size_t e = t->out_pos; rc == MDL_OK && e < t->out_pos + n; e++) {
            const char *row = t->arena + t->entries[e].off;
            for (size_t c = 0; rc == MDL_OK && c < t->ncols; c++) {
                mdl_column *col = &b->columns[c];
                if (stored_null(row, c)) {
                    rc = mdl_column_append_null(t->ctx, col, err);
                } else if (col->type.id == MDL_TYPE_STRING) {
                    uint32_t len;
                    memcpy(&len, row + t->col_off[c], 4);
                    rc = mdl_column_append_string(t->ctx, col, row_string_start(t, row, c), len,
                                                  err);
                } else {
                    rc = mdl_column_append_value(t->ctx, col, row + t->col_off[c], err);
                }
            }
        }
        if (rc == MDL_OK) {
            b->num_rows = n;
            t->out_pos += n;
            *out = b;
        } else {
            mdl_batch_free(b);
        }
    }
    if (rc != MDL_OK)
        t->failed = rc;
    return rc;
}

static void top_release(mdl_batch_stream *self)
{
    top_op *t = self->private_data;
    mdl_ctx *ctx = t->ctx;
    mdl_batch_stream_release(t->child);
    mdl_free(ctx, t->keys);
    mdl_free(ctx, t->order);
    mdl_free(ctx, t->col_off);
    mdl_free(ctx, t->widths);
    mdl_free(ctx, t->slots);
    mdl_free(ctx, t->hashes);
    mdl_free(ctx, t->entries);
    mdl_free(ctx, t->arena);
    mdl_buf_reset(&t->keybuf);
    mdl_free(ctx, t);
}

int mdl_sql__top1_new(mdl_ctx *ctx, mdl_batch_stream *child, const mdl_sql_top1_options *opt,
                      mdl_batch_stream **out, mdl_error *err)
{
    *out = NULL;
    size_t ncols = child->schema->num_fields;
    int rc = MDL_OK;
    for (size_t i = 0; i < opt->num_keys; i++)
        if (opt->keys[i] >= ncols)
            rc = mdl_error_set(err, MDL_ERR_INVALID_ARG, "top-1 per key: key column out of range");
    for (size_t i = 0; i < opt->num_order; i++)
        if (opt->order[i].column >= ncols)
            rc =
                mdl_error_set(err, MDL_ERR_INVALID_ARG, "top-1 per key: order column out of range");
    top_op *t = rc == MDL_OK ? mdl_calloc(ctx, 1, sizeof *t) : NULL;
    if (t == NULL) {
        mdl_batch_stream_release(child);
        return rc != MDL_OK ? rc : mdl_error_set(err, MDL_ERR_NOMEM, "top-1: out of memory");
    }
    t->ctx = ctx;
    t->child = child;
    t->base.next = top_next;
    t->base.release = top_release;
    t->base.schema = child->schema;
    t->base.private_data = t;
    t->budget = mdl_sql__budget(ctx, opt->budget_bytes);
    t->batch_rows = ctx->limits.batch_rows ? ctx->limits.batch_rows : MDL_DEFAULT_BATCH_ROWS;
    mdl_buf_init(&t->keybuf, ctx, (size_t)1 << 30);
    t->ncols = ncols;
    t->num_keys = opt->num_keys;
    t->num_order = opt->num_order;
    t->keys = mdl_calloc(ctx, opt->num_keys + 1, sizeof *t->keys);
    t->order = mdl_calloc(ctx, opt->num_order + 1, sizeof *t->order);
    t->col_off = mdl_calloc(ctx, ncols + 1, sizeof *t->col_off);
    t->widths = mdl_calloc(ctx, ncols + 1, 1);
    if (!t->keys || !t->order || !t->col_off || !t->widths) {
        top_release(&t->base);
        return mdl_error_set(err, MDL_ERR_NOMEM, "top-1 per key: out of memory");
    }
    if (opt->num_keys)
        memcpy(t->keys, opt->keys, opt->num_keys * sizeof *t->keys);
    if (opt->num_order)
        memcpy(t->order, opt->order, opt->num_order * sizeof *t->order);
    t->bitmap_bytes = (ncols + 7) / 8;
    size_t off = t->bitmap_bytes;
    for (size_t c = 0; c < ncols; c++) {
        t->col_off[c] = off;
        t->widths[c] = (uint8_t)slot_width(child->schema->fields[c].type);
        off += t->widths[c];
    }
    t->fixed_bytes = off;
    *out = &t->base;
    return MDL_OK;
}
