/*
 * run_main.c - mdl_run (medallion/pipeline.h, docs/pipeline.md): contracts -> plan ->
 * selection (and, for --resume, what the earlier run finished) -> execution -> alerts and SLAs
 * -> run records. Everything a run did is in its result and in _medallion/runs / task_runs.
 */
#include <stdio.h>
#include <string.h>

#include "pipeline/run_internal.h"

typedef struct resumed {
    mdl_run_task *t;
    size_t n;
    size_t kept;
    bool *seen; /* the task has a row in the resumed run */
} resumed;

static void mark_done(void *user, const char *table, const char *status)
{
    resumed *r = user;
    /* what the resumed run finished, and what it left out (its selection, or what it had
     * carried over from the run it resumed itself): only its failures and skips run again */
    bool done = strcmp(status, "success") == 0 || strcmp(status, "up_to_date") == 0;
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->t[i].table, table) == 0)
            r->seen[i] = true;
    if (!done && strcmp(status, "not_selected") != 0)
        return;
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->t[i].table, table) == 0 && r->t[i].status == MDL_TASK_PENDING) {
            r->t[i].status = MDL_TASK_NOT_SELECTED;
            r->t[i].carried = done;
            snprintf(r->t[i].error, sizeof r->t[i].error, "%s",
                     done ? "done in the resumed run" : "not part of the resumed run");
            r->kept++;
        }
}

/* The SLAs of the run date: a target (layer or table) not finished successfully by its
 * deadline. Only a run for today is measured against the clock; a backfill of an old date
 * is not late. */
static void check_slas(const mdl_run_options *o, mdl_run_result *r)
{
    int64_t day =
        (int64_t)(o->run_date == INT32_MIN ? r->started_us / INT64_C(86400000000) : o->run_date);
    if (day != r->started_us / INT64_C(86400000000))
        return;
    for (size_t s = 0; s < o->num_slas; s++) {
        const mdl_sla_config *sla = &o->slas[s];
        int64_t deadline = day * INT64_C(86400000000) + (int64_t)sla->deadline_minutes * 60000000;
        int64_t last = 0;
        bool missing = false, any = false;
        for (size_t i = 0; i < r->num_tasks; i++) {
            const mdl_run_task *t = &r->tasks[i];
            const mdl_contract *c = t->contract;
            if (strcmp(sla->target, c->table) != 0 && strcmp(sla->target, c->layer) != 0)
                continue;
            if (t->status == MDL_TASK_NOT_SELECTED)
                continue;
            any = true;
            if (t->status != MDL_TASK_SUCCESS && t->status != MDL_TASK_UP_TO_DATE)
                missing = true;
            else if (t->ended_us > last)
                last = t->ended_us;
        }
        if (!any)
            continue;
        int64_t done = missing ? r->ended_us : last;
        if (done <= deadline && !missing)
            continue;
        r->sla_missed++;
        char summary[512], details[512];
        snprintf(summary, sizeof summary, "SLA missed: %s was not done by %02d:%02d UTC",
                 sla->target, sla->deadline_minutes / 60, sla->deadline_minutes % 60);
        snprintf(details, sizeof details,
                 "%s %s; the deadline is %02d:%02d UTC on the run date (%s:%d).", sla->target,
                 missing ? "did not finish successfully in this run"
                         : "finished after the deadline",
                 sla->deadline_minutes / 60, sla->deadline_minutes % 60,
                 sla->file ? sla->file : "config", sla->line);
        mdl_run__alert(o, "sla_missed", "warning", NULL, summary, details);
    }
}

int mdl_run(mdl_ctx *ctx, const mdl_run_options *o, mdl_run_result *out, mdl_error *err)
{
    memset(out, 0, sizeof *out);
    out->ctx = ctx;
    out->status = "failed";
    out->started_us = mdl_now_micros();
    if (o->run_id == NULL || o->lake_root == NULL || o->contracts_dir == NULL)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "a run needs run_id, lake and contracts");
    int rc = mdl_contract_set_load(ctx, o->contracts_dir, &out->set, err);
    if (rc == MDL_OK)
        rc = mdl_run__plan(ctx, &out->set, o->models_root, &out->tasks, &out->num_tasks, err);
    if (rc == MDL_OK)
        rc = mdl_run__select(out->tasks, out->num_tasks, o, err);
    if (rc == MDL_OK && o->resume_run_id != NULL) {
        resumed res = {out->tasks, out->num_tasks, 0, NULL};
        if ((res.seen = mdl_calloc(ctx, out->num_tasks + 1, sizeof *res.seen)) == NULL)
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
        if (rc == MDL_OK)
            rc = mdl_run__previous(ctx, o->lake_root, o->resume_run_id, mark_done, &res, err);
        /* a task the resumed run did not have (not selected then) is not run now either */
        for (size_t i = 0; rc == MDL_OK && i < out->num_tasks; i++)
            if (!res.seen[i] && out->tasks[i].status == MDL_TASK_PENDING) {
                out->tasks[i].status = MDL_TASK_NOT_SELECTED;
                snprintf(out->tasks[i].error, sizeof out->tasks[i].error,
                         "not part of the resumed run");
            }
        mdl_free(ctx, res.seen);
    }
    if (rc != MDL_OK || o->dry_run) {
        out->status = rc == MDL_OK ? "planned" : "failed";
        out->ended_us = mdl_now_micros();
        return rc;
    }
    rc = mdl_run__execute(out->tasks, out->num_tasks, o, err);
    out->ended_us = mdl_now_micros();
    for (size_t i = 0; i < out->num_tasks; i++) {
        const mdl_run_task *t = &out->tasks[i];
        out->succeeded += t->status == MDL_TASK_SUCCESS;
        out->up_to_date += t->status == MDL_TASK_UP_TO_DATE;
        out->failed += t->status == MDL_TASK_FAILED;
        out->quality_failed += t->status == MDL_TASK_QUALITY_FAILED;
        out->skipped += t->status == MDL_TASK_SKIPPED;
        if (t->status == MDL_TASK_FAILED || t->status == MDL_TASK_QUALITY_FAILED) {
            bool q = t->status == MDL_TASK_QUALITY_FAILED;
            char summary[512];
            snprintf(summary, sizeof summary, "%s %s after %d attempt(s)", t->table,
                     q ? "failed its quality checks: nothing was published" : "failed",
                     t->attempts);
            mdl_run__alert(o, q ? "quality_failed" : "task_failed", "error", t, summary, t->error);
        }
    }
    out->status = out->failed ? "failed" : out->quality_failed ? "quality_failed" : "success";
    if (rc == MDL_OK)
        check_slas(o, out);
    int rrc = rc == MDL_OK ? mdl_run__record(ctx, o, out, err) : MDL_OK;
    return rc == MDL_OK ? rrc : rc;
}

void mdl_run_result_free(mdl_run_result *r)
{
    if (r == NULL || r->ctx == NULL)
        return;
    mdl_run__plan_free(r->ctx, r->tasks, r->num_tasks);
    mdl_contract_set_free(&r->set);
    memset(r, 0, sizeof *r);
}
