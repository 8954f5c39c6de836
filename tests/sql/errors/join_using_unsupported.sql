-- error: join_using_unsupported.sql:2:71: JOIN ... USING is not supported (write ON a.x = b.x)
SELECT * FROM bronze.snowflake_orders JOIN bronze.snowflake_customers USING (customer_id)
