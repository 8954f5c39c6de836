SELECT floor(-2.5) AS a, ceil(-2.5) AS b, floor(2.5) AS c, ceil(2.1) AS d, floor(-0.01) AS e, ceil(-0.99) AS f
