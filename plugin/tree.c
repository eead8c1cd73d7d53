/* The "ExpressRoute" subtree: where the frame belongs (peering, link, side,
 * step) and the findings it is evidence for, each with its expert info.
 * Everything drawn here comes from the frame's record and the engine, never
 * from the packet's fields, so every pass draws the same thing (plus late
 * verdicts once the engine has finished). */
#include "expressroute.h"

#include <string.h>

#include "erdiag/finding.h"

static proto_item *add_text(proto_tree *tree, int hf, tvbuff_t *tvb, const char *value)
{
    proto_item *pi = proto_tree_add_string(tree, hf, tvb, 0, 0, value ? value : "");
    proto_item_set_generated(pi);
    return pi;
}

/* The CLI's words for the two sides ("customer" and "microsoft" are the
 * engine's internal names). */
static const char *side_text(erdiag_side s)
{
    switch (s) {
    case ERDIAG_SIDE_CUSTOMER: return "on-prem";
    case ERDIAG_SIDE_MICROSOFT: return "Microsoft";
    default: return "unknown";
    }
}

/* Longest piece of text one item shows: epan cuts a label at
 * ITEM_LABEL_LENGTH (240) bytes, "Advice: " included, and marks it
 * "[truncated]". */
#define PIECE_MAX (ITEM_LABEL_LENGTH - 24)

/* Splits text into sentences (after ". " or "; "), and a sentence
 * still too long for one label at its last space that fits; every piece is
 * added as one item of field hf. */
static void add_pieces(proto_tree *tree, int hf, tvbuff_t *tvb, const char *text)
{
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t len = strlen(p);
        size_t cut = len;
        /* the first sentence end */
        for (size_t i = 0; i + 1 < len; i++) {
            if ((p[i] == '.' || p[i] == ';') && p[i + 1] == ' ') {
                cut = i + 1;
                break;
            }
        }
        if (cut > PIECE_MAX) {
            /* the last space that fits, else a hard cut on a UTF-8 boundary */
            size_t sp = PIECE_MAX;
            while (sp > 0 && p[sp] != ' ')
                sp--;
            if (sp == 0) {
                sp = PIECE_MAX;
                while (sp > 0 && ((guchar)p[sp] & 0xC0) == 0x80)
                    sp--;
            }
            cut = sp;
        }
        char *piece = g_strndup(p, cut);
        add_text(tree, hf, tvb, piece);
        g_free(piece);
        p += cut;
    }
}

/* text as it fits in room bytes of a label: whole, or cut at a space (else
 * on a UTF-8 boundary) and ending in "..." (g_free) */
static char *cut_text(const char *text, size_t room)
{
    size_t len = strlen(text);
    if (len <= room)
        return g_strdup(text);
    size_t cut = room > 3 ? room - 3 : 0;
    while (cut > 0 && text[cut] != ' ')
        cut--;
    if (cut == 0) {
        cut = room > 3 ? room - 3 : 0;
        while (cut > 0 && ((guchar)text[cut] & 0xC0) == 0x80)
            cut--;
    }
    return g_strdup_printf("%.*s...", (int)cut, text);
}

static void draw_finding(tvbuff_t *tvb, packet_info *pinfo, proto_tree *top, const erdiag_finding *f)
{
    const erdiag_finding_def *def = erdiag_finding_def_get(f->kind);
    if (!def)
        return;
    const char *sev = erdiag_severity_name(f->severity);
    const char *message = f->message ? f->message : def->title;
    proto_item *fi = add_text(top, er_hf_finding, tvb, def->id);
    /* the label stays within one line: a long message ends in "..." here
     * and is whole in the Message item below */
    g_autofree char *label = cut_text(message, PIECE_MAX - strlen(def->id) - strlen(sev) - 4);
    proto_item_append_text(fi, " (%s): %s", sev, label);
    proto_tree *ft = proto_item_add_subtree(fi, er_ett_finding);
    add_text(ft, er_hf_severity, tvb, sev);
    /* the message whole, for filters; its label may be cut, so a long one
     * is also written out in pieces under it */
    proto_item *mi = add_text(ft, er_hf_message, tvb, message);
    if (strlen(message) > PIECE_MAX) {
        /* the field keeps the whole message; its label ends in "..." rather
         * than epan's "[truncated]", and the pieces below hold the rest */
        g_autofree char *short_label = cut_text(message, PIECE_MAX - 12);
        proto_item_set_text(mi, "Message: %s", short_label);
        add_pieces(proto_item_add_subtree(mi, er_ett_text), er_hf_message_part, tvb, message);
    }
    if (f->advice && *f->advice) {
        /* one item per sentence: a single one would be cut at 240 bytes */
        proto_tree *at = proto_tree_add_subtree(ft, tvb, 0, 0, er_ett_text, NULL, "Advice");
        add_pieces(at, er_hf_advice, tvb, f->advice);
    }
    guint sev_index = (guint)f->severity < ER_SEVERITY_COUNT ? (guint)f->severity : ERDIAG_SEV_ERROR;
    /* Expert Information shows "Expert Info (Warning/Protocol): " before it */
    g_autofree char *expert = cut_text(message, PIECE_MAX - 40);
    expert_add_info_format(pinfo, fi, &er_ei_finding[f->kind][sev_index], "%s", expert);
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
                               rec->link ? rec->link : "", side_text(rec->side));
        add_text(top, er_hf_peering, tvb, rec->peering);
        if (rec->link)
            add_text(top, er_hf_link, tvb, rec->link);
        add_text(top, er_hf_side, tvb, side_text(rec->side));
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
