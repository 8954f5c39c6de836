-- Test fixture: the current state of every customer not marked GONE.
SELECT customer_id, customer_segment, country, email, updated_at
FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY customer_id
                                 ORDER BY updated_at DESC, _source_file DESC) AS rn
    FROM bronze.snowflake_customers
) latest
WHERE rn = 1 AND coalesce(preferred_channel, '') <> 'GONE'
