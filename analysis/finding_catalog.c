/* The finding catalog: stable ids, steps and usual severities (docs/findings.md). */
#include <string.h>
#include "erdiag/finding.h"

static const erdiag_finding_def catalog[ERDIAG_F_COUNT] = {
    {ERDIAG_F_CONFIG_INVALID, "config.invalid", ERDIAG_STEP_CONFIG, ERDIAG_SEV_ERROR, "Invalid configuration"},
    {ERDIAG_F_CONFIG_SUBNET_OVERLAP, "config.subnet-overlap", ERDIAG_STEP_CONFIG, ERDIAG_SEV_ERROR, "Peering subnet overlaps other address space"},
    {ERDIAG_F_CONFIG_GATEWAY_SUBNET, "config.gateway-subnet", ERDIAG_STEP_CONFIG, ERDIAG_SEV_NOTE, "GatewaySubnet smaller than recommended"},
    {ERDIAG_F_ARP_UNANSWERED, "arp.unanswered", ERDIAG_STEP_L2, ERDIAG_SEV_ERROR, "ARP request not answered"},
    {ERDIAG_F_ARP_VLAN_MISMATCH, "arp.vlan-mismatch", ERDIAG_STEP_L2, ERDIAG_SEV_ERROR, "Peering traffic on an unexpected VLAN"},
    {ERDIAG_F_ARP_WRONG_SUBNET, "arp.wrong-subnet", ERDIAG_STEP_L2, ERDIAG_SEV_WARNING, "ARP outside the peering subnet"},
    {ERDIAG_F_ARP_DUPLICATE_IP, "arp.duplicate-ip", ERDIAG_STEP_L2, ERDIAG_SEV_ERROR, "Two MAC addresses for one peering address"},
    {ERDIAG_F_ARP_MSEE_ADDRESS_MISUSED, "arp.msee-address-misused", ERDIAG_STEP_L2, ERDIAG_SEV_ERROR, "Peering address used by the wrong side"},
    {ERDIAG_F_L2_FHRP_ON_PEERING, "l2.fhrp-on-peering", ERDIAG_STEP_L2, ERDIAG_SEV_WARNING, "VRRP/HSRP on the peering VLAN"},
    {ERDIAG_F_BGP_TCP_UNANSWERED, "bgp.tcp.unanswered", ERDIAG_STEP_BGP, ERDIAG_SEV_ERROR, "BGP connection attempts not answered"},
    {ERDIAG_F_BGP_TCP_MD5_MISMATCH, "bgp.tcp.md5-mismatch", ERDIAG_STEP_BGP, ERDIAG_SEV_ERROR, "TCP MD5 signature mismatch"},
    {ERDIAG_F_BGP_TCP_REFUSED, "bgp.tcp.refused", ERDIAG_STEP_BGP, ERDIAG_SEV_ERROR, "BGP connection refused"},
    {ERDIAG_F_BGP_OPEN_PEER_ASN_MISMATCH, "bgp.open.peer-asn-mismatch", ERDIAG_STEP_BGP, ERDIAG_SEV_ERROR, "Unexpected ASN in BGP OPEN"},
    {ERDIAG_F_BGP_OPEN_RESERVED_ASN, "bgp.open.reserved-asn", ERDIAG_STEP_BGP, ERDIAG_SEV_ERROR, "Reserved ASN in BGP OPEN"},
    {ERDIAG_F_BGP_NOTIFICATION, "bgp.notification", ERDIAG_STEP_BGP, ERDIAG_SEV_ERROR, "BGP NOTIFICATION"},
    {ERDIAG_F_BGP_HOLD_TIMER_EXPIRED, "bgp.hold-timer-expired", ERDIAG_STEP_BGP, ERDIAG_SEV_ERROR, "BGP hold timer expired"},
    {ERDIAG_F_BGP_NOT_ESTABLISHED, "bgp.not-established", ERDIAG_STEP_BGP, ERDIAG_SEV_ERROR, "BGP session never Established"},
    {ERDIAG_F_BGP_SESSION_FLAP, "bgp.session-flap", ERDIAG_STEP_BGP, ERDIAG_SEV_WARNING, "BGP session flapped"},
    {ERDIAG_F_BGP_TIMERS, "bgp.timers", ERDIAG_STEP_BGP, ERDIAG_SEV_NOTE, "BGP timers differ from the MSEE's"},
    {ERDIAG_F_BGP_DECODE_ERROR, "bgp.decode-error", ERDIAG_STEP_BGP, ERDIAG_SEV_WARNING, "Malformed BGP message"},
    {ERDIAG_F_ROUTES_NONE_FROM_ONPREM, "routes.none-from-onprem", ERDIAG_STEP_ROUTES, ERDIAG_SEV_ERROR, "No routes from on-premises"},
    {ERDIAG_F_ROUTES_NONE_FROM_AZURE, "routes.none-from-azure", ERDIAG_STEP_ROUTES, ERDIAG_SEV_WARNING, "No routes from Azure"},
    {ERDIAG_F_ROUTES_EXPECTED_MISSING, "routes.expected-missing", ERDIAG_STEP_ROUTES, ERDIAG_SEV_ERROR, "Expected on-premises prefix not advertised"},
    {ERDIAG_F_ROUTES_SOURCE_NOT_COVERED, "routes.source-not-covered", ERDIAG_STEP_ROUTES, ERDIAG_SEV_ERROR, "On-premises source not covered by advertised routes"},
    {ERDIAG_F_ROUTES_VNET_MISSING, "routes.vnet-missing", ERDIAG_STEP_ROUTES, ERDIAG_SEV_WARNING, "VNet prefix not advertised by Microsoft"},
    {ERDIAG_F_ROUTES_PREFIX_LIMIT, "routes.prefix-limit", ERDIAG_STEP_ROUTES, ERDIAG_SEV_ERROR, "Prefix limit exceeded"},
    {ERDIAG_F_ROUTES_OVERLAP_VNET, "routes.overlap-vnet", ERDIAG_STEP_ROUTES, ERDIAG_SEV_WARNING, "On-premises prefix overlaps a VNet"},
    {ERDIAG_F_ROUTES_OVERLAP_PEERING_SUBNET, "routes.overlap-peering-subnet", ERDIAG_STEP_ROUTES, ERDIAG_SEV_WARNING, "Advertised prefix covers a peering subnet"},
    {ERDIAG_F_ROUTES_DEFAULT_ROUTE, "routes.default-route", ERDIAG_STEP_ROUTES, ERDIAG_SEV_NOTE, "Default route from on-premises"},
    {ERDIAG_F_ROUTES_FLAP, "routes.flap", ERDIAG_STEP_ROUTES, ERDIAG_SEV_WARNING, "Prefix flapping"},
    {ERDIAG_F_ROUTES_ASYMMETRIC, "routes.asymmetric", ERDIAG_STEP_ROUTES, ERDIAG_SEV_WARNING, "Primary and secondary advertise differently"},
    {ERDIAG_F_REDUNDANCY_LINK_DOWN, "redundancy.link-down", ERDIAG_STEP_REDUNDANCY, ERDIAG_SEV_ERROR, "One link of the pair is down"},
    {ERDIAG_F_DATAPLANE_UNANSWERED_CONNECTION, "dataplane.unanswered-connection", ERDIAG_STEP_DATAPLANE, ERDIAG_SEV_WARNING, "Connection to Azure not answered"},
    {ERDIAG_F_DATAPLANE_UNCOVERED_SOURCE, "dataplane.uncovered-source", ERDIAG_STEP_DATAPLANE, ERDIAG_SEV_ERROR, "Traffic from a source no route covers"},
    {ERDIAG_F_DATAPLANE_OVERSIZE, "dataplane.oversize", ERDIAG_STEP_DATAPLANE, ERDIAG_SEV_WARNING, "Packet larger than the MSEE's IP MTU"},
    {ERDIAG_F_CAPTURE_NO_EXPRESSROUTE, "capture.no-expressroute", ERDIAG_STEP_CONFIG, ERDIAG_SEV_WARNING, "No ExpressRoute peering in the capture"},
    {ERDIAG_F_CAPTURE_UNMAPPED_BGP, "capture.unmapped-bgp", ERDIAG_STEP_BGP, ERDIAG_SEV_NOTE, "BGP session outside any peering link"},
    {ERDIAG_F_BGP_UPDATE_ERROR, "bgp.update-error", ERDIAG_STEP_BGP, ERDIAG_SEV_WARNING, "Malformed UPDATE attribute (RFC 7606)"},
    {ERDIAG_F_AZURE_NSG_DENY, "azure.nsg-deny", ERDIAG_STEP_DATAPLANE, ERDIAG_SEV_ERROR, "NSG rule denies the traffic"},
    {ERDIAG_F_AZURE_NO_ROUTE_TO_ONPREM, "azure.no-route-to-onprem", ERDIAG_STEP_DATAPLANE, ERDIAG_SEV_ERROR, "No route back to on-premises via the gateway"},
    {ERDIAG_F_AZURE_PEERING_DISABLED, "azure.peering-disabled", ERDIAG_STEP_CONFIG, ERDIAG_SEV_ERROR, "Peering disabled or circuit not provisioned"},
    {ERDIAG_F_DATAPLANE_REFUSED, "dataplane.refused", ERDIAG_STEP_DATAPLANE, ERDIAG_SEV_WARNING, "Connection refused with a TCP reset"},
    {ERDIAG_F_DATAPLANE_ICMP_UNREACHABLE, "dataplane.icmp-unreachable", ERDIAG_STEP_DATAPLANE, ERDIAG_SEV_WARNING, "ICMP destination unreachable"},
    {ERDIAG_F_DATAPLANE_ASYMMETRIC_RETURN, "dataplane.asymmetric-return", ERDIAG_STEP_DATAPLANE, ERDIAG_SEV_WARNING, "Reply returned over the other link"},
    {ERDIAG_F_DATAPLANE_FRAGMENTED, "dataplane.fragmented", ERDIAG_STEP_DATAPLANE, ERDIAG_SEV_WARNING, "IP fragments toward Azure"},
    {ERDIAG_F_DATAPLANE_PMTU, "dataplane.pmtu", ERDIAG_STEP_DATAPLANE, ERDIAG_SEV_WARNING, "Path MTU smaller than the packets sent"},
    {ERDIAG_F_CAPTURE_MACSEC, "capture.macsec", ERDIAG_STEP_CONFIG, ERDIAG_SEV_WARNING, "MACsec-encrypted frames"},
    {ERDIAG_F_BFD_NOT_ANSWERED, "bfd.not-answered", ERDIAG_STEP_REDUNDANCY, ERDIAG_SEV_WARNING, "BFD from one side only"},
    {ERDIAG_F_BFD_DOWN, "bfd.down", ERDIAG_STEP_REDUNDANCY, ERDIAG_SEV_WARNING, "BFD session went down"},
    {ERDIAG_F_BFD_TIMERS, "bfd.timers", ERDIAG_STEP_REDUNDANCY, ERDIAG_SEV_NOTE, "BFD timers differ from Azure's"},
    {ERDIAG_F_ROUTES_VNET_LIMIT, "routes.vnet-limit", ERDIAG_STEP_ROUTES, ERDIAG_SEV_WARNING, "More VNet routes than a connection advertises"},
    {ERDIAG_F_CONFIG_GATEWAY_SUBNET_OUTSIDE_VNET, "config.gateway-subnet-outside-vnet", ERDIAG_STEP_CONFIG, ERDIAG_SEV_ERROR, "GatewaySubnet outside the VNet prefixes"},
    {ERDIAG_F_ROUTES_MSEE_PREPEND, "routes.msee-prepend", ERDIAG_STEP_ROUTES, ERDIAG_SEV_NOTE, "Microsoft prepends AS 12076 on one link"},
    {ERDIAG_F_ROUTES_GLOBAL_REACH, "routes.global-reach", ERDIAG_STEP_ROUTES, ERDIAG_SEV_NOTE, "Another circuit's routes (Global Reach)"},
    {ERDIAG_F_PEERING_LAYER3_PROVIDER, "peering.layer3-provider", ERDIAG_STEP_CONFIG, ERDIAG_SEV_NOTE, "A layer-3 provider's PE on the far side"},
    {ERDIAG_F_PEERING_MICROSOFT, "peering.microsoft", ERDIAG_STEP_CONFIG, ERDIAG_SEV_NOTE, "Microsoft peering, not private peering"},
    {ERDIAG_F_ROUTES_NO_ROUTE_FILTER, "routes.no-route-filter", ERDIAG_STEP_ROUTES, ERDIAG_SEV_WARNING, "Microsoft peering advertises nothing (no route filter)"},
    {ERDIAG_F_ROUTES_MICROSOFT_PEERING_PRIVATE, "routes.microsoft-peering-private", ERDIAG_STEP_ROUTES, ERDIAG_SEV_ERROR, "Private or default routes on Microsoft peering"},
    {ERDIAG_F_CONFIG_MICROSOFT_PEERING_SUBNET, "config.microsoft-peering-subnet", ERDIAG_STEP_CONFIG, ERDIAG_SEV_ERROR, "Microsoft peering on private addresses"},
};

const erdiag_finding_def *erdiag_finding_def_get(erdiag_finding_kind kind)
{
    if ((int)kind < 0 || kind >= ERDIAG_F_COUNT)
        return NULL;
    return &catalog[kind];
}

const erdiag_finding_def *erdiag_finding_def_by_id(const char *id)
{
    for (guint i = 0; id && i < ERDIAG_F_COUNT; i++)
        if (strcmp(catalog[i].id, id) == 0)
            return &catalog[i];
    return NULL;
}

const char *erdiag_severity_name(erdiag_severity s)
{
    static const char *const names[] = {"info", "note", "warning", "error"};
    return (guint)s < G_N_ELEMENTS(names) ? names[s] : "unknown";
}

const char *erdiag_step_name(erdiag_step s)
{
    static const char *const names[] = {"config", "l2", "bgp", "routes", "redundancy", "dataplane"};
    return (guint)s < G_N_ELEMENTS(names) ? names[s] : "unknown";
}

const char *erdiag_step_title(erdiag_step s)
{
    static const char *const titles[] = {
        "Peering settings", "VLAN and ARP", "BGP session", "Route advertisements",
        "Redundancy", "Data plane",
    };
    return (guint)s < G_N_ELEMENTS(titles) ? titles[s] : "Other";
}
