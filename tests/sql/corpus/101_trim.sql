SELECT trim('  a  '), ltrim('  a'), rtrim('a  ')
