/*
 * test_sql_parser.c - the SQL lexer and parser (src/sql/sql_parser.c): every construct of the
 * dialect parses to an exact canonical text (mdl_sql__ast_format) that parses back to itself;
 * node positions; a table of bad queries with their exact messages (line:column and token) and
 * codes; the depth and size limits; running out of memory at every allocation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"
#include "sql/sql_ast.h"

static sql_ast *parse_ok(mdl_ctx *ctx, const char *sql)
{
    sql_ast *ast = NULL;
    mdl_error err = {0};
    if (mdl_sql__parse(ctx, "m.sql", sql, strlen(sql), &ast, &err) != MDL_OK)
        fail_msg("parse '%s': %s", sql, err.message);
    return ast;
}

/* Parses `sql`, formats it, and checks that the format parses back to the same text. */
static bool check_canonical(const char *sql, const char *want)
{
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    bool ok = true;
    sql_ast *ast = NULL, *again = NULL;
    mdl_error err = {0};
    mdl_buf a, b;
    mdl_buf_init(&a, &ctx, 1 << 20);
    mdl_buf_init(&b, &ctx, 1 << 20);
    if (mdl_sql__parse(&ctx, "m.sql", sql, strlen(sql), &ast, &err) != MDL_OK) {
        print_error("parse '%s': %s\n", sql, err.message);
        ok = false;
        goto cleanup;
    }
    assert_int_equal(mdl_sql__ast_format(mdl_sql__ast_query(ast), &a, &err), MDL_OK);
    if (strcmp(a.data, want) != 0) {
        print_error("'%s'\n  formats as '%s'\n  wanted     '%s'\n", sql, a.data, want);
        ok = false;
        goto cleanup;
    }
    if (mdl_sql__parse(&ctx, "m.sql", a.data, a.len, &again, &err) != MDL_OK) {
        print_error("reparse '%s': %s\n", a.data, err.message);
        ok = false;
        goto cleanup;
    }
    assert_int_equal(mdl_sql__ast_format(mdl_sql__ast_query(again), &b, &err), MDL_OK);
    if (strcmp(a.data, b.data) != 0) {
        print_error("'%s' reformats as '%s'\n", a.data, b.data);
        ok = false;
    }
cleanup:
    mdl_buf_reset(&a);
    mdl_buf_reset(&b);
    mdl_sql__ast_free(ast);
    mdl_sql__ast_free(again);
    return ok;
}

/* ---- every construct, as canonical text ---------------------------------------------------- */

static const struct {
    const char *sql, *canonical;
} good[] = {
    {"SELECT 1", "SELECT 1"},
    {"select a, B, \"CamelCase\" from silver.orders",
     "SELECT a, b, \"CamelCase\" FROM silver.orders"},
    {"SELECT DISTINCT o.*, c.name AS customer, amount total FROM silver.orders o LEFT OUTER JOIN "
     "silver.customers AS c ON o.customer_id = c.id",
     "SELECT DISTINCT o.*, c.name AS customer, amount AS total FROM silver.orders AS o LEFT JOIN "
     "silver.customers AS c ON (o.customer_id = c.id)"},
    {"WITH a AS (SELECT 1 AS x), b AS (SELECT x FROM a) SELECT * FROM b",
     "WITH a AS (SELECT 1 AS x), b AS (SELECT x FROM a) SELECT * FROM b"},
    {"SELECT 1 + 2 * 3 - 4 / 5 % 6, -x, +y, 'a' || 'b' || 1 + 2",
     "SELECT ((1 + (2 * 3)) - ((4 / 5) % 6)), (-x), (+y), (('a' || 'b') || (1 + 2))"},
    {"SELECT a FROM t WHERE NOT a = 1 AND b <> 2 OR c != 3 AND d IS NOT NULL",
     "SELECT a FROM t WHERE (((NOT (a = 1)) AND (b <> 2)) OR ((c <> 3) AND (d IS NOT NULL)))"},
    {"SELECT a BETWEEN 1 AND 2, a NOT BETWEEN 1 + 1 AND 3, s LIKE 'a%', s NOT LIKE 'a!%' ESCAPE "
     "'!'",
     "SELECT (a BETWEEN 1 AND 2), (a NOT BETWEEN (1 + 1) AND 3), (s LIKE 'a%'), (s NOT LIKE 'a!%' "
     "ESCAPE '!')"},
    {"SELECT a IN (1, 2, 3), a NOT IN (SELECT b FROM t), EXISTS (SELECT 1), NOT EXISTS (SELECT 2)",
     "SELECT (a IN (1, 2, 3)), (a NOT IN (SELECT b FROM t)), EXISTS (SELECT 1), (NOT EXISTS "
     "(SELECT 2))"},
    {"SELECT a IS DISTINCT FROM b, a IS NOT DISTINCT FROM b, a IS NULL",
     "SELECT (a IS DISTINCT FROM b), (a IS NOT DISTINCT FROM b), (a IS NULL)"},
    {"SELECT CASE WHEN a > 1 THEN 'x' WHEN a > 0 THEN 'y' ELSE 'z' END, CASE a WHEN 1 THEN 2 END",
     "SELECT CASE WHEN (a > 1) THEN 'x' WHEN (a > 0) THEN 'y' ELSE 'z' END, CASE a WHEN 1 THEN 2 "
     "END"},
    {"SELECT CAST(a AS int), TRY_CAST(b AS bigint), c::decimal(12,2), d::varchar, CAST(e AS double "
     "precision), f::date::timestamp",
     "SELECT CAST(a AS INTEGER), TRY_CAST(b AS BIGINT), CAST(c AS DECIMAL(12,2)), CAST(d AS "
     "STRING), CAST(e AS DOUBLE), CAST(CAST(f AS DATE) AS TIMESTAMP)"},
    {"SELECT count(*), count(DISTINCT x), sum(y), coalesce(a, b, 0), nullif(a, 0) FROM t GROUP BY "
     "z HAVING count(*) > 1",
     "SELECT count(*), count(DISTINCT x), sum(y), coalesce(a, b, 0), nullif(a, 0) FROM t GROUP BY "
     "z HAVING (count(*) > 1)"},
    {"SELECT row_number() OVER (PARTITION BY k ORDER BY ts DESC NULLS LAST) AS rn, sum(x) OVER "
     "(ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), avg(x) over (), lag(x, 1) OVER "
     "(PARTITION BY a, b ORDER BY c RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), "
     "min(x) OVER (ORDER BY c ROWS 3 PRECEDING)",
     "SELECT row_number() OVER (PARTITION BY k ORDER BY ts DESC NULLS LAST) AS rn, sum(x) OVER "
     "(ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), avg(x) OVER (), lag(x, 1) OVER "
     "(PARTITION BY a, b ORDER BY c ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), "
     "min(x) OVER (ORDER BY c ROWS BETWEEN 3 PRECEDING AND CURRENT ROW)"},
    /* RANGE to UNBOUNDED FOLLOWING is the whole partition, a ROWS frame; to CURRENT ROW stays
     * RANGE (peers included) */
    {"SELECT sum(x) OVER (ORDER BY c RANGE UNBOUNDED PRECEDING), sum(x) OVER (ORDER BY c RANGE "
     "BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM t",
     "SELECT sum(x) OVER (ORDER BY c RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), sum(x) "
     "OVER (ORDER BY c RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM t"},
    {"SELECT a FROM t ORDER BY 1, a DESC, b ASC NULLS FIRST LIMIT 10 OFFSET 5",
     "SELECT a FROM t ORDER BY 1, a DESC, b NULLS FIRST LIMIT 10 OFFSET 5"},
    {"SELECT a FROM t UNION ALL SELECT b FROM u UNION ALL SELECT c FROM v ORDER BY 1 LIMIT 3",
     "SELECT a FROM t UNION ALL SELECT b FROM u UNION ALL SELECT c FROM v ORDER BY 1 LIMIT 3"},
    {"SELECT 1.5, .5, 1., 1e10, 1.5E-3, 'it''s', TRUE, false, NULL, DATE '2024-01-02', TIMESTAMP "
     "'2024-01-02 03:04:05'",
     "SELECT 1.5, .5, 1., 1e10, 1.5E-3, 'it''s', TRUE, FALSE, NULL, DATE '2024-01-02', TIMESTAMP "
     "'2024-01-02 03:04:05'"},
    {"SELECT INTERVAL '3' DAY, INTERVAL 2 months, INTERVAL '1 year', d + INTERVAL '-1' day",
     "SELECT INTERVAL '3' DAY, INTERVAL '2' MONTH, INTERVAL '1' YEAR, (d + INTERVAL '-1' DAY)"},
    {"SELECT x FROM (SELECT 1 AS x) AS s, (SELECT 2 AS y) t CROSS JOIN u INNER JOIN v ON true JOIN "
     "w ON 1 = 1 RIGHT JOIN r ON a FULL OUTER JOIN f ON b",
     "SELECT x FROM (SELECT 1 AS x) AS s, (SELECT 2 AS y) AS t CROSS JOIN u INNER JOIN v ON TRUE "
     "INNER JOIN w ON (1 = 1) RIGHT JOIN r ON a FULL JOIN f ON b"},
    {"SELECT EXTRACT(year FROM d), extract('month', d), current_date, current_timestamp(), left(s, "
     "2), right(s, 3)",
     "SELECT EXTRACT(year FROM d), EXTRACT(month FROM d), current_date, current_timestamp, left(s, "
     "2), right(s, 3)"},
    {"SELECT \"select\", \"a\"\"b\", \"Date\", date, \"date\" FROM \"My Table\" AS \"T\"",
     "SELECT \"select\", \"a\"\"b\", \"Date\", \"date\", \"date\" FROM \"My Table\" AS \"T\""},
    {"SELECT a -- comment|FROM /* block /* nested */ */ t;", "SELECT a"},
    {"SELECT (SELECT max(x) FROM t) AS m, ((1 + 2)) * 3",
     "SELECT (SELECT max(x) FROM t) AS m, ((1 + 2) * 3)"},
    {"SELECT - - 1, NOT NOT a, -(-1)", "SELECT (-(-1)), (NOT (NOT a)), (-(-1))"},
    {"SELECT t.a, \"T\".b FROM t", "SELECT t.a, \"T\".b FROM t"},
    {"SELECT 1 + 2 * 3 - 4 / 5 % 6, -x, +y, 'a' || 'b' || 1 + 2",
     "SELECT ((1 + (2 * 3)) - ((4 / 5) % 6)), (-x), (+y), (('a' || 'b') || (1 + 2))"},
    {"SELECT a FROM t WHERE a > 1 AND b < 2 OR NOT c <= 3 AND d >= 4",
     "SELECT a FROM t WHERE (((a > 1) AND (b < 2)) OR ((NOT (c <= 3)) AND (d >= 4)))"},
    {"SELECT 'a' || b = c, a + b BETWEEN 1 AND 2 AND c, -a::int",
     "SELECT (('a' || b) = c), (((a + b) BETWEEN 1 AND 2) AND c), (-CAST(a AS INTEGER))"},
    {"WITH x AS (SELECT a, count(*) AS n FROM bronze.events GROUP BY a) SELECT x.a, x.n FROM x "
     "WHERE x.n IN (SELECT n FROM x) ORDER BY x.n DESC LIMIT 5",
     "WITH x AS (SELECT a, count(*) AS n FROM bronze.events GROUP BY a) SELECT x.a, x.n FROM x "
     "WHERE (x.n IN (SELECT n FROM x)) ORDER BY x.n DESC LIMIT 5"},
    {"select A as \"Mixed Alias\", \"has space\" from s.t",
     "SELECT a AS \"Mixed Alias\", \"has space\" FROM s.t"},
    {"SELECT a FROM t OFFSET 2", "SELECT a FROM t OFFSET 2"},
    {"SELECT ALL a FROM t;", "SELECT a FROM t"},
    {"SELECT CAST(a AS BOOL), CAST(a AS INT4), CAST(a AS INT8), CAST(a AS long), CAST(a AS "
     "float8), CAST(a AS numeric(5)), CAST(a AS text), CAST(a AS string), CAST(a AS DATETIME)",
     "SELECT CAST(a AS BOOLEAN), CAST(a AS INTEGER), CAST(a AS BIGINT), CAST(a AS BIGINT), CAST(a "
     "AS DOUBLE), CAST(a AS DECIMAL(5,0)), CAST(a AS STRING), CAST(a AS STRING), CAST(a AS "
     "TIMESTAMP)"},
    {"SELECT sum(a) OVER (PARTITION BY b ROWS BETWEEN CURRENT ROW AND 3 FOLLOWING), first_value(a) "
     "OVER (ORDER BY b ROWS UNBOUNDED PRECEDING)",
     "SELECT sum(a) OVER (PARTITION BY b ROWS BETWEEN CURRENT ROW AND 3 FOLLOWING), first_value(a) "
     "OVER (ORDER BY b ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"},
    {"SELECT 'multi\nline', a\nFROM t", "SELECT 'multi\nline', a FROM t"},
    {"SELECT é, \"É\" FROM t", "SELECT \"é\", \"É\" FROM t"},
    {"SELECT 1 + 2 * 3 - 4 / 5 % 6, -x, +y, 'a' || 'b' || 1 + 2",
     "SELECT ((1 + (2 * 3)) - ((4 / 5) % 6)), (-x), (+y), (('a' || 'b') || (1 + 2))"},
    {"SELECT a = b IS NULL", "SELECT ((a = b) IS NULL)"},
    {"SELECT (a IS NULL) = TRUE", "SELECT ((a IS NULL) = TRUE)"},
    {"SELECT a FROM t WHERE x NOT IN ('a', 'b') AND NOT EXISTS (SELECT 1 FROM u WHERE u.k = t.k)",
     "SELECT a FROM t WHERE ((x NOT IN ('a', 'b')) AND (NOT EXISTS (SELECT 1 FROM u WHERE (u.k = "
     "t.k))))"},
    {"SELECT a, b FROM t ORDER BY a NULLS LAST, b DESC NULLS FIRST",
     "SELECT a, b FROM t ORDER BY a NULLS LAST, b DESC NULLS FIRST"},
};

static void test_canonical(void **state)
{
    (void)state;
    size_t failed = 0;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        failed += !check_canonical(good[i].sql, good[i].canonical);
    assert_int_equal(failed, 0);
}

/* ---- errors -------------------------------------------------------------------------------- */

static const struct {
    const char *sql;
    int code;
    const char *message;
} bad[] = {
    {"SELEC a FROM t", MDL_ERR_PARSE,
     "m.sql:1:1: expected SELECT or WITH, found 'SELEC' (did you mean SELECT?)"},
    {"SELECT a FORM t", MDL_ERR_PARSE,
     "m.sql:1:10: expected end of query, found 'FORM' (did you mean FROM?)"},
    {"SELECT a FROM t WHRE a = 1", MDL_ERR_PARSE,
     "m.sql:1:17: expected end of query, found 'WHRE' (did you mean WHERE?)"},
    {"SELECT a FROM t GROUP BI a", MDL_ERR_PARSE,
     "m.sql:1:23: expected BY, found 'BI' (did you mean BY?)"},
    {"SELECT a FROM t ORDER a", MDL_ERR_PARSE, "m.sql:1:23: expected BY, found 'a'"},
    {"SELECT a,\nFROM t", MDL_ERR_PARSE, "m.sql:2:1: expected an expression, found 'FROM'"},
    {"SELECT a FROM t WHERE", MDL_ERR_PARSE,
     "m.sql:1:22: expected an expression, found end of input"},
    {"SELECT (a + 1 FROM t", MDL_ERR_PARSE, "m.sql:1:15: expected ')', found 'FROM'"},
    {"SELECT a FROM t)", MDL_ERR_PARSE,
     "m.sql:1:16: expected end of query (unbalanced ')'), found ')'"},
    {"SELECT 'abc", MDL_ERR_PARSE, "m.sql:1:8: unterminated string literal"},
    {"SELECT \"abc", MDL_ERR_PARSE, "m.sql:1:8: unterminated quoted identifier"},
    {"SELECT a /* x", MDL_ERR_PARSE, "m.sql:1:10: unterminated comment"},
    {"SELECT `a` FROM t", MDL_ERR_PARSE,
     "m.sql:1:8: unexpected character '`' (quote identifiers with double quotes)"},
    {"SELECT a FROM t WHERE a = ?", MDL_ERR_PARSE, "m.sql:1:27: unexpected character '?'"},
    {"SELECT a FROM t; SELECT b FROM t", MDL_ERR_PARSE,
     "m.sql:1:18: expected end of input after ';' (a model is one query), found 'SELECT'"},
    {"INSERT INTO t VALUES (1)", MDL_ERR_UNSUPPORTED,
     "m.sql:1:1: INSERT is not supported: a model is one SELECT query"},
    {"update t set a = 1", MDL_ERR_UNSUPPORTED,
     "m.sql:1:1: UPDATE is not supported: a model is one SELECT query"},
    {"DELETE FROM t", MDL_ERR_UNSUPPORTED,
     "m.sql:1:1: DELETE is not supported: a model is one SELECT query"},
    {"CREATE TABLE t (a int)", MDL_ERR_UNSUPPORTED,
     "m.sql:1:1: CREATE is not supported: a model is one SELECT query"},
    {"WITH RECURSIVE r AS (SELECT 1) SELECT * FROM r", MDL_ERR_UNSUPPORTED,
     "m.sql:1:6: WITH RECURSIVE is not supported"},
    {"SELECT * FROM t, LATERAL (SELECT 1)", MDL_ERR_UNSUPPORTED,
     "m.sql:1:18: LATERAL is not supported"},
    {"SELECT a, row_number() OVER (ORDER BY a) rn FROM t QUALIFY rn = 1", MDL_ERR_UNSUPPORTED,
     "m.sql:1:52: QUALIFY is not supported (filter on the window function in an outer query)"},
    {"SELECT * FROM t PIVOT (sum(x) FOR y IN (1))", MDL_ERR_UNSUPPORTED,
     "m.sql:1:17: PIVOT is not supported"},
    {"SELECT sum(x) OVER (ORDER BY a GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t",
     MDL_ERR_UNSUPPORTED, "m.sql:1:32: a GROUPS window frame is not supported"},
    {"SELECT sum(x) OVER (ORDER BY a ROWS BETWEEN CURRENT ROW AND 1 PRECEDING) FROM t",
     MDL_ERR_PARSE, "m.sql:1:61: a frame cannot end before its start"},
    {"SELECT sum(x) OVER (ORDER BY a ROWS 2 FOLLOWING) FROM t", MDL_ERR_PARSE,
     "m.sql:1:37: a frame cannot end before its start (ROWS n FOLLOWING ends at CURRENT ROW)"},
    {"SELECT sum(x) OVER (ORDER BY a RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t",
     MDL_ERR_UNSUPPORTED,
     "m.sql:1:32: a RANGE frame with an offset or starting at CURRENT ROW is not supported (RANGE "
     "frames may only start at UNBOUNDED PRECEDING; write ROWS)"},
    {"SELECT sum(x) OVER (ORDER BY a RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM t",
     MDL_ERR_UNSUPPORTED,
     "m.sql:1:32: a RANGE frame with an offset or starting at CURRENT ROW is not supported (RANGE "
     "frames may only start at UNBOUNDED PRECEDING; write ROWS)"},
    {"SELECT a FROM t UNION SELECT b FROM u", MDL_ERR_UNSUPPORTED,
     "m.sql:1:17: UNION without ALL is not supported (write UNION ALL, with SELECT DISTINCT around "
     "it to remove duplicates)"},
    {"SELECT a FROM t INTERSECT SELECT b FROM u", MDL_ERR_UNSUPPORTED,
     "m.sql:1:17: INTERSECT / EXCEPT is not supported"},
    {"SELECT a FROM t EXCEPT SELECT b FROM u", MDL_ERR_UNSUPPORTED,
     "m.sql:1:17: INTERSECT / EXCEPT is not supported"},
    {"SELECT * FROM t NATURAL JOIN u", MDL_ERR_UNSUPPORTED,
     "m.sql:1:17: NATURAL JOIN is not supported"},
    {"SELECT * FROM t JOIN u USING (id)", MDL_ERR_UNSUPPORTED,
     "m.sql:1:24: JOIN ... USING is not supported (write ON a.x = b.x)"},
    {"SELECT * FROM t JOIN u", MDL_ERR_PARSE, "m.sql:1:23: expected ON, found end of input"},
    {"SELECT * FROM t LEFT JOIN u ON", MDL_ERR_PARSE,
     "m.sql:1:31: expected an expression, found end of input"},
    {"SELECT CAST(a AS float) FROM t", MDL_ERR_UNSUPPORTED,
     "m.sql:1:18: type FLOAT is not supported (single precision; use DOUBLE)"},
    {"SELECT CAST(a AS decimal) FROM t", MDL_ERR_UNSUPPORTED,
     "m.sql:1:18: DECIMAL without a precision is not supported (DuckDB and Spark SQL default "
     "differently): write DECIMAL(p,s)"},
    {"SELECT CAST(a AS decimal(40,2)) FROM t", MDL_ERR_PARSE,
     "m.sql:1:26: DECIMAL(40,2) is not a decimal type (precision 1..38, scale 0..precision)"},
    {"SELECT CAST(a AS foo) FROM t", MDL_ERR_PARSE,
     "m.sql:1:18: expected a type name, found 'foo'"},
    {"SELECT a FROM t LIMIT x", MDL_ERR_PARSE, "m.sql:1:23: expected an integer, found 'x'"},
    {"SELECT a FROM t LIMIT 99999999999999999999", MDL_ERR_PARSE,
     "m.sql:1:23: an integer '99999999999999999999' is out of range (at most 9223372036854775807)"},
    {"SELECT count(*) FILTER (WHERE a > 1) FROM t", MDL_ERR_UNSUPPORTED,
     "m.sql:1:17: FILTER (WHERE ...) on an aggregate is not supported"},
    {"SELECT a ILIKE 'x' FROM t", MDL_ERR_UNSUPPORTED,
     "m.sql:1:10: ILIKE is not supported (use LIKE, lower() or regexp_matches())"},
    {"SELECT a FROM t WHERE a IS TRUE", MDL_ERR_UNSUPPORTED,
     "m.sql:1:28: IS [NOT] TRUE/FALSE/UNKNOWN is not supported"},
    {"SELECT a FROM t WHERE a IS 5", MDL_ERR_PARSE,
     "m.sql:1:28: expected NULL or DISTINCT FROM after IS, found '5'"},
    {"SELECT CASE a END", MDL_ERR_PARSE, "m.sql:1:15: expected WHEN, found 'END'"},
    {"SELECT sum(x) OVER w FROM t", MDL_ERR_UNSUPPORTED,
     "m.sql:1:20: a named window (OVER name) is not supported"},
    {"SELECT a FROM t GROUP BY ALL", MDL_ERR_UNSUPPORTED,
     "m.sql:1:26: GROUP BY ALL is not supported"},
    {"SELECT t.* + 1 FROM t", MDL_ERR_PARSE, "m.sql:1:12: expected end of query, found '+'"},
    {"SELECT a FROM a.b.c", MDL_ERR_UNSUPPORTED,
     "m.sql:1:18: a table name with more than two parts is not supported"},
    {"SELECT", MDL_ERR_PARSE, "m.sql:1:7: expected an expression, found end of input"},
    {"\n", MDL_ERR_PARSE, "m.sql:2:1: expected SELECT or WITH, found end of input"},
    {"SELECT 1 2", MDL_ERR_PARSE, "m.sql:1:10: expected end of query, found '2'"},
    {"SELECT DISTINCT ON (a) a FROM t", MDL_ERR_UNSUPPORTED,
     "m.sql:1:17: DISTINCT ON is not supported"},
    {"SELECT a FROM (t JOIN u ON true)", MDL_ERR_UNSUPPORTED,
     "m.sql:1:15: a parenthesized join is not supported"},
    {"SELECT a FROM read_parquet('x')", MDL_ERR_UNSUPPORTED,
     "m.sql:1:27: a table function is not supported"},
    {"SELECT INTERVAL 'x' DAY", MDL_ERR_PARSE,
     "m.sql:1:17: expected an integer count in INTERVAL, found 'x'"},
    {"SELECT INTERVAL 3 fortnights", MDL_ERR_PARSE,
     "m.sql:1:19: expected an INTERVAL unit (YEAR, MONTH, DAY, ...), found 'fortnights'"},
    {"SELECT sum(x) OVER (ROWS BETWEEN UNBOUNDED FOLLOWING AND CURRENT ROW) FROM t", MDL_ERR_PARSE,
     "m.sql:1:26: a frame cannot start at UNBOUNDED FOLLOWING"},
    {"SELECT a FROM t FULL JOIN u ON a = b NATURAL", MDL_ERR_UNSUPPORTED,
     "m.sql:1:38: NATURAL JOIN is not supported"},
    {"SELECT 1 ORDER BY 1 NULLS MIDDLE", MDL_ERR_PARSE,
     "m.sql:1:27: expected FIRST or LAST, found 'MIDDLE'"},
    {"SELECT x FROM t WHERE a ===b", MDL_ERR_PARSE,
     "m.sql:1:26: expected an expression, found '='"},
    {"SELECT 'a' = = 'b'", MDL_ERR_PARSE, "m.sql:1:14: expected an expression, found '='"},
    {"SELECT a FROM t AS", MDL_ERR_PARSE, "m.sql:1:19: expected an alias, found end of input"},
    {"SELECT * FROM t ASOF JOIN u ON t.a >= u.a", MDL_ERR_UNSUPPORTED,
     "m.sql:1:17: ASOF JOIN is not supported"},
    {"SELECT * FROM t TABLESAMPLE 10%", MDL_ERR_UNSUPPORTED,
     "m.sql:1:17: TABLESAMPLE is not supported"},
    {"SELECT a IS NULL = TRUE", MDL_ERR_PARSE, "m.sql:1:18: expected end of query, found '='"},
    {"SELECT * FROM t LEFT SEMI JOIN u ON true", MDL_ERR_UNSUPPORTED,
     "m.sql:1:22: SEMI and ANTI JOIN is not supported (use EXISTS or IN)"},
    {"SELECT x FROM t WHERE a = 'O''Brien' AND b = '''", MDL_ERR_PARSE,
     "m.sql:1:46: unterminated string literal"},
};

static void test_errors(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    size_t failed = 0;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sql_ast *ast = (sql_ast *)&ctx; /* must be reset to NULL */
        mdl_error err = {0};
        int rc = mdl_sql__parse(&ctx, "m.sql", bad[i].sql, strlen(bad[i].sql), &ast, &err);
        if (rc != bad[i].code || strcmp(err.message, bad[i].message) != 0 || ast != NULL) {
            print_error("'%s'\n  gave %d '%s'\n  wanted %d '%s'\n", bad[i].sql, rc, err.message,
                        bad[i].code, bad[i].message);
            failed++;
        }
        mdl_sql__ast_free(ast);
    }
    assert_true(sizeof bad / sizeof bad[0] >= 30);
    assert_int_equal(failed, 0);
}

static void test_error_without_source_name(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    sql_ast *ast = NULL;
    mdl_error err;
    assert_int_equal(mdl_sql__parse(&ctx, NULL, "SELECT\n  a,\n  b c d", 19, &ast, &err),
                     MDL_ERR_PARSE);
    assert_string_equal(err.message, "query:3:7: expected end of query, found 'd'");
    assert_int_equal(mdl_sql__parse(&ctx, "m.sql", "SELECT 1 \xff", 10, &ast, &err), MDL_ERR_PARSE);
    assert_string_equal(err.message, "m.sql: the query is not valid UTF-8");
    assert_int_equal(mdl_sql__parse(&ctx, "m.sql", "SELECT \0", 8, &ast, &err), MDL_ERR_PARSE);
    assert_string_equal(err.message, "m.sql:1:8: unexpected byte 0x00");
    assert_int_equal(mdl_sql__parse(&ctx, "m.sql", "", 0, &ast, &err), MDL_ERR_PARSE);
    assert_string_equal(err.message, "m.sql:1:1: expected SELECT or WITH, found end of input");
    /* columns count characters, not bytes */
    assert_int_equal(
        mdl_sql__parse(&ctx, "m.sql", "SELECT 'é' 'x'", strlen("SELECT 'é' 'x'"), &ast, &err),
        MDL_ERR_PARSE);
    assert_string_equal(err.message, "m.sql:1:12: expected end of query, found 'x'");
    assert_null(ast);
}

/* ---- positions ----------------------------------------------------------------------------- */

static void expect_pos(sql_pos p, uint32_t line, uint32_t column)
{
    assert_int_equal(p.line, line);
    assert_int_equal(p.column, column);
}

static void test_positions(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    const char *sql = "WITH c AS (SELECT 1 AS x)\n"
                      "SELECT a + b AS s, t.*,\n"
                      "       CAST(x AS int), f(y) OVER ()\n"
                      "FROM silver.orders AS t JOIN c ON c.x = t.a\n"
                      "WHERE x IS NULL AND y BETWEEN 1 AND 2";
    sql_ast *ast = parse_ok(&ctx, sql);
    const sql_query *q = mdl_sql__ast_query(ast);
    expect_pos(q->pos, 1, 1);
    assert_int_equal(q->num_ctes, 1);
    assert_string_equal(q->ctes[0].name, "c");
    expect_pos(q->ctes[0].pos, 1, 6);
    expect_pos(q->ctes[0].query->pos, 1, 12);
    const sql_select *s = q->selects[0];
    expect_pos(s->pos, 2, 1);
    assert_int_equal(s->num_items, 4);
    expect_pos(s->items[0].pos, 2, 8);
    const sql_expr_ast *add = s->items[0].expr;
    assert_int_equal(add->kind, SQL_AST_BINARY);
    assert_int_equal(add->op, SQL_OP_ADD);
    expect_pos(add->pos, 2, 10); /* the operator */
    expect_pos(add->args[0]->pos, 2, 8);
    expect_pos(add->args[1]->pos, 2, 12);
    assert_string_equal(s->items[0].alias, "s");
    assert_true(s->items[1].star);
    assert_string_equal(s->items[1].star_qualifier, "t");
    expect_pos(s->items[1].pos, 2, 20);
    const sql_expr_ast *cast = s->items[2].expr;
    assert_int_equal(cast->kind, SQL_AST_CAST);
    assert_int_equal(cast->cast_type.id, MDL_TYPE_INT32);
    expect_pos(cast->pos, 3, 8);
    const sql_expr_ast *f = s->items[3].expr;
    assert_int_equal(f->kind, SQL_AST_FUNCTION);
    assert_string_equal(f->text, "f");
    assert_non_null(f->window);
    expect_pos(f->pos, 3, 24);
    assert_int_equal(s->num_from, 2);
    assert_int_equal(s->from[0].join, SQL_JOIN_NONE);
    assert_string_equal(s->from[0].schema, "silver");
    assert_string_equal(s->from[0].name, "orders");
    assert_string_equal(s->from[0].alias, "t");
    expect_pos(s->from[0].pos, 4, 6);
    assert_int_equal(s->from[1].join, SQL_JOIN_INNER);
    assert_null(s->from[1].schema);
    assert_string_equal(s->from[1].name, "c");
    expect_pos(s->from[1].pos, 4, 30);
    expect_pos(s->from[1].on->pos, 4, 39);
    const sql_expr_ast *w = s->where;
    assert_int_equal(w->op, SQL_OP_AND);
    expect_pos(w->pos, 5, 17);
    assert_int_equal(w->args[0]->kind, SQL_AST_IS_NULL);
    expect_pos(w->args[0]->pos, 5, 9);
    assert_int_equal(w->args[1]->kind, SQL_AST_BETWEEN);
    expect_pos(w->args[1]->pos, 5, 23);
    mdl_sql__ast_free(ast);
}

static void test_tree_details(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    sql_ast *ast = parse_ok(&ctx, "SELECT count(*), count(DISTINCT \"X\"), 'it''s', 12.50, "
                                  "INTERVAL 3 days, CASE WHEN a THEN 1 ELSE 2 END FROM a, b "
                                  "LIMIT 7 OFFSET 3");
    const sql_query *q = mdl_sql__ast_query(ast);
    const sql_select *s = q->selects[0];
    const sql_expr_ast *c = s->items[0].expr;
    assert_true(c->star);
    assert_int_equal(c->num_args, 1);
    assert_int_equal(c->args[0]->kind, SQL_AST_STAR);
    c = s->items[1].expr;
    assert_true(c->distinct);
    assert_string_equal(c->args[0]->text, "X");
    c = s->items[2].expr;
    assert_int_equal(c->lit, SQL_LIT_STRING);
    assert_int_equal(c->text_len, 4);
    assert_memory_equal(c->text, "it's", 4);
    c = s->items[3].expr;
    assert_int_equal(c->lit, SQL_LIT_DECIMAL);
    assert_string_equal(c->text, "12.50");
    c = s->items[4].expr;
    assert_int_equal(c->kind, SQL_AST_INTERVAL);
    assert_int_equal(c->interval_n, 3);
    assert_string_equal(c->text, "day");
    c = s->items[5].expr;
    assert_int_equal(c->num_args, 3);
    assert_false(c->case_has_operand);
    assert_true(c->case_has_else);
    assert_int_equal(s->from[1].join, SQL_JOIN_CROSS);
    assert_true(s->from[1].comma);
    assert_true(q->has_limit && q->has_offset);
    assert_int_equal(q->limit, 7);
    assert_int_equal(q->offset, 3);
    mdl_sql__ast_free(ast);
}

/* ---- limits -------------------------------------------------------------------------------- */

static int parse_text(mdl_ctx *ctx, const char *sql, size_t len, mdl_error *err)
{
    sql_ast *ast = NULL;
    int rc = mdl_sql__parse(ctx, "m.sql", sql, len, &ast, err);
    mdl_sql__ast_free(ast);
    return rc;
}

/* "SELECT " + n copies of open + "1" + n copies of close */
static char *nested(size_t n, const char *open, const char *close)
{
    size_t lo = strlen(open), lc = strlen(close);
    char *s = malloc(16 + n * (lo + lc));
    char *w = s + sprintf(s, "SELECT ");
    for (size_t i = 0; i < n; i++, w += lo)
        memcpy(w, open, lo);
    *w++ = '1';
    for (size_t i = 0; i < n; i++, w += lc)
        memcpy(w, close, lc);
    *w = '\0';
    return s;
}

static void test_limits(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_error err;
    static const struct {
        const char *open, *close;
    } shapes[] = {{"(", ")"},  {"- ", ""},        {"NOT ", ""},  {"1 + ", ""},
                  {"f(", ")"}, {"(SELECT ", ")"}, {"a OR ", ""}, {"CASE WHEN 1 THEN ", " END"}};
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        char *ok = nested(60, shapes[k].open, shapes[k].close);
        if (parse_text(&ctx, ok, strlen(ok), &err) != MDL_OK)
            fail_msg("%s...: %s", shapes[k].open, err.message);
        free(ok);
        char *deep = nested(100000, shapes[k].open, shapes[k].close);
        assert_int_equal(parse_text(&ctx, deep, strlen(deep), &err), MDL_ERR_LIMIT);
        assert_non_null(strstr(err.message, "nested deeper than 200 levels"));
        free(deep);
    }
    char *deep = nested(300, "(", ")");
    assert_int_equal(parse_text(&ctx, deep, strlen(deep), &err), MDL_ERR_LIMIT);
    assert_string_equal(err.message, "m.sql:1:207: expression nested deeper than 200 levels");
    free(deep);

    size_t len = MDL_SQL_MAX_QUERY_BYTES + 1;
    char *big = malloc(len);
    memset(big, ' ', len);
    memcpy(big, "SELECT 1", 8);
    assert_int_equal(parse_text(&ctx, big, len, &err), MDL_ERR_LIMIT);
    assert_string_equal(err.message,
                        "m.sql: the query is 4194305 bytes, over the limit of 4194304");
    assert_int_equal(parse_text(&ctx, big, len - 1, &err), MDL_OK);
    free(big);

    /* a long flat list is no nesting */
    size_t n = 20000;
    char *list = malloc(32 + n * 3);
    char *w = list + sprintf(list, "SELECT x IN (1");
    for (size_t i = 0; i < n; i++)
        w += sprintf(w, ",%zu", i % 10);
    sprintf(w, ")");
    assert_int_equal(parse_text(&ctx, list, strlen(list), &err), MDL_OK);
    free(list);
}

/* Every allocation may fail: the parser reports MDL_ERR_NOMEM and leaks nothing. */
static void test_out_of_memory(void **state)
{
    (void)state;
    const char *sql = "WITH c AS (SELECT a, count(*) AS n FROM bronze.x GROUP BY a) "
                      "SELECT c.a, sum(n) OVER (PARTITION BY a ORDER BY n ROWS 2 PRECEDING), "
                      "CASE WHEN a IN (1, 2, 3) THEN 'x' END FROM c JOIN d ON c.a = d.a "
                      "UNION ALL SELECT 1, 2, 3 FROM e ORDER BY 1 LIMIT 4";
    size_t ok_runs = 0;
    for (long fail = 0; fail < 200 && ok_runs < 2; fail++) {
        mdl_test_alloc a;
        mdl_ctx ctx;
        mdl_test_counting_ctx(&ctx, &a);
        a.fail_after = fail;
        sql_ast *ast = NULL;
        mdl_error err;
        int rc = mdl_sql__parse(&ctx, "m.sql", sql, strlen(sql), &ast, &err);
        if (rc == MDL_OK)
            ok_runs++;
        else
            assert_int_equal(rc, MDL_ERR_NOMEM);
        mdl_sql__ast_free(ast);
        assert_int_equal(a.live, 0);
    }
    assert_int_equal(ok_runs, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_error_without_source_name),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_tree_details),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
