SELECT concat('a', NULL, 'b') AS c, 'a' || NULL AS p, concat(NULL) AS e
