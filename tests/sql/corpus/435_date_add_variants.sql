SELECT date_add(DATE '2024-01-31', 1) AS a, date_add(DATE '2024-03-01', -1) AS b, date_add(DATE '2023-12-31', 366) AS c, date_add(DATE '2024-02-28', 0) AS d
