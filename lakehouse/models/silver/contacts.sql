-- silver.contacts: one row per CRM contact, its latest version by last_modified_date (ties:
-- the latest ingestion, then the greatest source file name), renamed to business names,
-- strings trimmed, code lists in UPPER_SNAKE_CASE. The email is lower-cased and validated
-- (NULL when malformed), the phones standardised to their digits (a leading + kept; NULL
-- when malformed); the *_valid flags say which (NULL when nothing was delivered). Orphan
-- accounts are kept (a relationship check flags them). Names, email and phones are masked by
-- `medallion build` after this query, per the contract's pii tags.
SELECT contact_id, account_id, first_name, last_name,
       CASE WHEN email_ok THEN email_std END AS email,
       CASE WHEN email_raw IS NOT NULL THEN email_ok END AS email_valid,
       CASE WHEN phone_ok THEN phone_std END AS phone,
       CASE WHEN phone_raw IS NOT NULL THEN phone_ok END AS phone_valid,
       CASE WHEN mobile_ok THEN mobile_std END AS mobile_phone,
       CASE WHEN mobile_raw IS NOT NULL THEN mobile_ok END AS mobile_phone_valid,
       title, department, lead_source, mailing_city, mailing_state, mailing_country,
       do_not_call, has_opted_out_of_email, created_at, updated_at
FROM (
    SELECT id AS contact_id,
           trim(account_id) AS account_id,
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
           nullif(trim(mobile_phone), '') AS mobile_raw,
           regexp_replace(trim(mobile_phone), '[^+0-9]', '', 'g') AS mobile_std,
           regexp_matches(trim(mobile_phone), '^[+]?[0-9 ().-]+$')
               AND length(regexp_replace(mobile_phone, '[^0-9]', '', 'g')) BETWEEN 10 AND 15
               AS mobile_ok,
           trim(title) AS title,
           upper(replace(trim(department), ' ', '_')) AS department,
           upper(replace(trim(lead_source), ' ', '_')) AS lead_source,
           trim(mailing_city) AS mailing_city,
           trim(mailing_state) AS mailing_state,
           upper(trim(mailing_country)) AS mailing_country,
           do_not_call,
           has_opted_out_of_email,
           created_date AS created_at,
           last_modified_date AS updated_at
    FROM (
        SELECT *
        FROM (
            SELECT *,
                   ROW_NUMBER() OVER (PARTITION BY id
                                      ORDER BY last_modified_date DESC, _ingestion_ts DESC,
                                               _source_file DESC) AS rn
            FROM bronze.crm_contacts
        ) versions
        WHERE rn = 1
    ) latest
) cleaned
