SELECT count(*) AS n FROM bronze.snowflake_customers WHERE (age > 200) AND NULL
