/*
 * gen_fx.c - the FX vendor's API responses, one JSON document per month (docs/landing.md,
 * "fx/rates_YYYY-MM.json"): USD rates of seven currencies on weekdays of the two years before
 * the reference date, as 6-digit decimal strings. Each currency walks from its base rate with
 * a pull back towards it, in integer millionths; about 10% of the rates are quoted the other
 * way round (base = the currency, quote = USD, the inverse rate).
 */
#include <string.h>

#include "gen_internal.h"

static const char *const QUOTES[7] = {"EUR", "GBP", "JPY", "AUD", "CAD", "INR", "CHF"};
static const int64_t BASE_MICRO[7] = {920000,  790000,   150000000, 1520000,
                                      1360000, 83000000, 880000};

static int64_t inverse_micro(int64_t micro)
{
    return (1000000000000LL + micro / 2) / micro;
}

static void put_rate(gen_buf *b, const char *key, int64_t micro)
{
    gen_puts(b, ", \"");
    gen_puts(b, key);
    gen_puts(b, "\": \"");
    gen_put_dec(b, micro, 6);
    gen_putc(b, '"');
}

int gen_fx(gen *g)
{
    int64_t rate[7];
    memcpy(rate, BASE_MICRO, sizeof rate);
    int64_t first = g->as_of - 730, last = g->as_of - 1;
    gen_file f = {0};
    bool open = false;
    unsigned month = 0;
    uint64_t in_file = 0;
    gen_buf b = {0};
    for (int64_t day = first; day <= last; day++) {
        int64_t y;
        unsigned m, d;
        gen_civil_from_days(day, &y, &m, &d);
        if (open && m != month) {
            if (gen_file_write(&f, "\n]}\n", 4) != 0 || gen_file_close(&f) != 0)
                goto fail;
            open = false;
        }
        if (!open) {
            char rel[64];
            snprintf(rel, sizeof rel, "fx/rates_%04lld-%02u.json", (long long)y, m);
            if (gen_file_open(g, rel, "fx", &f) != 0)
                return -1;
            open = true;
            month = m;
            in_file = 0;
            b.len = 0;
            gen_puts(&b, "{\"provider\": \"fxfeed\", \"base\": \"USD\", \"generated_at\": \"");
            gen_put_date(&b, g->as_of);
            gen_puts(&b, "T00:00:00Z\",\n \"rates\": [");
            if (gen_file_write(&f, b.p, b.len) != 0)
                goto fail;
        }
        int wd = gen_weekday(day);
        for (int c = 0; c < 7; c++) {
            gen_rng r;
            gen_rng_seed(&r, g->seed, GEN_S_FX, (uint64_t)day * 8 + (uint64_t)c);
            /* the walk moves every calendar day, the feed publishes on weekdays */
            int64_t step = rate[c] * gen_range(&r, -40, 40) / 10000;
            rate[c] += step + (BASE_MICRO[c] - rate[c]) / 50;
            if (wd == 0 || wd == 6)
                continue;
            bool inverted = gen_below(&r, 100) < 10;
            bool cut = gen_defect(g, &r, GEN_D_BAD_RECORD);
            int64_t spread = rate[c] * 5 / 10000;
            if (spread < 1)
                spread = 1;
            int64_t mid = rate[c], bid = rate[c] - spread, ask = rate[c] + spread;
            if (inverted) {
                int64_t ib = inverse_micro(ask), ia = inverse_micro(bid);
                mid = inverse_micro(mid);
                bid = ib;
                ask = ia;
            }
            b.len = 0;
            gen_puts(&b, in_file ? ",\n  " : "\n  ");
            gen_puts(&b, "{\"date\": \"");
            gen_put_date(&b, day);
            gen_puts(&b, "\", \"base\": \"");
            gen_puts(&b, inverted ? QUOTES[c] : "USD");
            gen_puts(&b, "\", \"quote\": \"");
            gen_puts(&b, inverted ? "USD" : QUOTES[c]);
            gen_putc(&b, '"');
            /* an unparsable record: an entry without its rate */
            if (!cut)
                put_rate(&b, "rate", mid);
            put_rate(&b, "bid", bid);
            put_rate(&b, "ask", ask);
            gen_putc(&b, '}');
            if (gen_file_write(&f, b.p, b.len) != 0)
                goto fail;
            gen_file_rec *rec = &g->files[f.rec];
            rec->rows++;
            if (cut)
                rec->defects[GEN_D_BAD_RECORD]++;
            in_file++;
        }
    }
    if (open && (gen_file_write(&f, "\n]}\n", 4) != 0 || gen_file_close(&f) != 0))
        goto fail_closed;
    gen_buf_free(&b);
    return 0;
fail:
    gen_file_abort(&f);
fail_closed:
    gen_buf_free(&b);
    return -1;
}
