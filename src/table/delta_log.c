/*
 * delta_log.c - snapshots and commits of the Delta log (see delta_log.h).
 *
 *   <table>/_delta_log/00000000000000000000.json    protocol, metaData, add..., commitInfo
 *   <table>/_delta_log/00000000000000000001.json    add / remove / txn ..., commitInfo
 *
 * A commit is one put-if-absent of the next version's file: exactly one writer can create it.
 * The loser reads what was committed meanwhile, decides whether that conflicts with what it
 * read and wrote, and if not tries the next version.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "table/delta_checkpoint.h"
#include "table/delta_log.h"

#define LOG_PREFIX "_delta_log/"

void mdl_table__commit_key(int64_t version, char *buf, size_t cap)
{
    snprintf(buf, cap, LOG_PREFIX "%020lld.json", (long long)version);
}

/* What a listing of `_delta_log/` holds: commit versions and complete checkpoints, both
 * ascending (storage lists keys sorted). */
typedef struct log_listing {
    int64_t *versions;
    size_t nv;
    mdl_delta_checkpoint_ref *checkpoints;
    size_t nc;
} log_listing;

static void listing_free(mdl_ctx *ctx, log_listing *l)
{
    mdl_free(ctx, l->versions);
    mdl_free(ctx, l->checkpoints);
    memset(l, 0, sizeof *l);
}

static int list_log(mdl_ctx *ctx, mdl_storage *st, log_listing *out, mdl_error *err)
{
    memset(out, 0, sizeof *out);
    mdl_storage_list l = {NULL, 0};
    int rc = st->list(st, LOG_PREFIX, &l, err);
    if (rc != MDL_OK)
        return rc;
    size_t cap = l.count ? l.count : 1;
    out->versions = mdl_calloc(ctx, cap, sizeof *out->versions);
    out->checkpoints = mdl_calloc(ctx, cap, sizeof *out->checkpoints);
    if (out->versions == NULL || out->checkpoints == NULL) {
        mdl_storage_list_free(ctx, &l);
        listing_free(ctx, out);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory listing the Delta log");
    }
    size_t prefix = strlen(LOG_PREFIX);
    /* Parts of one multi-part checkpoint list next to each other (same version and count,
     * ascending part numbers); it counts only when every part is there. */
    int64_t cp_version = -1;
    int cp_parts = 0, cp_seen = 0;
    for (size_t i = 0; i < l.count; i++) {
        const char *k = l.entries[i].key + prefix;
        int64_t v;
        int part, parts;
        if (mdl_table__checkpoint_name(k, &v, &part, &parts)) {
            if (v != cp_version || parts != cp_parts) {
                cp_version = v;
                cp_parts = parts;
                cp_seen = 0;
            }
            if (part == cp_seen + 1 && ++cp_seen == parts &&
                (out->nc == 0 || out->checkpoints[out->nc - 1].version != v)) {
                out->checkpoints[out->nc].version = v;
                out->checkpoints[out->nc].parts = parts;
                out->nc++;
            }
            continue;
        }
        if (strlen(k) != 25 || strcmp(k + 20, ".json") != 0)
            continue; /* _last_checkpoint, CRC files, V2 checkpoints, compacted logs */
        bool digits = true;
        for (int j = 0; j < 20; j++)
            digits = digits && k[j] >= '0' && k[j] <= '9';
        if (digits)
            out->versions[out->nv++] = strtoll(k, NULL, 10);
    }
    mdl_storage_list_free(ctx, &l);
    return MDL_OK;
}

int mdl_table__latest_version(mdl_ctx *ctx, mdl_storage *st, int64_t *version_out, mdl_error *err)
{
    log_listing l;
    int rc = list_log(ctx, st, &l, err);
    if (rc == MDL_OK) {
        int64_t v = l.nv ? l.versions[l.nv - 1] : -1;
        if (l.nc && l.checkpoints[l.nc - 1].version > v)
            v = l.checkpoints[l.nc - 1].version; /* commits before it cleaned up */
        *version_out = v;
    }
    listing_free(ctx, &l);
    return rc;
}

static int read_commit(mdl_ctx *ctx, mdl_storage *st, int64_t version, mdl_delta_actions *acts,
                       mdl_error *err)
{
    char key[64];
    mdl_table__commit_key(version, key, sizeof key);
    mdl_buf data;
    mdl_buf_init(&data, ctx, 0);
    int rc = st->read_all(st, key, ctx->limits.max_record_bytes * 4, &data, err);
    if (rc == MDL_OK)
        rc = mdl_table__actions_parse(acts, key, data.data ? data.data : "", data.len, err);
    mdl_buf_reset(&data);
    return rc;
}

/* Frees an action's payload in place (it stays zeroed). */
static void drop(mdl_ctx *ctx, mdl_delta_action_kind kind, void *payload, size_t size)
{
    mdl_delta_action tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.kind = kind;
    memcpy(&tmp.u, payload, size);
    mdl_table__action_reset(ctx, &tmp);
    memset(payload, 0, size);
}

/* Keeps `a` (a remove) as the tombstone of its path, replacing an older one. */
static int add_tombstone(mdl_delta_snapshot *s, mdl_delta_action *a, mdl_error *err)
{
    uint64_t idx;
    if (mdl_hashmap_get(s->tomb_by_path, mdl_sv(a->u.remove.path), &idx)) {
        mdl_table__action_reset(s->ctx, &s->tombstones.items[idx]);
        mdl_hashmap_remove(s->tomb_by_path, mdl_sv(a->u.remove.path));
    }
    size_t at = s->tombstones.count;
    char *path = mdl_strdup(s->ctx, a->u.remove.path);
    if (path == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory replaying the Delta log");
    int rc = mdl_table__actions_push(&s->tombstones, a, err);
    if (rc == MDL_OK)
        rc = mdl_hashmap_put(s->tomb_by_path, mdl_sv(path), at, err);
    mdl_free(s->ctx, path);
    return rc;
}

/* Applies one action (PROTOCOL.md "Action Reconciliation"); may take its payload. */
static int apply(mdl_delta_snapshot *s, mdl_delta_action *a, mdl_error *err)
{
    mdl_ctx *ctx = s->ctx;
    switch (a->kind) {
    case MDL_DELTA_PROTOCOL:
        if (s->has_protocol)
            drop(ctx, MDL_DELTA_PROTOCOL, &s->protocol, sizeof s->protocol);
        s->protocol = a->u.protocol;
        memset(&a->u.protocol, 0, sizeof a->u.protocol);
        s->has_protocol = true;
        return mdl_table__protocol_check_read(&s->protocol, err);
    case MDL_DELTA_METADATA:
        if (s->has_metadata)
            drop(ctx, MDL_DELTA_METADATA, &s->metadata, sizeof s->metadata);
        s->metadata = a->u.metadata;
        memset(&a->u.metadata, 0, sizeof a->u.metadata);
        s->has_metadata = true;
        return MDL_OK;
    case MDL_DELTA_TXN:
        return mdl_hashmap_put(s->txns, mdl_sv(a->u.txn.app_id), (uint64_t)a->u.txn.version, err);
    case MDL_DELTA_REMOVE: {
        uint64_t idx;
        if (mdl_hashmap_get(s->by_path, mdl_sv(a->u.remove.path), &idx)) {
            mdl_table__action_reset(ctx, &s->files.items[idx]);
            mdl_hashmap_remove(s->by_path, mdl_sv(a->u.remove.path));
            s->num_files--;
        }
        return add_tombstone(s, a, err);
    }
    case MDL_DELTA_ADD: {
        uint64_t idx;
        if (mdl_hashmap_get(s->by_path, mdl_sv(a->u.add.path), &idx)) {
            mdl_table__action_reset(ctx, &s->files.items[idx]);
            s->num_files--;
        }
        if (mdl_hashmap_get(s->tomb_by_path, mdl_sv(a->u.add.path), &idx)) {
            mdl_table__action_reset(ctx, &s->tombstones.items[idx]);
            mdl_hashmap_remove(s->tomb_by_path, mdl_sv(a->u.add.path));
        }
        size_t at = s->files.count;
        char *path = mdl_strdup(ctx, a->u.add.path);
        if (path == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory replaying the Delta log");
        int rc = mdl_table__actions_push(&s->files, a, err);
        if (rc == MDL_OK)
            rc = mdl_hashmap_put(s->by_path, mdl_sv(path), at, err);
        mdl_free(ctx, path);
        if (rc == MDL_OK)
            s->num_files++;
        return rc;
    }
    default:
        return MDL_OK;
    }
}

static int apply_cb(void *payload, mdl_delta_action *a, mdl_error *err)
{
    return apply(payload, a, err);
}

int mdl_table__snapshot_apply(mdl_delta_snapshot *s, mdl_delta_actions *acts, mdl_error *err)
{
    int rc = MDL_OK;
    for (size_t i = 0; rc == MDL_OK && i < acts->count; i++)
        rc = apply(s, &acts->items[i], err);
    return rc;
}

static int snapshot_new(mdl_ctx *ctx, mdl_delta_snapshot **out, mdl_error *err)
{
    mdl_delta_snapshot *s = mdl_calloc(ctx, 1, sizeof *s);
    if (s == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory loading a Delta snapshot");
    s->ctx = ctx;
    s->version = -1;
    s->checkpoint_version = -1;
    mdl_table__actions_init(&s->files, ctx);
    mdl_table__actions_init(&s->tombstones, ctx);
    int rc = mdl_hashmap_new(ctx, 256, &s->by_path, err);
    if (rc == MDL_OK)
        rc = mdl_hashmap_new(ctx, 16, &s->txns, err);
    if (rc == MDL_OK)
        rc = mdl_hashmap_new(ctx, 16, &s->tomb_by_path, err);
    if (rc != MDL_OK) {
        mdl_table__snapshot_free(s);
        return rc;
    }
    *out = s;
    return MDL_OK;
}

/*
 * Builds the snapshot at `target` from checkpoint `cp` (NULL: from commit 0) and the commits
 * after it, which must all be in the listing.
 */
static int replay(mdl_ctx *ctx, mdl_storage *st, const log_listing *l,
                  const mdl_delta_checkpoint_ref *cp, int64_t target, mdl_delta_snapshot **out,
                  mdl_error *err)
{
    mdl_delta_snapshot *s = NULL;
    int rc = snapshot_new(ctx, &s, err);
    if (rc != MDL_OK)
        return rc;
    int64_t next = 0;
    if (cp != NULL) {
        rc = mdl_table__checkpoint_read(ctx, st, cp, apply_cb, s, err);
        if (rc != MDL_OK)
            goto fail;
        s->version = s->checkpoint_version = cp->version;
        next = cp->version + 1;
    }
    for (size_t i = 0; i < l->nv && l->versions[i] <= target; i++) {
        if (l->versions[i] < next)
            continue;
        if (l->versions[i] != next) {
            rc = mdl_error_set(err, MDL_ERR_PARSE,
                               "%s: the Delta log is missing commit %lld (it jumps to %lld)",
                               st->root, (long long)next, (long long)l->versions[i]);
            goto fail;
        }
        mdl_delta_actions acts;
        mdl_table__actions_init(&acts, ctx);
        rc = read_commit(ctx, st, l->versions[i], &acts, err);
        for (size_t k = 0; rc == MDL_OK && k < acts.count; k++)
            rc = apply(s, &acts.items[k], err);
        mdl_table__actions_reset(&acts);
        if (rc != MDL_OK)
            goto fail;
        s->version = next++;
    }
    if (target >= 0 && s->version != target) {
        rc = mdl_error_set(err, MDL_ERR_PARSE,
                           "%s: the Delta log is missing commit %lld (it ends at %lld)", st->root,
                           (long long)next, (long long)s->version);
        goto fail;
    }
    if (s->version >= 0 && (!s->has_protocol || !s->has_metadata)) {
        rc = mdl_error_set(err, MDL_ERR_PARSE, "%s: the Delta log has no %s action", st->root,
                           s->has_protocol ? "metaData" : "protocol");
        goto fail;
    }
    *out = s;
    return MDL_OK;
fail:
    mdl_table__snapshot_free(s);
    return rc;
}

int mdl_table__snapshot_load(mdl_ctx *ctx, mdl_storage *st, int64_t version,
                             mdl_delta_snapshot **out, mdl_error *err)
{
    *out = NULL;
    log_listing l;
    int rc = list_log(ctx, st, &l, err);
    if (rc != MDL_OK)
        return rc;
    int64_t last = l.nv ? l.versions[l.nv - 1] : -1;
    if (l.nc && l.checkpoints[l.nc - 1].version > last)
        last = l.checkpoints[l.nc - 1].version;
    if (version >= 0 && version > last) {
        rc = mdl_error_set(err, MDL_ERR_NOT_FOUND,
                           "%s: version %lld does not exist (latest is %lld)", st->root,
                           (long long)version, (long long)last);
        listing_free(ctx, &l);
        return rc;
    }
    int64_t target = version >= 0 ? version : last;
    /* The newest usable checkpoint first. One that cannot be read is passed over while older
     * ones (or commit 0) and the commits after them still exist: a checkpoint is a shortcut,
     * never the only copy (medallion does not delete old commits). */
    bool tried = false;
    mdl_error cp_err;
    rc = MDL_ERR_NOT_FOUND;
    for (size_t i = l.nc; i-- > 0 && rc != MDL_OK;) {
        if (l.checkpoints[i].version > target)
            continue;
        mdl_error e;
        rc = replay(ctx, st, &l, &l.checkpoints[i], target, out, &e);
        if (!tried)
            cp_err = e; /* the newest checkpoint's error explains the most */
        tried = true;
        if (rc == MDL_ERR_NOMEM) {
            if (err != NULL)
                *err = e;
            break;
        }
        if (rc != MDL_OK)
            mdl_log(ctx, MDL_LOG_WARN, "%s: checkpoint %lld not used: %s", st->root,
                    (long long)l.checkpoints[i].version, e.message);
    }
    if (rc != MDL_OK && rc != MDL_ERR_NOMEM && !tried && target >= 0 &&
        (l.nv == 0 || l.versions[0] != 0)) {
        rc = mdl_error_set(err, MDL_ERR_NOT_FOUND,
                           "%s: version %lld can no longer be read: the commits before %lld were "
                           "cleaned up and no checkpoint at or before it exists",
                           st->root, (long long)target,
                           (long long)(l.nv ? l.versions[0] : l.checkpoints[0].version));
    } else if (rc != MDL_OK && rc != MDL_ERR_NOMEM) {
        rc = replay(ctx, st, &l, NULL, target, out, err);
        /* Without commit 0 the checkpoint's own error is the better explanation. */
        if (rc != MDL_OK && tried && (l.nv == 0 || l.versions[0] != 0)) {
            rc = cp_err.code;
            if (err != NULL)
                *err = cp_err;
        }
    }
    listing_free(ctx, &l);
    return rc;
}

void mdl_table__snapshot_free(mdl_delta_snapshot *s)
{
    if (s == NULL)
        return;
    if (s->has_protocol)
        drop(s->ctx, MDL_DELTA_PROTOCOL, &s->protocol, sizeof s->protocol);
    if (s->has_metadata)
        drop(s->ctx, MDL_DELTA_METADATA, &s->metadata, sizeof s->metadata);
    mdl_table__actions_reset(&s->files);
    mdl_table__actions_reset(&s->tombstones);
    mdl_hashmap_free(s->by_path);
    mdl_hashmap_free(s->txns);
    mdl_hashmap_free(s->tomb_by_path);
    mdl_free(s->ctx, s);
}

int64_t mdl_table__snapshot_txn(const mdl_delta_snapshot *s, const char *app_id)
{
    uint64_t v;
    return mdl_hashmap_get(s->txns, mdl_sv(app_id), &v) ? (int64_t)v : -1;
}

/* ---- committing -------------------------------------------------------------------------- */

/* What a concurrent commit means for ours: MDL_OK (no conflict), MDL_ERR_CONFLICT, or a
 * no-op because the same transaction already landed. */
static int check_concurrent(const mdl_delta_actions *theirs, int64_t version,
                            const mdl_delta_actions *ours, const mdl_delta_commit_options *o,
                            bool *noop, mdl_error *err)
{
    bool we_remove = false;
    for (size_t i = 0; i < ours->count; i++)
        we_remove |= ours->items[i].kind == MDL_DELTA_REMOVE;
    for (size_t i = 0; i < theirs->count; i++) {
        const mdl_delta_action *a = &theirs->items[i];
        if (a->kind == MDL_DELTA_TXN && o->txn_app_id != NULL &&
            strcmp(a->u.txn.app_id, o->txn_app_id) == 0) {
            if (a->u.txn.version >= o->txn_version) {
                *noop = true;
                return MDL_OK;
            }
            return mdl_error_set(err, MDL_ERR_CONFLICT,
                                 "concurrent commit %lld wrote transaction %s version %lld",
                                 (long long)version, o->txn_app_id, (long long)a->u.txn.version);
        }
        if (a->kind == MDL_DELTA_METADATA || a->kind == MDL_DELTA_PROTOCOL)
            return mdl_error_set(err, MDL_ERR_CONFLICT,
                                 "concurrent commit %lld changed the table's metadata or protocol",
                                 (long long)version);
        if (!o->blind_append && we_remove &&
            (a->kind == MDL_DELTA_ADD || a->kind == MDL_DELTA_REMOVE))
            return mdl_error_set(err, MDL_ERR_CONFLICT,
                                 "concurrent commit %lld changed files this commit replaces",
                                 (long long)version);
    }
    return MDL_OK;
}

static void backoff(int attempt)
{
    /* 1 ms doubling to at most ~0.5 s, plus up to 100% jitter so racers spread out. */
    long base_us = 1000L << (attempt < 9 ? attempt : 9);
    uint64_t r;
    mdl_uuid u;
    mdl_uuid_v4(&u, NULL);
    memcpy(&r, u.bytes, sizeof r);
    long us = base_us + (long)(r % (uint64_t)base_us);
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
    nanosleep(&ts, NULL);
}

/*
 * Writes the checkpoint of `version` when it is a multiple of the table's interval. The commit
 * has landed already, so a failure here is only logged: readers replay the commits instead.
 */
static void maybe_checkpoint(mdl_ctx *ctx, mdl_storage *st, int64_t version,
                             const mdl_delta_actions *actions, const mdl_delta_commit_options *o)
{
    int64_t interval = o->checkpoint_interval;
    for (size_t i = 0; i < actions->count; i++)
        if (actions->items[i].kind == MDL_DELTA_METADATA)
            interval = mdl_table__checkpoint_interval(&actions->items[i].u.metadata);
    if (interval == 0)
        interval = MDL_DELTA_CHECKPOINT_INTERVAL;
    if (interval < 0 || version <= 0 || version % interval != 0)
        return;
    mdl_error e;
    mdl_delta_snapshot *snap = NULL;
    int rc = mdl_table__snapshot_load(ctx, st, version, &snap, &e);
    if (rc == MDL_OK)
        rc = mdl_table__checkpoint_write(ctx, st, snap, mdl_now_micros() / 1000, &e);
    if (rc != MDL_OK)
        mdl_log(ctx, MDL_LOG_WARN, "%s: version %lld committed, but its checkpoint failed: %s",
                st->root, (long long)version, e.message);
    mdl_table__snapshot_free(snap);
}

int mdl_table__commit(mdl_ctx *ctx, mdl_storage *st, int64_t read_version,
                      mdl_delta_actions *actions, const char *operation,
                      const mdl_delta_commit_options *opts, int64_t *version_out, bool *noop_out,
                      mdl_error *err)
{
    mdl_delta_commit_options o = {.max_attempts = 20, .txn_version = -1};
    if (opts != NULL)
        o = *opts;
    if (o.max_attempts <= 0)
        o.max_attempts = 20;
    *noop_out = false;
    mdl_buf body;
    mdl_buf_init(&body, ctx, 0);
    char *info = NULL;
    int rc = mdl_table__actions_write(actions, &body, err);
    mdl_delta_action ci;
    memset(&ci, 0, sizeof ci);
    if (rc == MDL_OK)
        rc = mdl_table__commit_info_build(ctx, mdl_now_micros() / 1000, operation, o.parameters,
                                          o.metrics, &info, err);
    if (rc == MDL_OK) {
        ci.kind = MDL_DELTA_COMMIT_INFO;
        ci.u.commit_info = info;
        rc = mdl_table__action_write(ctx, &ci, &body, err);
    }
    int64_t v = read_version + 1;
    for (int attempt = 0; rc == MDL_OK; attempt++) {
        char key[64];
        mdl_table__commit_key(v, key, sizeof key);
        rc = st->put_if_absent(st, key, body.data, body.len, err);
        if (rc == MDL_OK) {
            *version_out = v;
            break;
        }
        if (rc != MDL_ERR_CONFLICT)
            break;
        if (attempt + 1 >= o.max_attempts) {
            rc = mdl_error_set(err, MDL_ERR_CONFLICT,
                               "%s: gave up after %d attempts: every version from %lld on was "
                               "taken by another writer (try again later)",
                               st->root, o.max_attempts, (long long)(read_version + 1));
            break;
        }
        /* Back off first, then catch up: the free version found is tried at once, so the
         * window in which another writer can take it again is as short as possible. */
        backoff(attempt);
        /* Read what landed at v (and after) and check it against what we are doing. */
        rc = MDL_OK;
        for (;;) {
            mdl_storage_entry e;
            mdl_table__commit_key(v, key, sizeof key);
            int src = st->stat(st, key, &e, err);
            if (src == MDL_ERR_NOT_FOUND)
                break; /* v is free: try it */
            if (src != MDL_OK) {
                rc = src; /* an I/O error is not a free version */
                break;
            }
            mdl_delta_actions theirs;
            mdl_table__actions_init(&theirs, ctx);
            rc = read_commit(ctx, st, v, &theirs, err);
            if (rc == MDL_OK)
                rc = check_concurrent(&theirs, v, actions, &o, noop_out, err);
            mdl_table__actions_reset(&theirs);
            if (rc != MDL_OK || *noop_out)
                break;
            v++;
        }
        if (rc != MDL_OK || *noop_out) {
            if (*noop_out)
                *version_out = v;
            break;
        }
    }
    ci.u.commit_info = NULL;
    mdl_free(ctx, info);
    mdl_buf_reset(&body);
    if (rc == MDL_OK && !*noop_out)
        maybe_checkpoint(ctx, st, *version_out, actions, &o);
    return rc;
}

void mdl_table__snapshot_clear_files(mdl_delta_snapshot *s)
{
    for (size_t i = 0; i < s->files.count; i++) {
        mdl_delta_action *a = &s->files.items[i];
        if (a->kind != MDL_DELTA_ADD)
            continue;
        mdl_hashmap_remove(s->by_path, mdl_sv(a->u.add.path));
        mdl_table__action_reset(s->ctx, a);
    }
    s->num_files = 0;
}
