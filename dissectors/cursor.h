/* A bounds-checked reader over untrusted packet bytes.
 *
 * Every getter checks the remaining length first. On a short read it sets
 * err, returns 0 (or FALSE) and leaves off unchanged, so a decoder can read a
 * whole header and test err once at the end instead of after every field.
 * Once err is set, later reads keep failing: a half-read header never yields
 * values taken from past the end. */
#ifndef ERDIAG_CURSOR_H
#define ERDIAG_CURSOR_H

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

typedef struct {
    const guint8 *p;  /* first byte of the buffer */
    gsize len;        /* bytes available (captured), never what a header claims */
    gsize off;        /* read position */
    gboolean err;     /* a read ran past len */
} erdiag_cursor;

/* Big-endian loads at a position already known to lie within the captured
 * bytes: for a header whose fixed part was length-checked once, so that its
 * fields need not each be checked again. */
static inline guint16 erdiag_load_u16be(const guint8 *b)
{
    return (guint16)((b[0] << 8) | b[1]);
}

static inline guint32 erdiag_load_u32be(const guint8 *b)
{
    return ((guint32)b[0] << 24) | ((guint32)b[1] << 16) | ((guint32)b[2] << 8) | b[3];
}

static inline erdiag_cursor erdiag_cursor_make(const guint8 *p, gsize len)
{
    erdiag_cursor c = { p, p ? len : 0, 0, FALSE };
    return c;
}

static inline gsize erdiag_cursor_remaining(const erdiag_cursor *c)
{
    return c->off <= c->len ? c->len - c->off : 0;
}

/* Pointer to the read position (valid for erdiag_cursor_remaining() bytes). */
static inline const guint8 *erdiag_cursor_ptr(const erdiag_cursor *c)
{
    return c->p ? c->p + MIN(c->off, c->len) : NULL;
}

/* TRUE when n more bytes can be read; sets err otherwise. */
static inline gboolean erdiag_cursor_need(erdiag_cursor *c, gsize n)
{
    if (c->err || erdiag_cursor_remaining(c) < n) {
        c->err = TRUE;
        return FALSE;
    }
    return TRUE;
}

static inline guint8 erdiag_cursor_get_u8(erdiag_cursor *c)
{
    if (!erdiag_cursor_need(c, 1))
        return 0;
    return c->p[c->off++];
}

static inline guint16 erdiag_cursor_get_u16be(erdiag_cursor *c)
{
    if (!erdiag_cursor_need(c, 2))
        return 0;
    const guint8 *b = c->p + c->off;
    c->off += 2;
    return erdiag_load_u16be(b);
}

static inline guint32 erdiag_cursor_get_u32be(erdiag_cursor *c)
{
    if (!erdiag_cursor_need(c, 4))
        return 0;
    const guint8 *b = c->p + c->off;
    c->off += 4;
    return erdiag_load_u32be(b);
}

/* Copies n bytes into out; on a short read out is zero-filled. */
static inline gboolean erdiag_cursor_get_bytes(erdiag_cursor *c, guint8 *out, gsize n)
{
    if (!erdiag_cursor_need(c, n)) {
        if (out && n)
            memset(out, 0, n);
        return FALSE;
    }
    if (n)
        memcpy(out, c->p + c->off, n);
    c->off += n;
    return TRUE;
}

static inline gboolean erdiag_cursor_skip(erdiag_cursor *c, gsize n)
{
    if (!erdiag_cursor_need(c, n))
        return FALSE;
    c->off += n;
    return TRUE;
}

/* Peeks without moving; FALSE (and err untouched) when fewer than n bytes remain. */
static inline gboolean erdiag_cursor_peek_u16be(const erdiag_cursor *c, guint16 *out)
{
    if (c->err || erdiag_cursor_remaining(c) < 2)
        return FALSE;
    const guint8 *b = c->p + c->off;
    *out = (guint16)((b[0] << 8) | b[1]);
    return TRUE;
}

/* A cursor over the next n bytes (clamped to what is left), for a nested
 * header whose own length field bounds it further. Does not advance c. */
static inline erdiag_cursor erdiag_cursor_sub(const erdiag_cursor *c, gsize n)
{
    gsize left = erdiag_cursor_remaining(c);
    return erdiag_cursor_make(c->p ? c->p + MIN(c->off, c->len) : NULL, MIN(n, left));
}

/* Takes the next n bytes as a cursor of their own and moves c past them.
 * On a short read c->err is set and the returned cursor is empty with err
 * set, so reads from it fail too. */
static inline erdiag_cursor erdiag_cursor_take(erdiag_cursor *c, gsize n)
{
    if (!erdiag_cursor_need(c, n)) {
        erdiag_cursor bad = { NULL, 0, 0, TRUE };
        return bad;
    }
    erdiag_cursor sub = erdiag_cursor_make(c->p + c->off, n);
    c->off += n;
    return sub;
}

/* Nothing more to read: the end, or a failed read (so a loop "until the
 * end" over a cursor always stops). */
static inline gboolean erdiag_cursor_at_end(const erdiag_cursor *c)
{
    return c->err || erdiag_cursor_remaining(c) == 0;
}

G_END_DECLS

#endif
