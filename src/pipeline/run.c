/*
 * run.c - the pipeline driver (medallion/pipeline.h, docs/pipeline.md): one task per table —
 * ingest for bronze contracts, build for silver and gold models — in a DAG whose edges come
 * from the tables each model's SQL reads. Ready tasks run in parallel, each attempt in a
 * child process: a task can then be given a hard timeout (the child is killed), a crash takes
 * only its task down, and the library needs no thread safety beyond one context per process.
 * The child reports its outcome through a pipe as one fixed-size record.
 *
 * Transient failures (I/O, a lost commit race) are retried with exponential backoff and full
 * jitter; data and quality failures never are. A task whose upstream failed is skipped;
 * independent branches go on. The parent never writes to the lake while children run; the run
 * records are appended at the end (run_records.c).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "medallion/observe.h"
#include "pipeline/run_internal.h"

/* What a child reports. */
typedef struct child_report {
    int rc;
    char error[MDL_ERROR_MESSAGE_SIZE];
    uint64_t rows_in, rows_out, rows_quarantined;
    int64_t version;
    int checks_failed, checks_warned;
    bool up_to_date;
} child_report;

void mdl_run_options_init(mdl_run_options *o)
{
    memset(o, 0, sizeof *o);
    o->parallelism = 2;
    o->max_attempts = 3;
    o->retry_base_ms = 1000;
    o->retry_max_ms = 30000;
    o->task_timeout_ms = 30 * 60 * 1000;
    o->run_date = INT32_MIN;
}

const char *mdl_task_status_name(mdl_task_status s)
{
    static const char *const names[] = {"pending",        "success", "up_to_date",  "failed",
                                        "quality_failed", "skipped", "not_selected"};
    return (size_t)s < sizeof names / sizeof *names ? names[s] : "unknown";
}

static bool transient(int rc)
{
    return rc == MDL_ERR_IO || rc == MDL_ERR_CONFLICT;
}

/* ---- the DAG -------------------------------------------------------------------------------- */

static bool reads(const mdl_run_task *t, const char *table)
{
    for (size_t i = 0; i < t->num_sources; i++)
        if (strcmp(t->sources[i], table) == 0)
            return true;
    return false;
}

/* Does one of the contract's checks look into `table`? */
static bool checks_read(const mdl_contract *c, const char *table)
{
    for (size_t k = 0; k < c->num_checks; k++) {
        char target[512];
        if (mdl_contract_check_target(&c->checks[k], target, sizeof target) &&
            strcmp(target, table) == 0)
            return true;
    }
    return false;
}

/* Fills the edges (with or without the check targets) and the levels by Kahn's algorithm;
 * MDL_ERR_SCHEMA on a cycle. */
static int order(mdl_ctx *ctx, mdl_run_task *t, size_t n, bool with_checks, mdl_error *err)
{
    for (size_t i = 0; i < n; i++) {
        t[i].num_deps = 0;
        for (size_t d = 0; d < n; d++)
            if (d != i && (reads(&t[i], t[d].table) ||
                           (with_checks && checks_read(t[i].contract, t[d].table))))
                t[i].deps[t[i].num_deps++] = d;
    }
    size_t done = 0;
    bool *taken = mdl_calloc(ctx, n + 1, sizeof *taken);
    if (taken == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory planning a run");
    for (bool progress = true; progress;) {
        progress = false;
        for (size_t i = 0; i < n; i++) {
            if (taken[i])
                continue;
            bool ready = true;
            for (size_t k = 0; ready && k < t[i].num_deps; k++)
                ready = taken[t[i].deps[k]];
            if (ready) {
                taken[i] = progress = true;
                t[i].level = 0;
                for (size_t k = 0; k < t[i].num_deps; k++)
                    if (t[t[i].deps[k]].level + 1 > t[i].level)
                        t[i].level = t[t[i].deps[k]].level + 1;
                done++;
            }
        }
    }
    mdl_free(ctx, taken);
    if (done < n)
        return mdl_error_set(err, MDL_ERR_SCHEMA,
                             "the models read each other in a cycle (%zu of %zu tables cannot "
                             "be ordered); break it",
                             n - done, n);
    return MDL_OK;
}

int mdl_run__plan(mdl_ctx *ctx, const mdl_contract_set *set, const char *models_root,
                  mdl_run_task **out, size_t *count, mdl_error *err)
{
    *out = NULL;
    *count = 0;
    mdl_run_task *t = mdl_calloc(ctx, set->count + 1, sizeof *t);
    if (t == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory planning a run");
    int rc = MDL_OK;
    for (size_t i = 0; rc == MDL_OK && i < set->count; i++) {
        t[i].contract = set->items[i];
        t[i].table = set->items[i]->table;
        t[i].is_ingest = set->items[i]->has_source;
        if (!t[i].is_ingest)
            rc = mdl_model_sources(ctx, set->items[i], models_root, &t[i].sources,
                                   &t[i].num_sources, err);
    }
    /* edges: a task depends on the tasks of the tables it reads, and (unless that makes a
     * cycle) of the tables its relationship and reconcile checks look into, so that a check
     * sees this run's data rather than a missing or stale table */
    for (size_t i = 0; rc == MDL_OK && i < set->count; i++) {
        t[i].deps = mdl_calloc(ctx, set->count + 1, sizeof *t[i].deps);
        if (t[i].deps == NULL)
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory planning a run");
    }
    if (rc == MDL_OK)
        rc = order(ctx, t, set->count, true, err);
    if (rc == MDL_ERR_SCHEMA)
        rc = order(ctx, t, set->count, false, err);
    if (rc != MDL_OK) {
        mdl_run__plan_free(ctx, t, set->count);
        return rc;
    }
    *out = t;
    *count = set->count;
    return MDL_OK;
}

void mdl_run__plan_free(mdl_ctx *ctx, mdl_run_task *t, size_t n)
{
    for (size_t i = 0; t != NULL && i < n; i++) {
        mdl_free(ctx, t[i].sources);
        mdl_free(ctx, t[i].deps);
    }
    mdl_free(ctx, t);
}

/* ---- selection ------------------------------------------------------------------------------ */

/* Does one selector name task i: "layer.table", "table", "layer", "tag:NAME"? */
static bool names(const mdl_run_task *t, const char *sel, size_t len)
{
    const mdl_contract *c = t->contract;
    if (len > 4 && strncmp(sel, "tag:", 4) == 0) {
        for (size_t k = 0; k < c->num_tags; k++)
            if (strlen(c->tags[k]) == len - 4 && strncmp(c->tags[k], sel + 4, len - 4) == 0)
                return true;
        return false;
    }
    if (strlen(c->table) == len && strncmp(c->table, sel, len) == 0)
        return true;
    if (strlen(c->name) == len && strncmp(c->name, sel, len) == 0)
        return true;
    return strlen(c->layer) == len && strncmp(c->layer, sel, len) == 0;
}

static void mark_up(mdl_run_task *t, size_t i, bool *mark)
{
    for (size_t k = 0; k < t[i].num_deps; k++)
        if (!mark[t[i].deps[k]]) {
            mark[t[i].deps[k]] = true;
            mark_up(t, t[i].deps[k], mark);
        }
}

static void mark_down(mdl_run_task *t, size_t n, size_t i, bool *mark)
{
    for (size_t d = 0; d < n; d++)
        for (size_t k = 0; k < t[d].num_deps; k++)
            if (t[d].deps[k] == i && !mark[d]) {
                mark[d] = true;
                mark_down(t, n, d, mark);
            }
}

/* Marks the tasks a list of selectors names, with '+' before (upstream) or after (downstream). */
static int select_tasks(mdl_run_task *t, size_t n, const char *const *sel, size_t num, bool *mark,
                        mdl_error *err)
{
    for (size_t s = 0; s < num; s++) {
        const char *x = sel[s];
        size_t len = strlen(x);
        bool up = len > 0 && x[0] == '+', down = len > 1 && x[len - 1] == '+';
        const char *name = x + up;
        size_t nlen = len - up - down;
        bool any = false;
        for (size_t i = 0; i < n; i++) {
            if (!names(&t[i], name, nlen))
                continue;
            any = mark[i] = true;
            if (up)
                mark_up(t, i, mark);
            if (down)
                mark_down(t, n, i, mark);
        }
        if (!any)
            return mdl_error_set(err, MDL_ERR_NOT_FOUND,
                                 "'%s' names no table, layer or tag of the project (a table is "
                                 "layer.name or name; a tag is tag:NAME; + before or after adds "
                                 "the upstream or downstream tables)",
                                 x);
    }
    return MDL_OK;
}

int mdl_run__select(mdl_run_task *t, size_t n, const mdl_run_options *o, mdl_error *err)
{
    bool *in = calloc(n + 1, sizeof *in), *out = calloc(n + 1, sizeof *out);
    int rc = in && out ? MDL_OK : mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    if (rc == MDL_OK && o->num_select > 0)
        rc = select_tasks(t, n, o->select, o->num_select, in, err);
    else if (rc == MDL_OK)
        memset(in, 1, n * sizeof *in);
    if (rc == MDL_OK && o->num_exclude > 0)
        rc = select_tasks(t, n, o->exclude, o->num_exclude, out, err);
    for (size_t i = 0; rc == MDL_OK && i < n; i++)
        t[i].status = in[i] && !out[i] ? MDL_TASK_PENDING : MDL_TASK_NOT_SELECTED;
    free(in);
    free(out);
    return rc;
}

/* ---- running ------------------------------------------------------------------------------- */

static int64_t now_us(void)
{
    return mdl_now_micros();
}

/* The child: one attempt of one task. Never returns. */
static void child_main(const mdl_run_options *o, mdl_run_task *t, int attempt, int fd)
{
    child_report r;
    memset(&r, 0, sizeof r);
    r.version = -1;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_error err = {0, ""};
    int inj = o->inject ? o->inject(o->inject_user, t->table, attempt) : MDL_OK;
    if (inj != MDL_OK) {
        r.rc = mdl_error_set(&err, inj, "injected failure of %s, attempt %d (test hook)", t->table,
                             attempt);
    } else if (t->is_ingest) {
        mdl_ingest_options io;
        mdl_ingest_options_init(&io);
        io.landing_root = o->landing_root;
        io.lake_root = o->lake_root;
        io.batch_id = o->run_id;
        io.dq_run_id = o->run_id;
        if (o->run_date != INT32_MIN)
            io.ingest_date = o->run_date;
        mdl_ingest_result ir;
        r.rc = mdl_ingest_table(&ctx, t->contract, &io, &ir, &err);
        r.checks_failed = (int)ir.checks_failed;
        r.checks_warned = (int)ir.checks_warned;
        r.rows_in = ir.rows_read;
        r.rows_out = ir.rows_written;
        r.rows_quarantined = ir.rows_quarantined;
        r.version = ir.version;
        r.up_to_date = r.rc == MDL_OK && ir.files_ingested == 0;
    } else {
        mdl_build_options bo;
        mdl_build_options_init(&bo);
        bo.lake_root = o->lake_root;
        bo.models_root = o->models_root;
        bo.pii_key = o->pii_key;
        bo.pii_key_len = o->pii_key ? strlen(o->pii_key) : 0;
        bo.memory_bytes = o->memory_bytes;
        if (o->run_date != INT32_MIN)
            bo.now_us = (int64_t)o->run_date * INT64_C(86400000000);
        mdl_build_result br;
        r.rc = mdl_build_model(&ctx, t->contract, &bo, &br, &err);
        r.rows_out = br.rows_written;
        r.version = br.version;
        r.up_to_date = br.up_to_date;
        if (br.checked) {
            r.checks_failed = (int)br.quality.failed;
            r.checks_warned = (int)br.quality.warned;
            mdl_error rerr;
            /* the check results of this attempt, published or not */
            mdl_quality_record(&ctx, o->lake_root, o->run_id, &br.quality, br.published, &rerr);
        }
        mdl_quality_report_free(&br.quality);
    }
    if (r.rc != MDL_OK)
        snprintf(r.error, sizeof r.error, "%s", err.message);
    ssize_t w = write(fd, &r, sizeof r);
    close(fd);
    _exit(w == (ssize_t)sizeof r ? 0 : 1);
}

typedef struct slot {
    pid_t pid;
    int fd;
    size_t task;
    int64_t started, deadline;
} slot;

static void emit(const mdl_run_options *o, const mdl_run_task *t, const char *what, int attempt)
{
    if (o->on_event != NULL)
        o->on_event(o->event_user, t, what, attempt);
}

/* Backoff before attempt `attempt` (2, 3, ...): base * 2^(attempt-2), capped, full jitter. */
static int64_t backoff_us(const mdl_run_options *o, int attempt)
{
    int64_t ms = o->retry_base_ms;
    for (int i = 2; i < attempt && ms < o->retry_max_ms; i++)
        ms *= 2;
    if (ms > o->retry_max_ms)
        ms = o->retry_max_ms;
    mdl_uuid u;
    uint64_t r = 0;
    mdl_uuid_v4(&u, NULL);
    memcpy(&r, u.bytes, sizeof r);
    return ms > 0 ? (int64_t)(r % (uint64_t)(ms * 1000)) + ms * 500 : 0;
}

/* Sets the children's outcome into the task; decides retry or final status. */
static void settle(const mdl_run_options *o, mdl_run_task *t, const child_report *r, bool got,
                   int status, bool timed_out)
{
    t->ended_us = now_us();
    if (!got) {
        t->version = -1; /* unknown: whatever the child committed, it did not say */
        t->rc = timed_out ? MDL_ERR_CANCELLED : MDL_ERR_IO;
        snprintf(t->error, sizeof t->error, "%s",
                 timed_out ? "timed out (the task ran longer than run.task_timeout and was "
                             "stopped)"
                           : "the task's process ended without a result");
        if (!timed_out && WIFSIGNALED(status))
            snprintf(t->error, sizeof t->error,
                     "the task's process was killed by signal %d without a result",
                     WTERMSIG(status));
    } else {
        t->rc = r->rc;
        snprintf(t->error, sizeof t->error, "%s", r->error);
        t->rows_in = r->rows_in;
        t->rows_out = r->rows_out;
        t->rows_quarantined = r->rows_quarantined;
        t->version = r->version;
        t->checks_failed = r->checks_failed;
        t->checks_warned = r->checks_warned;
        t->up_to_date = r->up_to_date;
    }
    if (t->rc == MDL_OK) {
        t->status = t->up_to_date ? MDL_TASK_UP_TO_DATE : MDL_TASK_SUCCESS;
        return;
    }
    /* a retry, or the end */
    if ((transient(t->rc) || (!got && !timed_out)) && t->attempts < o->max_attempts) {
        t->retry_at = now_us() + backoff_us(o, t->attempts + 1);
        t->status = MDL_TASK_PENDING;
        return;
    }
    t->status = t->rc == MDL_ERR_QUALITY ? MDL_TASK_QUALITY_FAILED : MDL_TASK_FAILED;
}

int mdl_run__execute(mdl_run_task *t, size_t n, const mdl_run_options *o, mdl_error *err)
{
    int par = o->parallelism > 0 ? o->parallelism : 1;
    slot *slots = calloc((size_t)par, sizeof *slots);
    if (slots == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory running tasks");
    for (int s = 0; s < par; s++)
        slots[s].pid = 0;
    bool *running = calloc(n + 1, sizeof *running);
    if (running == NULL) {
        free(slots);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory running tasks");
    }
    for (;;) {
        /* skip what cannot run any more */
        bool changed = true;
        while (changed) {
            changed = false;
            for (size_t i = 0; i < n; i++) {
                if (t[i].status != MDL_TASK_PENDING || running[i])
                    continue;
                for (size_t k = 0; k < t[i].num_deps; k++) {
                    mdl_task_status ds = t[t[i].deps[k]].status;
                    if (ds == MDL_TASK_FAILED || ds == MDL_TASK_QUALITY_FAILED ||
                        ds == MDL_TASK_SKIPPED) {
                        t[i].status = MDL_TASK_SKIPPED;
                        snprintf(t[i].error, sizeof t[i].error, "skipped: upstream %s %s",
                                 t[t[i].deps[k]].table,
                                 ds == MDL_TASK_SKIPPED ? "was skipped" : "failed");
                        emit(o, &t[i], "skipped", 0);
                        changed = true;
                        break;
                    }
                }
            }
        }
        /* start ready tasks in free slots, in DAG level order */
        int64_t now = now_us();
        for (int s = 0; s < par; s++) {
            if (slots[s].pid != 0)
                continue;
            size_t pick = n;
            for (size_t i = 0; i < n; i++) {
                if (t[i].status != MDL_TASK_PENDING || running[i] || t[i].retry_at > now)
                    continue;
                bool ready = true;
                for (size_t k = 0; ready && k < t[i].num_deps; k++) {
                    mdl_task_status ds = t[t[i].deps[k]].status;
                    ready = ds == MDL_TASK_SUCCESS || ds == MDL_TASK_UP_TO_DATE ||
                            ds == MDL_TASK_NOT_SELECTED;
                }
                if (ready && (pick == n || t[i].level < t[pick].level))
                    pick = i;
            }
            if (pick == n)
                break;
            int fds[2];
            if (pipe(fds) != 0) {
                free(slots);
                free(running);
                return mdl_error_set(err, MDL_ERR_IO, "cannot create a pipe: %s", strerror(errno));
            }
            mdl_run_task *x = &t[pick];
            x->attempts++;
            if (x->attempts == 1)
                x->started_us = now;
            emit(o, x, x->attempts == 1 ? "started" : "retrying", x->attempts);
            fflush(NULL); /* nothing buffered is written twice by the child */
            pid_t pid = fork();
            if (pid < 0) {
                close(fds[0]);
                close(fds[1]);
                free(slots);
                free(running);
                return mdl_error_set(err, MDL_ERR_IO, "cannot start a task process: %s",
                                     strerror(errno));
            }
            if (pid == 0) {
                close(fds[0]);
                for (int k = 0; k < par; k++)
                    if (slots[k].pid != 0)
                        close(slots[k].fd);
                child_main(o, x, x->attempts, fds[1]);
            }
            close(fds[1]);
            slots[s] = (slot){pid, fds[0], pick, now,
                              o->task_timeout_ms > 0 ? now + o->task_timeout_ms * 1000 : 0};
            running[pick] = true;
        }
        /* collect */
        bool any_running = false;
        for (int s = 0; s < par; s++) {
            if (slots[s].pid == 0)
                continue;
            any_running = true;
            int status = 0;
            bool timed_out = false;
            pid_t w = waitpid(slots[s].pid, &status, WNOHANG);
            if (w == 0 && slots[s].deadline && now_us() > slots[s].deadline) {
                kill(slots[s].pid, SIGKILL);
                waitpid(slots[s].pid, &status, 0);
                timed_out = true;
                w = slots[s].pid;
            }
            if (w == 0)
                continue;
            child_report r;
            ssize_t got = timed_out ? 0 : read(slots[s].fd, &r, sizeof r);
            close(slots[s].fd);
            mdl_run_task *x = &t[slots[s].task];
            running[slots[s].task] = false;
            slots[s].pid = 0;
            settle(o, x, &r, got == (ssize_t)sizeof r, status, timed_out);
            emit(o, x, x->status == MDL_TASK_PENDING ? "attempt_failed" : "finished", x->attempts);
        }
        bool pending = false;
        for (size_t i = 0; i < n; i++)
            pending |= t[i].status == MDL_TASK_PENDING;
        if (!pending && !any_running)
            break;
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    free(slots);
    free(running);
    return MDL_OK;
}

/* ---- alerts --------------------------------------------------------------------------------- */

void mdl_run__alert(const mdl_run_options *o, const char *event, const char *severity,
                    const mdl_run_task *t, const char *summary, const char *details)
{
    for (size_t i = 0; i < o->num_channels; i++) {
        const mdl_run_channel *ch = &o->channels[i];
        bool wanted = false;
        for (size_t k = 0; k < ch->num_on; k++)
            wanted |= strcmp(ch->on[k], event) == 0;
        if (!wanted)
            continue;
        mdl_alert a = {event,
                       severity,
                       o->project,
                       o->env,
                       o->run_id,
                       t ? t->table : NULL,
                       t ? t->table : NULL,
                       summary,
                       details,
                       0};
        mdl_ctx ctx;
        mdl_ctx_init(&ctx);
        mdl_error err = {0, ""};
        int rc = mdl_alert_send(&ctx, &ch->channel, &a, &err);
        if (o->on_alert != NULL)
            o->on_alert(o->event_user, ch->channel.name, event, rc, err.message);
    }
}
