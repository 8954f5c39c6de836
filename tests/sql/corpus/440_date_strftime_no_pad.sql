SELECT strftime(TIMESTAMP '2024-05-09 07:08:09', '%-d/%-m %-H:%-M:%-S') AS a, strftime(DATE '2024-12-01', '%-m-%-d') AS b
