SELECT currency, sum(quantity * unit_price) AS gross FROM bronze.snowflake_orders GROUP BY currency
