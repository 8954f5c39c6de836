SELECT lower('Größe') AS a, upper('naïve') AS b, upper('straße') AS c, lower('ÀÉÎÕÜ') AS d, upper('日本') AS e, lower('ΑΒΓ') AS f
