SELECT make_date(2024, 2, 29) AS a, make_date(2023, 12, 31) AS b, make_date(1970, 1, 1) AS c, make_date(2000, 1, 1) - make_date(1999, 1, 1) AS d
