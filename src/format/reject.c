/*
 * reject.c - the text form of rejected rows and the delivery rules shared by every reader.
 */
#include <stdio.h>

#include "reject.h"

size_t mdl_reject_format(const mdl_reject *rj, char *buf, size_t cap)
{
    int n;
    if (rj->column != NULL)
        n = snprintf(buf, cap, "%s:%llu: column '%s': %s", rj->source, (unsigned long long)rj->line,
                     rj->column, rj->reason);
    else
        n = snprintf(buf, cap, "%s:%llu: %s", rj->source, (unsigned long long)rj->line, rj->reason);
    if (n < 0)
        return 0;
    return (size_t)n < cap ? (size_t)n : (cap ? cap - 1 : 0);
}

size_t mdl_format__utf8_prefix(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t n = max;
    /* Back off over continuation bytes (at most 3) so the cut lands on a boundary. */
    for (int k = 0; k < 3 && n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80; k++)
        n--;
    return n;
}

bool mdl_format__show_value(char out[MDL_REJECT_SHOWN_SIZE], const char *v, size_t len)
{
    bool valid = mdl_utf8_valid(v, len);
    size_t n = valid ? mdl_format__utf8_prefix(v, len, MDL_REJECT_SHOW_MAX)
                     : (len > MDL_REJECT_SHOW_MAX ? MDL_REJECT_SHOW_MAX : len);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && !valid))
            o += (size_t)snprintf(out + o, MDL_REJECT_SHOWN_SIZE - o, "\\x%02x", c);
        else
            out[o++] = (char)c;
    }
    out[o] = '\0';
    return n < len;
}

void mdl_format__describe_value(char *out, size_t cap, const char *v, size_t len,
                                const char *phrase)
{
    char shown[MDL_REJECT_SHOWN_SIZE];
    bool cut = mdl_format__show_value(shown, v, len);
    snprintf(out, cap, "'%s'%s %s", shown, cut ? "..." : "", phrase);
}

int mdl_format__deliver_reject(mdl_reject_fn fn, void *payload, const mdl_reject *rj,
                               mdl_error *err)
{
    if (fn == NULL) {
        char line[MDL_ERROR_MESSAGE_SIZE];
        mdl_reject_format(rj, line, sizeof line);
        return mdl_error_set(err, rj->code, "%s", line);
    }
    int rc = fn(payload, rj);
    if (rc != MDL_OK)
        return mdl_error_set(err, rc, "%s:%llu: reading stopped by the reject handler", rj->source,
                             (unsigned long long)rj->line);
    return MDL_OK;
}
