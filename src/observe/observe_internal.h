/*
 * observe_internal.h - what the alert files share: the alert's fields cleaned for sending,
 * the payload formatters (alert_format.c, alert_email.c; unit-tested without a network) and
 * the transports (alert_curl.c).
 */
#ifndef MDL_OBSERVE_INTERNAL_H
#define MDL_OBSERVE_INTERNAL_H

#include "medallion/observe.h"

/* Longest `details` sent; more is cut at a character boundary and marked "[truncated]". */
#define MDL_ALERT_DETAILS_MAX (64 * 1024)
/* Longest one-line field (event, env, task, summary, ...) sent. */
#define MDL_ALERT_FIELD_MAX          2048
#define MDL_ALERT_TIMEOUT_DEFAULT_MS 10000L

/*
 * The alert's strings as they are sent: valid UTF-8 (bad bytes become U+FFFD), one-line
 * fields without control characters, details with '\n' line ends and at most
 * MDL_ALERT_DETAILS_MAX bytes. Absent fields are NULL.
 */
typedef struct mdl_observe__alert_text {
    mdl_ctx *ctx;
    char *event, *severity, *project, *env, *run_id, *task, *table, *summary, *details;
    int64_t at_us;
    char at[40]; /* ISO-8601 UTC */
} mdl_observe__alert_text;

/* Checks and cleans `a` (event and summary required, severity "error" or "warning", NULL
 * meaning "error"; at_us 0 means now). Reset with mdl_observe__alert_text_reset. */
int mdl_observe__alert_text_init(mdl_observe__alert_text *t, mdl_ctx *ctx, const mdl_alert *a,
                                 mdl_error *err);
void mdl_observe__alert_text_reset(mdl_observe__alert_text *t);

/* Cleans `len` bytes of `s` into out (appended): invalid UTF-8 becomes U+FFFD; with
 * `one_line` every control character becomes a space, otherwise CR LF and CR become LF and
 * controls other than LF and TAB become spaces. At most `max` bytes are kept (cut at a
 * character boundary), then " [truncated]" is appended. */
int mdl_observe__clean_text(mdl_buf *out, const char *s, size_t len, bool one_line, size_t max,
                            mdl_error *err);

/* "[medallion] task_failed (error) in dev, task silver.orders: the summary" */
int mdl_observe__headline(const mdl_observe__alert_text *t, mdl_buf *out, mdl_error *err);
/* One JSON object and '\n': the file channel's line. */
int mdl_observe__file_line(const mdl_observe__alert_text *t, mdl_buf *out, mdl_error *err);
/* The webhook's JSON body: {"text": headline, "blocks": [...], "medallion": {alert}}. */
int mdl_observe__webhook_body(const mdl_observe__alert_text *t, mdl_buf *out, mdl_error *err);

/* "[medallion] <event> <env> <task or table>", RFC 2047-encoded when not ASCII. */
int mdl_observe__email_subject(const mdl_observe__alert_text *t, mdl_buf *out, mdl_error *err);
/* "Thu, 01 Jan 1970 00:00:00 +0000" (RFC 5322 date-time, UTC). `cap` >= 32. */
size_t mdl_observe__rfc5322_date(int64_t us, char *buf, size_t cap);
/* The addr-spec of "Name <a@b>" or "a@b" into out; false when there is none, it has spaces,
 * control characters or angle brackets, or it does not fit. */
bool mdl_observe__mailbox_address(const char *mailbox, char *out, size_t cap);
/*
 * The whole RFC 5322 message with CRLF line ends, lines at most 998 bytes: Date (date_us),
 * From, To, Subject, Message-ID (message_id, without the angle brackets), MIME-Version,
 * Content-Type text/plain; charset=utf-8, 8bit, then the summary, the details and the
 * alert's fields. Header fields with line breaks are MDL_ERR_INVALID_ARG.
 */
int mdl_observe__email_message(const mdl_observe__alert_text *t, const char *from,
                               const char *const *to, size_t num_to, int64_t date_us,
                               const char *message_id, mdl_buf *out, mdl_error *err);

/* The URL as errors show it: scheme://host[:port] and the first path segment ("/..." when
 * there is more: webhook URLs often carry their secret in the path); no user, password,
 * query or fragment. */
void mdl_observe__redact_url(const char *url, char *out, size_t cap);
/* Replaces every occurrence of `secret` (when not NULL or empty) in msg with "***". */
void mdl_observe__scrub(char *msg, const char *secret);

/* Transports (alert_curl.c). `label` is "alert channel 'NAME'", for messages. */
int mdl_observe__webhook_post(const char *label, const char *url, const mdl_buf *body,
                              long timeout_ms, mdl_error *err);
int mdl_observe__smtp_send(const char *label, const mdl_alert_channel *ch, const char *from_addr,
                           char *const *to_addrs, size_t num_to, const mdl_buf *message,
                           long timeout_ms, mdl_error *err);

#endif
