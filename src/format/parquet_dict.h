/*
 * parquet_dict.h - the writer's dictionary: distinct values of a column chunk in insertion
 * order, kept directly in their PLAIN encoding (the dictionary page body), with an
 * open-addressing index for lookups. Built for the hot path of RLE_DICTIONARY encoding.
 */
#ifndef MDL_FORMAT_PARQUET_DICT_H
#define MDL_FORMAT_PARQUET_DICT_H

#include "medallion/util.h"

typedef struct pq_dict {
    mdl_ctx *ctx;
    uint64_t *slots; /* (hash32 << 32) | (index + 1); 0 = empty */
    size_t mask;     /* slot count - 1 */
    size_t count;
    size_t width;      /* bytes per fixed-width value; 0 for byte arrays */
    uint32_t *offsets; /* byte arrays: where each entry's 4-byte length starts in `plain` */
    size_t offsets_cap;
    mdl_buf plain; /* PLAIN encoding of the entries, in id order */
    bool has_last; /* the id found or added last: runs of one value skip the hash */
    uint32_t last;
} pq_dict;

void mdl_format__pq_dict_init(pq_dict *d, mdl_ctx *ctx, size_t width);
/* Forgets every entry, keeps the memory. */
void mdl_format__pq_dict_clear(pq_dict *d);
void mdl_format__pq_dict_free(pq_dict *d);
/*
 * The id of `value` (len bytes; fixed-width dictionaries ignore len), adding it when new.
 * When adding would make the PLAIN body pass `limit` bytes, nothing is added and *full is set.
 */
int mdl_format__pq_dict_find_or_add(pq_dict *d, const void *value, size_t len, size_t limit,
                                    uint32_t *id, bool *full, mdl_error *err);

#endif
