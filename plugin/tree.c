/* The "ExpressRoute" subtree: where the frame belongs (peering, link, side,
 * step) and the findings it is evidence for, each with its expert info.
 * Everything drawn here comes from the frame's record and the engine, never
 * from the packet's fields, so every pass draws the same thing (plus late
 * verdicts once the engine has finished). */
#include "expressroute.h"

#include "erdiag/finding.h"

static proto_item *add_text(proto_tree *tree, int hf, tvbuff_t *tvb, const char *value)
{
    proto_item *pi = proto_tree_add_string(tree, hf, tvb, 0, 0, value ? value : "");
    proto_item_set_generated(pi);
    return pi;
}

static void draw_finding(tvbuff_t *tvb, packet_info *pinfo, proto_tree *top, const erdiag_finding *f)
{
    const erdiag_finding_def *def = erdiag_finding_def_get(f->kind);
    if (!def)
        return;
    const char *sev = erdiag_severity_name(f->severity);
    proto_item *fi = add_text(top, er_hf_finding, tvb, def->id);
    proto_item_append_text(fi, " (%s): %s", sev, f->message ? f->message : def->title);
    proto_tree *ft = proto_item_add_subtree(fi, er_ett_finding);
    add_text(ft, er_hf_severity, tvb, sev);
    add_text(ft, er_hf_message, tvb, f->message ? f->message : def->title);
    if (f->advice && *f->advice)
        add_text(ft, er_hf_advice, tvb, f->advice);
    guint sev_index = (guint)f->severity < ER_SEVERITY_COUNT ? (guint)f->severity : ERDIAG_SEV_ERROR;
    expert_add_info_format(pinfo, fi, &er_ei_finding[f->kind][sev_index], "%s",
                           f->message ? f->message : def->title);
}

void er_tree_draw(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const er_frame_record *rec)
{
    erdiag_engine *engine = er_capture_engine();
    const GPtrArray *findings = engine ? erdiag_engine_frame_findings(engine, pinfo->num) : NULL;
    /* A configuration that could not be used is said once, on frame 1. */
    const char *config_error = pinfo->num == 1 ? er_capture_config_error() : NULL;
    if (!rec->mapped && !(findings && findings->len) && !config_error)
        return;

    proto_item *ti = proto_tree_add_item(tree, er_proto, tvb, 0, 0, ENC_NA);
    proto_tree *top = proto_item_add_subtree(ti, er_ett_top);
    if (rec->mapped) {
        proto_item_append_text(ti, ", %s%s%s, %s", rec->peering, rec->link ? " " : "",
                               rec->link ? rec->link : "", erdiag_side_name(rec->side));
        add_text(top, er_hf_peering, tvb, rec->peering);
        if (rec->link)
            add_text(top, er_hf_link, tvb, rec->link);
        add_text(top, er_hf_side, tvb, erdiag_side_name(rec->side));
        add_text(top, er_hf_step, tvb, erdiag_step_name(rec->step));
    }
    if (config_error) {
        proto_item *ci = add_text(top, er_hf_config_error, tvb, config_error);
        expert_add_info_format(pinfo, ci, &er_ei_finding[ERDIAG_F_CONFIG_INVALID][ERDIAG_SEV_ERROR],
                               "%s (analysing without a configuration)", config_error);
    }
    for (guint i = 0; findings && i < findings->len; i++)
        draw_finding(tvb, pinfo, top, g_ptr_array_index((GPtrArray *)findings, i));
}
