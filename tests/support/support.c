/*
 * support.c - see test_support.h.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_support.h"

char *mdl_test_read_file(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (len + 1 >= cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        if (n == 0)
            break;
        len += n;
    }
    fclose(f);
    buf[len] = '\0';
    if (len_out)
        *len_out = len;
    return buf;
}

void mdl_test_rejects_init(mdl_test_rejects *r, mdl_ctx *ctx)
{
    memset(r, 0, sizeof *r);
    mdl_buf_init(&r->text, ctx, 0);
}

void mdl_test_rejects_reset(mdl_test_rejects *r)
{
    mdl_buf_reset(&r->text);
    r->count = 0;
}

int mdl_test_collect_reject(void *payload, const mdl_reject *reject)
{
    mdl_test_rejects *r = payload;
    char line[1024];
    mdl_reject_format(reject, line, sizeof line);
    assert_int_equal(mdl_buf_printf(&r->text, NULL, "%s\n", line), MDL_OK);
    r->count++;
    if (r->stop_after > 0 && r->count >= (size_t)r->stop_after)
        return MDL_ERR_CANCELLED;
    return MDL_OK;
}

int mdl_test_capture_reject(void *payload, const mdl_reject *reject)
{
    mdl_test_capture *c = payload;
    assert_true(reject->value.len <= 256);
    assert_true(reject->record.len <= 4096);
    if (c->calls++ > 0)
        return MDL_OK;
    c->line = reject->line;
    c->offset = reject->offset;
    c->column_index = reject->column_index;
    snprintf(c->column, sizeof c->column, "%s", reject->column ? reject->column : "(none)");
    memcpy(c->value, reject->value.ptr, reject->value.len);
    c->value[reject->value.len] = '\0';
    c->value_len = reject->value.len;
    memcpy(c->record, reject->record.ptr, reject->record.len);
    c->record[reject->record.len] = '\0';
    c->record_len = reject->record.len;
    c->code = reject->code;
    snprintf(c->reason, sizeof c->reason, "%s", reject->reason);
    return MDL_OK;
}

void mdl_test_dump_batch(const mdl_batch *b, mdl_buf *out)
{
    char val[4096];
    for (size_t row = 0; row < b->num_rows; row++) {
        for (size_t c = 0; c < b->schema->num_fields; c++) {
            const mdl_column *col = &b->columns[c];
            if (mdl_column_is_null(col, row))
                strcpy(val, "\\N");
            else
                mdl_column_format_value(col, row, val, sizeof val);
            assert_int_equal(mdl_buf_printf(out, NULL, "%s%s", c ? "|" : "", val), MDL_OK);
        }
        assert_int_equal(mdl_buf_append(out, "\n", 1, NULL), MDL_OK);
    }
}

void mdl_test_ctx(mdl_ctx *ctx)
{
    mdl_ctx_init(ctx);
}

/* ---- a counting, failing allocator --------------------------------------------------------- */

/* Counts one alloc/realloc request of `size` and decides whether it may succeed. */
static bool may_allocate(mdl_test_alloc *a, size_t size)
{
    a->requests++;
    a->last_size = size;
    if (a->fail || a->fail_after == 0)
        return false;
    if (a->fail_after > 0)
        a->fail_after--;
    return true;
}

static void *counting_alloc(void *user, size_t size)
{
    mdl_test_alloc *a = user;
    a->allocs++;
    if (size > a->max_alloc)
        a->max_alloc = size;
    if (!may_allocate(a, size))
        return NULL;
    void *p = malloc(size);
    if (p != NULL) {
        memset(p, a->junk, size);
        a->live++;
    }
    return p;
}

static void *counting_realloc(void *user, void *ptr, size_t size)
{
    mdl_test_alloc *a = user;
    a->reallocs++;
    if (!may_allocate(a, size))
        return NULL;
    void *p = realloc(ptr, size);
    if (p != NULL && ptr == NULL)
        a->live++;
    return p;
}

static void counting_free(void *user, void *ptr)
{
    mdl_test_alloc *a = user;
    a->frees++;
    if (ptr != NULL)
        a->live--;
    free(ptr);
}

void mdl_test_counting_ctx(mdl_ctx *ctx, mdl_test_alloc *a)
{
    memset(a, 0, sizeof *a);
    a->fail_after = -1;
    a->junk = 0xA5;
    mdl_ctx_init(ctx);
    ctx->allocator.alloc = counting_alloc;
    ctx->allocator.realloc = counting_realloc;
    ctx->allocator.free = counting_free;
    ctx->allocator.user = a;
}

/* ---- reading a whole input with a format reader -------------------------------------------- */

/*
 * Defines mdl_test_<fmt>_reader: adapters from the mdl_<fmt>_reader API (typed reader and
 * options pointers) to the void-pointer signatures of mdl_test_reader.
 */
#define MDL_TEST_READER(fmt, ext)                                                                  \
    static int fmt##_open(mdl_ctx *ctx, mdl_input *in, mdl_schema *schema, const void *opts,       \
                          void **out, mdl_error *err)                                              \
    {                                                                                              \
        mdl_##fmt##_reader *r = NULL;                                                              \
        int rc = mdl_##fmt##_reader_open(ctx, in, schema, opts, &r, err);                          \
        *out = r;                                                                                  \
        return rc;                                                                                 \
    }                                                                                              \
    static mdl_schema *fmt##_schema(const void *reader)                                            \
    {                                                                                              \
        return mdl_##fmt##_reader_schema(reader);                                                  \
    }                                                                                              \
    static int fmt##_next(void *reader, mdl_batch **out, mdl_error *err)                           \
    {                                                                                              \
        return mdl_##fmt##_reader_next(reader, out, err);                                          \
    }                                                                                              \
    static void fmt##_stats(const void *reader, mdl_read_stats *out)                               \
    {                                                                                              \
        mdl_##fmt##_reader_stats(reader, out);                                                     \
    }                                                                                              \
    static void fmt##_free(void *reader)                                                           \
    {                                                                                              \
        mdl_##fmt##_reader_free(reader);                                                           \
    }                                                                                              \
    const mdl_test_reader mdl_test_##fmt##_reader = {ext,        fmt##_open,  fmt##_schema,        \
                                                     fmt##_next, fmt##_stats, fmt##_free}

MDL_TEST_READER(csv, ".csv");
MDL_TEST_READER(json, ".jsonl");

void mdl_test_read_memory(mdl_ctx *ctx, const mdl_test_reader *reader, const void *data, size_t len,
                          const char *name, const char *schema_text, const void *opts,
                          mdl_test_result *res)
{
    memset(res, 0, sizeof *res);
    mdl_buf_init(&res->dump, ctx, 0);
    mdl_buf_init(&res->schema, ctx, 0);
    mdl_test_rejects_init(&res->rejects, ctx);
    mdl_schema *schema = NULL;
    if (schema_text != NULL)
        assert_int_equal(mdl_schema_parse(ctx, schema_text, &schema, NULL), MDL_OK);
    mdl_input *in;
    assert_int_equal(mdl_input_open_memory(ctx, data, len, name, &in, NULL), MDL_OK);
    void *r = NULL;
    res->rc = reader->open(ctx, in, schema, opts, &r, &res->err);
    mdl_schema_release(schema);
    if (res->rc != MDL_OK) {
        assert_null(r);
    } else {
        res->opened = true;
        assert_int_equal(mdl_schema_format(reader->schema(r), &res->schema, NULL), MDL_OK);
        for (;;) {
            mdl_batch *b;
            res->rc = reader->next(r, &b, &res->err);
            if (res->rc != MDL_OK) {
                assert_null(b);
                break;
            }
            if (b == NULL)
                break;
            mdl_error verr = {0, ""};
            int vrc = mdl_batch_validate(b, &verr);
            if (vrc != MDL_OK)
                print_error("%s: invalid batch: %s\n", name, verr.message);
            assert_int_equal(vrc, MDL_OK);
            mdl_test_dump_batch(b, &res->dump);
            if (res->batches < sizeof res->batch_rows / sizeof res->batch_rows[0])
                res->batch_rows[res->batches] = b->num_rows;
            res->batches++;
            mdl_batch_free(b);
        }
        reader->stats(r, &res->stats);
        reader->free(r);
    }
    assert_int_equal(mdl_buf_terminate(&res->dump, NULL), MDL_OK);
    assert_int_equal(mdl_buf_terminate(&res->schema, NULL), MDL_OK);
    assert_int_equal(mdl_buf_terminate(&res->rejects.text, NULL), MDL_OK);
}

void mdl_test_result_free(mdl_test_result *res)
{
    mdl_buf_reset(&res->dump);
    mdl_buf_reset(&res->schema);
    mdl_test_rejects_reset(&res->rejects);
}

const char *mdl_test_result_dump(const mdl_test_result *res)
{
    return res->dump.data ? res->dump.data : "";
}

const char *mdl_test_result_rejects(const mdl_test_result *res)
{
    return res->rejects.text.data ? res->rejects.text.data : "";
}

void mdl_test_expect_rows_at(const mdl_test_result *res, const char *rows, const char *rejects,
                             const char *file, int line)
{
    _assert_int_equal(cast_to_largest_integral_type(res->rc), MDL_OK, file, line);
    _assert_string_equal(mdl_test_result_dump(res), rows, file, line);
    if (rejects != NULL)
        _assert_string_equal(mdl_test_result_rejects(res), rejects, file, line);
}

void mdl_test_expect_error_at(const mdl_test_result *res, int rc, const char *message,
                              const char *file, int line)
{
    _assert_int_equal(cast_to_largest_integral_type(res->rc), cast_to_largest_integral_type(rc),
                      file, line);
    _assert_string_equal(res->err.message, message, file, line);
}

/* ---- fixture files ------------------------------------------------------------------------- */

char *mdl_test_sidecar(const char *dir, const char *base, const char *ext, bool required)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.%s", dir, base, ext);
    char *text = mdl_test_read_file(path, NULL);
    if (required) {
        if (text == NULL)
            print_error("%s: missing %s.%s\n", base, base, ext);
        assert_non_null(text);
    }
    return text;
}

void mdl_test_strip_newline(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
}

void mdl_test_for_each_file(const char *subdir, const char *ext,
                            void (*fn)(const char *dir, const char *base, void *user), void *user)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/%s", MDL_TEST_DATA_DIR, subdir);
    DIR *d = opendir(dir);
    if (d == NULL)
        print_error("fixture directory %s is missing\n", dir);
    assert_non_null(d);
    size_t n = 0, ext_len = strlen(ext);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l <= ext_len || strcmp(e->d_name + l - ext_len, ext) != 0)
            continue;
        char base[256];
        snprintf(base, sizeof base, "%.*s", (int)(l - ext_len), e->d_name);
        print_message("fixture %s/%s%s\n", subdir, base, ext);
        fn(dir, base, user);
        n++;
    }
    closedir(d);
    if (n == 0)
        print_error("fixture directory %s holds no %s files\n", dir, ext);
    assert_true(n > 0);
}

void mdl_test_read_fixture(mdl_ctx *ctx, const mdl_test_reader *reader, const char *dir,
                           const char *base, const char *schema_text, const void *opts,
                           mdl_test_result *res)
{
    char path[1024], name[300];
    snprintf(path, sizeof path, "%s/%s%s", dir, base, reader->ext);
    snprintf(name, sizeof name, "%s%s", base, reader->ext);
    size_t len;
    char *data = mdl_test_read_file(path, &len);
    assert_non_null(data);
    mdl_test_read_memory(ctx, reader, data, len, name, schema_text, opts, res);
    if (res->opened)
        assert_int_equal(res->stats.rows_rejected, res->rejects.count);
    if (res->rc == MDL_OK)
        assert_int_equal(res->stats.bytes_read, len);
    free(data);
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* Fails the test, naming fixture `base` and the error, unless the read succeeded. */
static void check_read_ok(const char *base, const mdl_test_result *res)
{
    if (res->rc != MDL_OK)
        print_error("%s: unexpected error: %s\n", base, res->err.message);
    assert_int_equal(res->rc, MDL_OK);
}

void mdl_test_check_good(const char *dir, const char *base, const mdl_test_result *res)
{
    check_read_ok(base, res);
    if (res->rejects.count != 0)
        print_error("%s: unexpected rejects:\n%s", base, mdl_test_result_rejects(res));
    assert_int_equal(res->rejects.count, 0);
    char *expected = mdl_test_sidecar(dir, base, "out", true);
    assert_string_equal(mdl_test_result_dump(res), expected);
    free(expected);
    char *inferred = mdl_test_sidecar(dir, base, "inferred", false);
    if (inferred != NULL) {
        mdl_test_strip_newline(inferred);
        assert_string_equal(res->schema.data, inferred);
        free(inferred);
    }
}

void mdl_test_check_bad(const char *dir, const char *base, const mdl_test_result *res)
{
    char *expect = mdl_test_sidecar(dir, base, "expect", true);
    if (strncmp(expect, "error=", 6) == 0) {
        mdl_test_strip_newline(expect);
        if (res->rc == MDL_OK)
            print_error("%s: expected the read to fail with: %s\n", base, expect + 6);
        assert_int_not_equal(res->rc, MDL_OK);
        assert_string_equal(res->err.message, expect + 6);
    } else {
        check_read_ok(base, res);
        char *nl = strchr(expect, '\n');
        assert_non_null(nl);
        *nl = '\0';
        if (strncmp(expect, "rows=", 5) != 0)
            print_error("%s: %s.expect must start with rows=N or error=\n", base, base);
        assert_true(strncmp(expect, "rows=", 5) == 0);
        size_t want_rows = strtoul(expect + 5, NULL, 10);
        assert_int_equal(count_lines(mdl_test_result_dump(res)), want_rows);
        if (res->rejects.count == 0)
            print_error("%s: a bad fixture must produce at least one reject\n", base);
        assert_true(res->rejects.count > 0);
        assert_string_equal(mdl_test_result_rejects(res), nl + 1);
    }
    free(expect);
}

void mdl_test_table_dir(const char *name, char *out, size_t cap)
{
    const char *keep = getenv("MDL_TEST_KEEP_TABLES");
    if (keep == NULL || keep[0] == '\0') {
        snprintf(out, cap, "/tmp/mdl_%s_XXXXXX", name);
        if (mkdtemp(out) == NULL)
            fail_msg("mkdtemp %s: %s", out, strerror(errno));
        return;
    }
    /* program_invocation_short_name (GNU) tells the test programs apart */
    char parent[1024];
    snprintf(parent, sizeof parent, "%s/%s", keep, program_invocation_short_name);
    if (mkdir(keep, 0755) != 0 && errno != EEXIST)
        fail_msg("mkdir %s: %s", keep, strerror(errno));
    if (mkdir(parent, 0755) != 0 && errno != EEXIST)
        fail_msg("mkdir %s: %s", parent, strerror(errno));
    for (int n = 1; n < 100000; n++) {
        if ((size_t)snprintf(out, cap, "%s/%s-%d", parent, name, n) >= cap)
            fail_msg("table directory name too long");
        if (mkdir(out, 0755) == 0)
            return;
        if (errno != EEXIST)
            fail_msg("mkdir %s: %s", out, strerror(errno));
    }
    fail_msg("no free table directory name under %s", parent);
}

void mdl_test_table_dir_done(const char *dir)
{
    const char *keep = getenv("MDL_TEST_KEEP_TABLES");
    if (keep != NULL && keep[0] != '\0')
        return;
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}
