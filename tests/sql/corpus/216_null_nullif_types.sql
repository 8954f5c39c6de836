SELECT nullif('a', 'a') AS a, nullif('a', 'b') AS b, nullif(1.5, 1.50) AS c, nullif(NULL, 1) AS d, nullif(1, NULL) AS e
