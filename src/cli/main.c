/*
 * main.c - the `medallion` command: global options and subcommand dispatch.
 * The CLI is the only part of medallion that prints; it uses the public API only.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const cli_command COMMANDS[] = {
    {"read", "Read a CSV or JSON-lines file into typed batches and summarise it", cmd_read},
    {"convert", "Convert between CSV, JSON lines and Parquet", cmd_convert},
    {"parquet", "Inspect a Parquet file: schema, meta, head, cat", cmd_parquet},
    {"table", "Create, append to, inspect and maintain Delta tables", cmd_table},
    {"generate", "Write the seed company's landing zone (docs/landing.md), deterministic",
     cmd_generate},
    {"ingest",
     "Ingest the landing files of bronze tables by their contracts (quarantine, "
     "metadata, one commit per file)",
     cmd_ingest},
    {"query", "Run a SQL query over the lake's tables (table, CSV, JSON lines, Parquet; --explain)",
     cmd_query},
    {"build", "Build silver and gold tables from their SQL models (table, incremental, scd2)",
     cmd_build},
    {"run",
     "Run the lakehouse: ingest and build every table as one DAG, with retries, checks, "
     "alerts and run records",
     cmd_run},
    {"runs", "List pipeline runs or show one run's tasks", cmd_runs},
    {"check", "Run tables' quality checks from their contracts and record the results", cmd_check},
    {"docs", "Generate docs/schemas/ from the table contracts (--check: fail if stale)", cmd_docs},
    {"config", "Show or check the project configuration of an environment (env overlays)",
     cmd_config},
    {"alert", "Send a test alert through a webhook, email or file channel", cmd_alert},
};

static void usage(FILE *out)
{
    fprintf(out, "medallion %s - lakehouse pipeline engine\n\n", mdl_version());
    fprintf(out, "Usage: medallion [--help] [--version] <command> [options]\n\nCommands:\n");
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        fprintf(out, "  %-10s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
    fprintf(out, "\nRun 'medallion <command> --help' for the options of a command.\n"
                 "Exit codes: 0 ok, 1 error, 2 usage error, 3 data quality failure.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("medallion %s (build %s)\n", mdl_version(), mdl_build_id());
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        if (strcmp(cmd, COMMANDS[i].name) == 0)
            return COMMANDS[i].run(argc - 1, argv + 1);
    fprintf(stderr, "medallion: unknown command '%s'\n", cmd);
    usage(stderr);
    return CLI_EXIT_USAGE;
}
