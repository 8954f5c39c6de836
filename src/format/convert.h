/*
 * convert.h - text to typed column values, shared by the CSV and JSON-lines readers so
 * both accept exactly the same spellings (see docs/formats/csv.md "Values").
 */
#ifndef MDL_FORMAT_CONVERT_H
#define MDL_FORMAT_CONVERT_H

#include "medallion/core.h"

/*
 * Converts `s` to the column's type and appends it. On a value that does not convert,
 * returns MDL_ERR_PARSE / MDL_ERR_RANGE and sets *reason to a static phrase that follows
 * the quoted value ("is not a date"); the column is unchanged. Non-string values may have
 * surrounding spaces. Strings are UTF-8 checked unless `utf8_known_valid`.
 * Other failures (memory) return their status through `err`.
 */
int mdl_format__append_text(mdl_ctx *ctx, mdl_column *col, const char *s, size_t len,
                            bool utf8_known_valid, const char **reason, mdl_error *err);

/* True when `s` converts to `type` (used by schema inference). */
bool mdl_format__text_fits(mdl_type type, const char *s, size_t len);

/* Boolean spellings: true/false, t/f, yes/no, y/n, 1/0 (any case). */
int mdl_format__parse_bool(const char *s, size_t len, uint8_t *out);
int mdl_format__parse_i64(const char *s, size_t len, int64_t *out);
int mdl_format__parse_double(const char *s, size_t len, double *out);

#endif
