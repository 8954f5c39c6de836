SELECT 2 + 3 * 4 AS a, (2 + 3) * 4 AS b, 10 - 2 - 3 AS c, 2 * 3 % 4 AS d, -2 * -3 AS e, 'a' || 1 + 2 AS f
