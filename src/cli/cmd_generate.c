/*
 * cmd_generate.c - `medallion generate`: writes the landing zone of the seed company (the
 * files its seven sources deliver, with their defects) as docs/landing.md specifies, plus
 * MANIFEST.json. Deterministic: the same scale, seed, reference date and defect rates give the
 * same bytes.
 * The generator itself is in gen_*.c; this file parses options, shows progress and prints
 * the summary.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "gen_internal.h"
#include "table.h"

static void generate_usage(FILE *out)
{
    fprintf(out,
            "Usage: medallion generate --out DIR [--scale S] [--seed N] [--as-of YYYY-MM-DD]\n"
            "                          [--defect-rate CLASS=RATE]...\n"
            "\n"
            "Writes the landing zone of the seed company into DIR: the files its CRM,\n"
            "Snowflake, Redshift, FX vendor and Kafka deliver, in their own shapes and with\n"
            "realistic defects (at documented default rates, or the ones --defect-rate sets),\n"
            "and DIR/MANIFEST.json with every file's rows, the rate and the count of each\n"
            "injected defect class (docs/landing.md).\n"
            "The same scale, seed, reference date and rates give byte-identical files anywhere.\n"
            "\n"
            "Options:\n"
            "  --out DIR          output directory (created; must be empty or new unless\n"
            "                     --force)\n"
            "  --scale S          size factor, a decimal with up to 6 fraction digits\n"
            "                     (default 1: 100,000 orders; 0.01 for tests, 100 for\n"
            "                     benchmarks); every count is at least 1\n"
            "  --seed N           random seed, 0..2^64-1 (default 42)\n"
            "  --as-of DATE       reference date the data is relative to (default 2026-01-01)\n"
            "  --defect-rate CLASS=RATE\n"
            "                     inject defect CLASS at RATE instead of its default rate;\n"
            "                     RATE is a percentage (5%%, 0.5%%) or a fraction (0.05),\n"
            "                     0..100%%; CLASS is all or one of blank_as_null,\n"
            "                     malformed_email, malformed_phone, amount_outlier,\n"
            "                     redelivered, late_cdc_update, orphan_key, future_date,\n"
            "                     unparsable_value, unparsable_record. Repeatable; a later\n"
            "                     one overrides an earlier one\n"
            "  --force            write into a non-empty DIR (files of the same names are\n"
            "                     replaced; other files are left alone)\n"
            "  --quiet            no progress line and no summary\n"
            "  -h, --help         this help\n"
            "\n"
            "Layout: crm/{accounts,contacts,opportunities}.csv, snowflake/{customers,products,\n"
            "orders}/*_NNN.csv, snowflake/orders/changes/orders_changes_DATE.csv (30 days),\n"
            "redshift/behavior/behavior_NNN.csv ('|'), fx/rates_YYYY-MM.json,\n"
            "kafka/orders_events/events_NNN.jsonl, MANIFEST.json. Files are written under a\n"
            "temporary name and renamed when complete.\n"
            "\n"
            "Exit codes: 0 written, 1 error, 2 usage.\n"
            "\n"
            "Examples:\n"
            "  medallion generate --out lake/landing\n"
            "  medallion generate --scale 0.01 --seed 7 --out /tmp/landing --as-of 2025-06-30\n"
            "  medallion generate --scale 100 --out /data/landing-100   # 10M orders\n"
            "  medallion generate --scale 0.01 --out /tmp/orphans \\\n"
            "      --defect-rate all=0 --defect-rate orphan_key=5%%    # only orphan keys\n");
}

/* "0.01" -> 10000 millionths; -1 when it is not a positive decimal with <= 6 fraction
 * digits and at most 100000 */
static int64_t parse_scale(const char *s, char *norm, size_t cap)
{
    int64_t whole = 0, frac = 0;
    int fd = 0;
    const char *p = s;
    if (*p == '\0')
        return -1;
    for (; *p >= '0' && *p <= '9'; p++) {
        whole = whole * 10 + (*p - '0');
        if (whole > 100000)
            return -1;
    }
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++) {
            if (++fd > 6)
                return -1;
            frac = frac * 10 + (*p - '0');
        }
        if (fd == 0)
            return -1;
    }
    if (*p != '\0' || p == s)
        return -1;
    for (int i = fd; i < 6; i++)
        frac *= 10;
    int64_t micro = whole * 1000000 + frac;
    if (micro <= 0)
        return -1;
    /* normalised text: "1", "0.01", "2.5" */
    int n = snprintf(norm, cap, "%lld", (long long)whole);
    if (frac) {
        char f[24];
        snprintf(f, sizeof f, "%06lld", (long long)frac);
        int len = 6;
        while (len > 0 && f[len - 1] == '0')
            len--;
        snprintf(norm + n, cap - (size_t)n, ".%.*s", len, f);
    }
    return micro;
}

/* A rate: "5%", "0.5%", "0.05", "1" -> parts per million. 0 on success; -1 when it is not a
 * number, -2 when it is above 100%, -3 when it is finer than one in a million. */
static int parse_rate(const char *s, uint32_t *ppm)
{
    uint64_t whole = 0, micro = 0;
    int digits = 0, fd = 0;
    bool fine = false;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++, digits++)
        if (whole <= 1000) /* large enough to be refused below, small enough not to overflow */
            whole = whole * 10 + (uint64_t)(*p - '0');
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return -1;
        for (; *p >= '0' && *p <= '9'; p++, digits++) {
            if (fd < 6) {
                micro = micro * 10 + (uint64_t)(*p - '0');
                fd++;
            } else if (*p != '0')
                fine = true;
        }
    }
    bool percent = *p == '%';
    if (percent)
        p++;
    if (digits == 0 || *p != '\0')
        return -1;
    for (; fd < 6; fd++)
        micro *= 10;
    micro += whole * 1000000; /* the value in millionths */
    if (percent) {
        if (micro % 100 != 0)
            fine = true;
        micro /= 100;
    }
    if (micro > 1000000)
        return -2;
    if (fine)
        return -3;
    *ppm = (uint32_t)micro;
    return 0;
}

/* --defect-rate CLASS=RATE into g->defect_ppm; on an error, says why on stderr */
static int apply_defect_rate(gen *g, const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (eq == NULL || eq == arg) {
        fprintf(stderr,
                "medallion generate: --defect-rate takes CLASS=RATE, e.g. orphan_key=5%% or "
                "all=0 (got '%s')\n",
                arg);
        return -1;
    }
    size_t n = (size_t)(eq - arg);
    int cls = -2; /* -1: all */
    if (n == 3 && strncmp(arg, "all", 3) == 0)
        cls = -1;
    for (int i = 0; i < GEN_D_COUNT && cls == -2; i++)
        if (strlen(gen_defect_names[i]) == n && strncmp(arg, gen_defect_names[i], n) == 0)
            cls = i;
    if (cls == -2) {
        fprintf(stderr,
                "medallion generate: --defect-rate: unknown defect class '%.*s'; the classes "
                "are all",
                (int)n, arg);
        for (int i = 0; i < GEN_D_COUNT; i++)
            fprintf(stderr, ", %s", gen_defect_names[i]);
        fprintf(stderr, "\n");
        return -1;
    }
    uint32_t ppm = 0;
    int rc = parse_rate(eq + 1, &ppm);
    if (rc != 0) {
        fprintf(stderr, "medallion generate: --defect-rate %.*s: '%s' %s\n", (int)n, arg, eq + 1,
                rc == -2   ? "is above 100% (a fraction is 0..1: 0.05 is 5%)"
                : rc == -3 ? "is finer than the resolution of one in a million (0.0001%)"
                           : "is not a rate: give a percentage 0..100% (5%, 0.5%) or a "
                             "fraction 0..1 (0.05)");
        return -1;
    }
    for (int i = 0; i < GEN_D_COUNT; i++)
        if (cls == -1 || cls == i)
            g->defect_ppm[i] = ppm;
    return 0;
}

static int parse_date(const char *s, int64_t *days)
{
    unsigned y, m, d;
    char tail;
    if (strlen(s) != 10 || sscanf(s, "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3 || y < 1971 ||
        y > 9000 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    *days = gen_days_from_civil(y, m, d);
    int64_t yy;
    unsigned mm, dd;
    gen_civil_from_days(*days, &yy, &mm, &dd);
    return (yy == y && mm == m && dd == d) ? 0 : -1;
}

static bool dir_nonempty(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL)
        return false;
    struct dirent *e;
    bool any = false;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            any = true;
            break;
        }
    closedir(d);
    return any;
}

typedef struct progress_state {
    double t0, last;
} progress_state;

static void on_progress(void *arg, const char *set, uint64_t rows)
{
    progress_state *ps = arg;
    double t = cli_now_seconds();
    if (t - ps->last < 0.25)
        return;
    ps->last = t;
    fprintf(stderr, "\r\033[K  generating %s: %llu rows, %.1f s", set, (unsigned long long)rows,
            t - ps->t0);
}

static void print_summary(const gen *g, double secs)
{
    static const char *const headers[] = {"file set", "files", "rows", "defects", "size"};
    cli_table t;
    cli_table_init(&t, 5, headers);
    for (size_t c = 1; c < 5; c++)
        cli_table_align_right(&t, c);
    uint64_t all_rows = 0, all_bytes = 0, all_def = 0;
    for (size_t i = 0; i < g->nfiles; i++) {
        bool seen = false;
        for (size_t k = 0; k < i; k++)
            if (strcmp(g->files[k].set, g->files[i].set) == 0)
                seen = true;
        if (seen)
            continue;
        uint64_t files = 0, rows = 0, bytes = 0, def = 0;
        for (size_t k = i; k < g->nfiles; k++) {
            if (strcmp(g->files[k].set, g->files[i].set) != 0)
                continue;
            files++;
            rows += g->files[k].rows;
            bytes += g->files[k].bytes;
            for (int c = 0; c < GEN_D_COUNT; c++)
                def += g->files[k].defects[c];
        }
        all_rows += rows;
        all_bytes += bytes;
        all_def += def;
        char f[24], r[24], d[24], b[24];
        snprintf(f, sizeof f, "%llu", (unsigned long long)files);
        snprintf(r, sizeof r, "%llu", (unsigned long long)rows);
        snprintf(d, sizeof d, "%llu", (unsigned long long)def);
        cli_human_bytes(bytes, b, sizeof b);
        const char *cells[] = {g->files[i].set, f, r, d, b};
        cli_table_add(&t, cells);
    }
    cli_table_print(&t, stdout, 60);
    cli_table_free(&t);
    char b[24];
    cli_human_bytes(all_bytes, b, sizeof b);
    printf("\nwrote %zu files, %llu rows (%llu with injected defects), %s to %s in %.1f s\n"
           "scale %s, seed %llu; row and defect counts per file: %s/MANIFEST.json\n",
           g->nfiles, (unsigned long long)all_rows, (unsigned long long)all_def, b, g->out_dir,
           secs, g->scale_text, (unsigned long long)g->seed, g->out_dir);
}

int cmd_generate(int argc, char **argv)
{
    enum { O_OUT = 256, O_SCALE, O_SEED, O_ASOF, O_RATE, O_FORCE, O_QUIET };
    static const struct option opts[] = {
        {"out", required_argument, 0, O_OUT},
        {"scale", required_argument, 0, O_SCALE},
        {"seed", required_argument, 0, O_SEED},
        {"as-of", required_argument, 0, O_ASOF},
        {"defect-rate", required_argument, 0, O_RATE},
        {"force", no_argument, 0, O_FORCE},
        {"quiet", no_argument, 0, O_QUIET},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    gen g;
    memset(&g, 0, sizeof g);
    g.seed = 42;
    g.scale_micro = 1000000;
    snprintf(g.scale_text, sizeof g.scale_text, "1");
    g.as_of = gen_days_from_civil(2026, 1, 1);
    memcpy(g.defect_ppm, gen_defect_default_ppm, sizeof g.defect_ppm);
    bool force = false, quiet = false;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case O_OUT:
            g.out_dir = optarg;
            break;
        case O_SCALE:
            g.scale_micro = parse_scale(optarg, g.scale_text, sizeof g.scale_text);
            if (g.scale_micro < 0) {
                fprintf(stderr,
                        "medallion generate: --scale takes a positive decimal up to 100000 "
                        "with at most 6 fraction digits, e.g. 0.01 or 10 (got '%s')\n",
                        optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case O_SEED: {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (*optarg < '0' || *optarg > '9' || *end != '\0' || errno != 0) {
                fprintf(stderr,
                        "medallion generate: --seed takes a number 0..18446744073709551615 "
                        "(got '%s')\n",
                        optarg);
                return CLI_EXIT_USAGE;
            }
            g.seed = v;
            break;
        }
        case O_ASOF:
            if (parse_date(optarg, &g.as_of) != 0) {
                fprintf(stderr,
                        "medallion generate: --as-of takes a date YYYY-MM-DD after 1972, e.g. "
                        "2026-01-01 (got '%s')\n",
                        optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case O_RATE:
            if (apply_defect_rate(&g, optarg) != 0)
                return CLI_EXIT_USAGE;
            break;
        case O_FORCE:
            force = true;
            break;
        case O_QUIET:
            quiet = true;
            break;
        case 'h':
            generate_usage(stdout);
            return CLI_EXIT_OK;
        default:
            fprintf(stderr, "Run 'medallion generate --help' for the options.\n");
            return CLI_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr,
                "medallion generate: unexpected argument '%s' (the directory goes after "
                "--out)\n",
                argv[optind]);
        return CLI_EXIT_USAGE;
    }
    if (g.out_dir == NULL) {
        fprintf(stderr, "medallion generate: --out DIR is required (e.g. --out lake/landing)\n");
        return CLI_EXIT_USAGE;
    }
    if (!force && dir_nonempty(g.out_dir)) {
        fprintf(stderr,
                "medallion generate: '%s' is not empty: choose a new directory, remove it, or "
                "pass --force to overwrite files of the same names\n",
                g.out_dir);
        return CLI_EXIT_ERROR;
    }
    struct stat st;
    /* a missing DIR (and its parents) is created with the first file */
    if (stat(g.out_dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "medallion generate: '%s' exists and is not a directory\n", g.out_dir);
        return CLI_EXIT_ERROR;
    }
    g.n_accounts = gen_count(&g, 30000);
    g.n_contacts = gen_count(&g, 45000);
    g.n_opps = gen_count(&g, 20000);
    g.n_customers = gen_count(&g, 50000);
    g.n_products = gen_count(&g, 10000);
    g.n_orders = gen_count(&g, 100000);
    g.n_changes = gen_count(&g, 200);
    g.n_behavior = gen_count(&g, 50000);
    g.n_events = gen_count(&g, 100000);
    progress_state ps = {cli_now_seconds(), 0};
    bool tty = !quiet && isatty(STDERR_FILENO);
    if (tty) {
        g.progress = on_progress;
        g.progress_arg = &ps;
    }
    int rc = gen_crm(&g);
    if (rc == 0)
        rc = gen_snowflake(&g);
    if (rc == 0)
        rc = gen_redshift(&g);
    if (rc == 0)
        rc = gen_fx(&g);
    if (rc == 0)
        rc = gen_kafka(&g);
    if (rc == 0)
        rc = gen_manifest(&g);
    if (tty)
        fprintf(stderr, "\r\033[K");
    if (rc != 0) {
        fprintf(stderr, "medallion generate: %s\n", g.err);
        gen_free(&g);
        return CLI_EXIT_ERROR;
    }
    if (!quiet)
        print_summary(&g, cli_now_seconds() - ps.t0);
    gen_free(&g);
    return CLI_EXIT_OK;
}
