/*
 * replay_main.c - runs every file of a corpus directory through LLVMFuzzerTestOneInput, so
 * the fuzzers' findings are regression tests in every build, not only clang ones.
 * Fails when the directory is missing or empty (a silently empty replay proves nothing).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }
    size_t cap = 1 << 16, len = 0;
    uint8_t *buf = malloc(cap);
    size_t n;
    while (buf != NULL && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    fclose(f);
    if (buf == NULL)
        return 1;
    /* An exact-size copy, so ASan sees reads one past the input. */
    uint8_t *exact = malloc(len ? len : 1);
    if (len)
        memcpy(exact, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    DIR *d = opendir(argv[1]);
    if (d == NULL) {
        fprintf(stderr, "replay: corpus directory %s is missing\n", argv[1]);
        return 1;
    }
    size_t files = 0;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[1], e->d_name);
        rc |= run_file(path);
        files++;
    }
    closedir(d);
    if (files == 0) {
        fprintf(stderr, "replay: corpus directory %s is empty\n", argv[1]);
        return 1;
    }
    printf("replayed %zu inputs from %s\n", files, argv[1]);
    return rc;
}
