/*
 * oracle_dump_csv.c - prints every row medallion's CSV reader produces, in a canonical text
 * form that tests/oracle/duckdb_dump.mjs also produces from DuckDB, so the two engines can
 * be compared value by value: fields joined by '|', NULL as \N, dates as YYYY-MM-DD,
 * timestamps as microseconds since the epoch, decimals with their scale, doubles with %.17g.
 *   oracle_dump_csv FILE.csv "SCHEMA"
 */
#include <stdio.h>
#include <stdlib.h>

#include "medallion/medallion.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s FILE.csv SCHEMA\n", argv[0]);
        return 2;
    }
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_error err;
    mdl_schema *schema;
    if (mdl_schema_parse(&ctx, argv[2], &schema, &err) != MDL_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 2;
    }
    mdl_csv_reader *r;
    if (mdl_csv_reader_open_file(&ctx, argv[1], schema, NULL, &r, &err) != MDL_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    mdl_batch *b;
    int rc;
    while ((rc = mdl_csv_reader_next(r, &b, &err)) == MDL_OK && b != NULL) {
        for (size_t row = 0; row < b->num_rows; row++) {
            for (size_t c = 0; c < schema->num_fields; c++) {
                const mdl_column *col = &b->columns[c];
                char v[4096];
                if (mdl_column_is_null(col, row))
                    snprintf(v, sizeof v, "\\N");
                else if (col->type.id == MDL_TYPE_TIMESTAMP)
                    snprintf(v, sizeof v, "%lld", (long long)mdl_column_i64(col, row));
                else
                    mdl_column_format_value(col, row, v, sizeof v);
                printf("%s%s", c ? "|" : "", v);
            }
            putchar('\n');
        }
        mdl_batch_free(b);
    }
    mdl_csv_reader_free(r);
    mdl_schema_release(schema);
    if (rc != MDL_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    return 0;
}
