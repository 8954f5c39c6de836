SELECT order_id, CAST(CAST(total_amount AS VARCHAR) AS DECIMAL(18,2)) = total_amount AS same_dec, CAST(CAST(order_date AS VARCHAR) AS DATE) = order_date AS same_date FROM bronze.snowflake_orders
