SELECT upper(substring(trim(first_name), 1, 3)) FROM bronze.snowflake_customers
