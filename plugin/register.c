/* The expressroute protocol: fields, subtrees, expert infos (one per catalog
 * finding), preferences, and the post-dissector entry point. */
#include "expressroute.h"

#include <epan/proto_data.h>
#include <epan/tap.h>

#include "erdiag/finding.h"

int er_proto = -1;
int er_tap = -1;
int er_hf_peering = -1, er_hf_link = -1, er_hf_side = -1, er_hf_step = -1;
int er_hf_finding = -1, er_hf_severity = -1, er_hf_message = -1, er_hf_advice = -1;
int er_hf_config_error = -1, er_hf_message_part = -1;
gint er_ett_top = -1, er_ett_finding = -1, er_ett_text = -1;
expert_field er_ei_finding[ERDIAG_F_COUNT][ER_SEVERITY_COUNT];

dissector_handle_t er_handle;

/* Expert registration keeps pointers into these, so they are static. Every
 * catalog entry gets one expert info per severity: the catalog's usual
 * severity is named expressroute.<id>, the others expressroute.<id>.<severity>
 * (a finding may be raised or lowered, and Wireshark fixes the severity of
 * an expert info when it is registered). */
static ei_register_info ei_reg[ERDIAG_F_COUNT * ER_SEVERITY_COUNT];
static char *ei_names[ERDIAG_F_COUNT * ER_SEVERITY_COUNT];

static int expert_severity(erdiag_severity s)
{
    switch (s) {
    case ERDIAG_SEV_ERROR: return PI_ERROR;
    case ERDIAG_SEV_WARNING: return PI_WARN;
    case ERDIAG_SEV_NOTE: return PI_NOTE;
    default: return PI_CHAT;
    }
}

/* Wireshark's expert groups say what kind of evidence it is: something that
 * never got its answer is a sequence problem, a value that breaks a rule is
 * a protocol problem. */
static int expert_group(erdiag_finding_kind kind, erdiag_step step)
{
    switch (kind) {
    case ERDIAG_F_ARP_UNANSWERED:
    case ERDIAG_F_ARP_DUPLICATE_IP:
    case ERDIAG_F_BGP_TCP_UNANSWERED:
    case ERDIAG_F_BGP_HOLD_TIMER_EXPIRED:
    case ERDIAG_F_BGP_NOT_ESTABLISHED:
    case ERDIAG_F_BGP_SESSION_FLAP:
    case ERDIAG_F_ROUTES_FLAP:
    case ERDIAG_F_REDUNDANCY_LINK_DOWN:
    case ERDIAG_F_DATAPLANE_UNANSWERED_CONNECTION:
        return PI_SEQUENCE;
    case ERDIAG_F_BGP_TCP_MD5_MISMATCH:
        return PI_SECURITY;
    case ERDIAG_F_BGP_TCP_REFUSED:
    case ERDIAG_F_BGP_NOTIFICATION:
        return PI_RESPONSE_CODE;
    case ERDIAG_F_BGP_DECODE_ERROR:
        return PI_MALFORMED;
    default:
        break;
    }
    switch (step) {
    case ERDIAG_STEP_REDUNDANCY:
        return PI_SEQUENCE;
    default:
        return PI_PROTOCOL;
    }
}

static void register_experts(void)
{
    int n = 0;
    for (int k = 0; k < ERDIAG_F_COUNT; k++) {
        const erdiag_finding_def *def = erdiag_finding_def_get((erdiag_finding_kind)k);
        for (int s = 0; s < ER_SEVERITY_COUNT; s++) {
            expert_field init = EI_INIT;
            er_ei_finding[k][s] = init;
            if (!def)
                continue;
            if ((erdiag_severity)s == def->severity)
                ei_names[n] = g_strdup_printf("expressroute.%s", def->id);
            else
                ei_names[n] = g_strdup_printf("expressroute.%s.%s", def->id,
                                              erdiag_severity_name((erdiag_severity)s));
            /* EXPFILL fills the registration-time fields whatever their
             * shape in this Wireshark version. */
            ei_register_info r = { &er_ei_finding[k][s],
                { ei_names[n], expert_group((erdiag_finding_kind)k, def->step),
                  expert_severity((erdiag_severity)s), def->title, EXPFILL } };
            ei_reg[n] = r;
            n++;
        }
    }
    expert_module_t *mod = expert_register_protocol(er_proto);
    expert_register_field_array(mod, ei_reg, n);
}

static int dissect_expressroute(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    if (!er_pref_enabled)
        return 0;
    const er_frame_record *rec;
    if (!PINFO_FD_VISITED(pinfo)) {
        rec = er_capture_first_pass(tvb, pinfo, tree);
    } else {
        er_capture_revisited();
        rec = p_get_proto_data(wmem_file_scope(), pinfo, er_proto, 0);
    }
    if (!rec)
        return 0;
    er_tree_draw(tvb, pinfo, tree, rec);
    tap_queue_packet(er_tap, pinfo, rec);
    return tvb_captured_length(tvb);
}

static void apply_prefs(void)
{
    /* Nothing to do here: the init routine reads the preferences for every
     * file and every redissection, which a preference change triggers. */
}

void er_register_protoinfo(void)
{
    static hf_register_info hf[] = {
        { &er_hf_peering, { "Peering", "expressroute.peering", FT_STRING, BASE_NONE, NULL, 0x0,
          "The ExpressRoute peering this frame belongs to", HFILL } },
        { &er_hf_link, { "Link", "expressroute.link", FT_STRING, BASE_NONE, NULL, 0x0,
          "primary, secondary, primary-v6 or secondary-v6", HFILL } },
        { &er_hf_side, { "Side", "expressroute.side", FT_STRING, BASE_NONE, NULL, 0x0,
          "Who sent the frame: on-prem (the customer's router) or Microsoft (the MSEE)", HFILL } },
        { &er_hf_step, { "Step", "expressroute.step", FT_STRING, BASE_NONE, NULL, 0x0,
          "The verification step the frame is evidence for (l2, bgp, dataplane ...)", HFILL } },
        { &er_hf_finding, { "Finding", "expressroute.finding", FT_STRING, BASE_NONE, NULL, 0x0,
          "Id of a finding this frame is evidence for", HFILL } },
        { &er_hf_severity, { "Severity", "expressroute.severity", FT_STRING, BASE_NONE, NULL, 0x0,
          "error, warning, note or info", HFILL } },
        { &er_hf_message, { "Message", "expressroute.message", FT_STRING, BASE_NONE, NULL, 0x0,
          "What was found, with the concrete values", HFILL } },
        { &er_hf_message_part, { "Message (continued)", "expressroute.message_part", FT_STRING, BASE_NONE,
          NULL, 0x0, "A long message written out in pieces that each fit one line", HFILL } },
        { &er_hf_advice, { "Advice", "expressroute.advice", FT_STRING, BASE_NONE, NULL, 0x0,
          "What to check next: one item per sentence", HFILL } },
        { &er_hf_config_error, { "Configuration error", "expressroute.config_error", FT_STRING,
          BASE_NONE, NULL, 0x0, "Why the configured peering is not used (zero-config instead)", HFILL } },
    };
    static gint *ett[] = { &er_ett_top, &er_ett_finding, &er_ett_text };

    er_proto = proto_register_protocol("Azure ExpressRoute peering analysis", "ExpressRoute",
                                       "expressroute");
    proto_register_field_array(er_proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    register_experts();

    module_t *module = prefs_register_protocol(er_proto, apply_prefs);
    er_prefs_register(module);

    er_handle = register_dissector("expressroute", dissect_expressroute, er_proto);
    register_init_routine(er_capture_init);
    register_cleanup_routine(er_capture_cleanup);
    /* Runs when a file's sequential first pass is over (tshark -2, the GUI
     * after loading): the moment late verdicts become known. */
    register_postseq_cleanup_routine(er_capture_first_pass_done);

    er_tap = register_tap("expressroute");
    er_tap_report_register();
    er_stats_checklist_register();
}

void er_register_handoff(void)
{
    er_wanted_fields_resolve();
    register_postdissector(er_handle);
}
