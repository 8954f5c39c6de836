SELECT 1 IN (1.0, 2) AS a, 'a' IN ('b', 'a') AS b, DATE '2024-01-01' IN (DATE '2024-01-01') AS c, 2.5 NOT IN (1, 2) AS d
