SELECT count(*) AS n FROM bronze.snowflake_customers WHERE email LIKE '%@%.com' AND first_name NOT LIKE 'A%'
