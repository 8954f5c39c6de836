/*
 * codec.c - the public names of Parquet page codecs (mdl_codec), for options and the CLI.
 */
#include "compress.h"
#include "medallion/format.h"

int mdl_codec_parse(const char *name, mdl_codec *out, mdl_error *err)
{
    int codec;
    if (mdl_format__codec_parse(name, &codec) != MDL_OK ||
        (codec != MDL_CODEC_UNCOMPRESSED && codec != MDL_CODEC_SNAPPY && codec != MDL_CODEC_GZIP &&
         codec != MDL_CODEC_ZSTD && codec != MDL_CODEC_LZ4_RAW))
        return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                             "unknown codec '%s' (expected zstd, snappy, gzip, lz4_raw or none)",
                             name);
    *out = (mdl_codec)codec;
    return MDL_OK;
}

const char *mdl_codec_name(mdl_codec codec)
{
    return mdl_format__codec_name((int)codec);
}
