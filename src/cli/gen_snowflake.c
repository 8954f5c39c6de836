/*
 * gen_snowflake.c - the Snowflake unloads: customers, products, the orders snapshot and the
 * 30 daily order change files (docs/landing.md, "snowflake/..."). Upper-case column names,
 * TIMESTAMP_NTZ as "YYYY-MM-DD HH:MM:SS.mmm". Orders are a pure function of their index
 * (gen_order_make) so that change files and Kafka events can carry the same order.
 */
#include <string.h>

#include "gen_internal.h"

static const char *const CUSTOMER_COLS[] = {"CUSTOMER_ID",
                                            "FIRST_NAME",
                                            "LAST_NAME",
                                            "EMAIL",
                                            "PHONE",
                                            "ADDRESS",
                                            "CITY",
                                            "STATE",
                                            "COUNTRY",
                                            "ZIP_CODE",
                                            "REGISTRATION_DATE",
                                            "GENDER",
                                            "AGE",
                                            "CUSTOMER_SEGMENT",
                                            "PREFERRED_CHANNEL",
                                            "CREATED_AT",
                                            "UPDATED_AT"};
static const char CUSTOMER_KINDS[] = "sssoooooso"
                                     "toisott";

static const char *const PRODUCT_COLS[] = {
    "PRODUCT_ID", "SKU",      "PRODUCT_NAME", "CATEGORY",       "SUBCATEGORY", "BRAND",
    "PRICE_USD",  "COST_USD", "ACTIVE",       "STOCK_QUANTITY", "CREATED_AT",  "UPDATED_AT"};
static const char PRODUCT_KINDS[] = "ssssooddbitt";

static const char *const ORDER_COLS[] = {
    "ORDER_ID",     "CUSTOMER_ID", "PRODUCT_ID",     "ORDER_DATE", "ORDER_TS",
    "QUANTITY",     "UNIT_PRICE",  "DISCOUNT_PCT",   "TAX_AMOUNT", "SHIPPING_COST",
    "TOTAL_AMOUNT", "CURRENCY",    "PAYMENT_METHOD", "STATUS",     "CHANNEL",
    "OP",           "UPDATED_AT"};
static const char ORDER_KINDS[] = "ssstti"
                                  "ddddds"
                                  "osost";

/* ---- products ----------------------------------------------------------------------------- */

static const char *const CATEGORIES[] = {"Books", "Sports", "Electronics", "Clothing",
                                         "Home",  "Toys",   "Automotive",  "Food"};
static const char *const SUBCATEGORIES[8][3] = {
    {"Fiction", "Non-fiction", "Comics"}, {"Outdoor", "Fitness", "Team Sports"},
    {"Audio", "Computers", "Phones"},     {"Men", "Women", "Kids"},
    {"Kitchen", "Furniture", "Garden"},   {"Puzzles", "Games", "Plush"},
    {"Parts", "Accessories", "Tools"},    {"Snacks", "Beverages", "Pantry"}};
static const char *const BRANDS[] = {"Acme",  "Globex", "Initech",  "Umbrella", "Stark",
                                     "Wayne", "Hooli",  "Vandelay", "Wonka",    "Tyrell"};
static const char *const ADJECTIVES[] = {"Classic", "Deluxe", "Compact", "Pro", "Eco",
                                         "Smart",   "Ultra",  "Mini",    "Max", "Essential"};
/* the price range of each category in USD cents */
static const int64_t PRICE_LO[8] = {499, 999, 1999, 999, 1499, 799, 999, 199};
static const int64_t PRICE_HI[8] = {4999, 29999, 199999, 19999, 89999, 9999, 49999, 2999};

typedef struct product {
    size_t cat;
    int64_t price; /* USD cents */
} product;

static void product_core(const gen *g, uint64_t p, gen_rng *r, product *out)
{
    gen_rng_seed(r, g->seed, GEN_S_PRODUCTS, p);
    out->cat = (size_t)gen_below(r, 8);
    out->price = gen_range(r, PRICE_LO[out->cat], PRICE_HI[out->cat]);
}

static int write_products(gen *g)
{
    gen_set s;
    gen_set_init(&s, g, "snowflake/products", "snowflake/products/products", "csv", true, ',', 12,
                 PRODUCT_COLS, PRODUCT_KINDS);
    gen_row row = {0};
    for (uint64_t p = 1; p <= g->n_products; p++) {
        gen_rng r;
        product pr;
        product_core(g, p, &r, &pr);
        gen_row_begin(&row, &s, &r);
        char id[32], sku[32], name[128];
        snprintf(id, sizeof id, "PROD-%06llu", (unsigned long long)p);
        snprintf(sku, sizeof sku, "SKU-%c%c-%06llu", CATEGORIES[pr.cat][0],
                 CATEGORIES[pr.cat][1] & ~0x20, (unsigned long long)p);
        const char *sub = SUBCATEGORIES[pr.cat][gen_below(&r, 3)];
        const char *brand = GEN_PICK(&r, BRANDS);
        snprintf(name, sizeof name, "%s %s %s", brand, GEN_PICK(&r, ADJECTIVES), sub);
        int64_t cost = pr.price * gen_range(&r, 40, 80) / 100;
        int64_t created = (g->as_of - 3 * 365) * GEN_MS_PER_DAY +
                          (int64_t)gen_below(&r, 2 * 365 * 86400ULL) * 1000 + gen_range(&r, 0, 999);
        int64_t updated = created + (int64_t)gen_below(&r, 300 * 86400ULL) * 1000;
        gen_f_text(&row, id);
        gen_f_text(&row, sku);
        gen_f_text(&row, name);
        gen_f_text(&row, CATEGORIES[pr.cat]);
        gen_f_text(&row, sub);
        gen_f_text(&row, brand);
        gen_f_dec(&row, pr.price, 2);
        gen_f_dec(&row, cost, 2);
        gen_f_bool(&row, gen_below(&r, 10) != 0, true);
        gen_f_int(&row, gen_range(&r, 0, 5000));
        gen_f_ts(&row, created, GEN_TS_SPACE_MS);
        gen_f_ts(&row, updated, GEN_TS_SPACE_MS);
        if (gen_row_end(&row) != 0)
            goto fail;
    }
    gen_buf_free(&row.buf);
    return gen_set_close(&s);
fail:
    gen_buf_free(&row.buf);
    gen_set_abort(&s);
    return -1;
}

/* ---- customers -------------------------------------------------------------------------- */

static const char *const STREETS[] = {"Main St",  "Oak Ave", "Maple Dr",  "Park Rd", "High St",
                                      "Cedar Ln", "Elm St",  "Lake View", "Hill Rd", "Station Rd"};
static const char *const SEGMENTS[] = {"PREMIUM", "STANDARD", "BASIC", "VIP"};
static const char *const CHANNELS_PREF[] = {"EMAIL", "SMS", "PHONE", "APP", "MAIL"};
static const char *const MAIL_DOMAINS[] = {"gmail.com", "yahoo.com", "outlook.com", "example.org",
                                           "mail.de"};

/* lower-case ASCII letters of s (names may carry accents and apostrophes) */
static size_t ascii_lower(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; *s && n + 1 < cap; s++) {
        char c = *s;
        if (c >= 'A' && c <= 'Z')
            out[n++] = (char)(c + 32);
        else if (c >= 'a' && c <= 'z')
            out[n++] = c;
    }
    out[n] = 0;
    return n;
}

static int write_customers(gen *g)
{
    gen_set s;
    gen_set_init(&s, g, "snowflake/customers", "snowflake/customers/customers", "csv", true, ',',
                 17, CUSTOMER_COLS, CUSTOMER_KINDS);
    gen_row row = {0};
    for (uint64_t i = 1; i <= g->n_customers; i++) {
        gen_person p;
        gen_customer_person(g, i, &p);
        gen_rng r;
        gen_rng_seed(&r, g->seed, GEN_S_CUSTOMERS + 100, i);
        gen_row_begin(&row, &s, &r);
        bool bad_email = gen_defect(g, &r, GEN_D_EMAIL), bad_phone = gen_defect(g, &r, GEN_D_PHONE);
        char id[32], email[160], phone[40], addr[96], zip[16], fl[64], ll[64];
        snprintf(id, sizeof id, "CUST-%06llu", (unsigned long long)i);
        ascii_lower(p.first, fl, sizeof fl);
        ascii_lower(p.last, ll, sizeof ll);
        const char *dom = GEN_PICK(&r, MAIL_DOMAINS);
        if (!bad_email)
            snprintf(email, sizeof email, "%s.%s%llu@%s", fl, ll, (unsigned long long)i, dom);
        else if (gen_below(&r, 2) == 0)
            snprintf(email, sizeof email, "%s.%s%llu_at_%s", fl, ll, (unsigned long long)i, dom);
        else
            snprintf(email, sizeof email, "%s.%s%llu@", fl, ll, (unsigned long long)i);
        gen_phone(&r, bad_phone, phone, sizeof phone);
        unsigned num = (unsigned)gen_range(&r, 1, 9999);
        const char *street = GEN_PICK(&r, STREETS);
        if (gen_below(&r, 5) == 0)
            snprintf(addr, sizeof addr, "%u %s, Apt %u", num, street,
                     (unsigned)gen_range(&r, 1, 99));
        else
            snprintf(addr, sizeof addr, "%u %s", num, street);
        snprintf(zip, sizeof zip, "%s%02u", p.place->zip_prefix, (unsigned)gen_below(&r, 100));
        int64_t reg_day = p.created_ms / GEN_MS_PER_DAY;
        int64_t updated = p.created_ms + (int64_t)gen_below(&r, 50 * 86400ULL) * 1000;
        static const char *const GENDERS[] = {"M", "F", "F", "M", "O"};
        gen_f_text(&row, id);
        gen_f_text(&row, p.first);
        gen_f_text(&row, p.last);
        gen_f_text(&row, email);
        gen_f_text(&row, phone);
        gen_f_text(&row, addr);
        gen_f_text(&row, p.place->city);
        gen_f_text(&row, p.place->state);
        gen_f_text(&row, p.place->country);
        gen_f_text(&row, zip);
        gen_f_date(&row, reg_day);
        gen_f_text(&row, GEN_PICK(&r, GENDERS));
        gen_f_int(&row, gen_range(&r, 18, 85));
        gen_f_text(&row, GEN_PICK(&r, SEGMENTS));
        gen_f_text(&row, GEN_PICK(&r, CHANNELS_PREF));
        gen_f_ts(&row, p.created_ms + gen_range(&r, 0, 999), GEN_TS_SPACE_MS);
        gen_f_ts(&row, updated + gen_range(&r, 0, 999), GEN_TS_SPACE_MS);
        row.mask |= (bad_email ? 1u << GEN_D_EMAIL : 0) | (bad_phone ? 1u << GEN_D_PHONE : 0);
        if (gen_row_end(&row) != 0)
            goto fail;
    }
    gen_buf_free(&row.buf);
    return gen_set_close(&s);
fail:
    gen_buf_free(&row.buf);
    gen_set_abort(&s);
    return -1;
}

/* ---- orders -------------------------------------------------------------------------------- */

static const char *const PAYMENTS[] = {"CREDIT_CARD", "DEBIT_CARD", "PAYPAL", "BANK_TRANSFER",
                                       "APPLE_PAY"};
static const char *const STATUSES[] = {"PENDING",   "PAID",      "SHIPPED",
                                       "DELIVERED", "CANCELLED", "RETURNED"};
static const uint32_t STATUS_WEIGHTS[] = {5, 10, 15, 55, 8, 7};
static const char *const ORDER_CHANNELS[] = {"WEB", "MOBILE", "CALL_CENTER", "PARTNER"};
static const uint32_t QTY_WEIGHTS[] = {50, 25, 12, 8, 5};
static const int64_t DISCOUNTS[] = {0, 0, 0, 5, 10, 15, 20};
static const int64_t TAX_PCT[] = {0, 5, 7, 8, 10, 20};
static const int64_t SHIPPING_USD[] = {0, 0, 499, 999, 1499};

int64_t gen_snapshot_last_day(const gen *g)
{
    return g->as_of - 31;
}

static uint64_t skewed(gen_rng *r, uint64_t n, unsigned hot_pct)
{
    uint64_t hot = n * 5 / 100;
    if (hot == 0)
        hot = 1;
    if (gen_below(r, 100) < hot_pct)
        return 1 + gen_below(r, hot);
    return 1 + gen_below(r, n);
}

void gen_order_make(const gen *g, uint64_t idx, int64_t date_override, gen_order *o)
{
    gen_rng r;
    gen_rng_seed(&r, g->seed, GEN_S_ORDERS, idx);
    memset(o, 0, sizeof *o);
    o->idx = idx;
    bool orphan = gen_defect(g, &r, GEN_D_ORPHAN), outlier = gen_defect(g, &r, GEN_D_OUTLIER),
         future = gen_defect(g, &r, GEN_D_FUTURE) && date_override < 0;
    bool orphan_product = gen_below(&r, 2) == 0;
    o->customer = skewed(&r, g->n_customers, 70);
    o->product = skewed(&r, g->n_products, 60);
    int64_t last = gen_snapshot_last_day(g);
    o->date = gen_range(&r, g->as_of - 730, last);
    if (future)
        o->date = g->as_of + gen_range(&r, 1, 30);
    if (date_override >= 0)
        o->date = date_override;
    o->ts_ms = o->date * GEN_MS_PER_DAY + gen_range(&r, 0, GEN_MS_PER_DAY - 1);
    o->qty = 1 + (int64_t)gen_weighted(&r, QTY_WEIGHTS, 5);
    uint32_t cw[GEN_NCURRENCIES];
    for (int i = 0; i < GEN_NCURRENCIES; i++)
        cw[i] = gen_currencies[i].weight;
    o->cur = &gen_currencies[gen_weighted(&r, cw, GEN_NCURRENCIES)];
    o->discount_pct = DISCOUNTS[gen_below(&r, 7)];
    int64_t tax_pct = TAX_PCT[gen_below(&r, 6)];
    o->shipping = gen_from_usd_cents(o->cur, SHIPPING_USD[gen_below(&r, 5)]);
    o->payment = GEN_PICK(&r, PAYMENTS);
    o->status = STATUSES[gen_weighted(&r, STATUS_WEIGHTS, 6)];
    o->channel = GEN_PICK(&r, ORDER_CHANNELS);
    uint64_t upd_ms = gen_next(&r);
    int64_t factor = gen_range(&r, 3, 15);
    uint64_t orphan_id = 1 + gen_below(&r, 900000);
    gen_rng pr;
    product prod;
    product_core(g, o->product, &pr, &prod);
    if (orphan) {
        if (orphan_product)
            o->product = g->n_products + orphan_id;
        else
            o->customer = g->n_customers + orphan_id;
        prod.price = 2999;
    }
    o->unit = gen_from_usd_cents(o->cur, prod.price);
    if (outlier)
        o->unit *= factor;
    int64_t subtotal = (o->qty * o->unit * (100 - o->discount_pct) + 50) / 100;
    o->tax = (subtotal * tax_pct + 50) / 100;
    o->total = subtotal + o->tax + o->shipping;
    /* the snapshot was taken at the end of its last day; an insert is updated that day */
    int64_t cap = (future               ? o->date
                   : date_override >= 0 ? o->date
                                        : last) *
                      GEN_MS_PER_DAY +
                  GEN_MS_PER_DAY - 1;
    /* updated within a week of the order, before the snapshot (or the insert's day) ends */
    int64_t span = cap - o->ts_ms;
    if (span > 7 * GEN_MS_PER_DAY)
        span = 7 * GEN_MS_PER_DAY;
    o->updated_ms = o->ts_ms + (span > 0 ? (int64_t)(upd_ms % (uint64_t)(span + 1)) : 0);
    o->mask = (orphan ? 1u << GEN_D_ORPHAN : 0) | (outlier ? 1u << GEN_D_OUTLIER : 0) |
              (future ? 1u << GEN_D_FUTURE : 0);
}

static int write_order(gen_row *row, gen_set *s, const gen_rng *r, const gen_order *o,
                       const char *op, const char *status, int64_t updated, uint32_t mask)
{
    gen_row_begin(row, s, r);
    char id[32], cust[32], prod[32];
    snprintf(id, sizeof id, "ORD-%08llu", (unsigned long long)o->idx);
    snprintf(cust, sizeof cust, "CUST-%06llu", (unsigned long long)o->customer);
    snprintf(prod, sizeof prod, "PROD-%06llu", (unsigned long long)o->product);
    int f = o->cur->frac;
    gen_f_text(row, id);
    gen_f_text(row, cust);
    gen_f_text(row, prod);
    gen_f_date(row, o->date);
    gen_f_ts(row, o->ts_ms, GEN_TS_SPACE_MS);
    gen_f_int(row, o->qty);
    gen_f_dec(row, o->unit, f);
    gen_f_dec(row, o->discount_pct * 100, 2);
    gen_f_dec(row, o->tax, f);
    gen_f_dec(row, o->shipping, f);
    gen_f_dec(row, o->total, f);
    gen_f_text(row, o->cur->code);
    gen_f_text(row, o->payment);
    gen_f_text(row, status);
    gen_f_text(row, o->channel);
    gen_f_text(row, op);
    gen_f_ts(row, updated, GEN_TS_SPACE_MS);
    row->mask |= o->mask | mask;
    return gen_row_end(row);
}

static int write_orders(gen *g)
{
    gen_set s;
    gen_set_init(&s, g, "snowflake/orders", "snowflake/orders/orders", "csv", true, ',', 17,
                 ORDER_COLS, ORDER_KINDS);
    gen_row row = {0};
    for (uint64_t i = 1; i <= g->n_orders; i++) {
        gen_order o;
        gen_order_make(g, i, -1, &o);
        gen_rng r;
        gen_rng_seed(&r, g->seed, GEN_S_ORDERS + 100, i);
        if (write_order(&row, &s, &r, &o, "INSERT", o.status, o.updated_ms, 0) != 0)
            goto fail;
    }
    gen_buf_free(&row.buf);
    return gen_set_close(&s);
fail:
    gen_buf_free(&row.buf);
    gen_set_abort(&s);
    return -1;
}

static const char *next_status(const char *s)
{
    static const char *const chain[][2] = {{"PENDING", "PAID"},
                                           {"PAID", "SHIPPED"},
                                           {"SHIPPED", "DELIVERED"},
                                           {"DELIVERED", "RETURNED"}};
    for (size_t i = 0; i < 4; i++)
        if (strcmp(s, chain[i][0]) == 0)
            return chain[i][1];
    return s; /* CANCELLED and RETURNED stay, the update changes other fields */
}

static int write_changes(gen *g)
{
    uint64_t next_new = g->n_orders + 1;
    int64_t first = gen_snapshot_last_day(g) + 1;
    gen_row row = {0};
    for (int k = 0; k < 30; k++) {
        int64_t day = first + k;
        char prefix[96];
        gen_buf d = {0};
        gen_put_date(&d, day);
        snprintf(prefix, sizeof prefix, "snowflake/orders/changes/orders_changes_%.*s", (int)d.len,
                 d.p);
        gen_buf_free(&d);
        gen_set s;
        gen_set_init(&s, g, "snowflake/orders/changes", prefix, "csv", false, ',', 17, ORDER_COLS,
                     ORDER_KINDS);
        for (uint64_t j = 0; j < g->n_changes; j++) {
            gen_rng r;
            gen_rng_seed(&r, g->seed, GEN_S_CHANGES, ((uint64_t)k << 32) | j);
            unsigned kind = (unsigned)gen_below(&r, 100);
            int64_t at = day * GEN_MS_PER_DAY + gen_range(&r, 0, GEN_MS_PER_DAY - 1);
            uint32_t mask = 0;
            gen_order o;
            int rc;
            if (kind < 20) {
                gen_order_make(g, next_new++, day, &o);
                rc = write_order(&row, &s, &r, &o, "INSERT", o.status, o.updated_ms, 0);
            } else {
                gen_order_make(g, 1 + gen_below(&r, g->n_orders), -1, &o);
                if (gen_defect(g, &r, GEN_D_LATE_CDC)) {
                    at -= gen_range(&r, 1, 3) * GEN_MS_PER_DAY;
                    mask = 1u << GEN_D_LATE_CDC;
                }
                if (at < o.ts_ms && mask == 0)
                    at = o.ts_ms;
                bool del = kind < 30;
                rc = write_order(&row, &s, &r, &o, del ? "DELETE" : "UPDATE",
                                 del ? o.status : next_status(o.status), at, mask);
            }
            if (rc != 0) {
                gen_set_abort(&s);
                goto fail;
            }
        }
        if (gen_set_close(&s) != 0)
            goto fail;
    }
    gen_buf_free(&row.buf);
    return 0;
fail:
    gen_buf_free(&row.buf);
    return -1;
}

int gen_snowflake(gen *g)
{
    if (write_customers(g) != 0 || write_products(g) != 0 || write_orders(g) != 0 ||
        write_changes(g) != 0)
        return -1;
    return 0;
}
