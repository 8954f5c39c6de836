/*
 * gen_common.c - what every source of `medallion generate` shares: the seeded PRNG
 * (splitmix64 seeding xoshiro256**), integer-only formatting of numbers, dates and
 * timestamps, CSV rows with their row-level defects, output files written under a temporary
 * name and renamed when complete, file sets split at 100,000 rows, and the value pools.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gen_internal.h"

/* ---- PRNG ---------------------------------------------------------------------------------- */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void gen_rng_seed(gen_rng *r, uint64_t seed, uint32_t stream, uint64_t index)
{
    uint64_t x = seed;
    uint64_t a = splitmix64(&x);
    x = a ^ ((uint64_t)stream * 0xd6e8feb86659fd93ULL);
    uint64_t b = splitmix64(&x);
    x = b ^ (index * 0xa0761d6478bd642fULL);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t gen_next(gen_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t gen_below(gen_rng *r, uint64_t n)
{
    /* the modulo bias is below 2^-40 for every n used here */
    return gen_next(r) % n;
}

int64_t gen_range(gen_rng *r, int64_t lo, int64_t hi)
{
    return lo + (int64_t)gen_below(r, (uint64_t)(hi - lo) + 1);
}

bool gen_ppm(gen_rng *r, uint32_t ppm)
{
    return gen_below(r, 1000000) < ppm;
}

const char *gen_pick_(gen_rng *r, const char *const *pool, size_t n)
{
    return pool[gen_below(r, n)];
}

size_t gen_weighted(gen_rng *r, const uint32_t *weights, size_t n)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += weights[i];
    uint64_t x = gen_below(r, sum);
    for (size_t i = 0; i < n; i++) {
        if (x < weights[i])
            return i;
        x -= weights[i];
    }
    return n - 1;
}

uint64_t gen_fnv1a(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

const char *const gen_defect_names[GEN_D_COUNT] = {
    "blank_as_null",    "malformed_email",   "malformed_phone", "amount_outlier",
    "redelivered",      "late_cdc_update",   "orphan_key",      "future_date",
    "unparsable_value", "unparsable_record",
};

const uint32_t gen_defect_default_ppm[GEN_D_COUNT] = {
    [GEN_D_BLANK] = GEN_PPM_BLANK,           [GEN_D_EMAIL] = GEN_PPM_EMAIL,
    [GEN_D_PHONE] = GEN_PPM_PHONE,           [GEN_D_OUTLIER] = GEN_PPM_OUTLIER,
    [GEN_D_REDELIVERED] = GEN_PPM_REDELIVER, [GEN_D_LATE_CDC] = GEN_PPM_LATE_CDC,
    [GEN_D_ORPHAN] = GEN_PPM_ORPHAN,         [GEN_D_FUTURE] = GEN_PPM_FUTURE,
    [GEN_D_BAD_VALUE] = GEN_PPM_BAD_VALUE,   [GEN_D_BAD_RECORD] = GEN_PPM_BAD_RECORD,
};

bool gen_defect(const gen *g, gen_rng *r, enum gen_defect d)
{
    return gen_ppm(r, g->defect_ppm[d]);
}

/* ---- buffers and formatting ------------------------------------------------------------------ */

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (q == NULL) {
        fprintf(stderr, "medallion generate: out of memory (%zu bytes)\n", n);
        exit(1);
    }
    return q;
}

void gen_buf_free(gen_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

static void reserve(gen_buf *b, size_t extra)
{
    if (b->len + extra <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra)
        cap *= 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
}

void gen_put(gen_buf *b, const char *s, size_t n)
{
    reserve(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

void gen_puts(gen_buf *b, const char *s)
{
    gen_put(b, s, strlen(s));
}

void gen_putc(gen_buf *b, char c)
{
    reserve(b, 1);
    b->p[b->len++] = c;
}

void gen_put_u64(gen_buf *b, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    reserve(b, (size_t)n);
    while (n)
        b->p[b->len++] = tmp[--n];
}

void gen_put_i64(gen_buf *b, int64_t v)
{
    if (v < 0) {
        gen_putc(b, '-');
        gen_put_u64(b, (uint64_t)0 - (uint64_t)v);
    } else
        gen_put_u64(b, (uint64_t)v);
}

void gen_put_pad(gen_buf *b, uint64_t v, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < width && n < 24)
        tmp[n++] = '0';
    reserve(b, (size_t)n);
    while (n)
        b->p[b->len++] = tmp[--n];
}

void gen_put_dec(gen_buf *b, int64_t v, int frac)
{
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    if (v < 0)
        gen_putc(b, '-');
    uint64_t p = 1;
    for (int i = 0; i < frac; i++)
        p *= 10;
    gen_put_u64(b, u / p);
    if (frac > 0) {
        gen_putc(b, '.');
        gen_put_pad(b, u % p, frac);
    }
}

int64_t gen_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    /* Howard Hinnant's days_from_civil */
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void gen_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

int gen_weekday(int64_t days)
{
    return (int)(((days % 7) + 7 + 4) % 7);
}

void gen_put_date(gen_buf *b, int64_t days)
{
    int64_t y;
    unsigned m, d;
    gen_civil_from_days(days, &y, &m, &d);
    gen_put_pad(b, (uint64_t)y, 4);
    gen_putc(b, '-');
    gen_put_pad(b, m, 2);
    gen_putc(b, '-');
    gen_put_pad(b, d, 2);
}

void gen_put_ts(gen_buf *b, int64_t ms, enum gen_ts_style style)
{
    int64_t days = ms >= 0 ? ms / GEN_MS_PER_DAY : -((-ms + GEN_MS_PER_DAY - 1) / GEN_MS_PER_DAY);
    int64_t rem = ms - days * GEN_MS_PER_DAY;
    gen_put_date(b, days);
    gen_putc(b, style == GEN_TS_ISO_MS_Z ? 'T' : ' ');
    int64_t secs = rem / 1000;
    gen_put_pad(b, (uint64_t)(secs / 3600), 2);
    gen_putc(b, ':');
    gen_put_pad(b, (uint64_t)(secs / 60 % 60), 2);
    gen_putc(b, ':');
    gen_put_pad(b, (uint64_t)(secs % 60), 2);
    if (style != GEN_TS_SPACE) {
        gen_putc(b, '.');
        gen_put_pad(b, (uint64_t)(rem % 1000), 3);
    }
    if (style == GEN_TS_ISO_MS_Z)
        gen_putc(b, 'Z');
}

void gen_put_json_str(gen_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    gen_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            gen_putc(b, '\\');
            gen_putc(b, (char)c);
        } else if (c == '\n') {
            gen_put(b, "\\n", 2);
        } else if (c < 0x20) {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            gen_put(b, u, 6);
        } else
            gen_putc(b, (char)c);
    }
    gen_putc(b, '"');
}

/* ---- the run ----------------------------------------------------------------------------------
 */

uint64_t gen_count(const gen *g, uint64_t base)
{
    uint64_t n = (base * (uint64_t)g->scale_micro + 500000) / 1000000;
    return n ? n : 1;
}

void gen_free(gen *g)
{
    for (size_t i = 0; i < g->nfiles; i++)
        free(g->files[i].path);
    free(g->files);
    g->files = NULL;
    g->nfiles = 0;
}

static int mkdirs(gen *g, const char *path)
{
    char *p = strdup(path);
    if (p == NULL)
        return -1;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = 0;
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            snprintf(g->err, sizeof g->err,
                     "cannot create directory '%s': %s (check that the output directory is "
                     "writable)",
                     p, strerror(errno));
            free(p);
            return -1;
        }
        *s = '/';
    }
    free(p);
    return 0;
}

int gen_file_open(gen *g, const char *relpath, const char *set, gen_file *out)
{
    memset(out, 0, sizeof *out);
    out->g = g;
    size_t n = strlen(g->out_dir) + strlen(relpath) + 8;
    out->final = xrealloc(NULL, n);
    out->tmp = xrealloc(NULL, n);
    snprintf(out->final, n, "%s/%s", g->out_dir, relpath);
    snprintf(out->tmp, n, "%s.tmp", out->final);
    if (mkdirs(g, out->final) != 0)
        goto fail;
    out->f = fopen(out->tmp, "wb");
    if (out->f == NULL) {
        snprintf(g->err, sizeof g->err,
                 "cannot create '%s': %s (check that the output directory is writable)", out->tmp,
                 strerror(errno));
        goto fail;
    }
    setvbuf(out->f, NULL, _IOFBF, 1 << 20);
    if (g->nfiles == g->cap_files) {
        g->cap_files = g->cap_files ? g->cap_files * 2 : 64;
        g->files = xrealloc(g->files, g->cap_files * sizeof *g->files);
    }
    out->rec = g->nfiles;
    gen_file_rec *rec = &g->files[g->nfiles];
    memset(rec, 0, sizeof *rec);
    rec->path = strdup(relpath);
    rec->set = set;
    g->nfiles++;
    return 0;
fail:
    free(out->final);
    free(out->tmp);
    out->final = out->tmp = NULL;
    return -1;
}

int gen_file_write(gen_file *f, const char *p, size_t n)
{
    if (fwrite(p, 1, n, f->f) != n) {
        snprintf(f->g->err, sizeof f->g->err, "cannot write '%s': %s (is the disk full?)", f->tmp,
                 strerror(errno));
        return -1;
    }
    f->g->files[f->rec].bytes += n;
    return 0;
}

int gen_file_close(gen_file *f)
{
    int rc = 0;
    if (f->f != NULL && fclose(f->f) != 0) {
        snprintf(f->g->err, sizeof f->g->err, "cannot write '%s': %s (is the disk full?)", f->tmp,
                 strerror(errno));
        rc = -1;
    }
    f->f = NULL;
    if (rc == 0 && rename(f->tmp, f->final) != 0) {
        snprintf(f->g->err, sizeof f->g->err, "cannot rename '%s' to '%s': %s", f->tmp, f->final,
                 strerror(errno));
        rc = -1;
    }
    if (rc != 0)
        unlink(f->tmp);
    free(f->tmp);
    free(f->final);
    f->tmp = f->final = NULL;
    return rc;
}

void gen_file_abort(gen_file *f)
{
    if (f->f != NULL) {
        fclose(f->f);
        unlink(f->tmp);
    }
    f->f = NULL;
    free(f->tmp);
    free(f->final);
    f->tmp = f->final = NULL;
}

/* ---- file sets ------------------------------------------------------------------------------ */

void gen_set_init(gen_set *s, gen *g, const char *name, const char *prefix, const char *ext,
                  bool split, char delim, size_t ncols, const char *const *cols, const char *kinds)
{
    memset(s, 0, sizeof *s);
    s->g = g;
    s->name = name;
    s->prefix = prefix;
    s->ext = ext;
    s->split = split;
    s->delim = delim;
    s->ncols = ncols;
    s->cols = cols;
    s->kinds = kinds;
}

bool gen_set_full(const gen_set *s)
{
    return s->open && s->split && s->g->files[s->cur.rec].rows >= GEN_ROWS_PER_FILE;
}

static int set_open_next(gen_set *s)
{
    char rel[512];
    if (s->split)
        snprintf(rel, sizeof rel, "%s_%03d.%s", s->prefix, s->file_no, s->ext);
    else
        snprintf(rel, sizeof rel, "%s.%s", s->prefix, s->ext);
    s->file_no++;
    if (gen_file_open(s->g, rel, s->name, &s->cur) != 0)
        return -1;
    s->open = true;
    if (s->delim == 0)
        return 0;
    gen_buf h = {0};
    for (size_t i = 0; i < s->ncols; i++) {
        if (i)
            gen_putc(&h, s->delim);
        gen_puts(&h, s->cols[i]);
    }
    gen_putc(&h, '\n');
    int rc = gen_file_write(&s->cur, h.p, h.len);
    gen_buf_free(&h);
    return rc;
}

int gen_set_emit(gen_set *s, const char *line, size_t n, uint32_t mask)
{
    if (gen_set_full(s)) {
        if (gen_file_close(&s->cur) != 0) {
            s->open = false;
            return -1;
        }
        s->open = false;
    }
    if (!s->open && set_open_next(s) != 0)
        return -1;
    if (gen_file_write(&s->cur, line, n) != 0 || gen_file_write(&s->cur, "\n", 1) != 0)
        return -1;
    gen_file_rec *rec = &s->g->files[s->cur.rec];
    rec->rows++;
    for (int d = 0; d < GEN_D_COUNT; d++)
        if (mask & (1u << d))
            rec->defects[d]++;
    s->rows_total++;
    if (s->g->progress != NULL && (s->rows_total & 0xffff) == 0)
        s->g->progress(s->g->progress_arg, s->name, s->rows_total);
    return 0;
}

int gen_set_close(gen_set *s)
{
    if (!s->open && set_open_next(s) != 0) /* a set always has at least its header */
        return -1;
    s->open = false;
    return gen_file_close(&s->cur);
}

void gen_set_abort(gen_set *s)
{
    if (s->open)
        gen_file_abort(&s->cur);
    s->open = false;
}

/* ---- CSV rows ----------------------------------------------------------------------------------
 */

void gen_row_begin(gen_row *row, gen_set *set, const gen_rng *rowrng)
{
    row->set = set;
    row->buf.len = 0;
    row->field = 0;
    row->blank_col = row->bad_col = row->cut_after = -1;
    row->mask = 0;
    /* the row-level defects draw from their own state derived from the row's, so the row's
       values are the same whether or not a defect was drawn */
    row->drng = *rowrng;
    for (int i = 0; i < 4; i++)
        row->drng.s[i] ^= 0x5851f42d4c957f2dULL * (uint64_t)(i + 1);
    gen_next(&row->drng);
    size_t opt[GEN_MAX_COLS], typed[GEN_MAX_COLS], nopt = 0, ntyped = 0;
    for (size_t i = 0; i < set->ncols; i++) {
        char k = set->kinds[i];
        if (k == 'o')
            opt[nopt++] = i;
        else if (k == 'i' || k == 'd' || k == 't')
            typed[ntyped++] = i;
    }
    bool blank = gen_defect(set->g, &row->drng, GEN_D_BLANK);
    bool bad = gen_defect(set->g, &row->drng, GEN_D_BAD_VALUE);
    bool cut = gen_defect(set->g, &row->drng, GEN_D_BAD_RECORD);
    if (blank && nopt)
        row->blank_col = (int)opt[gen_below(&row->drng, nopt)];
    if (bad && ntyped)
        row->bad_col = (int)typed[gen_below(&row->drng, ntyped)];
    if (row->bad_col >= 0 && row->bad_col == row->blank_col)
        row->blank_col = -1;
    if (cut && set->ncols > 1)
        row->cut_after = (int)gen_range(&row->drng, 1, (int64_t)set->ncols - 1);
}

static bool field_start(gen_row *row)
{
    if (row->field > 0)
        gen_putc(&row->buf, row->set->delim);
    return true;
}

static void field_end(gen_row *row)
{
    if (row->field < GEN_MAX_COLS)
        row->ends[row->field] = row->buf.len;
    row->field++;
}

static void put_csv(gen_row *row, const char *s, size_t n)
{
    char d = row->set->delim;
    bool quote = false;
    for (size_t i = 0; i < n; i++)
        if (s[i] == d || s[i] == '"' || s[i] == '\n' || s[i] == '\r') {
            quote = true;
            break;
        }
    if (!quote) {
        gen_put(&row->buf, s, n);
        return;
    }
    gen_putc(&row->buf, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            gen_putc(&row->buf, '"');
        gen_putc(&row->buf, s[i]);
    }
    gen_putc(&row->buf, '"');
}

/* the unparsable value for a typed field, when this is the drawn one */
static bool bad_value(gen_row *row)
{
    if ((int)row->field != row->bad_col)
        return false;
    static const char *const num_bad[] = {"12,5", "n/a", "1.2.3", "twelve"};
    static const char *const date_bad[] = {"2024-13-45", "31/02/2024", "yesterday", "2024-02-30"};
    const char *v = row->set->kinds[row->field] == 't' ? GEN_PICK(&row->drng, date_bad)
                                                       : GEN_PICK(&row->drng, num_bad);
    put_csv(row, v, strlen(v));
    row->mask |= 1u << GEN_D_BAD_VALUE;
    return true;
}

void gen_f_textn(gen_row *row, const char *s, size_t n)
{
    field_start(row);
    if ((int)row->field == row->blank_col)
        row->mask |= 1u << GEN_D_BLANK;
    else
        put_csv(row, s, n);
    field_end(row);
}

void gen_f_text(gen_row *row, const char *s)
{
    gen_f_textn(row, s, strlen(s));
}

void gen_f_null(gen_row *row)
{
    field_start(row);
    field_end(row);
}

void gen_f_int(gen_row *row, int64_t v)
{
    field_start(row);
    if (!bad_value(row))
        gen_put_i64(&row->buf, v);
    field_end(row);
}

void gen_f_dec(gen_row *row, int64_t v, int frac)
{
    field_start(row);
    if (!bad_value(row))
        gen_put_dec(&row->buf, v, frac);
    field_end(row);
}

void gen_f_date(gen_row *row, int64_t days)
{
    field_start(row);
    if (!bad_value(row))
        gen_put_date(&row->buf, days);
    field_end(row);
}

void gen_f_ts(gen_row *row, int64_t ms, enum gen_ts_style style)
{
    field_start(row);
    if (!bad_value(row))
        gen_put_ts(&row->buf, ms, style);
    field_end(row);
}

void gen_f_bool(gen_row *row, bool v, bool upper)
{
    field_start(row);
    gen_puts(&row->buf, upper ? (v ? "TRUE" : "FALSE") : (v ? "true" : "false"));
    field_end(row);
}

int gen_row_end(gen_row *row)
{
    size_t n = row->buf.len;
    uint32_t mask = row->mask;
    if (row->cut_after > 0 && (size_t)row->cut_after <= row->field) {
        /* too few fields: the row goes to quarantine whole, so only that is counted */
        n = row->ends[row->cut_after - 1];
        mask = 1u << GEN_D_BAD_RECORD;
    }
    return gen_set_emit(row->set, row->buf.p, n, mask);
}

/* ---- pools -------------------------------------------------------------------------------------
 */

const gen_place gen_places[] = {
    {"New York", "NY", "US", "North America", "100"},
    {"San Francisco", "CA", "US", "North America", "941"},
    {"Austin", "TX", "US", "North America", "787"},
    {"Chicago", "IL", "US", "North America", "606"},
    {"Seattle", "WA", "US", "North America", "981"},
    {"Boston", "MA", "US", "North America", "021"},
    {"Toronto", "ON", "CA", "North America", "M5V"},
    {"Vancouver", "BC", "CA", "North America", "V6B"},
    {"London", "England", "GB", "Europe", "EC1"},
    {"Manchester", "England", "GB", "Europe", "M1 "},
    {"Berlin", "BE", "DE", "Europe", "101"},
    {"München", "BY", "DE", "Europe", "803"},
    {"Paris", "IDF", "FR", "Europe", "750"},
    {"Zürich", "ZH", "CH", "Europe", "800"},
    {"Tokyo", "Tokyo", "JP", "Asia Pacific", "100"},
    {"Osaka", "Osaka", "JP", "Asia Pacific", "530"},
    {"Sydney", "NSW", "AU", "Asia Pacific", "200"},
    {"Melbourne", "VIC", "AU", "Asia Pacific", "300"},
    {"Bengaluru", "KA", "IN", "Asia Pacific", "560"},
    {"Mumbai", "MH", "IN", "Asia Pacific", "400"},
    {"Singapore", "", "SG", "Asia Pacific", "018"},
    {"São Paulo", "SP", "BR", "Latin America", "010"},
    {"Mexico City", "CDMX", "MX", "Latin America", "060"},
    {"Dubai", "", "AE", "Middle East", "000"},
};
const size_t gen_nplaces = sizeof gen_places / sizeof gen_places[0];

const char *const gen_first_names[] = {
    "James", "Mary",   "Robert", "Patricia", "John",   "Jennifer", "Michael", "Linda",
    "David", "Elena",  "Wei",    "Aiko",     "Priya",  "Arjun",    "Sofia",   "Lukas",
    "Chloé", "José",   "Fatima", "Omar",     "Hannah", "Noah",     "Emma",    "Liam",
    "Yuki",  "Chen",   "Ana",    "Mateo",    "Olivia", "Ethan",    "Zoë",     "Björn",
    "Grace", "Samuel", "Amara",  "Kenji",    "Isabel", "Thomas",   "Nora",    "Ravi",
};
const size_t gen_nfirst = sizeof gen_first_names / sizeof gen_first_names[0];

const char *const gen_last_names[] = {
    "Smith",  "Johnson", "Williams", "Brown",  "Jones",   "Garcia",   "Miller", "Davis",
    "Müller", "Schmidt", "Dubois",   "Martin", "Tanaka",  "Suzuki",   "Patel",  "Sharma",
    "Kim",    "Lee",     "Nguyen",   "Chen",   "O'Brien", "Rossi",    "Silva",  "Santos",
    "Cohen",  "Novak",   "Kowalski", "Larsen", "Berg",    "Andersen", "Haddad", "Khan",
    "Lopez",  "Walker",  "Young",    "Hall",   "Wright",  "Scott",    "Green",  "Baker",
};
const size_t gen_nlast = sizeof gen_last_names / sizeof gen_last_names[0];

const gen_currency gen_currencies[GEN_NCURRENCIES] = {
    {"USD", 40, 1000, 2}, {"EUR", 20, 920, 2}, {"GBP", 12, 790, 2},  {"JPY", 8, 150000, 0},
    {"AUD", 6, 1520, 2},  {"CAD", 6, 1360, 2}, {"INR", 5, 83000, 2}, {"CHF", 3, 880, 2},
};

int64_t gen_from_usd_cents(const gen_currency *c, int64_t usd_cents)
{
    /* usd_cents * per_usd / 1000 is in the currency's cents; JPY has no minor unit */
    int64_t cents = (usd_cents * c->per_usd_milli + 500) / 1000;
    if (c->frac == 0)
        return (cents + 50) / 100;
    return cents;
}

void gen_customer_person(const gen *g, uint64_t i, gen_person *p)
{
    gen_rng r;
    gen_rng_seed(&r, g->seed, GEN_S_CUSTOMERS, i);
    p->first = gen_first_names[gen_below(&r, gen_nfirst)];
    p->last = gen_last_names[gen_below(&r, gen_nlast)];
    p->place = &gen_places[gen_below(&r, gen_nplaces)];
    /* created within the five years before the reference date */
    p->created_ms = (g->as_of - 5 * 365) * GEN_MS_PER_DAY +
                    (int64_t)gen_below(&r, (uint64_t)(5 * 365 - 60) * 86400) * 1000;
}

void gen_phone(gen_rng *r, bool malformed, char *out, size_t cap)
{
    unsigned a = (unsigned)gen_range(r, 201, 989), b = (unsigned)gen_range(r, 200, 999),
             c = (unsigned)gen_range(r, 0, 9999);
    if (!malformed)
        snprintf(out, cap, "(%03u) %03u-%04u", a, b, c);
    else if (gen_below(r, 2) == 0)
        snprintf(out, cap, "%03u%03u%04u", a, b, c);
    else
        snprintf(out, cap, "(%03u) CALL-ME%u", a, c % 10);
}

/* ---- MANIFEST.json ----------------------------------------------------------------------------
 */

/* a rate in millionths as a JSON number, a fraction: 20000 -> 0.02, 0 -> 0, 1000000 -> 1 */
static void put_rate(gen_buf *b, uint32_t ppm)
{
    gen_put_u64(b, ppm / 1000000);
    uint32_t frac = ppm % 1000000;
    if (frac == 0)
        return;
    int digits = 6;
    while (frac % 10 == 0) {
        frac /= 10;
        digits--;
    }
    gen_putc(b, '.');
    gen_put_pad(b, frac, digits);
}

static void put_defects(gen_buf *b, const uint64_t *d)
{
    gen_putc(b, '{');
    for (int i = 0; i < GEN_D_COUNT; i++) {
        gen_puts(b, i ? ", \"" : "\"");
        gen_puts(b, gen_defect_names[i]);
        gen_puts(b, "\": ");
        gen_put_u64(b, d[i]);
    }
    gen_putc(b, '}');
}

int gen_manifest(gen *g)
{
    gen_buf b = {0};
    gen_puts(&b, "{\n  \"generator\": \"medallion generate\",\n  \"scale\": \"");
    gen_puts(&b, g->scale_text);
    gen_puts(&b, "\",\n  \"seed\": ");
    gen_put_u64(&b, g->seed);
    gen_puts(&b, ",\n  \"as_of\": \"");
    gen_put_date(&b, g->as_of);
    gen_puts(&b, "\",\n  \"defect_classes\": [");
    for (int i = 0; i < GEN_D_COUNT; i++) {
        gen_puts(&b, i ? ", \"" : "\"");
        gen_puts(&b, gen_defect_names[i]);
        gen_putc(&b, '"');
    }
    gen_puts(&b, "],\n  \"defect_rates\": {");
    for (int i = 0; i < GEN_D_COUNT; i++) {
        gen_puts(&b, i ? ", \"" : "\"");
        gen_puts(&b, gen_defect_names[i]);
        gen_puts(&b, "\": ");
        put_rate(&b, g->defect_ppm[i]);
    }
    gen_puts(&b, "},\n  \"sets\": [");
    /* one entry per file set, in the order they were written */
    for (size_t i = 0; i < g->nfiles; i++) {
        bool seen = false;
        for (size_t k = 0; k < i; k++)
            if (strcmp(g->files[k].set, g->files[i].set) == 0)
                seen = true;
        if (seen)
            continue;
        uint64_t files = 0, rows = 0, bytes = 0, d[GEN_D_COUNT] = {0};
        for (size_t k = i; k < g->nfiles; k++) {
            if (strcmp(g->files[k].set, g->files[i].set) != 0)
                continue;
            files++;
            rows += g->files[k].rows;
            bytes += g->files[k].bytes;
            for (int c = 0; c < GEN_D_COUNT; c++)
                d[c] += g->files[k].defects[c];
        }
        gen_puts(&b, i ? ",\n    {\"set\": " : "\n    {\"set\": ");
        gen_put_json_str(&b, g->files[i].set, strlen(g->files[i].set));
        gen_puts(&b, ", \"files\": ");
        gen_put_u64(&b, files);
        gen_puts(&b, ", \"rows\": ");
        gen_put_u64(&b, rows);
        gen_puts(&b, ", \"bytes\": ");
        gen_put_u64(&b, bytes);
        gen_puts(&b, ", \"defects\": ");
        put_defects(&b, d);
        gen_putc(&b, '}');
    }
    gen_puts(&b, "\n  ],\n  \"files\": [");
    for (size_t i = 0; i < g->nfiles; i++) {
        const gen_file_rec *f = &g->files[i];
        gen_puts(&b, i ? ",\n    {\"path\": " : "\n    {\"path\": ");
        gen_put_json_str(&b, f->path, strlen(f->path));
        gen_puts(&b, ", \"set\": ");
        gen_put_json_str(&b, f->set, strlen(f->set));
        gen_puts(&b, ", \"rows\": ");
        gen_put_u64(&b, f->rows);
        gen_puts(&b, ", \"bytes\": ");
        gen_put_u64(&b, f->bytes);
        gen_puts(&b, ", \"defects\": ");
        put_defects(&b, f->defects);
        gen_putc(&b, '}');
    }
    gen_puts(&b, "\n  ]\n}\n");
    size_t n = strlen(g->out_dir) + 32;
    char *final = xrealloc(NULL, n), *tmp = xrealloc(NULL, n);
    snprintf(final, n, "%s/MANIFEST.json", g->out_dir);
    snprintf(tmp, n, "%s.tmp", final);
    int rc = -1;
    FILE *f = fopen(tmp, "wb");
    if (f == NULL) {
        snprintf(g->err, sizeof g->err, "cannot create '%s': %s", tmp, strerror(errno));
        goto out;
    }
    bool ok = fwrite(b.p, 1, b.len, f) == b.len;
    if (fclose(f) != 0 || !ok) {
        snprintf(g->err, sizeof g->err, "cannot write '%s': %s (is the disk full?)", tmp,
                 strerror(errno));
        unlink(tmp);
        goto out;
    }
    if (rename(tmp, final) != 0) {
        snprintf(g->err, sizeof g->err, "cannot rename '%s' to '%s': %s", tmp, final,
                 strerror(errno));
        unlink(tmp);
        goto out;
    }
    rc = 0;
out:
    free(final);
    free(tmp);
    gen_buf_free(&b);
    return rc;
}
