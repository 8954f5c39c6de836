SELECT count(*) FROM bronze.snowflake_orders WHERE quantity IN (SELECT CAST(round(probability / 20, 0) AS INTEGER) FROM bronze.crm_opportunities)
