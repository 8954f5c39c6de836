-- ordered
SELECT DISTINCT category FROM bronze.snowflake_products ORDER BY category DESC
