SELECT 1 AS "Mixed Case", 2 AS "select", 3 AS "a""b"
