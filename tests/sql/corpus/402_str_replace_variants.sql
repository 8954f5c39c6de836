SELECT replace('banana', 'an', 'AN') AS a, replace('Größe', 'ö', 'oe') AS b, replace('aaa', 'a', '') AS c, replace('abc', '', 'x') AS d, replace('日本日本', '日', '月') AS e
