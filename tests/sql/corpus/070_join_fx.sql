SELECT o.order_id, o.total_amount, f.rate FROM bronze.snowflake_orders o JOIN bronze.fx_rates f ON f.quote = o.currency AND f.rate_date = o.order_date AND f.base = 'USD'
