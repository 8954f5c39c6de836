-- silver.customers: one row per Snowflake customer, its latest version by updated_at (ties:
-- the latest ingestion, then the greatest source file name), strings trimmed, code lists in
-- UPPER_SNAKE_CASE, the email lower-cased and validated (NULL when malformed), the phone
-- standardised to its digits (a leading + kept; NULL when malformed); the *_valid flags say
-- which (NULL when nothing was delivered). Segment, age, gender, address and
-- registration_date (a date) are kept. Names, email, phone, street and postal code are masked
-- by `medallion build` after this query, per the contract's pii tags.
SELECT customer_id, first_name, last_name,
       CASE WHEN email_ok THEN email_std END AS email,
       CASE WHEN email_raw IS NOT NULL THEN email_ok END AS email_valid,
       CASE WHEN phone_ok THEN phone_std END AS phone,
       CASE WHEN phone_raw IS NOT NULL THEN phone_ok END AS phone_valid,
       street_address, city, state, country, postal_code, registration_date, gender, age,
       customer_segment, preferred_channel, created_at, updated_at
FROM (
    SELECT customer_id,
           trim(first_name) AS first_name,
           trim(last_name) AS last_name,
           nullif(trim(email), '') AS email_raw,
           lower(trim(email)) AS email_std,
           regexp_matches(lower(trim(email)),
                          '^[a-z0-9._%+-]+@([a-z0-9-]+[.])+[a-z]{2,}$') AS email_ok,
           nullif(trim(phone), '') AS phone_raw,
           regexp_replace(trim(phone), '[^+0-9]', '', 'g') AS phone_std,
           regexp_matches(trim(phone), '^[+]?[0-9 ().-]+$')
               AND length(regexp_replace(phone, '[^0-9]', '', 'g')) BETWEEN 10 AND 15 AS phone_ok,
           trim(address) AS street_address,
           trim(city) AS city,
           trim(state) AS state,
           upper(trim(country)) AS country,
           trim(zip_code) AS postal_code,
           registration_date,
           upper(trim(gender)) AS gender,
           age,
           upper(replace(trim(customer_segment), ' ', '_')) AS customer_segment,
           upper(replace(trim(preferred_channel), ' ', '_')) AS preferred_channel,
           created_at,
           updated_at
    FROM (
        SELECT *
        FROM (
            SELECT *,
                   ROW_NUMBER() OVER (PARTITION BY customer_id
                                      ORDER BY updated_at DESC, _ingestion_ts DESC,
                                               _source_file DESC) AS rn
            FROM bronze.snowflake_customers
        ) versions
        WHERE rn = 1
    ) latest
) cleaned
