/*
 * config_format.c - the project configuration as text (`medallion config show`), with the
 * values that came from secret variables redacted, and the check that the secrets the config
 * names are present in the environment (`medallion config check`). Neither ever reads a secret
 * into memory it keeps, nor puts one in a message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "medallion/pipeline.h"

const char *mdl_env_getenv(void *user, const char *name)
{
    (void)user;
    return getenv(name);
}

/* YAML 1.1 reads these plain words as booleans or null, so they are quoted. */
static bool is_yaml_word(const char *s)
{
    static const char *const words[] = {"true", "false", "yes", "no",   "on",
                                        "off",  "y",     "n",   "null", "~"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcasecmp(s, words[i]) == 0)
            return true;
    return false;
}

static bool plain_ok(const char *s)
{
    if (s[0] == '\0' || is_yaml_word(s) ||
        !(s[0] == '.' || s[0] == '/' || s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z') ||
          (s[0] >= 'A' && s[0] <= 'Z')))
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr("_./@+-", *p) != NULL))
            return false;
    return true;
}

/* A string value: plain when YAML reads it back as the same string, else double-quoted; `$` is
 * written `$$` so that the text loads back as a config; redacted values as "***". */
static int put_str(const mdl_config *c, mdl_buf *out, const char *s, mdl_error *err)
{
    if (mdl_config_is_redacted(c, s))
        return mdl_buf_append_str(out, "\"***\"", err);
    if (plain_ok(s))
        return mdl_buf_append_str(out, s, err);
    int rc = mdl_buf_append(out, "\"", 1, err);
    for (const unsigned char *p = (const unsigned char *)s; rc == MDL_OK && *p; p++) {
        if (*p == '"' || *p == '\\')
            rc = mdl_buf_printf(out, err, "\\%c", *p);
        else if (*p == '$')
            rc = mdl_buf_append(out, "$$", 2, err);
        else if (*p < 0x20 || *p == 0x7f)
            rc = mdl_buf_printf(out, err, "\\x%02x", *p);
        else
            rc = mdl_buf_append(out, p, 1, err);
    }
    return rc == MDL_OK ? mdl_buf_append(out, "\"", 1, err) : rc;
}

static int put_key_str(const mdl_config *c, mdl_buf *out, const char *indent, const char *key,
                       const char *s, mdl_error *err)
{
    if (s == NULL)
        return MDL_OK;
    int rc = mdl_buf_printf(out, err, "%s%s: ", indent, key);
    if (rc == MDL_OK)
        rc = put_str(c, out, s, err);
    return rc == MDL_OK ? mdl_buf_append(out, "\n", 1, err) : rc;
}

static int put_list(const mdl_config *c, mdl_buf *out, const char *indent, const char *key,
                    char *const *items, size_t n, mdl_error *err)
{
    int rc = mdl_buf_printf(out, err, "%s%s: [", indent, key);
    for (size_t i = 0; rc == MDL_OK && i < n; i++) {
        if (i > 0)
            rc = mdl_buf_append(out, ", ", 2, err);
        if (rc == MDL_OK)
            rc = put_str(c, out, items[i], err);
    }
    return rc == MDL_OK ? mdl_buf_append(out, "]\n", 2, err) : rc;
}

/* 1500 -> "1500ms", 30000 -> "30s", 1800000 -> "30m". */
static void format_duration(int64_t ms, char *out, size_t cap)
{
    static const struct {
        const char *unit;
        int64_t ms;
    } units[] = {{"d", 86400000}, {"h", 3600000}, {"m", 60000}, {"s", 1000}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (ms > 0 && ms % units[i].ms == 0) {
            snprintf(out, cap, "%lld%s", (long long)(ms / units[i].ms), units[i].unit);
            return;
        }
    snprintf(out, cap, "%lldms", (long long)ms);
}

int mdl_config_format(const mdl_config *c, mdl_buf *out, mdl_error *err)
{
    char base[32], max[32], timeout[32];
    format_duration(c->retry_base_ms, base, sizeof base);
    format_duration(c->retry_max_ms, max, sizeof max);
    format_duration(c->task_timeout_ms, timeout, sizeof timeout);
    int rc = mdl_buf_printf(out, err,
                            "# %s with env/%s.yaml (env %s); paths resolved, values from secret "
                            "variables shown as ***\n",
                            c->file, c->env, c->env);
    if (rc == MDL_OK)
        rc = put_key_str(c, out, "", "project", c->project, err);
    if (rc == MDL_OK)
        rc = mdl_buf_append_str(out, "paths:\n", err);
    if (rc == MDL_OK)
        rc = put_key_str(c, out, "  ", "lake", c->lake_root, err);
    if (rc == MDL_OK)
        rc = put_key_str(c, out, "  ", "landing", c->landing_root, err);
    if (rc == MDL_OK)
        rc = put_key_str(c, out, "  ", "contracts", c->contracts_dir, err);
    if (rc == MDL_OK)
        rc = put_key_str(c, out, "  ", "models", c->models_dir, err);
    if (rc == MDL_OK)
        rc = mdl_buf_printf(out, err,
                            "run:\n  parallelism: %d\n  max_attempts: %d\n  retry_base: %s\n"
                            "  retry_max: %s\n  task_timeout: %s\nsecurity:\n",
                            c->parallelism, c->max_attempts, base, max, timeout);
    if (rc == MDL_OK)
        rc = put_key_str(c, out, "  ", "pii_key_env", c->pii_key_env, err);
    if (rc == MDL_OK)
        rc = mdl_buf_printf(out, err, "  require_pii_key: %s\nslas:%s\n",
                            c->require_pii_key ? "true" : "false", c->num_slas ? "" : " []");
    for (size_t i = 0; rc == MDL_OK && i < c->num_slas; i++) {
        rc = mdl_buf_append_str(out, "  - {target: ", err);
        if (rc == MDL_OK)
            rc = put_str(c, out, c->slas[i].target, err);
        if (rc == MDL_OK)
            rc = mdl_buf_printf(out, err, ", deadline: \"%02d:%02d\"}\n",
                                (c->slas[i].deadline_minutes / 60) % 24,
                                c->slas[i].deadline_minutes % 60);
    }
    if (rc == MDL_OK)
        rc = mdl_buf_printf(out, err, "alerts:%s\n", c->num_alerts ? "" : " []");
    for (size_t i = 0; rc == MDL_OK && i < c->num_alerts; i++) {
        const mdl_alert_channel_config *a = &c->alerts[i];
        rc = put_key_str(c, out, "  - ", "name", a->name, err);
        if (rc == MDL_OK)
            rc = put_key_str(c, out, "    ", "type", a->type, err);
        if (rc == MDL_OK)
            rc = put_key_str(c, out, "    ", "url", a->url, err);
        if (rc == MDL_OK)
            rc = put_key_str(c, out, "    ", "from", a->from, err);
        if (rc == MDL_OK && a->num_to > 0)
            rc = put_list(c, out, "    ", "to", a->to, a->num_to, err);
        if (rc == MDL_OK)
            rc = put_key_str(c, out, "    ", "username_env", a->username_env, err);
        if (rc == MDL_OK)
            rc = put_key_str(c, out, "    ", "password_env", a->password_env, err);
        if (rc == MDL_OK)
            rc = put_key_str(c, out, "    ", "path", a->path, err);
        if (rc == MDL_OK)
            rc = put_list(c, out, "    ", "on", a->on, a->num_on, err);
    }
    return rc;
}

/* A variable's value, NULL when unset or empty. */
static const char *lookup_var(mdl_env_lookup_fn lookup, void *user, const char *name)
{
    const char *v = lookup && name ? lookup(user, name) : NULL;
    return v != NULL && v[0] != '\0' ? v : NULL;
}

int mdl_config_check_env(const mdl_config *c, mdl_env_lookup_fn lookup, void *user, mdl_error *err)
{
    if (c->require_pii_key) {
        const char *key = lookup_var(lookup, user, c->pii_key_env);
        if (key == NULL)
            return mdl_error_set(err, MDL_ERR_NOT_FOUND,
                                 "%s (env %s): security.require_pii_key is true but %s is not set",
                                 c->file, c->env, c->pii_key_env);
        if (strlen(key) < 16)
            return mdl_error_set(err, MDL_ERR_NOT_FOUND,
                                 "%s (env %s): the masking key in %s is shorter than 16 bytes",
                                 c->file, c->env, c->pii_key_env);
    }
    for (size_t i = 0; i < c->num_alerts; i++) {
        const mdl_alert_channel_config *a = &c->alerts[i];
        const char *names[] = {a->username_env, a->password_env};
        for (size_t k = 0; k < 2; k++)
            if (names[k] != NULL && lookup_var(lookup, user, names[k]) == NULL)
                return mdl_error_set(err, MDL_ERR_NOT_FOUND,
                                     "%s:%d: alert channel '%s' needs %s (%s), which is not set",
                                     a->file, a->line, a->name, names[k],
                                     k == 0 ? "username_env" : "password_env");
    }
    return MDL_OK;
}
