SELECT make_date(2024, 2, 29), make_date(2023, 12, 31)
