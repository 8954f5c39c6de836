SELECT starts_with('hello', 'he') AS a, starts_with('hello', '') AS b, starts_with('Größe', 'Grö') AS c, starts_with('he', 'hello') AS d
