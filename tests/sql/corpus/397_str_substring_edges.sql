SELECT substring('hello', 10) AS a, substring('hello', 2, 0) AS b, substring('hello', -3, 2) AS c, substring('hello', 1, 100) AS d, substring('', 1, 1) AS e
