/*
 * gen_crm.c - the CRM export: accounts, contacts, opportunities with Salesforce-style column
 * names and ISO dates "YYYY-MM-DDTHH:MM:SS.000Z" (docs/landing.md, "crm/..."). Account i is
 * customer i; contact j belongs to account ((j-1) mod accounts) + 1, so an opportunity can
 * name a contact of its own account without keeping any table in memory.
 */
#include <string.h>

#include "gen_internal.h"

static const char *const ACCOUNT_COLS[] = {"Id",
                                           "Name",
                                           "Phone",
                                           "Website",
                                           "Industry",
                                           "AnnualRevenue",
                                           "NumberOfEmployees",
                                           "BillingStreet",
                                           "BillingCity",
                                           "BillingState",
                                           "BillingPostalCode",
                                           "BillingCountry",
                                           "Rating",
                                           "Type",
                                           "AccountSource",
                                           "AccountNumber",
                                           "CustomerSegment",
                                           "GeographicRegion",
                                           "AccountStatus",
                                           "OwnerId",
                                           "CreatedDate",
                                           "LastModifiedDate"};
static const char ACCOUNT_KINDS[] = "ssooodiooo"
                                    "osooosssss"
                                    "tt";

static const char *const CONTACT_COLS[] = {
    "Id",          "AccountId",       "FirstName",      "LastName",   "Email",
    "Phone",       "MobilePhone",     "Title",          "Department", "LeadSource",
    "MailingCity", "MailingState",    "MailingCountry", "DoNotCall",  "HasOptedOutOfEmail",
    "CreatedDate", "LastModifiedDate"};
static const char CONTACT_KINDS[] = "ssssoooooo"
                                    "ooobbtt";

static const char *const OPP_COLS[] = {
    "Id",        "AccountId",        "ContactId",       "Name",
    "StageName", "Amount",           "CurrencyIsoCode", "Probability",
    "CloseDate", "IsClosed",         "IsWon",           "LeadSource",
    "Type",      "ForecastCategory", "CreatedDate",     "LastModifiedDate"};
static const char OPP_KINDS[] = "ssossdsitb"
                                "booott";

static const char *const SUFFIXES[] = {"Inc",  "LLC",      "Group", "Holdings",
                                       "& Co", "Partners", "Ltd",   "GmbH"};
static const char *const INDUSTRIES[] = {"Technology",    "Retail",    "Finance", "Healthcare",
                                         "Manufacturing", "Education", "Media",   "Energy"};
static const char *const RATINGS[] = {"Hot", "Warm", "Cold"};
static const char *const ACC_TYPES[] = {"Customer", "Partner", "Prospect", "Reseller"};
static const char *const SOURCES[] = {"Web", "Referral", "Partner", "Trade Show", "Cold Call"};
static const char *const SEGMENTS[] = {"ENTERPRISE", "MIDMARKET", "SMB", "PUBLIC"};
static const char *const STATUSES[] = {"Active", "Active", "Active", "Inactive", "Suspended"};
static const char *const TITLES[] = {"CEO",     "CTO",           "VP Sales", "Buyer",
                                     "Manager", "Data Engineer", "Analyst",  "Director, IT"};
static const char *const DEPARTMENTS[] = {"Sales",      "Engineering", "Finance",    "Marketing",
                                          "Operations", "IT",          "Procurement"};

static int64_t to_seconds(int64_t ms)
{
    return ms - ms % 1000;
}

static int write_accounts(gen *g)
{
    gen_set s;
    gen_set_init(&s, g, "crm/accounts", "crm/accounts", "csv", false, ',', 22, ACCOUNT_COLS,
                 ACCOUNT_KINDS);
    gen_row row = {0};
    for (uint64_t i = 1; i <= g->n_accounts; i++) {
        gen_person p;
        gen_customer_person(g, i, &p);
        gen_rng r;
        gen_rng_seed(&r, g->seed, GEN_S_ACCOUNTS, i);
        gen_row_begin(&row, &s, &r);
        bool bad_phone = gen_defect(g, &r, GEN_D_PHONE);
        char id[32], name[96], phone[40], web[64], street[96], zip[16], accno[32], owner[32];
        snprintf(id, sizeof id, "CUST-%06llu", (unsigned long long)i);
        const char *suffix = GEN_PICK(&r, SUFFIXES);
        if (gen_below(&r, 4) == 0)
            snprintf(name, sizeof name, "%s, %s", p.last, suffix);
        else
            snprintf(name, sizeof name, "%s %s", p.last, suffix);
        gen_phone(&r, bad_phone, phone, sizeof phone);
        snprintf(web, sizeof web, "www.company%llu.com", (unsigned long long)i);
        snprintf(street, sizeof street, "%u Commerce Way", (unsigned)gen_range(&r, 1, 999));
        snprintf(zip, sizeof zip, "%s%02u", p.place->zip_prefix, (unsigned)gen_below(&r, 100));
        snprintf(accno, sizeof accno, "AN%08llu", (unsigned long long)(i * 7919 % 100000000));
        snprintf(owner, sizeof owner, "005%012u", (unsigned)gen_range(&r, 1, 40));
        int64_t created = to_seconds(p.created_ms);
        int64_t modified = created + (int64_t)gen_below(&r, 400 * 86400ULL) * 1000;
        if (modified >= g->as_of * GEN_MS_PER_DAY)
            modified = created;
        gen_f_text(&row, id);
        gen_f_text(&row, name);
        gen_f_text(&row, phone);
        gen_f_text(&row, web);
        gen_f_text(&row, GEN_PICK(&r, INDUSTRIES));
        gen_f_dec(&row, gen_range(&r, 10000000, 50000000000LL), 2);
        gen_f_int(&row, gen_range(&r, 1, 50000));
        gen_f_text(&row, street);
        gen_f_text(&row, p.place->city);
        gen_f_text(&row, p.place->state);
        gen_f_text(&row, zip);
        gen_f_text(&row, p.place->country);
        gen_f_text(&row, GEN_PICK(&r, RATINGS));
        gen_f_text(&row, GEN_PICK(&r, ACC_TYPES));
        gen_f_text(&row, GEN_PICK(&r, SOURCES));
        gen_f_text(&row, accno);
        gen_f_text(&row, GEN_PICK(&r, SEGMENTS));
        gen_f_text(&row, p.place->region);
        gen_f_text(&row, GEN_PICK(&r, STATUSES));
        gen_f_text(&row, owner);
        gen_f_ts(&row, created, GEN_TS_ISO_MS_Z);
        gen_f_ts(&row, modified, GEN_TS_ISO_MS_Z);
        row.mask |= bad_phone ? 1u << GEN_D_PHONE : 0;
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

/* the orphan draw is the first of a contact's row, so opportunities can ask for it */
static bool contact_orphan(const gen *g, uint64_t j, gen_rng *r)
{
    gen_rng_seed(r, g->seed, GEN_S_CONTACTS, j);
    return gen_defect(g, r, GEN_D_ORPHAN);
}

static int write_contacts(gen *g)
{
    gen_set s;
    gen_set_init(&s, g, "crm/contacts", "crm/contacts", "csv", false, ',', 17, CONTACT_COLS,
                 CONTACT_KINDS);
    gen_row row = {0};
    for (uint64_t j = 1; j <= g->n_contacts; j++) {
        gen_rng r;
        bool orphan = contact_orphan(g, j, &r);
        gen_row_begin(&row, &s, &r);
        uint64_t account = (j - 1) % g->n_accounts + 1;
        if (orphan)
            account = g->n_customers + 1 + gen_below(&r, 900000);
        else
            gen_below(&r, 900000);
        gen_person acc;
        gen_customer_person(g, account <= g->n_accounts ? account : 1, &acc);
        bool bad_email = gen_defect(g, &r, GEN_D_EMAIL), bad_phone = gen_defect(g, &r, GEN_D_PHONE);
        const char *first = gen_first_names[gen_below(&r, gen_nfirst)];
        const char *last = gen_last_names[gen_below(&r, gen_nlast)];
        char id[32], accid[32], email[160], phone[40], mobile[40], fl[64], ll[64];
        snprintf(id, sizeof id, "CONT-%08llu", (unsigned long long)j);
        snprintf(accid, sizeof accid, "CUST-%06llu", (unsigned long long)account);
        size_t a = 0, b = 0;
        for (const char *c = first; *c && a + 1 < sizeof fl; c++)
            if ((*c | 0x20) >= 'a' && (*c | 0x20) <= 'z')
                fl[a++] = (char)(*c | 0x20);
        fl[a] = 0;
        for (const char *c = last; *c && b + 1 < sizeof ll; c++)
            if ((*c | 0x20) >= 'a' && (*c | 0x20) <= 'z')
                ll[b++] = (char)(*c | 0x20);
        ll[b] = 0;
        if (!bad_email)
            snprintf(email, sizeof email, "%s.%s@company%llu.com", fl, ll,
                     (unsigned long long)account);
        else if (gen_below(&r, 2) == 0)
            snprintf(email, sizeof email, "%s.%s_at_company%llu.com", fl, ll,
                     (unsigned long long)account);
        else
            snprintf(email, sizeof email, "%s.%s@", fl, ll);
        gen_phone(&r, bad_phone, phone, sizeof phone);
        gen_phone(&r, false, mobile, sizeof mobile);
        int64_t created = to_seconds(acc.created_ms) + (int64_t)gen_below(&r, 30 * 86400ULL) * 1000;
        int64_t modified = created + (int64_t)gen_below(&r, 300 * 86400ULL) * 1000;
        if (modified >= g->as_of * GEN_MS_PER_DAY)
            modified = created;
        gen_f_text(&row, id);
        gen_f_text(&row, accid);
        gen_f_text(&row, first);
        gen_f_text(&row, last);
        gen_f_text(&row, email);
        gen_f_text(&row, phone);
        gen_f_text(&row, mobile);
        gen_f_text(&row, GEN_PICK(&r, TITLES));
        gen_f_text(&row, GEN_PICK(&r, DEPARTMENTS));
        gen_f_text(&row, GEN_PICK(&r, SOURCES));
        gen_f_text(&row, acc.place->city);
        gen_f_text(&row, acc.place->state);
        gen_f_text(&row, acc.place->country);
        gen_f_bool(&row, gen_below(&r, 10) == 0, false);
        gen_f_bool(&row, gen_below(&r, 8) == 0, false);
        gen_f_ts(&row, created, GEN_TS_ISO_MS_Z);
        gen_f_ts(&row, modified, GEN_TS_ISO_MS_Z);
        row.mask |= (orphan ? 1u << GEN_D_ORPHAN : 0) | (bad_email ? 1u << GEN_D_EMAIL : 0) |
                    (bad_phone ? 1u << GEN_D_PHONE : 0);
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

static const char *const STAGES[] = {"Prospecting", "Qualification", "Proposal",
                                     "Negotiation", "Closed Won",    "Closed Lost"};
static const uint32_t STAGE_WEIGHTS[] = {13, 12, 13, 12, 25, 25};
static const int64_t STAGE_PROB[] = {10, 20, 50, 75, 100, 0};
static const char *const OPP_TYPES[] = {"New Business", "Existing Business", "Renewal"};
static const char *const PRODUCTS[] = {"Platform", "Analytics", "Support Plan", "Licenses",
                                       "Onboarding"};

static int write_opportunities(gen *g)
{
    gen_set s;
    gen_set_init(&s, g, "crm/opportunities", "crm/opportunities", "csv", false, ',', 16, OPP_COLS,
                 OPP_KINDS);
    gen_row row = {0};
    uint32_t cw[GEN_NCURRENCIES];
    for (int i = 0; i < GEN_NCURRENCIES; i++)
        cw[i] = gen_currencies[i].weight;
    for (uint64_t k = 1; k <= g->n_opps; k++) {
        gen_rng r;
        gen_rng_seed(&r, g->seed, GEN_S_OPPS, k);
        gen_row_begin(&row, &s, &r);
        bool outlier = gen_defect(g, &r, GEN_D_OUTLIER);
        uint64_t account = 1 + gen_below(&r, g->n_accounts);
        uint64_t contact = 0;
        if (gen_below(&r, 10) != 0 && account <= g->n_contacts) {
            uint64_t per = (g->n_contacts - account) / g->n_accounts + 1;
            contact = account + gen_below(&r, per) * g->n_accounts;
            gen_rng cr;
            if (contact_orphan(g, contact, &cr))
                contact = 0; /* that contact's account id is broken: name none */
        }
        size_t stage = gen_weighted(&r, STAGE_WEIGHTS, 6);
        bool closed = stage >= 4;
        const gen_currency *cur = &gen_currencies[gen_weighted(&r, cw, GEN_NCURRENCIES)];
        int64_t amount = gen_from_usd_cents(cur, gen_range(&r, 100000, 50000000));
        if (outlier)
            amount *= gen_range(&r, 3, 15);
        int64_t created =
            (g->as_of - 730) * GEN_MS_PER_DAY + (int64_t)gen_below(&r, 700 * 86400ULL) * 1000;
        int64_t close_day = created / GEN_MS_PER_DAY + gen_range(&r, 7, 120);
        if (close_day >= g->as_of)
            close_day = g->as_of - 1;
        int64_t modified = closed ? close_day * GEN_MS_PER_DAY + 3600000
                                  : created + (int64_t)gen_below(&r, 20 * 86400ULL) * 1000;
        if (modified < created)
            modified = created;
        gen_person acc;
        gen_customer_person(g, account, &acc);
        char id[32], accid[32], cid[32], name[128];
        snprintf(id, sizeof id, "OPP-%08llu", (unsigned long long)k);
        snprintf(accid, sizeof accid, "CUST-%06llu", (unsigned long long)account);
        snprintf(cid, sizeof cid, "CONT-%08llu", (unsigned long long)contact);
        snprintf(name, sizeof name, "%s - %s", acc.last, GEN_PICK(&r, PRODUCTS));
        static const char *const FORECAST[] = {"Pipeline", "Pipeline", "Best Case",
                                               "Commit",   "Closed",   "Omitted"};
        gen_f_text(&row, id);
        gen_f_text(&row, accid);
        if (contact)
            gen_f_text(&row, cid);
        else
            gen_f_null(&row);
        gen_f_text(&row, name);
        gen_f_text(&row, STAGES[stage]);
        gen_f_dec(&row, amount, cur->frac);
        gen_f_text(&row, cur->code);
        gen_f_int(&row, STAGE_PROB[stage]);
        if (closed)
            gen_f_date(&row, close_day);
        else
            gen_f_null(&row);
        gen_f_bool(&row, closed, false);
        gen_f_bool(&row, stage == 4, false);
        gen_f_text(&row, GEN_PICK(&r, SOURCES));
        gen_f_text(&row, GEN_PICK(&r, OPP_TYPES));
        gen_f_text(&row, closed ? (stage == 4 ? "Closed" : "Omitted") : FORECAST[stage]);
        gen_f_ts(&row, created, GEN_TS_ISO_MS_Z);
        gen_f_ts(&row, modified, GEN_TS_ISO_MS_Z);
        row.mask |= outlier ? 1u << GEN_D_OUTLIER : 0;
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

int gen_crm(gen *g)
{
    if (write_accounts(g) != 0 || write_contacts(g) != 0 || write_opportunities(g) != 0)
        return -1;
    return 0;
}
