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

int cmd_read(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_parquet(int argc, char **argv);
int cmd_table(int argc, char **argv);

#endif
