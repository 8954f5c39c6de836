/*
 * sql_keys.h - multi-column keys for the hash operators (GROUP BY, DISTINCT, hash join,
 * COUNT(DISTINCT)): a key table that maps the key of each row to a dense id (0, 1, 2, ... in
 * first-seen order), plus growable operator-owned columns that rows are gathered into.
 *
 * Equality of keys is SQL's grouping equality: values of the same type compare exactly
 * (strings bytewise, decimals by unscaled value, doubles with -0 = 0 and all NaNs equal).
 * NULL handling is the table's choice: for GROUP BY / DISTINCT all NULLs are one key
 * (nulls_equal), for joins a row with a NULL in any key column has no key (SQL_KEY_NONE).
 *
 * Layout: one key column of a type at most 8 bytes wide (int32/int64/date/timestamp/bool/
 * double/decimal(<=18)) is normalised to a uint64 kept in the slot itself next to its id (the
 * fast path for integer and date keys: one cache line per probe). Any other key is serialised
 * per row into a compact byte string (per column a validity byte, then the fixed-width value
 * or a u32 length and the bytes) kept in an arena; serialised keys of at most 16 bytes (a date
 * and a currency code) are hashed and compared as two masked 8-byte words, longer ones with
 * XXH3 and memcmp. Open addressing with linear probing, load at most 1/2; a batch is hashed
 * first and then probed with prefetches 16 rows ahead.
 */
#ifndef MDL_SQL_SQL_KEYS_H
#define MDL_SQL_SQL_KEYS_H

#include "medallion/core.h"

/* "No key": the row has a NULL key (and NULLs do not match), or a lookup found nothing. */
#define SQL_KEY_NONE UINT32_MAX
/* In a gather row list: emit NULL for this output row. */
#define SQL_ROW_NULL UINT32_MAX

typedef struct sql_keytab sql_keytab;

/* A key table over `num_keys` columns of these types (copied). */
int mdl_sql__keytab_new(mdl_ctx *ctx, const mdl_type *types, size_t num_keys, bool nulls_equal,
                        sql_keytab **out, mdl_error *err);
void mdl_sql__keytab_free(sql_keytab *kt);
/* Distinct keys so far; ids are 0..count-1. */
size_t mdl_sql__keytab_count(const sql_keytab *kt);
/* Bytes the table holds (slots, hashes, stored keys, scratch). */
size_t mdl_sql__keytab_bytes(const sql_keytab *kt);
/*
 * ids[r] for rows 0..n-1 of the key columns `cols` (one per key, types as declared), adding
 * the keys not seen before. Rows with a NULL key get SQL_KEY_NONE unless nulls_equal.
 */
int mdl_sql__keytab_insert(sql_keytab *kt, const mdl_column *const *cols, size_t n, uint32_t *ids,
                           mdl_error *err);
/* Lookup only: ids[r] is the key's id, or SQL_KEY_NONE (absent, or NULL and !nulls_equal). */
int mdl_sql__keytab_find(sql_keytab *kt, const mdl_column *const *cols, size_t n, uint32_t *ids,
                         mdl_error *err);

/* ---- operator-owned growable columns ------------------------------------------------------ */

/* An empty column of `type` with room for `capacity` rows; free with mdl_sql__col_free. */
int mdl_sql__col_init(mdl_ctx *ctx, mdl_column *col, mdl_type type, size_t capacity,
                      mdl_error *err);
void mdl_sql__col_free(mdl_ctx *ctx, mdl_column *col);
/* Room for `rows` rows in total (geometric growth). Only for columns made by col_init. */
int mdl_sql__col_reserve(mdl_ctx *ctx, mdl_column *col, size_t rows, mdl_error *err);
/* Bytes allocated by the column. */
size_t mdl_sql__col_bytes(const mdl_column *col);
/*
 * Appends src rows rows[0..n-1] (rows == NULL: src rows first..first+n-1; a row SQL_ROW_NULL
 * appends NULL) to dst, same type. dst needs room for n more rows (col_reserve, or a batch
 * column created large enough); string bytes grow as needed.
 */
int mdl_sql__col_append_rows(mdl_ctx *ctx, mdl_column *dst, const mdl_column *src,
                             const uint32_t *rows, size_t first, size_t n, mdl_error *err);
/* Appends n NULLs. */
int mdl_sql__col_append_nulls(mdl_ctx *ctx, mdl_column *dst, size_t n, mdl_error *err);

/* "1.2 GiB"-style size for messages. */
void mdl_sql__format_bytes(size_t bytes, char *buf, size_t cap);

#endif /* MDL_SQL_SQL_KEYS_H */
