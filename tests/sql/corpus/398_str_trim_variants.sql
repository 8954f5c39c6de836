SELECT trim('  a b  ') AS a, ltrim('  ab  ') AS b, rtrim('  ab  ') AS c, trim('xxhixx', 'x') AS d, ltrim('xyxhi', 'xy') AS e, rtrim('hi!!?', '!?') AS f
