-- silver.opportunities: one row per CRM opportunity, its latest version by
-- last_modified_date (ties: the latest ingestion, then the greatest source file name),
-- renamed to business names, strings trimmed, code lists in UPPER_SNAKE_CASE. contact_id is
-- kept as delivered (NULL for about 10%); close_date is NULL for open opportunities; amount
-- stays in its own currency (gold converts to USD).
SELECT id AS opportunity_id,
       trim(account_id) AS account_id,
       trim(contact_id) AS contact_id,
       trim(name) AS opportunity_name,
       upper(replace(trim(stage_name), ' ', '_')) AS stage,
       amount,
       upper(trim(currency_iso_code)) AS currency,
       probability,
       close_date,
       is_closed,
       is_won,
       upper(replace(trim(lead_source), ' ', '_')) AS lead_source,
       upper(replace(trim(type), ' ', '_')) AS opportunity_type,
       upper(replace(trim(forecast_category), ' ', '_')) AS forecast_category,
       created_date AS created_at,
       last_modified_date AS updated_at
FROM (
    SELECT *
    FROM (
        SELECT *,
               ROW_NUMBER() OVER (PARTITION BY id
                                  ORDER BY last_modified_date DESC, _ingestion_ts DESC,
                                           _source_file DESC) AS rn
        FROM bronze.crm_opportunities
    ) versions
    WHERE rn = 1
) latest
