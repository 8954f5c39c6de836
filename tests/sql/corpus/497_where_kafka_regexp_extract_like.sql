SELECT regexp_replace(value, '^.*"event_type": ?"([A-Z_]+)".*$', '\1') AS t, count(*) AS n FROM bronze.kafka_events GROUP BY 1
