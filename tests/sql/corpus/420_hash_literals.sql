SELECT md5('') AS a, md5('abc') AS b, sha256('') AS c, sha256('abc') AS d
