SELECT order_id, unit_price * quantity AS gross, total_amount - tax_amount AS net FROM bronze.snowflake_orders
