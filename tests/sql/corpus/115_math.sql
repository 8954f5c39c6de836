SELECT abs(-2), round(2.567, 2), floor(2.5), ceil(2.1), power(2, 10), sqrt(16.0), ln(1.0)
