SELECT lpad('héllo', 8, 'xy') AS a, rpad('日本', 5, '・') AS b, lpad('abc', 2, 'z') AS c, rpad('abc', 0, 'z') AS d, lpad('7', 3, '0') AS e, rpad('Größe', 7, 'ß') AS f
