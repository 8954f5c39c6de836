SELECT round(15, -1) AS a, round(-15, -1) AS b, round(1234, -2) AS c, round(7) AS d, round(CAST(25 AS BIGINT), -1) AS e
