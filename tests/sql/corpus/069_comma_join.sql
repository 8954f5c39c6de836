SELECT count(*) FROM bronze.snowflake_products a, bronze.snowflake_products b WHERE a.product_id = b.product_id
