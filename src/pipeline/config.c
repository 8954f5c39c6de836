/*
 * config.c - the project configuration (docs/config.md): reads lakehouse/medallion.yaml and the
 * overlay of one environment, lakehouse/env/<env>.yaml, into YAML trees (the contract module's
 * loader, contract_yaml.h, so both kinds of file refuse the same things), merges them, expands
 * ${VAR} references and checks everything before anything runs.
 *
 * The format is small and fixed, so the merge is by field rather than by tree: each file's keys
 * are checked (strict, with a "did you mean"), then every known field takes the value node of
 * the last file that sets it, together with that file's name. Mappings (paths, run, security)
 * thereby merge key by key, and scalars and lists (slas, alerts) replace whole. Values are then
 * interpolated and converted one by one, and every message names the file the value came from.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "medallion/pipeline.h"

#include "contract/contract_yaml.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define TRY(x)                                                                                     \
    do {                                                                                           \
        int rc_ = (x);                                                                             \
        if (rc_ != MDL_OK)                                                                         \
            return rc_;                                                                            \
    } while (0)

#define MAX_ENV_NAME   64
#define MAX_VAR_NAME   128
#define MAX_DURATION   (7LL * 24 * 3600 * 1000) /* 7d in ms */
#define MAX_PARALLEL   64
#define MAX_ATTEMPTS   20
#define MIN_PII_KEY    16 /* bytes; as `medallion build` requires */
#define MAX_LIST_ITEMS 1000

/* ---- the fields ----------------------------------------------------------------------------- */

enum {
    F_PROJECT,
    F_LAKE,
    F_LANDING,
    F_CONTRACTS,
    F_MODELS,
    F_PARALLELISM,
    F_MAX_ATTEMPTS,
    F_RETRY_BASE,
    F_RETRY_MAX,
    F_TASK_TIMEOUT,
    F_PII_KEY_ENV,
    F_REQUIRE_PII_KEY,
    F_SLAS,
    F_ALERTS,
    F_COUNT
};

/* Every key a config may have: top-level ones have no section. */
static const struct {
    const char *section, *key;
} FIELDS[F_COUNT] = {
    {NULL, "project"},
    {"paths", "lake"},
    {"paths", "landing"},
    {"paths", "contracts"},
    {"paths", "models"},
    {"run", "parallelism"},
    {"run", "max_attempts"},
    {"run", "retry_base"},
    {"run", "retry_max"},
    {"run", "task_timeout"},
    {"security", "pii_key_env"},
    {"security", "require_pii_key"},
    {NULL, "slas"},
    {NULL, "alerts"},
};

static const char *const TOP_KEYS[] = {"project", "paths", "run", "security", "slas", "alerts"};
static const char *const PATHS_KEYS[] = {"lake", "landing", "contracts", "models"};
static const char *const RUN_KEYS[] = {"parallelism", "max_attempts", "retry_base", "retry_max",
                                       "task_timeout"};
static const char *const SECURITY_KEYS[] = {"pii_key_env", "require_pii_key"};
static const char *const SLA_KEYS[] = {"target", "deadline"};
static const char *const ALERT_KEYS[] = {"name", "type",         "url",          "from", "to",
                                         "path", "username_env", "password_env", "on"};
static const char *const ALERT_TYPES[] = {"webhook", "email", "file"};
static const char *const WEBHOOK_KEYS[] = {"name", "type", "url", "on"};
static const char *const EMAIL_KEYS[] = {"name", "type",         "url",          "from",
                                         "to",   "username_env", "password_env", "on"};
static const char *const FILE_KEYS[] = {"name", "type", "path", "on"};
static const char *const EVENTS[] = {"task_failed", "quality_failed", "sla_missed"};
static const char *const LAYERS[] = {"bronze", "silver", "gold"};

/* A field's value: the node and the file it came from (node NULL: not set anywhere). */
typedef struct src {
    const mdl_ynode *node;
    const char *file;
} src;

typedef struct cstate {
    mdl_ctx *ctx;
    mdl_error *err;
    mdl_config *c;
    mdl_env_lookup_fn lookup;
    void *user;
    const char *dir; /* the directory of the project file, "" when it has none */
    src fields[F_COUNT];
    size_t redact_cap;
} cstate;

static int fail(cstate *st, const char *file, const mdl_ynode *n, const char *fmt, ...)
    MDL_PRINTF(4, 5);
static int fail(cstate *st, const char *file, const mdl_ynode *n, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return mdl_error_set(st->err, MDL_ERR_SCHEMA, "%s:%d:%d: %s", file, n ? n->line : 1,
                         n ? n->column : 1, msg);
}

static int oom(cstate *st)
{
    return mdl_error_set(st->err, MDL_ERR_NOMEM, "%s: out of memory", st->c->file);
}

static const char *kind_name(const mdl_ynode *n)
{
    return n->kind == MDL_YNODE_SEQ ? "a list" : n->kind == MDL_YNODE_MAP ? "a mapping" : "a value";
}

/* A plain empty, `~` or `null` scalar: the key is as good as absent. */
static bool is_null(const mdl_ynode *n)
{
    return n == NULL ||
           (n->kind == MDL_YNODE_SCALAR && n->plain &&
            (n->len == 0 || strcmp(n->text, "~") == 0 || strcmp(n->text, "null") == 0 ||
             strcmp(n->text, "Null") == 0 || strcmp(n->text, "NULL") == 0));
}

/* " (did you mean 'x'?)" for a likely typo of one of names, else " (one of: a, b, c)". */
static void hint(const char *word, const char *const *names, size_t n, char *out, size_t cap)
{
    const char *pick = mdl_closest_name(word, names, n);
    if (pick != NULL) {
        snprintf(out, cap, " (did you mean '%s'?)", pick);
        return;
    }
    size_t len = (size_t)snprintf(out, cap, " (one of: ");
    for (size_t i = 0; i < n && len < cap; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? ", " : "", names[i]);
    if (len < cap)
        snprintf(out + len, cap - len, ")");
}

/* Checks a mapping's keys: scalars, each once, each one of `allowed`; `where` ends the message. */
static int check_keys(cstate *st, const char *file, const mdl_ynode *map,
                      const char *const *allowed, size_t n, const char *where)
{
    for (size_t i = 0; i + 1 < map->count; i += 2) {
        const mdl_ynode *k = map->items[i];
        if (k->kind != MDL_YNODE_SCALAR)
            return fail(st, file, k, "a key must be a plain name, not %s", kind_name(k));
        for (size_t j = 0; j < i; j += 2)
            if (strcmp(map->items[j]->text, k->text) == 0)
                return fail(st, file, k, "duplicate key '%.64s' %s (first at line %d)", k->text,
                            where, map->items[j]->line);
        bool ok = false;
        for (size_t j = 0; j < n && !ok; j++)
            ok = strcmp(k->text, allowed[j]) == 0;
        if (!ok) {
            char h[200];
            hint(k->text, allowed, n, h, sizeof h);
            return fail(st, file, k, "unknown key '%.64s' %s%s", k->text, where, h);
        }
    }
    return MDL_OK;
}

static const mdl_ynode *get(const mdl_ynode *map, const char *key)
{
    for (size_t i = 0; i + 1 < map->count; i += 2)
        if (strcmp(map->items[i]->text, key) == 0)
            return map->items[i + 1];
    return NULL;
}

/* ---- pass 1: each file's keys, and which file sets each field -------------------------------- */

static int field_index(const char *section, const char *key)
{
    for (int f = 0; f < F_COUNT; f++)
        if (strcmp(FIELDS[f].key, key) == 0 &&
            (section == NULL
                 ? FIELDS[f].section == NULL
                 : FIELDS[f].section != NULL && strcmp(FIELDS[f].section, section) == 0))
            return f;
    return -1;
}

static int collect(cstate *st, const char *file, const mdl_ynode *root)
{
    if (root == NULL)
        return MDL_OK; /* an empty file sets nothing */
    if (root->kind != MDL_YNODE_MAP)
        return fail(st, file, root, "a config is a mapping (project:, paths:, run:, ...), not %s",
                    kind_name(root));
    TRY(check_keys(st, file, root, TOP_KEYS, N(TOP_KEYS), "at the top level"));
    for (size_t i = 0; i + 1 < root->count; i += 2) {
        const char *key = root->items[i]->text;
        const mdl_ynode *v = root->items[i + 1];
        int f = field_index(NULL, key);
        if (f >= 0) {
            if (!is_null(v))
                st->fields[f] = (src){v, file};
            continue;
        }
        /* A section: a mapping merged key by key. */
        if (is_null(v))
            continue;
        if (v->kind != MDL_YNODE_MAP)
            return fail(st, file, v, "'%s' must be a mapping, not %s", key, kind_name(v));
        const char *const *keys = strcmp(key, "paths") == 0 ? PATHS_KEYS
                                  : strcmp(key, "run") == 0 ? RUN_KEYS
                                                            : SECURITY_KEYS;
        size_t nkeys = strcmp(key, "paths") == 0 ? N(PATHS_KEYS)
                       : strcmp(key, "run") == 0 ? N(RUN_KEYS)
                                                 : N(SECURITY_KEYS);
        char where[40];
        snprintf(where, sizeof where, "in %s", key);
        TRY(check_keys(st, file, v, keys, nkeys, where));
        for (size_t j = 0; j + 1 < v->count; j += 2)
            if (!is_null(v->items[j + 1]))
                st->fields[field_index(key, v->items[j]->text)] = (src){v->items[j + 1], file};
    }
    return MDL_OK;
}

/* ---- interpolation --------------------------------------------------------------------------- */

/* Variables whose values are redacted when shown. */
static bool secret_name(const char *name)
{
    static const char *const words[] = {"KEY", "SECRET", "PASSWORD", "TOKEN"};
    char up[MAX_VAR_NAME + 1];
    size_t n = strlen(name);
    for (size_t i = 0; i <= n; i++)
        up[i] = (char)toupper((unsigned char)name[i]);
    for (size_t i = 0; i < N(words); i++)
        if (strstr(up, words[i]) != NULL)
            return true;
    return false;
}

static bool is_var_char(char ch, bool first)
{
    return ch == '_' || isalpha((unsigned char)ch) || (!first && isdigit((unsigned char)ch));
}

/*
 * The text of scalar n with ${VAR}, ${VAR:-default} and $$ expanded, as a new string in *out;
 * *secret when it references a variable with a secret name. A `$` followed by anything else
 * stays as it is.
 */
static int expand(cstate *st, const char *file, const mdl_ynode *n, const char *key, char **out,
                  bool *secret)
{
    *out = NULL;
    *secret = false;
    if (n->kind != MDL_YNODE_SCALAR)
        return fail(st, file, n, "'%s' must be a single value, not %s", key, kind_name(n));
    if (memchr(n->text, '$', n->len) == NULL) {
        *out = mdl_strndup(st->ctx, n->text, n->len);
        return *out ? MDL_OK : oom(st);
    }
    mdl_buf b;
    mdl_buf_init(&b, st->ctx, MDL_YAML_MAX_SCALAR);
    int rc = MDL_OK;
    const char *s = n->text, *end = n->text + n->len;
    while (rc == MDL_OK && s < end) {
        const char *dollar = memchr(s, '$', (size_t)(end - s));
        if (dollar == NULL)
            dollar = end;
        rc = mdl_buf_append(&b, s, (size_t)(dollar - s), NULL);
        s = dollar;
        if (rc != MDL_OK || s == end)
            break;
        if (s + 1 < end && s[1] == '$') {
            rc = mdl_buf_append(&b, "$", 1, NULL);
            s += 2;
            continue;
        }
        if (s + 1 == end || s[1] != '{') {
            rc = mdl_buf_append(&b, "$", 1, NULL);
            s++;
            continue;
        }
        const char *close = memchr(s, '}', (size_t)(end - s));
        if (close == NULL) {
            rc = fail(st, file, n, "'%s': '${' without a closing '}' (write '$$' for a '$')", key);
            break;
        }
        const char *name = s + 2, *p = name;
        while (p < close && is_var_char(*p, p == name))
            p++;
        size_t name_len = (size_t)(p - name);
        bool has_default = close - p >= 2 && p[0] == ':' && p[1] == '-';
        if (name_len == 0 || name_len > MAX_VAR_NAME || (p != close && !has_default)) {
            rc = fail(st, file, n,
                      "'%s': '%.*s' is not a variable reference: use ${NAME} or "
                      "${NAME:-default}, NAME of letters, digits and '_'",
                      key, (int)((close - s + 1) > 80 ? 80 : close - s + 1), s);
            break;
        }
        char var[MAX_VAR_NAME + 1];
        memcpy(var, name, name_len);
        var[name_len] = '\0';
        if (secret_name(var))
            *secret = true;
        const char *value = st->lookup ? st->lookup(st->user, var) : NULL;
        if (has_default && (value == NULL || value[0] == '\0')) {
            rc = mdl_buf_append(&b, p + 2, (size_t)(close - p - 2), NULL);
        } else if (value == NULL) {
            rc = fail(st, file, n,
                      "'%s': environment variable %s is not set (${%s:-default} gives a default)",
                      key, var, var);
            break;
        } else {
            rc = mdl_buf_append_str(&b, value, NULL);
        }
        s = close + 1;
    }
    if (rc == MDL_ERR_LIMIT)
        rc = mdl_error_set(st->err, MDL_ERR_LIMIT,
                           "%s:%d:%d: '%s' is over %d bytes once its variables are expanded", file,
                           n->line, n->column, key, MDL_YAML_MAX_SCALAR);
    else if (rc == MDL_ERR_NOMEM)
        rc = oom(st);
    if (rc == MDL_OK) {
        *out = mdl_strndup(st->ctx, b.len ? b.data : "", b.len);
        if (*out == NULL)
            rc = oom(st);
    }
    mdl_buf_reset(&b);
    return rc;
}

/* Remembers that s (owned by the config) must be shown as ***. */
static int redact(cstate *st, const char *s)
{
    mdl_config *c = st->c;
    if (c->num_redacted == st->redact_cap) {
        size_t cap = st->redact_cap ? st->redact_cap * 2 : 8;
        const char **a = mdl_realloc(st->ctx, c->redacted, cap * sizeof *a);
        if (a == NULL)
            return oom(st);
        c->redacted = a;
        st->redact_cap = cap;
    }
    c->redacted[c->num_redacted++] = s;
    return MDL_OK;
}

/* A value as it may appear in a message: never one that came from a secret variable. */
static const char *shown(const char *value, bool secret)
{
    return secret ? "***" : value;
}

/*
 * A scalar field's expanded text in *out (NULL when n is NULL), registered for redaction when
 * it came from a secret variable; *secret says so too (may be NULL).
 */
static int get_str(cstate *st, const char *file, const mdl_ynode *n, const char *key, char **out,
                   bool *secret)
{
    bool sec = false;
    *out = NULL;
    if (secret != NULL)
        *secret = false;
    if (n == NULL)
        return MDL_OK;
    TRY(expand(st, file, n, key, out, &sec));
    if (sec)
        TRY(redact(st, *out));
    if (secret != NULL)
        *secret = sec;
    return MDL_OK;
}

/* ---- values ---------------------------------------------------------------------------------- */

/* An environment variable name (what *_env keys hold): never a value, which could be a secret. */
static bool is_env_name(const char *s)
{
    if (!is_var_char(s[0], true))
        return false;
    size_t n = 1;
    for (; s[n] != '\0'; n++)
        if (!is_var_char(s[n], false))
            return false;
    return n <= MAX_VAR_NAME;
}

static int env_name(cstate *st, src v, const char *key, char **out)
{
    TRY(get_str(st, v.file, v.node, key, out, NULL));
    if (*out != NULL && !is_env_name(*out))
        return fail(st, v.file, v.node,
                    "'%s' must be the NAME of an environment variable (letters, digits and '_', "
                    "not starting with a digit); the value itself never goes in the config",
                    key);
    return MDL_OK;
}

static int get_int(cstate *st, src v, const char *key, int lo, int hi, int dflt, int *out)
{
    *out = dflt;
    if (v.node == NULL)
        return MDL_OK;
    char *s;
    bool sec;
    TRY(expand(st, v.file, v.node, key, &s, &sec));
    char *end = NULL;
    errno = 0;
    long x = strtol(s, &end, 10);
    bool ok = s[0] != '\0' && !isspace((unsigned char)s[0]) && *end == '\0' && errno == 0 &&
              x >= lo && x <= hi;
    int rc = ok ? MDL_OK
                : fail(st, v.file, v.node, "'%s' must be a whole number from %d to %d, not '%.64s'",
                       key, lo, hi, shown(s, sec));
    *out = ok ? (int)x : dflt;
    mdl_free(st->ctx, s);
    return rc;
}

/* 500ms, 30s, 5m, 2h, 1d -> milliseconds; -1 when it is not one. */
static int64_t parse_duration(const char *s)
{
    static const struct {
        const char *unit;
        int64_t ms;
    } units[] = {{"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}};
    int64_t n = 0;
    size_t i = 0;
    for (; isdigit((unsigned char)s[i]); i++) {
        if (n > MAX_DURATION)
            return -1;
        n = n * 10 + (s[i] - '0');
    }
    if (i == 0)
        return -1;
    for (size_t u = 0; u < N(units); u++)
        if (strcmp(s + i, units[u].unit) == 0)
            return n > MAX_DURATION ? -1 : n * units[u].ms;
    return -1;
}

/* The largest unit that divides ms exactly: 30000 -> "30s". */
static void format_ms(int64_t ms, char *out, size_t cap)
{
    static const struct {
        const char *unit;
        int64_t ms;
    } units[] = {{"d", 86400000}, {"h", 3600000}, {"m", 60000}, {"s", 1000}, {"ms", 1}};
    size_t u = 0;
    while (ms % units[u].ms != 0)
        u++;
    snprintf(out, cap, "%lld%s", (long long)(ms / units[u].ms), units[u].unit);
}

static int get_duration(cstate *st, src v, const char *key, int64_t dflt, int64_t *out)
{
    *out = dflt;
    if (v.node == NULL)
        return MDL_OK;
    char *s;
    bool sec;
    TRY(expand(st, v.file, v.node, key, &s, &sec));
    int64_t ms = parse_duration(s);
    int rc = MDL_OK;
    if (ms < 0)
        rc = fail(st, v.file, v.node,
                  "'%s' must be a duration such as 500ms, 30s, 5m, 2h or 1d, not '%.64s'", key,
                  shown(s, sec));
    else if (ms == 0 || ms > MAX_DURATION)
        rc = fail(st, v.file, v.node, "'%s' must be more than 0 and at most 7d, not '%.64s'", key,
                  shown(s, sec));
    else
        *out = ms;
    mdl_free(st->ctx, s);
    return rc;
}

static int get_bool(cstate *st, src v, const char *key, bool dflt, bool *out)
{
    *out = dflt;
    if (v.node == NULL)
        return MDL_OK;
    char *s;
    bool sec;
    TRY(expand(st, v.file, v.node, key, &s, &sec));
    int rc = MDL_OK;
    if (strcmp(s, "true") == 0)
        *out = true;
    else if (strcmp(s, "false") == 0)
        *out = false;
    else
        rc =
            fail(st, v.file, v.node, "'%s' must be true or false, not '%.64s'", key, shown(s, sec));
    mdl_free(st->ctx, s);
    return rc;
}

/*
 * A path as written, joined to the project file's directory when it is relative. A leading
 * "../" cancels the directory's last component ("lakehouse" + "../lake" is "lake"), as a shell
 * would read it.
 */
static int resolve(cstate *st, const char *path, char **out)
{
    *out = NULL;
    if (path[0] == '/' || strstr(path, "://") != NULL || st->dir[0] == '\0') {
        *out = mdl_strdup(st->ctx, path);
        return *out ? MDL_OK : oom(st);
    }
    size_t dl = strlen(st->dir);
    while (strncmp(path, "../", 3) == 0 && dl > 0) {
        size_t start = dl;
        while (start > 0 && st->dir[start - 1] != '/')
            start--;
        size_t cl = dl - start;
        if (cl == 0 || (cl == 1 && st->dir[start] == '.') ||
            (cl == 2 && strncmp(st->dir + start, "..", 2) == 0))
            break;
        dl = start > 0 ? start - 1 : 0;
        path += 3;
        if (start == 1) /* "/x": the root stays */
            dl = 1;
    }
    size_t n = dl + 1 + strlen(path) + 1;
    *out = mdl_alloc(st->ctx, n);
    if (*out == NULL)
        return oom(st);
    if (dl == 0)
        snprintf(*out, n, "%s", path);
    else
        snprintf(*out, n, "%.*s%s%s", (int)dl, st->dir, st->dir[dl - 1] == '/' ? "" : "/", path);
    return MDL_OK;
}

static int get_path(cstate *st, src v, const char *key, const char *dflt, char **out)
{
    char *s = NULL;
    bool sec = false;
    *out = NULL;
    if (v.node != NULL)
        TRY(expand(st, v.file, v.node, key, &s, &sec));
    int rc = MDL_OK;
    if (s != NULL && s[0] == '\0')
        rc = fail(st, v.file, v.node, "'%s' must not be empty", key);
    if (rc == MDL_OK)
        rc = resolve(st, s ? s : dflt, out);
    if (rc == MDL_OK && sec)
        rc = redact(st, *out);
    mdl_free(st->ctx, s);
    return rc;
}

/* A list of scalars, each expanded, in a new array (empty list: *out NULL, *count 0). */
static int get_str_list(cstate *st, const char *file, const mdl_ynode *n, const char *key,
                        char ***out, size_t *count)
{
    *out = NULL;
    *count = 0;
    if (n->kind != MDL_YNODE_SEQ)
        return fail(st, file, n, "'%s' must be a list ([a, b]), not %s", key, kind_name(n));
    if (n->count > MAX_LIST_ITEMS)
        return fail(st, file, n, "'%s' has more than %d items", key, MAX_LIST_ITEMS);
    if (n->count == 0)
        return MDL_OK;
    *out = mdl_calloc(st->ctx, n->count, sizeof **out);
    if (*out == NULL)
        return oom(st);
    for (size_t i = 0; i < n->count; i++) {
        (*count)++; /* counted first: the array is zeroed, and freeing it frees what is there */
        TRY(get_str(st, file, n->items[i], key, &(*out)[i], NULL));
    }
    return MDL_OK;
}

static int find_name(const char *s, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return (int)i;
    return -1;
}

/* ---- slas ------------------------------------------------------------------------------------ */

static bool is_snake(const char *s, size_t n)
{
    if (n == 0 || n > 64 || !(islower((unsigned char)s[0]) || s[0] == '_'))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_'))
            return false;
    return true;
}

/* "bronze", "silver", "gold" or LAYER.NAME. */
static bool is_sla_target(const char *t)
{
    const char *dot = strchr(t, '.');
    if (dot == NULL)
        return find_name(t, LAYERS, N(LAYERS)) >= 0;
    for (size_t l = 0; l < N(LAYERS); l++)
        if (strlen(LAYERS[l]) == (size_t)(dot - t) && strncmp(t, LAYERS[l], (size_t)(dot - t)) == 0)
            return is_snake(dot + 1, strlen(dot + 1));
    return false;
}

/* HH:MM -> minutes after midnight; -1 when it is not a time of day. */
static int parse_deadline(const char *s)
{
    if (strlen(s) != 5 || !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
        s[2] != ':' || !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
        return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    return h < 24 && m < 60 ? h * 60 + m : -1;
}

static void format_hhmm(int minutes, char out[8])
{
    snprintf(out, 8, "%02u:%02u", (unsigned)(minutes / 60) % 24u, (unsigned)minutes % 60u);
}

static int parse_sla(cstate *st, const char *file, const mdl_ynode *item, mdl_sla_config *sla)
{
    if (item->kind != MDL_YNODE_MAP)
        return fail(st, file, item,
                    "an SLA is a mapping {target: ..., deadline: \"HH:MM\"}, not %s",
                    kind_name(item));
    TRY(check_keys(st, file, item, SLA_KEYS, N(SLA_KEYS), "in an SLA"));
    sla->line = item->line;
    sla->file = file;
    const mdl_ynode *t = get(item, "target"), *d = get(item, "deadline");
    if (is_null(t))
        return fail(st, file, t ? t : item, "an SLA needs a 'target' (a layer or a table)");
    if (is_null(d))
        return fail(st, file, d ? d : item, "an SLA needs a 'deadline' (\"HH:MM\", UTC)");
    bool sec;
    TRY(get_str(st, file, t, "target", &sla->target, &sec));
    if (!is_sla_target(sla->target)) {
        char h[200] = "";
        const char *pick = mdl_closest_name(sla->target, LAYERS, N(LAYERS));
        if (pick != NULL)
            snprintf(h, sizeof h, " (did you mean '%s'?)", pick);
        return fail(st, file, t,
                    "SLA target '%.64s' is neither a layer (bronze, silver, gold) nor a table "
                    "(layer.name)%s",
                    shown(sla->target, sec), h);
    }
    char *text;
    TRY(expand(st, file, d, "deadline", &text, &sec));
    sla->deadline_minutes = parse_deadline(text);
    int rc = sla->deadline_minutes >= 0
                 ? MDL_OK
                 : fail(st, file, d,
                        "'deadline' must be a UTC time \"HH:MM\" (00:00 to 23:59), "
                        "not '%.64s'",
                        shown(text, sec));
    mdl_free(st->ctx, text);
    return rc;
}

static int parse_slas(cstate *st, src v)
{
    mdl_config *c = st->c;
    if (v.node == NULL)
        return MDL_OK;
    if (v.node->kind != MDL_YNODE_SEQ)
        return fail(st, v.file, v.node, "'slas' must be a list of {target, deadline}, not %s",
                    kind_name(v.node));
    if (v.node->count > MAX_LIST_ITEMS)
        return fail(st, v.file, v.node, "'slas' has more than %d items", MAX_LIST_ITEMS);
    if (v.node->count == 0)
        return MDL_OK;
    c->slas = mdl_calloc(st->ctx, v.node->count, sizeof *c->slas);
    if (c->slas == NULL)
        return oom(st);
    int layer_deadline[3] = {-1, -1, -1};
    for (size_t i = 0; i < v.node->count; i++) {
        const mdl_ynode *item = v.node->items[i];
        mdl_sla_config *sla = &c->slas[c->num_slas++];
        TRY(parse_sla(st, v.file, item, sla));
        for (size_t j = 0; j + 1 < c->num_slas; j++)
            if (strcmp(c->slas[j].target, sla->target) == 0)
                return fail(st, v.file, get(item, "target"),
                            "SLA target '%s' is given twice (first at line %d)", sla->target,
                            c->slas[j].line);
        int l = find_name(sla->target, LAYERS, N(LAYERS));
        if (l >= 0)
            layer_deadline[l] = sla->deadline_minutes;
    }
    /* Deadlines that contradict each other (a layer due before the layer it is built from, a
     * table due after its whole layer) are mistakes, not policy. */
    for (size_t i = 0; i < c->num_slas; i++) {
        const mdl_sla_config *sla = &c->slas[i];
        const mdl_ynode *where = get(v.node->items[i], "deadline");
        char a[8], b[8];
        const char *dot = strchr(sla->target, '.');
        int l = -1;
        for (size_t k = 0; k < N(LAYERS); k++)
            if (dot ? strncmp(sla->target, LAYERS[k], (size_t)(dot - sla->target)) == 0 &&
                          strlen(LAYERS[k]) == (size_t)(dot - sla->target)
                    : strcmp(sla->target, LAYERS[k]) == 0)
                l = (int)k;
        format_hhmm(sla->deadline_minutes, a);
        if (dot == NULL) {
            for (int up = l - 1; up >= 0; up--)
                if (layer_deadline[up] > sla->deadline_minutes) {
                    format_hhmm(layer_deadline[up], b);
                    return fail(st, v.file, where,
                                "the %s deadline %s is before the %s deadline %s; a layer is "
                                "built after the layers it reads",
                                sla->target, a, LAYERS[up], b);
                }
        } else if (layer_deadline[l] >= 0 && sla->deadline_minutes > layer_deadline[l]) {
            format_hhmm(layer_deadline[l], b);
            return fail(st, v.file, where,
                        "the deadline of %s (%s) is after the deadline of its whole layer %s (%s)",
                        sla->target, a, LAYERS[l], b);
        }
    }
    return MDL_OK;
}

/* ---- alerts ---------------------------------------------------------------------------------- */

static bool is_channel_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '_'))
            return false;
    return true;
}

static bool has_prefix(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0 && s[strlen(p)] != '\0';
}

/* name@domain, without spaces or commas. */
static bool is_address(const char *s)
{
    const char *at = strchr(s, '@');
    return at != NULL && at != s && at[1] != '\0' && strchr(at + 1, '@') == NULL &&
           strpbrk(s, " \t,;<>") == NULL;
}

static int parse_alert(cstate *st, const char *file, const mdl_ynode *item,
                       mdl_alert_channel_config *a)
{
    if (item->kind != MDL_YNODE_MAP)
        return fail(st, file, item, "an alert channel is a mapping (name, type, ...), not %s",
                    kind_name(item));
    TRY(check_keys(st, file, item, ALERT_KEYS, N(ALERT_KEYS), "in an alert channel"));
    a->line = item->line;
    a->file = file;
    const mdl_ynode *name = get(item, "name"), *type = get(item, "type");
    if (is_null(name))
        return fail(st, file, name ? name : item, "an alert channel needs a 'name'");
    bool sec;
    TRY(get_str(st, file, name, "name", &a->name, &sec));
    if (!is_channel_name(a->name))
        return fail(st, file, name,
                    "alert channel name '%.64s' must be 1 to 64 letters, digits, '-' or '_'",
                    shown(a->name, sec));
    if (is_null(type))
        return fail(st, file, type ? type : item,
                    "alert channel '%s' needs a 'type' (webhook, email or file)", a->name);
    TRY(get_str(st, file, type, "type", &a->type, &sec));
    int t = find_name(a->type, ALERT_TYPES, N(ALERT_TYPES));
    if (t < 0) {
        char h[200];
        hint(a->type, ALERT_TYPES, N(ALERT_TYPES), h, sizeof h);
        return fail(st, file, type, "unknown alert channel type '%.64s'%s", shown(a->type, sec), h);
    }
    /* Keys of another type are mistakes: an email channel with a `path` would lose alerts. */
    const char *const *keys = t == 0 ? WEBHOOK_KEYS : t == 1 ? EMAIL_KEYS : FILE_KEYS;
    size_t nkeys = t == 0 ? N(WEBHOOK_KEYS) : t == 1 ? N(EMAIL_KEYS) : N(FILE_KEYS);
    for (size_t i = 0; i + 1 < item->count; i += 2)
        if (find_name(item->items[i]->text, keys, nkeys) < 0) {
            char list[160] = "";
            size_t len = 0;
            for (size_t k = 0; k < nkeys; k++)
                len +=
                    (size_t)snprintf(list + len, sizeof list - len, "%s%s", k ? ", " : "", keys[k]);
            return fail(st, file, item->items[i],
                        "'%s' is not a key of a %s channel (its keys: %s)", item->items[i]->text,
                        a->type, list);
        }
    const mdl_ynode *url = get(item, "url");
    if (t == 0 || t == 1) {
        const char *schemes = t == 0 ? "http:// or https://" : "smtp:// or smtps://";
        if (is_null(url))
            return fail(st, file, url ? url : item, "%s channel '%s' needs a 'url' (%s)", a->type,
                        a->name, schemes);
        TRY(get_str(st, file, url, "url", &a->url, &sec));
        /* A webhook URL usually is the credential (a token in its path), so one that came
         * from the environment is redacted whatever its variable is called. */
        if (t == 0 && !sec && url->kind == MDL_YNODE_SCALAR && strstr(url->text, "${") != NULL) {
            TRY(redact(st, a->url));
            sec = true;
        }
        bool ok = t == 0 ? has_prefix(a->url, "http://") || has_prefix(a->url, "https://")
                         : has_prefix(a->url, "smtp://") || has_prefix(a->url, "smtps://");
        if (!ok)
            return fail(st, file, url, "the url of %s channel '%s' must start with %s, not '%.64s'",
                        a->type, a->name, schemes, shown(a->url, sec));
    }
    if (t == 1) {
        const mdl_ynode *from = get(item, "from"), *to = get(item, "to");
        if (is_null(from))
            return fail(st, file, from ? from : item, "email channel '%s' needs a 'from' address",
                        a->name);
        TRY(get_str(st, file, from, "from", &a->from, &sec));
        if (!is_address(a->from))
            return fail(st, file, from, "'from' must be an email address, not '%.64s'",
                        shown(a->from, sec));
        if (is_null(to))
            return fail(st, file, to ? to : item,
                        "email channel '%s' needs 'to' (a list of addresses)", a->name);
        TRY(get_str_list(st, file, to, "to", &a->to, &a->num_to));
        if (a->num_to == 0)
            return fail(st, file, to, "email channel '%s' has no recipients in 'to'", a->name);
        for (size_t i = 0; i < a->num_to; i++)
            if (!is_address(a->to[i]))
                return fail(st, file, to->items[i], "'to' must list email addresses, not '%.64s'",
                            mdl_config_is_redacted(st->c, a->to[i]) ? "***" : a->to[i]);
        const mdl_ynode *user = get(item, "username_env"), *pass = get(item, "password_env");
        if (!is_null(user))
            TRY(env_name(st, (src){user, file}, "username_env", &a->username_env));
        if (!is_null(pass))
            TRY(env_name(st, (src){pass, file}, "password_env", &a->password_env));
        if ((a->username_env == NULL) != (a->password_env == NULL))
            return fail(st, file, a->username_env ? user : pass,
                        "email channel '%s' has %s without %s; give both or neither", a->name,
                        a->username_env ? "'username_env'" : "'password_env'",
                        a->username_env ? "'password_env'" : "'username_env'");
    }
    if (t == 2) {
        const mdl_ynode *path = get(item, "path");
        if (is_null(path))
            return fail(st, file, path ? path : item,
                        "file channel '%s' needs a 'path' (the JSON-lines file)", a->name);
        TRY(get_path(st, (src){path, file}, "path", NULL, &a->path));
    }
    const mdl_ynode *on = get(item, "on");
    if (is_null(on)) {
        a->on = mdl_calloc(st->ctx, N(EVENTS), sizeof *a->on);
        if (a->on == NULL)
            return oom(st);
        for (size_t i = 0; i < N(EVENTS); i++) {
            a->on[i] = mdl_strdup(st->ctx, EVENTS[i]);
            if (a->on[i] == NULL)
                return oom(st);
            a->num_on++;
        }
        return MDL_OK;
    }
    TRY(get_str_list(st, file, on, "on", &a->on, &a->num_on));
    if (a->num_on == 0)
        return fail(st, file, on,
                    "alert channel '%s' has an empty 'on' (leave it out for every "
                    "event)",
                    a->name);
    for (size_t i = 0; i < a->num_on; i++) {
        if (find_name(a->on[i], EVENTS, N(EVENTS)) < 0) {
            char h[200];
            hint(a->on[i], EVENTS, N(EVENTS), h, sizeof h);
            return fail(st, file, on->items[i], "unknown event '%.64s'%s",
                        mdl_config_is_redacted(st->c, a->on[i]) ? "***" : a->on[i], h);
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(a->on[i], a->on[j]) == 0)
                return fail(st, file, on->items[i], "event '%s' is listed twice", a->on[i]);
    }
    return MDL_OK;
}

static int parse_alerts(cstate *st, src v)
{
    mdl_config *c = st->c;
    if (v.node == NULL)
        return MDL_OK;
    if (v.node->kind != MDL_YNODE_SEQ)
        return fail(st, v.file, v.node, "'alerts' must be a list of channels, not %s",
                    kind_name(v.node));
    if (v.node->count > MAX_LIST_ITEMS)
        return fail(st, v.file, v.node, "'alerts' has more than %d items", MAX_LIST_ITEMS);
    if (v.node->count == 0)
        return MDL_OK;
    c->alerts = mdl_calloc(st->ctx, v.node->count, sizeof *c->alerts);
    if (c->alerts == NULL)
        return oom(st);
    for (size_t i = 0; i < v.node->count; i++) {
        mdl_alert_channel_config *a = &c->alerts[c->num_alerts++];
        TRY(parse_alert(st, v.file, v.node->items[i], a));
        for (size_t j = 0; j + 1 < c->num_alerts; j++)
            if (strcmp(c->alerts[j].name, a->name) == 0)
                return fail(st, v.file, get(v.node->items[i], "name"),
                            "alert channel '%s' is defined twice (first at line %d)", a->name,
                            c->alerts[j].line);
    }
    return MDL_OK;
}

/* ---- the whole config ------------------------------------------------------------------------ */

static int convert(cstate *st, const mdl_ynode *base_root)
{
    mdl_config *c = st->c;
    src *f = st->fields;
    if (f[F_PROJECT].node == NULL)
        return fail(st, c->file, base_root, "no 'project' (required: the project's name)");
    bool sec;
    TRY(get_str(st, f[F_PROJECT].file, f[F_PROJECT].node, "project", &c->project, &sec));
    if (c->project[0] == '\0')
        return fail(st, f[F_PROJECT].file, f[F_PROJECT].node, "'project' must not be empty");
    TRY(get_path(st, f[F_LAKE], "lake", "lake", &c->lake_root));
    TRY(get_path(st, f[F_LANDING], "landing", "landing", &c->landing_root));
    TRY(get_path(st, f[F_CONTRACTS], "contracts", "contracts", &c->contracts_dir));
    TRY(get_path(st, f[F_MODELS], "models", "models", &c->models_dir));
    TRY(get_int(st, f[F_PARALLELISM], "parallelism", 1, MAX_PARALLEL, 2, &c->parallelism));
    TRY(get_int(st, f[F_MAX_ATTEMPTS], "max_attempts", 1, MAX_ATTEMPTS, 3, &c->max_attempts));
    TRY(get_duration(st, f[F_RETRY_BASE], "retry_base", 1000, &c->retry_base_ms));
    TRY(get_duration(st, f[F_RETRY_MAX], "retry_max", 30000, &c->retry_max_ms));
    TRY(get_duration(st, f[F_TASK_TIMEOUT], "task_timeout", 30 * 60000, &c->task_timeout_ms));
    if (c->retry_max_ms < c->retry_base_ms) {
        src at = f[F_RETRY_MAX].node ? f[F_RETRY_MAX] : f[F_RETRY_BASE];
        char mx[32], base[32];
        format_ms(c->retry_max_ms, mx, sizeof mx);
        format_ms(c->retry_base_ms, base, sizeof base);
        return fail(st, at.file, at.node, "'retry_max' (%s) is shorter than 'retry_base' (%s)", mx,
                    base);
    }
    if (f[F_PII_KEY_ENV].node != NULL)
        TRY(env_name(st, f[F_PII_KEY_ENV], "pii_key_env", &c->pii_key_env));
    else if ((c->pii_key_env = mdl_strdup(st->ctx, "MEDALLION_PII_KEY")) == NULL)
        return oom(st);
    TRY(get_bool(st, f[F_REQUIRE_PII_KEY], "require_pii_key", false, &c->require_pii_key));
    TRY(parse_slas(st, f[F_SLAS]));
    return parse_alerts(st, f[F_ALERTS]);
}

static bool valid_env(const char *env)
{
    size_t n = strlen(env);
    if (n == 0 || n > MAX_ENV_NAME)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(isalnum((unsigned char)env[i]) || env[i] == '-' || env[i] == '_'))
            return false;
    return true;
}

/* The config with file, env, env_file and the directory set; NULL when out of memory. */
static mdl_config *config_new(mdl_ctx *ctx, const char *file, const char *env, char **dir)
{
    mdl_config *c = mdl_calloc(ctx, 1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->ctx = ctx;
    const char *slash = strrchr(file, '/');
    size_t dl = slash ? (size_t)(slash - file) : 0;
    *dir = mdl_strndup(ctx, file, slash == file ? 1 : dl);
    c->file = mdl_strdup(ctx, file);
    c->env = mdl_strdup(ctx, env);
    size_t n = dl + strlen(env) + 16;
    c->env_file = mdl_alloc(ctx, n);
    if (*dir == NULL || c->file == NULL || c->env == NULL || c->env_file == NULL) {
        mdl_free(ctx, *dir);
        *dir = NULL;
        mdl_config_free(c);
        return NULL;
    }
    snprintf(c->env_file, n, "%.*s%senv/%s.yaml", (int)dl, file, slash ? "/" : "", env);
    return c;
}

int mdl_config_parse(mdl_ctx *ctx, const char *project_file, const char *base, size_t base_len,
                     const char *env, const char *overlay, size_t overlay_len,
                     mdl_env_lookup_fn lookup, void *user, mdl_config **out, mdl_error *err)
{
    *out = NULL;
    if (project_file == NULL)
        project_file = "medallion.yaml";
    if (env == NULL || !valid_env(env))
        return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                             "environment name '%.64s' must be 1 to %d letters, digits, '-' or '_'",
                             env ? env : "(null)", MAX_ENV_NAME);
    char *dir = NULL;
    mdl_config *c = config_new(ctx, project_file, env, &dir);
    if (c == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "%s: out of memory", project_file);
    cstate st = {.ctx = ctx, .err = err, .c = c, .lookup = lookup, .user = user, .dir = dir};
    mdl_ynode *broot = NULL, *oroot = NULL;
    int rc = mdl_contract__yaml_load_as(ctx, c->file, "config file", base, base_len, &broot, err);
    if (rc == MDL_OK && overlay != NULL)
        rc = mdl_contract__yaml_load_as(ctx, c->env_file, "config file", overlay, overlay_len,
                                        &oroot, err);
    if (rc == MDL_OK)
        rc = collect(&st, c->file, broot);
    if (rc == MDL_OK)
        rc = collect(&st, c->env_file, oroot);
    if (rc == MDL_OK)
        rc = convert(&st, broot);
    mdl_contract__ynode_free(ctx, broot);
    mdl_contract__ynode_free(ctx, oroot);
    mdl_free(ctx, dir);
    if (rc != MDL_OK) {
        mdl_config_free(c);
        return rc;
    }
    *out = c;
    return MDL_OK;
}

/* The whole file in *text (within the YAML limit plus one byte, so a larger one is refused). */
static int read_text(mdl_ctx *ctx, const char *path, char **text, size_t *len, mdl_error *err)
{
    *text = NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return mdl_error_set(err, errno == ENOENT ? MDL_ERR_NOT_FOUND : MDL_ERR_IO,
                             "%s: cannot open: %s", path, strerror(errno));
    *text = mdl_alloc(ctx, MDL_YAML_MAX_BYTES + 1);
    if (*text == NULL) {
        fclose(f);
        return mdl_error_set(err, MDL_ERR_NOMEM, "%s: out of memory", path);
    }
    *len = fread(*text, 1, MDL_YAML_MAX_BYTES + 1, f);
    int rc = ferror(f) ? mdl_error_set(err, MDL_ERR_IO, "%s: cannot read", path) : MDL_OK;
    fclose(f);
    if (rc != MDL_OK) {
        mdl_free(ctx, *text);
        *text = NULL;
    }
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "dev, local, prod": the environments that have a file in dir/env, sorted. */
static void list_envs(const char *env_file, char *out, size_t cap)
{
    out[0] = '\0';
    char dir[4096];
    const char *slash = strrchr(env_file, '/');
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - env_file), env_file);
    DIR *d = opendir(dir);
    if (d == NULL) {
        snprintf(out, cap, "none: %.200s/ does not exist", dir);
        return;
    }
    char names[32][MAX_ENV_NAME + 1];
    const char *sorted[32];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 32) {
        size_t l = strlen(e->d_name);
        if (l > 5 && l - 5 <= MAX_ENV_NAME && strcmp(e->d_name + l - 5, ".yaml") == 0) {
            snprintf(names[n], sizeof names[n], "%.*s", (int)(l - 5), e->d_name);
            sorted[n] = names[n];
            n++;
        }
    }
    closedir(d);
    qsort(sorted, n, sizeof *sorted, cmp_str);
    size_t len = 0;
    for (size_t i = 0; i < n && len < cap; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? ", " : "", sorted[i]);
    if (n == 0)
        snprintf(out, cap, "none");
}

int mdl_config_load(mdl_ctx *ctx, const char *project_file, const char *env,
                    mdl_env_lookup_fn lookup, void *user, mdl_config **out, mdl_error *err)
{
    *out = NULL;
    if (project_file == NULL || env == NULL || !valid_env(env))
        return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                             "environment name '%.64s' must be 1 to %d letters, digits, '-' or '_'",
                             env ? env : "(null)", MAX_ENV_NAME);
    /* a project folder names its medallion.yaml */
    char in_dir[4096];
    struct stat sb;
    if (stat(project_file, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        size_t n = strlen(project_file);
        while (n > 1 && project_file[n - 1] == '/')
            n--;
        snprintf(in_dir, sizeof in_dir, "%.*s/medallion.yaml", (int)n, project_file);
        project_file = in_dir;
    }
    char *base = NULL, *overlay = NULL, *dir = NULL;
    size_t base_len = 0, overlay_len = 0;
    mdl_config *names = config_new(ctx, project_file, env, &dir); /* for the env file's name */
    if (names == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "%s: out of memory", project_file);
    int rc = read_text(ctx, project_file, &base, &base_len, err);
    if (rc == MDL_OK) {
        rc = read_text(ctx, names->env_file, &overlay, &overlay_len, err);
        if (rc == MDL_ERR_NOT_FOUND) {
            char envs[300];
            list_envs(names->env_file, envs, sizeof envs);
            rc = mdl_error_set(err, MDL_ERR_NOT_FOUND,
                               "environment '%s': %s does not exist (environments: %s)", env,
                               names->env_file, envs);
        }
    }
    if (rc == MDL_OK)
        rc = mdl_config_parse(ctx, project_file, base, base_len, env, overlay, overlay_len, lookup,
                              user, out, err);
    mdl_free(ctx, base);
    mdl_free(ctx, overlay);
    mdl_free(ctx, dir);
    mdl_config_free(names);
    return rc;
}

static void free_strs(mdl_ctx *ctx, char **a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mdl_free(ctx, a[i]);
    mdl_free(ctx, a);
}

void mdl_config_free(mdl_config *c)
{
    if (c == NULL)
        return;
    mdl_ctx *ctx = c->ctx;
    char *strs[] = {c->file,         c->env_file,      c->env,        c->project,    c->lake_root,
                    c->landing_root, c->contracts_dir, c->models_dir, c->pii_key_env};
    for (size_t i = 0; i < N(strs); i++)
        mdl_free(ctx, strs[i]);
    for (size_t i = 0; i < c->num_slas; i++)
        mdl_free(ctx, c->slas[i].target);
    mdl_free(ctx, c->slas);
    for (size_t i = 0; i < c->num_alerts; i++) {
        mdl_alert_channel_config *a = &c->alerts[i];
        char *s[] = {a->name, a->type, a->url, a->from, a->path, a->username_env, a->password_env};
        for (size_t k = 0; k < N(s); k++)
            mdl_free(ctx, s[k]);
        free_strs(ctx, a->to, a->num_to);
        free_strs(ctx, a->on, a->num_on);
    }
    mdl_free(ctx, c->alerts);
    mdl_free(ctx, (void *)c->redacted);
    mdl_free(ctx, c);
}

bool mdl_config_is_redacted(const mdl_config *c, const char *value)
{
    for (size_t i = 0; c != NULL && value != NULL && i < c->num_redacted; i++)
        if (c->redacted[i] == value)
            return true;
    return false;
}
