SELECT count(*) AS n, sum(CASE WHEN regexp_matches(phone, '^\([0-9]{3}\) [0-9]{3}-[0-9]{4}$') THEN 1 ELSE 0 END) AS ok FROM bronze.crm_accounts
