/*
 * bench_parquet_write.c - medallion's side of the "parquet write" benchmark (bench/run.sh).
 *
 *   mdl_bench_pqwrite FILE.csv OUT.parquet
 *
 * Measures the Parquet writer alone, the counterpart of DuckDB's `COPY t TO ... (FORMAT
 * parquet, COMPRESSION zstd)` from an in-memory table (bench/duckdb_pqwrite.mjs). First, and
 * untimed, the whole orders CSV is read through the public CSV reader with the benchmark's
 * explicit schema, and every batch is kept in memory. Then the timed part: open OUT with
 * mdl_output_open_file, write every batch with mdl_parquet_writer (zstd, default options)
 * and close it. Prints one JSON line on stdout:
 *
 *   {"rows":N,"seconds":S,"bytes":N,"peak_rss_kib":K,"load_seconds":S,
 *    "load_peak_rss_kib":K,"batches":N}
 *
 * seconds is CLOCK_MONOTONIC from opening the output to the return of
 * mdl_parquet_writer_close, which includes the fsync and rename that make the file durable
 * (mdl_output_open_file always does this; DuckDB's COPY does not fsync). bytes is the size of
 * the Parquet file written; peak_rss_kib is getrusage's ru_maxrss at the end and
 * load_peak_rss_kib the same just before the write starts (the in-memory batches), so their
 * difference is what the writer itself added. load_seconds is the untimed CSV load.
 * Errors go to stderr and the exit status is 1 (2 for usage). bench/run.sh builds this
 * program with a direct `gcc ... -lmedallion` against the release library, not with CMake.
 */
#define _POSIX_C_SOURCE 200809L

#include <medallion/medallion.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* The same schema as `medallion convert ... --schema` in bench/run.sh. */
static const char ORDERS_SCHEMA[] =
    "order_id string not null, customer_id string not null, product_id string not null, "
    "order_date date not null, order_ts timestamp not null, quantity int32 not null, "
    "unit_price decimal(12,2) not null, currency string not null, status string not null, "
    "country string not null, email string";

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long peak_rss_kib(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

int main(int argc, char **argv)
{
    mdl_ctx ctx;
    mdl_error err = {0};
    mdl_schema *schema = NULL;
    mdl_csv_reader *reader = NULL;
    mdl_parquet_writer *writer = NULL;
    mdl_batch **batches = NULL;
    size_t num_batches = 0, cap_batches = 0;
    uint64_t loaded_rows = 0;
    int rc = 1;

    if (argc != 3) {
        fputs("usage: mdl_bench_pqwrite FILE.csv OUT.parquet\n", stderr);
        return 2;
    }
    const char *csv_path = argv[1];
    const char *out_path = argv[2];
    mdl_ctx_init(&ctx);

    if (mdl_schema_parse(&ctx, ORDERS_SCHEMA, &schema, &err) != MDL_OK) {
        fprintf(stderr, "mdl_bench_pqwrite: schema: %s\n", err.message);
        goto cleanup;
    }

    /* ---- untimed: load the whole CSV into memory ---- */
    double t_load = now_seconds();
    mdl_csv_options copts;
    mdl_csv_options_init(&copts); /* no reject callback: a bad row fails the load */
    if (mdl_csv_reader_open_file(&ctx, csv_path, schema, &copts, &reader, &err) != MDL_OK) {
        fprintf(stderr, "mdl_bench_pqwrite: %s\n", err.message);
        goto cleanup;
    }
    for (;;) {
        mdl_batch *batch = NULL;
        if (mdl_csv_reader_next(reader, &batch, &err) != MDL_OK) {
            fprintf(stderr, "mdl_bench_pqwrite: %s\n", err.message);
            goto cleanup;
        }
        if (batch == NULL)
            break;
        if (num_batches == cap_batches) {
            size_t ncap = cap_batches ? cap_batches * 2 : 256;
            mdl_batch **nb = realloc(batches, ncap * sizeof *nb);
            if (nb == NULL) {
                mdl_batch_free(batch);
                fputs("mdl_bench_pqwrite: out of memory\n", stderr);
                goto cleanup;
            }
            batches = nb;
            cap_batches = ncap;
        }
        batches[num_batches++] = batch;
        loaded_rows += batch->num_rows;
    }
    mdl_csv_reader_free(reader);
    reader = NULL;
    double load_seconds = now_seconds() - t_load;
    long load_rss = peak_rss_kib();

    /* ---- timed: the writer alone ---- */
    mdl_parquet_write_options wopts;
    mdl_parquet_write_options_init(&wopts); /* zstd, default level and sizes */
    uint64_t rows = 0, bytes = 0;

    double t0 = now_seconds();
    mdl_output *out = NULL;
    if (mdl_output_open_file(&ctx, out_path, &out, &err) != MDL_OK) {
        fprintf(stderr, "mdl_bench_pqwrite: %s\n", err.message);
        goto cleanup;
    }
    if (mdl_parquet_writer_open(&ctx, out, schema, &wopts, &writer, &err) != MDL_OK) {
        fprintf(stderr, "mdl_bench_pqwrite: %s\n", err.message);
        goto cleanup;
    }
    for (size_t i = 0; i < num_batches; i++) {
        if (mdl_parquet_writer_write(writer, batches[i], &err) != MDL_OK) {
            fprintf(stderr, "mdl_bench_pqwrite: %s\n", err.message);
            goto cleanup;
        }
    }
    int crc = mdl_parquet_writer_close(writer, &rows, &bytes, &err);
    writer = NULL;
    if (crc != MDL_OK) {
        fprintf(stderr, "mdl_bench_pqwrite: %s\n", err.message);
        goto cleanup;
    }
    double seconds = now_seconds() - t0;

    if (rows != loaded_rows) {
        fprintf(stderr,
                "mdl_bench_pqwrite: the writer reports %" PRIu64 " rows, %" PRIu64 " were loaded\n",
                rows, loaded_rows);
        goto cleanup;
    }
    printf("{\"rows\":%" PRIu64 ",\"seconds\":%.6f,\"bytes\":%" PRIu64 ",\"peak_rss_kib\":%ld,"
           "\"load_seconds\":%.6f,\"load_peak_rss_kib\":%ld,\"batches\":%zu}\n",
           rows, seconds, bytes, peak_rss_kib(), load_seconds, load_rss, num_batches);
    rc = fflush(stdout) == 0 ? 0 : 1;

cleanup:
    mdl_parquet_writer_abort(writer);
    if (reader != NULL)
        mdl_csv_reader_free(reader);
    for (size_t i = 0; i < num_batches; i++)
        mdl_batch_free(batches[i]);
    free(batches);
    mdl_schema_release(schema);
    return rc;
}
