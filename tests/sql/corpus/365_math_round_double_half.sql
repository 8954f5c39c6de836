SELECT round(2.5e0) AS a, round(-2.5e0) AS b, round(0.5e0) AS c, round(1.45e0, 1) AS d, round(-0.5e0) AS e
