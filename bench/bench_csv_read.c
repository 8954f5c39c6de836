/*
 * bench_csv_read.c - medallion's side of the CSV parse+cast benchmark (bench/run.sh).
 *
 *   mdl_bench_csv FILE.csv
 *
 * Reads an orders CSV (bench/gen_orders.c) through the public CSV reader with an explicit
 * schema, the same work DuckDB does in bench/duckdb_csv.mjs: every field is parsed and cast,
 * nothing is written. Each batch is touched (sums and counts over every column, so the
 * compiler cannot drop the work) and freed at once, so memory stays bounded by one batch.
 * Prints one JSON line on stdout:
 *
 *   {"rows":N,"rejected":N,"bytes":N,"seconds":S,"rows_per_s":R,"mb_per_s":M,
 *    "peak_rss_kib":K,"checksum":{...}}
 *
 * seconds is the wall time from opening the reader to the last batch (CLOCK_MONOTONIC);
 * bytes is the file size and MB is 10^6 bytes, as in the DuckDB reference figures;
 * peak_rss_kib is getrusage's ru_maxrss. checksum.sum_quantity and checksum.sum_unit_price
 * are comparable with DuckDB's sum(quantity) and sum(unit_price). Errors go to stderr and
 * the exit status is 1 (2 for usage). The library itself never prints; this program may.
 */
#define _POSIX_C_SOURCE 200809L

#include <medallion/medallion.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

static const char ORDERS_SCHEMA[] =
    "order_id string, customer_id string, product_id string, order_date date, "
    "order_ts timestamp, quantity int32, unit_price decimal(12,2), currency string, "
    "status string, country string, email string";

/* How many rejects are shown on stderr; the rest are only counted. */
#define SHOW_REJECTS 5

typedef struct reject_counter {
    uint64_t count;
} reject_counter;

static int count_reject(void *payload, const mdl_reject *reject)
{
    reject_counter *rc = payload;
    if (rc->count < SHOW_REJECTS) {
        char line[1024];
        mdl_reject_format(reject, line, sizeof line);
        fprintf(stderr, "mdl_bench_csv: rejected: %s\n", line);
    }
    rc->count++;
    return MDL_OK;
}

/* What the loop computes from the data; printed so the work cannot be optimised away. */
typedef struct checksum {
    int64_t sum_quantity;
    mdl_i128 sum_unit_price; /* unscaled, 2 decimals */
    int64_t sum_order_date;  /* days */
    uint64_t mix_order_ts;   /* wrapping sum of microseconds */
    uint64_t nonnull_order_ts;
    uint64_t string_bytes; /* total length of all string values */
    uint64_t string_mix;   /* wrapping sum of first bytes, weighted by column */
    uint64_t nulls;
} checksum;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void touch_batch(const mdl_batch *batch, checksum *cs)
{
    size_t n = batch->num_rows;
    for (size_t c = 0; c < batch->schema->num_fields; c++) {
        const mdl_column *col = &batch->columns[c];
        cs->nulls += col->null_count;
        switch (col->type.id) {
        case MDL_TYPE_STRING: {
            const int64_t *off = col->values;
            for (size_t i = 0; i < n; i++) {
                if (off[i + 1] > off[i])
                    cs->string_mix += (uint64_t)(unsigned char)col->data[off[i]] * (c + 1);
            }
            cs->string_bytes += (uint64_t)(off[n] - off[0]);
            break;
        }
        case MDL_TYPE_INT32:
            for (size_t i = 0; i < n; i++)
                cs->sum_quantity += mdl_column_i32(col, i); /* nulls are stored as 0 */
            break;
        case MDL_TYPE_DATE: {
            const int32_t *v = col->values;
            for (size_t i = 0; i < n; i++)
                cs->sum_order_date += v[i];
            break;
        }
        case MDL_TYPE_TIMESTAMP:
            for (size_t i = 0; i < n; i++) {
                cs->mix_order_ts += (uint64_t)mdl_column_i64(col, i);
                cs->nonnull_order_ts += !mdl_column_is_null(col, i);
            }
            break;
        case MDL_TYPE_DECIMAL:
            if (col->type.precision <= MDL_DECIMAL64_MAX_PRECISION) {
                int64_t sum = 0;
                for (size_t i = 0; i < n; i++)
                    sum += mdl_column_i64(col, i);
                cs->sum_unit_price += sum;
            } else {
                for (size_t i = 0; i < n; i++)
                    cs->sum_unit_price += mdl_column_decimal(col, i);
            }
            break;
        default:
            break;
        }
    }
}

int main(int argc, char **argv)
{
    mdl_ctx ctx;
    mdl_error err = {0};
    mdl_schema *schema = NULL;
    mdl_csv_reader *reader = NULL;
    reject_counter rejects = {0};
    checksum cs;
    uint64_t rows = 0;
    int rc = 1;

    if (argc != 2) {
        fputs("usage: mdl_bench_csv FILE.csv\n", stderr);
        return 2;
    }
    const char *path = argv[1];
    memset(&cs, 0, sizeof cs);
    mdl_ctx_init(&ctx);

    struct stat st;
    if (stat(path, &st) != 0) {
        perror(path);
        return 1;
    }

    if (mdl_schema_parse(&ctx, ORDERS_SCHEMA, &schema, &err) != MDL_OK) {
        fprintf(stderr, "mdl_bench_csv: schema: %s\n", err.message);
        goto cleanup;
    }
    mdl_csv_options opts;
    mdl_csv_options_init(&opts);
    opts.on_reject = count_reject;
    opts.reject_payload = &rejects;

    double t0 = now_seconds();
    if (mdl_csv_reader_open_file(&ctx, path, schema, &opts, &reader, &err) != MDL_OK) {
        fprintf(stderr, "mdl_bench_csv: %s\n", err.message);
        goto cleanup;
    }
    for (;;) {
        mdl_batch *batch = NULL;
        if (mdl_csv_reader_next(reader, &batch, &err) != MDL_OK) {
            fprintf(stderr, "mdl_bench_csv: %s\n", err.message);
            goto cleanup;
        }
        if (batch == NULL)
            break;
        rows += batch->num_rows;
        touch_batch(batch, &cs);
        mdl_batch_free(batch);
    }
    double seconds = now_seconds() - t0;

    mdl_read_stats stats;
    mdl_csv_reader_stats(reader, &stats);
    if (stats.rows_rejected != rejects.count || stats.rows_read != rows + rejects.count)
        fprintf(stderr,
                "mdl_bench_csv: warning: reader stats (read %" PRIu64 ", rejected %" PRIu64
                ") disagree with the batches (%" PRIu64 " rows) and callbacks (%" PRIu64 ")\n",
                stats.rows_read, stats.rows_rejected, rows, rejects.count);

    struct rusage ru;
    long peak_rss_kib = getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
    double bytes = (double)st.st_size;
    double safe = seconds > 0 ? seconds : 1e-9;
    char price[64];
    mdl_decimal_format(cs.sum_unit_price, 2, price, sizeof price);

    printf("{\"rows\":%" PRIu64 ",\"rejected\":%" PRIu64 ",\"bytes\":%lld,\"seconds\":%.6f,"
           "\"rows_per_s\":%.0f,\"mb_per_s\":%.1f,\"peak_rss_kib\":%ld,"
           "\"checksum\":{\"sum_quantity\":%" PRId64 ",\"sum_unit_price\":\"%s\","
           "\"sum_order_date\":%" PRId64 ",\"nonnull_order_ts\":%" PRIu64 ","
           "\"mix_order_ts\":%" PRIu64 ",\"string_bytes\":%" PRIu64 ",\"string_mix\":%" PRIu64
           ",\"nulls\":%" PRIu64 "}}\n",
           rows, rejects.count, (long long)st.st_size, seconds, (double)rows / safe,
           bytes / 1e6 / safe, peak_rss_kib, cs.sum_quantity, price, cs.sum_order_date,
           cs.nonnull_order_ts, cs.mix_order_ts, cs.string_bytes, cs.string_mix, cs.nulls);
    rc = fflush(stdout) == 0 ? 0 : 1;

cleanup:
    if (reader != NULL)
        mdl_csv_reader_free(reader);
    mdl_schema_release(schema);
    return rc;
}
