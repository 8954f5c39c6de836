/*
 * table.h - aligned text tables for CLI summaries (and --json output helpers).
 */
#ifndef MDL_CLI_TABLE_H
#define MDL_CLI_TABLE_H

#include <stdbool.h>
#include <stdio.h>

#define CLI_TABLE_MAX_COLS 32

typedef struct cli_table {
    size_t ncols, nrows, cap;
    const char *headers[CLI_TABLE_MAX_COLS];
    bool right[CLI_TABLE_MAX_COLS]; /* right-align (numbers) */
    char **cells;                   /* nrows * ncols owned strings */
} cli_table;

void cli_table_init(cli_table *t, size_t ncols, const char *const *headers);
void cli_table_align_right(cli_table *t, size_t col);
/* Adds a row; `cells` has ncols strings (copied; NULL prints empty). */
void cli_table_add(cli_table *t, const char *const *cells);
/* Prints with a header underline; long cells are cut to max_width with "...". */
void cli_table_print(const cli_table *t, FILE *out, size_t max_width);
void cli_table_free(cli_table *t);

/* Writes s as a JSON string literal (quotes and escapes). */
void cli_json_string(FILE *out, const char *s, size_t len);

#endif
