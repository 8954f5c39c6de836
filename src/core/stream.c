/*
 * stream.c - batch streams: release, and the adapter that turns any batch-producing object
 * (a reader) into an mdl_batch_stream.
 */
#include "medallion/core.h"

typedef struct wrapped {
    mdl_batch_stream base;
    mdl_ctx *ctx;
    const mdl_batch_source *source;
    void *state;
} wrapped;

static int wrapped_next(mdl_batch_stream *s, mdl_batch **out, mdl_error *err)
{
    wrapped *w = s->private_data;
    return w->source->next(w->state, out, err);
}

static void wrapped_release(mdl_batch_stream *s)
{
    wrapped *w = s->private_data;
    w->source->free(w->state);
    mdl_free(w->ctx, w);
}

int mdl_batch_stream_wrap(mdl_ctx *ctx, mdl_schema *schema, const mdl_batch_source *source,
                          void *state, mdl_batch_stream **out, mdl_error *err)
{
    *out = NULL;
    wrapped *w = mdl_calloc(ctx, 1, sizeof *w);
    if (w == NULL) {
        source->free(state);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory creating a batch stream");
    }
    w->ctx = ctx;
    w->source = source;
    w->state = state;
    w->base.next = wrapped_next;
    w->base.release = wrapped_release;
    w->base.schema = schema;
    w->base.private_data = w;
    *out = &w->base;
    return MDL_OK;
}

void mdl_batch_stream_release(mdl_batch_stream *s)
{
    if (s != NULL && s->release != NULL)
        s->release(s);
}
