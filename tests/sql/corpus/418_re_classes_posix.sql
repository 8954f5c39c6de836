SELECT regexp_matches('abc123', '^[[:alpha:]]+[[:digit:]]+$') AS a, regexp_replace('a  b   c', '[[:space:]]+', ' ', 'g') AS b, regexp_matches('x', '[[:upper:]]') AS c
