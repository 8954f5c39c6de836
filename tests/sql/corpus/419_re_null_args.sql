SELECT regexp_matches(NULL, 'a') AS a, regexp_replace(CAST(NULL AS VARCHAR), 'a', 'b') AS b
