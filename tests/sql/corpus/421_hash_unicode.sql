SELECT md5('Größe') AS a, sha256('日本') AS b, md5('naïve') AS c
