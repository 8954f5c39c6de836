/*
 * test_storage_local.c - the local filesystem storage: round trips, read bounds and limits,
 * stat, prefix listing, remove, key validation, atomic put, put_if_absent (including 8
 * processes racing for the same keys) and streaming outputs that appear only when finished.
 * Each test works in its own mkdtemp directory and checks that nothing leaked.
 */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_support.h"

typedef struct fixture {
    char dir[64];  /* the mkdtemp directory */
    char root[96]; /* the storage root, dir/root (created by the storage) */
    mdl_test_alloc alloc;
    mdl_ctx ctx;
    mdl_storage *s;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/mdl_storage_XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->root, sizeof f->root, "%s/root", f->dir);
    mdl_test_counting_ctx(&f->ctx, &f->alloc);
    mdl_error err;
    assert_int_equal(mdl_storage_open_local(&f->ctx, f->root, &f->s, &err), MDL_OK);
    *state = f;
    return 0;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    fixture *f = *state;
    mdl_storage_release(f->s);
    assert_int_equal(f->alloc.live, 0);
    nftw(f->dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

static void put_str(mdl_storage *s, const char *key, const char *text)
{
    mdl_error err;
    int rc = mdl_storage_put(s, key, text, strlen(text), &err);
    if (rc != MDL_OK)
        fail_msg("put %s: %s", key, err.message);
}

/* Reads the whole object and compares it with `want`. */
static void expect_content(mdl_storage *s, const char *key, const char *want)
{
    mdl_buf buf;
    mdl_error err;
    int rc = mdl_storage_read_all(s, key, 1 << 20, &buf, &err);
    if (rc != MDL_OK)
        fail_msg("read %s: %s", key, err.message);
    assert_int_equal(buf.len, strlen(want));
    assert_memory_equal(buf.data, want, buf.len);
    assert_int_equal(buf.data[buf.len], '\0');
    mdl_buf_reset(&buf);
}

/* Directory entries of root/sub, dot-files included (but not "." and ".."). */
static int raw_count(const fixture *f, const char *sub)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", f->root, sub);
    DIR *d = opendir(path);
    if (d == NULL)
        return -1;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static void write_raw(const fixture *f, const char *rel, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", f->root, rel);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void test_storage_local__round_trip(void **state)
{
    fixture *f = *state;
    mdl_error err;
    assert_string_equal(f->s->root, f->root);
    put_str(f->s, "hello.txt", "hello, world");
    put_str(f->s, "deep/er/still/x.json", "{\"a\":1}");
    assert_int_equal(mdl_storage_put(f->s, "empty", "", 0, &err), MDL_OK);
    expect_content(f->s, "hello.txt", "hello, world");
    expect_content(f->s, "deep/er/still/x.json", "{\"a\":1}");
    expect_content(f->s, "empty", "");

    /* Binary data, NULs included, and a size beyond one read chunk. */
    size_t n = 100000;
    unsigned char *data = malloc(n);
    assert_non_null(data);
    for (size_t i = 0; i < n; i++)
        data[i] = (unsigned char)(i * 7 + (i >> 8));
    assert_int_equal(mdl_storage_put_if_absent(f->s, "bin/blob", data, n, &err), MDL_OK);
    mdl_buf buf;
    assert_int_equal(mdl_storage_read_all(f->s, "bin/blob", n, &buf, &err), MDL_OK);
    assert_int_equal(buf.len, n);
    assert_memory_equal(buf.data, data, n);
    mdl_buf_reset(&buf);
    unsigned char part[1000];
    assert_int_equal(mdl_storage_read_range(f->s, "bin/blob", 54321, sizeof part, part, &err),
                     MDL_OK);
    assert_memory_equal(part, data + 54321, sizeof part);

    /* The same bytes through the random-access input. */
    mdl_rinput *in;
    assert_int_equal(mdl_storage_open_rinput(f->s, "bin/blob", &in, &err), MDL_OK);
    assert_int_equal(in->size, n);
    assert_int_equal(in->read_at(in, n - 10, part, 10, &err), MDL_OK);
    assert_memory_equal(part, data + n - 10, 10);
    mdl_rinput_close(in);
    assert_int_equal(mdl_storage_open_rinput(f->s, "bin/none", &in, &err), MDL_ERR_NOT_FOUND);
    assert_null(in);
    free(data);
}

static void test_storage_local__open_creates_root(void **state)
{
    fixture *f = *state;
    mdl_error err;
    char root[160];
    snprintf(root, sizeof root, "%s/a/b/c///", f->dir);
    mdl_storage *s;
    assert_int_equal(mdl_storage_open_local(&f->ctx, root, &s, &err), MDL_OK);
    root[strlen(root) - 3] = '\0';
    assert_string_equal(s->root, root);
    put_str(s, "k", "v");
    mdl_storage_release(s);
    mdl_storage_release(NULL);

    /* A root that is a file is refused. */
    write_raw(f, "file", "x");
    snprintf(root, sizeof root, "%s/file", f->root);
    assert_int_equal(mdl_storage_open_local(&f->ctx, root, &s, &err), MDL_ERR_IO);
    assert_null(s);
    assert_int_equal(mdl_storage_open_local(&f->ctx, "", &s, &err), MDL_ERR_INVALID_ARG);
}

static void test_storage_local__read_range_bounds(void **state)
{
    fixture *f = *state;
    mdl_error err;
    put_str(f->s, "r", "0123456789");
    char buf[16];
    assert_int_equal(mdl_storage_read_range(f->s, "r", 0, 10, buf, &err), MDL_OK);
    assert_memory_equal(buf, "0123456789", 10);
    assert_int_equal(mdl_storage_read_range(f->s, "r", 7, 3, buf, &err), MDL_OK);
    assert_memory_equal(buf, "789", 3);
    assert_int_equal(mdl_storage_read_range(f->s, "r", 10, 0, buf, &err), MDL_OK);
    assert_int_equal(mdl_storage_read_range(f->s, "r", 8, 3, buf, &err), MDL_ERR_RANGE);
    assert_non_null(strstr(err.message, "r: read of 3 bytes at offset 8 goes past the end"));
    assert_int_equal(mdl_storage_read_range(f->s, "r", 11, 0, buf, &err), MDL_ERR_RANGE);
    assert_int_equal(mdl_storage_read_range(f->s, "r", UINT64_MAX, 1, buf, &err), MDL_ERR_RANGE);
    assert_int_equal(mdl_storage_read_range(f->s, "missing", 0, 1, buf, &err), MDL_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "missing"));
}

static void test_storage_local__read_all_limit(void **state)
{
    fixture *f = *state;
    mdl_error err;
    mdl_buf buf;
    put_str(f->s, "ten", "0123456789");
    assert_int_equal(mdl_storage_read_all(f->s, "ten", 10, &buf, &err), MDL_OK);
    assert_int_equal(buf.len, 10);
    mdl_buf_reset(&buf);
    assert_int_equal(mdl_storage_read_all(f->s, "ten", 9, &buf, &err), MDL_ERR_LIMIT);
    assert_non_null(strstr(err.message, "ten: object is 10 bytes, more than the limit 9"));
    assert_int_equal(buf.len, 0);
    assert_null(buf.data);
    mdl_buf_reset(&buf);
    assert_int_equal(mdl_storage_read_all(f->s, "nope", 100, &buf, &err), MDL_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "nope"));
    /* A directory is not an object. */
    put_str(f->s, "d/x", "1");
    assert_int_equal(mdl_storage_read_all(f->s, "d", 100, &buf, &err), MDL_ERR_NOT_FOUND);
    /* A path through a file is simply absent. */
    assert_int_equal(mdl_storage_read_all(f->s, "ten/x", 100, &buf, &err), MDL_ERR_NOT_FOUND);
    put_str(f->s, "zero", "");
    assert_int_equal(mdl_storage_read_all(f->s, "zero", 0, &buf, &err), MDL_OK);
    assert_int_equal(buf.len, 0);
    mdl_buf_reset(&buf);
}

static void test_storage_local__stat(void **state)
{
    fixture *f = *state;
    mdl_error err;
    put_str(f->s, "dir/obj", "12345");
    mdl_storage_entry e;
    assert_int_equal(mdl_storage_stat(f->s, "dir/obj", &e, &err), MDL_OK);
    assert_null(e.key);
    assert_int_equal(e.size, 5);
    char path[256];
    snprintf(path, sizeof path, "%s/dir/obj", f->root);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(e.mtime_ms,
                     (int64_t)st.st_mtim.tv_sec * 1000 + (int64_t)st.st_mtim.tv_nsec / 1000000);
    assert_int_equal(mdl_storage_stat(f->s, "dir/none", &e, &err), MDL_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "dir/none"));
    assert_non_null(strstr(err.message, "No such file"));
    assert_int_equal(mdl_storage_stat(f->s, "dir", &e, &err), MDL_ERR_NOT_FOUND);
    assert_int_equal(mdl_storage_stat(f->s, "nodir/x", &e, &err), MDL_ERR_NOT_FOUND);
}

/* Lists `prefix` and compares the keys, in order, with the NULL-terminated `want`. */
static void expect_list(fixture *f, const char *prefix, const char *const *want)
{
    mdl_storage_list l;
    mdl_error err;
    int rc = mdl_storage_list_prefix(f->s, prefix, &l, &err);
    if (rc != MDL_OK)
        fail_msg("list '%s': %s", prefix, err.message);
    size_t n = 0;
    while (want[n] != NULL)
        n++;
    for (size_t i = 0; i < l.count && i < n; i++)
        if (strcmp(l.entries[i].key, want[i]) != 0)
            fail_msg("list '%s' [%zu]: got %s, want %s", prefix, i, l.entries[i].key, want[i]);
    assert_int_equal(l.count, n);
    mdl_storage_list_free(&f->ctx, &l);
    assert_null(l.entries);
    assert_int_equal(l.count, 0);
}

static void test_storage_local__list_prefixes(void **state)
{
    fixture *f = *state;
    static const char *const keys[] = {
        "_delta_log/00000000000000000001.json",
        "_delta_log/00000000000000000000.json",
        "_delta_log/00000000000000000010.checkpoint.parquet",
        "_delta_log/_last_checkpoint",
        "date=2024-01-02/x/part-2.parquet",
        "date=2024-01-01/part-1.parquet",
        "part-0.parquet",
        "a",
        "ab/c",
        "B",
        "a-b",
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        put_str(f->s, keys[i], keys[i]);
    /* Temporary files of writers in progress (ours and other tools') are not objects. */
    write_raw(f, "_delta_log/.00000000000000000002.json.123.0.abc.tmp", "partial");
    write_raw(f, ".hidden", "x");
    char path[256];
    snprintf(path, sizeof path, "%s/.dotdir", f->root);
    assert_int_equal(mkdir(path, 0755), 0);
    write_raw(f, ".dotdir/inside", "x");
    snprintf(path, sizeof path, "%s/emptydir", f->root);
    assert_int_equal(mkdir(path, 0755), 0);

    static const char *const all[] = {"B",
                                      "_delta_log/00000000000000000000.json",
                                      "_delta_log/00000000000000000001.json",
                                      "_delta_log/00000000000000000010.checkpoint.parquet",
                                      "_delta_log/_last_checkpoint",
                                      "a",
                                      "a-b",
                                      "ab/c",
                                      "date=2024-01-01/part-1.parquet",
                                      "date=2024-01-02/x/part-2.parquet",
                                      "part-0.parquet",
                                      NULL};
    expect_list(f, "", all);
    expect_list(f, "_delta_log/", (const char *const[]){all[1], all[2], all[3], all[4], NULL});
    expect_list(f, "_delta_log/0000", (const char *const[]){all[1], all[2], all[3], NULL});
    expect_list(f, "_delta_log/00000000000000000001", (const char *const[]){all[2], NULL});
    expect_list(f, "_delta_log/00000000000000000001.json", (const char *const[]){all[2], NULL});
    expect_list(f, "_delta_log", (const char *const[]){all[1], all[2], all[3], all[4], NULL});
    expect_list(f, "date=", (const char *const[]){all[8], all[9], NULL});
    expect_list(f, "date=2024-01-02/", (const char *const[]){all[9], NULL});
    expect_list(f, "date=2024-01-02/x/part", (const char *const[]){all[9], NULL});
    expect_list(f, "a", (const char *const[]){all[5], all[6], all[7], NULL});
    expect_list(f, "ab/", (const char *const[]){all[7], NULL});
    expect_list(f, "nope", (const char *const[]){NULL});
    expect_list(f, "nope/deeper/", (const char *const[]){NULL});
    expect_list(f, "part-0.parquet/", (const char *const[]){NULL});
    expect_list(f, "emptydir/", (const char *const[]){NULL});

    /* Sizes and times come with the keys. */
    mdl_storage_list l;
    mdl_error err;
    assert_int_equal(mdl_storage_list_prefix(f->s, "ab/", &l, &err), MDL_OK);
    assert_int_equal(l.count, 1);
    assert_int_equal(l.entries[0].size, strlen("ab/c"));
    assert_true(l.entries[0].mtime_ms > 0);
    mdl_storage_list_free(&f->ctx, &l);
    mdl_storage_list_free(&f->ctx, NULL);

    /* Prefixes follow the key rules, except that the last name may be partial or empty. */
    static const char *const bad[] = {"/", "/a", "a//", "../", "..", "a/../", ".", "_delta_log/."};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        l.count = 99;
        assert_int_equal(mdl_storage_list_prefix(f->s, bad[i], &l, &err), MDL_ERR_INVALID_ARG);
        assert_int_equal(l.count, 0);
        assert_non_null(strstr(err.message, bad[i]));
    }
}

static void test_storage_local__remove(void **state)
{
    fixture *f = *state;
    mdl_error err;
    mdl_storage_entry e;
    put_str(f->s, "x/y", "1");
    assert_int_equal(mdl_storage_remove(f->s, "x/y", &err), MDL_OK);
    assert_int_equal(mdl_storage_stat(f->s, "x/y", &e, &err), MDL_ERR_NOT_FOUND);
    /* Absent keys, and keys under absent directories, are fine. */
    assert_int_equal(mdl_storage_remove(f->s, "x/y", &err), MDL_OK);
    assert_int_equal(mdl_storage_remove(f->s, "no/such/key", &err), MDL_OK);
    expect_list(f, "", (const char *const[]){NULL});
    /* A directory is not an object and stays. */
    put_str(f->s, "x/z", "1");
    assert_int_equal(mdl_storage_remove(f->s, "x", &err), MDL_ERR_IO);
    assert_non_null(strstr(err.message, "x: cannot remove"));
    expect_content(f->s, "x/z", "1");
}

static void test_storage_local__bad_keys(void **state)
{
    fixture *f = *state;
    char longkey[MDL_STORAGE_KEY_MAX + 2];
    memset(longkey, 'k', sizeof longkey - 1);
    longkey[sizeof longkey - 1] = '\0';
    const char *const bad[] = {
        "",  "/abs",    "a//b",   "../x", "a/../b",           "..",   ".", "a/.", "a/",
        "/", ".hidden", "a/.tmp", "a/..", "../../etc/passwd", longkey};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *key = bad[i];
        mdl_error err;
        mdl_buf buf;
        mdl_storage_entry e;
        mdl_output *out = (mdl_output *)&err;
        mdl_rinput *in = (mdl_rinput *)&err;
        char b[4];
        assert_int_equal(mdl_storage_put(f->s, key, "x", 1, &err), MDL_ERR_INVALID_ARG);
        if (key[0] != '\0' && key != longkey)
            assert_non_null(strstr(err.message, key));
        assert_int_equal(mdl_storage_put_if_absent(f->s, key, "x", 1, &err), MDL_ERR_INVALID_ARG);
        assert_int_equal(mdl_storage_read_all(f->s, key, 10, &buf, &err), MDL_ERR_INVALID_ARG);
        assert_null(buf.data);
        assert_int_equal(mdl_storage_read_range(f->s, key, 0, 1, b, &err), MDL_ERR_INVALID_ARG);
        assert_int_equal(mdl_storage_stat(f->s, key, &e, &err), MDL_ERR_INVALID_ARG);
        assert_int_equal(mdl_storage_remove(f->s, key, &err), MDL_ERR_INVALID_ARG);
        assert_int_equal(mdl_storage_open_output(f->s, key, &out, &err), MDL_ERR_INVALID_ARG);
        assert_null(out);
        assert_int_equal(mdl_storage_open_rinput(f->s, key, &in, &err), MDL_ERR_INVALID_ARG);
        assert_null(in);
    }
    /* Nothing was written anywhere: not in the root, not beside it. */
    assert_int_equal(raw_count(f, ""), 0);
    char path[128];
    snprintf(path, sizeof path, "%s/x", f->dir);
    assert_int_not_equal(access(path, F_OK), 0);
    /* Dots inside a name are fine; so is a key of exactly the maximum length. */
    put_str(f->s, "a..b/c.d..e", "ok");
    expect_content(f->s, "a..b/c.d..e", "ok");
    longkey[MDL_STORAGE_KEY_MAX] = '\0';
    for (size_t i = 200; i < MDL_STORAGE_KEY_MAX; i += 200)
        longkey[i] = '/'; /* keep each name within NAME_MAX */
    put_str(f->s, longkey, "long");
    expect_content(f->s, longkey, "long");
}

static void test_storage_local__put_replaces(void **state)
{
    fixture *f = *state;
    mdl_error err;
    put_str(f->s, "_delta_log/_last_checkpoint", "a much longer first version of the object");
    put_str(f->s, "_delta_log/_last_checkpoint", "v2");
    expect_content(f->s, "_delta_log/_last_checkpoint", "v2");
    for (int i = 0; i < 50; i++) {
        char text[32];
        snprintf(text, sizeof text, "version %d", i);
        put_str(f->s, "_delta_log/_last_checkpoint", text);
        expect_content(f->s, "_delta_log/_last_checkpoint", text);
    }
    /* No temporary file is left behind. */
    assert_int_equal(raw_count(f, "_delta_log"), 1);
    /* A directory in the way is an error naming the key, and stays. */
    put_str(f->s, "dir/x", "1");
    assert_int_equal(mdl_storage_put(f->s, "dir", "x", 1, &err), MDL_ERR_IO);
    assert_non_null(strstr(err.message, "dir: rename into place failed"));
    assert_int_equal(raw_count(f, ""), 2); /* _delta_log and dir, no temporary file */
}

static void test_storage_local__put_if_absent_conflict(void **state)
{
    fixture *f = *state;
    mdl_error err;
    const char *key = "_delta_log/00000000000000000000.json";
    assert_int_equal(mdl_storage_put_if_absent(f->s, key, "first", 5, &err), MDL_OK);
    assert_int_equal(mdl_storage_put_if_absent(f->s, key, "second", 6, &err), MDL_ERR_CONFLICT);
    assert_int_equal(err.code, MDL_ERR_CONFLICT);
    assert_non_null(strstr(err.message, "_delta_log/00000000000000000000.json: already exists"));
    assert_string_equal(mdl_status_str(MDL_ERR_CONFLICT), "conflict");
    expect_content(f->s, key, "first");
    /* An object made by put counts too, and put itself still replaces. */
    put_str(f->s, "p", "1");
    assert_int_equal(mdl_storage_put_if_absent(f->s, "p", "2", 1, &err), MDL_ERR_CONFLICT);
    expect_content(f->s, "p", "1");
    /* Losing leaves no temporary file. */
    assert_int_equal(raw_count(f, "_delta_log"), 1);
    assert_int_equal(raw_count(f, ""), 2);
}

#define RACE_WRITERS 8
#define RACE_KEYS    20

static void race_key(int k, char *key, size_t cap)
{
    snprintf(key, cap, "_delta_log/%020d.json", k);
}

static void race_payload(int w, int k, char *text, size_t cap)
{
    snprintf(text, cap, "{\"commitInfo\":{\"writer\":%d,\"key\":%d}}", w, k);
}

/* One racing process: waits for the start signal, then reports W(on), C(onflict) or E(rror)
 * per key through its pipe. */
static void race_child(mdl_storage *s, int w, int go_fd, int report_fd)
{
    char c;
    while (read(go_fd, &c, 1) < 0 && errno == EINTR)
        ;
    char report[RACE_KEYS];
    for (int k = 0; k < RACE_KEYS; k++) {
        char key[64], text[128];
        race_key(k, key, sizeof key);
        race_payload(w, k, text, sizeof text);
        mdl_error err;
        int rc = mdl_storage_put_if_absent(s, key, text, strlen(text), &err);
        report[k] = rc == MDL_OK ? 'W' : rc == MDL_ERR_CONFLICT ? 'C' : 'E';
    }
    ssize_t n = write(report_fd, report, sizeof report);
    _exit(n == (ssize_t)sizeof report ? 0 : 1);
}

static void test_storage_local__put_if_absent_race(void **state)
{
    fixture *f = *state;
    int go[2];
    assert_int_equal(pipe(go), 0);
    int reports[RACE_WRITERS];
    pid_t pids[RACE_WRITERS];
    for (int w = 0; w < RACE_WRITERS; w++) {
        int p[2];
        assert_int_equal(pipe(p), 0);
        pids[w] = fork();
        assert_true(pids[w] >= 0);
        if (pids[w] == 0) {
            close(go[1]);
            close(p[0]);
            race_child(f->s, w, go[0], p[1]);
        }
        close(p[1]);
        reports[w] = p[0];
    }
    /* Closing the write end releases every child at once. */
    close(go[0]);
    close(go[1]);
    char got[RACE_WRITERS][RACE_KEYS];
    for (int w = 0; w < RACE_WRITERS; w++) {
        int status;
        assert_int_equal(waitpid(pids[w], &status, 0), pids[w]);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        assert_int_equal(read(reports[w], got[w], RACE_KEYS), RACE_KEYS);
        close(reports[w]);
    }
    for (int k = 0; k < RACE_KEYS; k++) {
        int winner = -1;
        for (int w = 0; w < RACE_WRITERS; w++) {
            if (got[w][k] == 'W') {
                if (winner >= 0)
                    fail_msg("key %d: writers %d and %d both won", k, winner, w);
                winner = w;
            } else if (got[w][k] != 'C') {
                fail_msg("key %d: writer %d failed", k, w);
            }
        }
        if (winner < 0)
            fail_msg("key %d: nobody won", k);
        char key[64], text[128];
        race_key(k, key, sizeof key);
        race_payload(winner, k, text, sizeof text);
        expect_content(f->s, key, text);
    }
    /* Exactly the 20 commits, and no temporary file left by a loser. */
    assert_int_equal(raw_count(f, "_delta_log"), RACE_KEYS);
}

static void test_storage_local__output_visible_after_finish(void **state)
{
    fixture *f = *state;
    mdl_error err;
    mdl_storage_entry e;
    mdl_output *out;
    assert_int_equal(mdl_storage_open_output(f->s, "date=2024-01-01/part-0.parquet", &out, &err),
                     MDL_OK);
    assert_int_equal(out->write(out, "PAR1", 4, &err), MDL_OK);
    assert_int_equal(out->write(out, "data", 4, &err), MDL_OK);
    assert_int_equal(mdl_storage_stat(f->s, "date=2024-01-01/part-0.parquet", &e, &err),
                     MDL_ERR_NOT_FOUND);
    expect_list(f, "", (const char *const[]){NULL});
    assert_int_equal(out->finish(out, &err), MDL_OK);
    expect_content(f->s, "date=2024-01-01/part-0.parquet", "PAR1data");
    expect_list(f, "", (const char *const[]){"date=2024-01-01/part-0.parquet", NULL});
    assert_int_equal(raw_count(f, "date=2024-01-01"), 1);

    /* Aborted: never visible, nothing left behind. */
    assert_int_equal(mdl_storage_open_output(f->s, "date=2024-01-01/part-1.parquet", &out, &err),
                     MDL_OK);
    assert_int_equal(out->write(out, "junk", 4, &err), MDL_OK);
    out->abort(out);
    assert_int_equal(mdl_storage_stat(f->s, "date=2024-01-01/part-1.parquet", &e, &err),
                     MDL_ERR_NOT_FOUND);
    assert_int_equal(raw_count(f, "date=2024-01-01"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_storage_local__round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_storage_local__open_creates_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_storage_local__read_range_bounds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_storage_local__read_all_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_storage_local__stat, setup, teardown),
        cmocka_unit_test_setup_teardown(test_storage_local__list_prefixes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_storage_local__remove, setup, teardown),
        cmocka_unit_test_setup_teardown(test_storage_local__bad_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_storage_local__put_replaces, setup, teardown),
        cmocka_unit_test_setup_teardown(test_storage_local__put_if_absent_conflict, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_storage_local__put_if_absent_race, setup, teardown),
        cmocka_unit_test_setup_teardown(test_storage_local__output_visible_after_finish, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
