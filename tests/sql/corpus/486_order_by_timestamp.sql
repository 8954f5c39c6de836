-- ordered
SELECT behavior_id, event_ts FROM bronze.redshift_behavior ORDER BY event_ts DESC, behavior_id LIMIT 15
