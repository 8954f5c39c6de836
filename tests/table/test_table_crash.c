/*
 * test_table_crash.c - crash safety of Delta table writes on the local backend: a child
 * process writes and commits one idempotent transaction and is killed with SIGKILL at a
 * random moment (before, while and after writing its data file and committing). After every
 * kill the table must open and scan, show only whole commits and nothing of an uncommitted
 * write, and rerunning the same transaction must commit it exactly once (or be a no-op when
 * the killed child had already committed it).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test_support.h"

#define TRIALS      100
#define CALIBRATION 3 /* the first trials run unkilled and time a whole write */
#define BATCHES     2
#define BATCH_ROWS  2000
#define TRIAL_ROWS  (BATCHES * BATCH_ROWS)
#define ID_STRIDE   10000 /* ids of trial t: t * ID_STRIDE + [0, TRIAL_ROWS) */
#define APP_ID      "loader"

/* What the child had reached when it died, from the bytes it wrote to a pipe. */
enum { PH_NONE, PH_OPENED, PH_WRITTEN, PH_COMMITTED };

static uint64_t rng_state = 0x9E3779B97F4A7C15u; /* fixed seed: reproducible delays */

static uint64_t rng_next(void)
{
    /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Du;
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void sleep_us(int64_t us)
{
    struct timespec ts = {(time_t)(us / 1000000), (long)(us % 1000000) * 1000};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* Batch b of trial t: ids t * ID_STRIDE + b * BATCH_ROWS + [0, BATCH_ROWS), some null tags. */
static mdl_batch *trial_batch(mdl_ctx *ctx, mdl_schema *s, int trial, int b)
{
    mdl_batch *batch;
    assert_int_equal(mdl_batch_new(ctx, s, BATCH_ROWS, &batch, NULL), MDL_OK);
    for (int r = 0; r < BATCH_ROWS; r++) {
        int64_t id = (int64_t)trial * ID_STRIDE + b * BATCH_ROWS + r;
        assert_int_equal(mdl_column_append_value(ctx, &batch->columns[0], &id, NULL), MDL_OK);
        if (r % 4 != 0) { /* mostly null: keeps the repeated full scans cheap */
            assert_int_equal(mdl_column_append_null(ctx, &batch->columns[1], NULL), MDL_OK);
        } else {
            char tag[32];
            int n = snprintf(tag, sizeof tag, "t%d-%d", trial, r % 13);
            assert_int_equal(
                mdl_column_append_string(ctx, &batch->columns[1], tag, (size_t)n, NULL), MDL_OK);
        }
    }
    batch->num_rows = BATCH_ROWS;
    return batch;
}

/* Opens, writes and commits transaction (APP_ID, trial); *noop as the commit reported. */
static int write_trial(mdl_ctx *ctx, mdl_storage *st, int trial, mdl_batch **batches, int phase_fd,
                       bool *noop, mdl_error *err)
{
    mdl_table_write_options o;
    mdl_table_write_options_init(&o);
    o.txn_app_id = APP_ID;
    o.txn_version = trial;
    mdl_table_writer *w;
    int rc = mdl_table_writer_open(ctx, st, &o, &w, err);
    if (rc != MDL_OK)
        return rc;
    if (phase_fd >= 0 && write(phase_fd, "o", 1) != 1)
        _exit(20);
    for (int b = 0; b < BATCHES; b++) {
        rc = mdl_table_writer_write(w, batches[b], err);
        if (rc != MDL_OK) {
            mdl_table_writer_abort(w);
            return rc;
        }
    }
    if (phase_fd >= 0 && write(phase_fd, "w", 1) != 1)
        _exit(20);
    int64_t v;
    rc = mdl_table_writer_commit(w, &v, noop, err);
    if (rc == MDL_OK && phase_fd >= 0 && write(phase_fd, "c", 1) != 1)
        _exit(20);
    return rc;
}

/* Per trial, how many rows of it a scan returned; every id of a trial must be seen once. */
typedef struct seen {
    int64_t rows[TRIALS + 1];
    unsigned char ids[TRIALS + 1][TRIAL_ROWS];
    int64_t total;
} seen;

static void scan_table(mdl_table *t, seen *s)
{
    memset(s, 0, sizeof *s);
    mdl_batch_stream *bs;
    mdl_error err;
    if (mdl_table_scan(t, &bs, &err) != MDL_OK)
        fail_msg("scan: %s", err.message);
    for (;;) {
        mdl_batch *b;
        if (mdl_batch_stream_next(bs, &b, &err) != MDL_OK)
            fail_msg("scan next: %s", err.message);
        if (b == NULL)
            break;
        for (size_t r = 0; r < b->num_rows; r++) {
            int64_t id = mdl_column_i64(&b->columns[0], r);
            int64_t trial = id / ID_STRIDE, i = id % ID_STRIDE;
            if (trial < 1 || trial > TRIALS || i >= TRIAL_ROWS)
                fail_msg("scan returned an id of no trial: %lld", (long long)id);
            if (s->ids[trial][i]++)
                fail_msg("id %lld returned twice", (long long)id);
            s->rows[trial]++;
        }
        s->total += (int64_t)b->num_rows;
        mdl_batch_free(b);
    }
    mdl_batch_stream_release(bs);
}

/*
 * Opens the latest snapshot and checks that it holds exactly trials 1..done whole (done is
 * the last trial known committed) plus, when `maybe` is set, either all or nothing of that
 * trial. Returns whether `maybe` is in, and the snapshot's version.
 */
static bool check_table(mdl_ctx *ctx, mdl_storage *st, seen *s, int done, int maybe,
                        int64_t *version_out)
{
    mdl_table *t;
    mdl_error err;
    if (mdl_table_open(ctx, st, -1, &t, &err) != MDL_OK)
        fail_msg("open after trial %d: %s", maybe ? maybe : done, err.message);
    scan_table(t, s);
    bool in = maybe && s->rows[maybe] == TRIAL_ROWS;
    int last = in ? maybe : done;
    for (int k = 1; k <= TRIALS; k++) {
        int64_t want = k <= done || k == last ? TRIAL_ROWS : 0;
        if (s->rows[k] != want)
            fail_msg("after trial %d: trial %d has %lld rows, expected %lld", maybe ? maybe : done,
                     k, (long long)s->rows[k], (long long)want);
    }
    assert_int_equal(s->total, (int64_t)last * TRIAL_ROWS);
    /* every trial commits once, in order, so trial k is version k (0 is the create) */
    assert_int_equal(mdl_table_version(t), last);
    assert_int_equal(mdl_table_txn_version(t, APP_ID), last > 0 ? last : -1);
    assert_int_equal(mdl_table_num_files(t), (size_t)last);
    for (size_t i = 0; i < mdl_table_num_files(t); i++) {
        mdl_table_file f;
        mdl_table_file_at(t, i, &f);
        assert_true(f.path[0] != '.' && strchr(f.path, '/') == NULL); /* never a temp file */
        assert_int_equal(f.num_records, TRIAL_ROWS);
    }
    *version_out = mdl_table_version(t);
    mdl_table_close(t);
    return in;
}

/*
 * After the rerun of `trial`: the latest snapshot is version `trial` with one file per trial,
 * the new one holding that trial's rows exactly once. (The full scan at the start of the next
 * trial, or at the end, checks every row again.)
 */
static void check_rerun(mdl_ctx *ctx, mdl_storage *st, const char *dir, int trial)
{
    mdl_table *t;
    mdl_error err;
    if (mdl_table_open(ctx, st, -1, &t, &err) != MDL_OK)
        fail_msg("open after the rerun of trial %d: %s", trial, err.message);
    assert_int_equal(mdl_table_version(t), trial);
    assert_int_equal(mdl_table_txn_version(t, APP_ID), trial);
    assert_int_equal(mdl_table_num_files(t), (size_t)trial);
    mdl_table_file f;
    mdl_table_file_at(t, (size_t)trial - 1, &f);
    assert_int_equal(f.num_records, TRIAL_ROWS);
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, f.path);
    mdl_parquet_reader *r;
    if (mdl_parquet_reader_open_file(ctx, path, NULL, &r, &err) != MDL_OK)
        fail_msg("trial %d: %s", trial, err.message);
    static unsigned char ids[TRIAL_ROWS];
    memset(ids, 0, sizeof ids);
    size_t rows = 0;
    for (;;) {
        mdl_batch *b;
        if (mdl_parquet_reader_next(r, &b, &err) != MDL_OK)
            fail_msg("trial %d: %s", trial, err.message);
        if (b == NULL)
            break;
        for (size_t i = 0; i < b->num_rows; i++) {
            int64_t id = mdl_column_i64(&b->columns[0], i) - (int64_t)trial * ID_STRIDE;
            assert_true(id >= 0 && id < TRIAL_ROWS);
            assert_int_equal(ids[id]++, 0);
        }
        rows += b->num_rows;
        mdl_batch_free(b);
    }
    mdl_parquet_reader_free(r);
    assert_int_equal(rows, TRIAL_ROWS);
    mdl_table_close(t);
}

/* Adds v to the sorted samples and returns their median. */
static int64_t median_add(int64_t *v, size_t *n, int64_t x)
{
    size_t i = (*n)++;
    for (; i > 0 && v[i - 1] > x; i--)
        v[i] = v[i - 1];
    v[i] = x;
    return v[*n / 2];
}

/* Names in `dir` starting with '.' (other than . and ..), and other names. */
static void count_dir(const char *dir, int *dot, int *plain)
{
    *dot = *plain = 0;
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (de->d_name[0] == '.')
            (*dot)++;
        else if (strstr(de->d_name, ".checkpoint.") == NULL &&
                 strcmp(de->d_name, "_last_checkpoint") != 0)
            (*plain)++; /* checkpoints come every ten commits: counted by the log checks */
    }
    closedir(d);
}

/* The storage lists exactly `n` commit files under _delta_log/ (and the checkpoints of every
 * tenth version, with _last_checkpoint), never a temporary file. */
static void check_log_listing(mdl_ctx *ctx, mdl_storage *st, int n)
{
    mdl_storage_list l;
    assert_int_equal(mdl_storage_list_prefix(st, "_delta_log/", &l, NULL), MDL_OK);
    size_t commits = 0;
    for (size_t i = 0; i < l.count; i++) {
        const char *k = l.entries[i].key;
        if (strstr(k, ".checkpoint.parquet") != NULL ||
            strcmp(k, "_delta_log/_last_checkpoint") == 0)
            continue;
        char want[64];
        snprintf(want, sizeof want, "_delta_log/%020zu.json", commits++);
        assert_string_equal(k, want);
    }
    assert_int_equal(commits, (size_t)n);
    mdl_storage_list_free(ctx, &l);
}

static void test_table_crash__killed_writers_leave_whole_commits(void **state)
{
    (void)state;
    int64_t started = now_us();
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    char dir[512];
    mdl_test_table_dir("crash", dir, sizeof dir); /* kept for the DuckDB oracle when asked */
    char logdir[600];
    snprintf(logdir, sizeof logdir, "%s/_delta_log", dir);
    mdl_storage *st;
    assert_int_equal(mdl_storage_open_local(&ctx, dir, &st, NULL), MDL_OK);
    mdl_schema *s;
    assert_int_equal(mdl_schema_parse(&ctx, "id int64 not null, tag string", &s, NULL), MDL_OK);
    assert_int_equal(mdl_table_create(&ctx, st, s, "crash", NULL, NULL, 0, NULL), MDL_OK);

    static seen sn;
    int64_t version;
    check_table(&ctx, st, &sn, 0, 0, &version);
    assert_int_equal(version, 0);

    /* kills by what the child had reached: [0] none (unkilled), then by phase */
    int unkilled = 0, killed_before_open = 0, killed_writing = 0, killed_committing = 0,
        killed_after_link = 0, killed_after_commit = 0, child_commits = 0, log_temps = 0,
        log_temp_trials = 0;
    int64_t open_us = 0, post_us = 0; /* fork to "opened", "opened" to done (unkilled) */
    int64_t samples[TRIALS];
    size_t nsamples = 0;
    int orphan_parts = 0, killed_data_done = 0, finished_first = 0;

    for (int trial = 1; trial <= TRIALS; trial++) {
        mdl_batch *batches[BATCHES];
        for (int b = 0; b < BATCHES; b++)
            batches[b] = trial_batch(&ctx, s, trial, b);
        /*
         * When to kill: ~10% of trials not at all; ~20% at a uniform moment between the fork
         * and the writer being open (the log replay grows with the table); the rest at a
         * uniform moment from "opened" to the median time unkilled writers took from
         * there (writing the batches, finishing the data file, committing), so some kills land
         * during the data file, some during the commit and some after it.
         */
        uint64_t pick = rng_next() % 10;
        bool no_kill = trial <= CALIBRATION || pick == 0;
        bool early = !no_kill && pick <= 2;
        uint64_t r = rng_next();
        int64_t delay =
            early ? (int64_t)(r % (uint64_t)(open_us + 1)) : (int64_t)(r % (uint64_t)(post_us + 1));
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        int64_t t0 = now_us();
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            bool noop = false;
            mdl_error err;
            int rc = write_trial(&ctx, st, trial, batches, fds[1], &noop, &err);
            _exit(rc != MDL_OK ? 10 : noop ? 11 : 0);
        }
        close(fds[1]);
        char phases[8] = {0};
        size_t np = 0;
        int64_t t_open = -1;
        if (!early) {
            /* wait for "opened" (or the child's end, if it fails first) */
            ssize_t n;
            while ((n = read(fds[0], phases, 1)) < 0 && errno == EINTR)
                ;
            np = n > 0 ? (size_t)n : 0;
            t_open = now_us();
            open_us = t_open - t0;
        }
        if (!no_kill) {
            sleep_us(delay);
            assert_int_equal(kill(pid, SIGKILL), 0); /* a zombie can still be signalled */
        }
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        int64_t t_end = now_us();
        for (;;) {
            ssize_t n = read(fds[0], phases + np, sizeof phases - 1 - np);
            if (n <= 0)
                break;
            np += (size_t)n;
        }
        close(fds[0]);
        int phase = strchr(phases, 'c')   ? PH_COMMITTED
                    : strchr(phases, 'w') ? PH_WRITTEN
                    : strchr(phases, 'o') ? PH_OPENED
                                          : PH_NONE;
        bool signalled = WIFSIGNALED(status);
        if (!signalled) {
            /* unkilled, or finished before the signal: it must have succeeded */
            assert_true(WIFEXITED(status));
            if (WEXITSTATUS(status) != 0)
                fail_msg("trial %d: child exited with %d", trial, WEXITSTATUS(status));
            assert_int_equal(phase, PH_COMMITTED);
        } else {
            assert_int_equal(WTERMSIG(status), SIGKILL);
        }
        if (no_kill && !signalled && t_open >= 0) /* an unkilled writer: time it */
            post_us = median_add(samples, &nsamples, t_end - t_open);

        /* what is visible now: everything before, and this trial whole or not at all */
        bool in = check_table(&ctx, st, &sn, trial - 1, trial, &version);
        if (phase == PH_COMMITTED)
            assert_true(in);
        child_commits += in;
        if (!signalled)
            unkilled += no_kill, finished_first += !no_kill;
        else if (phase == PH_NONE)
            killed_before_open++;
        else if (phase == PH_OPENED)
            killed_writing++;
        else if (phase == PH_WRITTEN && !in)
            killed_committing++; /* finishing the data file, or committing it */
        else if (phase == PH_WRITTEN)
            killed_after_link++; /* the commit file had landed, commit() had not returned */
        else
            killed_after_commit++;

        /*
         * Temporary files in _delta_log: put_if_absent writes ".<commit>.<pid>...tmp", links
         * it into place and unlinks it, so a writer killed inside that window (after its
         * data file, i.e. in phase "written") leaves one behind; nothing removes it yet.
         * It must never come from any other phase, never from a writer that finished, and
         * never be listed (so never read as a commit).
         */
        int dot, plain;
        count_dir(logdir, &dot, &plain);
        assert_true(dot >= log_temps);
        if (dot > log_temps && !(signalled && phase == PH_WRITTEN))
            fail_msg("trial %d (phase %d, %s): %d new temporary file(s) in _delta_log", trial,
                     phase, in ? "committed" : "not committed", dot - log_temps);
        if (dot > log_temps)
            log_temp_trials++;
        log_temps = dot;
        assert_int_equal(plain, trial - 1 + in + 1);
        /* a part file in the root that the log does not reference: the data file was done */
        int root_dot, root_plain;
        count_dir(dir, &root_dot, &root_plain);
        int orphans = root_plain - 1 - (trial - 1 + in);
        assert_true(orphans >= orphan_parts);
        if (orphans > orphan_parts) {
            assert_true(signalled && phase == PH_WRITTEN && !in);
            killed_data_done++;
        }
        orphan_parts = orphans;
        check_log_listing(&ctx, st, trial - 1 + in + 1);

        /* rerun the same transaction: it commits now, or is a no-op if the child's landed */
        bool noop = false;
        mdl_error err;
        if (write_trial(&ctx, st, trial, batches, -1, &noop, &err) != MDL_OK)
            fail_msg("trial %d rerun: %s", trial, err.message);
        assert_int_equal(noop, in);
        check_rerun(&ctx, st, dir, trial);
        count_dir(logdir, &dot, &plain);
        assert_int_equal(dot, log_temps); /* a finished commit leaves no temporary file */
        assert_int_equal(plain, trial + 1);
        for (int b = 0; b < BATCHES; b++)
            mdl_batch_free(batches[b]);
    }

    /* the end: one commit per trial after the create, every row once */
    check_table(&ctx, st, &sn, TRIALS, 0, &version);
    assert_int_equal(version, TRIALS);
    assert_int_equal(sn.total, (int64_t)TRIALS * TRIAL_ROWS);
    for (int k = 1; k <= TRIALS; k++) {
        /* the snapshot of version k shows trial k as the last transaction */
        mdl_table *t;
        assert_int_equal(mdl_table_open(&ctx, st, k, &t, NULL), MDL_OK);
        assert_int_equal(mdl_table_txn_version(t, APP_ID), k);
        mdl_table_close(t);
    }
    int dot, plain;
    count_dir(logdir, &dot, &plain);
    assert_int_equal(dot, log_temps); /* only those of writers killed while committing */
    assert_int_equal(plain, TRIALS + 1);
    check_log_listing(&ctx, st, TRIALS + 1);
    /*
     * Killed writers may leave data files in the table root that no commit references: their
     * hidden temporary file (killed while writing), or a renamed part file (killed between
     * finishing it and committing). Readers never see them (the log is the truth, and the
     * checks above match the log against the rows); a vacuum removes them later.
     */
    int root_dot, root_plain;
    count_dir(dir, &root_dot, &root_plain);
    assert_true(root_plain >= TRIALS + 1); /* _delta_log and the referenced part files */
    print_message("crash: %d trials in %.1f s (open ~%lld us, write ~%lld us): %d not killed, %d "
                  "finished before the kill, "
                  "%d child commits; "
                  "killed before open %d, writing %d, committing %d, after the commit file "
                  "landed %d, after commit returned %d (of the %d committing: %d with the data "
                  "file done); orphans in root: %d temp, %d part; "
                  "temporary files left in _delta_log: %d\n",
                  TRIALS, (double)(now_us() - started) / 1e6, (long long)open_us,
                  (long long)post_us, unkilled, finished_first, child_commits, killed_before_open,
                  killed_writing, killed_committing, killed_after_link, killed_after_commit,
                  killed_committing, killed_data_done, root_dot, root_plain - TRIALS - 1,
                  log_temps);
    assert_int_equal(log_temp_trials, log_temps);

    mdl_schema_release(s);
    mdl_storage_release(st);
    mdl_test_table_dir_done(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_crash__killed_writers_leave_whole_commits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
