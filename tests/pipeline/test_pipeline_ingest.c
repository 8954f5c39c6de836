/*
 * test_pipeline_ingest.c - bronze ingestion on small hand-made landing files: every reject
 * class lands in quarantine with its reason and nothing is lost (read = written +
 * quarantined), metadata columns, idempotent re-runs, incremental pickup of a new file,
 * schema modes (freeze refuses a new column, evolve adds it), JSON documents and JSON lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "medallion/pipeline.h"
#include "test_support.h"

typedef struct fixture {
    mdl_ctx ctx;
    char root[64];
    char landing[128], lake[128];
} fixture;

static void setup(fixture *f)
{
    mdl_ctx_init(&f->ctx);
    strcpy(f->root, "/tmp/mdl_ingest_XXXXXX");
    assert_non_null(mkdtemp(f->root));
    snprintf(f->landing, sizeof f->landing, "%s/landing", f->root);
    snprintf(f->lake, sizeof f->lake, "%s/lake", f->root);
    assert_int_equal(mkdir(f->landing, 0755), 0);
}

static void teardown(fixture *f)
{
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->root);
    assert_int_equal(system(cmd), 0);
}

static void write_file(fixture *f, const char *rel, const char *text)
{
    char path[512], dir[600];
    snprintf(path, sizeof path, "%s/%s", f->landing, rel);
    snprintf(dir, sizeof dir, "mkdir -p \"$(dirname '%s')\"", path);
    assert_int_equal(system(dir), 0);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void remove_file(fixture *f, const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", f->landing, rel);
    assert_int_equal(remove(path), 0);
}

static mdl_contract *contract(fixture *f, const char *yaml)
{
    mdl_contract *c;
    mdl_error err;
    if (mdl_contract_parse(&f->ctx, "orders.yaml", yaml, strlen(yaml), &c, &err) != MDL_OK)
        fail_msg("contract: %s", err.message);
    return c;
}

static int ingest(fixture *f, const mdl_contract *c, mdl_ingest_result *res, mdl_error *err)
{
    mdl_ingest_options o;
    mdl_ingest_options_init(&o);
    o.landing_root = f->landing;
    o.lake_root = f->lake;
    o.batch_id = "batch-1";
    o.ingestion_ts = 1767225600000000LL; /* 2026-01-01T00:00:00Z */
    return mdl_ingest_table(&f->ctx, c, &o, res, err);
}

static mdl_storage *table_storage(fixture *f, const char *layer, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/%s", f->lake, layer, name);
    mdl_storage *st;
    assert_int_equal(mdl_storage_open_local(&f->ctx, path, &st, NULL), MDL_OK);
    return st;
}

/* The table's rows, one line each ("a|b|c"), in scan order, into a buffer. */
static char *dump(fixture *f, const char *layer, const char *name, size_t *rows, int64_t *version)
{
    mdl_storage *st = table_storage(f, layer, name);
    mdl_table *t;
    mdl_error err;
    if (mdl_table_open(&f->ctx, st, -1, &t, &err) != MDL_OK)
        fail_msg("open %s/%s: %s", layer, name, err.message);
    *version = mdl_table_version(t);
    mdl_batch_stream *bs;
    assert_int_equal(mdl_table_scan(t, &bs, NULL), MDL_OK);
    mdl_buf out;
    mdl_buf_init(&out, &f->ctx, 0);
    *rows = 0;
    mdl_batch *b;
    while (mdl_batch_stream_next(bs, &b, NULL) == MDL_OK && b != NULL) {
        for (size_t r = 0; r < b->num_rows; r++) {
            for (size_t c = 0; c < b->schema->num_fields; c++) {
                char v[256];
                mdl_column_format_value(&b->columns[c], r, v, sizeof v);
                mdl_buf_printf(&out, NULL, "%s%s", c ? "|" : "", v);
            }
            mdl_buf_append(&out, "\n", 1, NULL);
        }
        *rows += b->num_rows;
        mdl_batch_free(b);
    }
    mdl_buf_terminate(&out, NULL);
    mdl_batch_stream_release(bs);
    mdl_table_close(t);
    mdl_storage_release(st);
    return out.data;
}

static const char ORDERS_YAML[] =
    "table: bronze.orders\n"
    "description: Orders.\n"
    "materialized: append\n"
    "partition_by: [_ingest_date]\n"
    "schema_mode: %s\n"
    "columns:\n"
    "  - {name: order_id, source: ORDER_ID, type: string, nullable: false}\n"
    "  - {name: amount, source: AMOUNT, type: \"decimal(12,2)\"}\n"
    "  - {name: order_date, source: ORDER_DATE, type: date}\n"
    "source:\n"
    "  type: files\n"
    "  system: shop\n"
    "  path: orders/orders_*.csv\n"
    "  format: csv\n";

static mdl_contract *orders_contract(fixture *f, const char *mode)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml, ORDERS_YAML, mode);
    return contract(f, yaml);
}

static void test_pipeline_ingest__rejects_quarantined_nothing_lost(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    write_file(&f, "orders/orders_001.csv",
               "ORDER_ID,AMOUNT,ORDER_DATE\n"
               "ORD-1,10.50,2025-01-02\n"
               "ORD-2,12,5,2025-01-03\n" /* too many fields */
               "ORD-3,abc,2025-01-04\n"  /* not a number */
               "ORD-4,7.25,2025-13-45\n" /* not a date */
               ",1.00,2025-01-05\n"      /* null key */
               "ORD-6\n"                 /* too few fields */
               "ORD-7,,\n");             /* nulls where allowed */
    mdl_contract *c = orders_contract(&f, "freeze");
    mdl_ingest_result res;
    mdl_error err;
    if (ingest(&f, c, &res, &err) != MDL_OK)
        fail_msg("ingest: %s", err.message);
    assert_int_equal(res.files_matched, 1);
    assert_int_equal(res.files_ingested, 1);
    assert_int_equal(res.rows_read, 7);
    assert_int_equal(res.rows_written, 2);
    assert_int_equal(res.rows_quarantined, 5);
    size_t rows;
    int64_t v;
    char *b = dump(&f, "bronze", "orders", &rows, &v);
    assert_int_equal(rows, 2);
    assert_string_equal(b, "ORD-1|10.50|2025-01-02|2026-01-01T00:00:00Z|shop|batch-1|"
                           "orders/orders_001.csv|2026-01-01\n"
                           "ORD-7|NULL|NULL|2026-01-01T00:00:00Z|shop|batch-1|"
                           "orders/orders_001.csv|2026-01-01\n");
    free(b);
    char *q = dump(&f, "quarantine", "orders", &rows, &v);
    assert_int_equal(rows, 5);
    /* file, line, offset, column, value, reason, record, ... */
    assert_non_null(strstr(q, "orders/orders_001.csv|3|"));
    assert_non_null(strstr(q, "expected 3 fields, found 4"));
    assert_non_null(strstr(q, "orders/orders_001.csv|4|"));
    assert_non_null(strstr(q, "|AMOUNT|abc|"));
    assert_non_null(strstr(q, "|ORDER_DATE|2025-13-45|"));
    assert_non_null(strstr(q, "|ORDER_ID|"));
    assert_non_null(strstr(q, "not nullable"));
    assert_non_null(strstr(q, "expected 3 fields, found 1"));
    assert_non_null(strstr(q, "|ORD-3,abc,2025-01-04|")); /* the raw record */
    free(q);
    mdl_contract_free(c);
    teardown(&f);
}

static void test_pipeline_ingest__reruns_and_new_files(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    write_file(&f, "orders/orders_001.csv", "ORDER_ID,AMOUNT,ORDER_DATE\nORD-1,1.00,2025-01-01\n");
    write_file(&f, "orders/orders_002.csv", "ORDER_ID,AMOUNT,ORDER_DATE\nORD-2,2.00,2025-01-02\n");
    write_file(&f, "orders/other.csv", "ORDER_ID,AMOUNT,ORDER_DATE\nX,1,2025-01-01\n");
    mdl_contract *c = orders_contract(&f, "freeze");
    mdl_ingest_result res;
    assert_int_equal(ingest(&f, c, &res, NULL), MDL_OK);
    assert_int_equal(res.files_matched, 2); /* other.csv is not under the pattern */
    assert_int_equal(res.files_ingested, 2);
    int64_t v1 = res.version;
    /* again: nothing to do, nothing committed */
    assert_int_equal(ingest(&f, c, &res, NULL), MDL_OK);
    assert_int_equal(res.files_ingested, 0);
    assert_int_equal(res.files_skipped, 2);
    assert_int_equal(res.rows_read, 0);
    assert_int_equal(res.version, v1);
    /* a new daily file: only it is read; its columns are matched by header name */
    write_file(&f, "orders/orders_003.csv",
               "ORDER_DATE,ORDER_ID,AMOUNT\n2025-01-03,ORD-3,3.00\n2025-01-03,ORD-4,4.00\n");
    assert_int_equal(ingest(&f, c, &res, NULL), MDL_OK);
    assert_int_equal(res.files_ingested, 1);
    assert_int_equal(res.files_skipped, 2);
    assert_int_equal(res.rows_written, 2);
    assert_int_equal(res.version, v1 + 1);
    size_t rows;
    int64_t v;
    char *b = dump(&f, "bronze", "orders", &rows, &v);
    assert_int_equal(rows, 4);
    assert_non_null(strstr(b, "ORD-4|4.00|2025-01-03|"));
    free(b);
    /* a file with nothing but bad rows is still marked ingested */
    write_file(&f, "orders/orders_004.csv", "ORDER_ID,AMOUNT,ORDER_DATE\nORD-5,x,y\n");
    assert_int_equal(ingest(&f, c, &res, NULL), MDL_OK);
    assert_int_equal(res.rows_quarantined, 1);
    assert_int_equal(res.rows_written, 0);
    assert_int_equal(ingest(&f, c, &res, NULL), MDL_OK);
    assert_int_equal(res.files_ingested, 0);
    assert_int_equal(res.files_skipped, 4);
    mdl_contract_free(c);
    teardown(&f);
}

static void test_pipeline_ingest__schema_modes(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    write_file(&f, "orders/orders_001.csv", "ORDER_ID,AMOUNT,ORDER_DATE\nORD-1,1.00,2025-01-01\n");
    mdl_contract *frozen = orders_contract(&f, "freeze");
    mdl_ingest_result res;
    assert_int_equal(ingest(&f, frozen, &res, NULL), MDL_OK);
    int64_t v1 = res.version;
    write_file(&f, "orders/orders_002.csv",
               "ORDER_ID,AMOUNT,ORDER_DATE,COUPON\nORD-2,2.00,2025-01-02,SAVE10\n");
    mdl_error err;
    assert_int_equal(ingest(&f, frozen, &res, &err), MDL_ERR_SCHEMA);
    assert_non_null(strstr(err.message, "orders/orders_002.csv: the file has column(s) 'COUPON'"));
    assert_non_null(strstr(err.message, "schema_mode freeze"));
    assert_int_equal(res.version, v1); /* nothing of it committed */
    /* evolve: the new column is added (older rows read null in it); a contract column the
     * file lacks is an error in every mode, and only that file fails */
    write_file(&f, "orders/orders_003.csv", "ORDER_ID,ORDER_DATE\nORD-3,2025-01-03\n");
    mdl_contract *evolving = orders_contract(&f, "evolve");
    assert_int_equal(ingest(&f, evolving, &res, &err), MDL_ERR_SCHEMA);
    assert_non_null(strstr(err.message, "orders/orders_003.csv: the file has no column 'AMOUNT'"));
    assert_int_equal(res.columns_added, 1);
    assert_int_equal(res.files_ingested, 1); /* orders_002.csv, before it */
    remove_file(&f, "orders/orders_003.csv");
    assert_int_equal(ingest(&f, evolving, &res, &err), MDL_OK);
    assert_int_equal(res.files_ingested, 0);
    size_t rows;
    int64_t v;
    char *b = dump(&f, "bronze", "orders", &rows, &v);
    assert_int_equal(rows, 2);
    assert_non_null(strstr(b, "ORD-1|1.00|2025-01-01|"));
    assert_non_null(strstr(b, "orders_001.csv|2026-01-01|NULL\n"));
    assert_non_null(strstr(b, "orders_002.csv|2026-01-01|SAVE10\n"));
    free(b);
    /* a later file without the evolved column reads null in it */
    write_file(&f, "orders/orders_004.csv", "ORDER_ID,AMOUNT,ORDER_DATE\nORD-4,4.00,2025-01-04\n");
    assert_int_equal(ingest(&f, evolving, &res, &err), MDL_OK);
    b = dump(&f, "bronze", "orders", &rows, &v);
    assert_non_null(strstr(b, "orders_004.csv|2026-01-01|NULL\n"));
    free(b);
    mdl_contract_free(frozen);
    mdl_contract_free(evolving);
    teardown(&f);
}

static void test_pipeline_ingest__json_sources(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    write_file(&f, "fx/rates_2025-01.json",
               "{\"provider\":\"x\",\"rates\":[{\"date\":\"2025-01-02\",\"quote\":\"EUR\","
               "\"rate\":\"0.912345\"},{\"date\":\"2025-01-02\",\"quote\":\"GBP\",\"rate\":null},"
               "{\"date\":\"2025-01-03\",\"quote\":\"EUR\",\"rate\":\"0.9\"}]}");
    mdl_contract *fx = contract(&f, "table: bronze.fx\n"
                                    "materialized: append\n"
                                    "partition_by: [_ingest_date]\n"
                                    "columns:\n"
                                    "  - {name: rate_date, source: date, type: date}\n"
                                    "  - {name: quote, type: string}\n"
                                    "  - {name: rate, type: \"decimal(18,6)\", nullable: false}\n"
                                    "source: {type: files, system: fx, path: fx/*.json, "
                                    "format: json, options: {records_path: rates}}\n");
    mdl_ingest_result res;
    mdl_error err;
    if (ingest(&f, fx, &res, &err) != MDL_OK)
        fail_msg("%s", err.message);
    assert_int_equal(res.rows_read, 3);
    assert_int_equal(res.rows_written, 2);
    assert_int_equal(res.rows_quarantined, 1);
    size_t rows;
    int64_t v;
    char *q = dump(&f, "quarantine", "fx", &rows, &v);
    assert_non_null(strstr(q, "fx/rates_2025-01.json|2|")); /* the second record */
    free(q);
    char *b = dump(&f, "bronze", "fx", &rows, &v);
    assert_non_null(strstr(b, "2025-01-02|EUR|0.912345|"));
    assert_non_null(strstr(b, "2025-01-03|EUR|0.900000|"));
    free(b);

    write_file(&f, "kafka/events.jsonl",
               "{\"topic\":\"t\",\"offset\":1,\"value\":\"{\\\"a\\\":1}\",\"meta\":{\"k\":\"x\"}}\n"
               "{\"topic\":\"t\",\"offset\":2,\"value\":\"{}\",\"meta\":{\"k\":\"y\"}}\n"
               "{\"topic\":\"t\",\"offset\":\n");
    mdl_contract *k = contract(&f, "table: bronze.events\n"
                                   "materialized: append\n"
                                   "partition_by: [_ingest_date]\n"
                                   "columns:\n"
                                   "  - {name: topic, type: string}\n"
                                   "  - {name: offset, type: int64, nullable: false}\n"
                                   "  - {name: value, type: string}\n"
                                   "  - {name: meta_k, source: meta.k, type: string}\n"
                                   "source: {type: files, system: kafka, path: kafka/*.jsonl, "
                                   "format: jsonl}\n");
    if (ingest(&f, k, &res, &err) != MDL_OK)
        fail_msg("%s", err.message);
    assert_int_equal(res.rows_read, 3);
    assert_int_equal(res.rows_written, 2);
    assert_int_equal(res.rows_quarantined, 1);
    b = dump(&f, "bronze", "events", &rows, &v);
    assert_non_null(strstr(b, "t|1|{\"a\":1}|x|"));
    free(b);
    mdl_contract_free(fx);
    mdl_contract_free(k);
    teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pipeline_ingest__rejects_quarantined_nothing_lost),
        cmocka_unit_test(test_pipeline_ingest__reruns_and_new_files),
        cmocka_unit_test(test_pipeline_ingest__schema_modes),
        cmocka_unit_test(test_pipeline_ingest__json_sources),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
