/*
 * cmd_config.c - `medallion config`: loads the project configuration with the overlay of one
 * environment (docs/config.md) and shows it resolved, with values that came from secret
 * variables as ***, or checks it: the files, and that the secrets it names are set.
 */
#include <getopt.h>
#include <string.h>

#include "cli.h"

#include "medallion/pipeline.h"

static void config_usage(FILE *out)
{
    fprintf(out,
            "Usage: medallion config [show|check] [--project FILE] [--env NAME]\n"
            "\n"
            "Loads the project configuration FILE and its overlay env/NAME.yaml beside it,\n"
            "merged (mappings key by key, scalars and lists replaced), with ${VAR} and\n"
            "${VAR:-default} taken from the environment, and validates the result.\n"
            "\n"
            "  show   print the resolved configuration as YAML (the default); values that\n"
            "         came from a variable whose name contains KEY, SECRET, PASSWORD or TOKEN\n"
            "         are printed as ***\n"
            "  check  print \"config ok (env NAME)\", or the first error as\n"
            "         FILE:LINE:COLUMN: what; also checks that the secrets the config names\n"
            "         are set: the masking key (security.pii_key_env) when require_pii_key is\n"
            "         true, and the username_env / password_env of email channels\n"
            "\n"
            "Options:\n"
            "  --project PATH  the project file, or its folder (default lakehouse/medallion.yaml)\n"
            "  --env NAME      the environment: local, dev, prod, ... (default local)\n"
            "  -h, --help      this help\n"
            "\n"
            "Format: docs/config.md. Exit codes: 0 ok, 1 invalid config, 2 usage.\n");
}

int cmd_config(int argc, char **argv)
{
    enum { O_PROJECT = 256, O_ENV };
    static const struct option opts[] = {{"project", required_argument, 0, O_PROJECT},
                                         {"env", required_argument, 0, O_ENV},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *project = "lakehouse/medallion.yaml", *env = "local";
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case O_PROJECT:
            project = optarg;
            break;
        case O_ENV:
            env = optarg;
            break;
        case 'h':
            config_usage(stdout);
            return CLI_EXIT_OK;
        default:
            fprintf(stderr, "Run 'medallion config --help' for the options.\n");
            return CLI_EXIT_USAGE;
        }
    }
    const char *action = "show";
    if (optind < argc)
        action = argv[optind++];
    if (optind < argc || (strcmp(action, "show") != 0 && strcmp(action, "check") != 0)) {
        fprintf(stderr, "medallion config: expected show or check, not '%s'\n",
                optind < argc ? argv[optind] : action);
        config_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_error err = {0};
    mdl_config *c = NULL;
    int rc = mdl_config_load(&ctx, project, env, mdl_env_getenv, NULL, &c, &err);
    if (rc == MDL_ERR_INVALID_ARG) {
        fprintf(stderr, "medallion config: --env: %s\n", err.message);
        return CLI_EXIT_USAGE;
    }
    if (rc == MDL_OK && strcmp(action, "check") == 0)
        rc = mdl_config_check_env(c, mdl_env_getenv, NULL, &err);
    if (rc != MDL_OK) {
        fprintf(stderr, "medallion config: %s\n", err.message);
        mdl_config_free(c);
        return CLI_EXIT_ERROR;
    }
    int exit_code = CLI_EXIT_OK;
    if (strcmp(action, "check") == 0) {
        printf("config ok (env %s)\n", c->env);
    } else {
        mdl_buf out;
        mdl_buf_init(&out, &ctx, 16u << 20);
        if (mdl_config_format(c, &out, &err) != MDL_OK) {
            fprintf(stderr, "medallion config: %s\n", err.message);
            exit_code = CLI_EXIT_ERROR;
        } else if (out.len > 0 && fwrite(out.data, 1, out.len, stdout) != out.len) {
            exit_code = CLI_EXIT_ERROR;
        }
        mdl_buf_reset(&out);
    }
    mdl_config_free(c);
    return exit_code;
}
