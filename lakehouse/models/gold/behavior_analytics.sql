-- gold.behavior_analytics (materialized: table): web and app behaviour of silver.customer_behavior
-- per day, event, device and traffic source, one row per (event_date, event_name, device_type,
-- traffic_source).
--   traffic_source: the event's utm_source, 'direct' when it has none (the label
--     gold.marketing_attribution uses for orders without a touch); device_type 'unknown' when
--     not delivered, so every grain column is set.
--   events = rows; sessions / customers = distinct session_id / customer_id within the row
--     (not additive across rows: count distinct again from silver for wider groupings);
--   total_duration_seconds = sum(duration_seconds) (NULL durations add nothing);
--   conversions = purchase events; revenue_usd = sum(revenue) of those (the purchase value,
--     already in USD in silver), 0 when none.
SELECT event_date,
       event_name,
       coalesce(device_type, 'unknown') AS device_type,
       coalesce(utm_source, 'direct') AS traffic_source,
       count(*) AS events,
       count(DISTINCT session_id) AS sessions,
       count(DISTINCT customer_id) AS customers,
       CAST(coalesce(sum(duration_seconds), 0) AS BIGINT) AS total_duration_seconds,
       count(CASE WHEN event_name = 'purchase' THEN 1 END) AS conversions,
       CAST(coalesce(sum(CASE WHEN event_name = 'purchase' THEN revenue END), 0)
            AS DECIMAL(18,2)) AS revenue_usd
FROM silver.customer_behavior
GROUP BY event_date, event_name, coalesce(device_type, 'unknown'), coalesce(utm_source, 'direct')
