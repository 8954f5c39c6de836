-- gold.dim_contact (materialized: scd2): the current state of every CRM contact, one row per
-- contact_id, read from silver.contacts. `medallion build` versions it on the tracked columns
-- (contract scd2.tracked) and fills contact_sk, valid_from, valid_to and is_current.
-- The account is referenced by account_id, not by a surrogate key: an account_sk changes
-- with every account version, so a contact version would point at a stale one. Join
-- gold.dim_account on account_id (and is_current, or the as-of range) instead.
-- Personal data: email is silver's keyed HMAC-SHA-256 hash (not masked again); the redacted
-- names and the last-4 phones are left out.
SELECT contact_id,
       account_id,
       email,
       email_valid,
       title,
       department,
       lead_source,
       mailing_city,
       mailing_state,
       mailing_country,
       do_not_call,
       has_opted_out_of_email,
       created_at,
       updated_at
FROM silver.contacts
