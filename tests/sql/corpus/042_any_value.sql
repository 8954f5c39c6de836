SELECT currency, any_value(currency) FROM bronze.snowflake_orders GROUP BY currency
