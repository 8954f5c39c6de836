-- error: with_recursive.sql:2:6: WITH RECURSIVE is not supported
WITH RECURSIVE r AS (SELECT 1 AS n) SELECT * FROM r
