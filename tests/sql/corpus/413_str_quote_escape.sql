SELECT 'it''s' AS a, length('it''s') AS b, '''' AS c
