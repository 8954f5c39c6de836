-- (e) latest row per order_id (the silver CDC pattern): every column of each order's newest
-- version.
SELECT *
FROM (SELECT *,
             ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY updated_at DESC) AS rn
      FROM bronze.snowflake_orders) t
WHERE rn = 1
