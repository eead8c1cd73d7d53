/* Building BGP messages byte by byte for the unit tests. */
#ifndef ERDIAG_TEST_BGP_MSG_BUILD_H
#define ERDIAG_TEST_BGP_MSG_BUILD_H

#include <glib.h>
#include "erdiag/bgp.h"
#include "bgp_decode.h" /* header sizes and limits */

static G_GNUC_UNUSED GByteArray *msg_new(guint8 type)
{
    GByteArray *m = g_byte_array_new();
    for (int i = 0; i < ERDIAG_BGP_MARKER_LEN; i++)
        g_byte_array_append(m, (const guint8 *)"\xff", 1);
    guint8 hdr[3] = { 0, 0, type };
    g_byte_array_append(m, hdr, 3);
    return m;
}

static G_GNUC_UNUSED void put8(GByteArray *m, guint v)
{
    guint8 b = (guint8)v;
    g_byte_array_append(m, &b, 1);
}

static G_GNUC_UNUSED void put16(GByteArray *m, guint v)
{
    put8(m, v >> 8);
    put8(m, v);
}

static G_GNUC_UNUSED void put32(GByteArray *m, guint32 v)
{
    put16(m, v >> 16);
    put16(m, v & 0xffff);
}

static G_GNUC_UNUSED void set16(GByteArray *m, guint off, guint v)
{
    m->data[off] = (guint8)(v >> 8);
    m->data[off + 1] = (guint8)v;
}

/* Sets the header length to the bytes built so far. */
static G_GNUC_UNUSED void msg_done(GByteArray *m)
{
    set16(m, 16, m->len);
}

static G_GNUC_UNUSED void put_prefix4(GByteArray *m, guint8 a, guint8 b, guint8 c, guint8 d,
                                      guint len)
{
    guint8 bytes[4] = { a, b, c, d };
    put8(m, len);
    g_byte_array_append(m, bytes, (len + 7) / 8);
}

/* An attribute; the extended-length flag picks a 2-byte length. */
static G_GNUC_UNUSED void put_attr(GByteArray *m, guint8 flags, guint8 type, const guint8 *v,
                                   guint len)
{
    put8(m, flags);
    put8(m, type);
    if (flags & 0x10)
        put16(m, len);
    else
        put8(m, len);
    if (len)
        g_byte_array_append(m, v, len);
}

/* UPDATE from three prepared parts. */
static G_GNUC_UNUSED GByteArray *update_new(const GByteArray *withdrawn, const GByteArray *attrs,
                              const GByteArray *nlri)
{
    GByteArray *m = msg_new(ERDIAG_BGP_UPDATE);
    put16(m, withdrawn ? withdrawn->len : 0);
    if (withdrawn)
        g_byte_array_append(m, withdrawn->data, withdrawn->len);
    put16(m, attrs ? attrs->len : 0);
    if (attrs)
        g_byte_array_append(m, attrs->data, attrs->len);
    if (nlri)
        g_byte_array_append(m, nlri->data, nlri->len);
    msg_done(m);
    return m;
}

static G_GNUC_UNUSED void put_cap(GByteArray *caps, guint8 code, const guint8 *v, guint len)
{
    put8(caps, code);
    put8(caps, len);
    if (len)
        g_byte_array_append(caps, v, len);
}

static G_GNUC_UNUSED GByteArray *open_new(guint my_as, guint hold, guint32 id,
                                          const GByteArray *caps)
{
    GByteArray *m = msg_new(ERDIAG_BGP_OPEN);
    put8(m, 4);
    put16(m, my_as);
    put16(m, hold);
    put32(m, id);
    if (caps && caps->len) {
        put8(m, caps->len + 2);
        put8(m, 2); /* capabilities parameter */
        put8(m, caps->len);
        g_byte_array_append(m, caps->data, caps->len);
    } else {
        put8(m, 0);
    }
    msg_done(m);
    return m;
}

#endif
