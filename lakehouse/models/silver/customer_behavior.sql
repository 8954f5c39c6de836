-- silver.customer_behavior: one row per behaviour event (behavior_id) from the Redshift
-- unloads. Re-delivered copies are removed: the row of the latest ingestion wins, then the
-- later landing file, then the later event_ts (a copy is byte-identical, so any survivor
-- gives the same values). Kept (unlike the original pipeline): behavior_id, the utm_* fields
-- and device_type / browser / os as delivered (never replaced by the referrer). event_name is
-- trimmed and lower-cased; event_date is the UTC day of event_ts; a negative duration is not
-- a duration, so it becomes NULL (0 would drag averages down); conversion_value is revenue
-- (USD). The ingestion metadata columns are left out.
SELECT behavior_id, customer_id, session_id,
       lower(trim(event_name)) AS event_name,
       event_ts,
       CAST(event_ts AS DATE) AS event_date,
       page_url, referrer, device_type, browser, os, country, city,
       CASE WHEN duration_seconds >= 0 THEN duration_seconds END AS duration_seconds,
       conversion_value AS revenue,
       utm_source, utm_medium, utm_campaign, utm_content, utm_term
FROM (
    SELECT *,
           ROW_NUMBER() OVER (PARTITION BY behavior_id
                              ORDER BY _ingestion_ts DESC, _source_file DESC,
                                       event_ts DESC) AS rn
    FROM bronze.redshift_behavior
) versions
WHERE rn = 1
