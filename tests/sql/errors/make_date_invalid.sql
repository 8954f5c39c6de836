-- error: line 2 column 8: make_date: 2023-2-29 is not a date
SELECT make_date(2023, 2, 29)
