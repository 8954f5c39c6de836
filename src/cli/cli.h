/*
 * cli.h - shared declarations of the `medallion` command's subcommands.
 */
#ifndef MDL_CLI_H
#define MDL_CLI_H

#include <stdio.h>

#include "medallion/medallion.h"

enum { CLI_EXIT_OK = 0, CLI_EXIT_ERROR = 1, CLI_EXIT_USAGE = 2, CLI_EXIT_QUALITY = 3 };

/* The masking key of the local environment when $MEDALLION_PII_KEY is unset: published on
 * purpose (docs/models.md), so local hashes are pseudonyms for development only. */
#define CLI_LOCAL_PII_KEY "medallion-local-development-key"

typedef struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} cli_command;

/* Counts rejected rows and lists the first ten on stderr (convert, table append). */
typedef struct cli_reject_count {
    uint64_t count;
    size_t shown;
} cli_reject_count;

int cli_count_reject(void *payload, const mdl_reject *reject);

/* "csv", "jsonl" or "parquet" from a file name's extension, else NULL. */
const char *cli_format_of(const char *path);
/* 1234567 -> "1.2 MB" (powers of 1000). */
void cli_human_bytes(uint64_t n, char *buf, size_t cap);
/* Monotonic clock in seconds, for progress lines and timings. */
double cli_now_seconds(void);
/* A one-character option value: "tab" (or "\\t") is a tab, "none" is 0. Prints the usage
 * error as "medallion CMD: NAME must be ..." and returns -1 when it is neither. */
int cli_parse_char(const char *cmd, const char *name, const char *value, char *out);
/* --memory MB: a positive number of megabytes, as bytes. Prints the usage error as "medallion
 * CMD: --memory takes megabytes, not 'X'" and returns -1 otherwise. */
int cli_parse_megabytes(const char *cmd, const char *value, size_t *bytes);
/*
 * Opens FILE of FORMAT ("csv", "jsonl", "parquet") as a batch stream with the given reader
 * options (the one for FORMAT is used; NULL means the reader's defaults).
 */
int cli_open_input(mdl_ctx *ctx, const char *file, const char *format, mdl_schema *schema,
                   const mdl_csv_options *csv, const mdl_json_options *json,
                   const mdl_parquet_read_options *parquet, mdl_batch_stream **out, mdl_error *err);

int cmd_read(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_parquet(int argc, char **argv);
int cmd_table(int argc, char **argv);
int cmd_generate(int argc, char **argv);
int cmd_docs(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_runs(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_alert(int argc, char **argv);

#endif
