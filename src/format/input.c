/*
 * input.c - sequential byte inputs: files (or standard input) and borrowed memory.
 * Readers pull through this vtable so the same parser runs on local files now and on
 * object-store streams later.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "medallion/format.h"

typedef struct file_input {
    mdl_input base;
    mdl_ctx *ctx;
    int fd;
    bool owns_fd;
    char *name;
} file_input;

static int file_read(mdl_input *self, void *buf, size_t cap, size_t *n_out, mdl_error *err)
{
    file_input *f = self->private_data;
    for (;;) {
        ssize_t n = read(f->fd, buf, cap);
        if (n >= 0) {
            *n_out = (size_t)n;
            return MDL_OK;
        }
        if (errno != EINTR)
            return mdl_error_set(err, MDL_ERR_IO, "%s: read failed: %s", f->name, strerror(errno));
    }
}

static void file_close(mdl_input *self)
{
    file_input *f = self->private_data;
    if (f->owns_fd)
        close(f->fd);
    mdl_free(f->ctx, f->name);
    mdl_free(f->ctx, f);
}

int mdl_input_open_file(mdl_ctx *ctx, const char *path, mdl_input **out, mdl_error *err)
{
    *out = NULL;
    bool is_stdin = strcmp(path, "-") == 0;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        return mdl_error_set(err, e == ENOENT ? MDL_ERR_NOT_FOUND : MDL_ERR_IO,
                             "%s: cannot open: %s", path, strerror(e));
    }
    if (!is_stdin)
        posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    file_input *f = mdl_calloc(ctx, 1, sizeof *f);
    char *name = mdl_strdup(ctx, is_stdin ? "<stdin>" : path);
    if (f == NULL || name == NULL) {
        mdl_free(ctx, f);
        mdl_free(ctx, name);
        if (!is_stdin)
            close(fd);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening %s", path);
    }
    f->ctx = ctx;
    f->fd = fd;
    f->owns_fd = !is_stdin;
    f->name = name;
    f->base.read = file_read;
    f->base.close = file_close;
    f->base.name = name;
    f->base.private_data = f;
    *out = &f->base;
    return MDL_OK;
}

typedef struct mem_input {
    mdl_input base;
    mdl_ctx *ctx;
    const char *data;
    size_t len, pos;
    char *name;
} mem_input;

static int mem_read(mdl_input *self, void *buf, size_t cap, size_t *n_out, mdl_error *err)
{
    (void)err;
    mem_input *m = self->private_data;
    size_t n = m->len - m->pos < cap ? m->len - m->pos : cap;
    if (n)
        memcpy(buf, m->data + m->pos, n);
    m->pos += n;
    *n_out = n;
    return MDL_OK;
}

static void mem_close(mdl_input *self)
{
    mem_input *m = self->private_data;
    mdl_free(m->ctx, m->name);
    mdl_free(m->ctx, m);
}

int mdl_input_open_memory(mdl_ctx *ctx, const void *data, size_t len, const char *name,
                          mdl_input **out, mdl_error *err)
{
    *out = NULL;
    mem_input *m = mdl_calloc(ctx, 1, sizeof *m);
    char *nm = mdl_strdup(ctx, name ? name : "<memory>");
    if (m == NULL || nm == NULL) {
        mdl_free(ctx, m);
        mdl_free(ctx, nm);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening an input");
    }
    m->ctx = ctx;
    m->data = data;
    m->len = len;
    m->name = nm;
    m->base.read = mem_read;
    m->base.close = mem_close;
    m->base.name = nm;
    m->base.private_data = m;
    *out = &m->base;
    return MDL_OK;
}

void mdl_input_close(mdl_input *in)
{
    if (in != NULL && in->close != NULL)
        in->close(in);
}
