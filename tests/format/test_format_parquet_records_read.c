/*
 * test_format_parquet_records_read.c - the nested record reader (mdl_parquet_record_reader_*)
 * against files DuckDB wrote (tests/data/parquet/nested, made by
 * tests/oracle/pq_make_nested_fixtures.mjs): every record equals DuckDB's own reading; then
 * projections, missing and mismatched fields, nulls in non-nullable fields, and the
 * patched files in nested/bad/ with their exact error messages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

static mdl_ctx g_ctx;

#define T(t)                                                                                       \
    {                                                                                              \
        MDL_TYPE_##t, 0, 0                                                                         \
    }
#define LEAF(n, t)                                                                                 \
    {                                                                                              \
        n, MDL_PQ_LEAF, true, T(t), NULL, 0                                                        \
    }
#define LEAF_NN(n, t)                                                                              \
    {                                                                                              \
        n, MDL_PQ_LEAF, false, T(t), NULL, 0                                                       \
    }
#define NODE(n, k, kids)                                                                           \
    {                                                                                              \
        n, k, true, T(BOOLEAN), kids, sizeof kids / sizeof kids[0]                                 \
    }
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the schemas of pq_make_nested_fixtures.mjs ------------------------------------------- */

static const mdl_pq_node S_KIDS[] = {LEAF("a", INT32), LEAF("b", STRING), LEAF("c", DOUBLE)};
static const mdl_pq_node L_EL[] = {LEAF("element", INT32)};
static const mdl_pq_node LS_EL_KIDS[] = {LEAF("x", INT64), LEAF("y", STRING)};
static const mdl_pq_node LS_EL[] = {NODE("element", MDL_PQ_STRUCT, LS_EL_KIDS)};
static const mdl_pq_node M_KV[] = {LEAF_NN("key", STRING), LEAF("value", INT32)};
static const mdl_pq_node SMAP_KV[] = {LEAF_NN("key", STRING), LEAF("value", STRING)};
static const mdl_pq_node LM_EL[] = {NODE("element", MDL_PQ_MAP, SMAP_KV)};
static const mdl_pq_node LL_IN[] = {LEAF("element", STRING)};
static const mdl_pq_node LL_EL[] = {NODE("element", MDL_PQ_LIST, LL_IN)};
static const mdl_pq_node W_EL[] = {LEAF("element", INT32)};
static const mdl_pq_node INNER_KIDS[] = {LEAF("v", INT32), NODE("w", MDL_PQ_LIST, W_EL)};
static const mdl_pq_node DEEP_KIDS[] = {NODE("inner", MDL_PQ_STRUCT, INNER_KIDS)};

static const mdl_pq_node BASIC[] = {
    LEAF("id", INT32),
    NODE("s", MDL_PQ_STRUCT, S_KIDS),
    NODE("l", MDL_PQ_LIST, L_EL),
    NODE("ls", MDL_PQ_LIST, LS_EL),
    NODE("m", MDL_PQ_MAP, M_KV),
    NODE("lm", MDL_PQ_LIST, LM_EL),
    NODE("ll", MDL_PQ_LIST, LL_EL),
    LEAF("flag", BOOLEAN),
    LEAF("f", DOUBLE),
    LEAF("txt", STRING),
    LEAF("big", INT64),
    NODE("deep", MDL_PQ_STRUCT, DEEP_KIDS),
};

static const mdl_pq_node TXN[] = {LEAF("appId", STRING), LEAF("version", INT64),
                                  LEAF("lastUpdated", INT64)};
static const mdl_pq_node ADD[] = {LEAF("path", STRING),
                                  NODE("partitionValues", MDL_PQ_MAP, SMAP_KV),
                                  LEAF("size", INT64),
                                  LEAF("modificationTime", INT64),
                                  LEAF("dataChange", BOOLEAN),
                                  LEAF("stats", STRING),
                                  NODE("tags", MDL_PQ_MAP, SMAP_KV)};
static const mdl_pq_node REMOVE[] = {LEAF("path", STRING),
                                     LEAF("deletionTimestamp", INT64),
                                     LEAF("dataChange", BOOLEAN),
                                     LEAF("extendedFileMetadata", BOOLEAN),
                                     NODE("partitionValues", MDL_PQ_MAP, SMAP_KV),
                                     LEAF("size", INT64)};
static const mdl_pq_node FORMAT[] = {LEAF("provider", STRING),
                                     NODE("options", MDL_PQ_MAP, SMAP_KV)};
static const mdl_pq_node STR_EL[] = {LEAF("element", STRING)};
static const mdl_pq_node METADATA[] = {LEAF("id", STRING),
                                       LEAF("name", STRING),
                                       LEAF("description", STRING),
                                       NODE("format", MDL_PQ_STRUCT, FORMAT),
                                       LEAF("schemaString", STRING),
                                       NODE("partitionColumns", MDL_PQ_LIST, STR_EL),
                                       NODE("configuration", MDL_PQ_MAP, SMAP_KV),
                                       LEAF("createdTime", INT64)};
static const mdl_pq_node PROTOCOL[] = {LEAF("minReaderVersion", INT32),
                                       LEAF("minWriterVersion", INT32)};
static const mdl_pq_node CHECKPOINT[] = {
    NODE("txn", MDL_PQ_STRUCT, TXN),           NODE("add", MDL_PQ_STRUCT, ADD),
    NODE("remove", MDL_PQ_STRUCT, REMOVE),     NODE("metaData", MDL_PQ_STRUCT, METADATA),
    NODE("protocol", MDL_PQ_STRUCT, PROTOCOL),
};

/* ---- helpers ------------------------------------------------------------------------------- */

typedef struct rd {
    int rc;
    mdl_error err;
    mdl_buf text; /* records joined with '\n', each followed by one */
    size_t records;
    uint64_t num_rows;
} rd;

/* Reads data[0..len), named `file`, with `fields` to the end or the first error. */
static void read_records_mem(const char *file, const void *data, size_t len,
                             const mdl_pq_node *fields, size_t n, rd *out)
{
    memset(out, 0, sizeof *out);
    mdl_buf_init(&out->text, &g_ctx, (size_t)64 << 20);
    mdl_rinput *in;
    assert_int_equal(mdl_rinput_open_memory(&g_ctx, data, len, file, &in, NULL), MDL_OK);
    mdl_parquet_record_reader *r = NULL;
    out->rc = mdl_parquet_record_reader_open(&g_ctx, in, fields, n, &r, &out->err);
    if (out->rc != MDL_OK) {
        assert_null(r);
        return;
    }
    out->num_rows = mdl_parquet_record_reader_num_rows(r);
    mdl_buf rec;
    mdl_buf_init(&rec, &g_ctx, (size_t)16 << 20);
    for (;;) {
        bool got = true;
        out->rc = mdl_parquet_record_reader_next(r, &rec, &got, &out->err);
        if (out->rc != MDL_OK) {
            assert_false(got);
            break;
        }
        if (!got)
            break;
        assert_int_equal(mdl_buf_append(&out->text, rec.data, rec.len, NULL), MDL_OK);
        assert_int_equal(mdl_buf_append(&out->text, "\n", 1, NULL), MDL_OK);
        out->records++;
    }
    /* at the end (or after an error) it stays there */
    bool got = true;
    mdl_error e;
    int rc = mdl_parquet_record_reader_next(r, &rec, &got, &e);
    (void)rc;
    assert_false(got);
    mdl_buf_reset(&rec);
    mdl_parquet_record_reader_free(r);
}

/* Reads nested/<file> with `fields` to the end or the first error. */
static void read_records(const char *file, const mdl_pq_node *fields, size_t n, rd *out)
{
    char path[512];
    snprintf(path, sizeof path, "%s/parquet/nested/%s", MDL_TEST_DATA_DIR, file);
    size_t len;
    char *data = mdl_test_read_file(path, &len);
    assert_non_null(data);
    read_records_mem(file, data, len, fields, n, out);
    free(data);
}

static const char *text_of(rd *r)
{
    if (mdl_buf_append(&r->text, "", 1, NULL) != MDL_OK)
        return "";
    r->text.len--;
    return r->text.data ? r->text.data : "";
}

/* The n-th line (0-based) of the records. */
static void line_of(rd *r, size_t n, char *buf, size_t cap)
{
    const char *s = text_of(r);
    for (size_t i = 0; i < n && s != NULL; i++) {
        s = strchr(s, '\n');
        if (s != NULL)
            s++;
    }
    assert_non_null(s);
    const char *e = strchr(s, '\n');
    size_t len = e ? (size_t)(e - s) : strlen(s);
    assert_true(len < cap);
    memcpy(buf, s, len);
    buf[len] = '\0';
}

static void expect_same(rd *r, const char *expected_file)
{
    char path[512];
    snprintf(path, sizeof path, "%s/parquet/nested/%s", MDL_TEST_DATA_DIR, expected_file);
    size_t len;
    char *want = mdl_test_read_file(path, &len);
    assert_non_null(want);
    if (r->rc != MDL_OK) {
        free(want);
        fail_msg("read failed: %s", r->err.message);
    }
    const char *got = text_of(r);
    if (strcmp(got, want) != 0) {
        size_t i = 0;
        while (got[i] == want[i])
            i++;
        size_t from = i > 200 ? i - 200 : 0;
        fail_msg("differs at byte %zu:\n got: %.300s\nwant: %.300s", i, got + from, want + from);
    }
    free(want);
}

static void expect_error(rd *r, int code, const char *substring)
{
    if (r->rc == MDL_OK)
        fail_msg("succeeded; expected %s", substring);
    if (r->rc != code || strstr(r->err.message, substring) == NULL)
        fail_msg("got (%s) '%s'\nexpected (%s) '%s'", mdl_status_str(r->rc), r->err.message,
                 mdl_status_str(code), substring);
}

static void rd_free(rd *r)
{
    mdl_buf_reset(&r->text);
}

/* ---- tests --------------------------------------------------------------------------------- */

static void test_format_parquet_records_read__duckdb_files(void **state)
{
    (void)state;
    static const char *const basic[] = {"basic_uncompressed.parquet", "basic_snappy.parquet",
                                        "basic_gzip.parquet", "basic_zstd_v2.parquet",
                                        "basic_nodict.parquet"};
    for (size_t i = 0; i < N(basic); i++) {
        rd r;
        read_records(basic[i], BASIC, N(BASIC), &r);
        expect_same(&r, "basic.expected.jsonl");
        assert_int_equal(r.records, 300);
        assert_int_equal(r.num_rows, 300);
        rd_free(&r);
    }
    rd r;
    /* two row groups, and a file without half the columns: they read as null */
    read_records("multi_rg_lz4.parquet", BASIC, N(BASIC), &r);
    expect_same(&r, "multi.expected.jsonl");
    assert_int_equal(r.records, 2500);
    rd_free(&r);
    read_records("checkpoint.parquet", CHECKPOINT, N(CHECKPOINT), &r);
    expect_same(&r, "checkpoint.expected.jsonl");
    assert_int_equal(r.records, 40);
    rd_free(&r);
}

/* Two-level lists (LogicalTypes.md, backward-compatibility rules): a repeated group named
 * `array` or `<list>_tuple` is the element itself, whatever its number of fields. */
static void test_format_parquet_records_read__legacy_two_level_lists(void **state)
{
    (void)state;
    static const mdl_pq_node el_kids[] = {LEAF("element", INT32)};
    static const mdl_pq_node el[] = {NODE("item", MDL_PQ_STRUCT, el_kids)};
    static const mdl_pq_node fields[] = {LEAF("id", INT32), NODE("l", MDL_PQ_LIST, el)};
    rd r;
    read_records("legacy_array.parquet", fields, N(fields), &r);
    expect_same(&r, "legacy_array.expected.jsonl");
    rd_free(&r);
    read_records("legacy_tuple.parquet", fields, N(fields), &r);
    expect_same(&r, "legacy_tuple.expected.jsonl");
    rd_free(&r);
    /* read as three-level, the element would be the INT32: it is the group instead */
    static const mdl_pq_node as3[] = {NODE("l", MDL_PQ_LIST, L_EL)};
    read_records("legacy_array.parquet", as3, N(as3), &r);
    expect_error(&r, MDL_ERR_SCHEMA, "field 'l.element': expected int32, found a repeated group");
    rd_free(&r);
}

static void test_format_parquet_records_read__projection(void **state)
{
    (void)state;
    /* fields reordered and left out, a missing nullable field, a struct whose requested fields
     * the file lacks (null vs {} still told apart), lists of such structs */
    static const mdl_pq_node s_kids[] = {LEAF("c", DOUBLE), LEAF("b", STRING)};
    static const mdl_pq_node y_only[] = {LEAF("y", STRING)};
    static const mdl_pq_node ls_el[] = {NODE("element", MDL_PQ_STRUCT, y_only)};
    static const mdl_pq_node nope[] = {LEAF("nope", INT32)};
    static const mdl_pq_node ls2_el[] = {NODE("element", MDL_PQ_STRUCT, nope)};
    static const mdl_pq_node fields[] = {
        LEAF("big", INT64),
        LEAF("id", INT64), /* INT32 in the file: widened */
        NODE("s", MDL_PQ_STRUCT, s_kids),
        LEAF("zzz", STRING),
        NODE("ls", MDL_PQ_LIST, ls_el),
    };
    rd r;
    char line[1024];
    read_records("basic_snappy.parquet", fields, N(fields), &r);
    assert_int_equal(r.rc, MDL_OK);
    assert_int_equal(r.records, 300);
    line_of(&r, 0, line, sizeof line);
    assert_string_equal(line, "{\"id\":0,\"s\":{\"c\":0,\"b\":\"str0\"},\"ls\":[]}");
    line_of(&r, 2, line, sizeof line);
    assert_string_equal(line, "{\"big\":-9223372036854775808,\"id\":2,\"s\":{\"b\":\"str2\"},"
                              "\"ls\":[{},{\"y\":\"y1\"}]}");
    rd_free(&r);

    static const mdl_pq_node probes[] = {
        LEAF_NN("id", INT32),
        NODE("s", MDL_PQ_STRUCT, nope),
        NODE("ls", MDL_PQ_LIST, ls2_el),
    };
    read_records("basic_zstd_v2.parquet", probes, N(probes), &r);
    assert_int_equal(r.rc, MDL_OK);
    line_of(&r, 0, line, sizeof line);
    assert_string_equal(line, "{\"id\":0,\"s\":{},\"ls\":[]}");
    line_of(&r, 2, line, sizeof line);
    assert_string_equal(line, "{\"id\":2,\"s\":{},\"ls\":[{},{}]}");
    line_of(&r, 3, line, sizeof line); /* s is null */
    assert_string_equal(line, "{\"id\":3,\"ls\":[]}");
    line_of(&r, 11, line, sizeof line); /* a null element */
    assert_string_equal(line, "{\"id\":11,\"s\":{},\"ls\":[{},null]}");
    line_of(&r, 7, line, sizeof line); /* ls is null */
    assert_string_equal(line, "{\"id\":7,\"s\":{}}");
    rd_free(&r);
}

static void test_format_parquet_records_read__schema_errors(void **state)
{
    (void)state;
    rd r;
    static const mdl_pq_node missing[] = {LEAF("id", INT32), LEAF_NN("nope", INT32)};
    read_records("basic_snappy.parquet", missing, N(missing), &r);
    expect_error(&r, MDL_ERR_SCHEMA,
                 "basic_snappy.parquet: field 'nope' is not in the file and is not nullable");
    rd_free(&r);

    static const mdl_pq_node s_kids[] = {LEAF("a", INT32), LEAF_NN("zz", STRING)};
    static const mdl_pq_node nested_missing[] = {NODE("s", MDL_PQ_STRUCT, s_kids)};
    read_records("basic_snappy.parquet", nested_missing, N(nested_missing), &r);
    expect_error(&r, MDL_ERR_SCHEMA, "field 's.zz' is not in the file and is not nullable");
    rd_free(&r);

    static const mdl_pq_node wrong_type[] = {LEAF("id", STRING)};
    read_records("basic_snappy.parquet", wrong_type, N(wrong_type), &r);
    expect_error(&r, MDL_ERR_SCHEMA, "field 'id': expected string, found INT32");
    rd_free(&r);

    static const mdl_pq_node narrower[] = {LEAF("big", INT32)};
    read_records("basic_snappy.parquet", narrower, N(narrower), &r);
    expect_error(&r, MDL_ERR_SCHEMA, "field 'big': expected int32, found INT64");
    rd_free(&r);

    static const mdl_pq_node list_as_struct[] = {NODE("l", MDL_PQ_STRUCT, S_KIDS)};
    read_records("basic_snappy.parquet", list_as_struct, N(list_as_struct), &r);
    expect_error(&r, MDL_ERR_SCHEMA, "field 'l': expected a STRUCT, found a LIST group");
    rd_free(&r);

    static const mdl_pq_node map_as_list[] = {NODE("m", MDL_PQ_LIST, L_EL)};
    read_records("basic_snappy.parquet", map_as_list, N(map_as_list), &r);
    expect_error(&r, MDL_ERR_SCHEMA, "field 'm': expected a LIST, found a MAP group");
    rd_free(&r);

    static const mdl_pq_node struct_as_leaf[] = {LEAF("s", STRING)};
    read_records("basic_snappy.parquet", struct_as_leaf, N(struct_as_leaf), &r);
    expect_error(&r, MDL_ERR_SCHEMA, "field 's': expected string, found a group");
    rd_free(&r);

    static const mdl_pq_node bad_el[] = {LEAF("element", BOOLEAN)};
    static const mdl_pq_node el_type[] = {NODE("l", MDL_PQ_LIST, bad_el)};
    read_records("basic_snappy.parquet", el_type, N(el_type), &r);
    expect_error(&r, MDL_ERR_SCHEMA, "field 'l.element': expected boolean, found INT32");
    rd_free(&r);

    /* the schema itself is checked first */
    static const mdl_pq_node dup[] = {LEAF("id", INT32), LEAF("id", INT32)};
    read_records("basic_snappy.parquet", dup, N(dup), &r);
    assert_int_equal(r.rc, MDL_ERR_INVALID_ARG);
    rd_free(&r);
}

static void test_format_parquet_records_read__null_in_non_nullable(void **state)
{
    (void)state;
    static const mdl_pq_node s_kids[] = {LEAF_NN("a", INT32)};
    static const mdl_pq_node fields[] = {NODE("s", MDL_PQ_STRUCT, s_kids)};
    rd r;
    read_records("basic_uncompressed.parquet", fields, N(fields), &r);
    expect_error(&r, MDL_ERR_SCHEMA,
                 "basic_uncompressed.parquet: record 1: s.a: null, but it "
                 "is not nullable");
    assert_int_equal(r.records, 0);
    rd_free(&r);
    /* OPTIONAL in the file, never null: fine */
    static const mdl_pq_node ok[] = {LEAF_NN("id", INT32)};
    read_records("basic_uncompressed.parquet", ok, N(ok), &r);
    assert_int_equal(r.rc, MDL_OK);
    assert_int_equal(r.records, 300);
    rd_free(&r);
}

static void test_format_parquet_records_read__bad_fixtures(void **state)
{
    (void)state;
    static const mdl_pq_node ab[] = {LEAF("a", INT32), LEAF("b", INT32)};
    static const mdl_pq_node s_fields[] = {NODE("s", MDL_PQ_STRUCT, ab)};
    static const mdl_pq_node l_fields[] = {NODE("l", MDL_PQ_LIST, L_EL)};
    static const mdl_pq_node xy[] = {LEAF("x", INT32), LEAF("y", INT32)};
    static const mdl_pq_node xy_el[] = {NODE("element", MDL_PQ_STRUCT, xy)};
    static const mdl_pq_node ls_fields[] = {NODE("ls", MDL_PQ_LIST, xy_el)};
    static const struct {
        const char *name;
        const mdl_pq_node *fields;
    } cases[] = {
        {"def_above_max", s_fields},
        {"leaves_disagree_null", s_fields},
        {"truncated_def_levels", s_fields},
        {"rep_nonzero_at_start", l_fields},
        {"leaves_disagree_records", ls_fields},
    };
    for (size_t i = 0; i < N(cases); i++) {
        char path[512], file[128];
        snprintf(path, sizeof path, "%s/parquet/nested/bad/%s.expect", MDL_TEST_DATA_DIR,
                 cases[i].name);
        size_t len;
        char *want = mdl_test_read_file(path, &len);
        assert_non_null(want);
        while (len > 0 && want[len - 1] == '\n')
            want[--len] = '\0';
        snprintf(file, sizeof file, "bad/%s.parquet", cases[i].name);
        rd r;
        read_records(file, cases[i].fields, 1, &r);
        expect_error(&r, MDL_ERR_PARSE, want);
        rd_free(&r);
        free(want);
    }
}

/*
 * medallion's record writer, then this reader: DuckDB's reading of the fixtures, written again
 * in small pages and row groups, reads back the same (several pages per chunk, pages of v1
 * with PLAIN values, and levels as the writer shreds them).
 */
static void roundtrip(const char *expected_file, const mdl_pq_node *fields, size_t n,
                      mdl_codec codec)
{
    char path[512];
    snprintf(path, sizeof path, "%s/parquet/nested/%s", MDL_TEST_DATA_DIR, expected_file);
    size_t len;
    char *lines = mdl_test_read_file(path, &len);
    assert_non_null(lines);
    mdl_buf file;
    mdl_buf_init(&file, &g_ctx, (size_t)64 << 20);
    mdl_output *out;
    assert_int_equal(mdl_output_open_buffer(&g_ctx, &file, "rt.parquet", &out, NULL), MDL_OK);
    mdl_parquet_write_options o;
    mdl_parquet_write_options_init(&o);
    o.codec = codec;
    o.page_bytes = 2000;
    o.row_group_rows = 70;
    mdl_parquet_record_writer *w = NULL;
    mdl_error err;
    if (mdl_parquet_record_writer_open(&g_ctx, out, fields, n, &o, &w, &err) != MDL_OK)
        fail_msg("writer: %s", err.message);
    size_t records = 0;
    for (char *p = lines; *p != '\0';) {
        char *e = strchr(p, '\n');
        assert_non_null(e);
        if (mdl_parquet_record_writer_write_json(w, p, (size_t)(e - p), &err) != MDL_OK)
            fail_msg("writer, record %zu: %s", records + 1, err.message);
        records++;
        p = e + 1;
    }
    uint64_t rows = 0;
    if (mdl_parquet_record_writer_close(w, &rows, NULL, &err) != MDL_OK)
        fail_msg("writer close: %s", err.message);
    assert_int_equal(rows, records);
    rd r;
    read_records_mem("rt.parquet", file.data, file.len, fields, n, &r);
    if (r.rc != MDL_OK)
        fail_msg("read failed: %s", r.err.message);
    /* NaN reads as "f":null, which the writer takes for a null, which reads as left out */
    for (char *p; (p = strstr(lines, ",\"f\":null")) != NULL;)
        memmove(p, p + 9, strlen(p + 9) + 1);
    const char *got = text_of(&r);
    if (strcmp(got, lines) != 0) {
        size_t i = 0;
        while (got[i] == lines[i])
            i++;
        size_t from = i > 200 ? i - 200 : 0;
        fail_msg("%s differs at byte %zu:\n got: %.300s\nwant: %.300s", expected_file, i,
                 got + from, lines + from);
    }
    assert_int_equal(r.records, records);
    rd_free(&r);
    mdl_buf_reset(&file);
    free(lines);
}

static void test_format_parquet_records_read__record_writer_roundtrip(void **state)
{
    (void)state;
    roundtrip("basic.expected.jsonl", BASIC, N(BASIC), MDL_CODEC_SNAPPY);
    roundtrip("checkpoint.expected.jsonl", CHECKPOINT, N(CHECKPOINT), MDL_CODEC_UNCOMPRESSED);
}

static void test_format_parquet_records_read__not_parquet(void **state)
{
    (void)state;
    mdl_rinput *in;
    static const char junk[] = "PAR1 this is not a parquet file PAR1";
    assert_int_equal(mdl_rinput_open_memory(&g_ctx, junk, sizeof junk - 1, "junk", &in, NULL),
                     MDL_OK);
    mdl_parquet_record_reader *r = NULL;
    mdl_error err;
    int rc = mdl_parquet_record_reader_open(&g_ctx, in, BASIC, N(BASIC), &r, &err);
    assert_int_not_equal(rc, MDL_OK);
    assert_null(r);
    mdl_parquet_record_reader_free(NULL);
}

static int setup(void **state)
{
    (void)state;
    mdl_test_ctx(&g_ctx);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_parquet_records_read__duckdb_files),
        cmocka_unit_test(test_format_parquet_records_read__legacy_two_level_lists),
        cmocka_unit_test(test_format_parquet_records_read__projection),
        cmocka_unit_test(test_format_parquet_records_read__schema_errors),
        cmocka_unit_test(test_format_parquet_records_read__null_in_non_nullable),
        cmocka_unit_test(test_format_parquet_records_read__bad_fixtures),
        cmocka_unit_test(test_format_parquet_records_read__record_writer_roundtrip),
        cmocka_unit_test(test_format_parquet_records_read__not_parquet),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
