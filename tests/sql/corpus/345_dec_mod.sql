SELECT 7.5 % 2 AS a, -7.5 % 2 AS b, 10.25 % 0.5 AS c, -7 % 3 AS d, 7 % -3 AS e
