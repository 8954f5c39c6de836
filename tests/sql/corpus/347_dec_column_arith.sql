SELECT order_id, unit_price * quantity AS gross, unit_price * quantity * (1 - discount_pct / 100) AS net, tax_amount + shipping_cost AS extra FROM bronze.snowflake_orders
