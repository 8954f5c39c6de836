-- error: is_true_unsupported.sql:2:70: IS [NOT] TRUE/FALSE/UNKNOWN is not supported
SELECT order_id FROM bronze.snowflake_orders WHERE (quantity > 1) IS TRUE
