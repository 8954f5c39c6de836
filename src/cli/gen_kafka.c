/*
 * gen_kafka.c - the orders_events topic as JSON lines, one record per line (docs/landing.md,
 * "kafka/orders_events"): topic, partition (6, by the key's hash), offset (dense per
 * partition), timestamp, key (the order id) and value (the payload as a JSON string). Every
 * event names an existing snapshot order and carries its customer, total and currency. A
 * re-delivered record is the same key, value and timestamp again at a later offset.
 */
#include <string.h>

#include "gen_internal.h"

#define PARTITIONS  6
#define MAX_PENDING 1024

static const char *const TYPES[] = {"ORDER_CREATED", "PAYMENT_CAPTURED", "SHIPPED", "DELIVERED",
                                    "CANCELLED"};
static const uint32_t TYPE_WEIGHTS[] = {35, 25, 20, 15, 5};
/* how long after the order each event type happens, in minutes (lo, hi) */
static const int64_t LAG_MIN[5][2] = {
    {0, 0}, {1, 90}, {12 * 60, 3 * 1440}, {3 * 1440, 8 * 1440}, {10, 2 * 1440}};

typedef struct pending {
    uint64_t j, at;
} pending;

/* Builds event j's record without its offset; returns the partition. */
static int build(const gen *g, uint64_t j, gen_buf *head, gen_buf *tail, gen_buf *value,
                 bool *redeliver, bool *cut)
{
    gen_rng r;
    gen_rng_seed(&r, g->seed, GEN_S_EVENTS, j);
    *redeliver = gen_defect(g, &r, GEN_D_REDELIVERED);
    *cut = gen_defect(g, &r, GEN_D_BAD_RECORD);
    gen_order o;
    gen_order_make(g, 1 + gen_below(&r, g->n_orders), -1, &o);
    size_t type = gen_weighted(&r, TYPE_WEIGHTS, 5);
    int64_t ts = o.ts_ms + gen_range(&r, LAG_MIN[type][0], LAG_MIN[type][1]) * 60000 +
                 gen_range(&r, 0, 59999);
    int64_t record_ts = ts + gen_range(&r, 5, 2000);
    char key[32], buf[64];
    int kn = snprintf(key, sizeof key, "ORD-%08llu", (unsigned long long)o.idx);
    value->len = 0;
    snprintf(buf, sizeof buf, "EVT-%010llu", (unsigned long long)j);
    gen_puts(value, "{\"event_id\":\"");
    gen_puts(value, buf);
    gen_puts(value, "\",\"event_type\":\"");
    gen_puts(value, TYPES[type]);
    gen_puts(value, "\",\"order_id\":\"");
    gen_puts(value, key);
    snprintf(buf, sizeof buf, "CUST-%06llu", (unsigned long long)o.customer);
    gen_puts(value, "\",\"customer_id\":\"");
    gen_puts(value, buf);
    gen_puts(value, "\",\"amount\":\"");
    gen_put_dec(value, o.total, o.cur->frac);
    gen_puts(value, "\",\"currency\":\"");
    gen_puts(value, o.cur->code);
    gen_puts(value, "\",\"channel\":\"");
    gen_puts(value, o.channel);
    gen_puts(value, "\",\"event_ts\":\"");
    gen_put_ts(value, ts, GEN_TS_ISO_MS_Z);
    gen_puts(value, "\"}");
    int partition = (int)(gen_fnv1a(key, (size_t)kn) % PARTITIONS);
    head->len = 0;
    gen_puts(head, "{\"topic\": \"orders_events\", \"partition\": ");
    gen_put_u64(head, (uint64_t)partition);
    gen_puts(head, ", \"offset\": ");
    tail->len = 0;
    gen_puts(tail, ", \"timestamp\": \"");
    gen_put_ts(tail, record_ts, GEN_TS_ISO_MS_Z);
    gen_puts(tail, "\", \"key\": ");
    gen_put_json_str(tail, key, (size_t)kn);
    gen_puts(tail, ", \"value\": ");
    gen_put_json_str(tail, value->p, value->len);
    gen_putc(tail, '}');
    return partition;
}

static int emit(const gen *g, gen_set *s, uint64_t j, bool dup, uint64_t *offsets, gen_buf *line,
                gen_buf *head, gen_buf *tail, gen_buf *value, bool *redeliver)
{
    bool cut;
    int p = build(g, j, head, tail, value, redeliver, &cut);
    line->len = 0;
    gen_put(line, head->p, head->len);
    gen_put_u64(line, offsets[p]++);
    gen_put(line, tail->p, tail->len);
    uint32_t mask = dup ? 1u << GEN_D_REDELIVERED : 0;
    size_t n = line->len;
    if (cut && !dup) {
        n /= 2; /* a JSON line cut short */
        mask = 1u << GEN_D_BAD_RECORD;
    }
    return gen_set_emit(s, line->p, n, mask);
}

int gen_kafka(gen *g)
{
    gen_set s;
    gen_set_init(&s, g, "kafka/orders_events", "kafka/orders_events/events", "jsonl", true, 0, 0,
                 NULL, "");
    uint64_t offsets[PARTITIONS] = {0};
    pending q[MAX_PENDING];
    size_t nq = 0;
    gen_buf line = {0}, head = {0}, tail = {0}, value = {0};
    bool again;
    int rc = 0;
    for (uint64_t j = 1; j <= g->n_events && rc == 0; j++) {
        /* due re-deliveries first, in the order they were scheduled */
        size_t keep = 0;
        for (size_t i = 0; i < nq; i++) {
            if (rc == 0 && q[i].at <= j)
                rc = emit(g, &s, q[i].j, true, offsets, &line, &head, &tail, &value, &again);
            else
                q[keep++] = q[i];
        }
        nq = keep;
        bool redeliver;
        if (rc == 0)
            rc = emit(g, &s, j, false, offsets, &line, &head, &tail, &value, &redeliver);
        if (rc == 0 && redeliver) {
            gen_rng r;
            gen_rng_seed(&r, g->seed, GEN_S_EVENTS + 100, j);
            uint64_t at = j + 1 + gen_below(&r, 500);
            if (nq < MAX_PENDING)
                q[nq++] = (pending){j, at};
        }
    }
    for (size_t i = 0; i < nq && rc == 0; i++)
        rc = emit(g, &s, q[i].j, true, offsets, &line, &head, &tail, &value, &again);
    gen_buf_free(&line);
    gen_buf_free(&head);
    gen_buf_free(&tail);
    gen_buf_free(&value);
    if (rc != 0) {
        gen_set_abort(&s);
        return -1;
    }
    return gen_set_close(&s);
}
