SELECT substring('Größe', 3, 2) AS a, substring('日本語テキスト', 2, 3) AS b, substr('naïve', 3) AS c, substring('Größe', 0, 2) AS d, substring('Größe', -2) AS e
