SELECT regexp_replace(phone, '[^0-9]', '', 'g') FROM bronze.snowflake_customers
