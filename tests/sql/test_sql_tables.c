/*
 * test_sql_tables.c - mdl_sql_tables (include/medallion/sql.h): the lake tables a query reads,
 * found in FROM items, joins, subqueries in FROM / WHERE / SELECT, IN and EXISTS, CTE bodies
 * and UNION ALL branches; CTE names are not tables; each table once, in reading order (FROM
 * and joins before the other clauses); a parse error is reported with its position; no leaks.
 */
#include <string.h>

#include "test_support.h"

#include "medallion/sql.h"

static void expect_tables(const char *sql, const char *const *want, size_t n)
{
    mdl_test_alloc a;
    mdl_ctx ctx;
    mdl_test_counting_ctx(&ctx, &a);
    char **names = NULL;
    size_t count = 0;
    mdl_error err = {0};
    int rc = mdl_sql_tables(&ctx, sql, strlen(sql), "t.sql", &names, &count, &err);
    if (rc != MDL_OK)
        fail_msg("%s", err.message);
    assert_int_equal(count, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(names[i], want[i]);
    mdl_free(&ctx, names);
    assert_int_equal(a.live, 0);
}

static void test_sql_tables__found(void **state)
{
    (void)state;
    expect_tables("SELECT 1", NULL, 0);
    const char *const one[] = {"bronze.a"};
    expect_tables("SELECT * FROM bronze.a x JOIN bronze.a y ON x.id = y.id", one, 1);
    const char *const cte[] = {"silver.orders", "silver.customers"};
    expect_tables("WITH o AS (SELECT * FROM silver.orders), c AS (SELECT * FROM silver.customers) "
                  "SELECT * FROM o JOIN c ON o.customer_id = c.customer_id",
                  cte, 2);
    const char *const nested[] = {"silver.p", "silver.q", "silver.r",
                                  "gold.f",   "silver.s", "silver.t"};
    expect_tables("SELECT (SELECT max(v) FROM gold.f) AS m FROM (SELECT * FROM silver.p) p "
                  "LEFT JOIN silver.q q ON q.k = p.k AND q.k IN (SELECT k FROM silver.r) "
                  "WHERE EXISTS (SELECT 1 FROM silver.s s WHERE s.k = p.k) "
                  "UNION ALL SELECT 1 FROM silver.t",
                  nested, 6);
}

static void test_sql_tables__errors(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    char **names = NULL;
    size_t count = 7;
    mdl_error err = {0};
    const char *sql = "SELECT * FROM\nWHERE";
    assert_int_equal(mdl_sql_tables(&ctx, sql, strlen(sql), "m.sql", &names, &count, &err),
                     MDL_ERR_PARSE);
    assert_null(names);
    assert_int_equal(count, 0);
    assert_non_null(strstr(err.message, "m.sql:2:1"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sql_tables__found),
        cmocka_unit_test(test_sql_tables__errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
