/*
 * rinput.c - random-access inputs: files (pread) and borrowed memory. Readers of formats
 * with a footer (Parquet) pull byte ranges through this vtable, so object storage can
 * provide the same interface later.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "medallion/format.h"

typedef struct file_rinput {
    mdl_rinput base;
    mdl_ctx *ctx;
    int fd;
    char *name;
} file_rinput;

static int past_end(mdl_rinput *in, uint64_t offset, size_t len, mdl_error *err)
{
    return mdl_error_set(err, MDL_ERR_PARSE,
                         "%s: read of %zu bytes at offset %llu goes past the end (%llu bytes)",
                         in->name, len, (unsigned long long)offset, (unsigned long long)in->size);
}

static int file_read_at(mdl_rinput *self, uint64_t offset, void *buf, size_t len, mdl_error *err)
{
    file_rinput *f = self->private_data;
    if (offset > self->size || len > self->size - offset)
        return past_end(self, offset, len, err);
    char *p = buf;
    while (len > 0) {
        ssize_t n = pread(f->fd, p, len, (off_t)offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return mdl_error_set(err, MDL_ERR_IO, "%s: read failed: %s", f->name, strerror(errno));
        if (n == 0)
            return mdl_error_set(err, MDL_ERR_IO, "%s: file shrank while reading", f->name);
        p += n;
        len -= (size_t)n;
        offset += (uint64_t)n;
    }
    return MDL_OK;
}

static void file_close(mdl_rinput *self)
{
    file_rinput *f = self->private_data;
    close(f->fd);
    mdl_free(f->ctx, f->name);
    mdl_free(f->ctx, f);
}

int mdl_rinput_open_file(mdl_ctx *ctx, const char *path, mdl_rinput **out, mdl_error *err)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        return mdl_error_set(err, e == ENOENT ? MDL_ERR_NOT_FOUND : MDL_ERR_IO,
                             "%s: cannot open: %s", path, strerror(e));
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return mdl_error_set(err, MDL_ERR_IO, "%s: not a regular file", path);
    }
    file_rinput *f = mdl_calloc(ctx, 1, sizeof *f);
    char *name = mdl_strdup(ctx, path);
    if (f == NULL || name == NULL) {
        mdl_free(ctx, f);
        mdl_free(ctx, name);
        close(fd);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening %s", path);
    }
    f->ctx = ctx;
    f->fd = fd;
    f->name = name;
    f->base.read_at = file_read_at;
    f->base.close = file_close;
    f->base.size = (uint64_t)st.st_size;
    f->base.name = name;
    f->base.private_data = f;
    *out = &f->base;
    return MDL_OK;
}

typedef struct mem_rinput {
    mdl_rinput base;
    mdl_ctx *ctx;
    const char *data;
    char *name;
} mem_rinput;

static int mem_read_at(mdl_rinput *self, uint64_t offset, void *buf, size_t len, mdl_error *err)
{
    mem_rinput *m = self->private_data;
    if (offset > self->size || len > self->size - offset)
        return past_end(self, offset, len, err);
    if (len)
        memcpy(buf, m->data + offset, len);
    return MDL_OK;
}

static void mem_close(mdl_rinput *self)
{
    mem_rinput *m = self->private_data;
    mdl_free(m->ctx, m->name);
    mdl_free(m->ctx, m);
}

int mdl_rinput_open_memory(mdl_ctx *ctx, const void *data, size_t len, const char *name,
                           mdl_rinput **out, mdl_error *err)
{
    *out = NULL;
    mem_rinput *m = mdl_calloc(ctx, 1, sizeof *m);
    char *nm = mdl_strdup(ctx, name ? name : "<memory>");
    if (m == NULL || nm == NULL) {
        mdl_free(ctx, m);
        mdl_free(ctx, nm);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening an input");
    }
    m->ctx = ctx;
    m->data = data;
    m->name = nm;
    m->base.read_at = mem_read_at;
    m->base.close = mem_close;
    m->base.size = len;
    m->base.name = nm;
    m->base.private_data = m;
    *out = &m->base;
    return MDL_OK;
}

void mdl_rinput_close(mdl_rinput *in)
{
    if (in != NULL && in->close != NULL)
        in->close(in);
}
