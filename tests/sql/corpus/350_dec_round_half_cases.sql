SELECT round(2.5) AS a, round(-2.5) AS b, round(0.125, 2) AS c, round(-0.125, 2) AS d, round(1.005, 2) AS e, round(123.456, -1) AS f
