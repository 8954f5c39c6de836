/*
 * test_observe_alert.c - alert payloads without a network: cleaning of the fields, the file
 * line and webhook JSON, the email message (headers, CRLF, long lines, RFC 2047 subject,
 * header injection), dates, addresses, URL redaction and secret scrubbing, and
 * mdl_alert_send's checks and file channel. Deliveries over the network are tested against
 * real peers by tests/observe/test_alerts.sh.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_support.h"

#include "observe/observe_internal.h"

#define AT_2024_02_29 1709210096000000LL /* 2024-02-29T12:34:56Z */

static mdl_alert sample_alert(void)
{
    mdl_alert a = {.event = "task_failed",
                   .severity = "error",
                   .project = "acme",
                   .env = "dev",
                   .task = "silver.orders",
                   .summary = "boom",
                   .details = "a\nb",
                   .at_us = AT_2024_02_29};
    return a;
}

/* out as a NUL-terminated string (the buffer stays owned by out). */
static const char *text_of(mdl_buf *out)
{
    assert_int_equal(mdl_buf_terminate(out, NULL), MDL_OK);
    return out->data;
}

static void test_observe_alert__clean_text(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_buf b;
    mdl_buf_init(&b, &ctx, 0);
    const char bad[] = "caf\xe9 \xf0\x9f\x98\x80 \xed\xa0\x80!"; /* Latin-1, emoji, surrogate */
    assert_int_equal(mdl_observe__clean_text(&b, bad, strlen(bad), true, 100, NULL), MDL_OK);
    assert_string_equal(text_of(&b), "caf\xef\xbf\xbd \xf0\x9f\x98\x80 \xef\xbf\xbd\xef\xbf\xbd"
                                     "\xef\xbf\xbd!");
    b.len = 0;
    const char lines[] = "a\r\nb\rc\nd\te\x01";
    assert_int_equal(mdl_observe__clean_text(&b, lines, strlen(lines), true, 100, NULL), MDL_OK);
    assert_string_equal(text_of(&b), "a  b c d e ");
    b.len = 0;
    assert_int_equal(mdl_observe__clean_text(&b, lines, strlen(lines), false, 100, NULL), MDL_OK);
    assert_string_equal(text_of(&b), "a\nb\nc\nd\te ");
    /* Cut at a character boundary: the 2-byte é does not fit in 4 bytes after "abc". */
    b.len = 0;
    assert_int_equal(mdl_observe__clean_text(&b, "abc\xc3\xa9z", 6, true, 4, NULL), MDL_OK);
    assert_string_equal(text_of(&b), "abc [truncated]");
    mdl_buf_reset(&b);
}

static void test_observe_alert__text_checks(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_observe__alert_text t;
    mdl_error err;
    mdl_alert a = sample_alert();
    a.event = NULL;
    assert_int_equal(mdl_observe__alert_text_init(&t, &ctx, &a, &err), MDL_ERR_INVALID_ARG);
    assert_string_equal(err.message, "the alert has no event");
    a = sample_alert();
    a.summary = "";
    assert_int_equal(mdl_observe__alert_text_init(&t, &ctx, &a, &err), MDL_ERR_INVALID_ARG);
    a = sample_alert();
    a.severity = "critical";
    assert_int_equal(mdl_observe__alert_text_init(&t, &ctx, &a, &err), MDL_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "'critical'"));
    /* NULL severity is "error"; at 0 is now. */
    a = sample_alert();
    a.severity = NULL;
    a.at_us = 0;
    int64_t before = mdl_now_micros();
    assert_int_equal(mdl_observe__alert_text_init(&t, &ctx, &a, &err), MDL_OK);
    assert_string_equal(t.severity, "error");
    assert_true(t.at_us >= before && t.at_us <= mdl_now_micros());
    assert_null(t.table);
    mdl_observe__alert_text_reset(&t);
}

static void test_observe_alert__headline(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_observe__alert_text t;
    mdl_alert a = sample_alert();
    a.table = "silver.orders"; /* the same as the task: named once */
    assert_int_equal(mdl_observe__alert_text_init(&t, &ctx, &a, NULL), MDL_OK);
    mdl_buf b;
    mdl_buf_init(&b, &ctx, 0);
    assert_int_equal(mdl_observe__headline(&t, &b, NULL), MDL_OK);
    assert_string_equal(text_of(&b),
                        "[medallion] task_failed (error) in dev, task silver.orders: boom");
    mdl_observe__alert_text_reset(&t);
    mdl_buf_reset(&b);
}

static void test_observe_alert__file_line(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_observe__alert_text t;
    mdl_alert a = sample_alert();
    a.summary = "quote \" slash / tab\there"; /* the tab becomes a space (one line) */
    assert_int_equal(mdl_observe__alert_text_init(&t, &ctx, &a, NULL), MDL_OK);
    mdl_buf b;
    mdl_buf_init(&b, &ctx, 0);
    assert_int_equal(mdl_observe__file_line(&t, &b, NULL), MDL_OK);
    assert_string_equal(text_of(&b),
                        "{\"event\":\"task_failed\",\"severity\":\"error\",\"project\":\"acme\","
                        "\"env\":\"dev\",\"run_id\":null,\"task\":\"silver.orders\",\"table\":null,"
                        "\"summary\":\"quote \\\" slash / tab here\",\"details\":\"a\\nb\","
                        "\"at\":\"2024-02-29T12:34:56Z\"}\n");
    mdl_observe__alert_text_reset(&t);
    mdl_buf_reset(&b);
}

static const char *jstr(json_object *o, const char *key)
{
    json_object *v;
    assert_true(json_object_object_get_ex(o, key, &v));
    return json_object_get_string(v);
}

static void test_observe_alert__webhook_body(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_observe__alert_text t;
    mdl_alert a = sample_alert();
    a.summary = "1 < 2 & 3 > 2";
    a.run_id = "r-1";
    assert_int_equal(mdl_observe__alert_text_init(&t, &ctx, &a, NULL), MDL_OK);
    mdl_buf b;
    mdl_buf_init(&b, &ctx, 0);
    assert_int_equal(mdl_observe__webhook_body(&t, &b, NULL), MDL_OK);
    json_object *body = json_tokener_parse(text_of(&b));
    assert_non_null(body);
    assert_string_equal(
        jstr(body, "text"),
        "[medallion] task_failed (error) in dev, task silver.orders: 1 &lt; 2 &amp; 3 &gt; 2");
    json_object *m, *blocks;
    assert_true(json_object_object_get_ex(body, "medallion", &m));
    assert_string_equal(jstr(m, "summary"), "1 < 2 & 3 > 2"); /* raw in the data */
    assert_string_equal(jstr(m, "run_id"), "r-1");
    assert_string_equal(jstr(m, "at"), "2024-02-29T12:34:56Z");
    assert_true(json_object_object_get_ex(body, "blocks", &blocks));
    assert_int_equal(json_object_array_length(blocks), 3); /* header, fields, details */
    json_object *fields;
    assert_true(json_object_object_get_ex(json_object_array_get_idx(blocks, 1), "fields", &fields));
    assert_int_equal(json_object_array_length(fields), 5); /* project env task run at */
    assert_string_equal(jstr(json_object_array_get_idx(fields, 0), "text"), "*Project*\nacme");
    json_object *details;
    assert_true(json_object_object_get_ex(json_object_array_get_idx(blocks, 2), "text", &details));
    assert_string_equal(jstr(details, "text"), "```a\nb```");
    json_object_put(body);
    mdl_observe__alert_text_reset(&t);

    /* Long details: Slack's 3000-character section limit holds; the data keeps them all. */
    char *long_details = malloc(10001);
    memset(long_details, 'x', 10000);
    long_details[10000] = '\0';
    a.details = long_details;
    assert_int_equal(mdl_observe__alert_text_init(&t, &ctx, &a, NULL), MDL_OK);
    b.len = 0;
    assert_int_equal(mdl_observe__webhook_body(&t, &b, NULL), MDL_OK);
    body = json_tokener_parse(text_of(&b));
    assert_non_null(body);
    assert_true(json_object_object_get_ex(body, "blocks", &blocks));
    assert_true(json_object_object_get_ex(json_object_array_get_idx(blocks, 2), "text", &details));
    assert_true(strlen(jstr(details, "text")) <= 3000);
    assert_true(json_object_object_get_ex(body, "medallion", &m));
    assert_int_equal(strlen(jstr(m, "details")), 10000);
    json_object_put(body);
    free(long_details);
    mdl_observe__alert_text_reset(&t);
    mdl_buf_reset(&b);
}

static void test_observe_alert__email_message(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_observe__alert_text t;
    mdl_alert a = sample_alert();
    assert_int_equal(mdl_observe__alert_text_init(&t, &ctx, &a, NULL), MDL_OK);
    mdl_buf b;
    mdl_buf_init(&b, &ctx, 0);
    const char *to[] = {"a@x.org", "B <b@y.org>"};
    assert_int_equal(
        mdl_observe__email_message(&t, "M <m@example.com>", to, 2, 0, "id-1@example.com", &b, NULL),
        MDL_OK);
    char want[2048];
    snprintf(want, sizeof want,
             "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"
             "From: M <m@example.com>\r\n"
             "To: a@x.org,\r\n B <b@y.org>\r\n"
             "Subject: [medallion] task_failed dev silver.orders\r\n"
             "Message-ID: <id-1@example.com>\r\n"
             "MIME-Version: 1.0\r\n"
             "Content-Type: text/plain; charset=utf-8\r\n"
             "Content-Transfer-Encoding: 8bit\r\n"
             "X-Medallion-Event: task_failed\r\n"
             "X-Medallion-Severity: error\r\n"
             "\r\n"
             "boom\r\n"
             "\r\n"
             "a\r\n"
             "b\r\n"
             "\r\n"
             "event     task_failed\r\n"
             "severity  error\r\n"
             "project   acme\r\n"
             "env       dev\r\n"
             "task      silver.orders\r\n"
             "at        2024-02-29T12:34:56Z\r\n"
             "\r\n"
             "-- \r\n"
             "sent by medallion %s\r\n",
             mdl_version());
    assert_string_equal(text_of(&b), want);

    /* A header value with a line break is refused (no header injection). */
    mdl_error err;
    b.len = 0;
    assert_int_equal(
        mdl_observe__email_message(&t, "m@example.com\r\nBcc: e@vil.org", to, 1, 0, "id", &b, &err),
        MDL_ERR_INVALID_ARG);
    const char *bad_to[] = {"a@x.org\nX: y"};
    assert_int_equal(mdl_observe__email_message(&t, "m@example.com", bad_to, 1, 0, "id", &b, &err),
                     MDL_ERR_INVALID_ARG);
    assert_int_equal(mdl_observe__email_message(&t, "m@example.com", to, 0, 0, "id", &b, &err),
                     MDL_ERR_INVALID_ARG);
    mdl_observe__alert_text_reset(&t);

    /* Long lines are broken below 998 bytes, between characters; a lone LF is never sent. */
    char *long_details = malloc(3001);
    for (size_t i = 0; i < 3000; i += 2)
        memcpy(long_details + i, "\xc3\xa9", 2);
    long_details[3000] = '\0';
    a.details = long_details;
    assert_int_equal(mdl_observe__alert_text_init(&t, &ctx, &a, NULL), MDL_OK);
    b.len = 0;
    assert_int_equal(mdl_observe__email_message(&t, "m@example.com", to, 1, 0, "id", &b, NULL),
                     MDL_OK);
    const char *msg = text_of(&b);
    size_t line = 0;
    for (const char *p = msg; *p; p++) {
        if (*p == '\n') {
            assert_true(p > msg && p[-1] == '\r');
            line = 0;
        } else if (*p != '\r') {
            assert_true(++line <= 998);
        }
    }
    assert_true(mdl_utf8_valid(msg, strlen(msg)));
    free(long_details);
    mdl_observe__alert_text_reset(&t);
    mdl_buf_reset(&b);
}

static void test_observe_alert__subject_rfc2047(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_observe__alert_text t;
    mdl_alert a = sample_alert();
    a.env = "prøve";
    a.task = NULL;
    a.table = "gold.dim";
    assert_int_equal(mdl_observe__alert_text_init(&t, &ctx, &a, NULL), MDL_OK);
    mdl_buf b;
    mdl_buf_init(&b, &ctx, 0);
    assert_int_equal(mdl_observe__email_subject(&t, &b, NULL), MDL_OK);
    /* base64("[medallion] task_failed prøve gold.dim") */
    assert_string_equal(text_of(&b),
                        "=?UTF-8?B?W21lZGFsbGlvbl0gdGFza19mYWlsZWQgcHLDuHZlIGdvbGQuZGlt?=");
    mdl_observe__alert_text_reset(&t);
    mdl_buf_reset(&b);
}

static void test_observe_alert__dates_and_addresses(void **state)
{
    (void)state;
    char d[40];
    mdl_observe__rfc5322_date(0, d, sizeof d);
    assert_string_equal(d, "Thu, 01 Jan 1970 00:00:00 +0000");
    mdl_observe__rfc5322_date(AT_2024_02_29 + 999999, d, sizeof d);
    assert_string_equal(d, "Thu, 29 Feb 2024 12:34:56 +0000");
    mdl_observe__rfc5322_date(-1, d, sizeof d);
    assert_string_equal(d, "Wed, 31 Dec 1969 23:59:59 +0000");

    char addr[64];
    assert_true(mdl_observe__mailbox_address("a@b.org", addr, sizeof addr));
    assert_string_equal(addr, "a@b.org");
    assert_true(mdl_observe__mailbox_address("  a@b.org ", addr, sizeof addr));
    assert_string_equal(addr, "a@b.org");
    assert_true(mdl_observe__mailbox_address("\"Doe, J\" <j@d.org>", addr, sizeof addr));
    assert_string_equal(addr, "j@d.org");
    assert_false(mdl_observe__mailbox_address("Name <a@b.org", addr, sizeof addr));
    assert_false(mdl_observe__mailbox_address("a b@c.org", addr, sizeof addr));
    assert_false(mdl_observe__mailbox_address("<>", addr, sizeof addr));
    assert_false(mdl_observe__mailbox_address("a@b.org\r\nX", addr, sizeof addr));
    assert_false(mdl_observe__mailbox_address("abcdefgh@ijk.org", addr, 8));
}

static void test_observe_alert__redact_and_scrub(void **state)
{
    (void)state;
    char u[128];
    mdl_observe__redact_url("https://hooks.slack.com/services/T000/B000/XXXXSECRET", u, sizeof u);
    assert_string_equal(u, "https://hooks.slack.com/services/...");
    mdl_observe__redact_url("http://user:pw@127.0.0.1:8080/hook?token=abc#x", u, sizeof u);
    assert_string_equal(u, "http://127.0.0.1:8080/hook");
    mdl_observe__redact_url("smtp://u:p@[::1]:25", u, sizeof u);
    assert_string_equal(u, "smtp://[::1]:25");
    mdl_observe__redact_url("http://h/a/", u, sizeof u);
    assert_string_equal(u, "http://h/a");
    mdl_observe__redact_url("http://h/a\nb", u, sizeof u);
    assert_string_equal(u, "http://h/a?b");
    mdl_observe__redact_url("http://a-long-host.example.com/x", u, 12);
    assert_string_equal(u, "http://a-lo");

    char msg[64] = "login pw=hunter2 failed, hunter2 again";
    mdl_observe__scrub(msg, "hunter2");
    assert_string_equal(msg, "login pw=*** failed, *** again");
    char msg2[32] = "a**b";
    mdl_observe__scrub(msg2, "**"); /* the replacement is not searched again */
    assert_string_equal(msg2, "a**b");
    mdl_observe__scrub(msg2, NULL);
    mdl_observe__scrub(msg2, "");
    assert_string_equal(msg2, "a**b");
}

static void test_observe_alert__send_checks(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc counts;
    mdl_test_counting_ctx(&ctx, &counts);
    mdl_error err;
    mdl_alert a = sample_alert();
    mdl_alert_channel ch = {.name = "ops", .type = "pager"};
    assert_int_equal(mdl_alert_send(&ctx, &ch, &a, &err), MDL_ERR_INVALID_ARG);
    assert_string_equal(err.message,
                        "alert channel 'ops': unknown type 'pager' (webhook, email or file)");
    ch.type = "webhook";
    ch.url = "ftp://example.com/x";
    assert_int_equal(mdl_alert_send(&ctx, &ch, &a, &err), MDL_ERR_INVALID_ARG);
    assert_string_equal(err.message,
                        "alert channel 'ops': a webhook needs an http:// or https:// URL");
    ch.type = "email";
    ch.url = "http://example.com";
    assert_int_equal(mdl_alert_send(&ctx, &ch, &a, &err), MDL_ERR_INVALID_ARG);
    ch.url = "smtp://127.0.0.1:9";
    ch.from = "not an address";
    const char *to[] = {"a@b.org"};
    ch.to = to;
    ch.num_to = 1;
    assert_int_equal(mdl_alert_send(&ctx, &ch, &a, &err), MDL_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "sender 'not an address' is not an address"));
    ch.type = "file";
    ch.path = NULL;
    assert_int_equal(mdl_alert_send(&ctx, &ch, &a, &err), MDL_ERR_INVALID_ARG);
    ch.timeout_ms = -1;
    assert_int_equal(mdl_alert_send(&ctx, &ch, &a, &err), MDL_ERR_INVALID_ARG);
    a.event = NULL;
    ch.timeout_ms = 0;
    ch.name = NULL; /* the type names the channel */
    assert_int_equal(mdl_alert_send(&ctx, &ch, &a, &err), MDL_ERR_INVALID_ARG);
    assert_string_equal(err.message, "alert channel 'file': the alert has no event");
    assert_int_equal(counts.live, 0);
}

static void test_observe_alert__file_channel(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc counts;
    mdl_test_counting_ctx(&ctx, &counts);
    char dir[] = "/tmp/mdl_alert_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/a/b/alerts.jsonl", dir);
    mdl_alert a = sample_alert();
    mdl_alert_channel ch = {.name = "log", .type = "file", .path = path};
    mdl_error err;
    assert_int_equal(mdl_alert_send(&ctx, &ch, &a, &err), MDL_OK);
    a.event = "sla_missed";
    a.severity = "warning";
    assert_int_equal(mdl_alert_send(&ctx, &ch, &a, &err), MDL_OK);
    size_t len;
    char *text = mdl_test_read_file(path, &len);
    assert_non_null(text);
    char *second = strchr(text, '\n');
    assert_non_null(second);
    assert_int_equal(strncmp(text, "{\"event\":\"task_failed\",", 23), 0);
    assert_int_equal(strncmp(second + 1, "{\"event\":\"sla_missed\",\"severity\":\"warning\"", 42),
                     0);
    assert_int_equal(text[len - 1], '\n');
    assert_ptr_equal(strchr(second + 1, '\n'), text + len - 1); /* two lines */
    free(text);
    assert_int_equal(counts.live, 0);

    /* A folder in the way: an IO error naming the channel. */
    snprintf(path, sizeof path, "%s/a/b", dir);
    assert_int_equal(mdl_alert_send(&ctx, &ch, &a, &err), MDL_ERR_IO);
    assert_non_null(strstr(err.message, "alert channel 'log': cannot open"));
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* Every allocation failing in turn: NOMEM or success, never a leak or a crash. */
static void test_observe_alert__out_of_memory(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc counts;
    mdl_test_counting_ctx(&ctx, &counts);
    mdl_alert a = sample_alert();
    const char *to[] = {"a@x.org"};
    bool finished = false;
    for (long n = 0; n < 500 && !finished; n++) {
        counts.fail_after = n;
        mdl_observe__alert_text t;
        mdl_buf b;
        mdl_buf_init(&b, &ctx, 0);
        int rc = mdl_observe__alert_text_init(&t, &ctx, &a, NULL);
        if (rc == MDL_OK) {
            rc = mdl_observe__webhook_body(&t, &b, NULL);
            if (rc == MDL_OK)
                rc = mdl_observe__file_line(&t, &b, NULL);
            if (rc == MDL_OK)
                rc = mdl_observe__email_message(&t, "m@x.org", to, 1, 0, "id", &b, NULL);
            mdl_observe__alert_text_reset(&t);
        }
        mdl_buf_reset(&b);
        assert_true(rc == MDL_OK || rc == MDL_ERR_NOMEM);
        assert_int_equal(counts.live, 0);
        finished = rc == MDL_OK;
    }
    assert_true(finished);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_observe_alert__clean_text),
        cmocka_unit_test(test_observe_alert__text_checks),
        cmocka_unit_test(test_observe_alert__headline),
        cmocka_unit_test(test_observe_alert__file_line),
        cmocka_unit_test(test_observe_alert__webhook_body),
        cmocka_unit_test(test_observe_alert__email_message),
        cmocka_unit_test(test_observe_alert__subject_rfc2047),
        cmocka_unit_test(test_observe_alert__dates_and_addresses),
        cmocka_unit_test(test_observe_alert__redact_and_scrub),
        cmocka_unit_test(test_observe_alert__send_checks),
        cmocka_unit_test(test_observe_alert__file_channel),
        cmocka_unit_test(test_observe_alert__out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
