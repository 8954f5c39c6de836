/*
 * thrift_compact.h - the Thrift compact protocol, as much of it as Parquet's metadata uses:
 * a writer that appends to an mdl_buf and a bounds-checked reader over untrusted bytes.
 * Spec: apache/thrift doc/specs/thrift-compact-protocol.md.
 *
 *   field header  = (delta << 4 | type) when 0 < delta <= 15, else type, zigzag-varint i16 id
 *   i16/i32/i64   = zigzag ULEB128 varint          double = 8 bytes little-endian
 *   binary        = varint length, bytes           bool field = type 1 (true) / 2 (false)
 *   list/set      = (size << 4 | elem) when size <= 14, else (0xF0 | elem), varint size
 *   struct        = fields..., stop byte 0x00      (a union is a struct with one field)
 */
#ifndef MDL_FORMAT_THRIFT_COMPACT_H
#define MDL_FORMAT_THRIFT_COMPACT_H

#include "medallion/util.h"

enum {
    TC_STOP = 0,
    TC_TRUE = 1,
    TC_FALSE = 2,
    TC_I8 = 3,
    TC_I16 = 4,
    TC_I32 = 5,
    TC_I64 = 6,
    TC_DOUBLE = 7,
    TC_BINARY = 8,
    TC_LIST = 9,
    TC_SET = 10,
    TC_MAP = 11,
    TC_STRUCT = 12
};

#define TC_MAX_DEPTH 32

/* ---- writing ----------------------------------------------------------------------------- */

/* Writes into `out`. Errors (only out-of-memory / limit) stick in `rc`; check it at the end. */
typedef struct tc_writer {
    mdl_buf *out;
    int rc;
    int depth;
    int16_t last[TC_MAX_DEPTH]; /* last field id per open struct */
} tc_writer;

void mdl_format__tc_writer_init(tc_writer *w, mdl_buf *out);
void mdl_format__tc_struct_begin(tc_writer *w, int16_t id); /* a struct-typed field */
void mdl_format__tc_struct_end(tc_writer *w);
void mdl_format__tc_root_begin(tc_writer *w); /* the outermost struct has no field header */
void mdl_format__tc_i32(tc_writer *w, int16_t id, int32_t v);
void mdl_format__tc_i64(tc_writer *w, int16_t id, int64_t v);
void mdl_format__tc_bool(tc_writer *w, int16_t id, bool v);
void mdl_format__tc_binary(tc_writer *w, int16_t id, const void *data, size_t len);
/* A list field header; then write `n` elements with the tc_elem_* calls. */
void mdl_format__tc_list_begin(tc_writer *w, int16_t id, int elem_type, size_t n);
void mdl_format__tc_elem_i32(tc_writer *w, int32_t v);
void mdl_format__tc_elem_binary(tc_writer *w, const void *data, size_t len);
void mdl_format__tc_elem_struct_begin(tc_writer *w); /* end with tc_struct_end */

/* ---- reading ----------------------------------------------------------------------------- */

typedef struct tc_reader {
    const uint8_t *p, *end;
    int depth;
    int16_t last[TC_MAX_DEPTH];
    const char *what; /* the structure being read, for messages ("FileMetaData") */
} tc_reader;

void mdl_format__tc_reader_init(tc_reader *r, const void *data, size_t len, const char *what);
/* Enters a struct (the root, or a struct field/element just announced). */
int mdl_format__tc_read_struct_begin(tc_reader *r, mdl_error *err);
void mdl_format__tc_read_struct_end(tc_reader *r);
/* Next field of the current struct; *type = TC_STOP at its end. */
int mdl_format__tc_read_field(tc_reader *r, int *type, int16_t *id, mdl_error *err);
int mdl_format__tc_read_i32(tc_reader *r, int type, int32_t *out, mdl_error *err);
int mdl_format__tc_read_i64(tc_reader *r, int type, int64_t *out, mdl_error *err);
int mdl_format__tc_read_bool(tc_reader *r, int type, bool *out, mdl_error *err);
int mdl_format__tc_read_double(tc_reader *r, int type, double *out, mdl_error *err);
/* A view into the input; the length is checked against what remains. */
int mdl_format__tc_read_binary(tc_reader *r, int type, mdl_strview *out, mdl_error *err);
/* List header; the size is checked against the bytes left (each element takes >= 1 byte). */
int mdl_format__tc_read_list(tc_reader *r, int type, int *elem_type, size_t *n, mdl_error *err);
/* List element readers (elements carry no field header). */
int mdl_format__tc_read_elem_i32(tc_reader *r, int elem_type, int32_t *out, mdl_error *err);
int mdl_format__tc_read_elem_binary(tc_reader *r, int elem_type, mdl_strview *out, mdl_error *err);
/* Skips a value of any type (unknown fields), with the depth limit. */
int mdl_format__tc_skip(tc_reader *r, int type, mdl_error *err);
/* Bytes consumed so far. */
size_t mdl_format__tc_offset(const tc_reader *r, const void *start);

#endif
