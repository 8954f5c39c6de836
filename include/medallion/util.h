/*
 * medallion/util.h - the foundation every other module stands on.
 *
 * Status codes and caller-owned errors, the context (allocator, limits, log hook),
 * overflow-checked size arithmetic, growable bounded buffers, string views, a hash
 * table, exact decimals, ISO-8601 dates and timestamps, and UUIDs.
 * Nothing here prints, exits or keeps global state.
 */
#ifndef MEDALLION_UTIL_H
#define MEDALLION_UTIL_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(MDL_BUILDING_LIBRARY)
#define MDL_API __attribute__((visibility("default")))
#else
#define MDL_API
#endif

#if defined(__GNUC__)
#define MDL_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define MDL_NODISCARD         __attribute__((warn_unused_result))
#else
#define MDL_PRINTF(fmt, args)
#define MDL_NODISCARD
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- version ----------------------------------------------------------------------------- */

/** The library version, "X.Y.Z". */
MDL_API const char *mdl_version(void);
/** The build id (git commit, or "unknown"). */
MDL_API const char *mdl_build_id(void);

/* ---- status and errors ------------------------------------------------------------------- */

/** Every fallible function returns one of these; MDL_OK is 0. The set is closed. */
typedef enum mdl_status {
    MDL_OK = 0,
    MDL_ERR_NOMEM,       /* an allocation failed */
    MDL_ERR_INVALID_ARG, /* the caller broke the API contract */
    MDL_ERR_IO,          /* the operating system refused a read or write */
    MDL_ERR_PARSE,       /* input data is malformed */
    MDL_ERR_RANGE,       /* a value does not fit its type */
    MDL_ERR_LIMIT,       /* input exceeded a configured limit (field size, depth, ...) */
    MDL_ERR_NOT_FOUND,   /* a named thing (file, column, key) does not exist */
    MDL_ERR_UNSUPPORTED, /* valid input that this version does not handle */
    MDL_ERR_CANCELLED,   /* a callback asked to stop */
    MDL_ERR_SCHEMA,      /* data does not match the expected schema */
    MDL_ERR_CONFLICT,    /* a conditional write lost: the object already exists */
    MDL_ERR_QUALITY      /* data failed an error-severity quality check: nothing was published */
} mdl_status;

/** A short lowercase name for a status ("parse error"). Never NULL. */
MDL_API const char *mdl_status_str(int status);

#define MDL_ERROR_MESSAGE_SIZE 512

/**
 * Caller-owned error detail. Functions take it as their last parameter; it may be NULL.
 * On failure `code` is the returned status and `message` one line with the facts.
 */
typedef struct mdl_error {
    int code;
    char message[MDL_ERROR_MESSAGE_SIZE];
} mdl_error;

/** Fills `err` (if not NULL) and returns `code`, so callers can `return mdl_error_set(...)`. */
MDL_API int mdl_error_set(mdl_error *err, int code, const char *fmt, ...) MDL_PRINTF(3, 4);
MDL_API int mdl_error_setv(mdl_error *err, int code, const char *fmt, va_list ap) MDL_PRINTF(3, 0);
/** Prefixes the existing message with more context ("file.csv: " + old message). */
MDL_API int mdl_error_prefix(mdl_error *err, const char *fmt, ...) MDL_PRINTF(2, 3);
MDL_API void mdl_error_clear(mdl_error *err);

/* ---- context ----------------------------------------------------------------------------- */

/** Allocator hooks. `realloc` and `free` must accept pointers returned by `alloc`. */
typedef struct mdl_allocator {
    void *(*alloc)(void *user, size_t size);
    void *(*realloc)(void *user, void *ptr, size_t size);
    void (*free)(void *user, void *ptr);
    void *user;
} mdl_allocator;

/** Bounds on everything read from outside. Defaults come from mdl_ctx_init. */
typedef struct mdl_limits {
    size_t max_field_bytes;  /* one CSV field or JSON value, bytes (default 16 MiB) */
    size_t max_record_bytes; /* one CSV record or JSON line, bytes (default 64 MiB) */
    size_t max_json_depth;   /* nesting depth of a JSON document (default 64) */
    size_t batch_rows;       /* rows per record batch (default 65536) */
    /* Working memory of one blocking SQL operator (sort, window, top-1 per key) before it
     * spills to temporary files or, where it cannot spill, fails with MDL_ERR_LIMIT
     * (default 512 MiB). Operators take an explicit budget too; 0 there means this. */
    size_t operator_memory_bytes;
} mdl_limits;

typedef enum mdl_log_level {
    MDL_LOG_DEBUG = 0,
    MDL_LOG_INFO,
    MDL_LOG_WARN,
    MDL_LOG_ERROR
} mdl_log_level;

typedef void (*mdl_log_fn)(void *user, mdl_log_level level, const char *message);

/**
 * The explicit context: allocator, limits and log hook. Caller-owned and long-lived;
 * every object created with a context keeps a pointer to it. Safe to share between
 * threads once initialised (only the UUID v7 state changes, atomically).
 */
typedef struct mdl_ctx {
    mdl_allocator allocator;
    mdl_limits limits;
    mdl_log_fn log;
    void *log_user;
    mdl_log_level log_level;
    _Atomic uint64_t uuid_v7_state; /* (unix ms << 12) | counter, for monotonic v7 ids */
} mdl_ctx;

/** Defaults: the C allocator, the default limits, no log hook. */
MDL_API void mdl_ctx_init(mdl_ctx *ctx);

MDL_API void *mdl_alloc(mdl_ctx *ctx, size_t size);
MDL_API void *mdl_calloc(mdl_ctx *ctx, size_t count, size_t size);
MDL_API void *mdl_realloc(mdl_ctx *ctx, void *ptr, size_t size);
MDL_API void mdl_free(mdl_ctx *ctx, void *ptr);
/** A copy of `len` bytes plus a terminating NUL. */
MDL_API char *mdl_strndup(mdl_ctx *ctx, const char *s, size_t len);
MDL_API char *mdl_strdup(mdl_ctx *ctx, const char *s);

/** Sends a formatted line to the log hook when `level` passes the context's threshold. */
MDL_API void mdl_log(mdl_ctx *ctx, mdl_log_level level, const char *fmt, ...) MDL_PRINTF(3, 4);

/* ---- overflow-checked size arithmetic ---------------------------------------------------- */

/** *out = a + b; false (and *out untouched) on overflow. */
static inline bool mdl_size_add(size_t a, size_t b, size_t *out)
{
    size_t r;
    if (__builtin_add_overflow(a, b, &r))
        return false;
    *out = r;
    return true;
}

/** *out = a * b; false (and *out untouched) on overflow. */
static inline bool mdl_size_mul(size_t a, size_t b, size_t *out)
{
    size_t r;
    if (__builtin_mul_overflow(a, b, &r))
        return false;
    *out = r;
    return true;
}

/* ---- string views ------------------------------------------------------------------------ */

/** A borrowed, not necessarily NUL-terminated, run of bytes. */
typedef struct mdl_strview {
    const char *ptr;
    size_t len;
} mdl_strview;

MDL_API mdl_strview mdl_sv(const char *cstr);
static inline mdl_strview mdl_sv_make(const char *ptr, size_t len)
{
    mdl_strview v = {ptr, len};
    return v;
}
MDL_API bool mdl_sv_eq(mdl_strview a, mdl_strview b);
MDL_API bool mdl_sv_eq_cstr(mdl_strview a, const char *b);
MDL_API bool mdl_sv_ieq_cstr(mdl_strview a, const char *b);
/** Without leading and trailing ASCII spaces and tabs. */
MDL_API mdl_strview mdl_sv_trim(mdl_strview v);

/** True when the bytes are valid UTF-8 (no overlongs, no surrogates, at most U+10FFFF). */
MDL_API bool mdl_utf8_valid(const char *s, size_t len);

/* ---- growable buffers with a maximum size ------------------------------------------------ */

/** A byte buffer that grows on demand but never beyond `max` bytes (MDL_ERR_LIMIT). */
typedef struct mdl_buf {
    mdl_ctx *ctx;
    char *data;
    size_t len;
    size_t cap;
    size_t max;
} mdl_buf;

MDL_API void mdl_buf_init(mdl_buf *buf, mdl_ctx *ctx, size_t max);
MDL_API void mdl_buf_reset(mdl_buf *buf);
/** Makes room for `extra` more bytes beyond `len`. */
MDL_API int mdl_buf_reserve(mdl_buf *buf, size_t extra, mdl_error *err);
MDL_API int mdl_buf_append(mdl_buf *buf, const void *data, size_t len, mdl_error *err);
MDL_API int mdl_buf_append_str(mdl_buf *buf, const char *s, mdl_error *err);
MDL_API int mdl_buf_printf(mdl_buf *buf, mdl_error *err, const char *fmt, ...) MDL_PRINTF(3, 4);
/** Keeps a NUL after the last byte without counting it in `len`. */
MDL_API int mdl_buf_terminate(mdl_buf *buf, mdl_error *err);

/* ---- hashing and a hash table ------------------------------------------------------------ */

/** 64-bit hash of bytes (XXH3). */
MDL_API uint64_t mdl_hash_bytes(const void *data, size_t len);

/**
 * Open-addressing hash table from byte-string keys to 64-bit values. Keys are copied
 * into the table's own arena, so callers may reuse their key buffers.
 */
typedef struct mdl_hashmap mdl_hashmap;

MDL_API int mdl_hashmap_new(mdl_ctx *ctx, size_t expected, mdl_hashmap **out, mdl_error *err);
MDL_API void mdl_hashmap_free(mdl_hashmap *map);
MDL_API size_t mdl_hashmap_count(const mdl_hashmap *map);
/** Sets key -> value, replacing an existing value. */
MDL_API int mdl_hashmap_put(mdl_hashmap *map, mdl_strview key, uint64_t value, mdl_error *err);
/**
 * Finds `key`; if absent inserts it with `value`. *existing_out is true when it was present,
 * and *value_out holds the stored value either way. The basis for dictionary encoding.
 */
MDL_API int mdl_hashmap_get_or_put(mdl_hashmap *map, mdl_strview key, uint64_t value,
                                   uint64_t *value_out, bool *existing_out, mdl_error *err);
MDL_API bool mdl_hashmap_get(const mdl_hashmap *map, mdl_strview key, uint64_t *value_out);
MDL_API bool mdl_hashmap_remove(mdl_hashmap *map, mdl_strview key);
/** Iteration: start with *pos = 0; returns false after the last entry. */
MDL_API bool mdl_hashmap_next(const mdl_hashmap *map, size_t *pos, mdl_strview *key_out,
                              uint64_t *value_out);

/* ---- exact decimals ---------------------------------------------------------------------- */

#if defined(__SIZEOF_INT128__)
__extension__ typedef __int128 mdl_i128;
#else
#error "medallion needs a compiler with 128-bit integers (gcc or clang)"
#endif

#define MDL_DECIMAL_MAX_PRECISION 38

/**
 * Parses a decimal literal ("-12.345", "+1e3", ".5") into an unscaled integer of
 * `scale` fractional digits without going through floating point. Extra fractional
 * digits are rounded half away from zero (as DuckDB and Spark CAST do). Fails with
 * MDL_ERR_PARSE on bad syntax and MDL_ERR_RANGE when the value needs more than
 * `precision` digits. 1 <= precision <= 38, 0 <= scale <= precision.
 */
MDL_API int mdl_decimal_parse(const char *s, size_t len, int precision, int scale, mdl_i128 *out);
/** Writes the decimal with `scale` fractional digits; returns the length (< 48). */
MDL_API size_t mdl_decimal_format(mdl_i128 unscaled, int scale, char *buf, size_t cap);
/** 10^n for 0 <= n <= 38. */
MDL_API mdl_i128 mdl_decimal_pow10(int n);

/* ---- dates and timestamps ---------------------------------------------------------------- */

/** Days since 1970-01-01 of a proleptic Gregorian date (no validation). */
MDL_API int32_t mdl_days_from_civil(int64_t year, unsigned month, unsigned day);
MDL_API void mdl_civil_from_days(int32_t days, int64_t *year, unsigned *month, unsigned *day);

/** Parses "YYYY-MM-DD" (years 0001-9999) into days since the epoch. */
MDL_API int mdl_date_parse(const char *s, size_t len, int32_t *days_out);
/**
 * Parses ISO-8601 / RFC 3339 timestamps into UTC microseconds since the epoch:
 * "YYYY-MM-DD", then optionally 'T', 't' or ' ' and "HH:MM[:SS[.fraction]]" (1-9 fraction
 * digits after '.' or ','), then optionally
 * 'Z', "+hh:mm", "+hhmm" or "+hh" (either sign; only after a time). Without an offset
 * the time is taken as UTC. Fraction digits beyond microseconds are truncated.
 */
MDL_API int mdl_timestamp_parse(const char *s, size_t len, int64_t *micros_out);
/** "YYYY-MM-DD"; returns the length. `cap` must be at least 16. */
MDL_API size_t mdl_date_format(int32_t days, char *buf, size_t cap);
/**
 * "YYYY-MM-DDTHH:MM:SS[.fff|.ffffff]Z": no fraction when whole seconds, milliseconds when
 * exact, else microseconds. Returns the length. `cap` must be at least 40.
 */
MDL_API size_t mdl_timestamp_format(int64_t micros, char *buf, size_t cap);
/** Current UTC time in microseconds. */
MDL_API int64_t mdl_now_micros(void);

/* ---- UUIDs ------------------------------------------------------------------------------- */

typedef struct mdl_uuid {
    uint8_t bytes[16];
} mdl_uuid;

/** Random UUID (RFC 9562 version 4) from the OS random source. */
MDL_API int mdl_uuid_v4(mdl_uuid *out, mdl_error *err);
/**
 * Time-ordered UUID (RFC 9562 version 7): 48-bit Unix milliseconds, then a 12-bit counter
 * kept in the context, so ids made through one context sort in creation order.
 */
MDL_API int mdl_uuid_v7(mdl_ctx *ctx, mdl_uuid *out, mdl_error *err);
/** Canonical lowercase 8-4-4-4-12 form plus NUL (37 bytes). */
MDL_API void mdl_uuid_format(const mdl_uuid *uuid, char out[37]);
MDL_API int mdl_uuid_parse(const char *s, size_t len, mdl_uuid *out);

/**
 * Levenshtein distance between two names, for "did you mean" suggestions; names longer
 * than 64 bytes count as 64 apart.
 */
MDL_API size_t mdl_edit_distance(const char *a, const char *b);
/**
 * The closest of `names` to `word` when it is close enough to be a likely typo (distance at
 * most 2, and less than half of word's length), else NULL.
 */
MDL_API const char *mdl_closest_name(const char *word, const char *const *names, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* MEDALLION_UTIL_H */
