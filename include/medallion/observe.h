/*
 * medallion/observe.h - what the pipeline tells people: alerts.
 *
 * An alert (a task failed, a quality check failed, an SLA was missed) is delivered to a
 * channel: a webhook (a Slack-compatible JSON POST), email over SMTP, or a file of JSON
 * lines. docs/alerts.md shows every payload. The network channels use libcurl; its global
 * state is initialised once per process, lazily and thread-safely, on the first network
 * send (see mdl_alert_send).
 */
#ifndef MEDALLION_OBSERVE_H
#define MEDALLION_OBSERVE_H

#include <stddef.h>
#include <stdint.h>

#include "medallion/util.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One alert. Strings are borrowed UTF-8 (invalid bytes are sent as U+FFFD). */
typedef struct mdl_alert {
    const char *event;    /* "task_failed" | "quality_failed" | "sla_missed" | "test"; required */
    const char *severity; /* "error" | "warning"; NULL means "error" */
    const char *project;  /* the fields below are NULL when not applicable */
    const char *env;
    const char *run_id;
    const char *task;
    const char *table;
    const char *summary; /* one line; required (line breaks are sent as spaces) */
    const char *details; /* multi-line text, may be NULL; longer than 64 KiB is cut */
    int64_t at_us;       /* when it happened, µs since the epoch; 0 means now */
} mdl_alert;

/** Where alerts go. Borrowed strings; the caller resolves secrets before filling it. */
typedef struct mdl_alert_channel {
    const char *name; /* named in every error; NULL means the type */
    const char *type; /* "webhook" | "email" | "file" */
    const char *url;  /* webhook: http(s)://...; email: smtp://host:port or smtps://host:port */
    const char *from; /* email: the sender, "addr@example.com" or "Name <addr@example.com>" */
    const char *const *to; /* email: the recipients, same forms as `from` */
    size_t num_to;
    const char *username; /* email: SMTP AUTH credentials, or NULL; never put in errors */
    const char *password;
    const char *path; /* file: JSON lines appended; the file and its folders are created */
    long timeout_ms;  /* the whole delivery, connect included; 0 means 10000 */
} mdl_alert_channel;

/**
 * Delivers `a` to `ch` once (no retries: the caller decides). Blocks for at most the
 * channel's timeout. Returns MDL_OK when the webhook answered 2xx, the SMTP server accepted
 * the message, or the line is on disk (fsync'd). Errors start with "alert channel 'NAME'":
 * MDL_ERR_INVALID_ARG for a channel or alert that cannot be sent (unknown type, missing
 * URL, a header field with a line break), MDL_ERR_IO for a delivery that failed (the
 * connection, the timeout, a non-2xx status, an SMTP refusal, the disk). Messages name URLs
 * without credentials, query or path beyond its first segment, and never the password.
 *
 * Thread-safe (each call uses its own connection). The first webhook or email send calls
 * curl_global_init once per process (pthread_once); that state lives until the process
 * ends. A program that wants a leak-free exit for a checker may call curl_global_cleanup()
 * itself once no thread sends alerts any more.
 */
MDL_API int mdl_alert_send(mdl_ctx *ctx, const mdl_alert_channel *ch, const mdl_alert *a,
                           mdl_error *err);

#ifdef __cplusplus
}
#endif

#endif /* MEDALLION_OBSERVE_H */
