SELECT make_date(1, 1, 1) AS a, DATE '9999-12-31' AS b, year(DATE '0001-01-01') AS c, date_diff('year', DATE '1900-01-01', DATE '2100-12-31') AS d, dayofweek(DATE '1970-01-01') AS e
