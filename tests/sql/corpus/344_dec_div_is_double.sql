SELECT 1.0 / 3 AS a, 10.00 / 4.0 AS b, 7 / 2 AS c, -7 / 2 AS d
