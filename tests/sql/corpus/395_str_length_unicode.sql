SELECT length('Größe') AS a, length('naïve') AS b, length('日本') AS c, length('') AS d, length('a b ') AS e
