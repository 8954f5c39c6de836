/*
 * sql_op_sort.c - the sort operator (ORDER BY, top-N) and the column helpers the other order
 * operators share.
 *
 * Input batches are buffered as they come (no copy); a sort is an array of (batch, row)
 * references ordered by the keys and then by input position, which makes it stable. Past the
 * memory budget the buffered rows are sorted and written to a temporary file as one run, and
 * at the end the runs are merged k-way with a binary heap (ties go to the earlier run, so the
 * merge stays stable). With a LIMIT, buffered rows are cut back to the best `limit` whenever
 * twice that many are held, and a spilled run keeps only its first `limit` rows: rows past
 * them can never be in the answer.
 *
 * Run file layout (host byte order; the file never outlives the process that wrote it):
 *   chunk*: u64 rows (> 0), then per column: u8 has_validity, [validity rows/8+1 bytes],
 *           values (rows * width bytes; strings: (rows+1) int64 offsets, u64 data_len, data)
 *   u64 0 (end)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sql/sql_op_order.h"

/* ---- shared helpers ------------------------------------------------------------------------ */

size_t mdl_sql__budget(const mdl_ctx *ctx, size_t budget)
{
    if (budget != 0)
        return budget;
    return ctx->limits.operator_memory_bytes ? ctx->limits.operator_memory_bytes
                                             : (size_t)512 << 20;
}

int mdl_sql__column_reserve(mdl_ctx *ctx, mdl_column *col, size_t rows, mdl_error *err)
{
    if (rows <= col->capacity)
        return MDL_OK;
    size_t cap = col->capacity ? col->capacity : 64;
    while (cap < rows)
        cap = cap > SIZE_MAX / 4 ? rows : cap * 2;
    size_t n = cap + (col->type.id == MDL_TYPE_STRING ? 1 : 0), bytes;
    if (!mdl_size_mul(n, mdl_type_width(col->type), &bytes))
        return mdl_error_set(err, MDL_ERR_LIMIT, "column too large");
    void *v = mdl_realloc(ctx, col->values, bytes);
    if (v == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory growing a column");
    col->values = v;
    if (col->validity != NULL) {
        uint8_t *m = mdl_realloc(ctx, col->validity, cap / 8 + 1);
        if (m == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory growing a column");
        size_t old = col->capacity / 8 + 1;
        memset(m + old, 0xFF, cap / 8 + 1 - old);
        /* Bits past `length` in the last old byte are set already (truncate/alloc keep 1s). */
        col->validity = m;
    }
    col->capacity = cap;
    return MDL_OK;
}

int mdl_sql__column_append_from(mdl_ctx *ctx, mdl_column *dst, const mdl_column *src, size_t row,
                                mdl_error *err)
{
    if (mdl_column_is_null(src, row))
        return mdl_column_append_null(ctx, dst, err);
    if (dst->type.id == MDL_TYPE_STRING) {
        mdl_strview s = mdl_column_str(src, row);
        return mdl_column_append_string(ctx, dst, s.ptr, s.len, err);
    }
    if (dst->length >= dst->capacity)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "column is full (%zu rows)", dst->capacity);
    size_t w = mdl_type_width(dst->type);
    memcpy((char *)dst->values + dst->length * w, (const char *)src->values + row * w, w);
    if (dst->validity != NULL)
        dst->validity[dst->length >> 3] |= (uint8_t)(1u << (dst->length & 7));
    dst->length++;
    return MDL_OK;
}

size_t mdl_sql__batch_bytes(const mdl_batch *batch)
{
    size_t total = sizeof *batch;
    for (size_t i = 0; i < batch->schema->num_fields; i++) {
        const mdl_column *c = &batch->columns[i];
        total += (c->capacity + 1) * mdl_type_width(c->type) + c->data_cap;
        if (c->validity != NULL)
            total += c->capacity / 8 + 1;
    }
    return total;
}

/* ---- the operator -------------------------------------------------------------------------- */

typedef struct sort_ref {
    uint32_t batch;
    uint32_t row;
} sort_ref;

typedef struct run_reader {
    FILE *f;
    mdl_batch *cur;
    size_t pos;
} run_reader;

typedef struct sort_op {
    mdl_batch_stream base;
    mdl_ctx *ctx;
    mdl_batch_stream *child;
    mdl_sql_sort_key *keys;
    size_t num_keys;
    bool has_limit;
    size_t limit;
    size_t budget;
    char *temp_dir;
    size_t batch_rows;

    mdl_batch **batches; /* buffered input */
    size_t num_batches, cap_batches, buffered_bytes, buffered_rows;
    sort_ref *refs; /* sorted references into `batches` (output phase, in memory) */
    size_t num_refs, pos;

    char **run_paths; /* spilled runs not yet opened (and so not yet unlinked) */
    size_t num_runs, cap_runs, runs_written;
    run_reader *readers;
    size_t num_readers;
    size_t *heap; /* reader indexes */
    size_t heap_len;
    size_t emitted;

    bool consumed;
    int failed; /* sticky status after an error */
} sort_op;

static int ref_cmp(const void *a, const void *b, void *arg)
{
    const sort_op *s = arg;
    const sort_ref *x = a, *y = b;
    int c = mdl_sql__row_cmp(s->keys, s->num_keys, s->batches[x->batch], x->row,
                             s->batches[y->batch], y->row);
    if (c != 0)
        return c;
    if (x->batch != y->batch)
        return x->batch < y->batch ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

/* Sorts references to every buffered row into s->refs. */
static int sort_buffered(sort_op *s, mdl_error *err)
{
    mdl_free(s->ctx, s->refs);
    s->refs = NULL;
    s->num_refs = s->pos = 0;
    if (s->buffered_rows == 0)
        return MDL_OK;
    size_t bytes;
    if (!mdl_size_mul(s->buffered_rows, sizeof(sort_ref), &bytes))
        return mdl_error_set(err, MDL_ERR_LIMIT, "sort: too many rows");
    s->refs = mdl_alloc(s->ctx, bytes);
    if (s->refs == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "sort: out of memory for %zu rows",
                             s->buffered_rows);
    size_t n = 0;
    for (size_t b = 0; b < s->num_batches; b++)
        for (size_t r = 0; r < s->batches[b]->num_rows; r++) {
            s->refs[n].batch = (uint32_t)b;
            s->refs[n].row = (uint32_t)r;
            n++;
        }
    s->num_refs = n;
    qsort_r(s->refs, n, sizeof(sort_ref), ref_cmp, s);
    if (s->has_limit && s->num_refs > s->limit)
        s->num_refs = s->limit;
    return MDL_OK;
}

/* Copies refs[from, from+n) into a new batch, column by column. */
static int gather(sort_op *s, size_t from, size_t n, mdl_batch **out, mdl_error *err)
{
    mdl_batch *b = NULL;
    int rc = mdl_batch_new(s->ctx, s->base.schema, n ? n : 1, &b, err);
    if (rc != MDL_OK)
        return rc;
    for (size_t c = 0; c < s->base.schema->num_fields; c++) {
        mdl_column *dst = &b->columns[c];
        for (size_t i = from; i < from + n; i++) {
            const sort_ref *r = &s->refs[i];
            rc = mdl_sql__column_append_from(s->ctx, dst, &s->batches[r->batch]->columns[c], r->row,
                                             err);
            if (rc != MDL_OK) {
                mdl_batch_free(b);
                return rc;
            }
        }
    }
    b->num_rows = n;
    *out = b;
    return MDL_OK;
}

static void drop_buffered(sort_op *s)
{
    for (size_t i = 0; i < s->num_batches; i++)
        mdl_batch_free(s->batches[i]);
    s->num_batches = s->buffered_bytes = s->buffered_rows = 0;
    mdl_free(s->ctx, s->refs);
    s->refs = NULL;
    s->num_refs = s->pos = 0;
}

static int push_batch(sort_op *s, mdl_batch *b, mdl_error *err)
{
    if (s->num_batches == s->cap_batches) {
        size_t cap = s->cap_batches ? s->cap_batches * 2 : 16;
        mdl_batch **p = mdl_realloc(s->ctx, s->batches, cap * sizeof *p);
        if (p == NULL) {
            mdl_batch_free(b);
            return mdl_error_set(err, MDL_ERR_NOMEM, "sort: out of memory");
        }
        s->batches = p;
        s->cap_batches = cap;
    }
    s->batches[s->num_batches++] = b;
    s->buffered_bytes += mdl_sql__batch_bytes(b);
    s->buffered_rows += b->num_rows;
    return MDL_OK;
}

/* Top-N: keeps only the best `limit` buffered rows, compacted into one batch. */
static int cut_to_limit(sort_op *s, mdl_error *err)
{
    int rc = sort_buffered(s, err);
    if (rc != MDL_OK)
        return rc;
    mdl_batch *kept = NULL;
    if (s->num_refs > 0 && (rc = gather(s, 0, s->num_refs, &kept, err)) != MDL_OK)
        return rc;
    drop_buffered(s);
    return kept ? push_batch(s, kept, err) : MDL_OK;
}

static int write_all(FILE *f, const void *p, size_t n, mdl_error *err)
{
    if (n && fwrite(p, 1, n, f) != n)
        return mdl_error_set(err, MDL_ERR_IO, "sort: writing a spill file: %s", strerror(errno));
    return MDL_OK;
}

static int write_chunk(FILE *f, const mdl_batch *b, mdl_error *err)
{
    uint64_t rows = b->num_rows;
    int rc = write_all(f, &rows, 8, err);
    for (size_t c = 0; rc == MDL_OK && c < b->schema->num_fields; c++) {
        const mdl_column *col = &b->columns[c];
        uint8_t hv = col->validity != NULL;
        rc = write_all(f, &hv, 1, err);
        if (rc == MDL_OK && hv)
            rc = write_all(f, col->validity, rows / 8 + 1, err);
        if (rc != MDL_OK)
            break;
        if (col->type.id == MDL_TYPE_STRING) {
            uint64_t dl = col->data_len;
            rc = write_all(f, col->values, (rows + 1) * 8, err);
            if (rc == MDL_OK)
                rc = write_all(f, &dl, 8, err);
            if (rc == MDL_OK)
                rc = write_all(f, col->data, dl, err);
        } else {
            rc = write_all(f, col->values, rows * mdl_type_width(col->type), err);
        }
    }
    return rc;
}

/* Sorts what is buffered and writes it as one run file. */
static int spill_run(sort_op *s, mdl_error *err)
{
    int rc = sort_buffered(s, err);
    if (rc != MDL_OK || s->num_refs == 0) {
        drop_buffered(s);
        return rc;
    }
    if (s->num_runs == s->cap_runs) {
        size_t cap = s->cap_runs ? s->cap_runs * 2 : 8;
        char **p = mdl_realloc(s->ctx, s->run_paths, cap * sizeof *p);
        if (p == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "sort: out of memory");
        s->run_paths = p;
        s->cap_runs = cap;
    }
    mdl_buf path;
    mdl_buf_init(&path, s->ctx, 4096);
    rc = mdl_buf_printf(&path, err, "%s/mdl-sort-XXXXXX", s->temp_dir);
    if (rc == MDL_OK)
        rc = mdl_buf_terminate(&path, err);
    if (rc != MDL_OK) {
        mdl_buf_reset(&path);
        return rc;
    }
    int fd = mkstemp(path.data);
    if (fd < 0) {
        rc = mdl_error_set(err, MDL_ERR_IO, "sort: cannot create a spill file in %s: %s",
                           s->temp_dir, strerror(errno));
        mdl_buf_reset(&path);
        return rc;
    }
    s->run_paths[s->num_runs++] = path.data; /* owned from here; removed on release */
    s->runs_written++;
    FILE *f = fdopen(fd, "wb");
    if (f == NULL) {
        close(fd);
        return mdl_error_set(err, MDL_ERR_IO, "sort: spill file: %s", strerror(errno));
    }
    size_t chunk = s->batch_rows;
    for (size_t from = 0; rc == MDL_OK && from < s->num_refs; from += chunk) {
        size_t n = s->num_refs - from < chunk ? s->num_refs - from : chunk;
        mdl_batch *b = NULL;
        rc = gather(s, from, n, &b, err);
        if (rc == MDL_OK)
            rc = write_chunk(f, b, err);
        mdl_batch_free(b);
    }
    uint64_t end = 0;
    if (rc == MDL_OK)
        rc = write_all(f, &end, 8, err);
    if (fclose(f) != 0 && rc == MDL_OK)
        rc = mdl_error_set(err, MDL_ERR_IO, "sort: closing a spill file: %s", strerror(errno));
    drop_buffered(s);
    return rc;
}

static int read_all(FILE *f, void *p, size_t n, mdl_error *err)
{
    if (n && fread(p, 1, n, f) != n)
        return mdl_error_set(err, MDL_ERR_IO, "sort: reading a spill file: %s",
                             ferror(f) ? strerror(errno) : "truncated");
    return MDL_OK;
}

/* Reads the reader's next chunk into r->cur (NULL at the end of the run). */
static int read_chunk(sort_op *s, run_reader *r, mdl_error *err)
{
    mdl_batch_free(r->cur);
    r->cur = NULL;
    r->pos = 0;
    uint64_t rows;
    int rc = read_all(r->f, &rows, 8, err);
    if (rc != MDL_OK || rows == 0)
        return rc;
    mdl_batch *b = NULL;
    if ((rc = mdl_batch_new(s->ctx, s->base.schema, rows, &b, err)) != MDL_OK)
        return rc;
    for (size_t c = 0; rc == MDL_OK && c < b->schema->num_fields; c++) {
        mdl_column *col = &b->columns[c];
        uint8_t hv;
        rc = read_all(r->f, &hv, 1, err);
        if (rc == MDL_OK && hv) {
            col->validity = mdl_alloc(s->ctx, col->capacity / 8 + 1);
            if (col->validity == NULL)
                rc = mdl_error_set(err, MDL_ERR_NOMEM, "sort: out of memory");
            else
                rc = read_all(r->f, col->validity, rows / 8 + 1, err);
            for (size_t i = 0; rc == MDL_OK && i < rows; i++)
                if (!(col->validity[i >> 3] & (1u << (i & 7))))
                    col->null_count++;
        }
        if (rc != MDL_OK)
            break;
        if (col->type.id == MDL_TYPE_STRING) {
            uint64_t dl;
            rc = read_all(r->f, col->values, (rows + 1) * 8, err);
            if (rc == MDL_OK)
                rc = read_all(r->f, &dl, 8, err);
            if (rc == MDL_OK && dl > col->data_cap) {
                char *p = mdl_realloc(s->ctx, col->data, dl);
                if (p == NULL)
                    rc = mdl_error_set(err, MDL_ERR_NOMEM, "sort: out of memory");
                else {
                    col->data = p;
                    col->data_cap = dl;
                }
            }
            if (rc == MDL_OK)
                rc = read_all(r->f, col->data, dl, err);
            col->data_len = dl;
        } else {
            rc = read_all(r->f, col->values, rows * mdl_type_width(col->type), err);
        }
        col->length = rows;
    }
    if (rc != MDL_OK) {
        mdl_batch_free(b);
        return rc;
    }
    b->num_rows = rows;
    r->cur = b;
    return MDL_OK;
}

/* Heap order: the reader whose current row sorts first; ties to the earlier run. */
static bool heap_less(const sort_op *s, size_t a, size_t b)
{
    const run_reader *x = &s->readers[a], *y = &s->readers[b];
    int c = mdl_sql__row_cmp(s->keys, s->num_keys, x->cur, x->pos, y->cur, y->pos);
    return c < 0 || (c == 0 && a < b);
}

static void heap_down(sort_op *s, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < s->heap_len && heap_less(s, s->heap[l], s->heap[m]))
            m = l;
        if (l + 1 < s->heap_len && heap_less(s, s->heap[l + 1], s->heap[m]))
            m = l + 1;
        if (m == i)
            return;
        size_t t = s->heap[i];
        s->heap[i] = s->heap[m];
        s->heap[m] = t;
        i = m;
    }
}

static int start_merge(sort_op *s, mdl_error *err)
{
    s->readers = mdl_calloc(s->ctx, s->num_runs, sizeof *s->readers);
    s->heap = mdl_calloc(s->ctx, s->num_runs, sizeof *s->heap);
    if (s->readers == NULL || s->heap == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "sort: out of memory");
    for (size_t i = 0; i < s->num_runs; i++) {
        run_reader *r = &s->readers[i];
        r->f = fopen(s->run_paths[i], "rb");
        s->num_readers++;
        if (r->f == NULL)
            return mdl_error_set(err, MDL_ERR_IO, "sort: reopening %s: %s", s->run_paths[i],
                                 strerror(errno));
    }
    /* Open files stay readable after unlink, and nothing is left behind whatever happens. */
    for (size_t i = 0; i < s->num_runs; i++) {
        unlink(s->run_paths[i]);
        mdl_free(s->ctx, s->run_paths[i]);
    }
    s->num_runs = 0;
    for (size_t i = 0; i < s->num_readers; i++) {
        int rc = read_chunk(s, &s->readers[i], err);
        if (rc != MDL_OK)
            return rc;
        if (s->readers[i].cur != NULL)
            s->heap[s->heap_len++] = i;
    }
    for (size_t i = s->heap_len / 2; i-- > 0;)
        heap_down(s, i);
    return MDL_OK;
}

static int merge_next(sort_op *s, mdl_batch **out, mdl_error *err)
{
    size_t want = s->batch_rows;
    if (s->has_limit && s->limit - s->emitted < want)
        want = s->limit - s->emitted;
    if (s->heap_len == 0 || want == 0)
        return MDL_OK;
    mdl_batch *b = NULL;
    int rc = mdl_batch_new(s->ctx, s->base.schema, want, &b, err);
    size_t n = 0;
    while (rc == MDL_OK && n < want && s->heap_len > 0) {
        run_reader *r = &s->readers[s->heap[0]];
        for (size_t c = 0; rc == MDL_OK && c < s->base.schema->num_fields; c++)
            rc = mdl_sql__column_append_from(s->ctx, &b->columns[c], &r->cur->columns[c], r->pos,
                                             err);
        if (rc != MDL_OK)
            break;
        n++;
        if (++r->pos == r->cur->num_rows) {
            rc = read_chunk(s, r, err);
            if (rc != MDL_OK)
                break;
            if (r->cur == NULL)
                s->heap[0] = s->heap[--s->heap_len];
        }
        if (s->heap_len > 0)
            heap_down(s, 0);
    }
    if (rc != MDL_OK) {
        mdl_batch_free(b);
        return rc;
    }
    b->num_rows = n;
    s->emitted += n;
    *out = b;
    return MDL_OK;
}

static int consume(sort_op *s, mdl_error *err)
{
    size_t topn_at = s->has_limit ? (s->limit > SIZE_MAX / 2 ? SIZE_MAX : 2 * s->limit) : 0;
    if (topn_at < s->batch_rows)
        topn_at = s->batch_rows;
    for (;;) {
        mdl_batch *b = NULL;
        int rc = mdl_batch_stream_next(s->child, &b, err);
        if (rc != MDL_OK)
            return rc;
        if (b == NULL)
            break;
        if (b->num_rows == 0 || (s->has_limit && s->limit == 0)) {
            mdl_batch_free(b);
            continue;
        }
        if (b->num_rows > UINT32_MAX || s->num_batches >= UINT32_MAX) {
            mdl_batch_free(b);
            return mdl_error_set(err, MDL_ERR_LIMIT, "sort: batch too large");
        }
        if ((rc = push_batch(s, b, err)) != MDL_OK)
            return rc;
        if (s->has_limit && s->buffered_rows >= topn_at && s->buffered_bytes <= s->budget)
            rc = cut_to_limit(s, err);
        else if (s->buffered_bytes > s->budget)
            rc = spill_run(s, err);
        if (rc != MDL_OK)
            return rc;
    }
    if (s->num_runs > 0) {
        int rc = spill_run(s, err);
        if (rc == MDL_OK)
            rc = start_merge(s, err);
        return rc;
    }
    return sort_buffered(s, err);
}

static int sort_next(mdl_batch_stream *self, mdl_batch **out, mdl_error *err)
{
    sort_op *s = self->private_data;
    *out = NULL;
    if (s->failed)
        return mdl_error_set(err, s->failed, "sort: the stream failed before");
    int rc = MDL_OK;
    if (!s->consumed) {
        s->consumed = true;
        rc = consume(s, err);
    }
    if (rc == MDL_OK) {
        if (s->readers != NULL) {
            rc = merge_next(s, out, err);
        } else if (s->pos < s->num_refs) {
            size_t n = s->num_refs - s->pos < s->batch_rows ? s->num_refs - s->pos : s->batch_rows;
            rc = gather(s, s->pos, n, out, err);
            if (rc == MDL_OK)
                s->pos += n;
        }
    }
    if (rc != MDL_OK)
        s->failed = rc;
    return rc;
}

static void sort_release(mdl_batch_stream *self)
{
    sort_op *s = self->private_data;
    mdl_ctx *ctx = s->ctx;
    drop_buffered(s);
    mdl_free(ctx, s->batches);
    for (size_t i = 0; i < s->num_runs; i++) {
        unlink(s->run_paths[i]);
        mdl_free(ctx, s->run_paths[i]);
    }
    mdl_free(ctx, s->run_paths);
    for (size_t i = 0; i < s->num_readers; i++) {
        if (s->readers[i].f != NULL)
            fclose(s->readers[i].f);
        mdl_batch_free(s->readers[i].cur);
    }
    mdl_free(ctx, s->readers);
    mdl_free(ctx, s->heap);
    mdl_batch_stream_release(s->child);
    mdl_free(ctx, s->keys);
    mdl_free(ctx, s->temp_dir);
    mdl_free(ctx, s);
}

size_t mdl_sql__sort_spilled_runs(const mdl_batch_stream *sort)
{
    const sort_op *s = sort->private_data;
    return s->runs_written;
}

int mdl_sql__sort_new(mdl_ctx *ctx, mdl_batch_stream *child, const mdl_sql_sort_options *opt,
                      mdl_batch_stream **out, mdl_error *err)
{
    *out = NULL;
    size_t ncols = child->schema->num_fields;
    for (size_t k = 0; k < opt->num_keys; k++)
        if (opt->keys[k].column >= ncols) {
            mdl_batch_stream_release(child);
            return mdl_error_set(err, MDL_ERR_INVALID_ARG, "sort: key column %zu of %zu",
                                 opt->keys[k].column, ncols);
        }
    sort_op *s = mdl_calloc(ctx, 1, sizeof *s);
    if (s == NULL) {
        mdl_batch_stream_release(child);
        return mdl_error_set(err, MDL_ERR_NOMEM, "sort: out of memory");
    }
    s->ctx = ctx;
    s->child = child;
    s->base.next = sort_next;
    s->base.release = sort_release;
    s->base.schema = child->schema;
    s->base.private_data = s;
    s->has_limit = opt->has_limit;
    s->limit = opt->limit;
    s->budget = mdl_sql__budget(ctx, opt->budget_bytes);
    s->batch_rows = ctx->limits.batch_rows ? ctx->limits.batch_rows : MDL_DEFAULT_BATCH_ROWS;
    const char *dir = opt->temp_dir;
    if (dir == NULL || *dir == '\0')
        dir = getenv("TMPDIR");
    if (dir == NULL || *dir == '\0')
        dir = "/tmp";
    s->temp_dir = mdl_strdup(ctx, dir);
    s->num_keys = opt->num_keys;
    s->keys = mdl_calloc(ctx, opt->num_keys ? opt->num_keys : 1, sizeof *s->keys);
    if (s->temp_dir == NULL || s->keys == NULL) {
        sort_release(&s->base);
        return mdl_error_set(err, MDL_ERR_NOMEM, "sort: out of memory");
    }
    if (opt->num_keys)
        memcpy(s->keys, opt->keys, opt->num_keys * sizeof *s->keys);
    *out = &s->base;
    return MDL_OK;
}
