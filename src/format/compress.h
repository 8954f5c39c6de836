/*
 * compress.h - page compression for Parquet: the codecs a column chunk's pages may be
 * compressed with, behind one compressor (writer side) and one decompressor (reader side).
 * Spec: apache/parquet-format Compression.md; codec ids are parquet.thrift CompressionCodec.
 *
 *   id  codec         write  read  a compressed page is
 *   0   UNCOMPRESSED  yes    yes   the bytes as they are
 *   1   SNAPPY        yes    yes   one raw snappy block (no framing)
 *   2   GZIP          yes    yes   RFC 1952 member(s); a zlib (RFC 1950) stream is read too
 *   3   LZO           no     no    (MDL_ERR_UNSUPPORTED)
 *   4   BROTLI        no     no    (MDL_ERR_UNSUPPORTED)
 *   5   LZ4           no     yes   deprecated Hadoop framing, else one raw LZ4 block
 *   6   ZSTD          yes    yes   zstd frame(s), RFC 8878
 *   7   LZ4_RAW       yes    yes   one LZ4 block (lz4 doc/lz4_Block_format.md)
 *
 * Both objects own the libraries' contexts (ZSTD_CCtx, z_stream, LZ4 state), allocated through
 * the mdl_ctx allocator and reused, so compressing or decompressing a page does not allocate
 * apart from growing the output buffer. Neither is thread-safe: use one per thread.
 */
#ifndef MDL_FORMAT_COMPRESS_H
#define MDL_FORMAT_COMPRESS_H

#include "medallion/util.h"

enum {
    MDL_FORMAT__CODEC_UNCOMPRESSED = 0,
    MDL_FORMAT__CODEC_SNAPPY = 1,
    MDL_FORMAT__CODEC_GZIP = 2,
    MDL_FORMAT__CODEC_LZO = 3,
    MDL_FORMAT__CODEC_BROTLI = 4,
    MDL_FORMAT__CODEC_LZ4 = 5,
    MDL_FORMAT__CODEC_ZSTD = 6,
    MDL_FORMAT__CODEC_LZ4_RAW = 7
};

/* ---- compression ------------------------------------------------------------------------- */

typedef struct mdl_format__compressor mdl_format__compressor;

/*
 * A compressor for `codec` (UNCOMPRESSED, SNAPPY, GZIP, ZSTD or LZ4_RAW). `level` 0 is the
 * codec's default; otherwise:
 *   ZSTD     ZSTD_minCLevel() (negative: faster) .. 22; 0 means 3
 *   GZIP     1 .. 9 (zlib levels); 0 means zlib's default, 6
 *   LZ4_RAW  negative -n: LZ4_compress_fast with acceleration n; 1 .. 12: LZ4 HC at that
 *            level (still a plain LZ4 block, readable by every LZ4 decoder)
 *   UNCOMPRESSED, SNAPPY: only 0
 * Other levels are MDL_ERR_INVALID_ARG; LZ4 (Hadoop), LZO and BROTLI are MDL_ERR_UNSUPPORTED.
 */
int mdl_format__compressor_new(mdl_ctx *ctx, int codec, int level, mdl_format__compressor **out,
                               mdl_error *err);

/*
 * Appends the compressed form of src[0..len) to `out`. The output is deterministic: the same
 * input, codec and level give the same bytes (GZIP writes no name and mtime 0 in its header).
 * `out` must be able to grow by the codec's worst-case bound (a little more than `len`),
 * else MDL_ERR_LIMIT; on any failure out->len is unchanged.
 */
int mdl_format__compress(mdl_format__compressor *c, const void *src, size_t len, mdl_buf *out,
                         mdl_error *err);

/* The compressor's codec id. */
int mdl_format__compressor_codec(const mdl_format__compressor *c);

void mdl_format__compressor_free(mdl_format__compressor *c);

/* ---- decompression ----------------------------------------------------------------------- */

typedef struct mdl_format__decompressor mdl_format__decompressor;

/* A decompressor for any supported codec; each codec's context is made on first use. */
int mdl_format__decompressor_new(mdl_ctx *ctx, mdl_format__decompressor **out, mdl_error *err);

/*
 * Decompresses src[0..len), compressed with `codec`, into dst, which must come out exactly
 * `dst_len` bytes: the page header's uncompressed_page_size, checked by the caller against
 * its own limits before it allocated dst. Nothing in src is trusted: output that would be
 * shorter or longer than dst_len, and corrupt or truncated input, are MDL_ERR_PARSE, found
 * before writing past dst (sizes declared inside src are checked against dst_len first).
 * LZO, BROTLI and unknown ids are MDL_ERR_UNSUPPORTED naming the codec. dst may be NULL
 * when dst_len is 0.
 */
int mdl_format__decompress(mdl_format__decompressor *d, int codec, const void *src, size_t len,
                           void *dst, size_t dst_len, mdl_error *err);

void mdl_format__decompressor_free(mdl_format__decompressor *d);

/* ---- names ------------------------------------------------------------------------------- */

/* The parquet.thrift name of a codec id ("ZSTD", "LZ4_RAW"), "UNKNOWN" for any other id. */
const char *mdl_format__codec_name(int codec);

/*
 * Parses a writer's codec setting, case-insensitively: none | uncompressed | snappy | gzip |
 * zstd | lz4_raw | lz4raw. The known codecs that cannot be written (lz4, lzo, brotli) are
 * MDL_ERR_UNSUPPORTED, anything else MDL_ERR_PARSE; *codec_out is set only on MDL_OK.
 */
int mdl_format__codec_parse(const char *name, int *codec_out);

#endif
