/*
 * gen_orders.c - deterministic generator of the "orders" CSV that medallion's benchmarks,
 * demo and end-to-end tests ingest. Standalone: it does not link against libmedallion.
 *
 *   mdl_gen_orders ROWS SEED [--defects RATE] > orders.csv
 *
 * The same arguments always give byte-identical output (a seeded xoshiro256** stream;
 * no clock, no floating point in anything that is printed). Columns:
 *
 *   order_id     ORD-%08d. About 5% of rows re-emit a recent order: same order, same
 *                order_date, later order_ts, status moved forward. So a "latest row per
 *                order_id" dedup has real work to do.
 *   customer_id  CUST-%07d, 200k customers, skewed (a hot set plus a power-law tail)
 *   product_id   SKU-%06d, 50k products, skewed
 *   order_date   YYYY-MM-DD in 2024, the day the order was first placed
 *   order_ts     ISO-8601 UTC with milliseconds, "2024-03-05T12:34:56.789Z"; rises with the
 *                row number (plus jitter) from 2024-01-01 to 2024-12-31
 *   quantity     1..10, mostly small
 *   unit_price   2 decimals, a per-product USD price converted to the row's currency
 *   currency     USD/EUR/GBP/JPY/INR, from the country
 *   status       pending/paid/shipped/delivered/cancelled
 *   country      30 ISO 3166 alpha-2 codes, US heavy; a property of the customer
 *   email        first.last<n>@domain, a property of the customer
 *
 * About 122 bytes per row. Memory does not grow with ROWS: only a ring of the most recent
 * orders is kept, because updates only touch recent orders.
 *
 * --defects RATE (0..1) makes that fraction of rows dirty the way real exports are: a blank
 * customer_id, a malformed order_date (2024-13-45), a non-numeric quantity ("two"), a
 * unit_price with letters, a record with a missing field, and (not a defect, but a trap for
 * naive parsers) a quoted email containing a comma or doubled quotes. Defect choices come
 * from a second random stream, so every other row is identical to the clean file. The
 * defect counts go to stderr. Without --defects the output is clean.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- random numbers ------------------------------------------------------------------------ */

/* splitmix64 (Steele, Lea, Flood 2014): seeds the generators and hashes ids. */
static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static uint64_t hash64(uint64_t x)
{
    return splitmix64(&x);
}

/* xoshiro256** (Blackman, Vigna 2018): the main stream. */
typedef struct rng {
    uint64_t s[4];
} rng;

static void rng_seed(rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl64(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl64(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl64(s[3], 45);
    return result;
}

/* Uniform in [0, n) for n <= 2^32 (multiply-shift; the bias is below 2^-32). */
static uint32_t rng_below(rng *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * n) >> 32);
}

/* Uniform in [0, 1) with 53 bits. Used only to pick, never printed. */
static double rng_unit(rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* ---- vocabulary ---------------------------------------------------------------------------- */

enum { CUR_USD, CUR_EUR, CUR_GBP, CUR_JPY, CUR_INR, NUM_CURRENCIES };
static const char *const CURRENCY[NUM_CURRENCIES] = {"USD", "EUR", "GBP", "JPY", "INR"};
/* Units of the currency per 1000 USD; a fixed rate keeps prices stable per product. */
static const uint32_t PER_1000_USD[NUM_CURRENCIES] = {1000, 920, 790, 150000, 83000};

typedef struct country {
    const char code[3];
    uint8_t currency;
    uint16_t weight; /* relative share of customers */
} country;

#define NUM_COUNTRIES 30
static const country COUNTRIES[NUM_COUNTRIES] = {
    {"US", CUR_USD, 2950}, {"GB", CUR_GBP, 900}, {"DE", CUR_EUR, 800}, {"FR", CUR_EUR, 650},
    {"IN", CUR_INR, 600},  {"JP", CUR_JPY, 500}, {"CA", CUR_USD, 450}, {"AU", CUR_USD, 350},
    {"ES", CUR_EUR, 300},  {"IT", CUR_EUR, 300}, {"NL", CUR_EUR, 250}, {"BR", CUR_USD, 250},
    {"MX", CUR_USD, 200},  {"SE", CUR_EUR, 150}, {"PL", CUR_EUR, 150}, {"BE", CUR_EUR, 120},
    {"IE", CUR_EUR, 100},  {"AT", CUR_EUR, 100}, {"PT", CUR_EUR, 90},  {"FI", CUR_EUR, 80},
    {"DK", CUR_EUR, 80},   {"NO", CUR_EUR, 80},  {"CH", CUR_EUR, 100}, {"SG", CUR_USD, 90},
    {"NZ", CUR_USD, 60},   {"ZA", CUR_USD, 60},  {"AE", CUR_USD, 60},  {"KR", CUR_USD, 80},
    {"IL", CUR_USD, 50},   {"GR", CUR_EUR, 50},
};
#define COUNTRY_WEIGHT_TOTAL 10000

enum { ST_PENDING, ST_PAID, ST_SHIPPED, ST_DELIVERED, ST_CANCELLED, NUM_STATUSES };
static const char *const STATUS[NUM_STATUSES] = {"pending", "paid", "shipped", "delivered",
                                                 "cancelled"};

#define NUM_FIRST 20
static const char *const FIRST_NAME[NUM_FIRST] = {
    "alex", "maria", "chen",  "david", "fatima", "hiro", "ingrid", "jose", "kofi",   "lena",
    "omar", "nadia", "oscar", "paula", "ravi",   "sara", "tomas",  "uma",  "victor", "zoe"};
#define NUM_LAST 20
static const char *const LAST_NAME[NUM_LAST] = {
    "anderson", "becker", "costa", "dubois",   "eriksen", "fischer", "gonzalez",
    "hansen",   "ito",    "jones", "kowalski", "lopez",   "mehta",   "nakamura",
    "oconnor",  "patel",  "quinn", "rossi",    "schmidt", "yilmaz"};
#define NUM_DOMAINS 8
static const char *const DOMAIN[NUM_DOMAINS] = {"gmail.com", "outlook.com",     "yahoo.com",
                                                "proton.me", "icloud.com",      "example.com",
                                                "web.de",    "mail.example.org"};

#define NUM_CUSTOMERS 200000u
#define NUM_PRODUCTS  50000u
#define DAYS_2024     366
#define MS_PER_DAY    INT64_C(86400000)
#define YEAR_MS       (DAYS_2024 * MS_PER_DAY)
#define MAX_ROWS      UINT64_C(1000000000)

/* The most recent orders, indexed by id modulo the ring size; updates pick among them. */
#define RING_SIZE    16384u
#define UPDATE_SHARE 0.05

static const char HEADER[] = "order_id,customer_id,product_id,order_date,order_ts,quantity,"
                             "unit_price,currency,status,country,email\n";
#define NUM_FIELDS 11
enum {
    F_ORDER_ID,
    F_CUSTOMER_ID,
    F_PRODUCT_ID,
    F_ORDER_DATE,
    F_ORDER_TS,
    F_QUANTITY,
    F_UNIT_PRICE,
    F_CURRENCY,
    F_STATUS,
    F_COUNTRY,
    F_EMAIL
};

/* ---- state ----------------------------------------------------------------------------------- */

typedef struct order {
    int64_t ts_ms;     /* order_ts of the latest row for this order, ms since 2024-01-01 */
    uint32_t customer; /* 1..NUM_CUSTOMERS */
    uint32_t product;  /* 1..NUM_PRODUCTS */
    uint16_t day;      /* order_date, days since 2024-01-01 */
    uint8_t quantity;
    uint8_t status;
} order;

typedef enum defect_kind {
    D_BLANK_CUSTOMER,
    D_BAD_DATE,
    D_BAD_QUANTITY,
    D_BAD_PRICE,
    D_MISSING_FIELD,
    D_QUOTED_VALID,
    NUM_DEFECT_KINDS
} defect_kind;

static const char *const DEFECT_NAME[NUM_DEFECT_KINDS] = {
    "blank_customer_id", "bad_order_date", "bad_quantity",
    "bad_unit_price",    "missing_field",  "quoted_email_valid"};

typedef struct gen {
    rng data; /* everything in a clean row */
    rng dirt; /* which rows get a defect, and which */
    uint64_t customer_salt;
    uint64_t product_salt;
    double defect_rate;
    uint64_t defects[NUM_DEFECT_KINDS];
    char dates[DAYS_2024][10];                       /* "2024-MM-DD" per day */
    uint8_t country_of_weight[COUNTRY_WEIGHT_TOTAL]; /* weight slot -> country index */
    order ring[RING_SIZE];
} gen;

/* ---- output ---------------------------------------------------------------------------------- */

#define OUT_CAP     (1u << 20)
#define ROW_MAX     512 /* no row, dirty or clean, is longer than this */
#define SCRATCH_MAX 1024

typedef struct outbuf {
    char *buf;
    size_t len;
} outbuf;

static int out_flush(outbuf *o)
{
    if (o->len > 0 && fwrite(o->buf, 1, o->len, stdout) != o->len) {
        fprintf(stderr, "mdl_gen_orders: write failed: %s\n", strerror(errno));
        return 1;
    }
    o->len = 0;
    return 0;
}

static char *put_mem(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

static char *put_str(char *p, const char *s)
{
    return put_mem(p, s, strlen(s));
}

/* Exactly `width` decimal digits, zero padded (the value must fit). */
static char *put_digits(char *p, uint64_t v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

/* Shortest decimal form; at least `min_width` digits. */
static char *put_uint(char *p, uint64_t v, int min_width)
{
    char tmp[20];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n < min_width)
        tmp[n++] = '0';
    while (n > 0)
        *p++ = tmp[--n];
    return p;
}

/* ---- generation ------------------------------------------------------------------------------ */

static void gen_init(gen *g, uint64_t seed, double defect_rate)
{
    static const int month_days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int day = 0;

    memset(g, 0, sizeof *g);
    rng_seed(&g->data, seed);
    rng_seed(&g->dirt, seed ^ UINT64_C(0xd1b54a32d192ed03));
    g->customer_salt = hash64(seed ^ UINT64_C(0x6a09e667f3bcc908));
    g->product_salt = hash64(seed ^ UINT64_C(0xbb67ae8584caa73b));
    g->defect_rate = defect_rate;

    for (int m = 0; m < 12; m++) {
        for (int d = 1; d <= month_days[m]; d++, day++) {
            char *p = g->dates[day];
            p = put_mem(p, "2024-", 5);
            p = put_digits(p, (uint64_t)m + 1, 2);
            *p++ = '-';
            put_digits(p, (uint64_t)d, 2);
        }
    }

    size_t slot = 0;
    for (int c = 0; c < NUM_COUNTRIES; c++)
        for (int w = 0; w < COUNTRIES[c].weight && slot < COUNTRY_WEIGHT_TOTAL; w++)
            g->country_of_weight[slot++] = (uint8_t)c;
}

/* A skewed pick in 1..n: a share of picks go to a small hot set, the rest follow u^2. */
static uint32_t pick_skewed(rng *r, uint32_t n, uint32_t hot_n, uint32_t hot_percent)
{
    if (rng_below(r, 100) < hot_percent)
        return 1 + rng_below(r, hot_n);
    double u = rng_unit(r);
    uint32_t v = (uint32_t)((double)n * u * u);
    return 1 + (v < n ? v : n - 1);
}

static void new_order(gen *g, order *o, int64_t ts_ms)
{
    rng *r = &g->data;
    o->ts_ms = ts_ms;
    o->day = (uint16_t)(ts_ms / MS_PER_DAY < DAYS_2024 ? ts_ms / MS_PER_DAY : DAYS_2024 - 1);
    o->customer = pick_skewed(r, NUM_CUSTOMERS, 2000, 15);
    o->product = pick_skewed(r, NUM_PRODUCTS, 500, 25);

    /* quantity: 1 in half the orders, then a falling tail up to 10 */
    uint32_t q = rng_below(r, 1000);
    o->quantity = (uint8_t)(q < 500 ? 1 : q < 750 ? 2 : q < 870 ? 3 : 4 + (q - 870) / 19);

    uint32_t s = rng_below(r, 100); /* 20 / 30 / 25 / 20 / 5 % */
    o->status = (uint8_t)(s < 20   ? ST_PENDING
                          : s < 50 ? ST_PAID
                          : s < 75 ? ST_SHIPPED
                          : s < 95 ? ST_DELIVERED
                                   : ST_CANCELLED);
}

/* Moves an order's status forward; false when it cannot move (then pick another order). */
static int advance_status(rng *r, order *o)
{
    uint32_t x = rng_below(r, 100);
    switch (o->status) {
    case ST_PENDING:
        o->status = x < 85 ? ST_PAID : ST_CANCELLED;
        return 1;
    case ST_PAID:
        o->status = x < 92 ? ST_SHIPPED : ST_CANCELLED;
        return 1;
    case ST_SHIPPED:
        o->status = ST_DELIVERED;
        return 1;
    case ST_DELIVERED: /* a return, sometimes */
        if (x < 25) {
            o->status = ST_CANCELLED;
            return 1;
        }
        return 0;
    default:
        return 0;
    }
}

/* unit price in cents of the row's currency; fixed per product and currency */
static uint64_t unit_price_cents(const gen *g, uint32_t product, int currency)
{
    uint64_t h = hash64(g->product_salt ^ product);
    uint64_t tier = h % 10, x = h >> 8;
    uint64_t usd_cents = tier < 6   ? 199 + x % 9800
                         : tier < 9 ? 10000 + x % 90000
                                    : 100000 + x % 200000;
    if ((h >> 60) & 1)
        usd_cents = usd_cents - usd_cents % 100 + 99; /* charm pricing: 24.99 */
    uint64_t local = (usd_cents * PER_1000_USD[currency] + 500) / 1000;
    if (currency == CUR_JPY || currency == CUR_INR)
        local = (local + 50) / 100 * 100; /* priced in whole units */
    return local;
}

/*
 * Writes one clean row at p and records where each field starts and ends.
 * Returns the end of the row (after the newline).
 */
static char *format_row(const gen *g, char *p, uint64_t order_id, const order *o, int64_t ts_ms,
                        char *start[NUM_FIELDS], char *end[NUM_FIELDS])
{
    uint64_t ch = hash64(g->customer_salt ^ o->customer);
    const country *c = &COUNTRIES[g->country_of_weight[(ch >> 40) % COUNTRY_WEIGHT_TOTAL]];

    start[F_ORDER_ID] = p;
    p = put_mem(p, "ORD-", 4);
    p = put_uint(p, order_id, 8);
    end[F_ORDER_ID] = p;
    *p++ = ',';

    start[F_CUSTOMER_ID] = p;
    p = put_mem(p, "CUST-", 5);
    p = put_uint(p, o->customer, 7);
    end[F_CUSTOMER_ID] = p;
    *p++ = ',';

    start[F_PRODUCT_ID] = p;
    p = put_mem(p, "SKU-", 4);
    p = put_uint(p, o->product, 6);
    end[F_PRODUCT_ID] = p;
    *p++ = ',';

    start[F_ORDER_DATE] = p;
    p = put_mem(p, g->dates[o->day], 10);
    end[F_ORDER_DATE] = p;
    *p++ = ',';

    int64_t day = ts_ms / MS_PER_DAY, ms = ts_ms % MS_PER_DAY;
    start[F_ORDER_TS] = p;
    p = put_mem(p, g->dates[day], 10);
    *p++ = 'T';
    p = put_digits(p, (uint64_t)(ms / 3600000), 2);
    *p++ = ':';
    p = put_digits(p, (uint64_t)(ms / 60000 % 60), 2);
    *p++ = ':';
    p = put_digits(p, (uint64_t)(ms / 1000 % 60), 2);
    *p++ = '.';
    p = put_digits(p, (uint64_t)(ms % 1000), 3);
    *p++ = 'Z';
    end[F_ORDER_TS] = p;
    *p++ = ',';

    start[F_QUANTITY] = p;
    p = put_uint(p, o->quantity, 1);
    end[F_QUANTITY] = p;
    *p++ = ',';

    uint64_t cents = unit_price_cents(g, o->product, c->currency);
    start[F_UNIT_PRICE] = p;
    p = put_uint(p, cents / 100, 1);
    *p++ = '.';
    p = put_digits(p, cents % 100, 2);
    end[F_UNIT_PRICE] = p;
    *p++ = ',';

    start[F_CURRENCY] = p;
    p = put_mem(p, CURRENCY[c->currency], 3);
    end[F_CURRENCY] = p;
    *p++ = ',';

    start[F_STATUS] = p;
    p = put_str(p, STATUS[o->status]);
    end[F_STATUS] = p;
    *p++ = ',';

    start[F_COUNTRY] = p;
    p = put_mem(p, c->code, 2);
    end[F_COUNTRY] = p;
    *p++ = ',';

    start[F_EMAIL] = p;
    p = put_str(p, FIRST_NAME[ch % NUM_FIRST]);
    *p++ = '.';
    p = put_str(p, LAST_NAME[(ch >> 8) % NUM_LAST]);
    p = put_uint(p, 1 + (ch >> 16) % 999, 1);
    *p++ = '@';
    p = put_str(p, DOMAIN[(ch >> 32) % NUM_DOMAINS]);
    end[F_EMAIL] = p;
    *p++ = '\n';
    return p;
}

/* Appends `s` as a quoted CSV field, doubling embedded quotes. */
static char *put_quoted(char *p, const char *s, size_t n)
{
    *p++ = '"';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            *p++ = '"';
        *p++ = s[i];
    }
    *p++ = '"';
    return p;
}

/*
 * Rewrites the clean row [row, row_end) at `row` with one defect. The clean row is copied
 * out first because a defect can make the row longer. Returns the new end of the row.
 */
static char *apply_defect(gen *g, char *row, char *row_end, char *start[NUM_FIELDS],
                          char *end[NUM_FIELDS])
{
    static const char *const bad_dates[] = {"2024-13-45", "2024-02-30", "2024-00-10", "31/12/2024",
                                            "2024-06-31"};
    static const char *const bad_quantities[] = {"two", "3pcs", "ten", "one", "x"};
    static const char *const bad_prices[] = {"12.O5", "19.99EUR", "N/A", "abc", "4.2e"};
    char scratch[ROW_MAX];
    const char *field[NUM_FIELDS];
    size_t len[NUM_FIELDS];
    char quoted[ROW_MAX];
    size_t quoted_len = 0;
    rng *r = &g->dirt;

    size_t row_len = (size_t)(row_end - row);
    memcpy(scratch, row, row_len);
    for (int k = 0; k < NUM_FIELDS; k++) {
        field[k] = scratch + (start[k] - row);
        len[k] = (size_t)(end[k] - start[k]);
    }

    int drop = -1;
    uint32_t pick = rng_below(r, 100);
    defect_kind kind = pick < 18   ? D_BLANK_CUSTOMER
                       : pick < 36 ? D_BAD_DATE
                       : pick < 54 ? D_BAD_QUANTITY
                       : pick < 72 ? D_BAD_PRICE
                       : pick < 86 ? D_MISSING_FIELD
                                   : D_QUOTED_VALID;
    g->defects[kind]++;
    switch (kind) {
    case D_BLANK_CUSTOMER:
        len[F_CUSTOMER_ID] = 0;
        break;
    case D_BAD_DATE:
        field[F_ORDER_DATE] = bad_dates[rng_below(r, 5)];
        len[F_ORDER_DATE] = strlen(field[F_ORDER_DATE]);
        break;
    case D_BAD_QUANTITY:
        field[F_QUANTITY] = bad_quantities[rng_below(r, 5)];
        len[F_QUANTITY] = strlen(field[F_QUANTITY]);
        break;
    case D_BAD_PRICE:
        field[F_UNIT_PRICE] = bad_prices[rng_below(r, 5)];
        len[F_UNIT_PRICE] = strlen(field[F_UNIT_PRICE]);
        break;
    case D_MISSING_FIELD:
        drop = 1 + (int)rng_below(r, NUM_FIELDS - 1);
        break;
    default: {
        /* valid CSV: an email field that needs quoting */
        char value[ROW_MAX / 2];
        size_t n = len[F_EMAIL], at = 0;
        while (at < n && field[F_EMAIL][at] != '@')
            at++;
        if (rng_below(r, 2) == 0) { /* two addresses in one field */
            memcpy(value, field[F_EMAIL], n);
            memcpy(value + n, ", ", 2);
            memcpy(value + n + 2, field[F_EMAIL], at);
            memcpy(value + n + 2 + at, "@work.example.com", 17);
            n = n + 2 + at + 17;
        } else { /* a display name with quotes: "Name" <addr> */
            value[0] = '"';
            memcpy(value + 1, field[F_EMAIL], at);
            memcpy(value + 1 + at, "\" <", 3);
            memcpy(value + 4 + at, field[F_EMAIL], n);
            value[4 + at + n] = '>';
            n = 5 + at + n;
        }
        quoted_len = (size_t)(put_quoted(quoted, value, n) - quoted);
        field[F_EMAIL] = quoted;
        len[F_EMAIL] = quoted_len;
        break;
    }
    }

    char *p = row;
    int first = 1;
    for (int k = 0; k < NUM_FIELDS; k++) {
        if (k == drop)
            continue;
        if (!first)
            *p++ = ',';
        first = 0;
        p = put_mem(p, field[k], len[k]);
    }
    *p++ = '\n';
    return p;
}

static int generate(gen *g, uint64_t rows, outbuf *o)
{
    /* the base timestamp spans the year minus a margin for jitter and update delays */
    const int64_t span = YEAR_MS - 10 * 60 * 1000;
    const uint64_t step_q = rows ? (uint64_t)span / rows : 0,
                   step_r = rows ? (uint64_t)span % rows : 0;
    uint64_t created = 0;
    char *start[NUM_FIELDS], *end[NUM_FIELDS];

    memcpy(o->buf, HEADER, sizeof HEADER - 1);
    o->len = sizeof HEADER - 1;

    for (uint64_t i = 0; i < rows; i++) {
        rng *r = &g->data;
        int64_t ts = (int64_t)(step_q * i + step_r * i / rows) + (int64_t)rng_below(r, 300000);
        uint64_t id = 0;
        order *ord = NULL;

        if (created >= 100 && rng_unit(r) < UPDATE_SHARE) {
            uint32_t window = created < RING_SIZE ? (uint32_t)created : RING_SIZE;
            for (int attempt = 0; attempt < 4 && ord == NULL; attempt++) {
                uint64_t cand = created - rng_below(r, window);
                order *x = &g->ring[cand % RING_SIZE];
                if (advance_status(r, x)) {
                    id = cand;
                    ord = x;
                }
            }
            if (ord != NULL) {
                /* an update always comes after the row it updates */
                int64_t later = ord->ts_ms + 1000 + (int64_t)rng_below(r, 60000);
                if (ts < later)
                    ts = later;
                if (ts >= YEAR_MS)
                    ts = YEAR_MS - 1;
                ord->ts_ms = ts;
            }
        }
        if (ord == NULL) {
            id = ++created;
            ord = &g->ring[id % RING_SIZE];
            new_order(g, ord, ts);
        }

        char *row = o->buf + o->len;
        char *row_end = format_row(g, row, id, ord, ts, start, end);
        if (g->defect_rate > 0 && rng_unit(&g->dirt) < g->defect_rate)
            row_end = apply_defect(g, row, row_end, start, end);
        o->len = (size_t)(row_end - o->buf);
        if (o->len > OUT_CAP - SCRATCH_MAX && out_flush(o) != 0)
            return 1;
    }
    return out_flush(o);
}

/* ---- command line ---------------------------------------------------------------------------- */

static void usage(void)
{
    fputs("usage: mdl_gen_orders ROWS SEED [--defects RATE] > orders.csv\n"
          "  ROWS   number of data rows (0..1000000000)\n"
          "  SEED   unsigned 64-bit seed; the same ROWS and SEED give the same bytes\n"
          "  --defects RATE  make this fraction (0..1) of rows dirty; counts go to stderr\n",
          stderr);
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end = NULL;
    if (s[0] == '\0' || s[0] == '-' || s[0] == '+')
        return 0;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return 0;
    *out = (uint64_t)v;
    return 1;
}

static int parse_rate(const char *s, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (s[0] == '\0' || errno != 0 || *end != '\0' || !(v >= 0.0 && v <= 1.0))
        return 0;
    *out = v;
    return 1;
}

int main(int argc, char **argv)
{
    const char *positional[2] = {NULL, NULL};
    int npos = 0;
    double rate = 0.0;
    int defects = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage();
            return 0;
        } else if (strcmp(a, "--defects") == 0 && i + 1 < argc) {
            if (!parse_rate(argv[++i], &rate)) {
                fprintf(stderr, "mdl_gen_orders: --defects wants a rate in 0..1, not '%s'\n",
                        argv[i]);
                return 2;
            }
            defects = 1;
        } else if (strncmp(a, "--defects=", 10) == 0) {
            if (!parse_rate(a + 10, &rate)) {
                fprintf(stderr, "mdl_gen_orders: --defects wants a rate in 0..1, not '%s'\n",
                        a + 10);
                return 2;
            }
            defects = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "mdl_gen_orders: unknown option '%s'\n", a);
            usage();
            return 2;
        } else if (npos < 2) {
            positional[npos++] = a;
        } else {
            usage();
            return 2;
        }
    }

    uint64_t rows = 0, seed = 0;
    if (npos != 2) {
        usage();
        return 2;
    }
    if (!parse_u64(positional[0], &rows) || rows > MAX_ROWS) {
        fprintf(stderr, "mdl_gen_orders: ROWS must be an integer in 0..1000000000, not '%s'\n",
                positional[0]);
        return 2;
    }
    if (!parse_u64(positional[1], &seed)) {
        fprintf(stderr, "mdl_gen_orders: SEED must be an unsigned integer, not '%s'\n",
                positional[1]);
        return 2;
    }

    gen *g = malloc(sizeof *g);
    outbuf o = {malloc(OUT_CAP), 0};
    int rc = 1;
    if (g == NULL || o.buf == NULL) {
        fputs("mdl_gen_orders: out of memory\n", stderr);
        goto cleanup;
    }
    gen_init(g, seed, rate);
    rc = generate(g, rows, &o);
    if (rc == 0 && fflush(stdout) != 0) {
        fprintf(stderr, "mdl_gen_orders: write failed: %s\n", strerror(errno));
        rc = 1;
    }
    if (rc == 0 && defects) {
        uint64_t rejects = g->defects[D_BAD_DATE] + g->defects[D_BAD_QUANTITY] +
                           g->defects[D_BAD_PRICE] + g->defects[D_MISSING_FIELD];
        fprintf(stderr, "mdl_gen_orders: %llu rows, defect rate %g:", (unsigned long long)rows,
                rate);
        for (int k = 0; k < NUM_DEFECT_KINDS; k++)
            fprintf(stderr, " %s=%llu", DEFECT_NAME[k], (unsigned long long)g->defects[k]);
        fprintf(stderr,
                "; rows a typed reader must reject=%llu (%llu if customer_id is not null)\n",
                (unsigned long long)rejects,
                (unsigned long long)(rejects + g->defects[D_BLANK_CUSTOMER]));
    }

cleanup:
    free(o.buf);
    free(g);
    return rc;
}
