/*
 * sql_func_date.c - date and time functions: current_date, current_timestamp (one instant per
 * query, taken when the call is bound), date_trunc, date_part (extract) and year, month,
 * day, dayofweek, quarter, hour, minute, second, date_add(date, days), date_diff/datediff
 * ('part', start, end), make_date, strftime. Timestamps are UTC microseconds.
 */
#include <stdio.h>
#include <string.h>

#include "sql/sql_func.h"

enum {
    P_YEAR,
    P_QUARTER,
    P_MONTH,
    P_WEEK,
    P_DAY,
    P_DOW,
    P_DOY,
    P_HOUR,
    P_MINUTE,
    P_SECOND,
    P_NONE
};

static int part_of(mdl_strview s)
{
    static const struct {
        const char *name;
        int part;
    } names[] = {{"year", P_YEAR},       {"years", P_YEAR},    {"y", P_YEAR},
                 {"quarter", P_QUARTER}, {"month", P_MONTH},   {"months", P_MONTH},
                 {"week", P_WEEK},       {"weeks", P_WEEK},    {"day", P_DAY},
                 {"days", P_DAY},        {"d", P_DAY},         {"dayofweek", P_DOW},
                 {"dow", P_DOW},         {"dayofyear", P_DOY}, {"doy", P_DOY},
                 {"hour", P_HOUR},       {"hours", P_HOUR},    {"minute", P_MINUTE},
                 {"minutes", P_MINUTE},  {"second", P_SECOND}, {"seconds", P_SECOND}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (mdl_sv_ieq_cstr(s, names[i].name))
            return names[i].part;
    return P_NONE;
}

typedef struct civil {
    int64_t y;
    unsigned m, d;
    int32_t days;
    int64_t us_of_day;
} civil;

static civil civil_of(const mdl_column *c, size_t r)
{
    civil v;
    if (c->type.id == MDL_TYPE_DATE) {
        v.days = mdl_column_i32(c, r);
        v.us_of_day = 0;
    } else {
        int64_t us = mdl_column_i64(c, r);
        v.days = (int32_t)sql_floor_div(us, SQL_MICROS_PER_DAY);
        v.us_of_day = us - (int64_t)v.days * SQL_MICROS_PER_DAY;
    }
    mdl_civil_from_days(v.days, &v.y, &v.m, &v.d);
    return v;
}

/* 0 = Sunday ... 6 = Saturday (DuckDB's dayofweek; Spark's dayofweek is 1 = Sunday). */
static int dow(int32_t days)
{
    return (int)(((int64_t)days % 7 + 7 + 4) % 7);
}

/* ---- resolvers -------------------------------------------------------------------------- */

static bool is_datetime(const sql_type *a)
{
    return a->null_only || a->t.id == MDL_TYPE_DATE || a->t.id == MDL_TYPE_TIMESTAMP;
}

static int resolve_now(const sql_func_def *def, const sql_type *args, size_t n, mdl_type *result,
                       mdl_type *cast_to, mdl_error *err)
{
    (void)args, (void)n, (void)cast_to, (void)err;
    *result = mdl_type_make(def->op ? MDL_TYPE_TIMESTAMP : MDL_TYPE_DATE);
    return MDL_OK;
}

/* (datetime) -> int64, e.g. year(d); date_part('part', datetime) -> int64. */
static int resolve_part(const sql_func_def *def, const sql_type *args, size_t n, mdl_type *result,
                        mdl_type *cast_to, mdl_error *err)
{
    size_t d = n - 1;
    if (n == 2) {
        if (!args[0].null_only && args[0].t.id != MDL_TYPE_STRING)
            return mdl_sql__arg_error(def, args, n, err);
        cast_to[0] = mdl_type_make(MDL_TYPE_STRING);
    }
    if (!is_datetime(&args[d]))
        return mdl_sql__arg_error(def, args, n, err);
    cast_to[d] = args[d].null_only ? mdl_type_make(MDL_TYPE_DATE) : args[d].t;
    *result = mdl_type_make(MDL_TYPE_INT64);
    return MDL_OK;
}

static int resolve_trunc(const sql_func_def *def, const sql_type *args, size_t n, mdl_type *result,
                         mdl_type *cast_to, mdl_error *err)
{
    int rc = resolve_part(def, args, n, result, cast_to, err);
    cast_to[1] = *result = mdl_type_make(MDL_TYPE_TIMESTAMP);
    return rc;
}

static int resolve_diff(const sql_func_def *def, const sql_type *args, size_t n, mdl_type *result,
                        mdl_type *cast_to, mdl_error *err)
{
    if ((!args[0].null_only && args[0].t.id != MDL_TYPE_STRING) || !is_datetime(&args[1]) ||
        !is_datetime(&args[2]))
        return mdl_sql__arg_error(def, args, n, err);
    bool ts = (!args[1].null_only && args[1].t.id == MDL_TYPE_TIMESTAMP) ||
              (!args[2].null_only && args[2].t.id == MDL_TYPE_TIMESTAMP);
    cast_to[0] = mdl_type_make(MDL_TYPE_STRING);
    cast_to[1] = cast_to[2] = mdl_type_make(ts ? MDL_TYPE_TIMESTAMP : MDL_TYPE_DATE);
    *result = mdl_type_make(MDL_TYPE_INT64);
    return MDL_OK;
}

static int resolve_date_add(const sql_func_def *def, const sql_type *args, size_t n,
                            mdl_type *result, mdl_type *cast_to, mdl_error *err)
{
    if ((!args[0].null_only && args[0].t.id != MDL_TYPE_DATE) ||
        (!args[1].null_only && !sql_is_int(args[1].t.id)))
        return mdl_sql__arg_error(def, args, n, err);
    cast_to[0] = *result = mdl_type_make(MDL_TYPE_DATE);
    cast_to[1] = mdl_type_make(MDL_TYPE_INT64);
    return MDL_OK;
}

static int resolve_make_date(const sql_func_def *def, const sql_type *args, size_t n,
                             mdl_type *result, mdl_type *cast_to, mdl_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (!args[i].null_only && !sql_is_int(args[i].t.id))
            return mdl_sql__arg_error(def, args, n, err);
        cast_to[i] = mdl_type_make(MDL_TYPE_INT64);
    }
    *result = mdl_type_make(MDL_TYPE_DATE);
    return MDL_OK;
}

static int resolve_strftime(const sql_func_def *def, const sql_type *args, size_t n,
                            mdl_type *result, mdl_type *cast_to, mdl_error *err)
{
    if (!is_datetime(&args[0]) || (!args[1].null_only && args[1].t.id != MDL_TYPE_STRING))
        return mdl_sql__arg_error(def, args, n, err);
    cast_to[0] = mdl_type_make(MDL_TYPE_TIMESTAMP);
    cast_to[1] = *result = mdl_type_make(MDL_TYPE_STRING);
    return MDL_OK;
}

/* ---- implementations -------------------------------------------------------------------- */

static int eval_now(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args, size_t n,
                    mdl_column *out, mdl_error *err)
{
    (void)ctx, (void)args, (void)err;
    for (size_t r = 0; r < n; r++) {
        if (out->type.id == MDL_TYPE_DATE)
            ((int32_t *)out->values)[r] =
                (int32_t)sql_floor_div(call->now_micros, SQL_MICROS_PER_DAY);
        else
            ((int64_t *)out->values)[r] = call->now_micros;
    }
    out->length = n;
    return MDL_OK;
}

static int bad_part(const sql_bound *call, mdl_strview p, mdl_error *err)
{
    return mdl_sql__error(call, err, MDL_ERR_UNSUPPORTED, "%s: unknown date part '%.*s'",
                          call->fn->name, (int)(p.len > 40 ? 40 : p.len), p.ptr);
}

static int64_t part_value(int part, const civil *c)
{
    switch (part) {
    case P_YEAR:
        return c->y;
    case P_QUARTER:
        return (c->m - 1) / 3 + 1;
    case P_MONTH:
        return c->m;
    case P_DAY:
        return c->d;
    case P_DOW:
        return dow(c->days);
    case P_DOY:
        return c->days - mdl_days_from_civil(c->y, 1, 1) + 1;
    case P_HOUR:
        return c->us_of_day / 3600000000LL;
    case P_MINUTE:
        return c->us_of_day / 60000000LL % 60;
    case P_SECOND:
        return c->us_of_day / 1000000LL % 60;
    default: {                           /* ISO week */
        int wd = (dow(c->days) + 6) % 7; /* Monday 0 */
        int32_t thursday = c->days - wd + 3;
        civil t;
        mdl_civil_from_days(thursday, &t.y, &t.m, &t.d);
        return (thursday - mdl_days_from_civil(t.y, 1, 1)) / 7 + 1;
    }
    }
}

static int eval_part(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args, size_t n,
                     mdl_column *out, mdl_error *err)
{
    (void)ctx;
    for (size_t r = 0; r < n; r++) {
        int part = sql_def(call)->op;
        if (call->num_args == 2) {
            part = part_of(mdl_column_str(args[0], r));
            if (part == P_NONE)
                return bad_part(call, mdl_column_str(args[0], r), err);
        }
        civil c = civil_of(args[call->num_args - 1], r);
        ((int64_t *)out->values)[r] = part_value(part, &c);
    }
    out->length = n;
    return MDL_OK;
}

static int eval_trunc(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args, size_t n,
                      mdl_column *out, mdl_error *err)
{
    (void)ctx;
    for (size_t r = 0; r < n; r++) {
        mdl_strview ps = mdl_column_str(args[0], r);
        int part = part_of(ps);
        civil c = civil_of(args[1], r);
        int64_t us = (int64_t)c.days * SQL_MICROS_PER_DAY, v;
        switch (part) {
        case P_YEAR:
            v = mdl_days_from_civil(c.y, 1, 1);
            break;
        case P_QUARTER:
            v = mdl_days_from_civil(c.y, (c.m - 1) / 3 * 3 + 1, 1);
            break;
        case P_MONTH:
            v = mdl_days_from_civil(c.y, c.m, 1);
            break;
        case P_WEEK:
            v = c.days - (dow(c.days) + 6) % 7;
            break;
        case P_DAY:
            v = c.days;
            break;
        case P_HOUR:
            v = -1;
            us += c.us_of_day / 3600000000LL * 3600000000LL;
            break;
        case P_MINUTE:
            v = -1;
            us += c.us_of_day / 60000000LL * 60000000LL;
            break;
        case P_SECOND:
            v = -1;
            us += c.us_of_day / 1000000LL * 1000000LL;
            break;
        default:
            return bad_part(call, ps, err);
        }
        ((int64_t *)out->values)[r] = v == -1 ? us : v * SQL_MICROS_PER_DAY;
    }
    out->length = n;
    return MDL_OK;
}

/* Calendar boundaries crossed from a to b, as DuckDB's date_diff counts them. */
static int eval_diff(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args, size_t n,
                     mdl_column *out, mdl_error *err)
{
    (void)ctx;
    for (size_t r = 0; r < n; r++) {
        mdl_strview ps = mdl_column_str(args[0], r);
        civil a = civil_of(args[1], r), b = civil_of(args[2], r);
        int64_t v, ua = (int64_t)a.days * SQL_MICROS_PER_DAY + a.us_of_day,
                   ub = (int64_t)b.days * SQL_MICROS_PER_DAY + b.us_of_day;
        switch (part_of(ps)) {
        case P_YEAR:
            v = b.y - a.y;
            break;
        case P_QUARTER:
            v = (b.y * 4 + (b.m - 1) / 3) - (a.y * 4 + (a.m - 1) / 3);
            break;
        case P_MONTH:
            v = (b.y * 12 + b.m) - (a.y * 12 + a.m);
            break;
        case P_WEEK:
            v = ((int64_t)b.days - a.days) / 7;
            break;
        case P_DAY:
            v = (int64_t)b.days - a.days;
            break;
        case P_HOUR:
            v = sql_floor_div(ub, 3600000000LL) - sql_floor_div(ua, 3600000000LL);
            break;
        case P_MINUTE:
            v = sql_floor_div(ub, 60000000LL) - sql_floor_div(ua, 60000000LL);
            break;
        case P_SECOND:
            v = sql_floor_div(ub, 1000000LL) - sql_floor_div(ua, 1000000LL);
            break;
        default:
            return bad_part(call, ps, err);
        }
        ((int64_t *)out->values)[r] = v;
    }
    out->length = n;
    return MDL_OK;
}

#define MAX_DAYS 2932896 /* 9999-12-31 */
#define MIN_DAYS -719162 /* 0001-01-01 */

static int eval_date_add(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args,
                         size_t n, mdl_column *out, mdl_error *err)
{
    (void)ctx;
    for (size_t r = 0; r < n; r++) {
        int64_t d = mdl_column_i32(args[0], r), k = mdl_column_i64(args[1], r);
        if (k > MAX_DAYS * 2LL || k < -MAX_DAYS * 2LL || d + k > MAX_DAYS || d + k < MIN_DAYS)
            return mdl_sql__error(call, err, MDL_ERR_RANGE, "date_add: date out of range");
        ((int32_t *)out->values)[r] = (int32_t)(d + k);
    }
    out->length = n;
    return MDL_OK;
}

static int eval_make_date(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args,
                          size_t n, mdl_column *out, mdl_error *err)
{
    (void)ctx;
    static const unsigned mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (size_t r = 0; r < n; r++) {
        int64_t y = mdl_column_i64(args[0], r), m = mdl_column_i64(args[1], r),
                d = mdl_column_i64(args[2], r);
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
            (m == 2 && d == 29 && !leap))
            return mdl_sql__error(call, err, MDL_ERR_RANGE,
                                  "make_date: %lld-%lld-%lld is not a date", (long long)y,
                                  (long long)m, (long long)d);
        ((int32_t *)out->values)[r] = mdl_days_from_civil(y, (unsigned)m, (unsigned)d);
    }
    out->length = n;
    return MDL_OK;
}

/* strftime(ts, format): %Y %m %d %H %M %S %f (microseconds) %j %y %b %B %a %A %I %p %% and
 * %-d %-m %-H %-M %-S (no leading zero); others are an error (DuckDB refuses %e too). */
static int eval_strftime(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args,
                         size_t n, mdl_column *out, mdl_error *err)
{
    static const char *const months[] = {"January",   "February", "March",    "April",
                                         "May",       "June",     "July",     "August",
                                         "September", "October",  "November", "December"};
    static const char *const days[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                       "Thursday", "Friday", "Saturday"};
    mdl_buf b;
    mdl_buf_init(&b, ctx, SIZE_MAX);
    int rc = MDL_OK;
    for (size_t r = 0; r < n && rc == MDL_OK; r++) {
        civil c = civil_of(args[0], r);
        mdl_strview f = mdl_column_str(args[1], r);
        b.len = 0;
        for (size_t i = 0; i < f.len && rc == MDL_OK; i++) {
            if (f.ptr[i] != '%' || i + 1 == f.len) {
                rc = mdl_buf_append(&b, f.ptr + i, 1, err);
                continue;
            }
            char s[32];
            int hour = (int)(c.us_of_day / 3600000000LL);
            /* %-d, %-m, %-H, %-M, %-S: without the leading zero. */
            if (f.ptr[i + 1] == '-' && i + 2 < f.len && strchr("dmHMS", f.ptr[i + 2]) != NULL) {
                char k = f.ptr[i + 2];
                long v = k == 'd'   ? (long)c.d
                         : k == 'm' ? (long)c.m
                         : k == 'H' ? (long)hour
                         : k == 'M' ? (long)(c.us_of_day / 60000000LL % 60)
                                    : (long)(c.us_of_day / 1000000LL % 60);
                snprintf(s, sizeof s, "%ld", v);
                rc = mdl_buf_append_str(&b, s, err);
                i += 2;
                continue;
            }
            switch (f.ptr[++i]) {
            case 'Y':
                snprintf(s, sizeof s, "%04lld", (long long)c.y);
                break;
            case 'y':
                snprintf(s, sizeof s, "%02lld", (long long)(c.y % 100));
                break;
            case 'm':
                snprintf(s, sizeof s, "%02u", c.m);
                break;
            case 'd':
                snprintf(s, sizeof s, "%02u", c.d);
                break;
            case 'H':
                snprintf(s, sizeof s, "%02d", hour);
                break;
            case 'I':
                snprintf(s, sizeof s, "%02d", hour % 12 == 0 ? 12 : hour % 12);
                break;
            case 'p':
                snprintf(s, sizeof s, "%s", hour < 12 ? "AM" : "PM");
                break;
            case 'M':
                snprintf(s, sizeof s, "%02d", (int)(c.us_of_day / 60000000LL % 60));
                break;
            case 'S':
                snprintf(s, sizeof s, "%02d", (int)(c.us_of_day / 1000000LL % 60));
                break;
            case 'f':
                snprintf(s, sizeof s, "%06d", (int)(c.us_of_day % 1000000LL));
                break;
            case 'j':
                snprintf(s, sizeof s, "%03lld", (long long)part_value(P_DOY, &c));
                break;
            case 'B':
                snprintf(s, sizeof s, "%s", months[c.m - 1]);
                break;
            case 'b':
                snprintf(s, sizeof s, "%.3s", months[c.m - 1]);
                break;
            case 'A':
                snprintf(s, sizeof s, "%s", days[dow(c.days)]);
                break;
            case 'a':
                snprintf(s, sizeof s, "%.3s", days[dow(c.days)]);
                break;
            case '%':
                snprintf(s, sizeof s, "%%");
                break;
            default:
                mdl_buf_reset(&b);
                return mdl_sql__error(call, err, MDL_ERR_UNSUPPORTED,
                                      "strftime: unsupported specifier '%%%c'", f.ptr[i]);
            }
            rc = mdl_buf_append_str(&b, s, err);
        }
        if (rc == MDL_OK)
            rc = mdl_column_append_string(ctx, out, b.data ? b.data : "", b.len, err);
    }
    mdl_buf_reset(&b);
    return rc;
}

static const sql_func_def defs[] = {
    {{"current_date", eval_now, false}, 0, 0, resolve_now, 0},
    {{"current_timestamp", eval_now, false}, 0, 0, resolve_now, 1},
    {{"date_trunc", eval_trunc, true}, 2, 2, resolve_trunc, 0},
    {{"date_part", eval_part, true}, 2, 2, resolve_part, 0},
    {{"year", eval_part, true}, 1, 1, resolve_part, P_YEAR},
    {{"quarter", eval_part, true}, 1, 1, resolve_part, P_QUARTER},
    {{"month", eval_part, true}, 1, 1, resolve_part, P_MONTH},
    {{"day", eval_part, true}, 1, 1, resolve_part, P_DAY},
    {{"dayofweek", eval_part, true}, 1, 1, resolve_part, P_DOW},
    {{"dayofyear", eval_part, true}, 1, 1, resolve_part, P_DOY},
    {{"hour", eval_part, true}, 1, 1, resolve_part, P_HOUR},
    {{"minute", eval_part, true}, 1, 1, resolve_part, P_MINUTE},
    {{"second", eval_part, true}, 1, 1, resolve_part, P_SECOND},
    {{"date_add", eval_date_add, true}, 2, 2, resolve_date_add, 0},
    {{"date_diff", eval_diff, true}, 3, 3, resolve_diff, 0},
    {{"datediff", eval_diff, true}, 3, 3, resolve_diff, 0},
    {{"make_date", eval_make_date, true}, 3, 3, resolve_make_date, 0},
    {{"strftime", eval_strftime, true}, 2, 2, resolve_strftime, 0},
};

const sql_func_table mdl_sql__funcs_date = {defs, sizeof defs / sizeof *defs};
