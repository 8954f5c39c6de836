/*
 * compress.c - Parquet page compression over libzstd, zlib, libsnappy and liblz4.
 * Spec: apache/parquet-format Compression.md (codec table in compress.h).
 *
 * Per Compression.md every codec but the deprecated LZ4 compresses a page's bytes as-is, with
 * no framing: SNAPPY is one raw block, GZIP an RFC 1952 member, ZSTD one frame, LZ4_RAW one
 * LZ4 block. Choices, and why:
 *  - GZIP is written through deflateInit2 with windowBits 15 + 16 and no deflateSetHeader, so
 *    zlib writes the minimal header 1f 8b 08 00 | mtime 00000000 | xfl | OS 03: no name and no
 *    time, so the same page always gives the same bytes. Reading uses windowBits 15 + 32
 *    (gzip or zlib, detected from the header), as Arrow does, so a zlib stream in a GZIP page
 *    is read too, and reads further members after the first, as the spec asks readers to do.
 *  - ZSTD is written as Arrow writes it: the content size in the frame header (libzstd's
 *    default, and what lets a reader refuse a bomb before decompressing) and no checksum
 *    (a page has its own optional CRC). Frames without a content size (streaming writers such
 *    as parquet-java's) are read too, with output capped at dst_len.
 *  - LZ4 (5) is only read. Its framing was never specified; Hadoop's BlockCompressorStream
 *    writes, per block, a big-endian u32 uncompressed size, then chunks of a big-endian u32
 *    compressed size and one LZ4 block each (parquet-java pages are one block of one chunk;
 *    Arrow reads that case). Like Arrow we try the framing and, when it does not account for
 *    every input byte and exactly dst_len output bytes, read one raw LZ4 block instead, which
 *    is what older parquet-cpp wrote under this codec id.
 *  - A page whose compressed and uncompressed sizes are both 0 is accepted for every codec
 *    without calling the library: there is nothing to decompress, so a writer that skipped
 *    compressing an empty section is read rather than refused.
 *
 * Untrusted input: dst_len comes from the page header and the caller has already bounded it
 * and allocated dst. Every decoder is told dst_len as its output capacity, so nothing writes
 * past dst whatever src says; sizes that src declares (zstd frame content sizes, the snappy
 * length preamble, the Hadoop block sizes) are compared with dst_len before decompressing.
 * zlib's and zstd's internal allocations go through the mdl_ctx allocator; snappy and lz4
 * decompression allocate nothing.
 */
#include <limits.h>
#include <string.h>

#define ZSTD_STATIC_LINKING_ONLY /* ZSTD_customMem, ZSTD_create?Ctx_advanced, frame sizes */
#define ZLIB_CONST               /* const next_in */
#include <lz4.h>
#include <lz4hc.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "compress.h"

#define GZIP_WINDOW_BITS 15
#define GZIP_WRITE_GZIP  16 /* added to windowBits: write a gzip wrapper */
#define GZIP_READ_AUTO   32 /* added to windowBits: read gzip or zlib, whichever it is */
#define GZIP_MEM_LEVEL   8  /* zlib's default */
#define ZSTD_DEFAULT     3  /* ZSTD_CLEVEL_DEFAULT */
#define LZ4_ACCEL_MAX    65537

struct mdl_format__compressor {
    mdl_ctx *ctx;
    int codec;
    int level;       /* resolved: what the library is called with */
    ZSTD_CCtx *zstd; /* ZSTD */
    z_stream gz;     /* GZIP, initialised when gz_ready */
    bool gz_ready;
    void *lz4_state; /* LZ4_RAW: LZ4_stream_t, or LZ4_streamHC_t when level > 0 */
};

struct mdl_format__decompressor {
    mdl_ctx *ctx;
    ZSTD_DCtx *zstd; /* made on the first ZSTD page */
    z_stream gz;     /* made on the first GZIP page, when gz_ready */
    bool gz_ready;
};

/* ---- allocator adapters ------------------------------------------------------------------ */

static void *zstd_alloc(void *opaque, size_t size)
{
    return mdl_alloc(opaque, size);
}

static void zstd_free(void *opaque, void *ptr)
{
    mdl_free(opaque, ptr);
}

static ZSTD_customMem zstd_mem(mdl_ctx *ctx)
{
    ZSTD_customMem mem = {zstd_alloc, zstd_free, ctx};
    return mem;
}

static voidpf zlib_alloc(voidpf opaque, uInt items, uInt size)
{
    size_t total;
    if (!mdl_size_mul(items, size, &total))
        return Z_NULL;
    return mdl_alloc(opaque, total);
}

static void zlib_free(voidpf opaque, voidpf ptr)
{
    mdl_free(opaque, ptr);
}

static void zlib_stream_init(z_stream *z, mdl_ctx *ctx)
{
    memset(z, 0, sizeof *z);
    z->zalloc = zlib_alloc;
    z->zfree = zlib_free;
    z->opaque = ctx;
}

static uInt clamp_uint(size_t n)
{
    return n > UINT_MAX ? UINT_MAX : (uInt)n;
}

/* ---- names ------------------------------------------------------------------------------- */

static const char *const CODEC_NAMES[] = {"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO",
                                          "BROTLI",       "LZ4",    "ZSTD", "LZ4_RAW"};

const char *mdl_format__codec_name(int codec)
{
    if (codec < 0 || codec >= (int)(sizeof CODEC_NAMES / sizeof CODEC_NAMES[0]))
        return "UNKNOWN";
    return CODEC_NAMES[codec];
}

int mdl_format__codec_parse(const char *name, int *codec_out)
{
    static const struct {
        const char *name;
        int codec;
    } WRITABLE[] = {
        {"none", MDL_FORMAT__CODEC_UNCOMPRESSED}, {"uncompressed", MDL_FORMAT__CODEC_UNCOMPRESSED},
        {"snappy", MDL_FORMAT__CODEC_SNAPPY},     {"gzip", MDL_FORMAT__CODEC_GZIP},
        {"zstd", MDL_FORMAT__CODEC_ZSTD},         {"lz4_raw", MDL_FORMAT__CODEC_LZ4_RAW},
        {"lz4raw", MDL_FORMAT__CODEC_LZ4_RAW}};
    static const char *const READ_ONLY[] = {"lz4", "lzo", "brotli"};
    if (name == NULL)
        return MDL_ERR_PARSE;
    mdl_strview v = mdl_sv(name);
    for (size_t i = 0; i < sizeof WRITABLE / sizeof WRITABLE[0]; i++) {
        if (mdl_sv_ieq_cstr(v, WRITABLE[i].name)) {
            *codec_out = WRITABLE[i].codec;
            return MDL_OK;
        }
    }
    for (size_t i = 0; i < sizeof READ_ONLY / sizeof READ_ONLY[0]; i++) {
        if (mdl_sv_ieq_cstr(v, READ_ONLY[i]))
            return MDL_ERR_UNSUPPORTED;
    }
    return MDL_ERR_PARSE;
}

/* ---- compression ------------------------------------------------------------------------- */

static int bad_level(mdl_error *err, int codec, int level, const char *allowed)
{
    return mdl_error_set(err, MDL_ERR_INVALID_ARG, "%s compression level %d is not valid (%s)",
                         mdl_format__codec_name(codec), level, allowed);
}

/* Checks `level` for `codec` and sets c->level to what the library will be called with. */
static int resolve_level(mdl_format__compressor *c, int level, mdl_error *err)
{
    switch (c->codec) {
    case MDL_FORMAT__CODEC_UNCOMPRESSED:
    case MDL_FORMAT__CODEC_SNAPPY:
        if (level != 0)
            return bad_level(err, c->codec, level, "it has no levels; use 0");
        c->level = 0;
        return MDL_OK;
    case MDL_FORMAT__CODEC_GZIP:
        if (level < 0 || level > 9)
            return bad_level(err, c->codec, level, "0 for the default, or 1 to 9");
        c->level = level == 0 ? Z_DEFAULT_COMPRESSION : level;
        return MDL_OK;
    case MDL_FORMAT__CODEC_ZSTD:
        if (level < ZSTD_minCLevel() || level > ZSTD_maxCLevel())
            return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                                 "ZSTD compression level %d is not valid (%d to %d; 0 for %d)",
                                 level, ZSTD_minCLevel(), ZSTD_maxCLevel(), ZSTD_DEFAULT);
        c->level = level == 0 ? ZSTD_DEFAULT : level;
        return MDL_OK;
    case MDL_FORMAT__CODEC_LZ4_RAW:
        if (level < -LZ4_ACCEL_MAX || level > LZ4HC_CLEVEL_MAX)
            return bad_level(err, c->codec, level,
                             "0 for the default, -1 to -65537 for faster, 1 to 12 for LZ4 HC");
        c->level = level;
        return MDL_OK;
    default:
        return MDL_ERR_INVALID_ARG; /* not reached: the codec was checked before */
    }
}

/* Makes the library context the codec needs, once. */
static int compressor_setup(mdl_format__compressor *c, mdl_error *err)
{
    mdl_ctx *ctx = c->ctx;
    switch (c->codec) {
    case MDL_FORMAT__CODEC_ZSTD: {
        c->zstd = ZSTD_createCCtx_advanced(zstd_mem(ctx));
        if (c->zstd == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory creating a ZSTD context");
        size_t r = ZSTD_CCtx_setParameter(c->zstd, ZSTD_c_compressionLevel, c->level);
        if (ZSTD_isError(r))
            return mdl_error_set(err, MDL_ERR_INVALID_ARG, "ZSTD level %d: %s", c->level,
                                 ZSTD_getErrorName(r));
        return MDL_OK;
    }
    case MDL_FORMAT__CODEC_GZIP: {
        zlib_stream_init(&c->gz, ctx);
        int zrc = deflateInit2(&c->gz, c->level, Z_DEFLATED, GZIP_WINDOW_BITS + GZIP_WRITE_GZIP,
                               GZIP_MEM_LEVEL, Z_DEFAULT_STRATEGY);
        if (zrc != Z_OK)
            return mdl_error_set(err, zrc == Z_MEM_ERROR ? MDL_ERR_NOMEM : MDL_ERR_INVALID_ARG,
                                 "GZIP: cannot initialise zlib deflate (%s)", zError(zrc));
        c->gz_ready = true;
        return MDL_OK;
    }
    case MDL_FORMAT__CODEC_LZ4_RAW: {
        size_t size = c->level > 0 ? (size_t)LZ4_sizeofStateHC() : (size_t)LZ4_sizeofState();
        c->lz4_state = mdl_alloc(ctx, size);
        if (c->lz4_state == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory creating an LZ4 state");
        return MDL_OK;
    }
    default:
        return MDL_OK;
    }
}

int mdl_format__compressor_new(mdl_ctx *ctx, int codec, int level, mdl_format__compressor **out,
                               mdl_error *err)
{
    *out = NULL;
    switch (codec) {
    case MDL_FORMAT__CODEC_UNCOMPRESSED:
    case MDL_FORMAT__CODEC_SNAPPY:
    case MDL_FORMAT__CODEC_GZIP:
    case MDL_FORMAT__CODEC_ZSTD:
    case MDL_FORMAT__CODEC_LZ4_RAW:
        break;
    case MDL_FORMAT__CODEC_LZ4:
        return mdl_error_set(err, MDL_ERR_UNSUPPORTED,
                             "LZ4 (Hadoop-framed, deprecated) compression is not written; "
                             "use LZ4_RAW");
    case MDL_FORMAT__CODEC_LZO:
    case MDL_FORMAT__CODEC_BROTLI:
        return mdl_error_set(err, MDL_ERR_UNSUPPORTED, "%s compression is not supported",
                             mdl_format__codec_name(codec));
    default:
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "unknown compression codec id %d", codec);
    }
    mdl_format__compressor *c = mdl_calloc(ctx, 1, sizeof *c);
    if (c == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory creating a compressor");
    c->ctx = ctx;
    c->codec = codec;
    int rc = resolve_level(c, level, err);
    if (rc == MDL_OK)
        rc = compressor_setup(c, err);
    if (rc != MDL_OK) {
        mdl_format__compressor_free(c);
        return rc;
    }
    *out = c;
    return MDL_OK;
}

int mdl_format__compressor_codec(const mdl_format__compressor *c)
{
    return c->codec;
}

void mdl_format__compressor_free(mdl_format__compressor *c)
{
    if (c == NULL)
        return;
    ZSTD_freeCCtx(c->zstd);
    if (c->gz_ready)
        deflateEnd(&c->gz);
    mdl_free(c->ctx, c->lz4_state);
    mdl_free(c->ctx, c);
}

static int compress_gzip(mdl_format__compressor *c, const void *src, size_t len, char *dst,
                         size_t cap, size_t *written, mdl_error *err)
{
    z_stream *z = &c->gz;
    int zrc = deflateReset(z);
    if (zrc != Z_OK)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "GZIP: deflateReset failed (%s)",
                             zError(zrc));
    z->next_in = src;
    z->next_out = (Bytef *)dst;
    size_t in_left = len, out_left = cap;
    /* avail_in / avail_out are 32-bit: feed both in pieces; Z_FINISH once all input is in. */
    do {
        uInt in_chunk = clamp_uint(in_left), out_chunk = clamp_uint(out_left);
        z->avail_in = in_chunk;
        z->avail_out = out_chunk;
        zrc = deflate(z, in_chunk == in_left ? Z_FINISH : Z_NO_FLUSH);
        in_left -= in_chunk - z->avail_in;
        out_left -= out_chunk - z->avail_out;
    } while (zrc == Z_OK);
    if (zrc != Z_STREAM_END)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "GZIP: deflate failed (%s)", zError(zrc));
    *written = cap - out_left;
    return MDL_OK;
}

int mdl_format__compress(mdl_format__compressor *c, const void *src, size_t len, mdl_buf *out,
                         mdl_error *err)
{
    const char *name = mdl_format__codec_name(c->codec);
    if (c->codec == MDL_FORMAT__CODEC_UNCOMPRESSED)
        return mdl_buf_append(out, src, len, err);
    if (src == NULL) {
        if (len != 0)
            return mdl_error_set(err, MDL_ERR_INVALID_ARG, "%s: NULL input of %zu bytes", name,
                                 len);
        src = ""; /* the libraries must not see NULL, even for 0 bytes */
    }

    /* Worst-case size, so that each library compresses in one call straight into `out`. */
    size_t bound = 0;
    switch (c->codec) {
    case MDL_FORMAT__CODEC_SNAPPY:
        bound = snappy_max_compressed_length(len);
        break;
    case MDL_FORMAT__CODEC_GZIP:
        /* After a finished gzip stream zlib negates its wrapper flag, and deflateBound then
         * counts a 6-byte zlib wrapper instead of the 18-byte gzip one: reset first. */
        deflateReset(&c->gz);
        bound = deflateBound(&c->gz, len);
        break;
    case MDL_FORMAT__CODEC_ZSTD:
        bound = ZSTD_compressBound(len);
        if (ZSTD_isError(bound))
            bound = 0;
        break;
    case MDL_FORMAT__CODEC_LZ4_RAW:
        bound = len <= LZ4_MAX_INPUT_SIZE ? (size_t)LZ4_compressBound((int)len) : 0;
        break;
    default:
        break;
    }
    if (bound == 0)
        return mdl_error_set(err, MDL_ERR_LIMIT, "%s: a page of %zu bytes is too large", name, len);
    int rc = mdl_buf_reserve(out, bound, err);
    if (rc != MDL_OK)
        return rc;
    char *dst = out->data + out->len;

    size_t n = 0;
    switch (c->codec) {
    case MDL_FORMAT__CODEC_SNAPPY: {
        n = bound;
        snappy_status st = snappy_compress(src, len, dst, &n);
        if (st != SNAPPY_OK)
            return mdl_error_set(err, MDL_ERR_INVALID_ARG, "SNAPPY: compression failed (status %d)",
                                 (int)st);
        break;
    }
    case MDL_FORMAT__CODEC_GZIP:
        rc = compress_gzip(c, src, len, dst, bound, &n, err);
        if (rc != MDL_OK)
            return rc;
        break;
    case MDL_FORMAT__CODEC_ZSTD:
        n = ZSTD_compress2(c->zstd, dst, bound, src, len);
        if (ZSTD_isError(n))
            return mdl_error_set(err,
                                 ZSTD_getErrorCode(n) == ZSTD_error_memory_allocation
                                     ? MDL_ERR_NOMEM
                                     : MDL_ERR_INVALID_ARG,
                                 "ZSTD: compression failed (%s)", ZSTD_getErrorName(n));
        break;
    case MDL_FORMAT__CODEC_LZ4_RAW: {
        int r = c->level > 0 ? LZ4_compress_HC_extStateHC(c->lz4_state, src, dst, (int)len,
                                                          (int)bound, c->level)
                             : LZ4_compress_fast_extState(c->lz4_state, src, dst, (int)len,
                                                          (int)bound, c->level < 0 ? -c->level : 1);
        if (r <= 0)
            return mdl_error_set(err, MDL_ERR_INVALID_ARG, "LZ4_RAW: compression failed");
        n = (size_t)r;
        break;
    }
    default:
        break;
    }
    out->len += n;
    return MDL_OK;
}

/* ---- decompression ----------------------------------------------------------------------- */

int mdl_format__decompressor_new(mdl_ctx *ctx, mdl_format__decompressor **out, mdl_error *err)
{
    *out = NULL;
    mdl_format__decompressor *d = mdl_calloc(ctx, 1, sizeof *d);
    if (d == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory creating a decompressor");
    d->ctx = ctx;
    *out = d;
    return MDL_OK;
}

void mdl_format__decompressor_free(mdl_format__decompressor *d)
{
    if (d == NULL)
        return;
    ZSTD_freeDCtx(d->zstd);
    if (d->gz_ready)
        inflateEnd(&d->gz);
    mdl_free(d->ctx, d);
}

static int wrong_size(mdl_error *err, const char *name, size_t got, size_t want)
{
    return mdl_error_set(err, MDL_ERR_PARSE, "%s: data decompresses to %zu bytes, expected %zu",
                         name, got, want);
}

static int too_long(mdl_error *err, const char *name, size_t want)
{
    return mdl_error_set(err, MDL_ERR_PARSE, "%s: data decompresses to more than %zu bytes", name,
                         want);
}

static int decompress_snappy(const char *src, size_t len, char *dst, size_t dst_len, mdl_error *err)
{
    /* The block starts with its uncompressed length as a varint: check it before anything. */
    size_t declared;
    if (snappy_uncompressed_length(src, len, &declared) != SNAPPY_OK)
        return mdl_error_set(err, MDL_ERR_PARSE, "SNAPPY: corrupt length preamble");
    if (declared != dst_len)
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "SNAPPY: data declares %zu uncompressed bytes, expected %zu", declared,
                             dst_len);
    size_t n = dst_len;
    if (snappy_uncompress(src, len, dst, &n) != SNAPPY_OK)
        return mdl_error_set(err, MDL_ERR_PARSE, "SNAPPY: corrupt or truncated data");
    if (n != dst_len)
        return wrong_size(err, "SNAPPY", n, dst_len);
    return MDL_OK;
}

static int decompress_gzip(mdl_format__decompressor *d, const void *src, size_t len, char *dst,
                           size_t dst_len, mdl_error *err)
{
    z_stream *z = &d->gz;
    int zrc;
    if (!d->gz_ready) {
        zlib_stream_init(z, d->ctx);
        zrc = inflateInit2(z, GZIP_WINDOW_BITS + GZIP_READ_AUTO);
        if (zrc != Z_OK)
            return mdl_error_set(err, zrc == Z_MEM_ERROR ? MDL_ERR_NOMEM : MDL_ERR_INVALID_ARG,
                                 "GZIP: cannot initialise zlib inflate (%s)", zError(zrc));
        d->gz_ready = true;
    } else if ((zrc = inflateReset(z)) != Z_OK) {
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "GZIP: inflateReset failed (%s)",
                             zError(zrc));
    }
    z->next_in = src;
    z->next_out = (Bytef *)dst;
    size_t in_left = len, out_left = dst_len;
    for (;;) {
        uInt in_chunk = clamp_uint(in_left), out_chunk = clamp_uint(out_left);
        z->avail_in = in_chunk;
        z->avail_out = out_chunk;
        zrc = inflate(z, Z_NO_FLUSH);
        in_left -= in_chunk - z->avail_in;
        out_left -= out_chunk - z->avail_out;
        if (zrc == Z_STREAM_END) {
            if (in_left == 0)
                break;
            /* More bytes after a member: the next member (RFC 1952 2.2). */
            if ((zrc = inflateReset(z)) != Z_OK)
                return mdl_error_set(err, MDL_ERR_INVALID_ARG, "GZIP: inflateReset failed (%s)",
                                     zError(zrc));
            continue;
        }
        if (zrc == Z_OK)
            continue; /* progress was made; go on */
        /* Z_BUF_ERROR: no progress possible, for want of input or of room for output. */
        if (zrc == Z_BUF_ERROR && in_left == 0)
            return mdl_error_set(err, MDL_ERR_PARSE, "GZIP: truncated data (%zu of %zu bytes out)",
                                 dst_len - out_left, dst_len);
        if (zrc == Z_BUF_ERROR)
            return too_long(err, "GZIP", dst_len);
        if (zrc == Z_MEM_ERROR)
            return mdl_error_set(err, MDL_ERR_NOMEM, "GZIP: out of memory in zlib inflate");
        return mdl_error_set(err, MDL_ERR_PARSE, "GZIP: corrupt data (%s)",
                             z->msg != NULL ? z->msg : zError(zrc));
    }
    if (out_left != 0)
        return wrong_size(err, "GZIP", dst_len - out_left, dst_len);
    return MDL_OK;
}

static int decompress_zstd(mdl_format__decompressor *d, const void *src, size_t len, void *dst,
                           size_t dst_len, mdl_error *err)
{
    /* Walks every frame header (skippable frames count 0) before any decompression, so a frame
     * that claims more than the page holds is refused without doing the work. */
    unsigned long long declared = ZSTD_findDecompressedSize(src, len);
    if (declared == ZSTD_CONTENTSIZE_ERROR)
        return mdl_error_set(err, MDL_ERR_PARSE, "ZSTD: corrupt or truncated frame");
    if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != dst_len)
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "ZSTD: frames declare %llu uncompressed bytes, expected %zu", declared,
                             dst_len);
    if (d->zstd == NULL) {
        d->zstd = ZSTD_createDCtx_advanced(zstd_mem(d->ctx));
        if (d->zstd == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory creating a ZSTD context");
    }
    /* One-shot: decodes straight into dst, no window buffer however large the frame says its
     * window is, and fails rather than write more than dst_len. */
    size_t n = ZSTD_decompressDCtx(d->zstd, dst, dst_len, src, len);
    if (ZSTD_isError(n)) {
        ZSTD_ErrorCode code = ZSTD_getErrorCode(n);
        if (code == ZSTD_error_memory_allocation)
            return mdl_error_set(err, MDL_ERR_NOMEM, "ZSTD: out of memory");
        if (code == ZSTD_error_dstSize_tooSmall)
            return too_long(err, "ZSTD", dst_len);
        return mdl_error_set(err, MDL_ERR_PARSE, "ZSTD: corrupt data (%s)", ZSTD_getErrorName(n));
    }
    if (n != dst_len)
        return wrong_size(err, "ZSTD", n, dst_len);
    return MDL_OK;
}

static uint32_t load_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/*
 * The Hadoop LZ4 framing (Hadoop BlockCompressorStream + Lz4Compressor), repeated to the end:
 *
 *   block = u32be uncompressed_size, chunk+      (chunks until uncompressed_size bytes are out)
 *   chunk = u32be compressed_size, byte[compressed_size] (one raw LZ4 block)
 *
 * True only when that structure consumes all of src and yields exactly dst_len bytes; dst
 * may have been written either way.
 */
static bool lz4_hadoop(const unsigned char *src, size_t len, char *dst, size_t dst_len)
{
    size_t in = 0, out = 0;
    while (in < len) {
        if (len - in < 4)
            return false;
        uint32_t block_size = load_be32(src + in);
        in += 4;
        if (block_size > dst_len - out)
            return false;
        size_t block_end = out + block_size;
        while (out < block_end) {
            if (len - in < 4)
                return false;
            uint32_t chunk = load_be32(src + in);
            in += 4;
            if (chunk == 0 || chunk > len - in || chunk > INT_MAX || block_end - out > INT_MAX)
                return false;
            int n = LZ4_decompress_safe((const char *)src + in, dst + out, (int)chunk,
                                        (int)(block_end - out));
            if (n < 0)
                return false;
            in += chunk;
            out += (size_t)n;
        }
    }
    return in == len && out == dst_len;
}

static int decompress_lz4(int codec, const void *src, size_t len, char *dst, size_t dst_len,
                          mdl_error *err)
{
    const char *name = mdl_format__codec_name(codec);
    if (dst_len > INT_MAX)
        return mdl_error_set(err, MDL_ERR_LIMIT, "%s: a page of %zu bytes is too large", name,
                             dst_len);
    if (len > INT_MAX)
        return mdl_error_set(err, MDL_ERR_PARSE, "%s: %zu compressed bytes are too many", name,
                             len);
    if (codec == MDL_FORMAT__CODEC_LZ4 && len >= 8 && lz4_hadoop(src, len, dst, dst_len))
        return MDL_OK;
    int n = LZ4_decompress_safe(src, dst, (int)len, (int)dst_len);
    if (n < 0)
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "%s: corrupt or truncated data, or more than %zu bytes of it", name,
                             dst_len);
    if ((size_t)n != dst_len)
        return wrong_size(err, name, (size_t)n, dst_len);
    return MDL_OK;
}

int mdl_format__decompress(mdl_format__decompressor *d, int codec, const void *src, size_t len,
                           void *dst, size_t dst_len, mdl_error *err)
{
    const char *name = mdl_format__codec_name(codec);
    switch (codec) {
    case MDL_FORMAT__CODEC_UNCOMPRESSED:
    case MDL_FORMAT__CODEC_SNAPPY:
    case MDL_FORMAT__CODEC_GZIP:
    case MDL_FORMAT__CODEC_LZ4:
    case MDL_FORMAT__CODEC_ZSTD:
    case MDL_FORMAT__CODEC_LZ4_RAW:
        break;
    case MDL_FORMAT__CODEC_LZO:
    case MDL_FORMAT__CODEC_BROTLI:
        return mdl_error_set(err, MDL_ERR_UNSUPPORTED, "%s compression is not supported (codec %d)",
                             name, codec);
    default:
        return mdl_error_set(err, MDL_ERR_UNSUPPORTED, "unknown compression codec id %d", codec);
    }
    if ((src == NULL && len != 0) || (dst == NULL && dst_len != 0))
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "%s: NULL buffer with a nonzero size", name);
    if (len == 0 && dst_len == 0)
        return MDL_OK; /* an empty section: nothing to decompress (see the file comment) */
    if (len == 0)
        return mdl_error_set(err, MDL_ERR_PARSE, "%s: no compressed data for a %zu-byte page", name,
                             dst_len);
    /* zlib rejects a NULL next_out even for 0 bytes; the other libraries must not see it. */
    unsigned char none;
    if (dst == NULL)
        dst = &none;

    switch (codec) {
    case MDL_FORMAT__CODEC_UNCOMPRESSED:
        if (len != dst_len)
            return mdl_error_set(err, MDL_ERR_PARSE,
                                 "UNCOMPRESSED: page holds %zu bytes, expected %zu", len, dst_len);
        memcpy(dst, src, len);
        return MDL_OK;
    case MDL_FORMAT__CODEC_SNAPPY:
        return decompress_snappy(src, len, dst, dst_len, err);
    case MDL_FORMAT__CODEC_GZIP:
        return decompress_gzip(d, src, len, dst, dst_len, err);
    case MDL_FORMAT__CODEC_ZSTD:
        return decompress_zstd(d, src, len, dst, dst_len, err);
    default: /* LZ4, LZ4_RAW */
        return decompress_lz4(codec, src, len, dst, dst_len, err);
    }
}
