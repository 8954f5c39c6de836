/*
 * medallion/quality.h - data quality checks (docs/quality.md): the checks a table's contract
 * declares, run as SQL over the table — the committed one, or a staged write's preview so
 * that nothing that fails an error-severity check is ever published — with a result per
 * check (status, failing rows, a sample of failing keys), and the `_medallion/dq_results`
 * Delta table they are recorded in.
 */
#ifndef MEDALLION_QUALITY_H
#define MEDALLION_QUALITY_H

#include "medallion/contract.h"
#include "medallion/sql.h"
#include "medallion/table.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mdl_check_status {
    MDL_CHECK_PASS = 0, /* within its threshold */
    MDL_CHECK_WARN,     /* a `warn` check over its threshold: recorded, nothing blocked */
    MDL_CHECK_FAIL,     /* an `error` check over its threshold: the write is not published */
    MDL_CHECK_ERROR     /* the check could not run (its SQL failed, a table is missing);
                           counts as a failure of its severity */
} mdl_check_status;

MDL_API const char *mdl_check_status_name(mdl_check_status s); /* "pass", "warn", ... */

typedef struct mdl_check_result {
    char *name;     /* "not_null(order_id)", "unique(order_id, updated_at)", "row_count" */
    char *kind;     /* the contract's check kind */
    char *column;   /* or NULL */
    char *severity; /* "error" or "warn" */
    mdl_check_status status;
    int64_t failing; /* failing rows (row checks), or failing groups (reconcile); -1: n/a */
    int64_t total;   /* rows checked */
    char *message;   /* what was found, in a sentence */
    char *sample;    /* up to 5 failing keys, ", "-separated, or NULL */
} mdl_check_result;

typedef struct mdl_quality_report {
    mdl_ctx *ctx;
    char *table;     /* layer.name */
    int64_t version; /* the version checked (a preview: the version it follows) */
    mdl_check_result *results;
    size_t count;
    size_t failed; /* FAIL, and ERROR of error severity */
    size_t warned; /* WARN, and ERROR of warn severity */
} mdl_quality_report;

typedef struct mdl_quality_options {
    const char *lake_root;    /* other tables (relationships, reconciliations) (default "lake") */
    mdl_table *table;         /* the data to check (borrowed; a preview), or NULL: the committed
                                 table at <lake>/<layer>/<name> */
    int64_t previous_rows;    /* the table's rows before this write, for row_count max_change
                                 (-1: unknown, the change is not checked) */
    int64_t now_us;           /* for freshness (0: now) */
    int64_t rows_read;        /* ingest: the delivery's source rows, how many of them went */
    int64_t rows_quarantined; /* to quarantine, and the table's rows before it, for the */
    int64_t committed_rows;   /* quarantined check while `table` holds only the delivery
                                 (mdl_table_writer_stage_new); -1: not an ingest, the
                                 quarantine.<name> table is counted against `table` */
    int64_t quarantine_rows;  /* the committed rows of quarantine.<name> when the caller
                                 knows them (-1: counted with SQL) */
    size_t memory_bytes;      /* per SQL operator (0: the ctx limit) */
} mdl_quality_options;

MDL_API void mdl_quality_options_init(mdl_quality_options *o);

/**
 * Runs every check of the contract over the table and fills `out` (free it with
 * mdl_quality_report_free, also on failure). A check that cannot run is a result with status
 * ERROR, not a failure of this call; the return value is MDL_OK unless the report itself
 * cannot be made (memory, the table cannot be opened).
 */
MDL_API int mdl_quality_run(mdl_ctx *ctx, const mdl_contract *contract,
                            const mdl_quality_options *opts, mdl_quality_report *out,
                            mdl_error *err);
MDL_API void mdl_quality_report_free(mdl_quality_report *r);
/** "2 checks failed: unique(order_id) 3 rows; row_count ..." for error messages. */
MDL_API int mdl_quality_summary(const mdl_quality_report *r, mdl_buf *out, mdl_error *err);
/**
 * The error of a write its failed checks stopped: sets MDL_ERR_QUALITY with the summary and
 * then `outcome` ("nothing was published, ..."), and returns MDL_ERR_QUALITY.
 */
MDL_API int mdl_quality_error(const mdl_quality_report *r, const char *outcome, mdl_error *err);

/**
 * Appends the report's results to the `<lake>/_medallion/dq_results` Delta table (created on
 * first use): run_id, checked_at, table, table_version, check, kind, column, severity, status,
 * failing_rows, total_rows, message, sample, published (whether the write was committed).
 */
MDL_API int mdl_quality_record(mdl_ctx *ctx, const char *lake_root, const char *run_id,
                               const mdl_quality_report *r, bool published, mdl_error *err);

#ifdef __cplusplus
}
#endif

#endif /* MEDALLION_QUALITY_H */
