/*
 * run_internal.h - the pieces of the pipeline driver (run.c: the DAG, selection, execution in
 * child processes, alerts; run_records.c: the _medallion/runs and task_runs tables; run_main.c:
 * mdl_run tying them together).
 */
#ifndef MDL_PIPELINE_RUN_INTERNAL_H
#define MDL_PIPELINE_RUN_INTERNAL_H

#include "medallion/pipeline.h"

/* One task per contract of the set (in its order), with its dependencies and DAG level. */
int mdl_run__plan(mdl_ctx *ctx, const mdl_contract_set *set, const char *models_root,
                  mdl_run_task **out, size_t *count, mdl_error *err);
void mdl_run__plan_free(mdl_ctx *ctx, mdl_run_task *t, size_t n);
/* Sets every task PENDING (selected) or NOT_SELECTED by the options' select/exclude. */
int mdl_run__select(mdl_run_task *t, size_t n, const mdl_run_options *o, mdl_error *err);
/* Runs the PENDING tasks to completion (each ends SUCCESS, UP_TO_DATE, FAILED,
 * QUALITY_FAILED or SKIPPED). Fails only when a process cannot be started. */
int mdl_run__execute(mdl_run_task *t, size_t n, const mdl_run_options *o, mdl_error *err);
/* Sends an alert to every channel that wants the event (task may be NULL). */
void mdl_run__alert(const mdl_run_options *o, const char *event, const char *severity,
                    const mdl_run_task *t, const char *summary, const char *details);
/* Appends the run and its tasks to <lake>/_medallion/runs and task_runs. */
int mdl_run__record(mdl_ctx *ctx, const mdl_run_options *o, const mdl_run_result *r,
                    mdl_error *err);
/* The statuses tasks had in an earlier run (task_runs): calls fn for each table. */
int mdl_run__previous(mdl_ctx *ctx, const char *lake_root, const char *run_id,
                      void (*fn)(void *user, const char *table, const char *status), void *user,
                      mdl_error *err);

#endif
