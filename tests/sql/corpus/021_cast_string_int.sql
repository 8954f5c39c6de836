SELECT CAST(quantity AS VARCHAR) AS q FROM bronze.snowflake_orders
