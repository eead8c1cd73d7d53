/* The epan fields the post-dissector reads.
 *
 * epan only fills in fields somebody asked for ("wanted"); everything else is
 * faked and invisible to proto_get_finfo_ptr_array(). The list is handed to
 * set_postdissector_wanted_hfids() on every file's first pass. */
#include "expressroute.h"

#include <epan/proto.h>
#include <epan/tvbuff.h>

static const char *const wanted_names[ER_WF_COUNT] = {
    [ER_WF_TCP_SEGMENT] = "tcp.segment",
    [ER_WF_TCP_RETRANSMISSION] = "tcp.analysis.retransmission",
    [ER_WF_BGP] = "bgp",
};

static int wanted_hf[ER_WF_COUNT];
static gboolean resolved;

void er_wanted_fields_resolve(void)
{
    for (int i = 0; i < ER_WF_COUNT; i++) {
        wanted_hf[i] = -1;
        if (!wanted_names[i])
            continue;
        wanted_hf[i] = proto_registrar_get_id_byname(wanted_names[i]);
        /* A field renamed in a later Wireshark only loses that detail. */
        if (wanted_hf[i] < 0)
            ws_warning("expressroute: field %s is unknown to this Wireshark; ignoring it",
                       wanted_names[i]);
    }
    resolved = TRUE;
}

GArray *er_wanted_fields_array(void)
{
    GArray *arr = g_array_sized_new(FALSE, FALSE, sizeof(int), ER_WF_COUNT);
    if (!resolved)
        return arr;
    for (int i = 0; i < ER_WF_COUNT; i++)
        if (wanted_hf[i] >= 0)
            g_array_append_val(arr, wanted_hf[i]);
    return arr;
}

GPtrArray *er_wf_items(proto_tree *tree, er_wanted_field f)
{
    if (!tree || !resolved || f >= ER_WF_COUNT || wanted_hf[f] < 0)
        return NULL;
    GPtrArray *items = proto_get_finfo_ptr_array(tree, wanted_hf[f]);
    return (items && items->len) ? items : NULL;
}

field_info *er_wf_first(proto_tree *tree, er_wanted_field f)
{
    GPtrArray *items = er_wf_items(tree, f);
    return items ? g_ptr_array_index(items, 0) : NULL;
}

gboolean er_fi_has_bytes(const field_info *fi, gint len)
{
    if (!fi || !fi->ds_tvb || fi->start < 0 || len < 0)
        return FALSE;
    return tvb_bytes_exist(fi->ds_tvb, fi->start, len);
}

gboolean er_fi_uint(const field_info *fi, guint32 *out)
{
    if (!fi || fi->length < 1 || fi->length > 4 || !er_fi_has_bytes(fi, fi->length))
        return FALSE;
    guint32 v = 0;
    for (gint i = 0; i < fi->length; i++)
        v = (v << 8) | ER_GET_U8(fi->ds_tvb, fi->start + i);
    *out = v;
    return TRUE;
}

gboolean er_fi_bytes(const field_info *fi, guint8 *out, gint n)
{
    if (!fi || n < 0 || !er_fi_has_bytes(fi, n))
        return FALSE;
    tvb_memcpy(fi->ds_tvb, out, fi->start, (size_t)n);
    return TRUE;
}
