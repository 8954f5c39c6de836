SELECT ln(1) AS a, ln(2.718281828459045) AS b, sqrt(16) AS c, sqrt(2.25) AS d, sqrt(0) AS e, ln(100) / ln(10) AS f
