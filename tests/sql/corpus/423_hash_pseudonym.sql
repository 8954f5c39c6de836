SELECT customer_id, sha256(lower(trim(email))) AS e, substring(md5(customer_id), 1, 8) AS short FROM bronze.snowflake_customers
