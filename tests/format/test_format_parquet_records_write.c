/*
 * test_format_parquet_records_write.c - the nested Parquet record writer on its own: the
 * schema it writes (three-level LIST, MAP with key_value, logical and converted types), the
 * repetition and definition levels of hand-shredded records (decoded from the pages with our
 * own page header and RLE decoders), row groups, codecs, deterministic output, and every
 * refusal with its exact message, including that a refused record leaves nothing behind.
 * DuckDB and hyparquet read the files in tests/oracle/test_oracle_parquet_nested.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/parquet_encoding.h"
#include "format/parquet_meta.h"
#include "test_support.h"

#define LEAF(n, nul, t)                                                                            \
    {                                                                                              \
        n, MDL_PQ_LEAF, nul, {t, 0, 0}, NULL, 0                                                    \
    }
#define NODE(n, kind, nul, ch)                                                                     \
    {                                                                                              \
        n, kind, nul, {0, 0, 0}, ch, sizeof ch / sizeof ch[0]                                      \
    }

/* a: optional list<optional int32>; s: required struct{id int64 not null, m map<string,
 * string>, l list<struct{b bool not null}> } */
static const mdl_pq_node a_elem[] = {LEAF("ignored", true, MDL_TYPE_INT32)};
static const mdl_pq_node m_kv[] = {LEAF("k", false, MDL_TYPE_STRING),
                                   LEAF("v", true, MDL_TYPE_STRING)};
static const mdl_pq_node l_struct[] = {LEAF("b", false, MDL_TYPE_BOOLEAN)};
static const mdl_pq_node l_elem[] = {NODE("item", MDL_PQ_STRUCT, false, l_struct)};
static const mdl_pq_node s_fields[] = {
    LEAF("id", false, MDL_TYPE_INT64), NODE("m", MDL_PQ_MAP, true, m_kv),
    NODE("l", MDL_PQ_LIST, true, l_elem), LEAF("d", true, MDL_TYPE_DOUBLE)};
static const mdl_pq_node schema[] = {NODE("a", MDL_PQ_LIST, true, a_elem),
                                     NODE("s", MDL_PQ_STRUCT, false, s_fields)};
#define NFIELDS (sizeof schema / sizeof schema[0])

typedef struct written {
    mdl_buf file;
    uint64_t rows;
} written;

/* Writes the records with the options; records starting with '!' must be refused. */
static void write_records(mdl_ctx *ctx, const mdl_parquet_write_options *o, const char *const *recs,
                          size_t n, written *out)
{
    mdl_buf_init(&out->file, ctx, 0);
    mdl_output *oo;
    assert_int_equal(mdl_output_open_buffer(ctx, &out->file, "mem.parquet", &oo, NULL), MDL_OK);
    mdl_parquet_record_writer *w;
    mdl_error err;
    assert_int_equal(mdl_parquet_record_writer_open(ctx, oo, schema, NFIELDS, o, &w, &err), MDL_OK);
    for (size_t i = 0; i < n; i++) {
        bool bad = recs[i][0] == '!';
        const char *r = recs[i] + (bad ? 1 : 0);
        int rc = mdl_parquet_record_writer_write_json(w, r, strlen(r), &err);
        if (bad)
            assert_int_not_equal(rc, MDL_OK);
        else if (rc != MDL_OK)
            fail_msg("record %zu: %s", i + 1, err.message);
    }
    uint64_t bytes = 0;
    assert_int_equal(mdl_parquet_record_writer_close(w, &out->rows, &bytes, &err), MDL_OK);
    assert_int_equal(bytes, out->file.len);
}

static void footer(const mdl_buf *f, pq_arena *a, pq_file_meta *m)
{
    assert_true(f->len >= 12);
    assert_memory_equal(f->data, "PAR1", 4);
    assert_memory_equal(f->data + f->len - 4, "PAR1", 4);
    uint32_t flen;
    memcpy(&flen, f->data + f->len - 8, 4);
    assert_true(flen <= f->len - 12);
    mdl_format__pq_arena_init(a, f->ctx);
    assert_int_equal(mdl_format__pq_decode_file_meta((const uint8_t *)f->data + f->len - 8 - flen,
                                                     flen, a, m, NULL),
                     MDL_OK);
}

static void check_elem(const pq_schema_element *e, const char *name, int type, int repetition,
                       int num_children, int converted, int logical)
{
    if (!mdl_sv_eq_cstr(e->name, name))
        fail_msg("schema element '%.*s', expected '%s'", (int)e->name.len, e->name.ptr, name);
    assert_int_equal(e->type, type);
    assert_int_equal(e->repetition, repetition);
    assert_int_equal(e->num_children, num_children);
    assert_int_equal(e->converted_type, converted);
    assert_int_equal(e->logical.kind, logical);
}

static void test_format_parquet_records_write__schema_and_paths(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    const char *recs[] = {"{\"s\":{\"id\":1}}"};
    mdl_key_value kv = {"k", "v"};
    mdl_parquet_write_options o;
    mdl_parquet_write_options_init(&o);
    o.metadata = &kv;
    o.num_metadata = 1;
    written wr;
    write_records(&ctx, &o, recs, 1, &wr);
    pq_arena a;
    pq_file_meta m;
    footer(&wr.file, &a, &m);
    const int A = PQ_ABSENT;
    assert_int_equal(m.num_schema, 15);
    const pq_schema_element *e = m.schema;
    check_elem(&e[0], "schema", A, A, 2, A, PQ_LT_NONE);
    check_elem(&e[1], "a", A, PQ_OPTIONAL, 1, PQ_CT_LIST, PQ_LT_LIST);
    check_elem(&e[2], "list", A, PQ_REPEATED, 1, A, PQ_LT_NONE);
    check_elem(&e[3], "element", PQ_INT32, PQ_OPTIONAL, A, A, PQ_LT_NONE);
    check_elem(&e[4], "s", A, PQ_REQUIRED, 4, A, PQ_LT_NONE);
    check_elem(&e[5], "id", PQ_INT64, PQ_REQUIRED, A, A, PQ_LT_NONE);
    check_elem(&e[6], "m", A, PQ_OPTIONAL, 1, PQ_CT_MAP, PQ_LT_MAP);
    check_elem(&e[7], "key_value", A, PQ_REPEATED, 2, A, PQ_LT_NONE);
    check_elem(&e[8], "key", PQ_BYTE_ARRAY, PQ_REQUIRED, A, PQ_CT_UTF8, PQ_LT_STRING);
    check_elem(&e[9], "value", PQ_BYTE_ARRAY, PQ_OPTIONAL, A, PQ_CT_UTF8, PQ_LT_STRING);
    check_elem(&e[10], "l", A, PQ_OPTIONAL, 1, PQ_CT_LIST, PQ_LT_LIST);
    check_elem(&e[11], "list", A, PQ_REPEATED, 1, A, PQ_LT_NONE);
    check_elem(&e[12], "element", A, PQ_REQUIRED, 1, A, PQ_LT_NONE);
    check_elem(&e[13], "b", PQ_BOOLEAN, PQ_REQUIRED, A, A, PQ_LT_NONE);
    check_elem(&e[14], "d", PQ_DOUBLE, PQ_OPTIONAL, A, A, PQ_LT_NONE);
    assert_int_equal(m.num_rows, 1);
    assert_int_equal(m.num_row_groups, 1);
    assert_int_equal(m.row_groups[0].num_columns, 6);
    static const char *const paths[] = {"a.list.element",     "s.id",
                                        "s.m.key_value.key",  "s.m.key_value.value",
                                        "s.l.list.element.b", "s.d"};
    for (size_t c = 0; c < 6; c++) {
        const pq_column_meta *cm = &m.row_groups[0].columns[c].meta;
        char path[128] = "";
        for (size_t k = 0; k < cm->path_len; k++)
            snprintf(path + strlen(path), sizeof path - strlen(path), "%s%.*s", k ? "." : "",
                     (int)cm->path[k].len, cm->path[k].ptr);
        assert_string_equal(path, paths[c]);
        assert_int_equal(cm->codec, MDL_CODEC_ZSTD);
        assert_int_equal(cm->num_values, 1);
    }
    assert_int_equal(m.num_kv, 1);
    assert_true(mdl_sv_eq_cstr(m.kv[0].key, "k") && mdl_sv_eq_cstr(m.kv[0].value, "v"));
    assert_true(m.has_created_by);
    mdl_format__pq_arena_free(&a);
    mdl_buf_reset(&wr.file);
}

/* The levels and values of column `col` of row group 0 (one uncompressed page). */
typedef struct page_levels {
    uint32_t rep[64], def[64];
    size_t n;
    const uint8_t *values;
    size_t values_len;
} page_levels;

static void read_levels(const pq_file_meta *m, const mdl_buf *f, size_t col, int max_rep,
                        int max_def, page_levels *out)
{
    const pq_column_meta *cm = &m->row_groups[0].columns[col].meta;
    const uint8_t *p = (const uint8_t *)f->data + cm->data_page_offset;
    pq_page_header h;
    size_t hl;
    assert_int_equal(
        mdl_format__pq_decode_page_header(p, f->len - (size_t)cm->data_page_offset, &h, &hl, NULL),
        MDL_OK);
    assert_int_equal(h.type, PQ_PAGE_DATA);
    assert_int_equal(h.uncompressed_size, h.compressed_size);
    assert_true(h.num_values <= 64);
    out->n = (size_t)h.num_values;
    assert_int_equal(cm->num_values, h.num_values);
    const uint8_t *body = p + hl;
    size_t at = 0;
    for (int which = 0; which < 2; which++) {
        int max = which == 0 ? max_rep : max_def;
        uint32_t *dst = which == 0 ? out->rep : out->def;
        if (max == 0) {
            memset(dst, 0, sizeof out->rep);
            continue;
        }
        uint32_t len = mdl_format__pq_load_le32(body + at);
        mdl_format__pq_rle_decoder d;
        mdl_format__pq_rle_init(&d, body + at + 4, len, mdl_format__pq_bit_width((uint64_t)max));
        assert_int_equal(mdl_format__pq_rle_get(&d, dst, out->n, NULL), MDL_OK);
        at += 4 + len;
    }
    out->values = body + at;
    out->values_len = (size_t)h.uncompressed_size - at;
}

static void expect_levels(const page_levels *p, const char *rep, const char *def)
{
    char got_rep[65] = "", got_def[65] = "";
    for (size_t i = 0; i < p->n; i++) {
        got_rep[i] = (char)('0' + p->rep[i]);
        got_def[i] = (char)('0' + p->def[i]);
    }
    assert_string_equal(got_rep, rep);
    assert_string_equal(got_def, def);
}

static void test_format_parquet_records_write__levels(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    const char *recs[] = {
        "{\"a\":[1,null,2],\"s\":{\"id\":7,\"m\":{\"x\":\"1\",\"y\":null},"
        "\"l\":[{\"b\":true},{\"b\":false}],\"d\":0.5}}",
        "{\"a\":[],\"s\":{\"id\":8,\"m\":{},\"l\":[]}}",
        "!{\"a\":[3],\"s\":{\"id\":9,\"l\":[{\"b\":null}]}}", /* refused: b is required */
        "{\"a\":null,\"s\":{\"id\":-1,\"m\":null,\"l\":null,\"d\":null}}",
        "{\"s\":{\"id\":10,\"l\":[{\"b\":true}]},\"a\":[null]}",
    };
    mdl_parquet_write_options o;
    mdl_parquet_write_options_init(&o);
    o.codec = MDL_CODEC_UNCOMPRESSED;
    written wr;
    write_records(&ctx, &o, recs, 5, &wr);
    assert_int_equal(wr.rows, 4);
    pq_arena a;
    pq_file_meta m;
    footer(&wr.file, &a, &m);
    assert_int_equal(m.num_rows, 4);
    page_levels p;
    /* a.list.element: max_rep 1, max_def 3 (a optional, list repeated, element optional) */
    read_levels(&m, &wr.file, 0, 1, 3, &p);
    expect_levels(&p, "011000", "323102");
    assert_int_equal(p.values_len, 8);
    assert_int_equal(mdl_format__pq_load_le32(p.values), 1);
    assert_int_equal(mdl_format__pq_load_le32(p.values + 4), 2);
    /* s.id: required all the way: no levels, values only */
    read_levels(&m, &wr.file, 1, 0, 0, &p);
    assert_int_equal(p.n, 4);
    assert_int_equal(p.values_len, 32);
    assert_int_equal((int64_t)mdl_format__pq_load_le64(p.values + 16), -1);
    /* s.m.key_value.key: max_rep 1, max_def 2 */
    read_levels(&m, &wr.file, 2, 1, 2, &p);
    expect_levels(&p, "01000", "22100");
    assert_int_equal(p.values_len, 10); /* "x", "y" with length prefixes */
    /* s.m.key_value.value: max_def 3 */
    read_levels(&m, &wr.file, 3, 1, 3, &p);
    expect_levels(&p, "01000", "32100");
    /* s.l.list.element.b: l optional (1), list (2), element required, b required */
    read_levels(&m, &wr.file, 4, 1, 2, &p);
    expect_levels(&p, "01000", "22102");
    assert_int_equal(p.values_len, 1); /* three booleans bit-packed: 1, 0, 1 */
    assert_int_equal(p.values[0], 0x05);
    /* s.d */
    read_levels(&m, &wr.file, 5, 0, 1, &p);
    expect_levels(&p, "0000", "1000");
    mdl_format__pq_arena_free(&a);
    mdl_buf_reset(&wr.file);
}

static void test_format_parquet_records_write__row_groups_codecs_determinism(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    char text[10][160];
    const char *recs[10];
    for (int i = 0; i < 10; i++) {
        snprintf(text[i], sizeof text[i],
                 "{\"a\":[%d,%d],\"s\":{\"id\":%d,\"m\":{\"k%d\":\"v\"},\"l\":[{\"b\":%s}],"
                 "\"d\":%d.25}}",
                 i, -i, i, i, i % 2 ? "true" : "false", i);
        recs[i] = text[i];
    }
    static const mdl_codec codecs[] = {MDL_CODEC_UNCOMPRESSED, MDL_CODEC_SNAPPY, MDL_CODEC_GZIP,
                                       MDL_CODEC_ZSTD, MDL_CODEC_LZ4_RAW};
    for (size_t c = 0; c < sizeof codecs / sizeof codecs[0]; c++) {
        mdl_parquet_write_options o;
        mdl_parquet_write_options_init(&o);
        o.codec = codecs[c];
        o.row_group_rows = 3;
        o.page_bytes = 1;
        written w1, w2;
        write_records(&ctx, &o, recs, 10, &w1);
        write_records(&ctx, &o, recs, 10, &w2);
        assert_int_equal(w1.rows, 10);
        assert_int_equal(w1.file.len, w2.file.len);
        assert_memory_equal(w1.file.data, w2.file.data, w1.file.len);
        pq_arena a;
        pq_file_meta m;
        footer(&w1.file, &a, &m);
        assert_int_equal(m.num_rows, 10);
        assert_int_equal(m.num_row_groups, 4);
        assert_int_equal(m.row_groups[3].num_rows, 1);
        for (size_t g = 0; g < 4; g++) {
            assert_int_equal(m.row_groups[g].columns[0].meta.codec, codecs[c]);
            /* a.list.element: two entries per record */
            assert_int_equal(m.row_groups[g].columns[0].meta.num_values,
                             2 * m.row_groups[g].num_rows);
        }
        mdl_format__pq_arena_free(&a);
        mdl_buf_reset(&w1.file);
        mdl_buf_reset(&w2.file);
    }
}

/* Opens a writer, writes `good`, then `bad` (must fail with code and message), then `good`
 * again; the file must hold the two good records and nothing of the bad one. */
static void expect_refused(const char *bad, int code, const char *message)
{
    mdl_ctx ctx;
    mdl_test_alloc al;
    mdl_test_counting_ctx(&ctx, &al);
    const char *good = "{\"a\":[1],\"s\":{\"id\":1,\"m\":{\"k\":\"v\"},\"l\":[{\"b\":true}]}}";
    mdl_buf file;
    mdl_buf_init(&file, &ctx, 0);
    mdl_output *oo;
    assert_int_equal(mdl_output_open_buffer(&ctx, &file, "mem.parquet", &oo, NULL), MDL_OK);
    mdl_parquet_record_writer *w;
    mdl_error err;
    mdl_parquet_write_options o;
    mdl_parquet_write_options_init(&o);
    o.codec = MDL_CODEC_UNCOMPRESSED;
    assert_int_equal(mdl_parquet_record_writer_open(&ctx, oo, schema, NFIELDS, &o, &w, &err),
                     MDL_OK);
    assert_int_equal(mdl_parquet_record_writer_write_json(w, good, strlen(good), &err), MDL_OK);
    int rc = mdl_parquet_record_writer_write_json(w, bad, strlen(bad), &err);
    if (rc != code)
        fail_msg("%s: status %d (%s), expected %d", bad, rc, err.message, code);
    assert_string_equal(err.message, message);
    assert_int_equal(mdl_parquet_record_writer_write_json(w, good, strlen(good), &err), MDL_OK);
    uint64_t rows;
    assert_int_equal(mdl_parquet_record_writer_close(w, &rows, NULL, &err), MDL_OK);
    assert_int_equal(rows, 2);
    pq_arena a;
    pq_file_meta m;
    footer(&file, &a, &m);
    assert_int_equal(m.num_rows, 2);
    for (size_t c = 0; c < 6; c++)
        assert_int_equal(m.row_groups[0].columns[c].meta.num_values, 2);
    mdl_format__pq_arena_free(&a);
    mdl_buf_reset(&file);
    assert_int_equal(al.live, 0);
}

static void test_format_parquet_records_write__refused_records(void **state)
{
    (void)state;
    expect_refused("{\"s\":{\"id\":2,\"x\":1}}", MDL_ERR_SCHEMA,
                   "record 2: s.x: not in the schema");
    expect_refused("{\"a\":[1,2],\"s\":{\"id\":2,\"l\":[{\"b\":true,\"c\":1}]}}", MDL_ERR_SCHEMA,
                   "record 2: s.l[0].c: not in the schema");
    expect_refused("{\"a\":[1],\"s\":{\"id\":2,\"m\":[]}}", MDL_ERR_SCHEMA,
                   "record 2: s.m: expected an object, got an array");
    expect_refused("{\"a\":{},\"s\":{\"id\":2}}", MDL_ERR_SCHEMA,
                   "record 2: a: expected an array, got an object");
    expect_refused("{\"s\":{\"id\":2,\"m\":{\"k\":1}}}", MDL_ERR_SCHEMA,
                   "record 2: s.m[\"k\"]: expected a string, got a number");
    expect_refused("{\"s\":{\"id\":2,\"l\":[{\"b\":1}]}}", MDL_ERR_SCHEMA,
                   "record 2: s.l[0].b: expected a boolean, got a number");
    expect_refused("{\"s\":{\"id\":2,\"d\":\"1.5\"}}", MDL_ERR_SCHEMA,
                   "record 2: s.d: expected a number, got a string");
    expect_refused("{\"a\":[1],\"s\":{\"id\":null}}", MDL_ERR_SCHEMA,
                   "record 2: s.id: null where a value is required");
    expect_refused("{\"a\":[1]}", MDL_ERR_SCHEMA, "record 2: s: null where a value is required");
    expect_refused("{\"s\":{\"id\":2,\"l\":[null]}}", MDL_ERR_SCHEMA,
                   "record 2: s.l[0]: null where a value is required");
    expect_refused("{\"s\":{\"id\":2.5}}", MDL_ERR_SCHEMA,
                   "record 2: s.id: expected an integer, got 2.5");
    expect_refused("{\"s\":{\"id\":2e3}}", MDL_ERR_SCHEMA,
                   "record 2: s.id: expected an integer, got 2e3");
    expect_refused("{\"s\":{\"id\":\"2\"}}", MDL_ERR_SCHEMA,
                   "record 2: s.id: expected an integer, got a string");
    expect_refused("{\"s\":{\"id\":9223372036854775808}}", MDL_ERR_RANGE,
                   "record 2: s.id: 9223372036854775808 does not fit in INT64");
    expect_refused("{\"s\":{\"id\":-9223372036854775809}}", MDL_ERR_RANGE,
                   "record 2: integer -9223372036854775809 does not fit in 64 bits");
    expect_refused("{\"s\":{\"id\":1,\"d\":1000000000000000000000}}", MDL_ERR_RANGE,
                   "record 2: integer 1000000000000000000000 does not fit in 64 bits");
    expect_refused("{\"a\":[2147483648],\"s\":{\"id\":2}}", MDL_ERR_RANGE,
                   "record 2: a[0]: 2147483648 does not fit in INT32");
    expect_refused("[1]", MDL_ERR_SCHEMA, "record 2: expected a JSON object, got an array");
    expect_refused("{\"s\":", MDL_ERR_PARSE, "record 2: invalid JSON: unexpected end of data");
    expect_refused("{\"s\":{\"id\":1}} x", MDL_ERR_PARSE,
                   "record 2: invalid JSON: unexpected character");
}

static void expect_bad_schema(const mdl_pq_node *fields, size_t n, int code, const char *message)
{
    mdl_ctx ctx;
    mdl_test_alloc al;
    mdl_test_counting_ctx(&ctx, &al);
    mdl_buf file;
    mdl_buf_init(&file, &ctx, 0);
    mdl_output *oo;
    assert_int_equal(mdl_output_open_buffer(&ctx, &file, "mem.parquet", &oo, NULL), MDL_OK);
    mdl_parquet_record_writer *w = (mdl_parquet_record_writer *)&file; /* must become NULL */
    mdl_error err;
    assert_int_equal(mdl_parquet_record_writer_open(&ctx, oo, fields, n, NULL, &w, &err), code);
    assert_null(w);
    assert_string_equal(err.message, message);
    mdl_buf_reset(&file);
    assert_int_equal(al.live, 0); /* the output was aborted and freed */
}

static void test_format_parquet_records_write__bad_schemas(void **state)
{
    (void)state;
    static const mdl_pq_node dup[] = {LEAF("x", true, MDL_TYPE_INT32),
                                      LEAF("x", true, MDL_TYPE_STRING)};
    expect_bad_schema(dup, 2, MDL_ERR_INVALID_ARG, "record schema: field 'x' is named twice");
    static const mdl_pq_node int_key[] = {LEAF("k", false, MDL_TYPE_INT32),
                                          LEAF("v", true, MDL_TYPE_STRING)};
    static const mdl_pq_node bad_map[] = {NODE("m", MDL_PQ_MAP, true, int_key)};
    expect_bad_schema(bad_map, 1, MDL_ERR_INVALID_ARG,
                      "record schema: the key of map 'm' must be a non-nullable STRING leaf");
    static const mdl_pq_node date[] = {LEAF("d", true, MDL_TYPE_DATE)};
    expect_bad_schema(date, 1, MDL_ERR_UNSUPPORTED,
                      "record schema: 'd' has a type nested records do not support (BOOLEAN, "
                      "INT32, INT64, DOUBLE and STRING are)");
    expect_bad_schema(NULL, 0, MDL_ERR_INVALID_ARG, "record schema: no fields");
}

static void test_format_parquet_records_write__abort_and_empty(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc al;
    mdl_test_counting_ctx(&ctx, &al);
    mdl_parquet_record_writer_abort(NULL);
    mdl_buf file;
    mdl_buf_init(&file, &ctx, 0);
    mdl_output *oo;
    mdl_parquet_record_writer *w;
    assert_int_equal(mdl_output_open_buffer(&ctx, &file, "mem.parquet", &oo, NULL), MDL_OK);
    assert_int_equal(mdl_parquet_record_writer_open(&ctx, oo, schema, NFIELDS, NULL, &w, NULL),
                     MDL_OK);
    const char *r = "{\"s\":{\"id\":1}}";
    assert_int_equal(mdl_parquet_record_writer_write_json(w, r, strlen(r), NULL), MDL_OK);
    mdl_parquet_record_writer_abort(w);
    /* an empty file: no row groups, the schema all the same */
    file.len = 0;
    assert_int_equal(mdl_output_open_buffer(&ctx, &file, "mem.parquet", &oo, NULL), MDL_OK);
    assert_int_equal(mdl_parquet_record_writer_open(&ctx, oo, schema, NFIELDS, NULL, &w, NULL),
                     MDL_OK);
    uint64_t rows = 1;
    assert_int_equal(mdl_parquet_record_writer_close(w, &rows, NULL, NULL), MDL_OK);
    assert_int_equal(rows, 0);
    pq_arena a;
    pq_file_meta m;
    footer(&file, &a, &m);
    assert_int_equal(m.num_rows, 0);
    assert_int_equal(m.num_row_groups, 0);
    assert_int_equal(m.num_schema, 15);
    mdl_format__pq_arena_free(&a);
    mdl_buf_reset(&file);
    assert_int_equal(al.live, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_parquet_records_write__schema_and_paths),
        cmocka_unit_test(test_format_parquet_records_write__levels),
        cmocka_unit_test(test_format_parquet_records_write__row_groups_codecs_determinism),
        cmocka_unit_test(test_format_parquet_records_write__refused_records),
        cmocka_unit_test(test_format_parquet_records_write__bad_schemas),
        cmocka_unit_test(test_format_parquet_records_write__abort_and_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
