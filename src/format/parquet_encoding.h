/*
 * parquet_encoding.h - the Parquet value encodings: how a data page's levels and values are
 * laid out once the page is decompressed. Internal to src/format (the Parquet writer and reader
 * use it); not public API. Spec: apache/parquet-format Encodings.md, sections "Plain",
 * "Run Length Encoding / Bit-Packing Hybrid", "Delta Encoding", "Delta-length byte array",
 * "Delta Strings" and "Byte Stream Split".
 *
 *   PLAIN               BOOLEAN  bits, LSB first, ceil(n/8) bytes
 *                       INT32 / INT64 / FLOAT / DOUBLE  4 or 8 bytes little-endian each
 *                       INT96    12 bytes: int64 LE nanoseconds of the day, int32 LE Julian day
 *                       BYTE_ARRAY  per value: 4-byte LE length, then the bytes
 *                       FIXED_LEN_BYTE_ARRAY  the bytes, back to back
 *   RLE/bit-packed      run*; run = varint(count << 1) value[ceil(width/8) bytes, LE]
 *   hybrid (RLE = 3)         | varint(groups << 1 | 1) packed[groups * width bytes]
 *                       (groups of 8 values, packed LSB first; varint = ULEB128)
 *   DELTA_BINARY_PACKED header: varint block size (multiple of 128), varint miniblocks per
 *                       block (block / miniblocks a multiple of 32), varint total count,
 *                       zigzag varint first value; then per block: zigzag varint min delta,
 *                       one bit-width byte per miniblock, the miniblocks bit-packed
 *   DELTA_LENGTH_BYTE_ARRAY   DELTA_BINARY_PACKED lengths, then all bytes concatenated
 *   DELTA_BYTE_ARRAY    DELTA_BINARY_PACKED prefix lengths, then the suffixes as
 *                       DELTA_LENGTH_BYTE_ARRAY
 *   BYTE_STREAM_SPLIT   K streams of N bytes: byte k of value i at k * N + i
 *
 * Decoders read untrusted bytes: every count, length, bit width and varint is checked against
 * the input and the caller's n, and failures are MDL_ERR_PARSE (MDL_ERR_LIMIT when an output
 * buffer would pass its maximum) with a one-line message naming the encoding. `n` is the
 * number of values the caller expects (a page's non-null count); output arrays hold n values.
 * `consumed`, where present, receives the bytes the encoded values took, so the caller can
 * check that a page holds nothing else. Encoders append to an mdl_buf and leave it as it was
 * on failure. Implemented in parquet_encoding.c (bit widths, varints, RLE), parquet_plain.c
 * (PLAIN, INT96, BYTE_STREAM_SPLIT) and parquet_delta.c (the DELTA_* encodings).
 */
#ifndef MDL_FORMAT_PARQUET_ENCODING_H
#define MDL_FORMAT_PARQUET_ENCODING_H

#include <string.h>

#include "medallion/util.h"

/* The widest RLE/bit-packed hybrid value: levels and dictionary indices are 32-bit. */
#define MDL_PQ_RLE_MAX_BIT_WIDTH 32

/* ---- byte helpers shared by the encoding files --------------------------------------------- */

#if defined(__BYTE_ORDER__) && defined(__ORDER_BIG_ENDIAN__) &&                                    \
    __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define MDL_PQ_BIG_ENDIAN 1
#else
#define MDL_PQ_BIG_ENDIAN 0
#endif

/* Little-endian loads and stores through memcpy: any alignment, any host byte order. */
static inline uint64_t mdl_format__pq_load_le64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
#if MDL_PQ_BIG_ENDIAN
    v = __builtin_bswap64(v);
#endif
    return v;
}

static inline uint32_t mdl_format__pq_load_le32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
#if MDL_PQ_BIG_ENDIAN
    v = __builtin_bswap32(v);
#endif
    return v;
}

static inline void mdl_format__pq_store_le64(uint8_t *p, uint64_t v)
{
#if MDL_PQ_BIG_ENDIAN
    v = __builtin_bswap64(v);
#endif
    memcpy(p, &v, 8);
}

static inline void mdl_format__pq_store_le32(uint8_t *p, uint32_t v)
{
#if MDL_PQ_BIG_ENDIAN
    v = __builtin_bswap32(v);
#endif
    memcpy(p, &v, 4);
}

/* The two's-complement value of the bits (a cast of an out-of-range value is
 * implementation-defined; the encodings need exact wrap-around). */
static inline int64_t mdl_format__pq_i64_bits(uint64_t u)
{
    int64_t v;
    memcpy(&v, &u, sizeof v);
    return v;
}

static inline int32_t mdl_format__pq_i32_bits(uint32_t u)
{
    int32_t v;
    memcpy(&v, &u, sizeof v);
    return v;
}

/* Writes v as ULEB128 at p, which has room for 10 bytes; returns the bytes written. */
size_t mdl_format__pq_put_uleb128(uint8_t *p, uint64_t v);

/* Bits needed for values 0..max_value: 0 for 0, 1 for 1, 2 for 2..3, ..., 64. */
int mdl_format__pq_bit_width(uint64_t max_value);

/*
 * Reads a ULEB128 varint of at most 10 bytes at data[*pos] (the 10th may hold only bit 63).
 * Advances *pos and returns true; false when the varint runs past `len` or past 64 bits.
 */
bool mdl_format__pq_read_uleb128(const uint8_t *data, size_t len, size_t *pos, uint64_t *out);

/* After a failed read at `pos`: true when the varint was cut off by the end of the data (every
 * byte from pos on has its continuation bit), false when it was too long. For messages. */
bool mdl_format__pq_uleb128_truncated(const uint8_t *data, size_t len, size_t pos);

/* ---- RLE / bit-packing hybrid -------------------------------------------------------------- */

/*
 * Appends the hybrid encoding of values[0..n) at `bit_width` (0..32) to `out`, without the
 * 4-byte length prefix that some pages put in front (the caller writes it). Runs of 8 or more
 * equal values become RLE runs; everything else is bit-packed in groups of 8, the last group
 * padded with zeros. Runs are split so that no run header counts more than 2^31 - 1 values.
 * MDL_ERR_INVALID_ARG for a bad bit width, MDL_ERR_RANGE when a value needs more bits.
 */
int mdl_format__pq_rle_encode(const uint32_t *values, size_t n, int bit_width, mdl_buf *out,
                              mdl_error *err);

/* Streaming decoder state; read with mdl_format__pq_rle_get. Fields are private. */
typedef struct mdl_format__pq_rle_decoder {
    const uint8_t *data;
    size_t len;
    size_t pos;     /* next byte to read: a run header or packed bytes */
    int bit_width;  /* checked by the first mdl_format__pq_rle_get */
    size_t decoded; /* values returned so far, for messages */
    uint32_t rle_value;
    uint64_t rle_left; /* values left in the current RLE run */
    uint64_t lit_left; /* values left in the current bit-packed run, not yet unpacked */
    uint32_t group[8]; /* one unpacked group, when a call ended inside it */
    unsigned group_pos, group_len;
} mdl_format__pq_rle_decoder;

/* Starts decoding data[0..len) at `bit_width`; the bytes must outlive the decoder. */
void mdl_format__pq_rle_init(mdl_format__pq_rle_decoder *dec, const uint8_t *data, size_t len,
                             int bit_width);

/*
 * Decodes exactly the next n values into out[0..n), or fails: bit width above 32, a varint
 * that is truncated or over 32 bits, a run of length 0 or over 2^31 - 1 values, an RLE value
 * that does not fit the bit width, or data that ends before n values. A bit-packed run may
 * hold more values than are read (the padding of its last group), and the final run may end
 * early as long as the values actually read are all present (as other readers accept).
 * After a failure the decoder must not be used again.
 */
int mdl_format__pq_rle_get(mdl_format__pq_rle_decoder *dec, uint32_t *out, size_t n,
                           mdl_error *err);

/* ---- PLAIN --------------------------------------------------------------------------------- */

/* Booleans from one byte each (non-zero is true), packed LSB first. */
int mdl_format__pq_plain_encode_bool(const uint8_t *values, size_t n, mdl_buf *out, mdl_error *err);
int mdl_format__pq_plain_encode_i32(const int32_t *values, size_t n, mdl_buf *out, mdl_error *err);
int mdl_format__pq_plain_encode_i64(const int64_t *values, size_t n, mdl_buf *out, mdl_error *err);
int mdl_format__pq_plain_encode_double(const double *values, size_t n, mdl_buf *out,
                                       mdl_error *err);
/*
 * Value i is data[offsets[i] .. offsets[i + 1]) (a STRING column's layout; offsets has n + 1
 * entries). MDL_ERR_INVALID_ARG for decreasing or negative offsets, MDL_ERR_RANGE for a value
 * longer than 2^31 - 1 bytes.
 */
int mdl_format__pq_plain_encode_bytes(const int64_t *offsets, const char *data, size_t n,
                                      mdl_buf *out, mdl_error *err);
/* n values of `width` bytes each, back to back. */
int mdl_format__pq_plain_encode_fixed(const void *values, size_t n, size_t width, mdl_buf *out,
                                      mdl_error *err);

/*
 * Each decoder reads n values from data[0..len) into `out` and sets *consumed to the bytes
 * read; MDL_ERR_PARSE when len is too short. Types of `out`: bool uint8_t[n] (0 or 1),
 * i32 int32_t[n], i64 int64_t[n], float float[n], double double[n], i96 int64_t[n]
 * (microseconds since the epoch, see mdl_format__pq_int96_to_micros; MDL_ERR_RANGE when a
 * value does not fit), fixed uint8_t[n * width] (width >= 1).
 */
int mdl_format__pq_plain_decode_bool(const uint8_t *data, size_t len, size_t n, void *out,
                                     size_t *consumed, mdl_error *err);
int mdl_format__pq_plain_decode_i32(const uint8_t *data, size_t len, size_t n, void *out,
                                    size_t *consumed, mdl_error *err);
int mdl_format__pq_plain_decode_i64(const uint8_t *data, size_t len, size_t n, void *out,
                                    size_t *consumed, mdl_error *err);
int mdl_format__pq_plain_decode_i96(const uint8_t *data, size_t len, size_t n, void *out,
                                    size_t *consumed, mdl_error *err);
int mdl_format__pq_plain_decode_float(const uint8_t *data, size_t len, size_t n, void *out,
                                      size_t *consumed, mdl_error *err);
int mdl_format__pq_plain_decode_double(const uint8_t *data, size_t len, size_t n, void *out,
                                       size_t *consumed, mdl_error *err);
int mdl_format__pq_plain_decode_fixed(const uint8_t *data, size_t len, size_t n, size_t width,
                                      void *out, size_t *consumed, mdl_error *err);
/*
 * BYTE_ARRAY values as views into `data` (no copies). Each 4-byte length is checked: at most
 * 2^31 - 1 (readers treat it as a signed int32) and no longer than the bytes that remain.
 */
int mdl_format__pq_plain_decode_bytes(const uint8_t *data, size_t len, size_t n, mdl_strview *out,
                                      size_t *consumed, mdl_error *err);

/*
 * An INT96 timestamp (as Impala, Hive and old Spark write them) in microseconds since
 * 1970-01-01T00:00:00Z:
 *     micros = (julian_day - 2440588) * 86400000000 + nanos_of_day / 1000
 * where nanos_of_day is the int64 LE in bytes 0..7, julian_day the int32 LE in bytes 8..11
 * (Julian day 2440588 is 1970-01-01) and the division truncates toward zero: nanoseconds are
 * dropped, not rounded, exactly as Spark and DuckDB read INT96 (for the valid range
 * 0 <= nanos_of_day < 86400e9 that is also the floor, so times before 1970 come out right).
 * The arithmetic wraps modulo 2^64 when the result does not fit an int64 (|days| beyond about
 * 106 million); mdl_format__pq_plain_decode_i96 reports those as MDL_ERR_RANGE instead.
 */
int64_t mdl_format__pq_int96_to_micros(const uint8_t b[12]);

/* ---- BYTE_STREAM_SPLIT --------------------------------------------------------------------- */

/*
 * Decodes n values of `width` bytes (4 for FLOAT/INT32, 8 for DOUBLE/INT64, the type length
 * for FIXED_LEN_BYTE_ARRAY) into out[0 .. n * width). The streams have no framing, so `len`
 * must be exactly n * width.
 */
int mdl_format__pq_bss_decode(const uint8_t *data, size_t len, size_t n, size_t width, void *out,
                              mdl_error *err);
/* Appends the n * width bytes of values[0 .. n * width) split into `width` streams. */
int mdl_format__pq_bss_encode(const void *values, size_t n, size_t width, mdl_buf *out,
                              mdl_error *err);

/* ---- DELTA_BINARY_PACKED (parquet_delta.c) ------------------------------------------------- */

/*
 * Decodes a DELTA_BINARY_PACKED stream whose header must announce exactly n values. Blocks,
 * miniblocks and their bit widths are validated (block size a positive multiple of 128 below
 * 2^32, miniblock count dividing it into multiples of 32, bit widths <= 64 for the miniblocks
 * that are read; the widths of unused trailing miniblocks are ignored, as the spec requires).
 * The last miniblock read must be present in full (the spec pads it). Arithmetic wraps modulo
 * 2^64, or 2^32 for _i32, whose first value must fit an INT32; deltas and min deltas may be
 * wider (some writers compute INT32 deltas in 64 bits) since the result is the same modulo
 * 2^32. An empty input is accepted for n == 0. *consumed is the stream's length.
 */
int mdl_format__pq_delta_decode_i64(const uint8_t *data, size_t len, size_t n, int64_t *out,
                                    size_t *consumed, mdl_error *err);
int mdl_format__pq_delta_decode_i32(const uint8_t *data, size_t len, size_t n, int32_t *out,
                                    size_t *consumed, mdl_error *err);

/*
 * Appends values[0..n) as DELTA_BINARY_PACKED with blocks of 128 values in 4 miniblocks of 32
 * (what parquet-java and Arrow write). Unused miniblocks of the last block get bit width 0
 * and no body.
 */
int mdl_format__pq_delta_encode_i64(const int64_t *values, size_t n, mdl_buf *out, mdl_error *err);
int mdl_format__pq_delta_encode_i32(const int32_t *values, size_t n, mdl_buf *out, mdl_error *err);

/* ---- DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY (parquet_delta.c) ------------------------ */

/*
 * Both decode n byte arrays by appending their bytes to `data` (whose maximum bounds the
 * output: MDL_ERR_LIMIT) and filling offsets[0..n]: value i is the appended bytes
 * offsets[i] .. offsets[i + 1], counted from data->len on entry (so offsets[0] = 0). Lengths
 * must be >= 0 and fit in what remains; for DELTA_BYTE_ARRAY each prefix length must be at
 * most the previous value's length (0 for the first value). *consumed is the bytes read.
 * On failure `data` keeps its length on entry and `offsets` is unspecified.
 * DELTA_BYTE_ARRAY needs n * 4 bytes of scratch, allocated through data->ctx.
 */
int mdl_format__pq_delta_length_decode(const uint8_t *src, size_t len, size_t n, mdl_buf *data,
                                       int64_t *offsets, size_t *consumed, mdl_error *err);
int mdl_format__pq_delta_bytes_decode(const uint8_t *src, size_t len, size_t n, mdl_buf *data,
                                      int64_t *offsets, size_t *consumed, mdl_error *err);

#endif
