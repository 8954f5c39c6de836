/*
 * cli_common.c - small pieces shared by several subcommands.
 */
#include <string.h>
#include <time.h>

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

const char *cli_format_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot == NULL)
        return NULL;
    if (strcmp(dot, ".csv") == 0)
        return "csv";
    if (strcmp(dot, ".jsonl") == 0 || strcmp(dot, ".ndjson") == 0 || strcmp(dot, ".json") == 0)
        return "jsonl";
    if (strcmp(dot, ".parquet") == 0)
        return "parquet";
    return NULL;
}

void cli_human_bytes(uint64_t n, char *buf, size_t cap)
{
    static const char *const units[] = {"B", "KB", "MB", "GB", "TB"};
    double v = (double)n;
    int u = 0;
    while (v >= 1000.0 && u < 4) {
        v /= 1000.0;
        u++;
    }
    snprintf(buf, cap, u ? "%.1f %s" : "%.0f %s", v, units[u]);
}

double cli_now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
