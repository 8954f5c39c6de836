/*
 * table.c - aligned text tables for CLI summaries. Widths count UTF-8 characters, not
 * bytes, so names like "São Paulo" line up.
 */
#include <stdlib.h>
#include <string.h>

#include "table.h"

void cli_table_init(cli_table *t, size_t ncols, const char *const *headers)
{
    memset(t, 0, sizeof *t);
    t->ncols = ncols > CLI_TABLE_MAX_COLS ? CLI_TABLE_MAX_COLS : ncols;
    for (size_t i = 0; i < t->ncols; i++)
        t->headers[i] = headers[i];
}

void cli_table_align_right(cli_table *t, size_t col)
{
    if (col < t->ncols)
        t->right[col] = true;
}

void cli_table_add(cli_table *t, const char *const *cells)
{
    if (t->nrows == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 16;
        char **nc = realloc(t->cells, ncap * t->ncols * sizeof(char *));
        if (nc == NULL)
            return;
        t->cells = nc;
        t->cap = ncap;
    }
    for (size_t i = 0; i < t->ncols; i++)
        t->cells[t->nrows * t->ncols + i] = strdup(cells[i] ? cells[i] : "");
    t->nrows++;
}

/* Display width in characters (UTF-8 continuation bytes do not count). */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

/* Byte length of the first `chars` characters of s. */
static size_t prefix_bytes(const char *s, size_t chars)
{
    size_t i = 0, c = 0;
    while (s[i]) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (c == chars)
                break;
            c++;
        }
        i++;
    }
    return i;
}

static void print_cell(FILE *out, const char *s, size_t w, bool right, bool last, size_t max_width)
{
    size_t sw = width(s);
    bool cut = sw > max_width;
    size_t shown = cut ? max_width - 3 : sw;
    if (right)
        fprintf(out, "%*s", (int)(w - (cut ? max_width : sw)), "");
    for (const char *p = s; p < s + prefix_bytes(s, shown); p++)
        fputc((*p == '\n' || *p == '\r' || *p == '\t') ? ' ' : *p, out);
    if (cut)
        fputs("...", out);
    if (!right && !last) /* no trailing spaces at the end of a line */
        fprintf(out, "%*s", (int)(w - (cut ? max_width : sw)), "");
}

void cli_table_print(const cli_table *t, FILE *out, size_t max_width)
{
    if (max_width < 8)
        max_width = 8;
    size_t w[CLI_TABLE_MAX_COLS];
    for (size_t c = 0; c < t->ncols; c++) {
        w[c] = width(t->headers[c]);
        for (size_t r = 0; r < t->nrows; r++) {
            size_t cw = width(t->cells[r * t->ncols + c]);
            if (cw > max_width)
                cw = max_width;
            if (cw > w[c])
                w[c] = cw;
        }
    }
    for (size_t c = 0; c < t->ncols; c++) {
        fputs(c ? "  " : "", out);
        print_cell(out, t->headers[c], w[c], t->right[c], c + 1 == t->ncols, max_width);
    }
    fputc('\n', out);
    for (size_t c = 0; c < t->ncols; c++) {
        fputs(c ? "  " : "", out);
        for (size_t k = 0; k < w[c]; k++)
            fputc('-', out);
    }
    fputc('\n', out);
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            fputs(c ? "  " : "", out);
            print_cell(out, t->cells[r * t->ncols + c], w[c], t->right[c], c + 1 == t->ncols,
                       max_width);
        }
        fputc('\n', out);
    }
}

void cli_table_free(cli_table *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

void cli_json_string(FILE *out, const char *s, size_t len)
{
    fputc('"', out);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c == '\r')
            fputs("\\r", out);
        else if (c == '\t')
            fputs("\\t", out);
        else if (c < 0x20)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}
