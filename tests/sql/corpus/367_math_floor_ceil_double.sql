SELECT floor(-2.5e0) AS a, ceil(-2.5e0) AS b, floor(3) AS c, ceil(-3) AS d, floor(-0.0e0) AS e
