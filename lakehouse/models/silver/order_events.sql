-- silver.order_events: one row per order event (event_id) parsed from the Kafka payload
-- (bronze.kafka_events.value, JSON text) with get_json_object.
--   channel is the payload's own `channel` field (WEB / MOBILE / CALL_CENTER / PARTNER), not
--   a producer or metadata field as in the original pipeline. The payload carries no
--   session id, so there is no session_id column.
--   Re-delivered records (the same payload at a later offset) are removed: the highest
--   (partition, offset) wins, then the later record timestamp (a total order within a
--   topic; a copy repeats the payload, so any survivor gives the same values).
--   A record whose value is not a JSON object with an event_id (malformed JSON, a cut
--   payload) has no key to deduplicate on and is left out here; bronze keeps it as it came.
--   Amount and timestamps are typed with TRY_CAST: a bad value becomes NULL rather than
--   failing the build, and the contract's checks report it.
WITH parsed AS (
    SELECT get_json_object(value, '$.event_id') AS event_id,
           get_json_object(value, '$.order_id') AS order_id,
           get_json_object(value, '$.customer_id') AS customer_id,
           get_json_object(value, '$.event_type') AS event_type,
           TRY_CAST(get_json_object(value, '$.event_ts') AS TIMESTAMP) AS event_ts,
           TRY_CAST(get_json_object(value, '$.amount') AS DECIMAL(18,2)) AS amount,
           get_json_object(value, '$.currency') AS currency,
           get_json_object(value, '$.channel') AS channel,
           topic, partition, "offset", "timestamp" AS record_ts
    FROM bronze.kafka_events
)
SELECT event_id, order_id, customer_id, event_type, event_ts,
       CAST(event_ts AS DATE) AS event_date,
       amount, currency, channel, topic, partition, "offset", record_ts
FROM (
    SELECT *,
           ROW_NUMBER() OVER (PARTITION BY event_id
                              ORDER BY "offset" DESC, partition DESC, record_ts DESC) AS rn
    FROM parsed
    WHERE event_id IS NOT NULL
) versions
WHERE rn = 1
