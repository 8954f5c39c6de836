SELECT current_date = CAST(current_timestamp AS DATE) AS a, current_date IS NOT NULL AS b, current_timestamp >= TIMESTAMP '2020-01-01 00:00:00' AS c
