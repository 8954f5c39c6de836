-- gold.dim_customer (materialized: scd2): the current state of every Snowflake customer, one
-- row per customer_id, read from silver.customers. `medallion build` compares it with the
-- dimension's open versions on the tracked columns (contract scd2.tracked) and opens/closes
-- versions; it fills customer_sk, valid_from, valid_to and is_current itself.
-- Personal data: email is silver's keyed HMAC-SHA-256 hash (joins still work) and is not
-- masked again here; the redacted names, street and postal code and the last-4 phone carry
-- nothing for analysis and are left out.
SELECT customer_id,
       email,
       email_valid,
       city,
       state,
       country,
       registration_date,
       gender,
       age,
       customer_segment,
       preferred_channel,
       created_at,
       updated_at
FROM silver.customers
