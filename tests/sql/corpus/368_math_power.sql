SELECT power(2, 10) AS a, pow(2.0, -1) AS b, power(9, 0.5) AS c, power(-2, 3) AS d, power(0, 0) AS e
