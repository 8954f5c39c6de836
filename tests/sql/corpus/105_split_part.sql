SELECT split_part(email, '@', 2) AS domain, count(*) FROM bronze.snowflake_customers GROUP BY 1
