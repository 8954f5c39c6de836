SELECT date_diff('day', DATE '2024-03-01', DATE '2024-01-01') AS d, date_diff('month', DATE '2024-05-01', DATE '2023-05-31') AS m, datediff('day', DATE '2024-01-01', DATE '2024-01-01') AS z
