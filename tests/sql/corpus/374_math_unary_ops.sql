SELECT -(-5) AS a, +5 AS b, -(1.5) AS c, - -2 AS d, -2147483647 AS e
