/*
 * test_contract_parse.c - table contracts (include/medallion/contract.h): every bronze
 * contract of lakehouse/ loads with the expected shape; every file of tests/data/contracts/bad
 * fails with exactly the message of its .expect ("status=NAME" and "error=MESSAGE" lines; the
 * file is parsed under its bare name so messages hold no paths); limits; sets (placement,
 * duplicates); the schema round trip; deterministic docs; no leaks, also out of memory.
 * MDL_TEST_UPDATE=1 rewrites the .expect files from the current messages (review the diff).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_support.h"

#include "medallion/contract.h"

#define REPO_CONTRACTS MDL_TEST_DATA_DIR "/../../lakehouse/contracts"

static int parse_text(mdl_ctx *ctx, const char *name, const char *text, mdl_contract **out,
                      mdl_error *err)
{
    return mdl_contract_parse(ctx, name, text, strlen(text), out, err);
}

/* ---- the bronze contracts ------------------------------------------------------------------ */

static const mdl_contract_column *column(const mdl_contract *c, const char *name)
{
    for (size_t i = 0; i < c->num_columns; i++)
        if (strcmp(c->columns[i].name, name) == 0)
            return &c->columns[i];
    fail_msg("%s has no column %s", c->table, name);
    return NULL;
}

static void test_contract_parse__bronze_contracts_load(void **state)
{
    (void)state;
    mdl_test_alloc a;
    mdl_ctx ctx;
    mdl_test_counting_ctx(&ctx, &a);
    mdl_contract_set set;
    mdl_error err = {0};
    int rc = mdl_contract_set_load(&ctx, REPO_CONTRACTS, &set, &err);
    if (rc != MDL_OK)
        fail_msg("%s", err.message);
    static const char *const tables[] = {"bronze.crm_accounts",        "bronze.crm_contacts",
                                         "bronze.crm_opportunities",   "bronze.fx_rates",
                                         "bronze.kafka_events",        "bronze.redshift_behavior",
                                         "bronze.snowflake_customers", "bronze.snowflake_orders",
                                         "bronze.snowflake_products"};
    size_t bronze = 0;
    for (size_t i = 0; i < set.count; i++) {
        const mdl_contract *c = set.items[i];
        if (i > 0)
            assert_true(strcmp(set.items[i - 1]->table, c->table) < 0); /* sorted */
        if (strcmp(c->layer, "bronze") != 0)
            continue;
        assert_string_equal(c->table, tables[bronze]);
        bronze++;
        assert_true(c->has_source);
        assert_string_equal(c->materialized, "append");
        assert_int_equal(c->num_partition_by, 1);
        assert_string_equal(c->partition_by[0], "_ingest_date");
        assert_true(c->num_unique_key >= 1);
        assert_non_null(c->description);
        for (size_t k = 0; k < c->num_unique_key; k++)
            assert_false(column(c, c->unique_key[k])->nullable);
        assert_ptr_equal(mdl_contract_set_find(&set, c->table), c);
    }
    assert_int_equal(bronze, 9);
    assert_null(mdl_contract_set_find(&set, "bronze.nope"));

    const mdl_contract *acc = mdl_contract_set_find(&set, "bronze.crm_accounts");
    const mdl_contract_column *rev = column(acc, "annual_revenue");
    assert_string_equal(rev->source_name, "AnnualRevenue");
    assert_true(mdl_type_equal(rev->type, mdl_type_decimal(18, 2)));
    assert_int_equal(column(acc, "phone")->pii, MDL_PII_KEEP);
    assert_int_equal(acc->schema_mode, MDL_SCHEMA_FREEZE);
    assert_string_equal(acc->source.paths[0], "crm/accounts.csv");
    assert_string_equal(acc->source.system, "crm");

    const mdl_contract *cust = mdl_contract_set_find(&set, "bronze.snowflake_customers");
    assert_string_equal(column(cust, "customer_id")->source_name, "CUSTOMER_ID");
    assert_int_equal(column(cust, "email")->pii, MDL_PII_KEEP);

    const mdl_contract *orders = mdl_contract_set_find(&set, "bronze.snowflake_orders");
    assert_int_equal(orders->source.num_paths, 2);
    assert_string_equal(orders->source.paths[0], "snowflake/orders/orders_*.csv");
    assert_string_equal(orders->source.paths[1], "snowflake/orders/changes/orders_changes_*.csv");

    const mdl_contract *beh = mdl_contract_set_find(&set, "bronze.redshift_behavior");
    assert_string_equal(mdl_contract_source_option(beh, "delimiter"), "|");
    assert_int_equal(beh->schema_mode, MDL_SCHEMA_EVOLVE);
    assert_null(mdl_contract_source_option(beh, "records_path"));

    const mdl_contract *fx = mdl_contract_set_find(&set, "bronze.fx_rates");
    assert_string_equal(fx->source.format, "json");
    assert_string_equal(mdl_contract_source_option(fx, "records_path"), "rates");
    assert_true(mdl_type_equal(column(fx, "rate")->type, mdl_type_decimal(18, 6)));
    assert_string_equal(column(fx, "rate_date")->source_name, "date");

    const mdl_contract *k = mdl_contract_set_find(&set, "bronze.kafka_events");
    assert_int_equal(column(k, "partition")->type.id, MDL_TYPE_INT32);
    assert_int_equal(column(k, "offset")->type.id, MDL_TYPE_INT64);
    assert_int_equal(column(k, "timestamp")->type.id, MDL_TYPE_TIMESTAMP);
    assert_int_equal(column(k, "value")->type.id, MDL_TYPE_STRING);
    assert_string_equal(k->source.format, "jsonl");

    mdl_contract_set_free(&set);
    assert_int_equal(a.live, 0);
}

/* ---- bad contracts ----------------------------------------------------------------------- */

static void check_bad(const char *dir, const char *base, void *user)
{
    (void)user;
    mdl_test_alloc a;
    mdl_ctx ctx;
    mdl_test_counting_ctx(&ctx, &a);
    char path[1024], name[300];
    snprintf(path, sizeof path, "%s/%s.yaml", dir, base);
    snprintf(name, sizeof name, "%s.yaml", base);
    size_t len;
    char *text = mdl_test_read_file(path, &len);
    assert_non_null(text);
    mdl_contract *c = NULL;
    mdl_error err = {0};
    int rc = mdl_contract_parse(&ctx, name, text, len, &c, &err);
    free(text);
    if (rc == MDL_OK)
        fail_msg("%s parsed; expected an error", name);
    assert_null(c);
    assert_int_equal(err.code, rc);
    assert_true(rc == MDL_ERR_PARSE || rc == MDL_ERR_SCHEMA || rc == MDL_ERR_LIMIT);
    /* Every message names the file, a line and a column. */
    char prefix[320];
    snprintf(prefix, sizeof prefix, "%s:", name);
    assert_memory_equal(err.message, prefix, strlen(prefix));
    int line = 0, col = 0;
    assert_int_equal(sscanf(err.message + strlen(prefix), "%d:%d:", &line, &col), 2);
    assert_true(line >= 1 && col >= 1);
    char got[1200];
    snprintf(got, sizeof got, "status=%s\nerror=%s\n", mdl_status_str(rc), err.message);
    if (getenv("MDL_TEST_UPDATE") != NULL) {
        snprintf(path, sizeof path, "%s/%s.expect", dir, base);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(got, f);
        fclose(f);
    } else {
        char *want = mdl_test_sidecar(dir, base, "expect", true);
        if (strcmp(want, got) != 0)
            fail_msg("%s:\n got: %s\nwant: %s", name, got, want);
        free(want);
    }
    assert_int_equal(a.live, 0);
}

static void test_contract_parse__bad_fixtures(void **state)
{
    (void)state;
    mdl_test_for_each_file("contracts/bad", ".yaml", check_bad, NULL);
}

static void expect_error(const char *text, size_t len, int want_rc, const char *want)
{
    mdl_test_alloc a;
    mdl_ctx ctx;
    mdl_test_counting_ctx(&ctx, &a);
    mdl_contract *c = NULL;
    mdl_error err = {0};
    int rc = mdl_contract_parse(&ctx, "t.yaml", text, len, &c, &err);
    assert_null(c);
    if (rc != want_rc || strcmp(err.message, want) != 0)
        fail_msg("got (%s) '%s'\nwant (%s) '%s'", mdl_status_str(rc), err.message,
                 mdl_status_str(want_rc), want);
    assert_int_equal(a.live, 0);
}

static void test_contract_parse__limits(void **state)
{
    (void)state;
    /* Over the size limit: refused before parsing. */
    size_t big = (1u << 20) + 1;
    char *text = malloc(big);
    assert_non_null(text);
    memset(text, '#', big);
    expect_error(text, big, MDL_ERR_LIMIT,
                 "t.yaml:1:1: contract is 1048577 bytes, over the limit of 1048576");
    /* A flat list of 300,000 one-byte items: within the size limit, over the node limit. */
    size_t n = 0;
    n += (size_t)snprintf(text, big, "table: [");
    while (n < 600010)
        text[n++] = 'a', text[n++] = ',';
    text[n++] = 'a';
    text[n++] = ']';
    expect_error(text, n, MDL_ERR_LIMIT, "t.yaml:1:400003: more than 200000 YAML nodes");
    free(text);
    /* A billion-laughs document: refused at the first alias, before anything expands. */
    const char *laughs = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                         "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                         "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n";
    expect_error(laughs, strlen(laughs), MDL_ERR_PARSE,
                 "t.yaml:1:4: anchors (&a) are not allowed in a contract");
    const char *alias = "table: *x\n";
    expect_error(alias, strlen(alias), MDL_ERR_PARSE,
                 "t.yaml:1:8: aliases (*x) are not allowed in a contract");
    const char *two = "table: bronze.a\n---\ntable: bronze.b\n";
    expect_error(two, strlen(two), MDL_ERR_PARSE,
                 "t.yaml:2:1: a contract is one YAML document, found a second");
    const char *bad_utf8 = "table: bronze.\xff\n";
    expect_error(bad_utf8, strlen(bad_utf8), MDL_ERR_PARSE,
                 "t.yaml:1:15: invalid YAML: invalid leading UTF-8 octet");
    const char nul[] = "table: bronze.a\0\ncolumns: []\n";
    expect_error(nul, sizeof nul - 1, MDL_ERR_PARSE,
                 "t.yaml:1:16: invalid YAML: control characters are not allowed");
}

/* ---- a good contract in detail ----------------------------------------------------------- */

static const char *const SILVER = "table: silver.orders\n"
                                  "description: One row per order.\n"
                                  "owner: data-engineering\n"
                                  "materialized: incremental\n"
                                  "unique_key: [order_id]\n"
                                  "partition_by: [order_date]\n"
                                  "schema_mode: discard_row\n"
                                  "columns:\n"
                                  "  - {name: order_id, type: string, nullable: false,\n"
                                  "     checks: [unique, not_null]}\n"
                                  "  - {name: customer_id, type: string,\n"
                                  "     checks: [{relationship: silver.customers.customer_id}]}\n"
                                  "  - {name: order_date, type: date, nullable: false}\n"
                                  "  - {name: total, type: \"decimal(18,2)\",\n"
                                  "     checks: [{range: {min: 0, max: 1e6}, threshold: 0.5%}]}\n"
                                  "  - {name: email, type: varchar, pii: hash}\n"
                                  "  - {name: status, type: string, checks: [{accepted_values: "
                                  "[open, 'closed, won'], severity: warn}]}\n"
                                  "  - {name: updated_at, type: TIMESTAMP, format: \"%s\"}\n"
                                  "checks:\n"
                                  "  - {row_count: {min: 1}}\n"
                                  "  - {freshness: {column: updated_at, max_age: 36h, "
                                  "severity: warn}}\n"
                                  "  - {unique: [customer_id, order_date], threshold: 10}\n"
                                  "  - sql: select 1\n";

static const char *param(const mdl_contract_check *ck, const char *key)
{
    for (size_t i = 0; i < ck->num_params; i++)
        if (strcmp(ck->params[i].key, key) == 0)
            return ck->params[i].value;
    return NULL;
}

static void test_contract_parse__silver_contract(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_contract *c;
    mdl_error err = {0};
    if (parse_text(&ctx, "orders.yaml", SILVER, &c, &err) != MDL_OK)
        fail_msg("%s", err.message);
    assert_string_equal(c->layer, "silver");
    assert_string_equal(c->name, "orders");
    assert_string_equal(c->materialized, "incremental");
    assert_int_equal(c->schema_mode, MDL_SCHEMA_DISCARD_ROW);
    assert_false(c->has_source);
    assert_int_equal(c->num_columns, 7);
    assert_int_equal(c->columns[4].pii, MDL_PII_HASH);
    assert_int_equal(c->columns[4].type.id, MDL_TYPE_STRING);
    assert_string_equal(c->columns[6].format, "%s");
    assert_true(c->columns[1].nullable);
    assert_int_equal(c->table_line, 1);
    assert_int_equal(c->table_column, 8);
    /* File order: unique and not_null of order_id (line 10), relationship (12), range (15),
     * accepted_values (17), then the four table checks. */
    assert_int_equal(c->num_checks, 9);
    static const char *const kinds[] = {"unique",    "not_null",        "relationship",
                                        "range",     "accepted_values", "row_count",
                                        "freshness", "unique",          "sql"};
    for (size_t i = 0; i < 9; i++)
        assert_string_equal(c->checks[i].kind, kinds[i]);
    assert_string_equal(c->checks[0].column, "order_id");
    assert_int_equal(c->checks[0].line, 10);
    assert_string_equal(param(&c->checks[2], "to"), "silver.customers.customer_id");
    assert_string_equal(param(&c->checks[3], "min"), "0");
    assert_string_equal(param(&c->checks[3], "max"), "1e6");
    assert_string_equal(c->checks[3].threshold, "0.5%");
    assert_int_equal(c->checks[4].num_values, 2);
    assert_string_equal(c->checks[4].values[1], "closed, won");
    assert_string_equal(c->checks[4].severity, "warn");
    assert_null(c->checks[5].column);
    assert_string_equal(param(&c->checks[5], "min"), "1");
    assert_string_equal(param(&c->checks[6], "column"), "updated_at");
    assert_string_equal(param(&c->checks[6], "max_age"), "36h");
    assert_string_equal(c->checks[6].severity, "warn");
    assert_null(c->checks[7].column);
    assert_int_equal(c->checks[7].num_values, 2);
    assert_string_equal(c->checks[7].threshold, "10");
    assert_string_equal(param(&c->checks[8], "query"), "select 1");
    assert_null(mdl_contract_source_option(c, "delimiter"));
    mdl_contract_free(c);
}

/* ---- schema round trip and docs ---------------------------------------------------------- */

static void test_contract_parse__schema_round_trip(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_contract *c;
    mdl_error err = {0};
    if (parse_text(&ctx, "orders.yaml", SILVER, &c, &err) != MDL_OK)
        fail_msg("%s", err.message);
    mdl_schema *s = NULL, *back = NULL;
    assert_int_equal(mdl_contract_schema(c, &s, &err), MDL_OK);
    mdl_buf text;
    mdl_buf_init(&text, &ctx, 1 << 20);
    assert_int_equal(mdl_schema_format(s, &text, &err), MDL_OK);
    assert_int_equal(mdl_buf_terminate(&text, &err), MDL_OK);
    assert_string_equal(text.data, "order_id string not null, customer_id string, order_date date "
                                   "not null, total decimal(18,2), email string, status string, "
                                   "updated_at timestamp");
    assert_int_equal(mdl_schema_parse(&ctx, text.data, &back, &err), MDL_OK);
    assert_int_equal(back->num_fields, c->num_columns);
    for (size_t i = 0; i < c->num_columns; i++) {
        assert_string_equal(back->fields[i].name, c->columns[i].name);
        assert_true(mdl_type_equal(back->fields[i].type, c->columns[i].type));
        assert_int_equal(back->fields[i].nullable, c->columns[i].nullable);
    }
    /* And back into a contract: the columns written from the schema parse to the same. */
    mdl_buf yaml;
    mdl_buf_init(&yaml, &ctx, 1 << 20);
    assert_int_equal(mdl_buf_append_str(&yaml, "table: gold.x\ncolumns:\n", &err), MDL_OK);
    for (size_t i = 0; i < back->num_fields; i++) {
        char t[64];
        mdl_type_format(back->fields[i].type, t, sizeof t);
        assert_int_equal(mdl_buf_printf(&yaml, &err, "  - {name: %s, type: \"%s\", nullable: %s}\n",
                                        back->fields[i].name, t,
                                        back->fields[i].nullable ? "true" : "false"),
                         MDL_OK);
    }
    mdl_contract *c2;
    if (mdl_contract_parse(&ctx, "x.yaml", yaml.data, yaml.len, &c2, &err) != MDL_OK)
        fail_msg("%s", err.message);
    mdl_schema *s2;
    assert_int_equal(mdl_contract_schema(c2, &s2, &err), MDL_OK);
    mdl_buf text2;
    mdl_buf_init(&text2, &ctx, 1 << 20);
    assert_int_equal(mdl_schema_format(s2, &text2, &err), MDL_OK);
    assert_int_equal(mdl_buf_terminate(&text2, &err), MDL_OK);
    assert_string_equal(text2.data, text.data);
    mdl_schema_release(s2);
    mdl_contract_free(c2);
    mdl_buf_reset(&text2);
    mdl_buf_reset(&yaml);
    mdl_buf_reset(&text);
    mdl_schema_release(back);
    mdl_schema_release(s);
    mdl_contract_free(c);
}

static void test_contract_parse__docs_deterministic(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_contract_set set;
    mdl_error err = {0};
    assert_int_equal(mdl_contract_set_load(&ctx, REPO_CONTRACTS, &set, &err), MDL_OK);
    for (size_t i = 0; i < set.count; i++) {
        const mdl_contract *c = set.items[i];
        mdl_buf a, b;
        mdl_buf_init(&a, &ctx, 1 << 22);
        mdl_buf_init(&b, &ctx, 1 << 22);
        assert_int_equal(mdl_contract_doc(c, NULL, 0, NULL, 0, &a, &err), MDL_OK);
        /* A second load (other allocations, other addresses) renders the same bytes. */
        mdl_contract *again;
        assert_int_equal(mdl_contract_load(&ctx, c->file, &again, &err), MDL_OK);
        assert_int_equal(mdl_contract_doc(again, NULL, 0, NULL, 0, &b, &err), MDL_OK);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.data, b.data, a.len);
        assert_int_equal(mdl_buf_terminate(&a, &err), MDL_OK);
        /* The committed page is this rendering up to its lineage, which medallion docs adds
         * from the model SQL (medallion docs --check compares whole pages). */
        char path[1024];
        snprintf(path, sizeof path, "%s/../../docs/schemas/%s.md", MDL_TEST_DATA_DIR, c->table);
        char *committed = mdl_test_read_file(path, NULL);
        assert_non_null(committed);
        char *lin_a = strstr(a.data, "\n## Lineage\n"),
             *lin_c = strstr(committed, "\n## Lineage\n");
        assert_non_null(lin_a);
        assert_non_null(lin_c);
        assert_int_equal(lin_a - a.data, lin_c - committed);
        assert_memory_equal(committed, a.data, (size_t)(lin_a - a.data));
        free(committed);
        if (strcmp(c->layer, "bronze") == 0) {
            assert_null(strstr(a.data, "_source_line"));
            assert_non_null(strstr(a.data, "| `_source_file` | string |"));
            assert_non_null(strstr(a.data, "| `_ingest_date` | date |"));
            assert_non_null(strstr(a.data, "| `_ingestion_ts` | timestamp |"));
        }
        mdl_contract_free(again);
        mdl_buf_reset(&a);
        mdl_buf_reset(&b);
    }
    /* Lineage given by the caller. */
    const char *up[] = {"bronze.snowflake_orders"}, *down[] = {"gold.fact_orders", "gold.x"};
    mdl_contract *c;
    assert_int_equal(parse_text(&ctx, "orders.yaml", SILVER, &c, &err), MDL_OK);
    mdl_buf d;
    mdl_buf_init(&d, &ctx, 1 << 22);
    assert_int_equal(mdl_contract_doc(c, up, 1, down, 2, &d, &err), MDL_OK);
    assert_int_equal(mdl_buf_terminate(&d, &err), MDL_OK);
    assert_non_null(strstr(d.data, "- upstream: `bronze.snowflake_orders`\n"
                                   "- downstream: `gold.fact_orders`, `gold.x`\n"));
    assert_non_null(strstr(d.data, "| `email` | string | yes | hash |"));
    assert_null(strstr(d.data, "_ingest_date"));
    assert_non_null(strstr(d.data, "`open`, `closed, won`"));
    mdl_buf_reset(&d);
    mdl_contract_free(c);
    mdl_contract_set_free(&set);
}

/* ---- sets -------------------------------------------------------------------------------- */

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_contract_parse__set_placement(void **state)
{
    (void)state;
    mdl_test_alloc a;
    mdl_ctx ctx;
    mdl_test_counting_ctx(&ctx, &a);
    char dir[] = "/tmp/mdl_contracts_XXXXXX", p[512];
    assert_non_null(mkdtemp(dir));
    snprintf(p, sizeof p, "%s/gold", dir);
    assert_int_equal(mkdir(p, 0755), 0);
    snprintf(p, sizeof p, "%s/gold/a.yaml", dir);
    write_text(p, "table: gold.a\ncolumns: [{name: x, type: int64}]\n");
    snprintf(p, sizeof p, "%s/gold/notes.txt", dir);
    write_text(p, "not a contract\n");
    mdl_contract_set set;
    mdl_error err = {0};
    assert_int_equal(mdl_contract_set_load(&ctx, dir, &set, &err), MDL_OK);
    assert_int_equal(set.count, 1);
    mdl_contract_set_free(&set);

    /* In the wrong file. */
    snprintf(p, sizeof p, "%s/gold/b.yaml", dir);
    write_text(p, "# b\ntable:   gold.c\ncolumns: [{name: x, type: int64}]\n");
    assert_int_equal(mdl_contract_set_load(&ctx, dir, &set, &err), MDL_ERR_SCHEMA);
    char want[1024];
    snprintf(want, sizeof want,
             "%s/gold/b.yaml:2:10: table 'gold.c' must be in gold/c.yaml (the file's place says "
             "'gold.b')",
             dir);
    assert_string_equal(err.message, want);
    assert_int_equal(set.count, 0);
    remove(p);

    /* Two contracts for one table (one nested deeper). */
    snprintf(p, sizeof p, "%s/old", dir);
    assert_int_equal(mkdir(p, 0755), 0);
    snprintf(p, sizeof p, "%s/old/gold", dir);
    assert_int_equal(mkdir(p, 0755), 0);
    snprintf(p, sizeof p, "%s/old/gold/a.yaml", dir);
    write_text(p, "table: gold.a\ncolumns: [{name: x, type: int64}]\n");
    assert_int_equal(mdl_contract_set_load(&ctx, dir, &set, &err), MDL_ERR_SCHEMA);
    assert_non_null(strstr(err.message, ":1:8: table 'gold.a' is also defined in "));
    remove(p);

    /* A broken contract stops the load with its own message. */
    snprintf(p, sizeof p, "%s/gold/d.yaml", dir);
    write_text(p, "table: gold.d\ncolumns: [{name: x, type: int65}]\n");
    assert_int_equal(mdl_contract_set_load(&ctx, dir, &set, &err), MDL_ERR_SCHEMA);
    assert_non_null(strstr(err.message, "/gold/d.yaml:2:27: column 'x': unknown type 'int65'"));
    remove(p);

    snprintf(p, sizeof p, "%s/nope", dir);
    assert_int_equal(mdl_contract_set_load(&ctx, p, &set, &err), MDL_ERR_NOT_FOUND);
    assert_int_equal(mdl_contract_load(&ctx, p, &(mdl_contract *){NULL}, &err), MDL_ERR_NOT_FOUND);
    snprintf(p, sizeof p, "rm -rf '%s'", dir);
    assert_int_equal(system(p), 0);
    assert_int_equal(a.live, 0);
}

/* ---- out of memory ----------------------------------------------------------------------- */

static void test_contract_parse__out_of_memory(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/bronze/snowflake_orders.yaml", REPO_CONTRACTS);
    size_t len;
    char *text = mdl_test_read_file(path, &len);
    assert_non_null(text);
    bool done = false;
    for (long n = 0; !done; n++) {
        mdl_test_alloc a;
        mdl_ctx ctx;
        mdl_test_counting_ctx(&ctx, &a);
        a.fail_after = n;
        mdl_contract *c = NULL;
        mdl_error err = {0};
        int rc = mdl_contract_parse(&ctx, "o.yaml", text, len, &c, &err);
        if (rc == MDL_OK) {
            mdl_buf d;
            mdl_buf_init(&d, &ctx, 1 << 22);
            rc = mdl_contract_doc(c, NULL, 0, NULL, 0, &d, &err);
            mdl_buf_reset(&d);
            mdl_contract_free(c);
            done = rc == MDL_OK;
        } else {
            assert_null(c);
        }
        if (!done)
            assert_int_equal(rc, MDL_ERR_NOMEM);
        assert_int_equal(a.live, 0);
        assert_true(n < 100000);
    }
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contract_parse__bronze_contracts_load),
        cmocka_unit_test(test_contract_parse__bad_fixtures),
        cmocka_unit_test(test_contract_parse__limits),
        cmocka_unit_test(test_contract_parse__silver_contract),
        cmocka_unit_test(test_contract_parse__schema_round_trip),
        cmocka_unit_test(test_contract_parse__docs_deterministic),
        cmocka_unit_test(test_contract_parse__set_placement),
        cmocka_unit_test(test_contract_parse__out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
