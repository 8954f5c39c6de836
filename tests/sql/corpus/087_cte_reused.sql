WITH c AS (SELECT currency FROM bronze.snowflake_orders) SELECT count(*) FROM c x JOIN (SELECT DISTINCT currency FROM c) y ON x.currency = y.currency
