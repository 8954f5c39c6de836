SELECT 'B' < 'a' AS a, 'é' > 'z' AS b, 'abc' < 'abd' AS c, '' < 'a' AS d, 'Z' < 'ß' AS e
