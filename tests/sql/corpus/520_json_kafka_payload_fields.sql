-- get_json_object over the Kafka payloads: string members, a decimal string cast, a
-- missing member (NULL) and the whole document re-printed compactly
SELECT "offset", partition,
       get_json_object(value, '$.event_id') AS event_id,
       get_json_object(value, '$.event_type') AS event_type,
       CAST(get_json_object(value, '$.amount') AS DECIMAL(18,2)) AS amount,
       get_json_object(value, '$.metadata.session_id') AS session_id,
       get_json_object(value, '$') = value AS compact
FROM bronze.kafka_events
WHERE partition IN (0, 3)
