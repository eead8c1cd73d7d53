/* A decoded BGP message, as both front ends hand it to the engine.
 * Both fill it with dissectors/bgp_decode.c: the CLI from its TCP stream,
 * the Wireshark plugin from the bytes of each message epan reassembled. Arrays and strings are borrowed: valid only while the
 * event that carries them is being fed; the engine copies what it keeps. */
#ifndef ERDIAG_BGP_H
#define ERDIAG_BGP_H

#include <glib.h>
#include "erdiag/addr.h"

G_BEGIN_DECLS

enum {
    ERDIAG_BGP_OPEN = 1,
    ERDIAG_BGP_UPDATE = 2,
    ERDIAG_BGP_NOTIFICATION = 3,
    ERDIAG_BGP_KEEPALIVE = 4,
    ERDIAG_BGP_ROUTE_REFRESH = 5,
};

#define ERDIAG_BGP_AS_TRANS 23456u
#define ERDIAG_BGP_MAX_CAPS 32

/* Capability codes the engine looks at (IANA). */
enum {
    ERDIAG_CAP_MP = 1,
    ERDIAG_CAP_ROUTE_REFRESH = 2,
    ERDIAG_CAP_EXT_NEXTHOP = 5,
    ERDIAG_CAP_EXT_MESSAGE = 6,
    ERDIAG_CAP_ROLE = 9,
    ERDIAG_CAP_GRACEFUL_RESTART = 64,
    ERDIAG_CAP_AS4 = 65,
    ERDIAG_CAP_ADD_PATH = 69,
    ERDIAG_CAP_ENHANCED_RR = 70,
    ERDIAG_CAP_LLGR = 71,
    ERDIAG_CAP_FQDN = 73,
    ERDIAG_CAP_ROUTE_REFRESH_OLD = 128,
};

typedef struct {
    guint8 version;
    guint16 my_as;      /* the 2-byte field, possibly AS_TRANS */
    guint16 hold_time;
    guint32 bgp_id;     /* host order */
    gboolean has_as4;   /* capability 65 present */
    guint32 as4;        /* its value */
    guint8 n_caps;      /* capability codes in order of appearance (capped) */
    guint8 caps[ERDIAG_BGP_MAX_CAPS];
    gboolean mp_ipv4_unicast, mp_ipv6_unicast;
    gboolean add_path;
    gboolean extended_params; /* RFC 9072 encoding used */
} erdiag_bgp_open;

typedef struct {
    erdiag_prefix prefix;
    guint32 path_id;    /* ADD-PATH identifier, 0 when absent */
} erdiag_bgp_nlri;

/* RFC 7606 section 2's ways of handling a malformed UPDATE, mildest first. */
typedef enum {
    ERDIAG_BGP_ERR_NONE = 0,
    ERDIAG_BGP_ERR_ATTR_DISCARD,      /* the attribute is ignored, the routes stand */
    ERDIAG_BGP_ERR_TREAT_AS_WITHDRAW, /* the UPDATE's announced routes are withdrawn */
    ERDIAG_BGP_ERR_SESSION_RESET,     /* the UPDATE cannot be read: the session goes down */
} erdiag_bgp_err_action;

/* One problem of an UPDATE and what RFC 7606 (RFC 6793 6 for AS4_PATH and
 * AS4_AGGREGATOR) does about it. */
typedef struct {
    guint8 attr_type;       /* the attribute's type code; 0: none (framing, NLRI fields) */
    guint8 action;          /* erdiag_bgp_err_action */
    const char *reason;     /* "AGGREGATOR length 7, expected 6" */
} erdiag_bgp_update_error;

#define ERDIAG_BGP_MAX_UPDATE_ERRORS 8

/* NLRI of an address family the engine does not analyse (labeled unicast,
 * VPN, RT constraint, flowspec, EVPN, multicast...): counted, not kept. */
typedef struct {
    guint16 afi;
    guint8 safi;
    guint32 announced;      /* NLRI in MP_REACH_NLRI */
    guint32 withdrawn;      /* NLRI in MP_UNREACH_NLRI */
} erdiag_bgp_afi_count;

/* Families counted one by one; past that the last entry becomes AFI 0 /
 * SAFI 0, "further address families", which counts all the rest together. */
#define ERDIAG_BGP_MAX_OTHER_AFI 4

typedef struct {
    /* Announced: IPv4 NLRI field + MP_REACH (IPv4/IPv6 unicast) prefixes. */
    const erdiag_bgp_nlri *announced;
    guint n_announced;
    /* Withdrawn: Withdrawn Routes field + MP_UNREACH prefixes. */
    const erdiag_bgp_nlri *withdrawn;
    guint n_withdrawn;
    /* Path attributes (has_* tell which were present). */
    gboolean has_origin;
    guint8 origin;              /* 0 IGP, 1 EGP, 2 INCOMPLETE */
    gboolean has_as_path;
    const char *as_path;        /* "65010 65010 {65001,65002}", AS4_PATH merged per RFC 6793 */
    guint as_path_length;       /* for best-path: a set counts 1 */
    gboolean has_next_hop;
    erdiag_addr next_hop;       /* NEXT_HOP, or MP_REACH's global next hop */
    gboolean has_med;
    guint32 med;
    gboolean has_local_pref;
    guint32 local_pref;
    gboolean atomic_aggregate;
    guint n_communities;
    const guint32 *communities;
    guint n_large_communities;
    gboolean end_of_rib;        /* empty UPDATE, or MP_UNREACH with no prefix */
    gboolean bgpsec;            /* the path came from BGPsec_PATH (RFC 8205), no AS_PATH sent */
    /* RFC 7606: the problems found (the first ERDIAG_BGP_MAX_UPDATE_ERRORS)
     * and the strongest action among all of them. The decoded
     * fields already leave out discarded attributes; following
     * treat-as-withdraw (announced -> withdrawn) is the receiver's job. */
    const erdiag_bgp_update_error *errors;
    guint n_errors;
    guint8 action;              /* erdiag_bgp_err_action */
    /* Other address families' NLRI, per AFI/SAFI in order of appearance. */
    const erdiag_bgp_afi_count *other_afi;
    guint n_other_afi;
} erdiag_bgp_update;

typedef struct {
    guint8 code, subcode;
    const guint8 *data;
    guint16 data_len;
    const char *shutdown_text;  /* RFC 8203/9003 text, NULL if none */
    /* The data decoded as Wireshark shows it ("peer AS 65001", "length
     * 4097", "Hard Reset of Cease / Administrative Reset (6/4)"), NULL when
     * the code defines no data or there is none. */
    const char *data_text;
    gboolean hard_reset;        /* Cease / Hard Reset (RFC 8538): inner_* hold the wrapped error */
    guint8 inner_code, inner_subcode;
} erdiag_bgp_notification;

typedef struct {
    guint16 afi;
    guint8 subtype;
    guint8 safi;
} erdiag_bgp_route_refresh;

typedef struct {
    guint8 type;            /* ERDIAG_BGP_*, or the unknown value seen */
    guint16 length;         /* header length field */
    /* Why the message cannot be used ("UPDATE: attribute length 40 exceeds
     * 12 bytes left"), NULL if it can. An UPDATE sets it only for a
     * session-reset problem; its others are in u.update.errors. */
    const char *error;
    union {
        erdiag_bgp_open open;
        erdiag_bgp_update update;
        erdiag_bgp_notification notification;
        erdiag_bgp_route_refresh route_refresh;
    } u;
} erdiag_bgp_msg;

const char *erdiag_bgp_type_name(guint type);
const char *erdiag_bgp_notification_code_name(guint code);
/* NULL when the subcode is unknown for that code. */
const char *erdiag_bgp_notification_subcode_name(guint code, guint subcode);
const char *erdiag_bgp_capability_name(guint code);
/* "AS_PATH", "AGGREGATOR"...; "attribute" when unknown. */
const char *erdiag_bgp_attr_name(guint type);
/* "attribute discarded", "treat-as-withdraw", "session reset". */
const char *erdiag_bgp_err_action_name(guint action);
/* "IPv4 labeled unicast (AFI 1/SAFI 4)" into buf (at least 64 bytes). */
const char *erdiag_bgp_afi_safi_text(guint afi, guint safi, char *buf, gsize size);
/* The speaker's real ASN: the AS4 capability when present, else my_as. */
guint32 erdiag_bgp_open_asn(const erdiag_bgp_open *o);

G_END_DECLS

#endif
