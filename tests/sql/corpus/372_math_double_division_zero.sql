SELECT 1 / 0 AS a, -1 / 0 AS b, 1.5 / 0.0 AS c
