/*
 * csv_internal.h - what the CSV reader's files share: the reader's state, the tokeniser
 * (csv_tokenizer.c) and schema inference (csv_infer.c). csv_reader.c holds conversion,
 * rejects and the public API. Not installed; nothing outside src/format includes it.
 */
#ifndef MDL_FORMAT_CSV_INTERNAL_H
#define MDL_FORMAT_CSV_INTERNAL_H

#include <string.h>

#include "medallion/format.h"

enum { SPAN_QUOTED = 1, SPAN_ESCAPED = 2 };

/* Bytes allocated after the data: the '\n' sentinel plus room for 8-byte word reads. */
#define CSV_BUF_PAD 16

typedef struct span {
    size_t start;
    size_t len;
    unsigned flags;
} span;

enum { REC_OK, REC_MORE, REC_BAD, REC_ERROR };

typedef struct rec {
    size_t nf;          /* fields found */
    size_t end;         /* buffer offset just past the record and its EOL */
    uint64_t newlines;  /* line breaks consumed, including those inside quotes */
    const char *reason; /* REC_BAD: what is wrong */
} rec;

struct mdl_csv_reader {
    mdl_ctx *ctx;
    mdl_input *in;
    mdl_schema *schema;
    char delim, quote;
    bool header;
    mdl_strview *nulls;
    size_t num_nulls;
    char *null_storage;
    bool null_empty;
    size_t chunk, infer_rows;
    mdl_reject_fn on_reject;
    void *reject_payload;

    char *buf; /* cap + CSV_BUF_PAD bytes: sentinel and padding after the data */
    size_t cap, len, pos;
    bool eof, nonascii, done;
    uint64_t buf_offset; /* input offset of buf[0] */
    uint64_t line;       /* line where the record at pos starts */

    size_t nfields; /* fields per record */
    long *map;      /* file field -> schema column, or -1 to skip */
    span *spans;
    size_t spans_cap;
    mdl_buf scratch;
    mdl_read_stats stats;
    mdl_batch_pool *pool; /* batches are recycled once the caller frees them */
    char reason[320];
};

/* Moves the unconsumed tail to the front and reads at least one chunk more (or to EOF). */
int mdl_format__csv_refill(mdl_csv_reader *r, mdl_error *err);
/* Tokenises the record starting at buffer offset `pos` into r->spans: REC_OK, REC_MORE
 * (needs more input), REC_BAD (malformed; out->end is where reading resumes), REC_ERROR. */
int mdl_format__csv_parse_record(mdl_csv_reader *r, size_t pos, rec *out);
/* A field's value with doubled quotes collapsed (into r->scratch when needed). */
int mdl_format__csv_field_value(mdl_csv_reader *r, const span *sp, const char **v, size_t *len,
                                mdl_error *err);
/* Infers r->schema from the records already buffered, without consuming them. */
int mdl_format__csv_infer_schema(mdl_csv_reader *r, char **names, size_t n, mdl_error *err);

/* True for an unquoted value that is one of the null tokens. */
static inline bool mdl_format__csv_is_null(const mdl_csv_reader *r, const char *v, size_t len)
{
    if (len == 0)
        return r->null_empty;
    for (size_t i = 0; i < r->num_nulls; i++)
        if (r->nulls[i].len == len && memcmp(r->nulls[i].ptr, v, len) == 0)
            return true;
    return false;
}

#endif
