SELECT count(*) FROM bronze.snowflake_products a CROSS JOIN bronze.snowflake_products b
