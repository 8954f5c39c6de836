SELECT 1.5 + 2.25 AS a, 0.1 + 0.2 AS b, 10.005 - 0.005 AS c, 1.10 - 1.1 AS d
