-- error: line 2 column 8: cannot take logarithm of zero
SELECT ln(0)
