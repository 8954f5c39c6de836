-- error: star_in_expression.sql:2:16: expected a column name, found '*' (t.* is only a SELECT item)
SELECT count(o.*) FROM bronze.snowflake_orders o
