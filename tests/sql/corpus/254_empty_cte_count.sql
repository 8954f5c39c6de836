WITH e AS (SELECT * FROM bronze.snowflake_orders WHERE order_id = 'nope') SELECT count(*) AS n, sum(quantity) AS s FROM e
