/* Human-readable names for BGP codes (IANA "BGP Parameters" registries) and
 * for the model's enums, shared by the reports and the Wireshark plugin. */
#include "erdiag/bgp.h"
#include "erdiag/model.h"

/* Looks a value up in a table indexed by value; NULL for holes and out of range. */
#define TABLE_NAME(table, v) \
    ((v) < G_N_ELEMENTS(table) ? (table)[(v)] : NULL)

const char *erdiag_bgp_type_name(guint type)
{
    static const char *const names[] = {
        [ERDIAG_BGP_OPEN] = "OPEN",
        [ERDIAG_BGP_UPDATE] = "UPDATE",
        [ERDIAG_BGP_NOTIFICATION] = "NOTIFICATION",
        [ERDIAG_BGP_KEEPALIVE] = "KEEPALIVE",
        [ERDIAG_BGP_ROUTE_REFRESH] = "ROUTE-REFRESH",
    };
    const char *n = TABLE_NAME(names, type);
    return n != NULL ? n : "Unknown";
}

const char *erdiag_bgp_notification_code_name(guint code)
{
    static const char *const names[] = {
        [1] = "Message Header Error",
        [2] = "OPEN Message Error",
        [3] = "UPDATE Message Error",
        [4] = "Hold Timer Expired",
        [5] = "Finite State Machine Error",   /* RFC 6608 for the subcodes */
        [6] = "Cease",                        /* RFC 4486 and later */
        [7] = "ROUTE-REFRESH Message Error",  /* RFC 7313 */
        [8] = "Send Hold Timer Expired",      /* RFC 9687 */
    };
    const char *n = TABLE_NAME(names, code);
    return n != NULL ? n : "Unknown";
}

const char *erdiag_bgp_notification_subcode_name(guint code, guint subcode)
{
    static const char *const header[] = {
        [0] = "Unspecific",
        [1] = "Connection Not Synchronized",
        [2] = "Bad Message Length",
        [3] = "Bad Message Type",
    };
    static const char *const open[] = {
        [0] = "Unspecific",
        [1] = "Unsupported Version Number",
        [2] = "Bad Peer AS",
        [3] = "Bad BGP Identifier",
        [4] = "Unsupported Optional Parameter",
        [5] = "Authentication Failure (deprecated)",
        [6] = "Unacceptable Hold Time",
        [7] = "Unsupported Capability",       /* RFC 5492 */
        /* 8..10 are deprecated and unnamed in the registry. */
        [11] = "Role Mismatch",               /* RFC 9234 */
    };
    static const char *const update[] = {
        [0] = "Unspecific",
        [1] = "Malformed Attribute List",
        [2] = "Unrecognized Well-known Attribute",
        [3] = "Missing Well-known Attribute",
        [4] = "Attribute Flags Error",
        [5] = "Attribute Length Error",
        [6] = "Invalid ORIGIN Attribute",
        [7] = "AS Routing Loop (deprecated)",
        [8] = "Invalid NEXT_HOP Attribute",
        [9] = "Optional Attribute Error",
        [10] = "Invalid Network Field",
        [11] = "Malformed AS_PATH",
    };
    static const char *const fsm[] = {
        [0] = "Unspecified Error",
        [1] = "Receive Unexpected Message in OpenSent State",
        [2] = "Receive Unexpected Message in OpenConfirm State",
        [3] = "Receive Unexpected Message in Established State",
    };
    static const char *const cease[] = {
        [1] = "Maximum Number of Prefixes Reached",
        [2] = "Administrative Shutdown",      /* may carry RFC 8203/9003 text */
        [3] = "Peer De-configured",
        [4] = "Administrative Reset",         /* may carry RFC 8203/9003 text */
        [5] = "Connection Rejected",
        [6] = "Other Configuration Change",
        [7] = "Connection Collision Resolution",
        [8] = "Out of Resources",
        [9] = "Hard Reset",                   /* RFC 8538 */
        [10] = "BFD Down",                    /* RFC 9384 */
    };
    static const char *const route_refresh[] = {
        [1] = "Invalid Message Length",
    };

    switch (code) {
    case 1: return TABLE_NAME(header, subcode);
    case 2: return TABLE_NAME(open, subcode);
    case 3: return TABLE_NAME(update, subcode);
    case 5: return TABLE_NAME(fsm, subcode);
    case 6: return TABLE_NAME(cease, subcode);
    case 7: return TABLE_NAME(route_refresh, subcode);
    default: return NULL; /* Hold Timer Expired and others define no subcodes */
    }
}

const char *erdiag_bgp_capability_name(guint code)
{
    switch (code) {
    case ERDIAG_CAP_MP: return "Multiprotocol Extensions";
    case ERDIAG_CAP_ROUTE_REFRESH: return "Route Refresh";
    case 3: return "Outbound Route Filtering";
    case 4: return "Multiple Routes to a Destination (deprecated)";
    case ERDIAG_CAP_EXT_NEXTHOP: return "Extended Next Hop Encoding";
    case ERDIAG_CAP_EXT_MESSAGE: return "Extended Message";
    case 7: return "BGPsec";
    case 8: return "Multiple Labels";
    case ERDIAG_CAP_ROLE: return "BGP Role";
    case ERDIAG_CAP_GRACEFUL_RESTART: return "Graceful Restart";
    case ERDIAG_CAP_AS4: return "4-octet AS Number";
    case 66: return "Dynamic Capability (deprecated)";
    case 67: return "Dynamic Capability";
    case 68: return "Multisession";
    case ERDIAG_CAP_ADD_PATH: return "ADD-PATH";
    case ERDIAG_CAP_ENHANCED_RR: return "Enhanced Route Refresh";
    case ERDIAG_CAP_LLGR: return "Long-Lived Graceful Restart";
    case 72: return "Routing Policy Distribution";
    case ERDIAG_CAP_FQDN: return "FQDN";
    case 74: return "BFD";
    case 75: return "Software Version";
    case 76: return "Paths-Limit";
    case ERDIAG_CAP_ROUTE_REFRESH_OLD: return "Route Refresh (Cisco, pre-standard)";
    case 129: return "Outbound Route Filtering (Cisco, pre-standard)";
    case 131: return "Multisession (Cisco)";
    default: return "Unknown";
    }
}

const char *erdiag_bgp_attr_name(guint type)
{
    switch (type) {
    case 1: return "ORIGIN";
    case 2: return "AS_PATH";
    case 3: return "NEXT_HOP";
    case 4: return "MULTI_EXIT_DISC";
    case 5: return "LOCAL_PREF";
    case 6: return "ATOMIC_AGGREGATE";
    case 7: return "AGGREGATOR";
    case 8: return "COMMUNITIES";
    case 9: return "ORIGINATOR_ID";
    case 10: return "CLUSTER_LIST";
    case 14: return "MP_REACH_NLRI";
    case 15: return "MP_UNREACH_NLRI";
    case 16: return "EXTENDED_COMMUNITIES";
    case 17: return "AS4_PATH";
    case 18: return "AS4_AGGREGATOR";
    case 26: return "AIGP";
    case 32: return "LARGE_COMMUNITY";
    case 33: return "BGPsec_PATH";
    case 35: return "ONLY_TO_CUSTOMER";
    default: return "attribute";
    }
}

const char *erdiag_bgp_err_action_name(guint action)
{
    switch (action) {
    case ERDIAG_BGP_ERR_ATTR_DISCARD: return "attribute discarded";
    case ERDIAG_BGP_ERR_TREAT_AS_WITHDRAW: return "treat-as-withdraw";
    case ERDIAG_BGP_ERR_SESSION_RESET: return "session reset";
    default: return "none";
    }
}

const char *erdiag_bgp_afi_safi_text(guint afi, guint safi, char *buf, gsize size)
{
    if (afi == 0 && safi == 0) { /* the bucket past ERDIAG_BGP_MAX_OTHER_AFI families */
        g_snprintf(buf, size, "further address families");
        return buf;
    }
    const char *fam = afi == 1 ? "IPv4 " : afi == 2 ? "IPv6 " : afi == 25 ? "L2VPN " : afi == 16388 ? "BGP-LS " : "";
    const char *what;
    switch (safi) {
    case 1: what = "unicast"; break;
    case 2: what = "multicast"; break;
    case 4: what = "labeled unicast"; break;
    case 5: what = "MCAST-VPN"; break;
    case 65: what = "VPLS"; break;
    case 70: what = "EVPN"; break;
    case 71: case 72: what = "link-state"; break;
    case 73: what = "SR TE policy"; break;
    case 128: what = "VPN unicast"; break;
    case 129: what = "VPN multicast"; break;
    case 132: what = "route target constraint"; break;
    case 133: what = "flowspec"; break;
    case 134: what = "VPN flowspec"; break;
    default: what = "routes"; break;
    }
    g_snprintf(buf, size, "%s%s (AFI %u/SAFI %u)", fam, what, afi, safi);
    return buf;
}

guint32 erdiag_bgp_open_asn(const erdiag_bgp_open *o)
{
    if (o == NULL)
        return 0;
    /* RFC 6793: a 4-octet speaker puts its real ASN in the capability and
     * AS_TRANS (or its ASN when it fits) in the 2-byte field. */
    return o->has_as4 ? o->as4 : o->my_as;
}

const char *erdiag_side_name(erdiag_side s)
{
    switch (s) {
    case ERDIAG_SIDE_CUSTOMER: return "customer";
    case ERDIAG_SIDE_MICROSOFT: return "microsoft";
    default: return "unknown";
    }
}

const char *erdiag_side_azure_name(erdiag_side s)
{
    /* The InterfaceProperty column of Azure's ARP table. */
    switch (s) {
    case ERDIAG_SIDE_CUSTOMER: return "On-Prem";
    case ERDIAG_SIDE_MICROSOFT: return "Microsoft";
    default: return "Unknown";
    }
}

const char *erdiag_bgp_state_name(erdiag_bgp_state s)
{
    static const char *const names[] = {
        [ERDIAG_BGPS_IDLE] = "Idle",
        [ERDIAG_BGPS_CONNECT] = "Connect",
        [ERDIAG_BGPS_ACTIVE] = "Active",
        [ERDIAG_BGPS_OPENSENT] = "OpenSent",
        [ERDIAG_BGPS_OPENCONFIRM] = "OpenConfirm",
        [ERDIAG_BGPS_ESTABLISHED] = "Established",
    };
    const char *n = TABLE_NAME(names, (guint)s);
    return n != NULL ? n : "Unknown";
}

const char *erdiag_msft_evidence_name(erdiag_msft_evidence ev)
{
    switch (ev) {
    case ERDIAG_MSFT_BY_CONFIG: return "config";
    case ERDIAG_MSFT_BY_ASN: return "asn";
    case ERDIAG_MSFT_BY_PATH: return "path";
    default: return "address";
    }
}

const char *erdiag_msft_evidence_text(erdiag_msft_evidence ev)
{
    switch (ev) {
    case ERDIAG_MSFT_BY_CONFIG: return "the configured subnet (network + 2)";
    case ERDIAG_MSFT_BY_ASN: return "its OPEN carries AS 12076";
    case ERDIAG_MSFT_BY_PATH: return "its routes carry AS 12076 behind its own AS: a layer-3 provider's PE";
    default: return "assumed from the address only (network + 2): no AS 12076 seen, no configuration";
    }
}
