/* Internal interface between the files of the expressroute plugin.
 *
 * register.c      protocol, fields, expert infos, prefs, dissector entry
 * wanted_fields.c the epan fields the post-dissector asks epan to prime
 * extract_frame.c the frame's bytes -> erdiag_events, through the CLI's decoders
 * extract_bgp.c   bgp.* fields of one TCP frame -> one event per message
 * bgp_connections.c  port-179 connection life cycle and OPEN hints, as the CLI
 * event_text.c    one line of text per event (ERDIAG_PLUGIN_EVENT_LOG, tests)
 * prefs_config.c  preferences -> INI text -> erdiag_config
 * capture_state.c the engine of the capture file being read, frame records
 * tree.c          the "ExpressRoute" subtree and expert infos
 * tap_report.c    tshark -z expressroute,report[,json]
 * stats_checklist.c  Statistics > ExpressRoute > Checklist, -z expressroute,tree
 * gui_refresh.c   re-filtering the GUI once the late verdicts are known
 */
#ifndef ER_PLUGIN_EXPRESSROUTE_H
#define ER_PLUGIN_EXPRESSROUTE_H

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/expert.h>
#include <epan/prefs.h>

#include "erdiag/engine.h"

/* Preferences declare their boolean variables with this type: 4.4 headers
 * changed gboolean* to bool*. */
#if WIRESHARK_VERSION_MAJOR > 4 || (WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR >= 4)
typedef bool er_pref_bool;
#  define ER_GET_U8 tvb_get_uint8
#else
typedef gboolean er_pref_bool;
#  define ER_GET_U8 tvb_get_guint8
#endif

/* ---- register.c ---- */
extern int er_proto;
extern int er_tap;
extern int er_hf_peering, er_hf_link, er_hf_side, er_hf_step;
extern int er_hf_finding, er_hf_severity, er_hf_message, er_hf_advice, er_hf_config_error;
extern int er_hf_message_part;
extern gint er_ett_top, er_ett_finding, er_ett_text;
extern dissector_handle_t er_handle;
/* Expert infos, indexed by erdiag_finding_kind and erdiag_severity. */
#define ER_SEVERITY_COUNT (ERDIAG_SEV_ERROR + 1)
extern expert_field er_ei_finding[ERDIAG_F_COUNT][ER_SEVERITY_COUNT];

void er_register_protoinfo(void);
void er_register_handoff(void);

/* ---- wanted_fields.c ---- */
typedef enum {
    /* Only fields that exist in BGP frames (or, for the retransmission flag,
     * in rare ones): every wanted field is built for real wherever it
     * occurs, so one present in every data-plane frame would cost tshark
     * dearly. The other headers are read by the CLI's decoders. */
    /* TCP: which segments a reassembled message spans; retransmitted data */
    ER_WF_TCP_SEGMENT, ER_WF_TCP_RETRANSMISSION,
    /* BGP: where each message lies (its bytes go to the CLI's decoder) */
    ER_WF_BGP,
    ER_WF_COUNT
} er_wanted_field;

/* Look every field up (handoff time: all dissectors are registered by then).
 * Unknown names are reported once on stderr and left at -1. */
void er_wanted_fields_resolve(void);
/* A fresh array of the resolved hf ids, for set_postdissector_wanted_hfids(). */
GArray *er_wanted_fields_array(void);
/* The items of one field in this packet's tree, in insertion order; NULL when none. */
GPtrArray *er_wf_items(proto_tree *tree, er_wanted_field f);
/* Convenience over er_wf_items(): the first item, or NULL. */
field_info *er_wf_first(proto_tree *tree, er_wanted_field f);

/* ---- reading values from a field's bytes (version-proof, bounds-checked) ---- */
/* TRUE when the item has a data source and [start, start+len) is captured. */
gboolean er_fi_has_bytes(const field_info *fi, gint len);
/* Big-endian unsigned value of an item of 1..4 bytes; FALSE when unreadable. */
gboolean er_fi_uint(const field_info *fi, guint32 *out);
/* Copies exactly n bytes at the item's start; FALSE when fewer are captured. */
gboolean er_fi_bytes(const field_info *fi, guint8 *out, gint n);

/* ---- extract_frame.c / extract_bgp.c ---- */
typedef void (*er_event_sink)(const erdiag_event *ev, gpointer user);


/* Turns one dissected frame into events, in the CLI decoders' order. */
void er_extract_frame(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                      er_event_sink sink, gpointer user);
/* Drops the frame decoder (a capture file closed). */
void er_extract_reset(void);
/* The BGP messages epan found in a port-179 TCP frame, one event each, in
 * stream order (called by er_extract_frame after the TCP event). */
void er_extract_bgp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                    const erdiag_event *tcp_ev, er_event_sink sink, gpointer user);

/* ---- bgp_connections.c ---- */
typedef struct er_bgp_conn er_bgp_conn;
/* Forget every connection (init and cleanup). */
void er_bgp_connections_reset(void);
/* A port-179 segment begins: applies its SYN / RST. Returns its connection,
 * or NULL when the segment's messages do not count (RST, closed); *dir is
 * the segment's direction within the connection. */
er_bgp_conn *er_bgp_conn_segment_start(const erdiag_tcp_ev *t, guint *dir);
/* One message's bytes through the shared decoder (dissectors/bgp_decode.c),
 * with the hints the connection's OPENs give; an OPEN's capabilities are
 * kept for the messages after it. The message and what it points into are
 * valid until the next call. */
const erdiag_bgp_msg *er_bgp_conn_decode(er_bgp_conn *c, guint dir, const guint8 *bytes, guint16 len);
/* The segment ends: applies its FIN (c may be NULL). */
void er_bgp_conn_segment_end(er_bgp_conn *c, guint dir, const erdiag_tcp_ev *t);

/* ---- prefs_config.c ---- */
extern er_pref_bool er_pref_enabled;
void er_prefs_register(module_t *module);
/* The configuration the preferences describe: NULL with *error set when
 * there is none (no file, no inline keys: zero-config) or it is invalid. */
erdiag_config *er_prefs_build_config(char **error);
/* The INI text the inline keys describe ("" when none are set). */
char *er_prefs_inline_ini(void);

/* ---- capture_state.c ---- */
/* What the first pass learned about one frame (wmem_file_scope). */
typedef struct {
    gboolean mapped;            /* the engine mapped it onto a peering */
    const char *peering;        /* peering name, NULL when unmapped */
    const char *link;           /* "primary" ..., NULL when unknown */
    erdiag_side side;
    erdiag_step step;
    guint n_events;             /* events fed for this frame */
} er_frame_record;

void er_capture_init(void);
void er_capture_cleanup(void);
/* The first pass is over (tshark -2, GUI): compute the late verdicts. */
void er_capture_first_pass_done(void);
erdiag_engine *er_capture_engine(void);
/* First-pass work for one frame: extract, feed, record. */
er_frame_record *er_capture_first_pass(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree);
/* Why the configured peering could not be used (NULL when fine). */
const char *er_capture_config_error(void);
/* Finishes the engine (once): late verdicts become known. */
void er_capture_ensure_finished(void);
/* A frame is dissected again: finish if the whole file has been read. */
void er_capture_revisited(void);
/* The engine has finished: late verdicts are known. */
gboolean er_capture_finished(void);

/* ---- tree.c ---- */
void er_tree_draw(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                  const er_frame_record *rec);

/* ---- tap_report.c ---- */
void er_tap_report_register(void);

/* ---- stats_checklist.c ---- */
void er_stats_checklist_register(void);

/* ---- gui_refresh.c ---- */
/* The first pass is over in the GUI: re-apply the display filter once, so
 * frames that became evidence late are shown and colored. */
void er_gui_refresh_schedule(void);
void er_gui_refresh_reset(void);

#endif
