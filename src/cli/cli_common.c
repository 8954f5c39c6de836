/*
 * cli_common.c - small pieces shared by several subcommands.
 */
#include <stdint.h>
#include <stdlib.h>
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

int cli_parse_char(const char *cmd, const char *name, const char *value, char *out)
{
    if (strcmp(value, "tab") == 0 || strcmp(value, "\\t") == 0)
        *out = '\t';
    else if (strcmp(value, "none") == 0)
        *out = 0;
    else if (strlen(value) == 1)
        *out = value[0];
    else {
        fprintf(stderr, "medallion %s: %s must be one character, 'tab' or 'none' (got '%s')\n", cmd,
                name, value);
        return -1;
    }
    return 0;
}

int cli_parse_megabytes(const char *cmd, const char *value, size_t *bytes)
{
    char *end;
    unsigned long long mb = strtoull(value, &end, 10);
    if (*end != '\0' || mb == 0 || mb > (SIZE_MAX >> 20)) {
        fprintf(stderr, "medallion %s: --memory takes megabytes, not '%s'\n", cmd, value);
        return -1;
    }
    *bytes = (size_t)mb << 20;
    return 0;
}

int cli_open_input(mdl_ctx *ctx, const char *file, const char *format, mdl_schema *schema,
                   const mdl_csv_options *csv, const mdl_json_options *json,
                   const mdl_parquet_read_options *parquet, mdl_batch_stream **out, mdl_error *err)
{
    int rc;
    *out = NULL;
    if (strcmp(format, "csv") == 0) {
        mdl_csv_reader *r;
        rc = mdl_csv_reader_open_file(ctx, file, schema, csv, &r, err);
        return rc == MDL_OK ? mdl_csv_reader_stream(r, out, err) : rc;
    }
    if (strcmp(format, "jsonl") == 0) {
        mdl_json_reader *r;
        rc = mdl_json_reader_open_file(ctx, file, schema, json, &r, err);
        return rc == MDL_OK ? mdl_json_reader_stream(r, out, err) : rc;
    }
    mdl_parquet_reader *r;
    rc = mdl_parquet_reader_open_file(ctx, file, parquet, &r, err);
    return rc == MDL_OK ? mdl_parquet_reader_stream(r, out, err) : rc;
}
