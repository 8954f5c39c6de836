/*
 * csv_infer.c - schema inference for CSV files read without a schema: samples the records
 * already buffered and gives each column the narrowest type every sampled value fits
 * (docs/formats/csv.md, "Schema inference").
 */
#include "convert.h"
#include "csv_internal.h"

/* Candidate types for inference, narrowest first. */
enum { C_BOOL, C_INT32, C_INT64, C_DECIMAL, C_DOUBLE, C_DATE, C_TIMESTAMP, C_COUNT };

typedef struct infer_col {
    bool alive[C_COUNT];
    int int_digits, scale;
    bool seen;
} infer_col;

/* Shape of a plain decimal literal; false if it is not one or has a leading zero. */
static bool decimal_shape(const char *s, size_t len, int *int_digits, int *frac_digits)
{
    size_t i = (len && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    size_t a = i;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    size_t ni = i - a, nfr = 0;
    if (ni > 1 && s[a] == '0')
        return false; /* "007" is an identifier, not a number */
    if (i < len && s[i] == '.') {
        size_t f = ++i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        nfr = i - f;
    }
    if (i != len || ni + nfr == 0)
        return false;
    *int_digits = (int)ni;
    *frac_digits = (int)nfr;
    return true;
}

static void infer_value(infer_col *ic, const char *v, size_t len)
{
    ic->seen = true;
    int idig = 0, fdig = 0;
    bool shape = decimal_shape(v, len, &idig, &fdig);
    if (ic->alive[C_BOOL])
        ic->alive[C_BOOL] = mdl_format__text_fits(mdl_type_make(MDL_TYPE_BOOLEAN), v, len);
    if (ic->alive[C_INT32])
        ic->alive[C_INT32] =
            shape && fdig == 0 && mdl_format__text_fits(mdl_type_make(MDL_TYPE_INT32), v, len);
    if (ic->alive[C_INT64])
        ic->alive[C_INT64] =
            shape && fdig == 0 && mdl_format__text_fits(mdl_type_make(MDL_TYPE_INT64), v, len);
    if (ic->alive[C_DECIMAL]) {
        ic->alive[C_DECIMAL] = shape && idig + fdig <= 38 && fdig <= 18;
        if (shape) {
            ic->int_digits = idig > ic->int_digits ? idig : ic->int_digits;
            ic->scale = fdig > ic->scale ? fdig : ic->scale;
        }
    }
    size_t sgn = (len && (v[0] == '-' || v[0] == '+')) ? 1 : 0;
    if (len > sgn + 1 && v[sgn] == '0' && v[sgn + 1] >= '0' && v[sgn + 1] <= '9')
        ic->alive[C_DOUBLE] = false; /* "007": keep identifiers with leading zeros as text */
    if (ic->alive[C_DOUBLE])
        ic->alive[C_DOUBLE] = mdl_format__text_fits(mdl_type_make(MDL_TYPE_DOUBLE), v, len);
    if (ic->alive[C_DATE])
        ic->alive[C_DATE] = mdl_format__text_fits(mdl_type_make(MDL_TYPE_DATE), v, len);
    if (ic->alive[C_TIMESTAMP])
        ic->alive[C_TIMESTAMP] = mdl_format__text_fits(mdl_type_make(MDL_TYPE_TIMESTAMP), v, len);
}

static mdl_type infer_pick(const infer_col *ic)
{
    if (!ic->seen)
        return mdl_type_make(MDL_TYPE_STRING);
    if (ic->alive[C_BOOL])
        return mdl_type_make(MDL_TYPE_BOOLEAN);
    if (ic->alive[C_INT32])
        return mdl_type_make(MDL_TYPE_INT32);
    if (ic->alive[C_INT64])
        return mdl_type_make(MDL_TYPE_INT64);
    if (ic->alive[C_DECIMAL] && ic->int_digits + ic->scale <= 38) {
        int p = ic->int_digits + ic->scale <= MDL_DECIMAL64_MAX_PRECISION ? 18 : 38;
        return mdl_type_decimal(p, ic->scale);
    }
    if (ic->alive[C_DOUBLE])
        return mdl_type_make(MDL_TYPE_DOUBLE);
    if (ic->alive[C_DATE])
        return mdl_type_make(MDL_TYPE_DATE);
    if (ic->alive[C_TIMESTAMP])
        return mdl_type_make(MDL_TYPE_TIMESTAMP);
    return mdl_type_make(MDL_TYPE_STRING);
}

/* Samples the records already buffered (without consuming them) to pick column types. */
int mdl_format__csv_infer_schema(mdl_csv_reader *r, char **names, size_t n, mdl_error *err)
{
    int rc = MDL_OK;
    infer_col *ic = mdl_calloc(r->ctx, n ? n : 1, sizeof *ic);
    mdl_field_def *defs = mdl_calloc(r->ctx, n ? n : 1, sizeof *defs);
    if (ic == NULL || defs == NULL) {
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory inferring a schema");
        goto cleanup;
    }
    for (size_t c = 0; c < n; c++)
        for (int k = 0; k < C_COUNT; k++)
            ic[c].alive[k] = true;
    size_t pos = r->pos;
    for (size_t row = 0; row < r->infer_rows && pos < r->len; row++) {
        rec rr;
        int k = mdl_format__csv_parse_record(r, pos, &rr);
        if (k == REC_MORE || k == REC_ERROR)
            break;
        pos = rr.end;
        if (k == REC_BAD || rr.nf != n)
            continue;
        for (size_t c = 0; c < n; c++) {
            const span *sp = &r->spans[c];
            if (!(sp->flags & SPAN_QUOTED) &&
                mdl_format__csv_is_null(r, r->buf + sp->start, sp->len))
                continue;
            const char *v;
            size_t len;
            rc = mdl_format__csv_field_value(r, sp, &v, &len, err);
            if (rc != MDL_OK)
                goto cleanup;
            infer_value(&ic[c], v, len);
        }
    }
    for (size_t c = 0; c < n; c++) {
        defs[c].name = names[c];
        defs[c].type = infer_pick(&ic[c]);
        defs[c].nullable = true;
    }
    rc = mdl_schema_new(r->ctx, defs, n, &r->schema, err);
    if (rc != MDL_OK)
        mdl_error_prefix(err, "%s: inferring the schema: ", r->in->name);
cleanup:
    mdl_free(r->ctx, ic);
    mdl_free(r->ctx, defs);
    return rc;
}
