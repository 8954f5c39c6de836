-- error: unknown_cte_typo.sql:2:77: unknown table 'recnt': lake tables are named layer.table (bronze.x, silver.x, gold.x), or a CTE of this query
WITH recent AS (SELECT * FROM bronze.snowflake_orders) SELECT count(*) FROM recnt
