/*
 * gen_redshift.c - the Redshift UNLOAD of web/app behaviour: pipe-delimited with a header,
 * lower-case columns, timestamps "YYYY-MM-DD HH:MM:SS" (docs/landing.md, "redshift/behavior").
 * Re-delivered rows are exact copies of earlier rows written at the start of the next file
 * (or at the end of the last one), as a retried UNLOAD part would.
 */
#include <stdlib.h>
#include <string.h>

#include "gen_internal.h"

static const char *const COLS[] = {
    "behavior_id", "customer_id",  "session_id",       "event_name",       "event_ts",
    "page_url",    "referrer",     "device_type",      "browser",          "os",
    "country",     "city",         "duration_seconds", "conversion_value", "utm_source",
    "utm_medium",  "utm_campaign", "utm_content",      "utm_term"};
static const char KINDS[] = "sssstooooo"
                            "ooidooooo";

static const char *const EVENTS[] = {"page_view", "search",   "view_product", "add_to_cart",
                                     "checkout",  "purchase", "login"};
static const uint32_t EVENT_WEIGHTS[] = {40, 15, 20, 10, 5, 4, 6};
static const char *const DEVICES[] = {"desktop", "mobile", "tablet"};
static const char *const BROWSERS[] = {"Chrome", "Safari", "Firefox", "Edge", "Samsung Internet"};
static const char *const OSES[] = {"Windows", "macOS", "iOS", "Android", "Linux"};
static const char *const REFERRERS[] = {"https://www.google.com/", "https://www.bing.com/",
                                        "https://t.co/", "https://www.facebook.com/",
                                        "https://news.example.com/a?x=1|2"};
static const char *const UTM_SOURCES[] = {"google", "facebook", "newsletter", "bing", "tiktok"};
static const char *const UTM_MEDIUMS[] = {"cpc", "social", "email", "organic", "display"};
static const char *const UTM_CAMPAIGNS[] = {"spring_sale", "black_friday", "brand", "retarget",
                                            "launch_2025"};
static const char *const UTM_TERMS[] = {"running shoes", "laptop", "gift ideas", "headphones",
                                        "desk lamp"};

static int write_one(gen *g, gen_set *s, gen_row *row, uint64_t j, bool dup, bool *redeliver)
{
    gen_rng r;
    gen_rng_seed(&r, g->seed, GEN_S_BEHAVIOR, j);
    bool orphan = gen_defect(g, &r, GEN_D_ORPHAN), future = gen_defect(g, &r, GEN_D_FUTURE);
    *redeliver = gen_defect(g, &r, GEN_D_REDELIVERED);
    gen_row_begin(row, s, &r);
    uint64_t cust = 1 + gen_below(&r, g->n_customers);
    uint64_t orphan_id = g->n_customers + 1 + gen_below(&r, 900000);
    if (orphan)
        cust = orphan_id;
    int64_t ts = (g->as_of - 90) * GEN_MS_PER_DAY + (int64_t)gen_below(&r, 90 * 86400ULL) * 1000;
    int64_t fut = g->as_of * GEN_MS_PER_DAY + (int64_t)gen_range(&r, 86400, 30 * 86400) * 1000;
    if (future)
        ts = fut;
    size_t ev = gen_weighted(&r, EVENT_WEIGHTS, 7);
    gen_person p;
    gen_customer_person(g, orphan ? 1 : cust, &p);
    char id[32], cid[32], sess[40], url[96];
    snprintf(id, sizeof id, "BEH-%08llu", (unsigned long long)j);
    snprintf(cid, sizeof cid, "CUST-%06llu", (unsigned long long)cust);
    snprintf(sess, sizeof sess, "sess-%012llx",
             (unsigned long long)(gen_next(&r) & 0xffffffffffffULL));
    uint64_t prod = 1 + gen_below(&r, g->n_products);
    if (ev == 2 || ev == 3)
        snprintf(url, sizeof url, "https://shop.example.com/p/PROD-%06llu",
                 (unsigned long long)prod);
    else if (ev == 1)
        snprintf(url, sizeof url, "https://shop.example.com/search?q=item%llu",
                 (unsigned long long)(prod % 97));
    else
        snprintf(url, sizeof url, "https://shop.example.com/%s", EVENTS[ev]);
    bool direct = gen_below(&r, 100) < 40;
    gen_f_text(row, id);
    gen_f_text(row, cid);
    gen_f_text(row, sess);
    gen_f_text(row, EVENTS[ev]);
    gen_f_ts(row, ts, GEN_TS_SPACE);
    gen_f_text(row, url);
    if (direct)
        gen_f_null(row);
    else
        gen_f_text(row, GEN_PICK(&r, REFERRERS));
    gen_f_text(row, GEN_PICK(&r, DEVICES));
    gen_f_text(row, GEN_PICK(&r, BROWSERS));
    gen_f_text(row, GEN_PICK(&r, OSES));
    gen_f_text(row, p.place->country);
    gen_f_text(row, p.place->city);
    gen_f_int(row, gen_range(&r, 1, 1800));
    if (ev == 5)
        gen_f_dec(row, gen_range(&r, 500, 250000), 2);
    else
        gen_f_null(row);
    if (direct) {
        for (int i = 0; i < 5; i++)
            gen_f_null(row);
    } else {
        char content[32];
        snprintf(content, sizeof content, "ad_%u", (unsigned)gen_range(&r, 1, 40));
        gen_f_text(row, GEN_PICK(&r, UTM_SOURCES));
        gen_f_text(row, GEN_PICK(&r, UTM_MEDIUMS));
        gen_f_text(row, GEN_PICK(&r, UTM_CAMPAIGNS));
        gen_f_text(row, content);
        gen_f_text(row, GEN_PICK(&r, UTM_TERMS));
    }
    row->mask |= (orphan ? 1u << GEN_D_ORPHAN : 0) | (future ? 1u << GEN_D_FUTURE : 0) |
                 (dup ? 1u << GEN_D_REDELIVERED : 0);
    return gen_row_end(row);
}

int gen_redshift(gen *g)
{
    gen_set s;
    gen_set_init(&s, g, "redshift/behavior", "redshift/behavior/behavior", "csv", true, '|', 19,
                 COLS, KINDS);
    gen_row row = {0};
    uint64_t *pending = NULL;
    size_t npending = 0, cap = 0;
    bool again;
    for (uint64_t j = 1; j <= g->n_behavior; j++) {
        if (gen_set_full(&s)) {
            /* rows to re-deliver go first into the next file */
            for (size_t i = 0; i < npending; i++)
                if (write_one(g, &s, &row, pending[i], true, &again) != 0)
                    goto fail;
            npending = 0;
        }
        bool redeliver;
        if (write_one(g, &s, &row, j, false, &redeliver) != 0)
            goto fail;
        if (redeliver) {
            if (npending == cap) {
                cap = cap ? cap * 2 : 256;
                uint64_t *p = realloc(pending, cap * sizeof *pending);
                if (p == NULL) {
                    snprintf(g->err, sizeof g->err, "out of memory");
                    goto fail;
                }
                pending = p;
            }
            pending[npending++] = j;
        }
    }
    for (size_t i = 0; i < npending; i++)
        if (write_one(g, &s, &row, pending[i], true, &again) != 0)
            goto fail;
    free(pending);
    gen_buf_free(&row.buf);
    return gen_set_close(&s);
fail:
    free(pending);
    gen_buf_free(&row.buf);
    gen_set_abort(&s);
    return -1;
}
