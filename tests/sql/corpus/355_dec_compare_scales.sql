SELECT 1.5 = 1.50 AS a, 1.50 < 1.501 AS b, 2 = 2.0 AS c, 0.1 + 0.2 = 0.3 AS d
