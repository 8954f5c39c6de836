SELECT avg(duration_seconds) AS a, avg(CAST(duration_seconds AS DOUBLE)) AS b, sum(duration_seconds) AS s FROM bronze.redshift_behavior
