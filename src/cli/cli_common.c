/*
 * cli_common.c - small pieces shared by several subcommands.
 */
#include "cli.h"

int cli_count_reject(void *payload, const mdl_reject *rj)
{
    cli_reject_count *rc = payload;
    rc->count++;
    if (rc->shown < 10) {
        char line[600];
        mdl_reject_format(rj, line, sizeof line);
        fprintf(stderr, "  rejected: %s\n", line);
        rc->shown++;
    }
    return MDL_OK;
}
