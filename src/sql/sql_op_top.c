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
 *
 * The rescan variant stores only the key and ORDER BY columns plus the winner's input row
 * number (a u64 after the fixed part), then marks the winners in a bitmap and reads the input
 * a second time, keeping the marked rows: memory then grows with the key width, not the row
 * width, which is what makes "latest row per key" over wide rows fit in half of DuckDB's RSS.
 */
#include <math.h>
#include <string.h>

#include "sql/sql_op_order.h"

/* An entry: arena offset (low 40 bits) and the bytes reserved there (high 24 bits). */
#define ENTRY_OFF_BITS 40
#define ENTRY_OFF_MASK ((UINT64_C(1) << ENTRY_OFF_BITS) - 1)
#define ENTRY_CAP_MAX  ((UINT64_C(1) << (64 - ENTRY_OFF_BITS)) - 1)

static inline uint64_t entry_off(uint64_t e)
{
    return e & ENTRY_OFF_MASK;
}
static inline size_t entry_cap(uint64_t e)
{
    return (size_t)(e >> ENTRY_OFF_BITS);
}
static inline uint64_t entry_make(uint64_t off, size_t cap)
{
    return (uint64_t)cap << ENTRY_OFF_BITS | off;
}

typedef struct top_op {
    mdl_batch_stream base;
    mdl_ctx *ctx;
    mdl_batch_stream *child;
    mdl_sql_stream_open_fn open; /* rescan variant: opens the input again */
    void *open_arg;
    size_t *keys;
    size_t num_keys;
    mdl_sql_sort_key *order;
    size_t num_order;
    size_t budget, batch_rows;
    size_t ncols;
    /* The stored columns: all of them, or (rescan) the key and order columns. */
    size_t *store_cols;
    size_t num_store;
    long *col_pos; /* input column -> stored position, or -1 */
    size_t bitmap_bytes, fixed_bytes, index_off;
    size_t *col_off; /* per stored position: offset of its slot in the row */
    uint8_t *widths; /* per stored position: slot width */
    bool *is_string; /* per stored position */

    uint64_t *slots;  /* hash << 32 | (entry + 1); 0 = empty */
    uint32_t *hashes; /* per row of the current batch */
    size_t num_slots, cap_hashes;
    uint64_t *entries;
    size_t num_entries, cap_entries;
    char *arena;
    size_t arena_len, arena_cap, garbage;
    mdl_buf keybuf;     /* serialized key of the current row, for hashing */
    uint64_t rows_seen; /* input rows so far (the row number of the next one) */

    uint8_t *winners; /* rescan: bit per input row */
    uint64_t rows_out_seen;
    bool consumed, rescanning;
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
           t->cap_entries * sizeof(uint64_t) + t->arena_cap;
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

static const char *row_string_start(const top_op *t, const char *row, size_t k)
{
    const char *p = row + t->fixed_bytes;
    for (size_t j = 0; j < k; j++)
        if (t->is_string[j]) {
            uint32_t len;
            memcpy(&len, row + t->col_off[j], 4);
            p += len;
        }
    return p;
}

static bool stored_null(const char *row, size_t k)
{
    return !(((const uint8_t *)row)[k >> 3] & (1u << (k & 7)));
}

static void stored_load(const top_op *t, const char *row, size_t k, stored_view *sv)
{
    memset(&sv->col, 0, sizeof sv->col);
    sv->col.type = t->base.schema->fields[t->store_cols[k]].type;
    sv->col.length = sv->col.capacity = 1;
    if (t->is_string[k]) {
        uint32_t len;
        memcpy(&len, row + t->col_off[k], 4);
        sv->offs[0] = 0;
        sv->offs[1] = len;
        sv->col.values = sv->offs;
        sv->col.data = (char *)(uintptr_t)row_string_start(t, row, k); /* read only */
        sv->col.data_len = len;
    } else {
        memcpy(sv->v.bytes, row + t->col_off[k], t->widths[k]);
        sv->col.values = sv->v.bytes;
    }
}

/* <0 when row r of the batch ranks before the stored row on the ORDER BY keys. */
static int order_cmp(const top_op *t, const mdl_batch *b, size_t r, const char *row)
{
    for (size_t i = 0; i < t->num_order; i++) {
        const mdl_sql_sort_key *key = &t->order[i];
        const mdl_column *col = &b->columns[key->column];
        size_t k = (size_t)t->col_pos[key->column];
        bool an = mdl_column_is_null(col, r), bn = stored_null(row, k);
        int c;
        if (an || bn) {
            c = an && bn ? 0 : (an ? 1 : -1) * (key->nulls_first ? -1 : 1);
        } else {
            stored_view sv;
            stored_load(t, row, k, &sv);
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
    for (size_t i = 0; i < t->num_keys; i++) {
        size_t c = t->keys[i], k = (size_t)t->col_pos[c];
        const mdl_column *col = &b->columns[c];
        bool an = mdl_column_is_null(col, r), bn = stored_null(row, k);
        if (an || bn) {
            if (an != bn)
                return false;
            continue;
        }
        stored_view sv;
        stored_load(t, row, k, &sv);
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
    for (size_t k = 0; k < t->num_store; k++) {
        const mdl_column *col = &b->columns[t->store_cols[k]];
        if (t->is_string[k] && !mdl_column_is_null(col, r)) {
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
    for (size_t k = 0; k < t->num_store; k++) {
        const mdl_column *col = &b->columns[t->store_cols[k]];
        char *slot = dst + t->col_off[k];
        if (mdl_column_is_null(col, r)) {
            memset(slot, 0, t->widths[k]);
            continue;
        }
        bits[k >> 3] |= (uint8_t)(1u << (k & 7));
        if (t->is_string[k]) {
            mdl_strview sv = mdl_column_str(col, r);
            uint32_t len = (uint32_t)sv.len;
            memcpy(slot, &len, 4);
            if (len)
                memcpy(str, sv.ptr, len);
            str += len;
        } else {
            memcpy(slot, (const char *)col->values + r * t->widths[k], t->widths[k]);
        }
    }
    if (t->open != NULL) {
        uint64_t index = t->rows_seen + r;
        memcpy(dst + t->index_off, &index, 8);
    }
}

static int arena_reserve(top_op *t, size_t extra, mdl_error *err)
{
    size_t need;
    if (!mdl_size_add(t->arena_len, extra, &need) || need > ENTRY_OFF_MASK)
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
        uint64_t en = t->entries[e];
        memcpy(p + len, t->arena + entry_off(en), entry_cap(en));
        t->entries[e] = entry_make(len, entry_cap(en));
        len += entry_cap(en);
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

static int store_row(top_op *t, uint64_t *en, const mdl_batch *b, size_t r, bool fresh,
                     mdl_error *err)
{
    size_t size = row_size(t, b, r);
    if (size > ENTRY_CAP_MAX)
        return mdl_error_set(err, MDL_ERR_LIMIT, "top-1 per key: a row of %zu bytes is too large",
                             size);
    if (!fresh && size <= entry_cap(*en)) {
        row_write(t, b, r, t->arena + entry_off(*en));
        return MDL_OK;
    }
    int rc = arena_reserve(t, size, err);
    if (rc != MDL_OK)
        return rc;
    if (!fresh)
        t->garbage += entry_cap(*en);
    *en = entry_make(t->arena_len, size);
    row_write(t, b, r, t->arena + t->arena_len);
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
                key_equal(t, b, r, t->arena + entry_off(t->entries[(uint32_t)s - 1])))
                break;
            i = (i + 1) & mask;
        }
        if (t->slots[i] != 0) {
            uint64_t *en = &t->entries[(uint32_t)t->slots[i] - 1];
            /* Strictly better only: among equals the first in input order stays. */
            if (order_cmp(t, b, r, t->arena + entry_off(*en)) < 0 &&
                (rc = store_row(t, en, b, r, false, err)) != MDL_OK)
                return rc;
            continue;
        }
        if (t->num_entries == t->cap_entries) {
            size_t cap = t->cap_entries ? t->cap_entries + t->cap_entries / 2 : 1024;
            if ((rc = over_budget(t, (cap - t->cap_entries) * sizeof(uint64_t), err)) != MDL_OK)
                return rc;
            uint64_t *p = mdl_realloc(t->ctx, t->entries, cap * sizeof *p);
            if (p == NULL)
                return mdl_error_set(err, MDL_ERR_NOMEM, "top-1 per key: out of memory");
            t->entries = p;
            t->cap_entries = cap;
        }
        if (t->num_entries >= UINT32_MAX - 1)
            return mdl_error_set(err, MDL_ERR_LIMIT, "top-1 per key: too many keys");
        if ((rc = store_row(t, &t->entries[t->num_entries], b, r, true, err)) != MDL_OK)
            return rc;
        t->slots[i] = (uint64_t)h << 32 | (uint64_t)(++t->num_entries);
        if (t->num_entries * 10 > t->num_slots * 7 && (rc = grow_slots(t, err)) != MDL_OK)
            return rc;
    }
    t->rows_seen += b->num_rows;
    return MDL_OK;
}

/* Rescan: winners' row numbers into a bitmap; the table goes. */
static int mark_winners(top_op *t, mdl_error *err)
{
    size_t bytes = (size_t)(t->rows_seen / 8 + 1);
    t->winners = mdl_calloc(t->ctx, bytes, 1);
    if (t->winners == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "top-1 per key: out of memory");
    for (size_t e = 0; e < t->num_entries; e++) {
        uint64_t index;
        memcpy(&index, t->arena + entry_off(t->entries[e]) + t->index_off, 8);
        t->winners[index >> 3] |= (uint8_t)(1u << (index & 7));
    }
    mdl_free(t->ctx, t->arena);
    mdl_free(t->ctx, t->entries);
    t->arena = NULL;
    t->entries = NULL;
    t->arena_len = t->arena_cap = t->cap_entries = t->garbage = 0;
    return MDL_OK;
}

/* Rescan: the next batch of the second pass with only the winning rows. */
static int rescan_next(top_op *t, mdl_batch **out, mdl_error *err)
{
    int rc = MDL_OK;
    if (!t->rescanning) {
        t->rescanning = true;
        mdl_batch_stream_release(t->child);
        t->child = NULL;
        if ((rc = t->open(t->open_arg, &t->child, err)) != MDL_OK)
            return rc;
        const mdl_schema *a = t->child->schema, *b = t->base.schema;
        bool same = a->num_fields == b->num_fields;
        for (size_t c = 0; same && c < a->num_fields; c++)
            same = mdl_type_equal(a->fields[c].type, b->fields[c].type);
        if (!same)
            return mdl_error_set(err, MDL_ERR_SCHEMA,
                                 "top-1 per key: the input changed schema between its two reads");
    }
    for (;;) {
        mdl_batch *in = NULL;
        if ((rc = mdl_batch_stream_next(t->child, &in, err)) != MDL_OK || in == NULL)
            return rc;
        if (t->rows_out_seen + in->num_rows > t->rows_seen) {
            mdl_batch_free(in);
            return mdl_error_set(err, MDL_ERR_SCHEMA,
                                 "top-1 per key: the input grew between its two reads");
        }
        size_t n = 0;
        uint64_t base = t->rows_out_seen;
        for (size_t r = 0; r < in->num_rows; r++)
            n += (t->winners[(base + r) >> 3] >> ((base + r) & 7)) & 1;
        t->rows_out_seen += in->num_rows;
        if (n == 0) {
            mdl_batch_free(in);
            continue;
        }
        if (n == in->num_rows) { /* everything won: pass the batch on as it is */
            *out = in;
            return MDL_OK;
        }
        mdl_batch *b = NULL;
        rc = mdl_batch_new(t->ctx, t->base.schema, n, &b, err);
        for (size_t c = 0; rc == MDL_OK && c < t->ncols; c++)
            for (size_t r = 0; rc == MDL_OK && r < in->num_rows; r++)
                if ((t->winners[(base + r) >> 3] >> ((base + r) & 7)) & 1)
                    rc = mdl_sql__column_append_from(t->ctx, &b->columns[c], &in->columns[c], r,
                                                     err);
        mdl_batch_free(in);
        if (rc != MDL_OK) {
            mdl_batch_free(b);
            return rc;
        }
        b->num_rows = n;
        *out = b;
        return MDL_OK;
    }
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
        if (rc == MDL_OK && t->open != NULL)
            rc = mark_winners(t, err);
    }
    if (rc == MDL_OK && t->open != NULL) {
        rc = rescan_next(t, out, err);
    } else if (rc == MDL_OK && t->out_pos < t->num_entries) {
        size_t n = t->num_entries - t->out_pos;
        if (n > t->batch_rows)
            n = t->batch_rows;
        mdl_batch *b = NULL;
        rc = mdl_batch_new(t->ctx, t->base.schema, n, &b, err);
        for (size_t e = t->out_pos; rc == MDL_OK && e < t->out_pos + n; e++) {
            const char *row = t->arena + entry_off(t->entries[e]);
            for (size_t c = 0; rc == MDL_OK && c < t->ncols; c++) {
                mdl_column *col = &b->columns[c];
                if (stored_null(row, c)) {
                    rc = mdl_column_append_null(t->ctx, col, err);
                } else if (t->is_string[c]) {
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
    mdl_schema_release(t->base.schema);
    mdl_free(ctx, t->keys);
    mdl_free(ctx, t->order);
    mdl_free(ctx, t->store_cols);
    mdl_free(ctx, t->col_pos);
    mdl_free(ctx, t->col_off);
    mdl_free(ctx, t->widths);
    mdl_free(ctx, t->is_string);
    mdl_free(ctx, t->slots);
    mdl_free(ctx, t->hashes);
    mdl_free(ctx, t->entries);
    mdl_free(ctx, t->arena);
    mdl_free(ctx, t->winners);
    mdl_buf_reset(&t->keybuf);
    mdl_free(ctx, t);
}

static int top_create(mdl_ctx *ctx, mdl_batch_stream *child, mdl_sql_stream_open_fn open,
                      void *open_arg, const mdl_sql_top1_options *opt, mdl_batch_stream **out,
                      mdl_error *err)
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
    t->open = open;
    t->open_arg = open_arg;
    t->base.next = top_next;
    t->base.release = top_release;
    t->base.schema = mdl_schema_retain(child->schema); /* outlives the first read's stream */
    t->base.private_data = t;
    t->budget = mdl_sql__budget(ctx, opt->budget_bytes);
    t->batch_rows = ctx->limits.batch_rows ? ctx->limits.batch_rows : MDL_DEFAULT_BATCH_ROWS;
    mdl_buf_init(&t->keybuf, ctx, (size_t)1 << 30);
    t->ncols = ncols;
    t->num_keys = opt->num_keys;
    t->num_order = opt->num_order;
    t->keys = mdl_calloc(ctx, opt->num_keys + 1, sizeof *t->keys);
    t->order = mdl_calloc(ctx, opt->num_order + 1, sizeof *t->order);
    t->store_cols = mdl_calloc(ctx, ncols + 1, sizeof *t->store_cols);
    t->col_pos = mdl_calloc(ctx, ncols + 1, sizeof *t->col_pos);
    t->col_off = mdl_calloc(ctx, ncols + 1, sizeof *t->col_off);
    t->widths = mdl_calloc(ctx, ncols + 1, 1);
    t->is_string = mdl_calloc(ctx, ncols + 1, sizeof *t->is_string);
    if (!t->keys || !t->order || !t->store_cols || !t->col_pos || !t->col_off || !t->widths ||
        !t->is_string) {
        top_release(&t->base);
        return mdl_error_set(err, MDL_ERR_NOMEM, "top-1 per key: out of memory");
    }
    if (opt->num_keys)
        memcpy(t->keys, opt->keys, opt->num_keys * sizeof *t->keys);
    if (opt->num_order)
        memcpy(t->order, opt->order, opt->num_order * sizeof *t->order);
    for (size_t c = 0; c < ncols; c++)
        t->col_pos[c] = -1;
    for (size_t c = 0; c < ncols; c++) {
        bool keep = open == NULL;
        for (size_t i = 0; !keep && i < opt->num_keys; i++)
            keep = opt->keys[i] == c;
        for (size_t i = 0; !keep && i < opt->num_order; i++)
            keep = opt->order[i].column == c;
        if (keep) {
            t->col_pos[c] = (long)t->num_store;
            t->store_cols[t->num_store++] = c;
        }
    }
    t->bitmap_bytes = (t->num_store + 7) / 8;
    size_t off = t->bitmap_bytes;
    for (size_t k = 0; k < t->num_store; k++) {
        mdl_type ty = child->schema->fields[t->store_cols[k]].type;
        t->col_off[k] = off;
        t->widths[k] = (uint8_t)slot_width(ty);
        t->is_string[k] = ty.id == MDL_TYPE_STRING;
        off += t->widths[k];
    }
    t->index_off = off;
    if (open != NULL)
        off += 8;
    t->fixed_bytes = off;
    *out = &t->base;
    return MDL_OK;
}

int mdl_sql__top1_new(mdl_ctx *ctx, mdl_batch_stream *child, const mdl_sql_top1_options *opt,
                      mdl_batch_stream **out, mdl_error *err)
{
    return top_create(ctx, child, NULL, NULL, opt, out, err);
}

int mdl_sql__top1_rescan_new(mdl_ctx *ctx, mdl_sql_stream_open_fn open, void *open_arg,
                             const mdl_sql_top1_options *opt, mdl_batch_stream **out,
                             mdl_error *err)
{
    *out = NULL;
    mdl_batch_stream *first = NULL;
    int rc = open(open_arg, &first, err);
    if (rc != MDL_OK)
        return rc;
    return top_create(ctx, first, open, open_arg, opt, out, err);
}
