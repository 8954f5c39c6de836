/*
 * alert_email.c - an alert as an Internet message (RFC 5322) for the email channel:
 *
 *   Date: Thu, 01 Jan 1970 00:00:00 +0000        (RFC 5322 3.3, always UTC)
 *   From: <as configured>
 *   To: <recipients, comma separated>
 *   Subject: [medallion] <event> <env> <task>    (RFC 2047 "=?UTF-8?B?...?=" if not ASCII)
 *   Message-ID: <uuid@sender's domain>
 *   MIME-Version: 1.0
 *   Content-Type: text/plain; charset=utf-8
 *   Content-Transfer-Encoding: 8bit
 *   X-Medallion-Event / X-Medallion-Severity     (for mail filters)
 *
 *   summary, details, then the alert's fields one per line
 *
 * Every line ends with CRLF and has at most 998 bytes (RFC 5322 2.1.1); longer body lines
 * are broken. Dot-stuffing (RFC 5321 4.5.2) is left to libcurl, which escapes a "." at the
 * start of a line while it uploads the message.
 */
#include <stdio.h>
#include <string.h>

#include "observe/observe_internal.h"

/* RFC 5322 2.1.1: at most 998 characters per line, CRLF excluded. */
#define LINE_MAX_BYTES 998

size_t mdl_observe__rfc5322_date(int64_t us, char *buf, size_t cap)
{
    static const char *const days[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int64_t secs = us / 1000000;
    if (us % 1000000 < 0)
        secs--;
    int64_t day = secs / 86400, sod = secs % 86400;
    if (sod < 0) {
        sod += 86400;
        day--;
    }
    int64_t year;
    unsigned month, mday;
    mdl_civil_from_days((int32_t)day, &year, &month, &mday);
    int64_t wd = day % 7; /* 1970-01-01 was a Thursday */
    if (wd < 0)
        wd += 7;
    int n = snprintf(buf, cap, "%s, %02u %s %04lld %02d:%02d:%02d +0000", days[wd], mday,
                     months[month - 1], (long long)year, (int)(sod / 3600), (int)(sod / 60 % 60),
                     (int)(sod % 60));
    return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

bool mdl_observe__mailbox_address(const char *mailbox, char *out, size_t cap)
{
    if (mailbox == NULL || cap == 0)
        return false;
    const char *start = mailbox, *end;
    const char *lt = strrchr(mailbox, '<');
    if (lt != NULL) {
        start = lt + 1;
        end = strchr(start, '>');
        if (end == NULL)
            return false;
    } else {
        while (*start == ' ' || *start == '\t')
            start++;
        end = start + strlen(start);
        while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
    }
    size_t n = (size_t)(end - start);
    if (n == 0 || n >= cap)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)start[i];
        if (c <= 0x20 || c == 0x7F || c == '<' || c == '>')
            return false;
    }
    memcpy(out, start, n);
    out[n] = '\0';
    return true;
}

static int base64_append(mdl_buf *out, const unsigned char *s, size_t n, mdl_error *err)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    int rc = MDL_OK;
    for (size_t i = 0; i < n && rc == MDL_OK; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)s[i + 1] << 8;
        if (i + 2 < n)
            v |= s[i + 2];
        char q[4] = {tab[v >> 18], tab[(v >> 12) & 63], i + 1 < n ? tab[(v >> 6) & 63] : '=',
                     i + 2 < n ? tab[v & 63] : '='};
        rc = mdl_buf_append(out, q, 4, err);
    }
    return rc;
}

int mdl_observe__email_subject(const mdl_observe__alert_text *t, mdl_buf *out, mdl_error *err)
{
    mdl_buf raw;
    mdl_buf_init(&raw, t->ctx, 0);
    const char *what = t->task != NULL ? t->task : t->table;
    int rc = mdl_buf_printf(&raw, err, "[medallion] %.128s", t->event);
    if (rc == MDL_OK && t->env != NULL)
        rc = mdl_buf_printf(&raw, err, " %.200s", t->env);
    if (rc == MDL_OK && what != NULL)
        rc = mdl_buf_printf(&raw, err, " %.400s", what);
    bool ascii = true;
    for (size_t i = 0; rc == MDL_OK && i < raw.len; i++)
        if ((unsigned char)raw.data[i] >= 0x80)
            ascii = false;
    if (rc == MDL_OK && ascii)
        rc = mdl_buf_append(out, raw.data, raw.len, err);
    /* RFC 2047: encoded words of at most 75 characters ("=?UTF-8?B?" + base64 of 45 bytes
     * + "?=" is 72), never splitting a character, folded onto continuation lines. */
    for (size_t i = 0; rc == MDL_OK && !ascii && i < raw.len;) {
        size_t n = raw.len - i < 45 ? raw.len - i : 45;
        while (i + n < raw.len && ((unsigned char)raw.data[i + n] & 0xC0) == 0x80)
            n--;
        if (i > 0)
            rc = mdl_buf_append_str(out, "\r\n ", err);
        if (rc == MDL_OK)
            rc = mdl_buf_append_str(out, "=?UTF-8?B?", err);
        if (rc == MDL_OK)
            rc = base64_append(out, (const unsigned char *)raw.data + i, n, err);
        if (rc == MDL_OK)
            rc = mdl_buf_append_str(out, "?=", err);
        i += n;
    }
    mdl_buf_reset(&raw);
    return rc;
}

/* A header field's value from the configuration: one line, no control characters. */
static int check_header_value(const char *what, const char *s, mdl_error *err)
{
    if (s == NULL || s[0] == '\0')
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "email: no %s address", what);
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F)
            return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                                 "email: the %s address has a control character (line break?)",
                                 what);
    if (strlen(s) > 900)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "email: the %s address is too long", what);
    return MDL_OK;
}

/* Appends text ('\n' line ends) with CRLF line ends, breaking lines longer than 998 bytes at
 * a character boundary. */
static int append_body_text(mdl_buf *out, const char *s, mdl_error *err)
{
    int rc = MDL_OK;
    size_t col = 0;
    for (const char *p = s; *p && rc == MDL_OK; p++) {
        if (*p == '\n') {
            rc = mdl_buf_append(out, "\r\n", 2, err);
            col = 0;
            continue;
        }
        if (col >= LINE_MAX_BYTES - 4 && ((unsigned char)*p & 0xC0) != 0x80) {
            rc = mdl_buf_append(out, "\r\n", 2, err);
            col = 0;
        }
        if (rc == MDL_OK)
            rc = mdl_buf_append(out, p, 1, err);
        col++;
    }
    return rc;
}

int mdl_observe__email_message(const mdl_observe__alert_text *t, const char *from,
                               const char *const *to, size_t num_to, int64_t date_us,
                               const char *message_id, mdl_buf *out, mdl_error *err)
{
    int rc = check_header_value("sender (from)", from, err);
    if (rc == MDL_OK && num_to == 0)
        rc = mdl_error_set(err, MDL_ERR_INVALID_ARG, "email: no recipient (to)");
    for (size_t i = 0; i < num_to && rc == MDL_OK; i++)
        rc = check_header_value("recipient (to)", to[i], err);
    if (rc != MDL_OK)
        return rc;

    char date[40];
    mdl_observe__rfc5322_date(date_us, date, sizeof date);
    rc = mdl_buf_printf(out, err, "Date: %s\r\nFrom: %s\r\nTo: ", date, from);
    /* One recipient per folded line keeps every line short however many there are. */
    for (size_t i = 0; i < num_to && rc == MDL_OK; i++)
        rc = mdl_buf_printf(out, err, "%s%s", i > 0 ? ",\r\n " : "", to[i]);
    if (rc == MDL_OK)
        rc = mdl_buf_append_str(out, "\r\nSubject: ", err);
    if (rc == MDL_OK)
        rc = mdl_observe__email_subject(t, out, err);
    if (rc == MDL_OK)
        rc = mdl_buf_printf(out, err,
                            "\r\nMessage-ID: <%s>\r\n"
                            "MIME-Version: 1.0\r\n"
                            "Content-Type: text/plain; charset=utf-8\r\n"
                            "Content-Transfer-Encoding: 8bit\r\n"
                            "X-Medallion-Event: %.128s\r\n"
                            "X-Medallion-Severity: %s\r\n"
                            "\r\n",
                            message_id, t->event, t->severity);
    if (rc == MDL_OK)
        rc = append_body_text(out, t->summary, err);
    if (rc == MDL_OK)
        rc = mdl_buf_append_str(out, "\r\n\r\n", err);
    if (rc == MDL_OK && t->details != NULL && t->details[0] != '\0') {
        rc = append_body_text(out, t->details, err);
        size_t n = strlen(t->details);
        if (rc == MDL_OK)
            rc = mdl_buf_append_str(out, t->details[n - 1] == '\n' ? "\r\n" : "\r\n\r\n", err);
    }
    const char *labels[] = {"event", "severity", "project", "env", "run id", "task", "table", "at"};
    const char *values[] = {t->event,  t->severity, t->project, t->env,
                            t->run_id, t->task,     t->table,   t->at};
    for (size_t i = 0; i < 8 && rc == MDL_OK; i++) {
        if (values[i] == NULL)
            continue;
        rc = mdl_buf_printf(out, err, "%-10s", labels[i]);
        if (rc == MDL_OK)
            rc = append_body_text(out, values[i], err);
        if (rc == MDL_OK)
            rc = mdl_buf_append_str(out, "\r\n", err);
    }
    if (rc == MDL_OK)
        rc = mdl_buf_printf(out, err, "\r\n-- \r\nsent by medallion %s\r\n", mdl_version());
    return rc;
}
