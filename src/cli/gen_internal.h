/*
 * gen_internal.h - the landing-zone generator behind `medallion generate` (docs/landing.md).
 *
 * Determinism: every row is a pure function of (seed, stream, row index). Each row seeds its
 * own xoshiro256** state from splitmix64 over those three numbers, so a source does not depend
 * on any other source, on file splitting, or on how many random numbers an earlier row drew.
 * Only integers are formatted (amounts in minor units, rates in millionths), never doubles.
 */
#ifndef MDL_CLI_GEN_INTERNAL_H
#define MDL_CLI_GEN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- PRNG -------------------------------------------------------------------------------- */

typedef struct gen_rng {
    uint64_t s[4];
} gen_rng;

/* One stream per source table (and per purpose), so sources are independent. */
enum gen_stream {
    GEN_S_ACCOUNTS = 1,
    GEN_S_CONTACTS,
    GEN_S_OPPS,
    GEN_S_CUSTOMERS,
    GEN_S_PRODUCTS,
    GEN_S_ORDERS,
    GEN_S_CHANGES,
    GEN_S_BEHAVIOR,
    GEN_S_FX,
    GEN_S_EVENTS
};

void gen_rng_seed(gen_rng *r, uint64_t seed, uint32_t stream, uint64_t index);
uint64_t gen_next(gen_rng *r);
/* Uniform in 0..n-1 (n > 0). */
uint64_t gen_below(gen_rng *r, uint64_t n);
/* Uniform in lo..hi inclusive. */
int64_t gen_range(gen_rng *r, int64_t lo, int64_t hi);
/* True with probability ppm / 1,000,000. */
bool gen_ppm(gen_rng *r, uint32_t ppm);
const char *gen_pick_(gen_rng *r, const char *const *pool, size_t n);
#define GEN_PICK(r, pool) gen_pick_((r), (pool), sizeof(pool) / sizeof((pool)[0]))
/* Index into weights[n] (any positive sum). */
size_t gen_weighted(gen_rng *r, const uint32_t *weights, size_t n);
uint64_t gen_fnv1a(const char *s, size_t n);

/* ---- defects (docs/landing.md, "Defects") ------------------------------------------------ */

enum gen_defect {
    GEN_D_BLANK,
    GEN_D_EMAIL,
    GEN_D_PHONE,
    GEN_D_OUTLIER,
    GEN_D_REDELIVERED,
    GEN_D_LATE_CDC,
    GEN_D_ORPHAN,
    GEN_D_FUTURE,
    GEN_D_BAD_VALUE,
    GEN_D_BAD_RECORD,
    GEN_D_COUNT
};
extern const char *const gen_defect_names[GEN_D_COUNT];

/* The default rates, in parts per million of the rows of the files they apply to. A run
 * reads its rates from gen.defect_ppm (set by `--defect-rate`), never from these. */
#define GEN_PPM_BLANK      20000
#define GEN_PPM_EMAIL      20000
#define GEN_PPM_PHONE      30000
#define GEN_PPM_OUTLIER    10000
#define GEN_PPM_REDELIVER  10000
#define GEN_PPM_LATE_CDC   50000
#define GEN_PPM_ORPHAN     5000
#define GEN_PPM_FUTURE     2000
#define GEN_PPM_BAD_VALUE  1000
#define GEN_PPM_BAD_RECORD 500
/* the defaults above, indexed by enum gen_defect */
extern const uint32_t gen_defect_default_ppm[GEN_D_COUNT];

/* ---- byte buffer and formatting ---------------------------------------------------------- */

typedef struct gen_buf {
    char *p;
    size_t len, cap;
} gen_buf;

void gen_buf_free(gen_buf *b);
void gen_put(gen_buf *b, const char *s, size_t n);
void gen_puts(gen_buf *b, const char *s);
void gen_putc(gen_buf *b, char c);
void gen_put_u64(gen_buf *b, uint64_t v);
void gen_put_i64(gen_buf *b, int64_t v);
/* v zero-padded to width digits */
void gen_put_pad(gen_buf *b, uint64_t v, int width);
/* v / 10^frac as a decimal with exactly frac fraction digits ("-1.05") */
void gen_put_dec(gen_buf *b, int64_t v, int frac);
/* days since 1970-01-01 as YYYY-MM-DD */
void gen_put_date(gen_buf *b, int64_t days);
/* a JSON string literal (quoted, escaped) */
void gen_put_json_str(gen_buf *b, const char *s, size_t n);

enum gen_ts_style {
    GEN_TS_ISO_MS_Z, /* 2025-11-02T10:15:02.123Z (CRM, Kafka) */
    GEN_TS_SPACE_MS, /* 2025-11-02 10:15:02.123 (Snowflake TIMESTAMP_NTZ) */
    GEN_TS_SPACE     /* 2025-11-02 10:15:02 (Redshift) */
};
/* ms since the epoch */
void gen_put_ts(gen_buf *b, int64_t ms, enum gen_ts_style style);

int64_t gen_days_from_civil(int64_t y, unsigned m, unsigned d);
void gen_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);
/* 0 = Sunday .. 6 = Saturday */
int gen_weekday(int64_t days);
#define GEN_MS_PER_DAY 86400000LL

/* ---- the run: options, counts, output files, manifest ------------------------------------- */

typedef struct gen_file_rec {
    char *path; /* relative to the output directory */
    const char *set;
    uint64_t rows, bytes;
    uint64_t defects[GEN_D_COUNT];
} gen_file_rec;

typedef struct gen {
    const char *out_dir;
    uint64_t seed;
    int64_t scale_micro; /* the scale in millionths */
    char scale_text[32];
    int64_t as_of; /* reference date, days since the epoch */
    /* the rate of each defect class in parts per million (0..1,000,000) */
    uint32_t defect_ppm[GEN_D_COUNT];
    uint64_t n_accounts, n_contacts, n_opps, n_customers, n_products, n_orders, n_changes,
        n_behavior, n_events;
    gen_file_rec *files;
    size_t nfiles, cap_files;
    /* progress: called now and then with the set being written and its rows so far */
    void (*progress)(void *arg, const char *set, uint64_t rows);
    void *progress_arg;
    char err[1024];
} gen;

/* True with the run's probability of defect d (g->defect_ppm[d]). It takes one draw whatever
 * the rate, also at 0 and 100%, so the same seed keeps the same draw sequence at any rate (a
 * drawn defect may then draw its own details, as it does at the default rates). */
bool gen_defect(const gen *g, gen_rng *r, enum gen_defect d);

/* Scales a scale-1.0 count (at least 1). */
uint64_t gen_count(const gen *g, uint64_t base);
void gen_free(gen *g);

/* One output file: written to PATH.tmp, renamed to PATH when closed. */
typedef struct gen_file {
    gen *g;
    FILE *f;
    char *tmp, *final;
    size_t rec; /* index into g->files (which grows) */
} gen_file;

int gen_file_open(gen *g, const char *relpath, const char *set, gen_file *out);
int gen_file_write(gen_file *f, const char *p, size_t n);
int gen_file_close(gen_file *f);
void gen_file_abort(gen_file *f);

/* A file set of CSV or JSON-lines rows, split into _000, _001, ... past 100,000 rows. */
#define GEN_ROWS_PER_FILE 100000
typedef struct gen_set {
    gen *g;
    const char *name;   /* "snowflake/customers" (summary and manifest) */
    const char *prefix; /* "snowflake/customers/customers" */
    const char *ext;    /* "csv", "jsonl" */
    bool split;         /* add _NNN; otherwise prefix.ext is the only file */
    char delim;         /* CSV delimiter; 0 for JSON lines */
    size_t ncols;
    const char *const *cols;
    const char *kinds; /* per column: s text, o optional text, i int, d decimal, t date/time,
                          b bool */
    gen_file cur;
    bool open;
    int file_no;
    uint64_t rows_total;
} gen_set;

void gen_set_init(gen_set *s, gen *g, const char *name, const char *prefix, const char *ext,
                  bool split, char delim, size_t ncols, const char *const *cols, const char *kinds);
/* True when the current file is full: the next row starts a new file. */
bool gen_set_full(const gen_set *s);
/* Writes one line (without its '\n') and counts the defects set in mask. */
int gen_set_emit(gen_set *s, const char *line, size_t n, uint32_t mask);
int gen_set_close(gen_set *s);
void gen_set_abort(gen_set *s);

/* One CSV row under construction: the row-level defects (blank-as-null, unparsable value,
 * unparsable record) are drawn at begin and applied by the field writers and at the end. */
#define GEN_MAX_COLS 32
typedef struct gen_row {
    gen_set *set;
    gen_buf buf;
    size_t field;
    int blank_col, bad_col, cut_after;
    size_t ends[GEN_MAX_COLS];
    uint32_t mask; /* defects of this row (1u << GEN_D_...) */
    gen_rng drng;  /* draws for the row-level defects, apart from the row's own stream */
} gen_row;

void gen_row_begin(gen_row *row, gen_set *set, const gen_rng *rowrng);
void gen_f_text(gen_row *row, const char *s);
void gen_f_textn(gen_row *row, const char *s, size_t n);
void gen_f_null(gen_row *row);
void gen_f_int(gen_row *row, int64_t v);
void gen_f_dec(gen_row *row, int64_t v, int frac);
void gen_f_date(gen_row *row, int64_t days);
void gen_f_ts(gen_row *row, int64_t ms, enum gen_ts_style style);
void gen_f_bool(gen_row *row, bool v, bool upper);
/* Finishes the row (cut short if so drawn) and emits it with its defects. */
int gen_row_end(gen_row *row);

/* ---- shared value pools ------------------------------------------------------------------- */

typedef struct gen_place {
    const char *city, *state, *country, *region, *zip_prefix;
} gen_place;
extern const gen_place gen_places[];
extern const size_t gen_nplaces;
extern const char *const gen_first_names[];
extern const size_t gen_nfirst;
extern const char *const gen_last_names[];
extern const size_t gen_nlast;

/* Currencies of orders and FX: code, weight (orders), units per USD x1000, fraction digits. */
typedef struct gen_currency {
    const char *code;
    uint32_t weight;
    int64_t per_usd_milli;
    int frac;
} gen_currency;
extern const gen_currency gen_currencies[];
#define GEN_NCURRENCIES 8
/* An amount in USD cents converted to the currency's minor units (rounded half up). */
int64_t gen_from_usd_cents(const gen_currency *c, int64_t usd_cents);

/* ---- the customer every source shares (account i = customer i) --------------------------- */

typedef struct gen_person {
    const char *first, *last;
    const gen_place *place;
    int64_t created_ms;
} gen_person;
void gen_customer_person(const gen *g, uint64_t i, gen_person *p);
/* "(ddd) ddd-dddd" from the rng, or a malformed one */
void gen_phone(gen_rng *r, bool malformed, char *out, size_t cap);

/* ---- the orders every Snowflake file and Kafka share --------------------------------------- */

typedef struct gen_order {
    uint64_t idx;
    uint64_t customer, product;
    int64_t date, ts_ms, updated_ms;
    int64_t qty, unit, discount_pct, tax, shipping, total; /* amounts in minor units */
    const gen_currency *cur;
    const char *payment, *status, *channel;
    uint32_t mask; /* orphan, outlier, future */
} gen_order;
/* Order idx; date_override >= 0 forces its date (inserts of a change file). */
void gen_order_make(const gen *g, uint64_t idx, int64_t date_override, gen_order *o);
/* Snapshot orders are dated up to this day; the 30 change days follow it. */
int64_t gen_snapshot_last_day(const gen *g);

/* ---- the sources ----------------------------------------------------------------------------- */

int gen_crm(gen *g);
int gen_snowflake(gen *g);
int gen_redshift(gen *g);
int gen_fx(gen *g);
int gen_kafka(gen *g);
int gen_manifest(gen *g);

#endif
