/*
 * cmd_alert.c - `medallion alert test`: sends one test alert through a channel given on the
 * command line (webhook, email or file; docs/alerts.md), so a user can check a channel's
 * settings before the pipeline relies on it. Passwords come from the environment only.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#include "medallion/observe.h"

#define DEFAULT_PASSWORD_ENV "MEDALLION_SMTP_PASSWORD"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: medallion alert test --type TYPE [options]\n"
            "\n"
            "Sends one test alert through a channel, as the pipeline would send a real one,\n"
            "and prints \"sent to NAME\", or the error and exits 1. Payloads: docs/alerts.md.\n"
            "\n"
            "Channel:\n"
            "  --type TYPE          webhook (Slack-compatible JSON POST), email (SMTP) or\n"
            "                       file (JSON lines)\n"
            "  --name NAME          the channel's name in messages (default: the type)\n"
            "  --url URL            webhook: http(s)://...; email: smtp://host:port or\n"
            "                       smtps://host:port\n"
            "  --from ADDR          email: the sender, addr@example.com or \"Name <addr>\"\n"
            "  --to ADDR            email: a recipient (repeat the option for more)\n"
            "  --user NAME          email: SMTP AUTH user name\n"
            "  --password-env VAR   email: the environment variable holding the SMTP password\n"
            "                       (default " DEFAULT_PASSWORD_ENV " when --user is given);\n"
            "                       passwords are never taken on the command line\n"
            "  --path FILE          file: the JSON-lines file appended to (created with its\n"
            "                       folders)\n"
            "  --timeout MS         the whole delivery, connecting included (default 10000)\n"
            "\n"
            "Alert:\n"
            "  --event E            task_failed, quality_failed, sla_missed or test (default)\n"
            "  --severity S         error or warning (default warning)\n"
            "  --project P, --env ENV, --task T, --table T, --run-id ID\n"
            "                       what the alert is about (default: none)\n"
            "  --summary TEXT       the one-line summary (default \"medallion alert test\")\n"
            "  --details TEXT       the details, may span lines (default: a note naming this\n"
            "                       host)\n"
            "  -h, --help           this help\n"
            "\n"
            "Examples:\n"
            "  medallion alert test --type webhook --url https://hooks.slack.com/services/...\n"
            "  medallion alert test --type email --url smtp://mail.example.com:587 \\\n"
            "      --from medallion@example.com --to data-oncall@example.com --user medallion\n"
            "  medallion alert test --type file --path lake/_alerts/alerts.jsonl\n"
            "\n"
            "Exit codes: 0 sent, 1 not delivered, 2 usage.\n");
}

static int bad_usage(const char *msg, const char *arg)
{
    fprintf(stderr, "medallion alert test: %s%s\n", msg, arg != NULL ? arg : "");
    fprintf(stderr, "Run 'medallion alert test --help' for the options.\n");
    return CLI_EXIT_USAGE;
}

static int alert_test(int argc, char **argv)
{
    mdl_alert_channel ch = {0};
    mdl_alert a = {.event = "test", .severity = "warning", .summary = "medallion alert test"};
    const char *password_env = NULL, *details = NULL;
    /* At most one recipient per argument. */
    const char **to = calloc((size_t)argc + 1, sizeof *to);
    if (to == NULL) {
        fprintf(stderr, "medallion alert test: out of memory\n");
        return CLI_EXIT_ERROR;
    }
    int rc = CLI_EXIT_OK;
    enum {
        O_TYPE = 256,
        O_NAME,
        O_URL,
        O_FROM,
        O_TO,
        O_USER,
        O_PASSWORD_ENV,
        O_PATH,
        O_TIMEOUT,
        O_EVENT,
        O_SEVERITY,
        O_PROJECT,
        O_ENV,
        O_TASK,
        O_TABLE,
        O_RUN_ID,
        O_SUMMARY,
        O_DETAILS
    };
    static const struct option opts[] = {{"type", required_argument, 0, O_TYPE},
                                         {"name", required_argument, 0, O_NAME},
                                         {"url", required_argument, 0, O_URL},
                                         {"from", required_argument, 0, O_FROM},
                                         {"to", required_argument, 0, O_TO},
                                         {"user", required_argument, 0, O_USER},
                                         {"password-env", required_argument, 0, O_PASSWORD_ENV},
                                         {"path", required_argument, 0, O_PATH},
                                         {"timeout", required_argument, 0, O_TIMEOUT},
                                         {"event", required_argument, 0, O_EVENT},
                                         {"severity", required_argument, 0, O_SEVERITY},
                                         {"project", required_argument, 0, O_PROJECT},
                                         {"env", required_argument, 0, O_ENV},
                                         {"task", required_argument, 0, O_TASK},
                                         {"table", required_argument, 0, O_TABLE},
                                         {"run-id", required_argument, 0, O_RUN_ID},
                                         {"summary", required_argument, 0, O_SUMMARY},
                                         {"details", required_argument, 0, O_DETAILS},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    optind = 1;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        char *end;
        switch (opt) {
        case O_TYPE:
            ch.type = optarg;
            break;
        case O_NAME:
            ch.name = optarg;
            break;
        case O_URL:
            ch.url = optarg;
            break;
        case O_FROM:
            ch.from = optarg;
            break;
        case O_TO:
            to[ch.num_to++] = optarg;
            break;
        case O_USER:
            ch.username = optarg;
            break;
        case O_PASSWORD_ENV:
            password_env = optarg;
            break;
        case O_PATH:
            ch.path = optarg;
            break;
        case O_TIMEOUT:
            ch.timeout_ms = strtol(optarg, &end, 10);
            if (*end != '\0' || ch.timeout_ms <= 0) {
                rc = bad_usage("--timeout takes milliseconds, not ", optarg);
                goto done;
            }
            break;
        case O_EVENT:
            a.event = optarg;
            break;
        case O_SEVERITY:
            a.severity = optarg;
            break;
        case O_PROJECT:
            a.project = optarg;
            break;
        case O_ENV:
            a.env = optarg;
            break;
        case O_TASK:
            a.task = optarg;
            break;
        case O_TABLE:
            a.table = optarg;
            break;
        case O_RUN_ID:
            a.run_id = optarg;
            break;
        case O_SUMMARY:
            a.summary = optarg;
            break;
        case O_DETAILS:
            details = optarg;
            break;
        case 'h':
            usage(stdout);
            goto done;
        default:
            rc = CLI_EXIT_USAGE;
            goto done;
        }
    }
    if (optind < argc) {
        rc = bad_usage("unexpected argument ", argv[optind]);
        goto done;
    }
    if (ch.type == NULL) {
        rc = bad_usage("--type is required (webhook, email or file)", NULL);
        goto done;
    }
    bool webhook = strcmp(ch.type, "webhook") == 0, email = strcmp(ch.type, "email") == 0;
    if (!webhook && !email && strcmp(ch.type, "file") != 0) {
        rc = bad_usage("--type must be webhook, email or file, not ", ch.type);
        goto done;
    }
    if ((webhook || email) && ch.url == NULL) {
        rc = bad_usage("--url is required for --type ", ch.type);
        goto done;
    }
    if (email && (ch.from == NULL || ch.num_to == 0)) {
        rc = bad_usage("--from and --to are required for --type email", NULL);
        goto done;
    }
    if (!webhook && !email && ch.path == NULL) {
        rc = bad_usage("--path is required for --type file", NULL);
        goto done;
    }
    if (strcmp(a.severity, "error") != 0 && strcmp(a.severity, "warning") != 0) {
        rc = bad_usage("--severity must be error or warning, not ", a.severity);
        goto done;
    }
    if (password_env != NULL || ch.username != NULL) {
        const char *var = password_env != NULL ? password_env : DEFAULT_PASSWORD_ENV;
        ch.password = getenv(var);
        if (password_env != NULL && ch.password == NULL) {
            rc = bad_usage("the password variable is not set: ", var);
            goto done;
        }
    }
    ch.to = to;
    if (ch.name == NULL)
        ch.name = ch.type;

    char host[256] = "";
    if (gethostname(host, sizeof host - 1) != 0)
        strcpy(host, "unknown host");
    char note[512];
    snprintf(note, sizeof note,
             "This is a test alert from 'medallion alert test' on %s.\n"
             "If you can read it, the channel works.",
             host);
    a.details = details != NULL ? details : note;
    a.at_us = mdl_now_micros();

    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_error err;
    mdl_error_clear(&err);
    if (mdl_alert_send(&ctx, &ch, &a, &err) != MDL_OK) {
        fprintf(stderr, "medallion alert test: %s\n", err.message);
        rc = CLI_EXIT_ERROR;
        goto done;
    }
    printf("sent to %s\n", ch.name);
done:
    free(to);
    return rc;
}

int cmd_alert(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "test") == 0)
        return alert_test(argc - 1, argv + 1);
    fprintf(stderr, "medallion alert: unknown subcommand '%s' (test)\n", argv[1]);
    usage(stderr);
    return CLI_EXIT_USAGE;
}
