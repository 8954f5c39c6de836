/*
 * cli.h - shared declarations of the `medallion` command's subcommands.
 */
#ifndef MDL_CLI_H
#define MDL_CLI_H

#include <stdio.h>

#include "medallion/medallion.h"

enum { CLI_EXIT_OK = 0, CLI_EXIT_ERROR = 1, CLI_EXIT_USAGE = 2, CLI_EXIT_QUALITY = 3 };

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

int cmd_read(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_parquet(int argc, char **argv);
int cmd_table(int argc, char **argv);

#endif
