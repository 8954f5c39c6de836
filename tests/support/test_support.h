/*
 * test_support.h - helpers shared by the cmocka tests: cmocka includes, file loading,
 * reject collection, a canonical text dump of batches for golden comparisons, a counting /
 * failing allocator, reading a whole input with a format reader, and running fixture files.
 */
#ifndef MDL_TEST_SUPPORT_H
#define MDL_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "medallion/medallion.h"

/* Reads a whole file (NUL-terminated); NULL if it does not exist. Free with free(). */
char *mdl_test_read_file(const char *path, size_t *len_out);

/* Rejected rows collected by mdl_test_collect_reject, each as mdl_reject_format's line. */
typedef struct mdl_test_rejects {
    mdl_buf text; /* lines joined with '\n' */
    size_t count;
    int stop_after; /* when > 0, return MDL_ERR_CANCELLED after this many */
} mdl_test_rejects;

void mdl_test_rejects_init(mdl_test_rejects *r, mdl_ctx *ctx);
void mdl_test_rejects_reset(mdl_test_rejects *r);
int mdl_test_collect_reject(void *payload, const mdl_reject *reject);

/* The first reject reported to mdl_test_capture_reject, copied, for checking its fields. */
typedef struct mdl_test_capture {
    int calls; /* rejects reported, the first included */
    uint64_t line, offset;
    long column_index;
    char column[64]; /* "(none)" when the reject has no column */
    char value[257]; /* the value's bytes, NUL-terminated */
    size_t value_len;
    char record[4097]; /* the record's bytes, NUL-terminated */
    size_t record_len;
    int code;
    char reason[512];
} mdl_test_capture;

/* mdl_reject_fn for a zeroed mdl_test_capture payload: keeps the first reject, counts all, and
 * asserts that every value and record stays within its documented bound (256 / 4096 bytes). */
int mdl_test_capture_reject(void *payload, const mdl_reject *reject);

/* Appends "v1|v2|...\n" per row (NULL as \N) to out. */
void mdl_test_dump_batch(const mdl_batch *b, mdl_buf *out);

/* Context with default limits for tests. */
void mdl_test_ctx(mdl_ctx *ctx);

/* ---- a counting, failing allocator --------------------------------------------------------- */

/*
 * What the allocator hooks installed by mdl_test_counting_ctx have seen, and how they fail.
 * For tests that check for leaks (live back at 0), count allocations, or make the library run
 * out of memory at a chosen request.
 */
typedef struct mdl_test_alloc {
    size_t allocs;      /* alloc hook calls, failed ones included */
    size_t reallocs;    /* realloc hook calls, failed ones included */
    size_t frees;       /* free hook calls, free(NULL) included */
    size_t live;        /* blocks currently allocated (realloc of NULL makes one) */
    size_t requests;    /* allocs + reallocs */
    size_t last_size;   /* size of the last alloc/realloc request */
    size_t max_alloc;   /* largest single alloc request (reallocs not counted) */
    long fail_after;    /* >= 0: that many more requests succeed, then all fail; -1: never */
    unsigned char junk; /* fresh alloc blocks are filled with it (0xA5), to catch missing zeroing
                           and reads of memory the library never wrote */
    bool fail;          /* while true every request fails */
} mdl_test_alloc;

/*
 * Initialises ctx with default limits and allocator hooks that count into *a (reset to zero,
 * fail_after -1, junk 0xA5) and allocate with malloc/realloc/free.
 */
void mdl_test_counting_ctx(mdl_ctx *ctx, mdl_test_alloc *a);

/* ---- reading a whole input with a format reader -------------------------------------------- */

/* How to open and drive one reader type; the readers are passed as void pointers. */
typedef struct mdl_test_reader {
    const char *ext; /* file name extension of its fixtures, e.g. ".csv" */
    int (*open)(mdl_ctx *ctx, mdl_input *in, mdl_schema *schema, const void *opts, void **out,
                mdl_error *err);
    mdl_schema *(*schema)(const void *reader);
    int (*next)(void *reader, mdl_batch **out, mdl_error *err);
    void (*stats)(const void *reader, mdl_read_stats *out);
    void (*free)(void *reader);
} mdl_test_reader;

extern const mdl_test_reader mdl_test_csv_reader;  /* opts: const mdl_csv_options * */
extern const mdl_test_reader mdl_test_json_reader; /* opts: const mdl_json_options * */

/* Everything a reader produced when read to the end (or to its first error). */
typedef struct mdl_test_result {
    int rc;                   /* MDL_OK, or the status of the open or next() that failed */
    mdl_error err;            /* the error of that call */
    bool opened;              /* the reader opened (so stats and schema are set) */
    mdl_buf dump;             /* mdl_test_dump_batch of every batch, terminated */
    mdl_test_rejects rejects; /* fed when the options' reject hook is mdl_test_collect_reject
                                 with this as payload; text terminated */
    mdl_read_stats stats;     /* the reader's stats after the last next() */
    mdl_buf schema;           /* the reader's schema, mdl_schema_format text, terminated */
    size_t batches;
    size_t batch_rows[16]; /* rows of the first 16 batches */
} mdl_test_result;

/*
 * Reads data[0..len) named `name` with `reader` to the end and records the outcome in res,
 * which it (re)initialises with ctx; free res with mdl_test_result_free. schema_text NULL
 * opens without a schema (CSV inference); otherwise the parsed schema is released right after
 * the open, so the reader must hold its own reference. Every batch must validate; when the
 * open or a next() fails, the reader must have stored NULL.
 */
void mdl_test_read_memory(mdl_ctx *ctx, const mdl_test_reader *reader, const void *data, size_t len,
                          const char *name, const char *schema_text, const void *opts,
                          mdl_test_result *res);

/* Frees what mdl_test_read_memory / mdl_test_read_fixture put in res. */
void mdl_test_result_free(mdl_test_result *res);

/* The dump of all rows, "" when there is none. */
const char *mdl_test_result_dump(const mdl_test_result *res);

/* The collected reject lines, "" when there are none. */
const char *mdl_test_result_rejects(const mdl_test_result *res);

/*
 * Asserts that the read succeeded, that its rows dump exactly as `rows` and, unless `rejects`
 * is NULL, that its collected reject lines are exactly `rejects`. Failures report the line of
 * the call.
 */
#define mdl_test_expect_rows(res, rows, rejects)                                                   \
    mdl_test_expect_rows_at(res, rows, rejects, __FILE__, __LINE__)
void mdl_test_expect_rows_at(const mdl_test_result *res, const char *rows, const char *rejects,
                             const char *file, int line);

/* Asserts that the read failed with status `rc` and exactly `message`. Failures report the line
 * of the call. */
#define mdl_test_expect_error(res, rc, message)                                                    \
    mdl_test_expect_error_at(res, rc, message, __FILE__, __LINE__)
void mdl_test_expect_error_at(const mdl_test_result *res, int rc, const char *message,
                              const char *file, int line);

/* ---- fixture files (tests/data/<format>/{good,bad}) ---------------------------------------- */

/* Reads DIR/BASE.EXT, a fixture's companion file; NULL when it does not exist, which fails
 * the test when `required`. Free with free(). */
char *mdl_test_sidecar(const char *dir, const char *base, const char *ext, bool required);

/* Removes trailing '\n' and '\r' characters from s, in place. */
void mdl_test_strip_newline(char *s);

/*
 * Calls fn(dir, base, user) for every file BASE<ext> in MDL_TEST_DATA_DIR/subdir, where dir is
 * that full directory path; fails when the directory is missing or holds no such file.
 */
void mdl_test_for_each_file(const char *subdir, const char *ext,
                            void (*fn)(const char *dir, const char *base, void *user), void *user);

/*
 * Reads the fixture DIR/BASE<reader->ext> like mdl_test_read_memory, named by its bare file name
 * so that expected messages hold no paths. opts must send rejects to res->rejects (see
 * mdl_test_result); then every reject counted by the reader must have been collected, and a
 * read that succeeded must have consumed the whole file.
 */
void mdl_test_read_fixture(mdl_ctx *ctx, const mdl_test_reader *reader, const char *dir,
                           const char *base, const char *schema_text, const void *opts,
                           mdl_test_result *res);

/* A check of a fixture's outcome: mdl_test_check_good or mdl_test_check_bad. */
typedef void mdl_test_fixture_check(const char *dir, const char *base, const mdl_test_result *res);

/*
 * Checks a good fixture's outcome: the read succeeded without rejects, its rows are exactly
 * DIR/BASE.out and, when DIR/BASE.inferred exists, the reader's schema is exactly that text.
 */
void mdl_test_check_good(const char *dir, const char *base, const mdl_test_result *res);

/*
 * Checks a bad fixture's outcome against DIR/BASE.expect: either "error=MESSAGE" (the read
 * failed with exactly that message) or a line "rows=N" (N rows converted) followed by the
 * exact reject lines, of which there must be at least one.
 */
void mdl_test_check_bad(const char *dir, const char *base, const mdl_test_result *res);

/**
 * Makes a fresh, empty directory for a Delta table a test writes and puts its path in out
 * (cap >= 256). With the environment variable MDL_TEST_KEEP_TABLES set, the directory is
 * $MDL_TEST_KEEP_TABLES/<program>/<name>-<n> (n makes it unique) and is kept after the test,
 * so that tests/oracle/test_oracle_all_tables.sh can check every table with DuckDB; otherwise
 * it is /tmp/mdl_<name>_XXXXXX. Use it for valid tables only: a table broken on purpose
 * stays in a plain temporary directory. Fails the test when the directory cannot be made.
 */
void mdl_test_table_dir(const char *name, char *out, size_t cap);
/** Deletes a directory made by mdl_test_table_dir, unless MDL_TEST_KEEP_TABLES keeps it. */
void mdl_test_table_dir_done(const char *dir);

#endif
