-- error: unknown column 'custmer_id' (did you mean 'customer_id'?)
SELECT custmer_id FROM bronze.snowflake_orders
