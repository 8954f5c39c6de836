SELECT currency, sum(total_amount) AS s, sum(tax_amount) AS t, sum(unit_price * quantity) AS g FROM bronze.snowflake_orders GROUP BY currency
