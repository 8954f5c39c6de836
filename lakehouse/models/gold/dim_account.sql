-- gold.dim_account (materialized: scd2): the current state of every CRM account, one row per
-- account_id, read from silver.accounts. `medallion build` versions it on the tracked columns
-- (contract scd2.tracked) and fills account_sk, valid_from, valid_to and is_current.
-- Left out: the billing street (redacted in silver) and the phone (only its last 4 digits in
-- silver); both carry nothing for analysis.
SELECT account_id,
       account_name,
       account_number,
       website,
       industry,
       annual_revenue,
       number_of_employees,
       billing_city,
       billing_state,
       billing_postal_code,
       billing_country,
       rating,
       account_type,
       account_source,
       customer_segment,
       geographic_region,
       account_status,
       owner_id,
       created_at,
       updated_at
FROM silver.accounts
