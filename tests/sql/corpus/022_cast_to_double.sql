SELECT CAST(total_amount AS DOUBLE) AS t FROM bronze.snowflake_orders
