/* Shared by extract_bgp.c and extract_bgp_update.c: one BGP message as a
 * span of its data source, and bounds-checked reads of the items and bytes
 * inside it. Not for other files. */
#ifndef ER_PLUGIN_BGP_MSG_SPAN_H
#define ER_PLUGIN_BGP_MSG_SPAN_H

#include "expressroute.h"
#include "bgp_as_path.h"

enum { HEADER_LEN = 19 };

/* One message: its bytes are [start, end) of ds. */
typedef struct {
    tvbuff_t *ds;
    gint start, end;
    proto_tree *tree;
    packet_info *pinfo;
} msg_span;



static inline gboolean in_range(const field_info *fi, tvbuff_t *ds, gint lo, gint hi)
{
    return fi->ds_tvb == ds && fi->start >= lo && fi->start < hi;
}

/* The first item of field wf starting inside [lo, hi) of the message. */
static inline field_info *first_in(const msg_span *m, er_wanted_field wf, gint lo, gint hi)
{
    GPtrArray *items = er_wf_items(m->tree, wf);
    for (guint i = 0; items && i < items->len; i++) {
        field_info *fi = g_ptr_array_index(items, i);
        if (in_range(fi, m->ds, lo, hi))
            return fi;
    }
    return NULL;
}

static inline field_info *item_at(const msg_span *m, er_wanted_field wf, gint off)
{
    return first_in(m, wf, off, off + 1);
}

static inline gboolean byte_at(const msg_span *m, gint off, guint8 *out)
{
    if (off < m->start || off >= m->end || !tvb_bytes_exist(m->ds, off, 1))
        return FALSE;
    *out = ER_GET_U8(m->ds, off);
    return TRUE;
}

static inline gboolean u16_at(const msg_span *m, gint off, guint16 *out)
{
    if (off < m->start || off + 2 > m->end || !tvb_bytes_exist(m->ds, off, 2))
        return FALSE;
    *out = tvb_get_ntohs(m->ds, off);
    return TRUE;
}

static inline gboolean u32_at(const msg_span *m, gint off, guint32 *out)
{
    if (off < m->start || off + 4 > m->end || !tvb_bytes_exist(m->ds, off, 4))
        return FALSE;
    *out = tvb_get_ntohl(m->ds, off);
    return TRUE;
}

/* The value of field wf at off, or the byte(s) there when epan did not
 * add the item (a header it could not decode): nbytes is 1 or 2. */
static inline gboolean value_at(const msg_span *m, er_wanted_field wf, gint off, gint nbytes, guint32 *out)
{
    field_info *fi = item_at(m, wf, off);
    if (fi && er_fi_uint(fi, out))
        return TRUE;
    if (nbytes == 2) {
        guint16 v16;
        if (!u16_at(m, off, &v16))
            return FALSE;
        *out = v16;
        return TRUE;
    }
    guint8 v8;
    if (!byte_at(m, off, &v8))
        return FALSE;
    *out = v8;
    return TRUE;
}

/* Reusable scratch for one message's borrowed arrays and strings. */
typedef struct {
    GArray *announced, *withdrawn, *communities;
    erdiag_as_path as_path, as4_path, merged;
    GString *as_path_text;
    GArray *attrs;
} er_update_scratch;

void er_update_scratch_init(er_update_scratch *sc);
void er_update_scratch_clear(er_update_scratch *sc);
/* The UPDATE body of m into u; u's arrays and strings live in sc (emptied
 * first), valid until the next call. */
void er_extract_bgp_update(const msg_span *m, erdiag_bgp_update *u, er_update_scratch *sc);

#endif
