/*
 * parquet_schema.h - how medallion's types map to Parquet physical, logical and converted
 * types, in both directions (docs/formats/parquet.md, "Types").
 */
#ifndef MDL_FORMAT_PARQUET_SCHEMA_H
#define MDL_FORMAT_PARQUET_SCHEMA_H

#include "medallion/core.h"
#include "parquet_meta.h"

/* Bytes of a FIXED_LEN_BYTE_ARRAY that hold any unscaled decimal of `precision` digits. */
int32_t mdl_format__pq_decimal_bytes(int precision);

/* The leaf schema element medallion writes for a field (name is a view of field->name). */
void mdl_format__pq_element_for(const mdl_field *field, pq_schema_element *out);

/*
 * The medallion type a Parquet leaf reads as, or MDL_ERR_UNSUPPORTED with a message naming
 * the column and what is unsupported.
 */
int mdl_format__pq_type_for(const pq_schema_element *e, mdl_type *out, mdl_error *err);

#endif
