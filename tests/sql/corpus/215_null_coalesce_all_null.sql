SELECT coalesce(NULL, NULL) AS a, coalesce(CAST(NULL AS INTEGER), NULL, 7) AS b, coalesce(NULL, 'x', 'y') AS c
