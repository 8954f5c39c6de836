/*
 * output.c - sequential outputs: an atomic file writer (temporary file, fsync, rename,
 * fsync of the directory) and an in-memory buffer. Writers of whole files (Parquet) go
 * through this vtable; nothing half-written is ever visible under the final name.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "medallion/format.h"

#define OUT_BUF_SIZE ((size_t)1 << 20)

typedef struct file_output {
    mdl_output base;
    mdl_ctx *ctx;
    int fd;
    char *path, *tmp;
    char *buf; /* writes are gathered into 1 MiB blocks */
    size_t len;
} file_output;

static int flush(file_output *f, mdl_error *err)
{
    const char *p = f->buf;
    size_t left = f->len;
    while (left > 0) {
        ssize_t n = write(f->fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return mdl_error_set(err, MDL_ERR_IO, "%s: write failed: %s", f->path, strerror(errno));
        p += n;
        left -= (size_t)n;
    }
    f->len = 0;
    return MDL_OK;
}

static int file_write(mdl_output *self, const void *data, size_t len, mdl_error *err)
{
    file_output *f = self->private_data;
    const char *p = data;
    self->written += len;
    while (len > 0) {
        size_t take = OUT_BUF_SIZE - f->len < len ? OUT_BUF_SIZE - f->len : len;
        memcpy(f->buf + f->len, p, take);
        f->len += take;
        p += take;
        len -= take;
        if (f->len == OUT_BUF_SIZE) {
            int rc = flush(f, err);
            if (rc != MDL_OK)
                return rc;
        }
    }
    return MDL_OK;
}

static void file_free(file_output *f)
{
    mdl_ctx *ctx = f->ctx;
    mdl_free(ctx, f->path);
    mdl_free(ctx, f->tmp);
    mdl_free(ctx, f->buf);
    mdl_free(ctx, f);
}

static void file_abort(mdl_output *self)
{
    file_output *f = self->private_data;
    if (f->fd >= 0)
        close(f->fd);
    unlink(f->tmp);
    file_free(f);
}

/* fsync of the directory makes the rename itself durable. */
static int sync_dir(const char *path, mdl_error *err)
{
    char copy[4096];
    snprintf(copy, sizeof copy, "%s", path);
    int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return mdl_error_set(err, MDL_ERR_IO, "%s: cannot open its directory: %s", path,
                             strerror(errno));
    int rc = fsync(dfd) == 0 ? MDL_OK
                             : mdl_error_set(err, MDL_ERR_IO, "%s: fsync of directory failed: %s",
                                             path, strerror(errno));
    close(dfd);
    return rc;
}

static int file_finish(mdl_output *self, mdl_error *err)
{
    file_output *f = self->private_data;
    int rc = flush(f, err);
    if (rc == MDL_OK && fsync(f->fd) != 0)
        rc = mdl_error_set(err, MDL_ERR_IO, "%s: fsync failed: %s", f->path, strerror(errno));
    if (close(f->fd) != 0 && rc == MDL_OK)
        rc = mdl_error_set(err, MDL_ERR_IO, "%s: close failed: %s", f->path, strerror(errno));
    f->fd = -1;
    if (rc == MDL_OK && rename(f->tmp, f->path) != 0)
        rc = mdl_error_set(err, MDL_ERR_IO, "%s: rename into place failed: %s", f->path,
                           strerror(errno));
    if (rc == MDL_OK)
        rc = sync_dir(f->path, err);
    if (rc != MDL_OK)
        unlink(f->tmp);
    file_free(f);
    return rc;
}

int mdl_output_open_file(mdl_ctx *ctx, const char *path, mdl_output **out, mdl_error *err)
{
    *out = NULL;
    char tmp[4096], copy[4096];
    snprintf(copy, sizeof copy, "%s", path);
    const char *base = basename(copy);
    size_t dirlen = strlen(path) - strlen(base);
    /* pid + random suffix, created with O_EXCL: two outputs for the same path (in one
     * process or across processes) never share a temporary file. */
    mdl_uuid r;
    char rtext[37];
    if (mdl_uuid_v4(&r, err) != MDL_OK)
        return err ? err->code : MDL_ERR_IO;
    mdl_uuid_format(&r, rtext);
    if ((size_t)snprintf(tmp, sizeof tmp, "%.*s.%s.%d.%.8s.tmp", (int)dirlen, path, base,
                         (int)getpid(), rtext) >= sizeof tmp)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "path too long: %s", path);
    file_output *f = mdl_calloc(ctx, 1, sizeof *f);
    if (f == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening %s", path);
    f->ctx = ctx;
    f->fd = -1;
    f->path = mdl_strdup(ctx, path);
    f->tmp = mdl_strdup(ctx, tmp);
    f->buf = mdl_alloc(ctx, OUT_BUF_SIZE);
    if (f->path == NULL || f->tmp == NULL || f->buf == NULL) {
        file_free(f);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening %s", path);
    }
    f->fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (f->fd < 0) {
        int e = errno;
        file_free(f);
        return mdl_error_set(err, MDL_ERR_IO, "%s: cannot create: %s", path, strerror(e));
    }
    f->base.write = file_write;
    f->base.finish = file_finish;
    f->base.abort = file_abort;
    f->base.name = f->path;
    f->base.private_data = f;
    *out = &f->base;
    return MDL_OK;
}

typedef struct buf_output {
    mdl_output base;
    mdl_ctx *ctx;
    mdl_buf *buf;
    char *name;
} buf_output;

static int buf_write(mdl_output *self, const void *data, size_t len, mdl_error *err)
{
    buf_output *b = self->private_data;
    self->written += len;
    return mdl_buf_append(b->buf, data, len, err);
}

static void buf_free(mdl_output *self)
{
    buf_output *b = self->private_data;
    mdl_free(b->ctx, b->name);
    mdl_free(b->ctx, b);
}

static int buf_finish(mdl_output *self, mdl_error *err)
{
    (void)err;
    buf_free(self);
    return MDL_OK;
}

int mdl_output_open_buffer(mdl_ctx *ctx, mdl_buf *buf, const char *name, mdl_output **out,
                           mdl_error *err)
{
    *out = NULL;
    buf_output *b = mdl_calloc(ctx, 1, sizeof *b);
    char *nm = mdl_strdup(ctx, name ? name : "<memory>");
    if (b == NULL || nm == NULL) {
        mdl_free(ctx, b);
        mdl_free(ctx, nm);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening an output");
    }
    b->ctx = ctx;
    b->buf = buf;
    b->name = nm;
    b->base.write = buf_write;
    b->base.finish = buf_finish;
    b->base.abort = buf_free;
    b->base.name = nm;
    b->base.private_data = b;
    *out = &b->base;
    return MDL_OK;
}
