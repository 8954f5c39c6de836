/*
 * medallion/contract.h - table contracts: one YAML file per table (../docs/contracts.md) that
 * says what the table is — columns with types, nullability, descriptions and PII tags, keys,
 * partitioning, schema mode, checks and, for bronze tables, where the data comes from. The
 * engine derives ingestion, validation, masking, docs and the DAG from them.
 */
#ifndef MEDALLION_CONTRACT_H
#define MEDALLION_CONTRACT_H

#include "medallion/core.h"
#include "medallion/format.h"

#ifdef __cplusplus
extern "C" {
#endif

/** How a column's value is protected (the `pii:` tag). */
typedef enum mdl_pii {
    MDL_PII_NONE = 0,   /* not personal data */
    MDL_PII_KEEP,       /* personal, kept as is in bronze (masked downstream) — `pii: keep` */
    MDL_PII_HASH,       /* keyed HMAC-SHA-256 (joins still work) */
    MDL_PII_REDACT,     /* replaced by a fixed marker */
    MDL_PII_MASK_EMAIL, /* j***@example.com */
    MDL_PII_LAST4       /* all but the last four characters masked */
} mdl_pii;

/** What happens to a column the source has and the contract does not. */
typedef enum mdl_schema_mode {
    MDL_SCHEMA_FREEZE = 0, /* the run fails, naming the new columns */
    MDL_SCHEMA_EVOLVE,     /* the column is added to the table (a metaData commit) */
    MDL_SCHEMA_DISCARD_ROW,
    MDL_SCHEMA_DISCARD_VALUE
} mdl_schema_mode;

/**
 * One check. `kind` is one of not_null, unique, accepted_values, range, regex, relationship,
 * row_count, freshness, sql, reconcile. Its parameters are kept as given, by name (e.g. range:
 * "min" → "0"); accepted_values' list is in `values`; relationship's target
 * ("silver.customers.customer_id") is the parameter "to". A column check has `column` set;
 * unique on several columns lists them in `values` with `column` NULL.
 */
typedef struct mdl_contract_check {
    char *kind;
    char *column;    /* NULL for a table-level check */
    char *severity;  /* "error" (default) or "warn" */
    char *threshold; /* failing rows allowed, as given ("0", "10", "0.5%"), or NULL */
    char *label;     /* the check's `name:` (snake_case), shown instead of the derived one */
    mdl_key_value *params;
    size_t num_params;
    char **values;
    size_t num_values;
    int line; /* where it is written, for messages */
} mdl_contract_check;

typedef struct mdl_contract_column {
    char *name;        /* the column in the table */
    char *source_name; /* the field in the source (CSV header, JSON path); default: name */
    mdl_type type;
    bool nullable; /* default true */
    char *description;
    mdl_pii pii;
    char *format; /* how the source writes dates/timestamps/booleans, or NULL (ISO) */
    int line;
} mdl_contract_column;

/** Where a bronze table's data comes from (`source:`). */
typedef struct mdl_contract_source {
    char *type;       /* "files" (this version); later postgres, snowflake, http, kafka */
    char *connection; /* a named connection in the project config, or NULL */
    char **paths;     /* glob patterns, relative to the landing root ("crm/accounts.csv") */
    size_t num_paths;
    char *format;           /* "csv", "jsonl" or "json" (one document, records at a path) */
    mdl_key_value *options; /* format options as given: delimiter, header, null, records_path */
    size_t num_options;
    char *system; /* the value of _source_system ("crm", "snowflake", ...) */
} mdl_contract_source;

typedef struct mdl_contract {
    char *file;  /* the YAML file it was read from */
    char *table; /* "bronze.crm_accounts": layer.name */
    char *layer; /* "bronze" */
    char *name;  /* "crm_accounts" */
    char *description;
    char *owner;
    char *materialized; /* bronze: "append"; models: table | incremental | scd2 */
    char **unique_key;
    size_t num_unique_key;
    char **partition_by;
    size_t num_partition_by;
    mdl_schema_mode schema_mode;
    mdl_contract_column *columns;
    size_t num_columns;
    mdl_contract_check *checks; /* table checks and column checks, in file order */
    size_t num_checks;
    bool has_source;
    mdl_contract_source source;
    /* materialized: incremental — `incremental: {order_by: COL}`: a merged row replaces the
     * target's row of the same key only when its COL is not older (NULL: always) */
    char *incremental_order_by;
    /* materialized: scd2 — `scd2: {surrogate_key, tracked, valid_from, on_missing}` */
    char *scd2_surrogate_key; /* an int64 column: a stable hash of the key and valid_from */
    char **scd2_tracked;      /* a change in these opens a new version (default: every model
                                 column that is not in the key) */
    size_t num_scd2_tracked;
    char *scd2_valid_from;  /* the model column that dates a new version (NULL: build time) */
    bool scd2_keep_missing; /* on_missing: keep (true) or close (false, the default) */
    char **tags;            /* `tags: [finance, daily]`: for selecting tables in `medallion run` */
    size_t num_tags;
    mdl_ctx *ctx;                 /* the context it was allocated with */
    int table_line, table_column; /* where `table:` is written, for messages */
} mdl_contract;

/**
 * Parses one contract from YAML text; `file` names it in messages. Every error is
 * MDL_ERR_PARSE (bad YAML, anchors, aliases, tags), MDL_ERR_LIMIT (over 1 MiB, nested deeper
 * than 16, too many nodes or columns) or MDL_ERR_SCHEMA (valid YAML, wrong contract) with
 * "FILE:LINE:COLUMN: what", e.g. "crm_accounts.yaml:12:5: unknown key 'nulable' in column
 * 'Id' (did you mean 'nullable'?)" or "...: 'nullable' must be true or false, not 'yes please'".
 */
MDL_API int mdl_contract_parse(mdl_ctx *ctx, const char *file, const char *text, size_t len,
                               mdl_contract **out, mdl_error *err);
/** Reads and parses a contract file. */
MDL_API int mdl_contract_load(mdl_ctx *ctx, const char *path, mdl_contract **out, mdl_error *err);
MDL_API void mdl_contract_free(mdl_contract *c);

/** A set of contracts: every *.yaml under a directory, sorted by table name. */
typedef struct mdl_contract_set {
    mdl_ctx *ctx;
    mdl_contract **items;
    size_t count;
} mdl_contract_set;

/**
 * Loads every `*.yaml` below `dir` (recursively; `dir/<layer>/<name>.yaml`). A file whose
 * `table:` does not match its place (layer folder and file name) is an error, as are two
 * contracts for one table.
 */
MDL_API int mdl_contract_set_load(mdl_ctx *ctx, const char *dir, mdl_contract_set *out,
                                  mdl_error *err);
MDL_API void mdl_contract_set_free(mdl_contract_set *set);
/** The contract of "layer.name", or NULL. */
MDL_API const mdl_contract *mdl_contract_set_find(const mdl_contract_set *set, const char *table);

/** The table schema the contract's columns describe (a new reference). */
MDL_API int mdl_contract_schema(const mdl_contract *c, mdl_schema **out, mdl_error *err);

/** The value of source option `key`, or NULL. */
MDL_API const char *mdl_contract_source_option(const mdl_contract *c, const char *key);

/* ---- PII masking (contract_mask.c) ------------------------------------------------------- */

/**
 * One value masked by rule `how`, appended to `out`: HASH = lowercase hex HMAC-SHA-256 of the
 * bytes under `key` (64 characters); REDACT = "REDACTED"; MASK_EMAIL = the first character of
 * the local part, "***" and "@domain" ("REDACTED" without an '@'); LAST4 = '*' for every
 * character but the last four (all of them when there are four or fewer); NONE/KEEP = as is.
 */
MDL_API int mdl_pii_mask_value(mdl_pii how, const void *key, size_t key_len, const char *s,
                               size_t len, mdl_buf *out, mdl_error *err);
/** MDL_ERR_SCHEMA naming FILE:LINE when a non-string column is tagged for masking. */
MDL_API int mdl_contract_check_masking(const mdl_contract *c, mdl_error *err);
/** True when a column is tagged `pii: hash` (the build then needs a key). */
MDL_API bool mdl_contract_needs_key(const mdl_contract *c);
/**
 * Masks, in place, column i of `b` by rules[i] (i < n): the string columns tagged hash,
 * redact, mask_email or last4. NULLs stay NULL. A masked non-string column is MDL_ERR_SCHEMA;
 * HASH without a key MDL_ERR_INVALID_ARG.
 */
MDL_API int mdl_pii_mask_batch(const mdl_pii *rules, size_t n, const void *key, size_t key_len,
                               mdl_batch *b, mdl_error *err);

/**
 * The Markdown page for docs/schemas/<layer>.<name>.md: description, owner, materialization,
 * keys, partitioning, schema mode, source, columns (name, type, nullable, PII, description),
 * the metadata columns bronze adds, checks, and lineage (upstream: the source or the tables
 * the model reads — `upstream`; downstream: the tables that read it). Appended to `out`.
 * Deterministic: the committed pages are compared with it by a test.
 */
MDL_API int mdl_contract_doc(const mdl_contract *c, const char *const *upstream,
                             size_t num_upstream, const char *const *downstream,
                             size_t num_downstream, mdl_buf *out, mdl_error *err);

/**
 * The table a check looks into ("silver.customers" of a relationship to
 * silver.customers.customer_id, a reconcile's `with`), copied into buf; false for checks that
 * only read their own table. The pipeline orders a table after the tables its checks read.
 */
MDL_API bool mdl_contract_check_target(const mdl_contract_check *ck, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* MEDALLION_CONTRACT_H */
