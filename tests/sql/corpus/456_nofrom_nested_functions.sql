SELECT upper(substring(lower('HeLLo WoRLD'), 1, 5)) AS a, length(replace(trim('  a-b-c  '), '-', '')) AS b, lpad(CAST(round(3.14159, 2) AS VARCHAR), 8, '*') AS c
