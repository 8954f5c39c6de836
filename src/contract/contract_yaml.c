/*
 * contract_yaml.c - reads a contract's (or the project config's) YAML into a small tree with
 * libyaml's event API (contract_yaml.h).
 *
 * The event API (not yaml_parser_load) is used so that every node keeps the line and column
 * where it starts and so that the limits are enforced while parsing, before anything grows:
 * file size, nesting depth, node count and scalar size. Anchors and aliases are refused (an
 * alias bomb, "billion laughs", expands a few lines into gigabytes), as are explicit tags and
 * more than one document. YAML itself: yaml.org/spec/1.1 (libyaml implements 1.1).
 */
#include <stdio.h>
#include <string.h>

#include <yaml.h>

#include "contract_yaml.h"

void mdl_contract__ynode_free(mdl_ctx *ctx, mdl_ynode *n)
{
    if (n == NULL)
        return;
    for (size_t i = 0; i < n->count; i++)
        mdl_contract__ynode_free(ctx, n->items[i]);
    mdl_free(ctx, n->items);
    mdl_free(ctx, n->text);
    mdl_free(ctx, n);
}

static int node_add(mdl_ctx *ctx, mdl_ynode *parent, mdl_ynode *child)
{
    if (parent->count == parent->cap) {
        size_t cap = parent->cap ? parent->cap * 2 : 8, bytes;
        if (!mdl_size_mul(cap, sizeof *parent->items, &bytes))
            return MDL_ERR_NOMEM;
        mdl_ynode **items = mdl_realloc(ctx, parent->items, bytes);
        if (items == NULL)
            return MDL_ERR_NOMEM;
        parent->items = items;
        parent->cap = cap;
    }
    parent->items[parent->count++] = child;
    return MDL_OK;
}

static mdl_ynode *node_new(mdl_ctx *ctx, mdl_ynode_kind kind, yaml_mark_t mark)
{
    mdl_ynode *n = mdl_calloc(ctx, 1, sizeof *n);
    if (n == NULL)
        return NULL;
    n->kind = kind;
    n->line = (int)mark.line + 1;
    n->column = (int)mark.column + 1;
    return n;
}

/* What is refused on a node: anchors (and so aliases to them) and explicit tags. */
static int check_props(const char *file, const char *what, yaml_mark_t mark,
                       const yaml_char_t *anchor, const yaml_char_t *tag, bool implicit,
                       mdl_error *err)
{
    if (anchor != NULL)
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "%s:%d:%d: anchors (&%.40s) are not allowed in a %s", file,
                             (int)mark.line + 1, (int)mark.column + 1, (const char *)anchor, what);
    if (tag != NULL && !implicit)
        return mdl_error_set(err, MDL_ERR_PARSE, "%s:%d:%d: tags (%.40s) are not allowed in a %s",
                             file, (int)mark.line + 1, (int)mark.column + 1, (const char *)tag,
                             what);
    return MDL_OK;
}

int mdl_contract__yaml_load(mdl_ctx *ctx, const char *file, const char *text, size_t len,
                            mdl_ynode **out, mdl_error *err)
{
    return mdl_contract__yaml_load_as(ctx, file, "contract", text, len, out, err);
}

int mdl_contract__yaml_load_as(mdl_ctx *ctx, const char *file, const char *what, const char *text,
                               size_t len, mdl_ynode **out, mdl_error *err)
{
    *out = NULL;
    if (len > MDL_YAML_MAX_BYTES)
        return mdl_error_set(err, MDL_ERR_LIMIT, "%s:1:1: %s is %zu bytes, over the limit of %u",
                             file, what, len, MDL_YAML_MAX_BYTES);
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return mdl_error_set(err, MDL_ERR_NOMEM, "%s: out of memory", file);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);

    mdl_ynode *stack[MDL_YAML_MAX_DEPTH + 1];
    size_t depth = 0, nodes = 0;
    int documents = 0;
    mdl_ynode *root = NULL;
    int rc = MDL_OK;
    bool done = false;
    while (!done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            yaml_mark_t m = parser.problem_mark;
            if (parser.error == YAML_READER_ERROR) {
                /* The reader reports a byte offset, not a mark: count lines up to it. */
                m.line = m.column = 0;
                for (size_t i = 0; i < parser.problem_offset && i < len; i++) {
                    if (text[i] == '\n') {
                        m.line++;
                        m.column = 0;
                    } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
                        m.column++;
                    }
                }
            }
            if (parser.error == YAML_MEMORY_ERROR)
                rc = mdl_error_set(err, MDL_ERR_NOMEM, "%s: out of memory", file);
            else
                rc = mdl_error_set(err, MDL_ERR_PARSE, "%s:%d:%d: invalid YAML: %s%s%s", file,
                                   (int)m.line + 1, (int)m.column + 1,
                                   parser.problem ? parser.problem : "syntax error",
                                   parser.context ? " " : "", parser.context ? parser.context : "");
            goto cleanup;
        }
        yaml_mark_t mark = ev.start_mark;
        mdl_ynode *n = NULL;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++documents > 1)
                rc = mdl_error_set(err, MDL_ERR_PARSE,
                                   "%s:%d:%d: a %s is one YAML document, found a second", file,
                                   (int)mark.line + 1, (int)mark.column + 1, what);
            break;
        case YAML_ALIAS_EVENT:
            rc = mdl_error_set(
                err, MDL_ERR_PARSE, "%s:%d:%d: aliases (*%.40s) are not allowed in a %s", file,
                (int)mark.line + 1, (int)mark.column + 1, (const char *)ev.data.alias.anchor, what);
            break;
        case YAML_SCALAR_EVENT:
            rc = check_props(file, what, mark, ev.data.scalar.anchor, ev.data.scalar.tag,
                             ev.data.scalar.plain_implicit || ev.data.scalar.quoted_implicit, err);
            if (rc == MDL_OK && ev.data.scalar.length > MDL_YAML_MAX_SCALAR)
                rc = mdl_error_set(err, MDL_ERR_LIMIT,
                                   "%s:%d:%d: value is %zu bytes, over the limit of %d", file,
                                   (int)mark.line + 1, (int)mark.column + 1, ev.data.scalar.length,
                                   MDL_YAML_MAX_SCALAR);
            if (rc == MDL_OK) {
                n = node_new(ctx, MDL_YNODE_SCALAR, mark);
                if (n != NULL) {
                    n->text =
                        mdl_strndup(ctx, (const char *)ev.data.scalar.value, ev.data.scalar.length);
                    n->len = ev.data.scalar.length;
                    n->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
                    if (n->text == NULL) {
                        mdl_free(ctx, n);
                        n = NULL;
                    }
                }
                if (n == NULL)
                    rc = mdl_error_set(err, MDL_ERR_NOMEM, "%s: out of memory", file);
            }
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
            bool seq = ev.type == YAML_SEQUENCE_START_EVENT;
            rc = seq ? check_props(file, what, mark, ev.data.sequence_start.anchor,
                                   ev.data.sequence_start.tag, ev.data.sequence_start.implicit, err)
                     : check_props(file, what, mark, ev.data.mapping_start.anchor,
                                   ev.data.mapping_start.tag, ev.data.mapping_start.implicit, err);
            if (rc == MDL_OK && depth >= MDL_YAML_MAX_DEPTH)
                rc = mdl_error_set(err, MDL_ERR_LIMIT, "%s:%d:%d: nested deeper than %d levels",
                                   file, (int)mark.line + 1, (int)mark.column + 1,
                                   MDL_YAML_MAX_DEPTH);
            if (rc == MDL_OK) {
                n = node_new(ctx, seq ? MDL_YNODE_SEQ : MDL_YNODE_MAP, mark);
                if (n == NULL)
                    rc = mdl_error_set(err, MDL_ERR_NOMEM, "%s: out of memory", file);
            }
            break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            if (depth > 0)
                depth--;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
        if (rc != MDL_OK) {
            mdl_contract__ynode_free(ctx, n);
            goto cleanup;
        }
        if (n == NULL)
            continue;
        if (++nodes > MDL_YAML_MAX_NODES) {
            rc = mdl_error_set(err, MDL_ERR_LIMIT, "%s:%d:%d: more than %d YAML nodes", file,
                               n->line, n->column, MDL_YAML_MAX_NODES);
            mdl_contract__ynode_free(ctx, n);
            goto cleanup;
        }
        if (depth == 0) {
            root = n; /* one document, so one root */
        } else if (node_add(ctx, stack[depth - 1], n) != MDL_OK) {
            mdl_contract__ynode_free(ctx, n);
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "%s: out of memory", file);
            goto cleanup;
        }
        if (n->kind != MDL_YNODE_SCALAR)
            stack[depth++] = n;
    }
    *out = root;
    root = NULL;
cleanup:
    mdl_contract__ynode_free(ctx, root);
    yaml_parser_delete(&parser);
    return rc;
}
