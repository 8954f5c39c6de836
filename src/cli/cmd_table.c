/*
 * cmd_table.c - `medallion table create|append|describe|files|history|optimize|vacuum PATH`:
 * Delta tables in a
 * local folder. create writes version 0 with a schema; append streams CSV, JSON-lines and
 * Parquet inputs through one table writer and commits them as one version (optionally an
 * overwrite, optionally at most once per APP_ID:VERSION transaction); describe, files and
 * history look at a snapshot (latest or --version N) and the log; optimize compacts small
 * files and vacuum deletes unreferenced ones. Tables on a terminal, --json for scripts.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cli.h"
#include "medallion/table.h"
#include "table.h"

static void table_usage(FILE *out)
{
    fprintf(out,
            "Usage: medallion table SUBCOMMAND PATH [options]\n"
            "\n"
            "Delta tables in the folder PATH (the data files and the _delta_log/ commits).\n"
            "\n"
            "Subcommands:\n"
            "  create PATH --schema TEXT [--partition-by COL[,COL...]] [--name N]\n"
            "                 [--description D] [--property KEY=VALUE]...\n"
            "                 create an empty table (version 0) with this schema\n"
            "  append PATH FILE... [options]\n"
            "                 write the rows of CSV, JSON-lines or Parquet files as one commit;\n"
            "                 CSV and JSON lines are read with the table's schema, Parquet\n"
            "                 inputs must have the table's columns and types\n"
            "  describe PATH  version, the checkpoint it was read from, name, description,\n"
            "                 schema, partitioning, active files, total size and records\n"
            "  files PATH     the active data files: path, size, records, modification time\n"
            "  history PATH   the commits, newest first: version, time, operation, adds, removes\n"
            "  optimize PATH [--target-mb N] [--codec C]\n"
            "                 compact the files smaller than half the target into files of\n"
            "                 about the target size (one OPTIMIZE commit, no data change; the\n"
            "                 old files stay for time travel until vacuum)\n"
            "  vacuum PATH [--retain-hours H] [--dry-run] [--json]\n"
            "                 delete the files the latest version does not use and that are\n"
            "                 older than the retention (default 168 hours); time travel to\n"
            "                 versions needing them stops working\n"
            "\n");
    fprintf(out,
            "Options:\n"
            "  --schema TEXT          create: the columns, e.g. \"id int64 not null, amount "
            "decimal(12,2)\";\n"
            "                         append: read CSV / JSON lines with this schema instead\n"
            "                         of the table's (the batches must still match the table)\n"
            "  --partition-by COLS    create: partition by these columns (comma-separated, not\n"
            "                         double): data files go to COL=VALUE/ folders;\n"
            "                         append: create the table so partitioned when PATH holds\n"
            "                         none (its schema: --schema, else the first input's if it\n"
            "                         is Parquet), or check an existing table is partitioned so\n"
            "                         (an error says how it is)\n"
            "  --name N               create: the table name\n"
            "  --property KEY=VALUE   create: a table property (repeatable), e.g.\n"
            "                         delta.checkpointInterval=100 (commits between\n"
            "                         checkpoints, default 10), delta.appendOnly=true\n"
            "                         (refuse overwrite and replace-where); keys not\n"
            "                         starting with 'delta.' are kept as given\n"
            "  --description D        create: the table description\n"
            "  --txn APP_ID:VERSION   append: commit at most once for this application and\n"
            "                         version (a repeated run is a no-op)\n"
            "  --overwrite            append: replace every active file in the same commit\n"
            "  --replace-where PRED   append: replace only the partitions matching PRED (Delta's\n"
            "                         replaceWhere), in the same commit; PRED is COL=VALUE,\n"
            "                         COL<VALUE (also <=, >, >=), COL IN (V1,V2,...) or COL IS\n"
            "                         NULL on a partition column, VALUE optionally in '...';\n"
            "                         repeat it to AND several. Every input row must match, or\n"
            "                         nothing is committed\n"
            "  --codec NAME           append, optimize: Parquet codec: zstd (default), snappy,\n"
            "                         gzip,"
            " lz4_raw, none\n"
            "  --format csv|jsonl|parquet\n"
            "                         append: the input format (default: from each extension,\n"
            "                         .csv, .jsonl/.ndjson/.json, .parquet)\n"
            "  --strict               append: stop at the first row that cannot be read\n"
            "                         (default: rejected rows are counted and listed)\n"
            "  --quiet                append: no progress line\n"
            "  --version N            describe, files: the snapshot at version N (time travel)\n"
            "  --target-mb N          optimize: target file size in MiB (default 128)\n"
            "  --retain-hours H       vacuum: keep unreferenced files younger than this\n"
            "                         (default 168 = 7 days; 0 deletes them all, which can\n"
            "                         break a write committing at the same time)\n"
            "  --dry-run              vacuum: list the files, delete nothing\n"
            "  --json                 describe, files, history, vacuum: machine-readable output\n"
            "  -h, --help             this help\n"
            "\n");
    fprintf(out,
            "Exit codes: 0 ok, 1 error (no table, unreadable input, a row outside\n"
            "--replace-where, lost commit), 2 usage.\n"
            "\n"
            "Examples:\n"
            "  medallion table create lake/orders --schema \"order_id string not null, qty "
            "int32\" --name orders\n"
            "  medallion table append lake/orders orders-1.csv orders-2.parquet --txn "
            "loader:42\n"
            "  medallion table append lake/orders snapshot.csv --overwrite --codec snappy\n"
            "  medallion table append lake/sales day1.parquet --partition-by country,day\n"
            "  medallion table append lake/sales fix.csv --replace-where \"day = '2024-01-02'\"\n"
            "                 --replace-where \"country IN (US, FR)\"\n"
            "  medallion table describe lake/orders --version 1\n"
            "  medallion table files lake/orders --json\n"
            "  medallion table history lake/orders\n"
            "  medallion table optimize lake/orders --target-mb 256\n"
            "  medallion table vacuum lake/orders --retain-hours 24 --dry-run\n");
}

#define MAX_INPUTS        1024
#define MAX_REPLACE_WHERE 16
#define MAX_PROPERTIES    32
#define MAX_PRED_VALUES   64

/* One --replace-where, parsed: the strings point into text. */
typedef struct rw_pred {
    char text[1024];
    const char *values[MAX_PRED_VALUES];
} rw_pred;

typedef struct table_args {
    const char *sub, *path, *schema, *name, *description, *txn_app, *codec, *format;
    const char *partition_by; /* create: "col,col" */
    const char *inputs[MAX_INPUTS];
    size_t num_inputs;
    int64_t txn_version, version, target_mb, retain_hours;
    bool have_txn, overwrite, strict, quiet, json, dry_run;
    char txn_buf[512];
    rw_pred rw_text[MAX_REPLACE_WHERE];
    mdl_predicate replace_where[MAX_REPLACE_WHERE];
    size_t num_replace_where;
    char prop_buf[MAX_PROPERTIES][512]; /* "key\0value" */
    mdl_key_value props[MAX_PROPERTIES];
    size_t num_props;
} table_args;

static int usage_error(const char *fmt, ...) MDL_PRINTF(1, 2);

static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "medallion table: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nRun 'medallion table --help' for the options.\n");
    return CLI_EXIT_USAGE;
}

static bool parse_int64(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long n = strtoll(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno != 0 || n < 0)
        return false;
    *out = (int64_t)n;
    return true;
}

static char *trim(char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    char *end = p + strlen(p);
    while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
        *--end = '\0';
    return p;
}

/* A value, optionally in '...' (with '' for a quote inside). */
static const char *unquote(char *v)
{
    v = trim(v);
    size_t n = strlen(v);
    if (n < 2 || v[0] != '\'' || v[n - 1] != '\'')
        return v;
    v[n - 1] = '\0';
    char *o = v;
    for (char *i = v + 1; *i; i++) {
        *o++ = *i;
        if (i[0] == '\'' && i[1] == '\'')
            i++;
    }
    *o = '\0';
    return v;
}

static bool ieq_prefix(const char *s, const char *word)
{
    return strncasecmp(s, word, strlen(word)) == 0;
}

/* Parses --replace-where TEXT: COL op VALUE, COL IN (V, ...), COL IS NULL. */
static int parse_replace_where(const char *text, rw_pred *buf, mdl_predicate *p)
{
    if (strlen(text) >= sizeof buf->text)
        return usage_error("--replace-where: too long");
    strcpy(buf->text, text);
    char *s = buf->text;
    memset(p, 0, sizeof *p);
    /* the column: up to an operator or a space */
    size_t n = strcspn(s, "=<>! \t");
    char *rest = s + n;
    while (*rest == ' ' || *rest == '\t')
        rest++;
    char op0 = *rest;
    if (n == 0)
        return usage_error("--replace-where: expected COL=VALUE, COL IN (...) or COL IS NULL "
                           "(got '%s')",
                           text);
    if (ieq_prefix(rest, "IS NULL") && trim(rest + 7)[0] == '\0') {
        s[n] = '\0';
        p->column = s;
        p->op = MDL_PRED_IS_NULL;
        return CLI_EXIT_OK;
    }
    if (ieq_prefix(rest, "IN") && (rest[2] == ' ' || rest[2] == '(')) {
        s[n] = '\0';
        char *lp = trim(rest + 2);
        size_t len = strlen(lp);
        if (lp[0] != '(' || len < 2 || lp[len - 1] != ')')
            return usage_error("--replace-where: IN takes (V1, V2, ...) (got '%s')", text);
        lp[len - 1] = '\0';
        lp++;
        size_t nv = 0;
        for (char *v = lp;;) {
            /* a comma inside '...' does not split */
            char *c = v;
            bool q = false;
            for (; *c && (q || *c != ','); c++)
                if (*c == '\'')
                    q = !q;
            bool last = *c == '\0';
            *c = '\0';
            if (nv == MAX_PRED_VALUES)
                return usage_error("--replace-where: at most %d values in IN", MAX_PRED_VALUES);
            buf->values[nv++] = unquote(v);
            if (last)
                break;
            v = c + 1;
        }
        p->column = s;
        p->op = MDL_PRED_IN;
        p->values = buf->values;
        p->num_values = nv;
        return CLI_EXIT_OK;
    }
    size_t oplen = 1;
    if (op0 == '=')
        p->op = MDL_PRED_EQ;
    else if (op0 == '<' && rest[1] == '=') {
        p->op = MDL_PRED_LE;
        oplen = 2;
    } else if (op0 == '<')
        p->op = MDL_PRED_LT;
    else if (op0 == '>' && rest[1] == '=') {
        p->op = MDL_PRED_GE;
        oplen = 2;
    } else if (op0 == '>')
        p->op = MDL_PRED_GT;
    else
        return usage_error("--replace-where: expected COL=VALUE, COL<VALUE (<=, >, >=), COL IN "
                           "(V1,V2,...) or COL IS NULL (got '%s')",
                           text);
    s[n] = '\0';
    p->column = s;
    buf->values[0] = unquote(rest + oplen);
    p->values = buf->values;
    p->num_values = 1;
    return CLI_EXIT_OK;
}

/* Returns CLI_EXIT_OK, CLI_EXIT_USAGE, or -1 after printing the help. */
static int parse_args(int argc, char **argv, table_args *a)
{
    enum {
        O_SCHEMA = 256,
        O_NAME,
        O_PROPERTY,
        O_DESC,
        O_TXN,
        O_OVERWRITE,
        O_CODEC,
        O_FORMAT,
        O_STRICT,
        O_QUIET,
        O_VERSION,
        O_JSON,
        O_TARGET_MB,
        O_RETAIN_HOURS,
        O_DRY_RUN,
        O_PARTITION_BY,
        O_REPLACE_WHERE
    };
    static const struct option opts[] = {
        {"schema", required_argument, 0, O_SCHEMA},
        {"name", required_argument, 0, O_NAME},
        {"property", required_argument, 0, O_PROPERTY},
        {"description", required_argument, 0, O_DESC},
        {"txn", required_argument, 0, O_TXN},
        {"overwrite", no_argument, 0, O_OVERWRITE},
        {"codec", required_argument, 0, O_CODEC},
        {"format", required_argument, 0, O_FORMAT},
        {"strict", no_argument, 0, O_STRICT},
        {"quiet", no_argument, 0, O_QUIET},
        {"version", required_argument, 0, O_VERSION},
        {"json", no_argument, 0, O_JSON},
        {"target-mb", required_argument, 0, O_TARGET_MB},
        {"retain-hours", required_argument, 0, O_RETAIN_HOURS},
        {"dry-run", no_argument, 0, O_DRY_RUN},
        {"partition-by", required_argument, 0, O_PARTITION_BY},
        {"replace-where", required_argument, 0, O_REPLACE_WHERE},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    memset(a, 0, sizeof *a);
    a->version = -1;
    a->target_mb = -1;
    a->retain_hours = -1;
    a->codec = "zstd";
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case O_SCHEMA:
            a->schema = optarg;
            break;
        case O_NAME:
            a->name = optarg;
            break;
        case O_PROPERTY: {
            const char *eq = strchr(optarg, '=');
            if (eq == NULL || eq == optarg)
                return usage_error("--property: expected KEY=VALUE, got '%s'", optarg);
            if (a->num_props == MAX_PROPERTIES)
                return usage_error("--property: at most %d", MAX_PROPERTIES);
            if (strlen(optarg) >= sizeof a->prop_buf[0])
                return usage_error("--property: '%.40s...' is too long", optarg);
            char *buf = a->prop_buf[a->num_props];
            strcpy(buf, optarg);
            buf[eq - optarg] = '\0';
            a->props[a->num_props].key = buf;
            a->props[a->num_props].value = buf + (eq - optarg) + 1;
            a->num_props++;
            break;
        }
        case O_DESC:
            a->description = optarg;
            break;
        case O_PARTITION_BY:
            a->partition_by = optarg;
            break;
        case O_TXN: {
            const char *colon = strrchr(optarg, ':');
            size_t app_len = colon ? (size_t)(colon - optarg) : 0;
            if (colon == NULL || app_len == 0 || app_len >= sizeof a->txn_buf ||
                !parse_int64(colon + 1, &a->txn_version))
                return usage_error("--txn takes APP_ID:VERSION with VERSION a number >= 0 "
                                   "(got '%s')",
                                   optarg);
            memcpy(a->txn_buf, optarg, app_len);
            a->txn_buf[app_len] = '\0';
            a->txn_app = a->txn_buf;
            a->have_txn = true;
            break;
        }
        case O_OVERWRITE:
            a->overwrite = true;
            break;
        case O_REPLACE_WHERE: {
            if (a->num_replace_where == MAX_REPLACE_WHERE)
                return usage_error("--replace-where: at most %d", MAX_REPLACE_WHERE);
            size_t k = a->num_replace_where++;
            int prc = parse_replace_where(optarg, &a->rw_text[k], &a->replace_where[k]);
            if (prc != CLI_EXIT_OK)
                return prc;
            break;
        }
        case O_CODEC:
            a->codec = optarg;
            break;
        case O_FORMAT:
            if (strcmp(optarg, "csv") != 0 && strcmp(optarg, "jsonl") != 0 &&
                strcmp(optarg, "parquet") != 0)
                return usage_error("--format takes csv, jsonl or parquet (got '%s')", optarg);
            a->format = optarg;
            break;
        case O_STRICT:
            a->strict = true;
            break;
        case O_QUIET:
            a->quiet = true;
            break;
        case O_VERSION:
            if (!parse_int64(optarg, &a->version))
                return usage_error("--version takes a number >= 0 (got '%s')", optarg);
            break;
        case O_JSON:
            a->json = true;
            break;
        case O_TARGET_MB:
            /* capped so that N MiB fits in 64 bits with room to spare */
            if (!parse_int64(optarg, &a->target_mb) || a->target_mb == 0 ||
                a->target_mb > 1024 * 1024)
                return usage_error("--target-mb takes a number from 1 to 1048576 (got '%s')",
                                   optarg);
            break;
        case O_RETAIN_HOURS:
            if (!parse_int64(optarg, &a->retain_hours) || a->retain_hours > 24 * 365 * 1000)
                return usage_error("--retain-hours takes a number of hours >= 0 (got '%s')",
                                   optarg);
            break;
        case O_DRY_RUN:
            a->dry_run = true;
            break;
        case 'h':
            table_usage(stdout);
            return -1;
        default:
            fprintf(stderr, "Run 'medallion table --help' for the options.\n");
            return CLI_EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return usage_error("expected a subcommand: %s",
                           "create, append, describe, files, history, optimize or vacuum");
    a->sub = argv[optind++];
    bool create = strcmp(a->sub, "create") == 0, append = strcmp(a->sub, "append") == 0;
    bool describe = strcmp(a->sub, "describe") == 0, files = strcmp(a->sub, "files") == 0;
    bool history = strcmp(a->sub, "history") == 0, optimize = strcmp(a->sub, "optimize") == 0;
    bool vacuum = strcmp(a->sub, "vacuum") == 0;
    if (!create && !append && !describe && !files && !history && !optimize && !vacuum)
        return usage_error("unknown subcommand '%s' (create, append, describe, files, history, "
                           "optimize, vacuum)",
                           a->sub);
    if (optind >= argc)
        return usage_error("%s: expected the table's PATH", a->sub);
    a->path = argv[optind++];
    for (; optind < argc; optind++) {
        if (!append)
            return usage_error("unexpected argument '%s'", argv[optind]);
        if (a->num_inputs == MAX_INPUTS)
            return usage_error("too many input files (at most %d)", MAX_INPUTS);
        a->inputs[a->num_inputs++] = argv[optind];
    }
    if (create && a->schema == NULL)
        return usage_error("%s: needs --schema", "create");
    if (append && a->num_inputs == 0)
        return usage_error("%s: expected at least one input FILE", "append");
    if (!create && !append && a->partition_by != NULL)
        return usage_error("--partition-by is for create and append, not %s", a->sub);
    if (!append && a->num_replace_where > 0)
        return usage_error("--replace-where is for append, not %s", a->sub);
    if (a->overwrite && a->num_replace_where > 0)
        return usage_error("--overwrite replaces every partition, --replace-where only the "
                           "matching ones: give one of them");
    if (!create && (a->name != NULL || a->description != NULL || a->num_props > 0))
        return usage_error("--name, --description and --property are for create, not %s", a->sub);
    if (!append && (a->have_txn || a->overwrite || a->format != NULL || a->strict))
        return usage_error("--txn, --overwrite, --format and --strict are for append, not %s",
                           a->sub);
    if (!append && !optimize && strcmp(a->codec, "zstd") != 0)
        return usage_error("--codec is for append and optimize, not %s", a->sub);
    if (!optimize && a->target_mb >= 0)
        return usage_error("--target-mb is for optimize, not %s", a->sub);
    if (!vacuum && (a->retain_hours >= 0 || a->dry_run))
        return usage_error("--retain-hours and --dry-run are for vacuum, not %s", a->sub);
    if (!create && !append && a->schema != NULL)
        return usage_error("--schema is for create and append, not %s", a->sub);
    if (!describe && !files && a->version >= 0)
        return usage_error("--version is for describe and files, not %s", a->sub);
    if ((create || append || optimize) && a->json)
        return usage_error("--json is for describe, files, history and vacuum, not %s", a->sub);
    if (append && a->format == NULL)
        for (size_t i = 0; i < a->num_inputs; i++)
            if (cli_format_of(a->inputs[i]) == NULL)
                return usage_error("cannot tell the format of '%s' from its extension; use "
                                   "--format csv|jsonl|parquet",
                                   a->inputs[i]);
    return CLI_EXIT_OK;
}

/* ---- helpers ----------------------------------------------------------------------------- */

/* Milliseconds since the epoch as "2024-05-01T12:34:56.789Z" ("" when negative). */
static void iso_time(int64_t ms, char *buf, size_t cap)
{
    if (ms < 0) {
        snprintf(buf, cap, "-");
        return;
    }
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    if (gmtime_r(&secs, &tm) == NULL) {
        snprintf(buf, cap, "-");
        return;
    }
    char base[32];
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, cap, "%s.%03dZ", base, (int)(ms % 1000));
}

static void print_json(json_object *o)
{
    printf("%s\n",
           json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                 JSON_C_TO_STRING_NOSLASHESCAPE));
}

/* Parsed JSON text, or the text as a string when it does not parse, or null. */
static json_object *json_or_string(const char *text)
{
    if (text == NULL)
        return NULL;
    json_object *o = json_tokener_parse(text);
    return o != NULL ? o : json_object_new_string(text);
}

/* The storage of an existing folder: reading commands never create PATH. */
static int open_existing(mdl_ctx *ctx, const char *path, mdl_storage **st, mdl_error *err)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        fprintf(stderr,
                "medallion table: no Delta table at '%s' (no such folder); create one with "
                "'medallion table create %s --schema ...'\n",
                path, path);
        return CLI_EXIT_ERROR;
    }
    if (mdl_storage_open_local(ctx, path, st, err) != MDL_OK) {
        fprintf(stderr, "medallion table: %s\n", err->message);
        return CLI_EXIT_ERROR;
    }
    return CLI_EXIT_OK;
}

static void no_table(const char *path)
{
    fprintf(stderr,
            "medallion table: no Delta table at '%s'; create one with 'medallion table create "
            "%s --schema ...'\n",
            path, path);
}

/* Opens the snapshot, printing the error. */
static int open_snapshot(mdl_ctx *ctx, const table_args *a, mdl_storage **st, mdl_table **t,
                         mdl_error *err)
{
    int rc = open_existing(ctx, a->path, st, err);
    if (rc != CLI_EXIT_OK)
        return rc;
    int orc = mdl_table_open(ctx, *st, a->version, t, err);
    if (orc == MDL_OK)
        return CLI_EXIT_OK;
    if (orc == MDL_ERR_NOT_FOUND && a->version < 0)
        no_table(a->path);
    else
        fprintf(stderr, "medallion table: %s\n", err->message);
    mdl_storage_release(*st);
    *st = NULL;
    return CLI_EXIT_ERROR;
}

/* ---- create ------------------------------------------------------------------------------ */

#define MAX_PARTITION_COLUMNS 32

/* Splits --partition-by "a, b" into names (spaces around them dropped) kept in buf. */
static int split_partition_by(const char *text, char *buf, size_t cap, const char **cols, size_t *n)
{
    *n = 0;
    if (text == NULL)
        return CLI_EXIT_OK;
    if (strlen(text) >= cap)
        return usage_error("--partition-by: too long");
    strcpy(buf, text);
    for (char *p = buf;;) {
        char *comma = strchr(p, ',');
        if (comma != NULL)
            *comma = '\0';
        while (*p == ' ')
            p++;
        char *end = p + strlen(p);
        while (end > p && end[-1] == ' ')
            *--end = '\0';
        if (*p == '\0')
            return usage_error("--partition-by: an empty column name in '%s'", text);
        if (*n >= MAX_PARTITION_COLUMNS)
            return usage_error("--partition-by: at most %d columns", MAX_PARTITION_COLUMNS);
        cols[(*n)++] = p;
        if (comma == NULL)
            return CLI_EXIT_OK;
        p = comma + 1;
    }
}

static int table_create(mdl_ctx *ctx, const table_args *a)
{
    mdl_error err = {0, ""};
    char pbuf[1024];
    const char *pcols[MAX_PARTITION_COLUMNS];
    size_t npcols = 0;
    int prc = split_partition_by(a->partition_by, pbuf, sizeof pbuf, pcols, &npcols);
    if (prc != CLI_EXIT_OK)
        return prc;
    mdl_schema *schema = NULL;
    if (mdl_schema_parse(ctx, a->schema, &schema, &err) != MDL_OK) {
        fprintf(stderr, "medallion table: --schema: %s\n", err.message);
        return CLI_EXIT_USAGE;
    }
    mdl_storage *st = NULL;
    int exit_code = CLI_EXIT_ERROR;
    if (mdl_storage_open_local(ctx, a->path, &st, &err) != MDL_OK) {
        fprintf(stderr, "medallion table: %s\n", err.message);
    } else {
        int rc = mdl_table_create_with_properties(ctx, st, schema, a->name, a->description, pcols,
                                                  npcols, a->props, a->num_props, &err);
        if (rc == MDL_OK) {
            printf("created %s (version 0)\n", a->path);
            exit_code = CLI_EXIT_OK;
        } else if (rc == MDL_ERR_CONFLICT) {
            fprintf(stderr, "medallion table: a table already exists at '%s' (%s)\n", a->path,
                    err.message);
        } else {
            fprintf(stderr, "medallion table: %s\n", err.message);
        }
    }
    mdl_storage_release(st);
    mdl_schema_release(schema);
    return exit_code;
}

/* ---- append ------------------------------------------------------------------------------ */

static int open_input(mdl_ctx *ctx, const char *file, const char *format, bool strict,
                      mdl_schema *schema, cli_reject_count *rj, mdl_batch_stream **out,
                      mdl_error *err)
{
    mdl_csv_options csv;
    mdl_csv_options_init(&csv);
    mdl_json_options json;
    mdl_json_options_init(&json);
    if (!strict) {
        csv.on_reject = json.on_reject = cli_count_reject;
        csv.reject_payload = json.reject_payload = rj;
    }
    return cli_open_input(ctx, file, format, schema, &csv, &json, NULL, out, err);
}

/* A Parquet input must have the table's columns, in order, with the same types. */
static bool schema_matches(const mdl_schema *in, const mdl_schema *table, char *why, size_t cap)
{
    if (in->num_fields != table->num_fields) {
        snprintf(why, cap, "it has %zu columns, the table %zu", in->num_fields, table->num_fields);
        return false;
    }
    for (size_t i = 0; i < in->num_fields; i++) {
        const mdl_field *f = &in->fields[i], *g = &table->fields[i];
        char ft[64], gt[64];
        mdl_type_format(f->type, ft, sizeof ft);
        mdl_type_format(g->type, gt, sizeof gt);
        if (strcmp(f->name, g->name) != 0) {
            snprintf(why, cap, "column %zu is '%s', the table's is '%s'", i + 1, f->name, g->name);
            return false;
        }
        if (!mdl_type_equal(f->type, g->type)) {
            snprintf(why, cap, "column '%s' is %s, the table's is %s", f->name, ft, gt);
            return false;
        }
    }
    return true;
}

/* "a, b" for the partition columns of t ("" when none). */
static void partition_list(const mdl_table *t, char *out, size_t cap)
{
    out[0] = '\0';
    for (size_t i = 0, len = 0; i < mdl_table_num_partition_columns(t) && len < cap; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? ", " : "",
                                mdl_table_partition_column(t, i));
}

/*
 * append --partition-by: creates the table so partitioned when PATH holds none (schema from
 * --schema, else from the first input when it is Parquet), or checks that the existing table
 * has exactly these partition columns. Opens *st either way.
 */
static int ensure_partitioned(mdl_ctx *ctx, const table_args *a, mdl_schema *read_schema,
                              mdl_storage **st, mdl_error *err)
{
    char pbuf[1024];
    const char *pcols[MAX_PARTITION_COLUMNS];
    size_t npcols = 0;
    int prc = split_partition_by(a->partition_by, pbuf, sizeof pbuf, pcols, &npcols);
    if (prc != CLI_EXIT_OK)
        return prc;
    if (mdl_storage_open_local(ctx, a->path, st, err) != MDL_OK) {
        fprintf(stderr, "medallion table: %s\n", err->message);
        return CLI_EXIT_ERROR;
    }
    mdl_table *t = NULL;
    int rc = mdl_table_open(ctx, *st, -1, &t, err);
    if (rc == MDL_OK) {
        bool same = mdl_table_num_partition_columns(t) == npcols;
        for (size_t i = 0; same && i < npcols; i++)
            same = strcmp(mdl_table_partition_column(t, i), pcols[i]) == 0;
        char have[1024];
        partition_list(t, have, sizeof have);
        mdl_table_close(t);
        if (same)
            return CLI_EXIT_OK;
        if (have[0] == '\0')
            fprintf(stderr,
                    "medallion table: the table at '%s' is not partitioned, but --partition-by "
                    "says '%s'\n",
                    a->path, a->partition_by);
        else
            fprintf(stderr,
                    "medallion table: the table at '%s' is partitioned by '%s', but "
                    "--partition-by says '%s'\n",
                    a->path, have, a->partition_by);
        return CLI_EXIT_ERROR;
    }
    if (rc != MDL_ERR_NOT_FOUND) {
        fprintf(stderr, "medallion table: %s\n", err->message);
        return CLI_EXIT_ERROR;
    }
    /* no table yet: create it */
    mdl_schema *schema = read_schema ? mdl_schema_retain(read_schema) : NULL;
    const char *first = a->inputs[0];
    const char *format = a->format != NULL ? a->format : cli_format_of(first);
    if (schema == NULL && strcmp(format, "parquet") == 0) {
        mdl_batch_stream *in = NULL;
        if (cli_open_input(ctx, first, format, NULL, NULL, NULL, NULL, &in, err) != MDL_OK) {
            fprintf(stderr, "medallion table: %s: %s\n", first, err->message);
            return CLI_EXIT_ERROR;
        }
        schema = mdl_schema_retain(in->schema);
        mdl_batch_stream_release(in);
    }
    if (schema == NULL) {
        fprintf(stderr,
                "medallion table: no Delta table at '%s' to append to; to create it partitioned "
                "by '%s', give its columns with --schema (or append a Parquet file first)\n",
                a->path, a->partition_by);
        return CLI_EXIT_ERROR;
    }
    rc = mdl_table_create(ctx, *st, schema, NULL, NULL, pcols, npcols, err);
    mdl_schema_release(schema);
    if (rc != MDL_OK) {
        fprintf(stderr, "medallion table: %s\n", err->message);
        return CLI_EXIT_ERROR;
    }
    printf("created %s partitioned by %s (version 0)\n", a->path, a->partition_by);
    return CLI_EXIT_OK;
}

static int table_append(mdl_ctx *ctx, const table_args *a)
{
    mdl_error err = {0, ""};
    mdl_table_write_options wo;
    mdl_table_write_options_init(&wo);
    if (mdl_codec_parse(a->codec, &wo.parquet.codec, &err) != MDL_OK) {
        fprintf(stderr, "medallion table: --codec: %s\n", err.message);
        return CLI_EXIT_USAGE;
    }
    wo.overwrite = a->overwrite;
    wo.replace_where = a->replace_where;
    wo.num_replace_where = a->num_replace_where;
    if (a->have_txn) {
        wo.txn_app_id = a->txn_app;
        wo.txn_version = a->txn_version;
    }
    mdl_schema *read_schema = NULL;
    if (a->schema != NULL && mdl_schema_parse(ctx, a->schema, &read_schema, &err) != MDL_OK) {
        fprintf(stderr, "medallion table: --schema: %s\n", err.message);
        return CLI_EXIT_USAGE;
    }
    mdl_storage *st = NULL;
    mdl_table_writer *w = NULL;
    mdl_batch_stream *in = NULL;
    int exit_code = a->partition_by != NULL ? ensure_partitioned(ctx, a, read_schema, &st, &err)
                                            : open_existing(ctx, a->path, &st, &err);
    if (exit_code != CLI_EXIT_OK)
        goto cleanup;
    exit_code = CLI_EXIT_ERROR;
    int rc = mdl_table_writer_open(ctx, st, &wo, &w, &err);
    if (rc != MDL_OK) {
        w = NULL;
        if (rc == MDL_ERR_NOT_FOUND)
            no_table(a->path);
        else
            fprintf(stderr, "medallion table: %s\n", err.message);
        goto cleanup;
    }
    mdl_schema *tschema = mdl_table_writer_schema(w);
    bool progress = !a->quiet && isatty(STDERR_FILENO);
    double t0 = cli_now_seconds(), last = t0;
    uint64_t rows = 0;
    cli_reject_count rj = {0, 0};
    for (size_t i = 0; i < a->num_inputs; i++) {
        const char *file = a->inputs[i];
        const char *format = a->format != NULL ? a->format : cli_format_of(file);
        if (open_input(ctx, file, format, a->strict, read_schema ? read_schema : tschema, &rj, &in,
                       &err) != MDL_OK) {
            in = NULL;
            fprintf(stderr, "medallion table: %s: %s\n", file, err.message);
            goto cleanup;
        }
        char why[300];
        if (strcmp(format, "parquet") == 0 &&
            !schema_matches(in->schema, tschema, why, sizeof why)) {
            fprintf(stderr, "medallion table: %s does not match the table's schema: %s\n", file,
                    why);
            goto cleanup;
        }
        mdl_batch *b;
        while ((rc = mdl_batch_stream_next(in, &b, &err)) == MDL_OK && b != NULL) {
            rows += b->num_rows;
            rc = mdl_table_writer_write(w, b, &err);
            mdl_batch_free(b);
            if (rc != MDL_OK)
                break;
            double t = cli_now_seconds();
            if (progress && t - last >= 0.25) {
                fprintf(stderr, "\r  appending %s (%zu/%zu): %llu rows, %.1f s   ", file, i + 1,
                        a->num_inputs, (unsigned long long)rows, t - t0);
                last = t;
            }
        }
        if (rc != MDL_OK) {
            if (progress)
                fprintf(stderr, "\r\033[K");
            fprintf(stderr, "medallion table: %s: %s\n", file, err.message);
            goto cleanup;
        }
        mdl_batch_stream_release(in);
        in = NULL;
    }
    if (progress)
        fprintf(stderr, "\r\033[K");
    int64_t version = -1;
    bool noop = false;
    rc = mdl_table_writer_commit(w, &version, &noop, &err);
    w = NULL; /* freed by commit, also on failure */
    if (rc != MDL_OK) {
        fprintf(stderr, "medallion table: commit failed: %s\n", err.message);
        goto cleanup;
    }
    if (noop)
        printf("transaction %s:%" PRId64 " was already committed; nothing to do\n", a->txn_app,
               a->txn_version);
    else
        printf("committed version %" PRId64 ": %llu rows in %zu input file(s), %llu rejected\n",
               version, (unsigned long long)rows, a->num_inputs, (unsigned long long)rj.count);
    exit_code = CLI_EXIT_OK;
cleanup:
    mdl_batch_stream_release(in);
    if (w != NULL)
        mdl_table_writer_abort(w);
    mdl_storage_release(st);
    mdl_schema_release(read_schema);
    return exit_code;
}

/* ---- describe / files / history ---------------------------------------------------------- */

static int table_describe(mdl_ctx *ctx, const table_args *a)
{
    mdl_error err = {0, ""};
    mdl_storage *st = NULL;
    mdl_table *t = NULL;
    int rc = open_snapshot(ctx, a, &st, &t, &err);
    if (rc != CLI_EXIT_OK)
        return rc;
    mdl_schema *s = mdl_table_schema(t);
    size_t nfiles = mdl_table_num_files(t), unknown = 0;
    uint64_t bytes = 0, records = 0;
    for (size_t i = 0; i < nfiles; i++) {
        mdl_table_file f;
        mdl_table_file_at(t, i, &f);
        bytes += f.size > 0 ? (uint64_t)f.size : 0;
        if (f.num_records >= 0)
            records += (uint64_t)f.num_records;
        else
            unknown++;
    }
    const char *name = mdl_table_name(t), *desc = mdl_table_description(t);
    if (a->json) {
        json_object *o = json_object_new_object(), *cols = json_object_new_array();
        json_object_object_add(o, "path", json_object_new_string(a->path));
        json_object_object_add(o, "version", json_object_new_int64(mdl_table_version(t)));
        int64_t cp = mdl_table_checkpoint_version(t);
        json_object_object_add(o, "checkpoint_version", cp >= 0 ? json_object_new_int64(cp) : NULL);
        json_object_object_add(o, "name", name ? json_object_new_string(name) : NULL);
        json_object_object_add(o, "description", desc ? json_object_new_string(desc) : NULL);
        for (size_t i = 0; s != NULL && i < s->num_fields; i++) {
            char type[64];
            mdl_type_format(s->fields[i].type, type, sizeof type);
            json_object *c = json_object_new_object();
            json_object_object_add(c, "name", json_object_new_string(s->fields[i].name));
            json_object_object_add(c, "type", json_object_new_string(type));
            json_object_object_add(c, "nullable", json_object_new_boolean(s->fields[i].nullable));
            json_object_array_add(cols, c);
        }
        json_object_object_add(o, "schema", cols);
        json_object *pcs = json_object_new_array();
        for (size_t i = 0; i < mdl_table_num_partition_columns(t); i++)
            json_object_array_add(pcs, json_object_new_string(mdl_table_partition_column(t, i)));
        json_object_object_add(o, "partition_columns", pcs);
        json_object *props = json_object_new_object();
        for (size_t i = 0; i < mdl_table_num_properties(t); i++) {
            const char *k, *v;
            mdl_table_property_at(t, i, &k, &v);
            json_object_object_add(props, k, v ? json_object_new_string(v) : NULL);
        }
        json_object_object_add(o, "properties", props);
        json_object_object_add(o, "num_files", json_object_new_int64((int64_t)nfiles));
        json_object_object_add(o, "size_bytes", json_object_new_int64((int64_t)bytes));
        json_object_object_add(o, "num_records",
                               unknown == 0 ? json_object_new_int64((int64_t)records) : NULL);
        json_object_object_add(o, "files_without_stats", json_object_new_int64((int64_t)unknown));
        print_json(o);
        json_object_put(o);
    } else {
        char size[32], recs[96], parts[512] = "none";
        for (size_t i = 0, len = 0; i < mdl_table_num_partition_columns(t); i++) {
            int w = snprintf(parts + len, sizeof parts - len, "%s%s", i ? ", " : "",
                             mdl_table_partition_column(t, i));
            if (w < 0 || (size_t)w >= sizeof parts - len)
                break; /* a very long list is cut short: describe is for people */
            len += (size_t)w;
        }
        cli_human_bytes(bytes, size, sizeof size);
        if (unknown == 0)
            snprintf(recs, sizeof recs, "%llu", (unsigned long long)records);
        else
            snprintf(recs, sizeof recs, "%llu (+ %zu file(s) without stats)",
                     (unsigned long long)records, unknown);
        char cp[64] = "none (replayed from commit 0)";
        if (mdl_table_checkpoint_version(t) >= 0)
            snprintf(cp, sizeof cp, "version %" PRId64 " (+ %" PRId64 " commit(s) after it)",
                     mdl_table_checkpoint_version(t),
                     mdl_table_version(t) - mdl_table_checkpoint_version(t));
        printf("table:        %s\n"
               "version:      %" PRId64 "\n"
               "checkpoint:   %s\n"
               "name:         %s\n"
               "description:  %s\n"
               "partitions:   %s\n"
               "files:        %zu\n"
               "size:         %s (%llu bytes)\n"
               "records:      %s\n",
               a->path, mdl_table_version(t), cp, name ? name : "-", desc ? desc : "-", parts,
               nfiles, size, (unsigned long long)bytes, recs);
        for (size_t i = 0; i < mdl_table_num_properties(t); i++) {
            const char *k, *v;
            mdl_table_property_at(t, i, &k, &v);
            printf("%-13s %s = %s\n", i == 0 ? "properties:" : "", k, v ? v : "null");
        }
        printf("\n");
        static const char *const hdr[] = {"column", "type", "nullable"};
        cli_table ct;
        cli_table_init(&ct, 3, hdr);
        for (size_t i = 0; s != NULL && i < s->num_fields; i++) {
            char type[64];
            mdl_type_format(s->fields[i].type, type, sizeof type);
            const char *cells[3] = {s->fields[i].name, type, s->fields[i].nullable ? "yes" : "no"};
            cli_table_add(&ct, cells);
        }
        cli_table_print(&ct, stdout, 60);
        cli_table_free(&ct);
    }
    mdl_table_close(t);
    mdl_storage_release(st);
    return CLI_EXIT_OK;
}

static int table_files(mdl_ctx *ctx, const table_args *a)
{
    mdl_error err = {0, ""};
    mdl_storage *st = NULL;
    mdl_table *t = NULL;
    int rc = open_snapshot(ctx, a, &st, &t, &err);
    if (rc != CLI_EXIT_OK)
        return rc;
    size_t n = mdl_table_num_files(t);
    if (a->json) {
        json_object *arr = json_object_new_array();
        for (size_t i = 0; i < n; i++) {
            mdl_table_file f;
            mdl_table_file_at(t, i, &f);
            char when[40];
            iso_time(f.modification_time, when, sizeof when);
            json_object *o = json_object_new_object();
            json_object_object_add(o, "path", json_object_new_string(f.path));
            json_object_object_add(o, "size", json_object_new_int64(f.size));
            json_object_object_add(
                o, "num_records", f.num_records >= 0 ? json_object_new_int64(f.num_records) : NULL);
            json_object_object_add(o, "modification_time", json_object_new_string(when));
            json_object_object_add(o, "stats", json_or_string(f.stats));
            json_object_array_add(arr, o);
        }
        print_json(arr);
        json_object_put(arr);
    } else {
        static const char *const hdr[] = {"path", "size", "records", "modified"};
        cli_table ct;
        cli_table_init(&ct, 4, hdr);
        cli_table_align_right(&ct, 1);
        cli_table_align_right(&ct, 2);
        for (size_t i = 0; i < n; i++) {
            mdl_table_file f;
            mdl_table_file_at(t, i, &f);
            char size[32], recs[32], when[40];
            snprintf(size, sizeof size, "%" PRId64, f.size);
            if (f.num_records >= 0)
                snprintf(recs, sizeof recs, "%" PRId64, f.num_records);
            else
                snprintf(recs, sizeof recs, "-");
            iso_time(f.modification_time, when, sizeof when);
            const char *cells[4] = {f.path, size, recs, when};
            cli_table_add(&ct, cells);
        }
        cli_table_print(&ct, stdout, 100);
        cli_table_free(&ct);
        printf("%zu active file(s) at version %" PRId64 "\n", n, mdl_table_version(t));
    }
    mdl_table_close(t);
    mdl_storage_release(st);
    return CLI_EXIT_OK;
}

static int table_history(mdl_ctx *ctx, const table_args *a)
{
    mdl_error err = {0, ""};
    mdl_storage *st = NULL;
    int rc = open_existing(ctx, a->path, &st, &err);
    if (rc != CLI_EXIT_OK)
        return rc;
    mdl_table_history h = {NULL, 0};
    int hrc = mdl_table_history_read(ctx, st, &h, &err);
    if (hrc != MDL_OK || h.count == 0) {
        if (hrc == MDL_OK)
            mdl_table_history_free(ctx, &h);
        if (hrc == MDL_OK || hrc == MDL_ERR_NOT_FOUND)
            no_table(a->path);
        else
            fprintf(stderr, "medallion table: %s\n", err.message);
        mdl_storage_release(st);
        return CLI_EXIT_ERROR;
    }
    if (a->json) {
        json_object *arr = json_object_new_array();
        for (size_t i = 0; i < h.count; i++) {
            const mdl_table_commit *c = &h.commits[i];
            char when[40];
            iso_time(c->timestamp, when, sizeof when);
            json_object *o = json_object_new_object();
            json_object_object_add(o, "version", json_object_new_int64(c->version));
            json_object_object_add(o, "timestamp",
                                   c->timestamp >= 0 ? json_object_new_string(when) : NULL);
            json_object_object_add(o, "operation",
                                   c->operation ? json_object_new_string(c->operation) : NULL);
            json_object_object_add(o, "adds", json_object_new_int64((int64_t)c->adds));
            json_object_object_add(o, "removes", json_object_new_int64((int64_t)c->removes));
            json_object_object_add(o, "commit_info", json_or_string(c->commit_info));
            json_object_array_add(arr, o);
        }
        print_json(arr);
        json_object_put(arr);
    } else {
        static const char *const hdr[] = {"version", "timestamp", "operation", "adds", "removes"};
        cli_table ct;
        cli_table_init(&ct, 5, hdr);
        cli_table_align_right(&ct, 0);
        cli_table_align_right(&ct, 3);
        cli_table_align_right(&ct, 4);
        for (size_t i = 0; i < h.count; i++) {
            const mdl_table_commit *c = &h.commits[i];
            char ver[32], when[40], adds[32], removes[32];
            snprintf(ver, sizeof ver, "%" PRId64, c->version);
            iso_time(c->timestamp, when, sizeof when);
            snprintf(adds, sizeof adds, "%zu", c->adds);
            snprintf(removes, sizeof removes, "%zu", c->removes);
            const char *cells[5] = {ver, when, c->operation ? c->operation : "-", adds, removes};
            cli_table_add(&ct, cells);
        }
        cli_table_print(&ct, stdout, 60);
        cli_table_free(&ct);
    }
    mdl_table_history_free(ctx, &h);
    mdl_storage_release(st);
    return CLI_EXIT_OK;
}

/* ---- optimize / vacuum ------------------------------------------------------------------- */

/* Prints the error of a maintenance call on an existing folder. */
static void maintenance_error(const table_args *a, int rc, const mdl_error *err)
{
    if (rc == MDL_ERR_NOT_FOUND)
        no_table(a->path);
    else
        fprintf(stderr, "medallion table: %s: %s\n", a->sub, err->message);
}

static int table_optimize(mdl_ctx *ctx, const table_args *a)
{
    mdl_error err = {0, ""};
    mdl_parquet_write_options po;
    mdl_parquet_write_options_init(&po);
    if (mdl_codec_parse(a->codec, &po.codec, &err) != MDL_OK) {
        fprintf(stderr, "medallion table: --codec: %s\n", err.message);
        return CLI_EXIT_USAGE;
    }
    mdl_storage *st = NULL;
    int exit_code = open_existing(ctx, a->path, &st, &err);
    if (exit_code != CLI_EXIT_OK)
        return exit_code;
    uint64_t target = a->target_mb > 0 ? (uint64_t)a->target_mb * 1024 * 1024 : 0;
    size_t removed = 0, added = 0;
    int64_t version = -1;
    int rc = mdl_table_optimize(ctx, st, target, &po, &removed, &added, &version, &err);
    if (rc != MDL_OK) {
        maintenance_error(a, rc, &err);
        exit_code = CLI_EXIT_ERROR;
    } else if (removed == 0) {
        printf("nothing to optimize (version %" PRId64 ")\n", version);
    } else {
        printf("optimized: %zu files -> %zu files (version %" PRId64 ")\n", removed, added,
               version);
    }
    mdl_storage_release(st);
    return exit_code;
}

static int table_vacuum(mdl_ctx *ctx, const table_args *a)
{
    mdl_error err = {0, ""};
    mdl_storage *st = NULL;
    int exit_code = open_existing(ctx, a->path, &st, &err);
    if (exit_code != CLI_EXIT_OK)
        return exit_code;
    int64_t retention_ms = a->retain_hours >= 0 ? a->retain_hours * 3600 * 1000 : -1;
    char **paths = NULL;
    size_t n = 0;
    int rc = mdl_table_vacuum(ctx, st, retention_ms, a->dry_run, &paths, &n, &err);
    if (rc != MDL_OK) {
        maintenance_error(a, rc, &err);
        mdl_storage_release(st);
        return CLI_EXIT_ERROR;
    }
    if (a->json) {
        json_object *o = json_object_new_object(), *arr = json_object_new_array();
        for (size_t i = 0; i < n; i++)
            json_object_array_add(arr, json_object_new_string(paths[i]));
        json_object_object_add(o, "dry_run", json_object_new_boolean(a->dry_run));
        json_object_object_add(o, "files", arr);
        json_object_object_add(o, "count", json_object_new_int64((int64_t)n));
        print_json(o);
        json_object_put(o);
    } else {
        for (size_t i = 0; i < n; i++)
            printf("%s\n", paths[i]);
        printf("%zu file(s) %s\n", n, a->dry_run ? "would be deleted (dry run)" : "deleted");
    }
    mdl_table_vacuum_paths_free(ctx, paths, n);
    mdl_storage_release(st);
    return CLI_EXIT_OK;
}

int cmd_table(int argc, char **argv)
{
    table_args *a = calloc(1, sizeof *a);
    if (a == NULL) {
        fprintf(stderr, "medallion table: out of memory\n");
        return CLI_EXIT_ERROR;
    }
    int rc = parse_args(argc, argv, a);
    if (rc != CLI_EXIT_OK) {
        free(a);
        return rc < 0 ? CLI_EXIT_OK : rc;
    }
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    if (strcmp(a->sub, "create") == 0)
        rc = table_create(&ctx, a);
    else if (strcmp(a->sub, "append") == 0)
        rc = table_append(&ctx, a);
    else if (strcmp(a->sub, "describe") == 0)
        rc = table_describe(&ctx, a);
    else if (strcmp(a->sub, "files") == 0)
        rc = table_files(&ctx, a);
    else if (strcmp(a->sub, "optimize") == 0)
        rc = table_optimize(&ctx, a);
    else if (strcmp(a->sub, "vacuum") == 0)
        rc = table_vacuum(&ctx, a);
    else
        rc = table_history(&ctx, a);
    free(a);
    return rc;
}
