/*
 * batch.c - columns and record batches: allocation, appends, validation, display.
 * Fixed-width values are allocated for the batch's whole capacity up front so readers
 * can append without growth checks; string bytes grow geometrically.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "batch_pool.h"
#include "medallion/core.h"

static int column_init(mdl_ctx *ctx, mdl_column *col, mdl_type type, size_t capacity,
                       mdl_error *err)
{
    memset(col, 0, sizeof *col);
    col->type = type;
    col->capacity = capacity;
    size_t rows = capacity, bytes;
    if (type.id == MDL_TYPE_STRING && !mdl_size_add(rows, 1, &rows))
        return mdl_error_set(err, MDL_ERR_LIMIT, "batch capacity too large");
    if (!mdl_size_mul(rows, mdl_type_width(type), &bytes))
        return mdl_error_set(err, MDL_ERR_LIMIT, "batch capacity too large");
    col->values = mdl_alloc(ctx, bytes);
    if (col->values == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory allocating a column");
    if (type.id == MDL_TYPE_STRING) {
        ((int64_t *)col->values)[0] = 0;
        /* `data` is never NULL, so data + offset is always defined, even for "" values. */
        col->data_cap = 256;
        col->data = mdl_alloc(ctx, col->data_cap);
        if (col->data == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory allocating a column");
    }
    return MDL_OK;
}

static void column_free(mdl_ctx *ctx, mdl_column *col)
{
    mdl_free(ctx, col->values);
    mdl_free(ctx, col->validity);
    mdl_free(ctx, col->data);
}

int mdl_column_init(mdl_ctx *ctx, mdl_column *col, mdl_type type, size_t capacity, mdl_error *err)
{
    /* At least one row so that `values` is never NULL (a zero-byte allocation may be). */
    int rc = column_init(ctx, col, type, capacity ? capacity : 1, err);
    if (rc != MDL_OK) {
        column_free(ctx, col);
        memset(col, 0, sizeof *col);
        return rc;
    }
    col->capacity = capacity;
    return MDL_OK;
}

void mdl_column_reset(mdl_ctx *ctx, mdl_column *col)
{
    if (col == NULL)
        return;
    column_free(ctx, col);
    memset(col, 0, sizeof *col);
}

int mdl_batch_new(mdl_ctx *ctx, mdl_schema *schema, size_t capacity, mdl_batch **out,
                  mdl_error *err)
{
    *out = NULL;
    if (capacity == 0)
        capacity = ctx->limits.batch_rows ? ctx->limits.batch_rows : MDL_DEFAULT_BATCH_ROWS;
    mdl_batch *b = mdl_calloc(ctx, 1, sizeof *b);
    if (b == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory allocating a batch");
    b->ctx = ctx;
    b->schema = mdl_schema_retain(schema);
    b->capacity = capacity;
    b->columns = mdl_calloc(ctx, schema->num_fields ? schema->num_fields : 1, sizeof(mdl_column));
    if (b->columns == NULL) {
        mdl_batch_free(b);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory allocating a batch");
    }
    for (size_t i = 0; i < schema->num_fields; i++) {
        int rc = column_init(ctx, &b->columns[i], schema->fields[i].type, capacity, err);
        if (rc != MDL_OK) {
            mdl_batch_free(b);
            return rc;
        }
    }
    *out = b;
    return MDL_OK;
}

void mdl_batch_free(mdl_batch *batch)
{
    if (batch == NULL)
        return;
    if (batch->pool != NULL) {
        mdl_core__batch_pool_return(batch);
        return;
    }
    mdl_core__batch_destroy(batch);
}

void mdl_core__batch_destroy(mdl_batch *batch)
{
    if (batch->columns != NULL)
        for (size_t i = 0; i < batch->schema->num_fields; i++)
            column_free(batch->ctx, &batch->columns[i]);
    mdl_free(batch->ctx, batch->columns);
    mdl_schema_release(batch->schema);
    mdl_free(batch->ctx, batch);
}

void mdl_batch_clear(mdl_batch *batch)
{
    for (size_t i = 0; i < batch->schema->num_fields; i++)
        mdl_column_truncate(&batch->columns[i], 0);
    batch->num_rows = 0;
}

mdl_i128 mdl_column_decimal(const mdl_column *col, size_t row)
{
    if (col->type.precision <= MDL_DECIMAL64_MAX_PRECISION)
        return ((const int64_t *)col->values)[row];
    mdl_i128 v;
    memcpy(&v, (const char *)col->values + row * 16, 16);
    return v;
}

/* Creates the validity bitmap on the first null, with every earlier row marked valid. */
static int ensure_validity(mdl_ctx *ctx, mdl_column *col, mdl_error *err)
{
    if (col->validity != NULL)
        return MDL_OK;
    size_t bytes = col->capacity / 8 + 1;
    col->validity = mdl_alloc(ctx, bytes);
    if (col->validity == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory allocating a validity bitmap");
    memset(col->validity, 0xFF, bytes);
    return MDL_OK;
}

int mdl_column_append_null(mdl_ctx *ctx, mdl_column *col, mdl_error *err)
{
    if (col->length >= col->capacity)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "column is full (%zu rows)", col->capacity);
    int rc = ensure_validity(ctx, col, err);
    if (rc != MDL_OK)
        return rc;
    size_t i = col->length;
    col->validity[i >> 3] &= (uint8_t) ~(1u << (i & 7));
    if (col->type.id == MDL_TYPE_STRING) {
        int64_t *off = col->values;
        off[i + 1] = off[i];
    } else {
        size_t w = mdl_type_width(col->type);
        memset((char *)col->values + i * w, 0, w);
    }
    col->null_count++;
    col->length++;
    return MDL_OK;
}

int mdl_column_append_nulls(mdl_ctx *ctx, mdl_column *col, size_t n, mdl_error *err)
{
    if (n > col->capacity - col->length)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "column is full (%zu rows)", col->capacity);
    if (n == 0)
        return MDL_OK;
    int rc = ensure_validity(ctx, col, err);
    if (rc != MDL_OK)
        return rc;
    size_t i = col->length, end = i + n;
    /* clear the validity bits [i, end): partial bytes bit by bit, whole bytes at once */
    for (; i < end && (i & 7) != 0; i++)
        col->validity[i >> 3] &= (uint8_t) ~(1u << (i & 7));
    if (end - i >= 8) {
        memset(col->validity + (i >> 3), 0, (end - i) >> 3);
        i += (end - i) & ~(size_t)7;
    }
    for (; i < end; i++)
        col->validity[i >> 3] &= (uint8_t) ~(1u << (i & 7));
    if (col->type.id == MDL_TYPE_STRING) {
        int64_t *off = col->values;
        for (size_t k = col->length; k < end; k++)
            off[k + 1] = off[col->length];
    } else {
        size_t w = mdl_type_width(col->type);
        memset((char *)col->values + col->length * w, 0, n * w);
    }
    col->null_count += n;
    col->length = end;
    return MDL_OK;
}

int mdl_column_append_string(mdl_ctx *ctx, mdl_column *col, const char *s, size_t len,
                             mdl_error *err)
{
    if (col->length >= col->capacity)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "column is full (%zu rows)", col->capacity);
    size_t need;
    if (!mdl_size_add(col->data_len, len, &need) || need > (size_t)INT64_MAX)
        return mdl_error_set(err, MDL_ERR_LIMIT, "string column too large");
    if (need > col->data_cap) {
        size_t cap = col->data_cap ? col->data_cap : 4096;
        while (cap < need)
            cap = cap > SIZE_MAX / 2 ? need : cap * 2;
        char *p = mdl_realloc(ctx, col->data, cap);
        if (p == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory growing a string column");
        col->data = p;
        col->data_cap = cap;
    }
    if (len)
        memcpy(col->data + col->data_len, s, len);
    col->data_len = need;
    int64_t *off = col->values;
    off[col->length + 1] = (int64_t)need;
    if (col->validity != NULL)
        col->validity[col->length >> 3] |= (uint8_t)(1u << (col->length & 7));
    col->length++;
    return MDL_OK;
}

int mdl_column_append_value(mdl_ctx *ctx, mdl_column *col, const void *value, mdl_error *err)
{
    (void)ctx;
    if (col->type.id == MDL_TYPE_STRING)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "use mdl_column_append_string");
    if (col->length >= col->capacity)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "column is full (%zu rows)", col->capacity);
    size_t w = mdl_type_width(col->type);
    memcpy((char *)col->values + col->length * w, value, w);
    if (col->validity != NULL)
        col->validity[col->length >> 3] |= (uint8_t)(1u << (col->length & 7));
    col->length++;
    return MDL_OK;
}

void mdl_column_truncate(mdl_column *col, size_t length)
{
    if (length >= col->length)
        return;
    if (length == 0 && col->validity != NULL) {
        /* Emptying (batch reuse) resets the whole bitmap at once. */
        memset(col->validity, 0xFF, col->capacity / 8 + 1);
        col->null_count = 0;
    }
    if (col->validity != NULL)
        for (size_t i = length; i < col->length; i++)
            if (!(col->validity[i >> 3] & (1u << (i & 7)))) {
                col->null_count--;
                col->validity[i >> 3] |= (uint8_t)(1u << (i & 7));
            }
    if (col->type.id == MDL_TYPE_STRING)
        col->data_len = (size_t)((int64_t *)col->values)[length];
    col->length = length;
}

int mdl_batch_validate(const mdl_batch *b, mdl_error *err)
{
    for (size_t c = 0; c < b->schema->num_fields; c++) {
        const mdl_column *col = &b->columns[c];
        const mdl_field *f = &b->schema->fields[c];
        if (!mdl_type_equal(col->type, f->type))
            return mdl_error_set(err, MDL_ERR_SCHEMA, "column '%s': type differs from schema",
                                 f->name);
        if (col->length != b->num_rows)
            return mdl_error_set(err, MDL_ERR_SCHEMA, "column '%s' has %zu rows, batch has %zu",
                                 f->name, col->length, b->num_rows);
        size_t nulls = 0;
        for (size_t r = 0; r < col->length; r++)
            nulls += mdl_column_is_null(col, r);
        if (nulls != col->null_count)
            return mdl_error_set(err, MDL_ERR_SCHEMA, "column '%s': null_count %zu, counted %zu",
                                 f->name, col->null_count, nulls);
        if (nulls && !f->nullable)
            return mdl_error_set(err, MDL_ERR_SCHEMA, "column '%s' is not nullable but has nulls",
                                 f->name);
        if (col->type.id == MDL_TYPE_STRING) {
            const int64_t *off = col->values;
            if (off[0] != 0)
                return mdl_error_set(err, MDL_ERR_SCHEMA, "column '%s': first offset not 0",
                                     f->name);
            for (size_t r = 0; r < col->length; r++) {
                if (off[r + 1] < off[r] || (size_t)off[r + 1] > col->data_len)
                    return mdl_error_set(err, MDL_ERR_SCHEMA, "column '%s' row %zu: bad offset",
                                         f->name, r);
                if (!mdl_utf8_valid(col->data + off[r], (size_t)(off[r + 1] - off[r])))
                    return mdl_error_set(err, MDL_ERR_SCHEMA, "column '%s' row %zu: invalid UTF-8",
                                         f->name, r);
            }
        }
    }
    return MDL_OK;
}

size_t mdl_column_format_value(const mdl_column *col, size_t row, char *buf, size_t cap)
{
    if (cap == 0)
        return 0;
    int n = 0;
    if (mdl_column_is_null(col, row))
        n = snprintf(buf, cap, "NULL");
    else
        switch (col->type.id) {
        case MDL_TYPE_BOOLEAN:
            n = snprintf(buf, cap, "%s", mdl_column_bool(col, row) ? "true" : "false");
            break;
        case MDL_TYPE_INT32:
            n = snprintf(buf, cap, "%d", (int)mdl_column_i32(col, row));
            break;
        case MDL_TYPE_INT64:
            n = snprintf(buf, cap, "%lld", (long long)mdl_column_i64(col, row));
            break;
        case MDL_TYPE_DOUBLE:
            n = snprintf(buf, cap, "%.17g", mdl_column_f64(col, row));
            break;
        case MDL_TYPE_DECIMAL:
            return mdl_decimal_format(mdl_column_decimal(col, row), col->type.scale, buf, cap);
        case MDL_TYPE_STRING: {
            mdl_strview v = mdl_column_str(col, row);
            n = snprintf(buf, cap, "%.*s", (int)(v.len > (size_t)1 << 30 ? 1 << 30 : v.len), v.ptr);
            break;
        }
        case MDL_TYPE_DATE:
        case MDL_TYPE_TIMESTAMP: {
            /* Those formatters need cap >= 16 / 40 and return the full length; truncate here. */
            char tmp[48];
            if (col->type.id == MDL_TYPE_DATE)
                mdl_date_format(mdl_column_i32(col, row), tmp, sizeof tmp);
            else
                mdl_timestamp_format(mdl_column_i64(col, row), tmp, sizeof tmp);
            n = snprintf(buf, cap, "%s", tmp);
            break;
        }
        }
    if (n < 0)
        return 0;
    return (size_t)n < cap ? (size_t)n : cap - 1;
}

int mdl_column_append_from(mdl_ctx *ctx, mdl_column *dst, const mdl_column *src, size_t row,
                           mdl_error *err)
{
    if (mdl_column_is_null(src, row))
        return mdl_column_append_null(ctx, dst, err);
    if (src->type.id == MDL_TYPE_STRING) {
        mdl_strview v = mdl_column_str(src, row);
        return mdl_column_append_string(ctx, dst, v.ptr, v.len, err);
    }
    size_t width = mdl_type_width(src->type);
    return mdl_column_append_value(ctx, dst, (const char *)src->values + row * width, err);
}

int mdl_column_compare(const mdl_column *a, size_t ra, const mdl_column *b, size_t rb)
{
    bool na = mdl_column_is_null(a, ra), nb = mdl_column_is_null(b, rb);
    if (na || nb)
        return (int)nb - (int)na;
    switch (a->type.id) {
    case MDL_TYPE_BOOLEAN:
        return (int)mdl_column_bool(a, ra) - (int)mdl_column_bool(b, rb);
    case MDL_TYPE_INT32:
    case MDL_TYPE_DATE: {
        int32_t x = mdl_column_i32(a, ra), y = mdl_column_i32(b, rb);
        return (x > y) - (x < y);
    }
    case MDL_TYPE_INT64:
    case MDL_TYPE_TIMESTAMP: {
        int64_t x = mdl_column_i64(a, ra), y = mdl_column_i64(b, rb);
        return (x > y) - (x < y);
    }
    case MDL_TYPE_DOUBLE: {
        double x = mdl_column_f64(a, ra), y = mdl_column_f64(b, rb);
        return (x > y) - (x < y);
    }
    case MDL_TYPE_DECIMAL: {
        mdl_i128 x = mdl_column_decimal(a, ra), y = mdl_column_decimal(b, rb);
        return (x > y) - (x < y);
    }
    case MDL_TYPE_STRING: {
        mdl_strview x = mdl_column_str(a, ra), y = mdl_column_str(b, rb);
        size_t n = x.len < y.len ? x.len : y.len;
        int c = n ? memcmp(x.ptr, y.ptr, n) : 0;
        return c ? c : (x.len > y.len) - (x.len < y.len);
    }
    }
    return 0;
}
