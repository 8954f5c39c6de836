-- get_json_object in GROUP BY and aggregates: events per payload channel and currency
SELECT get_json_object(value, '$.channel') AS channel,
       get_json_object(value, '$.currency') AS currency,
       count(*) AS n,
       count(DISTINCT get_json_object(value, '$.order_id')) AS orders,
       sum(CAST(get_json_object(value, '$.amount') AS DECIMAL(18,2))) AS total
FROM bronze.kafka_events
GROUP BY 1, 2
