SELECT 'Größe' LIKE 'Gr_ße' AS a, '日本' LIKE '_本' AS b, 'naïve' LIKE '%ïv%' AS c, 'abc' LIKE 'ABC' AS d, '' LIKE '%' AS e, 'a%b' LIKE 'a%b' AS f, 'abc' NOT LIKE 'a_' AS g
