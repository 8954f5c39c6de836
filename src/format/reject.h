/*
 * reject.h - internal helpers every reader uses to describe and deliver rejected rows, so
 * all readers word and bound their rejects the same way.
 */
#ifndef MDL_FORMAT_REJECT_H
#define MDL_FORMAT_REJECT_H

#include "medallion/format.h"

/* Bounds of what a reject carries (see mdl_reject in format.h). */
enum { MDL_REJECT_VALUE_MAX = 256, MDL_REJECT_RECORD_MAX = 4096, MDL_REJECT_SHOW_MAX = 64 };

/* Length of at most `max` bytes of s that does not end inside a UTF-8 sequence. */
size_t mdl_format__utf8_prefix(const char *s, size_t len, size_t max);

/* Room for a shown value: every byte possibly "\xHH", plus a NUL. */
#define MDL_REJECT_SHOWN_SIZE (MDL_REJECT_SHOW_MAX * 4 + 1)

/*
 * The value for display inside a one-line reason: at most MDL_REJECT_SHOW_MAX bytes, never
 * cut inside a character, control characters and bytes that are not valid UTF-8 as \xHH.
 * Returns true when the value was shortened (callers add "...").
 */
bool mdl_format__show_value(char out[MDL_REJECT_SHOWN_SIZE], const char *value, size_t len);

/*
 * Writes "'<value>' <phrase>" into out: the value shortened to MDL_REJECT_SHOW_MAX bytes
 * (never inside a character, "..." when cut), control characters and bytes that are not
 * valid UTF-8 as \xHH, so the reason is always clean one-line text.
 */
void mdl_format__describe_value(char *out, size_t cap, const char *value, size_t len,
                                const char *phrase);

/*
 * Hands a reject to the callback. Without a callback the reject becomes the error (the
 * first bad row fails the read); a callback that returns a status stops the read with it.
 */
int mdl_format__deliver_reject(mdl_reject_fn fn, void *payload, const mdl_reject *rj,
                               mdl_error *err);

#endif
