/*
 * alert_format.c - an alert's fields made safe to send (valid UTF-8, bounded, one-line
 * fields without control characters) and the JSON payloads built from them with json-c:
 * the file channel's line and the Slack-compatible webhook body (docs/alerts.md).
 */
#include <json-c/json.h>
#include <string.h>

#include "observe/observe_internal.h"

/* Slack truncates a section's text at 3000 characters; the details block stays below. */
#define SLACK_SECTION_MAX 2900

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0 when it is not one. */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF; /* the second byte's range */
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0; /* no overlongs */
        else if (c == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F; /* at most U+10FFFF */
    } else
        return 0;
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return len;
}

int mdl_observe__clean_text(mdl_buf *out, const char *s, size_t len, bool one_line, size_t max,
                            mdl_error *err)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t kept = 0, i = 0;
    int rc = MDL_OK;
    while (i < len && rc == MDL_OK) {
        char tmp[4];
        size_t in = utf8_seq_len(p + i, len - i), outn;
        if (in == 0) {
            memcpy(tmp, "\xEF\xBF\xBD", 3); /* U+FFFD for a byte that is not UTF-8 */
            in = 1;
            outn = 3;
        } else if (in == 1 && (p[i] < 0x20 || p[i] == 0x7F)) {
            outn = 1;
            if (one_line)
                tmp[0] = ' ';
            else if (p[i] == '\r') {
                tmp[0] = '\n';
                if (i + 1 < len && p[i + 1] == '\n')
                    in = 2;
            } else
                tmp[0] = p[i] == '\n' || p[i] == '\t' ? (char)p[i] : ' ';
        } else {
            memcpy(tmp, p + i, in);
            outn = in;
        }
        if (kept + outn > max)
            return mdl_buf_append_str(out, " [truncated]", err);
        rc = mdl_buf_append(out, tmp, outn, err);
        kept += outn;
        i += in;
    }
    return rc;
}

/* A cleaned, NUL-terminated copy in *out, or NULL for a NULL input. */
static int clean_dup(mdl_ctx *ctx, const char *s, bool one_line, size_t max, char **out,
                     mdl_error *err)
{
    *out = NULL;
    if (s == NULL)
        return MDL_OK;
    mdl_buf b;
    mdl_buf_init(&b, ctx, 0);
    int rc = mdl_observe__clean_text(&b, s, strlen(s), one_line, max, err);
    if (rc == MDL_OK)
        rc = mdl_buf_terminate(&b, err);
    if (rc != MDL_OK) {
        mdl_buf_reset(&b);
        return rc;
    }
    *out = b.data;
    return MDL_OK;
}

int mdl_observe__alert_text_init(mdl_observe__alert_text *t, mdl_ctx *ctx, const mdl_alert *a,
                                 mdl_error *err)
{
    memset(t, 0, sizeof *t);
    t->ctx = ctx;
    if (a == NULL)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "no alert given");
    if (a->event == NULL || a->event[0] == '\0')
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "the alert has no event");
    if (a->summary == NULL || a->summary[0] == '\0')
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "the alert has no summary");
    const char *severity = a->severity != NULL ? a->severity : "error";
    if (strcmp(severity, "error") != 0 && strcmp(severity, "warning") != 0)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                             "alert severity '%.40s' is neither 'error' nor 'warning'", severity);
    struct {
        const char *in;
        char **out;
        bool one_line;
        size_t max;
    } fields[] = {
        {a->event, &t->event, true, 128},
        {severity, &t->severity, true, 16},
        {a->project, &t->project, true, MDL_ALERT_FIELD_MAX},
        {a->env, &t->env, true, MDL_ALERT_FIELD_MAX},
        {a->run_id, &t->run_id, true, MDL_ALERT_FIELD_MAX},
        {a->task, &t->task, true, MDL_ALERT_FIELD_MAX},
        {a->table, &t->table, true, MDL_ALERT_FIELD_MAX},
        {a->summary, &t->summary, true, MDL_ALERT_FIELD_MAX},
        {a->details, &t->details, false, MDL_ALERT_DETAILS_MAX},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        int rc =
            clean_dup(ctx, fields[i].in, fields[i].one_line, fields[i].max, fields[i].out, err);
        if (rc != MDL_OK) {
            mdl_observe__alert_text_reset(t);
            return rc;
        }
    }
    t->at_us = a->at_us != 0 ? a->at_us : mdl_now_micros();
    mdl_timestamp_format(t->at_us, t->at, sizeof t->at);
    return MDL_OK;
}

void mdl_observe__alert_text_reset(mdl_observe__alert_text *t)
{
    char **all[] = {&t->event, &t->severity, &t->project, &t->env,    &t->run_id,
                    &t->task,  &t->table,    &t->summary, &t->details};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (*all[i] != NULL)
            mdl_free(t->ctx, *all[i]);
        *all[i] = NULL;
    }
}

int mdl_observe__headline(const mdl_observe__alert_text *t, mdl_buf *out, mdl_error *err)
{
    int rc = mdl_buf_printf(out, err, "[medallion] %s (%s)", t->event, t->severity);
    if (rc == MDL_OK && t->env != NULL)
        rc = mdl_buf_printf(out, err, " in %s", t->env);
    if (rc == MDL_OK && t->task != NULL)
        rc = mdl_buf_printf(out, err, ", task %s", t->task);
    if (rc == MDL_OK && t->table != NULL && (t->task == NULL || strcmp(t->task, t->table) != 0))
        rc = mdl_buf_printf(out, err, ", table %s", t->table);
    if (rc == MDL_OK)
        rc = mdl_buf_printf(out, err, ": %s", t->summary);
    return rc;
}

/* ---- JSON -------------------------------------------------------------------------------- */

static int json_nomem(mdl_error *err)
{
    return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory building an alert's JSON");
}

/* obj[key] = s, or null when s is NULL. False when out of memory. */
static bool json_put_str(json_object *obj, const char *key, const char *s)
{
    json_object *v = NULL;
    if (s != NULL && (v = json_object_new_string(s)) == NULL)
        return false;
    return json_object_object_add(obj, key, v) == 0;
}

/* The alert as an object: every field, null when absent, "at" in ISO-8601 UTC. */
static json_object *alert_object(const mdl_observe__alert_text *t)
{
    json_object *o = json_object_new_object();
    if (o == NULL)
        return NULL;
    bool ok = json_put_str(o, "event", t->event) && json_put_str(o, "severity", t->severity) &&
              json_put_str(o, "project", t->project) && json_put_str(o, "env", t->env) &&
              json_put_str(o, "run_id", t->run_id) && json_put_str(o, "task", t->task) &&
              json_put_str(o, "table", t->table) && json_put_str(o, "summary", t->summary) &&
              json_put_str(o, "details", t->details) && json_put_str(o, "at", t->at);
    if (!ok) {
        json_object_put(o);
        return NULL;
    }
    return o;
}

static int json_append(json_object *o, mdl_buf *out, mdl_error *err)
{
    size_t len;
    const char *s = json_object_to_json_string_length(
        o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
    if (s == NULL)
        return json_nomem(err);
    return mdl_buf_append(out, s, len, err);
}

int mdl_observe__file_line(const mdl_observe__alert_text *t, mdl_buf *out, mdl_error *err)
{
    json_object *o = alert_object(t);
    if (o == NULL)
        return json_nomem(err);
    int rc = json_append(o, out, err);
    if (rc == MDL_OK)
        rc = mdl_buf_append(out, "\n", 1, err);
    json_object_put(o);
    return rc;
}

/* s with Slack's three control characters escaped (&, <, >), cut to `max` bytes at a
 * character boundary; appended to out. */
static int slack_escape(mdl_buf *out, const char *s, size_t max, mdl_error *err)
{
    size_t n = strlen(s);
    bool cut = n > max;
    if (cut) {
        n = max;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    int rc = MDL_OK;
    for (size_t i = 0; i < n && rc == MDL_OK; i++) {
        const char *rep = s[i] == '&'   ? "&amp;"
                          : s[i] == '<' ? "&lt;"
                          : s[i] == '>' ? "&gt;"
                                        : NULL;
        rc = rep != NULL ? mdl_buf_append_str(out, rep, err) : mdl_buf_append(out, s + i, 1, err);
    }
    if (rc == MDL_OK && cut)
        rc = mdl_buf_append_str(out, " [truncated]", err);
    return rc;
}

/* A {"type": "mrkdwn", "text": ...} object from the NUL-terminated buffer. */
static json_object *mrkdwn(const mdl_buf *text)
{
    json_object *o = json_object_new_object();
    if (o == NULL)
        return NULL;
    if (!json_put_str(o, "type", "mrkdwn") || !json_put_str(o, "text", text->data)) {
        json_object_put(o);
        return NULL;
    }
    return o;
}

/* Appends a section block {"type": "section", key: value} to blocks; takes value. */
static bool add_section(json_object *blocks, const char *key, json_object *value)
{
    json_object *sec = json_object_new_object();
    if (value == NULL || sec == NULL || !json_put_str(sec, "type", "section") ||
        json_object_object_add(sec, key, value) != 0) {
        json_object_put(sec);
        json_object_put(value);
        return false;
    }
    if (json_object_array_add(blocks, sec) != 0) {
        json_object_put(sec);
        return false;
    }
    return true;
}

/*
 * Slack blocks: a header section (event, severity, summary), a section of fields (project,
 * env, task, table, run, at) and, with details, a section with them as preformatted text.
 */
static int slack_blocks(const mdl_observe__alert_text *t, json_object *blocks, mdl_error *err)
{
    mdl_buf text;
    mdl_buf_init(&text, t->ctx, 0);
    int rc = mdl_buf_printf(&text, err, "*[medallion] %s* (%s)\n", t->event, t->severity);
    if (rc == MDL_OK)
        rc = slack_escape(&text, t->summary, SLACK_SECTION_MAX, err);
    if (rc == MDL_OK)
        rc = mdl_buf_terminate(&text, err);
    if (rc == MDL_OK && !add_section(blocks, "text", mrkdwn(&text)))
        rc = json_nomem(err);

    const char *labels[] = {"Project", "Env", "Task", "Table", "Run", "At"};
    const char *values[] = {t->project, t->env, t->task, t->table, t->run_id, t->at};
    json_object *fields = NULL;
    for (size_t i = 0; i < 6 && rc == MDL_OK; i++) {
        if (values[i] == NULL)
            continue;
        if (fields == NULL && (fields = json_object_new_array()) == NULL) {
            rc = json_nomem(err);
            break;
        }
        text.len = 0;
        rc = mdl_buf_printf(&text, err, "*%s*\n", labels[i]);
        if (rc == MDL_OK)
            rc = slack_escape(&text, values[i], 1900, err); /* a field holds 2000 */
        if (rc == MDL_OK)
            rc = mdl_buf_terminate(&text, err);
        json_object *f = rc == MDL_OK ? mrkdwn(&text) : NULL;
        if (rc == MDL_OK && (f == NULL || json_object_array_add(fields, f) != 0)) {
            json_object_put(f);
            rc = json_nomem(err);
        }
    }
    if (fields != NULL) {
        if (rc == MDL_OK && !add_section(blocks, "fields", fields))
            rc = json_nomem(err);
        else if (rc != MDL_OK)
            json_object_put(fields);
    }

    if (rc == MDL_OK && t->details != NULL && t->details[0] != '\0') {
        text.len = 0;
        rc = mdl_buf_append_str(&text, "```", err);
        if (rc == MDL_OK)
            rc = slack_escape(&text, t->details, SLACK_SECTION_MAX - 10, err);
        if (rc == MDL_OK)
            rc = mdl_buf_append_str(&text, "```", err);
        if (rc == MDL_OK)
            rc = mdl_buf_terminate(&text, err);
        if (rc == MDL_OK && !add_section(blocks, "text", mrkdwn(&text)))
            rc = json_nomem(err);
    }
    mdl_buf_reset(&text);
    return rc;
}

int mdl_observe__webhook_body(const mdl_observe__alert_text *t, mdl_buf *out, mdl_error *err)
{
    mdl_buf headline;
    mdl_buf_init(&headline, t->ctx, 0);
    json_object *body = json_object_new_object(), *blocks = json_object_new_array();
    json_object *alert = alert_object(t);
    int rc = body != NULL && blocks != NULL && alert != NULL ? MDL_OK : json_nomem(err);
    if (rc == MDL_OK)
        rc = mdl_observe__headline(t, &headline, err);
    /* Slack reads "text" as mrkdwn too: &, < and > must be escaped there as well. */
    mdl_buf escaped;
    mdl_buf_init(&escaped, t->ctx, 0);
    if (rc == MDL_OK)
        rc = mdl_buf_terminate(&headline, err);
    if (rc == MDL_OK)
        rc = slack_escape(&escaped, headline.data, SIZE_MAX, err);
    if (rc == MDL_OK)
        rc = mdl_buf_terminate(&escaped, err);
    if (rc == MDL_OK && !json_put_str(body, "text", escaped.data))
        rc = json_nomem(err);
    if (rc == MDL_OK)
        rc = slack_blocks(t, blocks, err);
    if (rc == MDL_OK) {
        if (json_object_object_add(body, "blocks", blocks) != 0)
            rc = json_nomem(err);
        blocks = NULL;
    }
    if (rc == MDL_OK) {
        if (json_object_object_add(body, "medallion", alert) != 0)
            rc = json_nomem(err);
        alert = NULL;
    }
    if (rc == MDL_OK)
        rc = json_append(body, out, err);
    json_object_put(blocks);
    json_object_put(alert);
    json_object_put(body);
    mdl_buf_reset(&headline);
    mdl_buf_reset(&escaped);
    return rc;
}

/* ---- what error messages may show -------------------------------------------------------- */

/* Appends n bytes to the fixed buffer out (cap bytes, kept NUL-terminated), cutting. */
static void put(char *out, size_t cap, size_t *len, const char *s, size_t n)
{
    if (*len + 1 >= cap)
        return;
    if (n > cap - 1 - *len)
        n = cap - 1 - *len;
    memcpy(out + *len, s, n);
    *len += n;
    out[*len] = '\0';
}

void mdl_observe__redact_url(const char *url, char *out, size_t cap)
{
    if (cap == 0)
        return;
    out[0] = '\0';
    if (url == NULL)
        return;
    size_t len = 0;
    const char *p = url, *sep = strstr(url, "://");
    if (sep != NULL) {
        put(out, cap, &len, url, (size_t)(sep + 3 - url));
        p = sep + 3;
    }
    size_t auth_len = strcspn(p, "/?#");
    const char *at = NULL; /* the last '@' of the authority ends the user information */
    for (const char *q = p; q < p + auth_len; q++)
        if (*q == '@')
            at = q;
    const char *host = at != NULL ? at + 1 : p;
    put(out, cap, &len, host, (size_t)(p + auth_len - host));
    p += auth_len;
    if (*p == '/') {
        size_t seg = strcspn(p + 1, "/?#");
        put(out, cap, &len, p, seg + 1);
        if (p[1 + seg] == '/' && p[2 + seg] != '\0' && strchr("?#", p[2 + seg]) == NULL)
            put(out, cap, &len, "/...", 4);
    }
    /* Control characters would break the one-line message. */
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)out[i] < 0x20 || out[i] == 0x7F)
            out[i] = '?';
}

void mdl_observe__scrub(char *msg, const char *secret)
{
    if (msg == NULL || secret == NULL || secret[0] == '\0')
        return;
    size_t slen = strlen(secret);
    char *from = msg, *hit;
    while ((hit = strstr(from, secret)) != NULL) {
        /* "***" is never longer than the secret it replaces when that has 3+ bytes; shorter
         * secrets become as many '*'. */
        size_t rep = slen < 3 ? slen : 3;
        memset(hit, '*', rep);
        memmove(hit + rep, hit + slen, strlen(hit + slen) + 1);
        from = hit + rep;
    }
}
