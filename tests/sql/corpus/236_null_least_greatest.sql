SELECT least(3, NULL, 1) AS a, greatest(NULL, 2, 5) AS b, least(CAST(NULL AS INTEGER), NULL) AS c, greatest(1.5, NULL, 2) AS d
