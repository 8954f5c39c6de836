/*
 * suggest.c - "did you mean" support shared by every layer that reports unknown names
 * (contract keys, SQL columns and functions, table names): edit distance and the closest
 * candidate.
 */
#include <string.h>

#include "medallion/util.h"

size_t mdl_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 64;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *mdl_closest_name(const char *word, const char *const *names, size_t n)
{
    const char *best = NULL;
    size_t best_d = 3, wl = strlen(word);
    for (size_t i = 0; i < n; i++) {
        size_t d = mdl_edit_distance(word, names[i]);
        if (d < best_d && d * 2 < wl + (wl == 1)) {
            best = names[i];
            best_d = d;
        }
    }
    return best;
}
