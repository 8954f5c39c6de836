SELECT '' IS NULL AS a, length('') AS b, nullif('', '') IS NULL AS c, coalesce(nullif('', ''), 'd') AS d
