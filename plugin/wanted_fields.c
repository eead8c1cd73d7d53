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
    [ER_WF_BGP_TYPE] = "bgp.type",
    [ER_WF_BGP_LENGTH] = "bgp.length",
    [ER_WF_BGP_OPEN_VERSION] = "bgp.open.version",
    [ER_WF_BGP_OPEN_MYAS] = "bgp.open.myas",
    [ER_WF_BGP_OPEN_HOLDTIME] = "bgp.open.holdtime",
    [ER_WF_BGP_OPEN_ID] = "bgp.open.identifier",
    [ER_WF_BGP_OPEN_OPT_LEN] = "bgp.open.opt.len",
    [ER_WF_BGP_CAP_TYPE] = "bgp.cap.type",
    [ER_WF_BGP_CAP_4AS] = "bgp.cap.4as",
    [ER_WF_BGP_CAP_MP_AFI] = "bgp.cap.mp.afi",
    [ER_WF_BGP_CAP_MP_SAFI] = "bgp.cap.mp.safi",
    [ER_WF_BGP_PREFIX_LENGTH] = "bgp.prefix_length",
    [ER_WF_BGP_WITHDRAWN_PREFIX] = "bgp.withdrawn_prefix",
    [ER_WF_BGP_NLRI_PREFIX] = "bgp.nlri_prefix",
    [ER_WF_BGP_MP_REACH_V4] = "bgp.mp_reach_nlri_ipv4_prefix",
    [ER_WF_BGP_MP_REACH_V6] = "bgp.mp_reach_nlri_ipv6_prefix",
    [ER_WF_BGP_MP_UNREACH_V4] = "bgp.mp_unreach_nlri_ipv4_prefix",
    [ER_WF_BGP_MP_UNREACH_V6] = "bgp.mp_unreach_nlri_ipv6_prefix",
    [ER_WF_BGP_NLRI_PATH_ID] = "bgp.nlri_path_id",
    [ER_WF_BGP_ATTR] = "bgp.update.path_attribute",
    [ER_WF_BGP_ATTR_TYPE] = "bgp.update.path_attribute.type_code",
    [ER_WF_BGP_ORIGIN] = "bgp.update.path_attribute.origin",
    [ER_WF_BGP_AS_SEGMENT] = "bgp.update.path_attribute.as_path_segment",
    [ER_WF_BGP_AS_SEGMENT_TYPE] = "bgp.update.path_attribute.as_path_segment.type",
    [ER_WF_BGP_AS2] = "bgp.update.path_attribute.as_path_segment.as2",
    [ER_WF_BGP_AS4] = "bgp.update.path_attribute.as_path_segment.as4",
    [ER_WF_BGP_NEXT_HOP] = "bgp.update.path_attribute.next_hop",
    [ER_WF_BGP_MP_NEXT_HOP_V4] = "bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv4",
    [ER_WF_BGP_MP_NEXT_HOP_V6] = "bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6",
    [ER_WF_BGP_MP_REACH_AFI] = "bgp.update.path_attribute.mp_reach_nlri.afi",
    [ER_WF_BGP_MP_REACH_SAFI] = "bgp.update.path_attribute.mp_reach_nlri.safi",
    [ER_WF_BGP_MP_UNREACH_SAFI] = "bgp.update.path_attribute.mp_unreach_nlri.safi",
    [ER_WF_BGP_LOCAL_PREF] = "bgp.update.path_attribute.local_pref",
    [ER_WF_BGP_MED] = "bgp.update.path_attribute.multi_exit_disc",
    [ER_WF_BGP_COMMUNITY] = "bgp.update.path_attribute.community",
    [ER_WF_BGP_AGGREGATOR_AS] = "bgp.update.path_attribute.aggregator_as",
    [ER_WF_BGP_NOTIFY_MAJOR] = "bgp.notify.major_error",
    [ER_WF_BGP_NOTIFY_MINOR_HEADER] = "bgp.notify.minor_error",
    [ER_WF_BGP_NOTIFY_MINOR_OPEN] = "bgp.notify.minor_error_open",
    [ER_WF_BGP_NOTIFY_MINOR_UPDATE] = "bgp.notify.minor_error_update",
    [ER_WF_BGP_NOTIFY_MINOR_EXPIRED] = "bgp.notify.minor_error_expired",
    [ER_WF_BGP_NOTIFY_MINOR_STATE] = "bgp.notify.minor_error_state",
    [ER_WF_BGP_NOTIFY_MINOR_CEASE] = "bgp.notify.minor_error_cease",
    [ER_WF_BGP_NOTIFY_MINOR_CAPABILITY] = "bgp.notify.minor_error_capability",
    [ER_WF_BGP_NOTIFY_MINOR_UNKNOWN] = "bgp.notify.minor_error_unknown",
    [ER_WF_BGP_RR_AFI] = "bgp.route_refresh.afi",
    [ER_WF_BGP_RR_SUBTYPE] = "bgp.route_refresh.subtype",
    [ER_WF_BGP_RR_SAFI] = "bgp.route_refresh.safi",
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
