/*
 * alert_curl.c - the network transports of alerts, on libcurl's easy interface: an HTTP(S)
 * POST of JSON for webhooks and an SMTP(S) submission for email. One handle per send, so
 * sends from several threads never share state.
 *
 * libcurl needs curl_global_init once per process before any handle exists, and it is not
 * safe to call concurrently, so it runs under pthread_once on the first send. That is the
 * only process-wide state of the library; it is never torn down here because
 * curl_global_cleanup would break other libcurl users of the process (observe.h).
 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "observe/observe_internal.h"

/* Bytes of a webhook's answer kept to quote in an error. */
#define ANSWER_KEEP 200

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_result = CURLE_FAILED_INIT;

static void curl_init_once(void)
{
    curl_init_result = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static int curl_ready(const char *label, mdl_error *err)
{
    if (pthread_once(&curl_once, curl_init_once) != 0 || curl_init_result != CURLE_OK)
        return mdl_error_set(err, MDL_ERR_IO, "%s: libcurl could not be initialised", label);
    return MDL_OK;
}

/* Options every transfer shares: no signals (threads), bounded time, the protocols allowed,
 * error text into errbuf. False when libcurl refuses one. */
static bool common_options(CURL *h, const char *url, const char *protocols, long timeout_ms,
                           char *errbuf)
{
    bool ok = curl_easy_setopt(h, CURLOPT_URL, url) == CURLE_OK;
    ok = ok && curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) == CURLE_OK;
    ok = ok && curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms) == CURLE_OK;
    ok = ok && curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms) == CURLE_OK;
    ok = ok && curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf) == CURLE_OK;
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85.0 */
    ok = ok && curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, protocols) == CURLE_OK;
#else
    long mask = strcmp(protocols, "http,https") == 0 ? CURLPROTO_HTTP | CURLPROTO_HTTPS
                                                     : CURLPROTO_SMTP | CURLPROTO_SMTPS;
    ok = ok && curl_easy_setopt(h, CURLOPT_PROTOCOLS, mask) == CURLE_OK;
#endif
    return ok;
}

/* What went wrong, in words: the timeout named with its length, else libcurl's detail. */
static const char *failure_text(CURLcode rc, const char *errbuf, long timeout_ms, char *tmp,
                                size_t cap)
{
    if (rc == CURLE_OPERATION_TIMEDOUT) {
        snprintf(tmp, cap, "timed out after %ld ms", timeout_ms);
        return tmp;
    }
    if (errbuf[0] != '\0')
        return errbuf;
    return curl_easy_strerror(rc);
}

/* ---- webhook ----------------------------------------------------------------------------- */

typedef struct answer {
    char text[ANSWER_KEEP + 1];
    size_t len;
} answer;

static size_t keep_answer(char *data, size_t size, size_t nmemb, void *user)
{
    answer *a = user;
    size_t n = size * nmemb;
    for (size_t i = 0; i < n && a->len < ANSWER_KEEP; i++) {
        unsigned char c = (unsigned char)data[i];
        a->text[a->len++] = c >= 0x20 && c < 0x7F ? (char)c : ' ';
    }
    a->text[a->len] = '\0';
    return n; /* the rest is read and dropped */
}

int mdl_observe__webhook_post(const char *label, const char *url, const mdl_buf *body,
                              long timeout_ms, mdl_error *err)
{
    char shown[256];
    mdl_observe__redact_url(url, shown, sizeof shown);
    int rc = curl_ready(label, err);
    if (rc != MDL_OK)
        return rc;
    CURL *h = curl_easy_init();
    struct curl_slist *headers = NULL, *more;
    char errbuf[CURL_ERROR_SIZE] = "", agent[64], tmp[64];
    answer ans = {.len = 0};
    ans.text[0] = '\0';
    snprintf(agent, sizeof agent, "medallion/%s", mdl_version());
    const char *const header_lines[] = {"Content-Type: application/json; charset=utf-8",
                                        /* no 1 s wait for a "100 Continue" on big bodies */
                                        "Expect:"};
    bool ok = h != NULL;
    for (size_t i = 0; ok && i < 2; i++) {
        more = curl_slist_append(headers, header_lines[i]);
        ok = more != NULL;
        headers = ok ? more : headers;
    }
    if (!ok) {
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "%s: out of memory preparing the request", label);
        goto cleanup;
    }
    ok = common_options(h, url, "http,https", timeout_ms, errbuf);
    ok = ok && curl_easy_setopt(h, CURLOPT_POST, 1L) == CURLE_OK;
    ok = ok && curl_easy_setopt(h, CURLOPT_POSTFIELDS, body->data) == CURLE_OK;
    ok = ok && curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body->len) == CURLE_OK;
    ok = ok && curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers) == CURLE_OK;
    ok = ok && curl_easy_setopt(h, CURLOPT_USERAGENT, agent) == CURLE_OK;
    ok = ok && curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK;
    ok = ok && curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, keep_answer) == CURLE_OK;
    ok = ok && curl_easy_setopt(h, CURLOPT_WRITEDATA, &ans) == CURLE_OK;
    if (!ok) {
        rc = mdl_error_set(err, MDL_ERR_INVALID_ARG, "%s: webhook %s: libcurl refused an option",
                           label, shown);
        goto cleanup;
    }
    CURLcode cr = curl_easy_perform(h);
    if (cr != CURLE_OK) {
        rc = mdl_error_set(err, cr == CURLE_UNSUPPORTED_PROTOCOL ? MDL_ERR_INVALID_ARG : MDL_ERR_IO,
                           "%s: webhook %s: %s", label, shown,
                           failure_text(cr, errbuf, timeout_ms, tmp, sizeof tmp));
        goto cleanup;
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status > 299)
        rc = mdl_error_set(err, MDL_ERR_IO, "%s: webhook %s answered HTTP %ld%s%s", label, shown,
                           status, ans.len > 0 ? ": " : "", ans.text);
cleanup:
    curl_slist_free_all(headers);
    if (h != NULL)
        curl_easy_cleanup(h);
    return rc;
}

/* ---- SMTP -------------------------------------------------------------------------------- */

typedef struct reader {
    const char *data;
    size_t len, pos;
} reader;

static size_t read_message(char *dest, size_t size, size_t nmemb, void *user)
{
    reader *r = user;
    size_t room = size * nmemb, left = r->len - r->pos;
    size_t n = left < room ? left : room;
    memcpy(dest, r->data + r->pos, n);
    r->pos += n;
    return n;
}

/* True for localhost and loopback addresses in an smtp:// URL: the only hosts credentials
 * may go to without TLS. */
static bool loopback_host(const char *url)
{
    const char *p = strstr(url, "://");
    p = p != NULL ? p + 3 : url;
    const char *at = NULL;
    size_t auth_len = strcspn(p, "/?#");
    for (const char *q = p; q < p + auth_len; q++)
        if (*q == '@')
            at = q;
    if (at != NULL)
        p = at + 1;
    return strncmp(p, "127.", 4) == 0 || strncmp(p, "localhost", 9) == 0 ||
           strncmp(p, "[::1]", 5) == 0;
}

int mdl_observe__smtp_send(const char *label, const mdl_alert_channel *ch, const char *from_addr,
                           char *const *to_addrs, size_t num_to, const mdl_buf *message,
                           long timeout_ms, mdl_error *err)
{
    char shown[256];
    mdl_observe__redact_url(ch->url, shown, sizeof shown);
    int rc = curl_ready(label, err);
    if (rc != MDL_OK)
        return rc;
    CURL *h = curl_easy_init();
    struct curl_slist *rcpt = NULL, *more;
    char errbuf[CURL_ERROR_SIZE] = "", tmp[64], envelope_from[512];
    bool ok = h != NULL;
    for (size_t i = 0; ok && i < num_to; i++) {
        char addr[512];
        snprintf(addr, sizeof addr, "<%s>", to_addrs[i]);
        more = curl_slist_append(rcpt, addr);
        ok = more != NULL;
        rcpt = ok ? more : rcpt;
    }
    if (!ok) {
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "%s: out of memory preparing the message", label);
        goto cleanup;
    }
    snprintf(envelope_from, sizeof envelope_from, "<%s>", from_addr);
    reader r = {message->data, message->len, 0};
    bool smtps = strncmp(ch->url, "smtps://", 8) == 0;
    bool auth = ch->username != NULL || ch->password != NULL;
    /* smtp:// upgrades with STARTTLS when the server offers it; credentials are only ever
     * sent over TLS, except to a relay on this machine. */
    long use_ssl = smtps                             ? CURLUSESSL_ALL
                   : auth && !loopback_host(ch->url) ? CURLUSESSL_ALL
                                                     : CURLUSESSL_TRY;
    ok = common_options(h, ch->url, "smtp,smtps", timeout_ms, errbuf);
    ok = ok && curl_easy_setopt(h, CURLOPT_MAIL_FROM, envelope_from) == CURLE_OK;
    ok = ok && curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt) == CURLE_OK;
    ok = ok && curl_easy_setopt(h, CURLOPT_UPLOAD, 1L) == CURLE_OK;
    ok = ok && curl_easy_setopt(h, CURLOPT_READFUNCTION, read_message) == CURLE_OK;
    ok = ok && curl_easy_setopt(h, CURLOPT_READDATA, &r) == CURLE_OK;
    ok = ok && curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)message->len) == CURLE_OK;
    ok = ok && curl_easy_setopt(h, CURLOPT_USE_SSL, use_ssl) == CURLE_OK;
    if (ok && ch->username != NULL)
        ok = curl_easy_setopt(h, CURLOPT_USERNAME, ch->username) == CURLE_OK;
    if (ok && ch->password != NULL)
        ok = curl_easy_setopt(h, CURLOPT_PASSWORD, ch->password) == CURLE_OK;
    if (!ok) {
        rc = mdl_error_set(err, MDL_ERR_INVALID_ARG, "%s: email via %s: libcurl refused an option",
                           label, shown);
        goto cleanup;
    }
    CURLcode cr = curl_easy_perform(h);
    if (cr != CURLE_OK) {
        long code = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
        char reply[48] = "";
        if (code > 0)
            snprintf(reply, sizeof reply, " (last SMTP reply %ld)", code);
        rc = mdl_error_set(err, cr == CURLE_UNSUPPORTED_PROTOCOL ? MDL_ERR_INVALID_ARG : MDL_ERR_IO,
                           "%s: email via %s: %s%s", label, shown,
                           failure_text(cr, errbuf, timeout_ms, tmp, sizeof tmp), reply);
    }
cleanup:
    curl_slist_free_all(rcpt);
    if (h != NULL)
        curl_easy_cleanup(h);
    if (err != NULL && rc != MDL_OK)
        mdl_observe__scrub(err->message, ch->password);
    return rc;
}
