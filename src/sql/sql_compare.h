/*
 * sql_compare.h - the total order that ORDER BY, window ORDER BY and top-N sort by: every core
 * type, ASC/DESC, NULLS FIRST/LAST. The order is DuckDB's: strings bytewise (UTF-8 code point
 * order), doubles with -0 = 0 and NaN greater than every other value (+inf included) and all
 * NaNs equal, decimals exactly (int64 or 128-bit storage), booleans false < true. NULLs are not
 * compared with values: a key's nulls_first flag places them, and DuckDB's default is NULLS
 * LAST for ASC and DESC alike.
 */
#ifndef MDL_SQL_SQL_COMPARE_H
#define MDL_SQL_SQL_COMPARE_H

#include "medallion/core.h"

/* One sort key: a column index of the input batch, its direction and where its NULLs go. */
typedef struct mdl_sql_sort_key {
    size_t column;
    bool desc;
    bool nulls_first;
} mdl_sql_sort_key;

/*
 * <0, 0, >0 as a non-null value of `a` at row ra sorts before, with, after the value of `b`
 * at row rb in ascending order. Both columns have the same type.
 */
int mdl_sql__value_cmp(const mdl_column *a, size_t ra, const mdl_column *b, size_t rb);

/*
 * Compares row ra of batch a with row rb of batch b (same schema) on `keys` in order,
 * applying each key's direction and NULL placement. 0 when every key is equal (peers).
 */
int mdl_sql__row_cmp(const mdl_sql_sort_key *keys, size_t num_keys, const mdl_batch *a, size_t ra,
                     const mdl_batch *b, size_t rb);

/* Same as mdl_sql__row_cmp on one key given as columns (a NULL on either side handled). */
int mdl_sql__key_cmp(const mdl_sql_sort_key *key, const mdl_column *a, size_t ra,
                     const mdl_column *b, size_t rb);

#endif /* MDL_SQL_SQL_COMPARE_H */
