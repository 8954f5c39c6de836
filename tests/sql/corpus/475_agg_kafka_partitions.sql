SELECT partition, count(*) AS n, min("offset") AS lo, max("offset") AS hi, sum("offset") AS s FROM bronze.kafka_events GROUP BY partition
