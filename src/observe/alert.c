/*
 * alert.c - mdl_alert_send: checks the channel, builds its payload (alert_format.c,
 * alert_email.c) and delivers it: webhook and email through alert_curl.c, the file channel
 * here (one JSON line appended with a single write(2) on an O_APPEND descriptor, so lines
 * of concurrent writers do not interleave on a local filesystem, then fsync).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "observe/observe_internal.h"

/* Longest email address taken from a mailbox. */
#define ADDR_MAX 320

/* Creates the folders above `path` (like mkdir -p of its dirname). */
static int make_parents(const char *label, const char *path, mdl_error *err)
{
    size_t n = strlen(path);
    char dir[4096];
    if (n >= sizeof dir)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "%s: the path is too long", label);
    memcpy(dir, path, n + 1);
    char *slash = strrchr(dir, '/');
    if (slash == NULL || slash == dir)
        return MDL_OK;
    *slash = '\0';
    for (char *p = dir + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char keep = *p;
        *p = '\0';
        if (mkdir(dir, 0755) != 0 && errno != EEXIST)
            return mdl_error_set(err, MDL_ERR_IO, "%s: cannot create folder %s: %s", label, dir,
                                 strerror(errno));
        *p = keep;
        if (keep == '\0')
            break;
    }
    return MDL_OK;
}

/* fsync of the folder holding path, so a newly created file's name is durable too. */
static void sync_parent(const char *path)
{
    char dir[4096];
    size_t n = strlen(path);
    if (n >= sizeof dir)
        return;
    memcpy(dir, path, n + 1);
    char *slash = strrchr(dir, '/');
    if (slash == NULL)
        strcpy(dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

static int send_file(const char *label, const mdl_alert_channel *ch,
                     const mdl_observe__alert_text *t, mdl_error *err)
{
    if (ch->path == NULL || ch->path[0] == '\0')
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "%s: a file channel needs a path", label);
    mdl_buf line;
    mdl_buf_init(&line, t->ctx, 0);
    int fd = -1;
    int rc = mdl_observe__file_line(t, &line, err);
    if (rc == MDL_OK)
        rc = make_parents(label, ch->path, err);
    if (rc != MDL_OK)
        goto cleanup;
    bool created = true;
    fd = open(ch->path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 && errno == EEXIST) {
        created = false;
        fd = open(ch->path, O_WRONLY | O_APPEND | O_CLOEXEC);
    }
    if (fd < 0) {
        rc = mdl_error_set(err, MDL_ERR_IO, "%s: cannot open %s: %s", label, ch->path,
                           strerror(errno));
        goto cleanup;
    }
    /* One write for the whole line; a short write (disk full) continues where it stopped. */
    for (size_t done = 0; done < line.len;) {
        ssize_t w = write(fd, line.data + done, line.len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            rc = mdl_error_set(err, MDL_ERR_IO, "%s: cannot write %s: %s", label, ch->path,
                               w < 0 ? strerror(errno) : "no progress");
            goto cleanup;
        }
        done += (size_t)w;
    }
    if (fsync(fd) != 0) {
        rc = mdl_error_set(err, MDL_ERR_IO, "%s: cannot sync %s: %s", label, ch->path,
                           strerror(errno));
        goto cleanup;
    }
    if (created)
        sync_parent(ch->path);
cleanup:
    if (fd >= 0 && close(fd) != 0 && rc == MDL_OK)
        rc = mdl_error_set(err, MDL_ERR_IO, "%s: cannot close %s: %s", label, ch->path,
                           strerror(errno));
    mdl_buf_reset(&line);
    return rc;
}

static bool has_scheme(const char *url, const char *const *schemes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strncmp(url, schemes[i], strlen(schemes[i])) == 0)
            return true;
    return false;
}

static int send_webhook(const char *label, const mdl_alert_channel *ch,
                        const mdl_observe__alert_text *t, long timeout_ms, mdl_error *err)
{
    static const char *const schemes[] = {"http://", "https://"};
    if (ch->url == NULL || !has_scheme(ch->url, schemes, 2))
        return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                             "%s: a webhook needs an http:// or https:// URL", label);
    mdl_buf body;
    mdl_buf_init(&body, t->ctx, 0);
    int rc = mdl_observe__webhook_body(t, &body, err);
    if (rc == MDL_OK)
        rc = mdl_buf_terminate(&body, err);
    if (rc == MDL_OK)
        rc = mdl_observe__webhook_post(label, ch->url, &body, timeout_ms, err);
    mdl_buf_reset(&body);
    return rc;
}

static int send_email(const char *label, const mdl_alert_channel *ch,
                      const mdl_observe__alert_text *t, long timeout_ms, mdl_error *err)
{
    static const char *const schemes[] = {"smtp://", "smtps://"};
    if (ch->url == NULL || !has_scheme(ch->url, schemes, 2))
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "%s: email needs an smtp:// or smtps:// URL",
                             label);
    if (ch->num_to > 0 && ch->to == NULL)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "%s: no recipient list", label);
    mdl_buf msg;
    mdl_buf_init(&msg, t->ctx, 0);
    char from_addr[ADDR_MAX], **to_addrs = NULL;
    int rc = MDL_OK;
    if (ch->num_to > 0 && (to_addrs = mdl_calloc(t->ctx, ch->num_to, sizeof *to_addrs)) == NULL) {
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "%s: out of memory", label);
        goto cleanup;
    }
    if (ch->from != NULL && !mdl_observe__mailbox_address(ch->from, from_addr, sizeof from_addr)) {
        rc = mdl_error_set(err, MDL_ERR_INVALID_ARG, "%s: sender '%.200s' is not an address", label,
                           ch->from);
        goto cleanup;
    }
    for (size_t i = 0; i < ch->num_to; i++) {
        char addr[ADDR_MAX];
        if (ch->to[i] == NULL || !mdl_observe__mailbox_address(ch->to[i], addr, sizeof addr)) {
            rc = mdl_error_set(err, MDL_ERR_INVALID_ARG, "%s: recipient '%.200s' is not an address",
                               label, ch->to[i] != NULL ? ch->to[i] : "(null)");
            goto cleanup;
        }
        if ((to_addrs[i] = mdl_strdup(t->ctx, addr)) == NULL) {
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "%s: out of memory", label);
            goto cleanup;
        }
    }
    /* Message-ID: a random id at the sender's domain (RFC 5322 3.6.4). */
    mdl_uuid id;
    char id_text[37], message_id[ADDR_MAX + 40];
    rc = mdl_uuid_v4(&id, err);
    if (rc != MDL_OK)
        goto cleanup;
    mdl_uuid_format(&id, id_text);
    const char *domain = ch->from != NULL ? strrchr(from_addr, '@') : NULL;
    snprintf(message_id, sizeof message_id, "%s@%s", id_text,
             domain != NULL && domain[1] != '\0' ? domain + 1 : "medallion.invalid");
    rc = mdl_observe__email_message(t, ch->from, ch->to, ch->num_to, mdl_now_micros(), message_id,
                                    &msg, err);
    if (rc != MDL_OK) {
        mdl_error_prefix(err, "%s: ", label);
        goto cleanup;
    }
    rc = mdl_observe__smtp_send(label, ch, from_addr, to_addrs, ch->num_to, &msg, timeout_ms, err);
cleanup:
    if (to_addrs != NULL) {
        for (size_t i = 0; i < ch->num_to; i++)
            mdl_free(t->ctx, to_addrs[i]);
        mdl_free(t->ctx, to_addrs);
    }
    mdl_buf_reset(&msg);
    return rc;
}

int mdl_alert_send(mdl_ctx *ctx, const mdl_alert_channel *ch, const mdl_alert *a, mdl_error *err)
{
    if (ctx == NULL || ch == NULL)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "mdl_alert_send: no context or channel");
    const char *type = ch->type != NULL ? ch->type : "";
    char label[200];
    snprintf(label, sizeof label, "alert channel '%.120s'", ch->name != NULL ? ch->name : type);
    if (ch->timeout_ms < 0)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "%s: negative timeout", label);
    long timeout_ms = ch->timeout_ms > 0 ? ch->timeout_ms : MDL_ALERT_TIMEOUT_DEFAULT_MS;

    mdl_observe__alert_text t;
    int rc = mdl_observe__alert_text_init(&t, ctx, a, err);
    if (rc != MDL_OK) {
        mdl_error_prefix(err, "%s: ", label);
        return rc;
    }
    if (strcmp(type, "webhook") == 0)
        rc = send_webhook(label, ch, &t, timeout_ms, err);
    else if (strcmp(type, "email") == 0)
        rc = send_email(label, ch, &t, timeout_ms, err);
    else if (strcmp(type, "file") == 0)
        rc = send_file(label, ch, &t, err);
    else
        rc = mdl_error_set(err, MDL_ERR_INVALID_ARG,
                           "%s: unknown type '%.40s' (webhook, email or file)", label, type);
    if (rc == MDL_OK)
        mdl_log(ctx, MDL_LOG_INFO, "%s: %s alert sent (%s)", label, t.event, type);
    else if (err != NULL)
        mdl_observe__scrub(err->message, ch->password);
    mdl_observe__alert_text_reset(&t);
    return rc;
}
