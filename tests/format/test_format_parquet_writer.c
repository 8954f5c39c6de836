/*
 * test_format_parquet_writer.c - the Parquet writer on its own: byte-identical output, the
 * footer it writes (decoded with our own footer reader), row-group and page limits,
 * dictionary fallback, atomic file output, and the errors for bad batches. Value-level
 * correctness is checked by two independent readers in tests/oracle.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format/parquet_meta.h"
#include "test_support.h"

static mdl_batch *make_batch(mdl_ctx *ctx, mdl_schema *s, size_t rows, unsigned seed)
{
    mdl_batch *b;
    assert_int_equal(mdl_batch_new(ctx, s, rows, &b, NULL), MDL_OK);
    for (size_t r = 0; r < rows; r++) {
        int64_t id = (int64_t)r;
        assert_int_equal(mdl_column_append_value(ctx, &b->columns[0], &id, NULL), MDL_OK);
        char name[32];
        int n = snprintf(name, sizeof name, "name-%u", (unsigned)((r * 7 + seed) % 50));
        if (r % 10 == 3)
            assert_int_equal(mdl_column_append_null(ctx, &b->columns[1], NULL), MDL_OK);
        else
            assert_int_equal(mdl_column_append_string(ctx, &b->columns[1], name, (size_t)n, NULL),
                             MDL_OK);
        double d = (double)r / 3.0;
        assert_int_equal(mdl_column_append_value(ctx, &b->columns[2], &d, NULL), MDL_OK);
    }
    b->num_rows = rows;
    return b;
}

static void write_to(mdl_ctx *ctx, mdl_schema *s, const mdl_parquet_write_options *o,
                     mdl_batch *const *batches, size_t nb, mdl_buf *out)
{
    mdl_output *oo;
    assert_int_equal(mdl_output_open_buffer(ctx, out, "mem.parquet", &oo, NULL), MDL_OK);
    mdl_parquet_writer *w;
    mdl_error err;
    assert_int_equal(mdl_parquet_writer_open(ctx, oo, s, o, &w, &err), MDL_OK);
    for (size_t i = 0; i < nb; i++)
        assert_int_equal(mdl_parquet_writer_write(w, batches[i], &err), MDL_OK);
    uint64_t rows = 0, bytes = 0;
    assert_int_equal(mdl_parquet_writer_close(w, &rows, &bytes, &err), MDL_OK);
    assert_int_equal(bytes, out->len);
}

/* Decodes the footer of an in-memory file. */
static void footer(const mdl_buf *f, pq_arena *a, pq_file_meta *m)
{
    assert_true(f->len >= 12);
    assert_memory_equal(f->data, "PAR1", 4);
    assert_memory_equal(f->data + f->len - 4, "PAR1", 4);
    uint32_t flen;
    memcpy(&flen, f->data + f->len - 8, 4);
    assert_true(flen <= f->len - 12);
    assert_int_equal(mdl_format__pq_decode_file_meta((const uint8_t *)f->data + f->len - 8 - flen,
                                                     flen, a, m, NULL),
                     MDL_OK);
}

static void test_format_parquet_writer__identical_input_identical_bytes(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_schema *s;
    assert_int_equal(mdl_schema_parse(&ctx, "id int64 not null, name string, x double", &s, NULL),
                     MDL_OK);
    mdl_batch *b = make_batch(&ctx, s, 5000, 1);
    mdl_buf f1, f2;
    mdl_buf_init(&f1, &ctx, 0);
    mdl_buf_init(&f2, &ctx, 0);
    mdl_parquet_write_options o;
    mdl_parquet_write_options_init(&o);
    write_to(&ctx, s, &o, &b, 1, &f1);
    write_to(&ctx, s, &o, &b, 1, &f2);
    assert_int_equal(f1.len, f2.len);
    assert_memory_equal(f1.data, f2.data, f1.len);
    mdl_buf_reset(&f1);
    mdl_buf_reset(&f2);
    mdl_batch_free(b);
    mdl_schema_release(s);
}

static void test_format_parquet_writer__footer_contents(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_schema *s;
    assert_int_equal(mdl_schema_parse(&ctx, "id int64 not null, name string, x double", &s, NULL),
                     MDL_OK);
    mdl_batch *bs[3] = {make_batch(&ctx, s, 1000, 1), make_batch(&ctx, s, 1000, 2),
                        make_batch(&ctx, s, 500, 3)};
    mdl_parquet_write_options o;
    mdl_parquet_write_options_init(&o);
    o.row_group_rows = 1000;
    o.codec = MDL_CODEC_SNAPPY;
    mdl_key_value kv[] = {{"k", "v"}};
    o.metadata = kv;
    o.num_metadata = 1;
    mdl_buf f;
    mdl_buf_init(&f, &ctx, 0);
    write_to(&ctx, s, &o, bs, 3, &f);
    pq_arena a;
    mdl_format__pq_arena_init(&a, &ctx);
    pq_file_meta m;
    footer(&f, &a, &m);
    assert_int_equal(m.num_rows, 2500);
    assert_int_equal(m.num_row_groups, 3);
    assert_int_equal(m.row_groups[0].num_rows, 1000);
    assert_int_equal(m.row_groups[2].num_rows, 500);
    assert_int_equal(m.num_schema, 4);
    assert_int_equal(m.schema[0].num_children, 3);
    assert_int_equal(m.schema[1].repetition, PQ_REQUIRED);
    assert_int_equal(m.schema[2].repetition, PQ_OPTIONAL);
    assert_int_equal(m.schema[2].logical.kind, PQ_LT_STRING);
    assert_int_equal(m.schema[2].converted_type, PQ_CT_UTF8);
    assert_int_equal(m.num_column_orders, 3);
    assert_int_equal(m.column_orders[0], 1); /* TYPE_ORDER */
    assert_true(m.has_created_by);
    char expect[128];
    snprintf(expect, sizeof expect, "medallion version %s (build %s)", mdl_version(),
             mdl_build_id());
    assert_true(mdl_sv_eq_cstr(m.created_by, expect));
    assert_int_equal(m.num_kv, 1);
    assert_true(mdl_sv_eq_cstr(m.kv[0].key, "k") && mdl_sv_eq_cstr(m.kv[0].value, "v"));
    const pq_column_meta *name = &m.row_groups[1].columns[1].meta;
    assert_int_equal(name->codec, MDL_CODEC_SNAPPY);
    assert_int_equal(name->num_values, 1000);
    assert_true(name->stats.has_null_count);
    assert_int_equal(name->stats.null_count, 100);
    assert_true(name->dictionary_page_offset > 0);
    assert_true(name->dictionary_page_offset < name->data_page_offset);
    assert_true(name->stats.has_min && mdl_sv_eq_cstr(name->stats.min, "name-0"));
    assert_true(name->stats.has_max && mdl_sv_eq_cstr(name->stats.max, "name-9"));
    const pq_column_meta *id = &m.row_groups[1].columns[0].meta;
    int64_t mn, mx;
    memcpy(&mn, id->stats.min.ptr, 8);
    memcpy(&mx, id->stats.max.ptr, 8);
    assert_int_equal(mn, 0);
    assert_int_equal(mx, 999);
    mdl_format__pq_arena_free(&a);
    mdl_buf_reset(&f);
    for (int i = 0; i < 3; i++)
        mdl_batch_free(bs[i]);
    mdl_schema_release(s);
}

static void test_format_parquet_writer__dictionary_off_and_fallback(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_schema *s;
    assert_int_equal(mdl_schema_parse(&ctx, "id int64 not null, name string, x double", &s, NULL),
                     MDL_OK);
    mdl_batch *b = make_batch(&ctx, s, 4000, 5);
    mdl_parquet_write_options o;
    mdl_parquet_write_options_init(&o);
    o.dictionary = false;
    mdl_buf f;
    mdl_buf_init(&f, &ctx, 0);
    write_to(&ctx, s, &o, &b, 1, &f);
    pq_arena a;
    mdl_format__pq_arena_init(&a, &ctx);
    pq_file_meta m;
    footer(&f, &a, &m);
    for (size_t c = 0; c < 3; c++) {
        const pq_column_meta *cm = &m.row_groups[0].columns[c].meta;
        assert_int_equal(cm->dictionary_page_offset, PQ_ABSENT);
        for (size_t e = 0; e < cm->num_encodings; e++)
            assert_int_not_equal(cm->encodings[e], PQ_ENC_RLE_DICTIONARY);
    }
    mdl_format__pq_arena_free(&a);
    /* Names that keep growing in number, small pages and a small dictionary limit: the first
     * pages go out dictionary-encoded, then the dictionary fills and the rest is PLAIN. */
    mdl_batch *grow;
    assert_int_equal(mdl_batch_new(&ctx, s, 4000, &grow, NULL), MDL_OK);
    for (size_t r = 0; r < 4000; r++) {
        int64_t id = (int64_t)r;
        double d = 1.0;
        char name[32];
        int len = snprintf(name, sizeof name, "name-%03u", (unsigned)(r / 100));
        assert_int_equal(mdl_column_append_value(&ctx, &grow->columns[0], &id, NULL), MDL_OK);
        assert_int_equal(mdl_column_append_string(&ctx, &grow->columns[1], name, (size_t)len, NULL),
                         MDL_OK);
        assert_int_equal(mdl_column_append_value(&ctx, &grow->columns[2], &d, NULL), MDL_OK);
    }
    grow->num_rows = 4000;
    mdl_parquet_write_options_init(&o);
    o.dictionary_bytes = 200;
    o.page_bytes = 16;
    f.len = 0;
    write_to(&ctx, s, &o, &grow, 1, &f);
    mdl_batch_free(grow);
    mdl_format__pq_arena_init(&a, &ctx);
    footer(&f, &a, &m);
    const pq_column_meta *name = &m.row_groups[0].columns[1].meta;
    bool plain = false, dict = false;
    for (size_t e = 0; e < name->num_encodings; e++) {
        plain |= name->encodings[e] == PQ_ENC_PLAIN;
        dict |= name->encodings[e] == PQ_ENC_RLE_DICTIONARY;
    }
    assert_true(plain && dict);
    assert_true(name->dictionary_page_offset > 0);
    mdl_format__pq_arena_free(&a);
    mdl_buf_reset(&f);
    mdl_batch_free(b);
    mdl_schema_release(s);
}

static void test_format_parquet_writer__bad_batches(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_schema *s, *other;
    assert_int_equal(mdl_schema_parse(&ctx, "id int64 not null, name string, x double", &s, NULL),
                     MDL_OK);
    assert_int_equal(
        mdl_schema_parse(&ctx, "id int32 not null, name string, x double", &other, NULL), MDL_OK);
    mdl_buf f;
    mdl_buf_init(&f, &ctx, 0);
    mdl_output *o;
    assert_int_equal(mdl_output_open_buffer(&ctx, &f, "m", &o, NULL), MDL_OK);
    mdl_parquet_writer *w;
    assert_int_equal(mdl_parquet_writer_open(&ctx, o, s, NULL, &w, NULL), MDL_OK);
    mdl_batch *b;
    assert_int_equal(mdl_batch_new(&ctx, other, 1, &b, NULL), MDL_OK);
    mdl_error err;
    assert_int_equal(mdl_parquet_writer_write(w, b, &err), MDL_ERR_SCHEMA);
    assert_string_equal(err.message, "column 'id': batch type differs");
    mdl_batch_free(b);
    assert_int_equal(mdl_batch_new(&ctx, s, 1, &b, NULL), MDL_OK);
    assert_int_equal(mdl_column_append_null(&ctx, &b->columns[0], NULL), MDL_OK);
    assert_int_equal(mdl_column_append_null(&ctx, &b->columns[1], NULL), MDL_OK);
    assert_int_equal(mdl_column_append_null(&ctx, &b->columns[2], NULL), MDL_OK);
    b->num_rows = 1;
    assert_int_equal(mdl_parquet_writer_write(w, b, &err), MDL_ERR_SCHEMA);
    assert_string_equal(err.message, "column 'id' is not nullable but the batch has nulls");
    mdl_batch_free(b);
    mdl_parquet_writer_abort(w);
    mdl_parquet_writer_abort(NULL);
    mdl_buf_reset(&f);
    mdl_schema_release(s);
    mdl_schema_release(other);
}

static void test_format_parquet_writer__file_output_is_atomic(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    char dir[] = "/tmp/mdl_pqw_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/out.parquet", dir);
    mdl_schema *s;
    assert_int_equal(mdl_schema_parse(&ctx, "id int64 not null, name string, x double", &s, NULL),
                     MDL_OK);
    mdl_batch *b = make_batch(&ctx, s, 100, 1);
    /* Aborted: nothing under the final name, and no temporary file left behind. */
    mdl_output *o;
    assert_int_equal(mdl_output_open_file(&ctx, path, &o, NULL), MDL_OK);
    mdl_parquet_writer *w;
    assert_int_equal(mdl_parquet_writer_open(&ctx, o, s, NULL, &w, NULL), MDL_OK);
    assert_int_equal(mdl_parquet_writer_write(w, b, NULL), MDL_OK);
    struct stat st;
    assert_int_not_equal(stat(path, &st), 0); /* not visible while being written */
    mdl_parquet_writer_abort(w);
    assert_int_not_equal(stat(path, &st), 0);
    assert_int_equal(rmdir(dir), 0); /* empty: the temporary file is gone */
    strcpy(dir, "/tmp/mdl_pqw_XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/out.parquet", dir);
    /* Finished: the file appears whole. */
    assert_int_equal(mdl_output_open_file(&ctx, path, &o, NULL), MDL_OK);
    assert_int_equal(mdl_parquet_writer_open(&ctx, o, s, NULL, &w, NULL), MDL_OK);
    assert_int_equal(mdl_parquet_writer_write(w, b, NULL), MDL_OK);
    uint64_t bytes;
    assert_int_equal(mdl_parquet_writer_close(w, NULL, &bytes, NULL), MDL_OK);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal((uint64_t)st.st_size, bytes);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0);
    mdl_batch_free(b);
    mdl_schema_release(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_parquet_writer__identical_input_identical_bytes),
        cmocka_unit_test(test_format_parquet_writer__footer_contents),
        cmocka_unit_test(test_format_parquet_writer__dictionary_off_and_fallback),
        cmocka_unit_test(test_format_parquet_writer__bad_batches),
        cmocka_unit_test(test_format_parquet_writer__file_output_is_atomic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
