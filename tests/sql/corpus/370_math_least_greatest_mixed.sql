SELECT least(1, 2.5, CAST(3 AS BIGINT)) AS a, greatest(1, 2.5, 3e0) AS b, least('b', 'a', 'c') AS c, greatest(DATE '2024-01-01', DATE '2023-12-31') AS d
