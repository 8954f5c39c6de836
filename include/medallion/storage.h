/*
 * medallion/storage.h - where tables live: a small object-store vtable (read a range, read
 * whole, stat, put, put-if-absent, list by prefix, remove, streaming write, random-access
 * read) and its local filesystem implementation.
 *
 * The operations are the ones an object store offers, so the same interface fits S3 later
 * (ranged GET, PUT, PUT with If-None-Match: *, ListObjectsV2, DELETE) without change. The
 * Delta log is built on put_if_absent: whoever creates commit N first wins, the others get
 * MDL_ERR_CONFLICT. See docs/storage.md.
 */
#ifndef MEDALLION_STORAGE_H
#define MEDALLION_STORAGE_H

#include <stddef.h>
#include <stdint.h>

#include "medallion/util.h"
#include "medallion/format.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Keys are '/'-separated relative paths under the storage's root, such as
 * "_delta_log/00000000000000000000.json". A key is rejected (MDL_ERR_INVALID_ARG) when it is
 * empty, longer than MDL_STORAGE_KEY_MAX bytes, starts or ends with '/', contains "//", or has
 * a component that starts with '.' (so ".", ".." and hidden names: nothing escapes the root,
 * and dot-names stay free for temporary files).
 */
#define MDL_STORAGE_KEY_MAX 1024

typedef struct mdl_storage mdl_storage;

/** One object. `key` is relative to the root; stat leaves it NULL (the caller has it). */
typedef struct mdl_storage_entry {
    char *key;
    uint64_t size;
    int64_t mtime_ms; /* last modification, Unix milliseconds */
} mdl_storage_entry;

/** The result of list; free with mdl_storage_list_free. */
typedef struct mdl_storage_list {
    mdl_storage_entry *entries;
    size_t count;
} mdl_storage_list;

/**
 * The storage vtable. Implementations keep their state in `private_data`; one storage may be
 * used from several threads and processes at once.
 */
struct mdl_storage {
    /* Reads exactly `len` bytes at `offset`; a range past the end is MDL_ERR_RANGE. */
    int (*read_range)(mdl_storage *s, const char *key, uint64_t offset, size_t len, void *buf,
                      mdl_error *err);
    /* Initialises *out (with the storage's context) and reads the whole object into it, with a
     * NUL after the last byte (not counted). More than `max` bytes is MDL_ERR_LIMIT. On
     * failure *out is empty; either way mdl_buf_reset(out) is the caller's. */
    int (*read_all)(mdl_storage *s, const char *key, size_t max, mdl_buf *out, mdl_error *err);
    /* Size and modification time; MDL_ERR_NOT_FOUND when the object does not exist. */
    int (*stat)(mdl_storage *s, const char *key, mdl_storage_entry *out, mdl_error *err);
    /* Writes the whole object, replacing any old one atomically; durable on return. */
    int (*put)(mdl_storage *s, const char *key, const void *data, size_t len, mdl_error *err);
    /* Creates the object only if the key does not exist (MDL_ERR_CONFLICT otherwise); never
     * overwrites; atomic and durable on return. The Delta commit primitive. */
    int (*put_if_absent)(mdl_storage *s, const char *key, const void *data, size_t len,
                         mdl_error *err);
    /* Every object whose key starts with `prefix` (bytewise; "" is everything), at any depth,
     * sorted by key (bytewise). The prefix may end in the middle of a name. */
    int (*list)(mdl_storage *s, const char *prefix, mdl_storage_list *out, mdl_error *err);
    /* Deletes the object; an absent key is fine. */
    int (*remove)(mdl_storage *s, const char *key, mdl_error *err);
    /* Streams a new object (Parquet data files); it becomes visible, whole, only when the
     * output finishes, never after abort. */
    int (*open_output)(mdl_storage *s, const char *key, mdl_output **out, mdl_error *err);
    /* Random-access reads of an object (the Parquet reader). */
    int (*open_rinput)(mdl_storage *s, const char *key, mdl_rinput **out, mdl_error *err);
    void (*release)(mdl_storage *s);
    const char *root; /* for messages: a path or URL */
    void *private_data;
};

/**
 * A storage over the local directory `root_dir`, created (with its parents) if missing.
 * put and put_if_absent write a temporary file, fsync it, then rename(2) or link(2) it into
 * place and fsync the directory.
 */
MDL_API int mdl_storage_open_local(mdl_ctx *ctx, const char *root_dir, mdl_storage **out,
                                   mdl_error *err);
/** Releases the storage; NULL is fine. Outputs and inputs it opened stay valid. */
MDL_API void mdl_storage_release(mdl_storage *s);
/** Frees the entries of a list and empties it; NULL is fine. */
MDL_API void mdl_storage_list_free(mdl_ctx *ctx, mdl_storage_list *l);

/* ---- call-through helpers ---------------------------------------------------------------- */

static inline int mdl_storage_read_range(mdl_storage *s, const char *key, uint64_t offset,
                                         size_t len, void *buf, mdl_error *err)
{
    return s->read_range(s, key, offset, len, buf, err);
}

static inline int mdl_storage_read_all(mdl_storage *s, const char *key, size_t max, mdl_buf *out,
                                       mdl_error *err)
{
    return s->read_all(s, key, max, out, err);
}

static inline int mdl_storage_stat(mdl_storage *s, const char *key, mdl_storage_entry *out,
                                   mdl_error *err)
{
    return s->stat(s, key, out, err);
}

static inline int mdl_storage_put(mdl_storage *s, const char *key, const void *data, size_t len,
                                  mdl_error *err)
{
    return s->put(s, key, data, len, err);
}

static inline int mdl_storage_put_if_absent(mdl_storage *s, const char *key, const void *data,
                                            size_t len, mdl_error *err)
{
    return s->put_if_absent(s, key, data, len, err);
}

static inline int mdl_storage_list_prefix(mdl_storage *s, const char *prefix, mdl_storage_list *out,
                                          mdl_error *err)
{
    return s->list(s, prefix, out, err);
}

static inline int mdl_storage_remove(mdl_storage *s, const char *key, mdl_error *err)
{
    return s->remove(s, key, err);
}

static inline int mdl_storage_open_output(mdl_storage *s, const char *key, mdl_output **out,
                                          mdl_error *err)
{
    return s->open_output(s, key, out, err);
}

static inline int mdl_storage_open_rinput(mdl_storage *s, const char *key, mdl_rinput **out,
                                          mdl_error *err)
{
    return s->open_rinput(s, key, out, err);
}

#ifdef __cplusplus
}
#endif

#endif /* MEDALLION_STORAGE_H */
