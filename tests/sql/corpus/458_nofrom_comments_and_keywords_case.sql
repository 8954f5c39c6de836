select /* block /* nested */ */ 1 as a, -- line comment
 CaSt('2' AS InTeGeR) AS b
