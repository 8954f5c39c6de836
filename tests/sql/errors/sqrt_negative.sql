-- error: line 2 column 8: cannot take square root of a negative number
SELECT sqrt(-1)
