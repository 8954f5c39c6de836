SELECT 1 + 2 AS three, 'x' || 'y' AS xy
