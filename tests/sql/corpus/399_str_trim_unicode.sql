SELECT trim('ääGrößeää', 'ä') AS a, ltrim('日日本', '日') AS b, length(trim('   ')) AS c
