-- silver.accounts: one row per CRM account, its latest version by last_modified_date (ties:
-- the latest ingestion, then the greatest source file name), renamed to business names,
-- strings trimmed, code lists in UPPER_SNAKE_CASE, the phone validated and standardised to
-- its digits (a leading + kept). The ingestion metadata is left out. billing_street and
-- phone are masked by `medallion build` after this query, per the contract's pii tags.
SELECT account_id, account_name, account_number,
       CASE WHEN phone_ok THEN phone_std END AS phone,
       CASE WHEN phone_raw IS NOT NULL THEN phone_ok END AS phone_valid,
       website, industry, annual_revenue, number_of_employees, billing_street, billing_city,
       billing_state, billing_postal_code, billing_country, rating, account_type, account_source,
       customer_segment, geographic_region, account_status, owner_id, created_at, updated_at
FROM (
    SELECT id AS account_id,
           trim(name) AS account_name,
           trim(account_number) AS account_number,
           nullif(trim(phone), '') AS phone_raw,
           regexp_replace(trim(phone), '[^+0-9]', '', 'g') AS phone_std,
           regexp_matches(trim(phone), '^[+]?[0-9 ().-]+$')
               AND length(regexp_replace(phone, '[^0-9]', '', 'g')) BETWEEN 10 AND 15 AS phone_ok,
           lower(trim(website)) AS website,
           upper(replace(trim(industry), ' ', '_')) AS industry,
           annual_revenue,
           number_of_employees,
           trim(billing_street) AS billing_street,
           trim(billing_city) AS billing_city,
           trim(billing_state) AS billing_state,
           trim(billing_postal_code) AS billing_postal_code,
           upper(trim(billing_country)) AS billing_country,
           upper(replace(trim(rating), ' ', '_')) AS rating,
           upper(replace(trim(type), ' ', '_')) AS account_type,
           upper(replace(trim(account_source), ' ', '_')) AS account_source,
           upper(replace(trim(customer_segment), ' ', '_')) AS customer_segment,
           upper(replace(trim(geographic_region), ' ', '_')) AS geographic_region,
           upper(replace(trim(account_status), ' ', '_')) AS account_status,
           trim(owner_id) AS owner_id,
           created_date AS created_at,
           last_modified_date AS updated_at
    FROM (
        SELECT *
        FROM (
            SELECT *,
                   ROW_NUMBER() OVER (PARTITION BY id
                                      ORDER BY last_modified_date DESC, _ingestion_ts DESC,
                                               _source_file DESC) AS rn
            FROM bronze.crm_accounts
        ) versions
        WHERE rn = 1
    ) latest
) cleaned
