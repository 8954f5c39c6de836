SELECT concat('a', 1, 2.50, TRUE, DATE '2024-01-02') AS a, 'x' || 1.5 || 'y' AS b, concat('Grö', 'ße', '日本') AS c
