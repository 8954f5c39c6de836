/*
 * storage_local.c - the mdl_storage vtable over a local directory.
 *
 * Keys map to files under the root. Whole-object writes go to a hidden temporary file in the
 * target's directory, which is fsync'd and then renamed (put) or hard-linked (put_if_absent)
 * into place, and the directory is fsync'd: readers see the old object or the new one, never
 * a part, and a returned put survives a crash. link(2) fails with EEXIST instead of replacing
 * the target, which makes it the atomic "create if absent" the Delta log commits with.
 * Temporary files start with '.', keys may not, so list never shows one.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "medallion/storage.h"

/* Directory levels list descends below its starting directory; tables use a handful. */
#define LIST_MAX_DEPTH 64

typedef struct local_storage {
    mdl_storage base;
    mdl_ctx *ctx;
    char *root;               /* without a trailing '/' */
    _Atomic uint64_t tmp_seq; /* makes temporary names unique between threads */
} local_storage;

/* ---- keys and paths ---------------------------------------------------------------------- */

static int bad_key(mdl_error *err, const char *what, const char *key, const char *why)
{
    return mdl_error_set(err, MDL_ERR_INVALID_ARG, "invalid storage %s '%.*s': %s", what, 300, key,
                         why);
}

/*
 * Checks a key, or (is_prefix) a list prefix, whose last component may be partial or empty.
 * Components may not be empty (no leading '/', no "//") nor start with '.': that rules out
 * "." and "..", so no key leaves the root, and keeps dot-names for temporary files. A NUL
 * cannot occur inside a C string, so the key is always all of what the caller meant.
 */
static int check_key(const char *key, bool is_prefix, mdl_error *err)
{
    const char *what = is_prefix ? "prefix" : "key";
    if (key == NULL)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "storage %s is NULL", what);
    size_t len = strlen(key);
    if (len == 0 && !is_prefix)
        return bad_key(err, what, key, "empty");
    if (len > MDL_STORAGE_KEY_MAX)
        return bad_key(err, what, key, "longer than 1024 bytes");
    const char *p = key;
    for (;;) {
        const char *slash = strchr(p, '/');
        bool last = slash == NULL;
        size_t n = last ? strlen(p) : (size_t)(slash - p);
        if (n == 0 && !(last && is_prefix))
            return bad_key(err, what, key,
                           "empty path component (leading, trailing or double '/')");
        if (n > 0 && p[0] == '.')
            return bad_key(err, what, key, "a path component starts with '.'");
        if (last)
            return MDL_OK;
        p = slash + 1;
    }
}

/* root + '/' + key, or NULL (and MDL_ERR_NOMEM in err). */
static char *key_path(local_storage *ls, const char *key, mdl_error *err)
{
    size_t rlen = strlen(ls->root), klen = strlen(key), size;
    char *path = NULL;
    if (mdl_size_add(rlen, klen, &size) && mdl_size_add(size, 2, &size))
        path = mdl_alloc(ls->ctx, size);
    if (path == NULL) {
        mdl_error_set(err, MDL_ERR_NOMEM, "out of memory for the path of '%s'", key);
        return NULL;
    }
    memcpy(path, ls->root, rlen);
    path[rlen] = '/';
    memcpy(path + rlen + 1, key, klen + 1);
    return path;
}

static int os_error(mdl_error *err, int code, const char *path, const char *what, int e)
{
    return mdl_error_set(err, code, "%s: %s: %s", path, what, strerror(e));
}

/*
 * Creates the directories of `path` after offset `from`: every parent of the last component,
 * and the last one too when `include_last`. EEXIST is fine, since concurrent writers create
 * the same parents.
 */
static int make_dirs(char *path, size_t from, bool include_last, mdl_error *err)
{
    size_t len = strlen(path);
    for (size_t i = from; i <= len; i++) {
        if (i < len && path[i] != '/')
            continue;
        if (i == len && !include_last)
            break;
        if (i == 0)
            continue; /* the '/' of an absolute path */
        char saved = path[i];
        path[i] = '\0';
        int rc = mkdir(path, 0755) == 0 || errno == EEXIST
                     ? MDL_OK
                     : os_error(err, MDL_ERR_IO, path, "cannot create directory", errno);
        path[i] = saved;
        if (rc != MDL_OK)
            return rc;
    }
    return MDL_OK;
}

/* Checks the key, builds its path and, for writes, creates the parent directories. */
static int prepare(local_storage *ls, const char *key, bool for_write, char **path_out,
                   mdl_error *err)
{
    *path_out = NULL;
    int rc = check_key(key, false, err);
    if (rc != MDL_OK)
        return rc;
    char *path = key_path(ls, key, err);
    if (path == NULL)
        return MDL_ERR_NOMEM;
    if (for_write) {
        rc = make_dirs(path, strlen(ls->root) + 1, false, err);
        if (rc != MDL_OK) {
            mdl_free(ls->ctx, path);
            return rc;
        }
    }
    *path_out = path;
    return MDL_OK;
}

/* fsync of the directory makes a rename, link or create in it durable. */
static int sync_parent(const char *path, mdl_error *err)
{
    const char *slash = strrchr(path, '/');
    char dir[4096];
    size_t n = slash == NULL ? 0 : (size_t)(slash - path);
    if (n >= sizeof dir)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "%s: path too long", path);
    if (n == 0) {
        dir[0] = slash == NULL ? '.' : '/';
        dir[1] = '\0';
    } else {
        memcpy(dir, path, n);
        dir[n] = '\0';
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return os_error(err, MDL_ERR_IO, path, "cannot open its directory", errno);
    int rc = fsync(dfd) == 0 ? MDL_OK
                             : os_error(err, MDL_ERR_IO, path, "fsync of directory failed", errno);
    close(dfd);
    return rc;
}

/* ---- whole-object writes ----------------------------------------------------------------- */

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static uint64_t random_u64(void)
{
    uint64_t r = 0;
    if (getrandom(&r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
        /* Only a tie-breaker after pid and counter: the clock will do. */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        r = (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15u ^ (uint64_t)ts.tv_sec;
    }
    return r;
}

/*
 * Writes data to a new hidden file beside `path` and fsyncs it. The name holds the pid and a
 * counter (unique among live writers) and a random part (unique against a file left behind
 * by a crashed process whose pid came back); O_EXCL guarantees it anyway.
 */
static int write_temp(local_storage *ls, const char *path, const void *data, size_t len,
                      char **tmp_out, mdl_error *err)
{
    *tmp_out = NULL;
    const char *slash = strrchr(path, '/');
    size_t dirlen = (size_t)(slash - path) + 1;
    size_t size;
    if (!mdl_size_add(strlen(path), 96, &size))
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "%s: path too long", path);
    char *tmp = mdl_alloc(ls->ctx, size);
    if (tmp == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory writing %s", path);
    int fd = -1, rc = MDL_OK;
    bool created = false;
    for (int attempt = 0; fd < 0; attempt++) {
        uint64_t seq = atomic_fetch_add(&ls->tmp_seq, 1);
        snprintf(tmp, size, "%.*s.%s.%ld.%llu.%016llx.tmp", (int)dirlen, path, slash + 1,
                 (long)getpid(), (unsigned long long)seq, (unsigned long long)random_u64());
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0 && (errno != EEXIST || attempt >= 8)) {
            rc = os_error(err, MDL_ERR_IO, path, "cannot create a temporary file", errno);
            goto cleanup;
        }
    }
    created = true;
    if (write_all(fd, data, len) != 0) {
        rc = os_error(err, MDL_ERR_IO, path, "write failed", errno);
        goto cleanup;
    }
    if (fsync(fd) != 0) {
        rc = os_error(err, MDL_ERR_IO, path, "fsync failed", errno);
        goto cleanup;
    }
    int closed = close(fd);
    fd = -1;
    if (closed != 0) {
        rc = os_error(err, MDL_ERR_IO, path, "close failed", errno);
        goto cleanup;
    }
    *tmp_out = tmp;
    tmp = NULL;
cleanup:
    if (fd >= 0)
        close(fd);
    if (created && rc != MDL_OK)
        unlink(tmp);
    mdl_free(ls->ctx, tmp);
    return rc;
}

static int local_put(mdl_storage *s, const char *key, const void *data, size_t len, mdl_error *err)
{
    local_storage *ls = s->private_data;
    char *path = NULL, *tmp = NULL;
    int rc = prepare(ls, key, true, &path, err);
    if (rc != MDL_OK)
        goto cleanup;
    rc = write_temp(ls, path, data, len, &tmp, err);
    if (rc != MDL_OK)
        goto cleanup;
    /* rename(2) replaces the target atomically: readers see the old or the new object. */
    if (rename(tmp, path) != 0) {
        rc = os_error(err, MDL_ERR_IO, path, "rename into place failed", errno);
        goto cleanup;
    }
    mdl_free(ls->ctx, tmp);
    tmp = NULL;
    rc = sync_parent(path, err);
cleanup:
    if (tmp != NULL)
        unlink(tmp);
    mdl_free(ls->ctx, tmp);
    mdl_free(ls->ctx, path);
    return rc;
}

static int local_put_if_absent(mdl_storage *s, const char *key, const void *data, size_t len,
                               mdl_error *err)
{
    local_storage *ls = s->private_data;
    char *path = NULL, *tmp = NULL;
    int rc = prepare(ls, key, true, &path, err);
    if (rc != MDL_OK)
        goto cleanup;
    rc = write_temp(ls, path, data, len, &tmp, err);
    if (rc != MDL_OK)
        goto cleanup;
    /*
     * link(2) creates the name atomically or fails with EEXIST; unlike rename it never
     * replaces an existing target, so of several writers exactly one wins. The data was
     * fsync'd first, so the winner's object is complete the moment it has a name.
     */
    if (link(tmp, path) != 0) {
        int e = errno;
        rc = e == EEXIST ? mdl_error_set(err, MDL_ERR_CONFLICT, "%s: already exists", path)
                         : os_error(err, MDL_ERR_IO, path, "link into place failed", e);
        goto cleanup;
    }
    unlink(tmp);
    mdl_free(ls->ctx, tmp);
    tmp = NULL;
    rc = sync_parent(path, err);
cleanup:
    if (tmp != NULL)
        unlink(tmp);
    mdl_free(ls->ctx, tmp);
    mdl_free(ls->ctx, path);
    return rc;
}

/* ---- reads ------------------------------------------------------------------------------- */

/* Opens an object for reading; a missing file, or a directory, is MDL_ERR_NOT_FOUND. */
static int open_object(const char *path, int *fd_out, struct stat *st, mdl_error *err)
{
    *fd_out = -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        return os_error(err, e == ENOENT || e == ENOTDIR ? MDL_ERR_NOT_FOUND : MDL_ERR_IO, path,
                        "cannot open", e);
    }
    if (fstat(fd, st) != 0) {
        int e = errno;
        close(fd);
        return os_error(err, MDL_ERR_IO, path, "cannot stat", e);
    }
    if (!S_ISREG(st->st_mode)) {
        close(fd);
        return mdl_error_set(err, MDL_ERR_NOT_FOUND, "%s: not found (not a regular file)", path);
    }
    *fd_out = fd;
    return MDL_OK;
}

static int local_read_range(mdl_storage *s, const char *key, uint64_t offset, size_t len, void *buf,
                            mdl_error *err)
{
    local_storage *ls = s->private_data;
    char *path = NULL;
    int fd = -1;
    struct stat st;
    int rc = prepare(ls, key, false, &path, err);
    if (rc != MDL_OK)
        goto cleanup;
    rc = open_object(path, &fd, &st, err);
    if (rc != MDL_OK)
        goto cleanup;
    uint64_t size = (uint64_t)st.st_size;
    if (offset > size || len > size - offset) {
        rc = mdl_error_set(err, MDL_ERR_RANGE,
                           "%s: read of %zu bytes at offset %llu goes past the end (%llu bytes)",
                           path, len, (unsigned long long)offset, (unsigned long long)size);
        goto cleanup;
    }
    char *p = buf;
    while (len > 0) {
        ssize_t n = pread(fd, p, len, (off_t)offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = os_error(err, MDL_ERR_IO, path, "read failed", errno);
            goto cleanup;
        }
        if (n == 0) {
            rc = mdl_error_set(err, MDL_ERR_RANGE, "%s: object shrank while reading", path);
            goto cleanup;
        }
        p += n;
        len -= (size_t)n;
        offset += (uint64_t)n;
    }
cleanup:
    if (fd >= 0)
        close(fd);
    mdl_free(ls->ctx, path);
    return rc;
}

static int local_read_all(mdl_storage *s, const char *key, size_t max, mdl_buf *out, mdl_error *err)
{
    local_storage *ls = s->private_data;
    /* One more than max for the terminating NUL; mdl_buf takes 0 as "no maximum". */
    mdl_buf_init(out, ls->ctx, max < SIZE_MAX ? max + 1 : max);
    char *path = NULL;
    int fd = -1;
    struct stat st;
    int rc = prepare(ls, key, false, &path, err);
    if (rc != MDL_OK)
        goto cleanup;
    rc = open_object(path, &fd, &st, err);
    if (rc != MDL_OK)
        goto cleanup;
    if ((uint64_t)st.st_size > max) {
        rc = mdl_error_set(err, MDL_ERR_LIMIT, "%s: object is %llu bytes, more than the limit %zu",
                           path, (unsigned long long)st.st_size, max);
        goto cleanup;
    }
    rc = mdl_buf_reserve(out, (size_t)st.st_size + 1, err);
    if (rc != MDL_OK)
        goto cleanup;
    /* Read to the end rather than st_size bytes: the size is only a hint for the buffer. */
    for (;;) {
        char chunk[8192];
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = os_error(err, MDL_ERR_IO, path, "read failed", errno);
            goto cleanup;
        }
        if (n == 0)
            break;
        if ((size_t)n > max - out->len) {
            rc = mdl_error_set(err, MDL_ERR_LIMIT, "%s: object grew past the limit %zu", path, max);
            goto cleanup;
        }
        rc = mdl_buf_append(out, chunk, (size_t)n, err);
        if (rc != MDL_OK)
            goto cleanup;
    }
    rc = mdl_buf_terminate(out, err);
cleanup:
    if (rc != MDL_OK)
        mdl_buf_reset(out);
    if (fd >= 0)
        close(fd);
    mdl_free(ls->ctx, path);
    return rc;
}

static int64_t mtime_ms(const struct stat *st)
{
    return (int64_t)st->st_mtim.tv_sec * 1000 + (int64_t)st->st_mtim.tv_nsec / 1000000;
}

static int local_stat(mdl_storage *s, const char *key, mdl_storage_entry *out, mdl_error *err)
{
    local_storage *ls = s->private_data;
    memset(out, 0, sizeof *out);
    char *path = NULL;
    struct stat st;
    int rc = prepare(ls, key, false, &path, err);
    if (rc != MDL_OK)
        goto cleanup;
    if (stat(path, &st) != 0) {
        int e = errno;
        rc = os_error(err, e == ENOENT || e == ENOTDIR ? MDL_ERR_NOT_FOUND : MDL_ERR_IO, path,
                      "cannot stat", e);
        goto cleanup;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = mdl_error_set(err, MDL_ERR_NOT_FOUND, "%s: not found (not a regular file)", path);
        goto cleanup;
    }
    out->size = (uint64_t)st.st_size;
    out->mtime_ms = mtime_ms(&st);
cleanup:
    mdl_free(ls->ctx, path);
    return rc;
}

/* ---- list -------------------------------------------------------------------------------- */

typedef struct list_acc {
    mdl_ctx *ctx;
    mdl_storage_entry *entries;
    size_t count, cap;
} list_acc;

static int list_add(list_acc *acc, const mdl_buf *rel, const char *name, const struct stat *st,
                    mdl_error *err)
{
    if (acc->count == acc->cap) {
        size_t cap = acc->cap ? acc->cap * 2 : 64, bytes;
        if (!mdl_size_mul(cap, sizeof *acc->entries, &bytes))
            return mdl_error_set(err, MDL_ERR_LIMIT, "storage list: too many objects");
        mdl_storage_entry *e = mdl_realloc(acc->ctx, acc->entries, bytes);
        if (e == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory listing objects");
        acc->entries = e;
        acc->cap = cap;
    }
    size_t nlen = strlen(name);
    char *key = mdl_alloc(acc->ctx, rel->len + nlen + 1);
    if (key == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory listing objects");
    if (rel->len)
        memcpy(key, rel->data, rel->len);
    memcpy(key + rel->len, name, nlen + 1);
    mdl_storage_entry *e = &acc->entries[acc->count++];
    e->key = key;
    e->size = (uint64_t)st->st_size;
    e->mtime_ms = mtime_ms(st);
    return MDL_OK;
}

/*
 * Adds every regular file below the directory `dfd` (which it takes over) whose name starts
 * with `match` (NULL: all), recursing into matching directories. `rel` holds the directory's
 * key prefix ("" or ending in '/'). Dot-names are skipped: they are temporary files, ours or
 * other tools'. Entries that vanish meanwhile (a concurrent remove) are skipped too.
 */
static int walk(list_acc *acc, int dfd, mdl_buf *rel, const char *match, int depth,
                const char *root, mdl_error *err)
{
    DIR *d = fdopendir(dfd);
    if (d == NULL) {
        int e = errno;
        close(dfd);
        return mdl_error_set(err, MDL_ERR_IO, "%s/%.*s: cannot read directory: %s", root,
                             (int)rel->len, rel->data ? rel->data : "", strerror(e));
    }
    size_t mlen = match ? strlen(match) : 0;
    int rc = MDL_OK;
    for (;;) {
        errno = 0;
        struct dirent *de = readdir(d);
        if (de == NULL) {
            if (errno != 0)
                rc = mdl_error_set(err, MDL_ERR_IO, "%s/%.*s: cannot read directory: %s", root,
                                   (int)rel->len, rel->data ? rel->data : "", strerror(errno));
            break;
        }
        const char *name = de->d_name;
        if (name[0] == '.' || strncmp(name, match ? match : "", mlen) != 0)
            continue;
        struct stat st;
        if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno == ENOENT)
                continue;
            rc = mdl_error_set(err, MDL_ERR_IO, "%s/%.*s%s: cannot stat: %s", root, (int)rel->len,
                               rel->data ? rel->data : "", name, strerror(errno));
            break;
        }
        if (S_ISREG(st.st_mode)) {
            rc = list_add(acc, rel, name, &st, err);
        } else if (S_ISDIR(st.st_mode)) {
            if (depth >= LIST_MAX_DEPTH) {
                rc = mdl_error_set(err, MDL_ERR_LIMIT, "%s/%.*s: directories nested deeper than %d",
                                   root, (int)rel->len, rel->data ? rel->data : "", LIST_MAX_DEPTH);
                break;
            }
            int sub = openat(dirfd(d), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub < 0) {
                if (errno == ENOENT)
                    continue;
                rc =
                    mdl_error_set(err, MDL_ERR_IO, "%s/%.*s%s: cannot open directory: %s", root,
                                  (int)rel->len, rel->data ? rel->data : "", name, strerror(errno));
                break;
            }
            size_t saved = rel->len;
            rc = mdl_buf_append_str(rel, name, err);
            if (rc == MDL_OK)
                rc = mdl_buf_append(rel, "/", 1, err);
            if (rc == MDL_OK)
                rc = walk(acc, sub, rel, NULL, depth + 1, root, err);
            else
                close(sub);
            rel->len = saved;
        }
        /* Symlinks, sockets and the like are not objects. */
        if (rc != MDL_OK)
            break;
    }
    closedir(d);
    return rc;
}

static int compare_entries(const void *a, const void *b)
{
    /* strcmp compares as unsigned char: bytewise, like S3's listing order. */
    return strcmp(((const mdl_storage_entry *)a)->key, ((const mdl_storage_entry *)b)->key);
}

static int local_list(mdl_storage *s, const char *prefix, mdl_storage_list *out, mdl_error *err)
{
    local_storage *ls = s->private_data;
    out->entries = NULL;
    out->count = 0;
    list_acc acc = {.ctx = ls->ctx};
    mdl_buf rel;
    mdl_buf_init(&rel, ls->ctx, 0);
    char *dir = NULL;
    int rc = check_key(prefix, true, err);
    if (rc != MDL_OK)
        goto cleanup;
    /* The prefix is a directory part ("a/b/") and a name part that may be partial ("c"). */
    const char *slash = strrchr(prefix, '/');
    size_t dlen = slash ? (size_t)(slash - prefix) + 1 : 0;
    rc = mdl_buf_append(&rel, prefix, dlen, err);
    if (rc != MDL_OK)
        goto cleanup;
    dir = key_path(ls, dlen ? prefix : ".", err);
    if (dir == NULL) {
        rc = MDL_ERR_NOMEM;
        goto cleanup;
    }
    if (dlen)
        dir[strlen(ls->root) + dlen] = '\0'; /* root + "/" + the directory part, minus its '/' */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        /* No such directory: nothing has that prefix, which is not an error. */
        if (errno != ENOENT && errno != ENOTDIR)
            rc = os_error(err, MDL_ERR_IO, dir, "cannot open directory", errno);
        goto cleanup;
    }
    rc = walk(&acc, dfd, &rel, prefix + dlen, 0, ls->root, err);
    if (rc != MDL_OK)
        goto cleanup;
    if (acc.count > 1)
        qsort(acc.entries, acc.count, sizeof *acc.entries, compare_entries);
    out->entries = acc.entries;
    out->count = acc.count;
    acc.entries = NULL;
    acc.count = 0;
cleanup:
    for (size_t i = 0; i < acc.count; i++)
        mdl_free(ls->ctx, acc.entries[i].key);
    mdl_free(ls->ctx, acc.entries);
    mdl_buf_reset(&rel);
    mdl_free(ls->ctx, dir);
    return rc;
}

void mdl_storage_list_free(mdl_ctx *ctx, mdl_storage_list *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->count; i++)
        mdl_free(ctx, l->entries[i].key);
    mdl_free(ctx, l->entries);
    l->entries = NULL;
    l->count = 0;
}

/* ---- remove, streams, lifetime ----------------------------------------------------------- */

/*
 * Empty directories are left behind: removing them would race with a concurrent put that has
 * just created them as parents. The unlink is not fsync'd; a removal lost in a crash leaves
 * an unreferenced file that the next vacuum removes again.
 */
static int local_remove(mdl_storage *s, const char *key, mdl_error *err)
{
    local_storage *ls = s->private_data;
    char *path = NULL;
    int rc = prepare(ls, key, false, &path, err);
    if (rc == MDL_OK && unlink(path) != 0 && errno != ENOENT && errno != ENOTDIR)
        rc = os_error(err, MDL_ERR_IO, path, "cannot remove", errno);
    mdl_free(ls->ctx, path);
    return rc;
}

static int local_open_output(mdl_storage *s, const char *key, mdl_output **out, mdl_error *err)
{
    local_storage *ls = s->private_data;
    *out = NULL;
    char *path = NULL;
    int rc = prepare(ls, key, true, &path, err);
    /* The file output already writes a hidden temporary file and renames it on finish. */
    if (rc == MDL_OK)
        rc = mdl_output_open_file(ls->ctx, path, out, err);
    mdl_free(ls->ctx, path);
    return rc;
}

static int local_open_rinput(mdl_storage *s, const char *key, mdl_rinput **out, mdl_error *err)
{
    local_storage *ls = s->private_data;
    *out = NULL;
    char *path = NULL;
    int rc = prepare(ls, key, false, &path, err);
    if (rc == MDL_OK)
        rc = mdl_rinput_open_file(ls->ctx, path, out, err);
    mdl_free(ls->ctx, path);
    return rc;
}

static void local_release(mdl_storage *s)
{
    local_storage *ls = s->private_data;
    mdl_ctx *ctx = ls->ctx;
    mdl_free(ctx, ls->root);
    mdl_free(ctx, ls);
}

int mdl_storage_open_local(mdl_ctx *ctx, const char *root_dir, mdl_storage **out, mdl_error *err)
{
    *out = NULL;
    if (root_dir == NULL || root_dir[0] == '\0')
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "storage root directory is empty");
    size_t len = strlen(root_dir);
    while (len > 1 && root_dir[len - 1] == '/')
        len--;
    local_storage *ls = mdl_calloc(ctx, 1, sizeof *ls);
    char *root = mdl_strndup(ctx, root_dir, len);
    if (ls == NULL || root == NULL) {
        mdl_free(ctx, ls);
        mdl_free(ctx, root);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening storage %s", root_dir);
    }
    if (strcmp(root, "/") == 0)
        root[0] = '\0'; /* keys become "/" + key */
    int rc = root[0] ? make_dirs(root, 0, true, err) : MDL_OK;
    struct stat st;
    if (rc == MDL_OK && (stat(root[0] ? root : "/", &st) != 0 || !S_ISDIR(st.st_mode)))
        rc = mdl_error_set(err, MDL_ERR_IO, "%s: storage root is not a directory", root_dir);
    if (rc != MDL_OK) {
        mdl_free(ctx, root);
        mdl_free(ctx, ls);
        return rc;
    }
    ls->ctx = ctx;
    ls->root = root;
    atomic_init(&ls->tmp_seq, 0);
    ls->base.read_range = local_read_range;
    ls->base.read_all = local_read_all;
    ls->base.stat = local_stat;
    ls->base.put = local_put;
    ls->base.put_if_absent = local_put_if_absent;
    ls->base.list = local_list;
    ls->base.remove = local_remove;
    ls->base.open_output = local_open_output;
    ls->base.open_rinput = local_open_rinput;
    ls->base.release = local_release;
    ls->base.root = root[0] ? root : "/";
    ls->base.private_data = ls;
    *out = &ls->base;
    return MDL_OK;
}

void mdl_storage_release(mdl_storage *s)
{
    if (s != NULL)
        s->release(s);
}
