/* MACsec (IEEE 802.1AE) on the capture: ExpressRoute Direct ports may run
 * MACsec between the customer's router and Microsoft's, and a capture taken
 * on that link (a tap, a port mirror of the physical port) holds only
 * encrypted frames: no ARP, no BGP, no data plane can be read. Without this
 * check such a capture looks empty. capture.macsec counts the frames, the
 * VLAN tags left in clear (802.1Q before the SecTAG) and the secure channels
 * (SCIs), and says where to capture instead. */
#include <string.h>
#include "engine_internal.h"
#include "macsec.h"

/* Bounds on what is listed: the rest is counted. */
#define MACSEC_TAG_STACKS 16
#define MACSEC_SCIS 8

struct macsec_state {
    guint64 frames;
    guint64 first_frame;
    GPtrArray *stacks;        /* char*: "VLAN 100", "untagged" (the tags in clear), first seen first */
    guint64 stacks_more;
    GArray *scis;             /* guint64 */
    guint64 scis_more;
    gboolean encrypted, integrity_only; /* E bit set / clear in some frame */
    erdiag_finding *finding;
};

gboolean macsec_seen(const erdiag_engine *e)
{
    return e->macsec != NULL;
}

void macsec_free(erdiag_engine *e)
{
    macsec_state *m = e->macsec;
    if (!m)
        return;
    g_ptr_array_unref(m->stacks);
    g_array_unref(m->scis);
    g_free(m);
    e->macsec = NULL;
}

static void note_stack(macsec_state *m, const erdiag_packet_meta *pkt)
{
    g_autofree char *tags = erdiag_tags_to_string(pkt->n_tags, pkt->tags);
    for (guint i = 0; i < m->stacks->len; i++)
        if (strcmp(g_ptr_array_index(m->stacks, i), tags) == 0)
            return;
    if (m->stacks->len >= MACSEC_TAG_STACKS) {
        m->stacks_more++;
        return;
    }
    g_ptr_array_add(m->stacks, g_steal_pointer(&tags));
}

static void note_sci(macsec_state *m, const erdiag_macsec_ev *ev)
{
    if (!ev->has_sci)
        return;
    guint64 sci = 0;
    for (int i = 0; i < 8; i++)
        sci = sci << 8 | ev->sci[i];
    for (guint i = 0; i < m->scis->len; i++)
        if (g_array_index(m->scis, guint64, i) == sci)
            return;
    if (m->scis->len >= MACSEC_SCIS) {
        m->scis_more++;
        return;
    }
    g_array_append_val(m->scis, sci);
}

static const char *const advice_macsec =
    "These frames are protected by MACsec (IEEE 802.1AE), as on an ExpressRoute Direct port with "
    "MACsec enabled: their VLAN tags, ARP, BGP and data are encrypted, so none of the checks can "
    "read them. Capture where the traffic is in clear: on the router's peering sub-interfaces "
    "(a capture on the router itself, or a SPAN of the VLAN sub-interfaces after decryption), or "
    "on the customer side of the device that terminates MACsec. To check MACsec itself, compare the "
    "CAK/CKN and cipher suite on the router with those in the Key Vault the ExpressRoute Direct "
    "port uses.";

static char *list_text(const macsec_state *m)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < m->stacks->len; i++)
        g_string_append_printf(s, "%s%s", i ? ", " : "", (const char *)g_ptr_array_index(m->stacks, i));
    if (m->stacks_more)
        g_string_append_printf(s, " and %" G_GUINT64_FORMAT " more", m->stacks_more);
    g_string_append(s, " (in clear)");
    if (m->scis->len) {
        g_string_append(s, "; secure channels ");
        for (guint i = 0; i < m->scis->len; i++) {
            guint64 sci = g_array_index(m->scis, guint64, i);
            /* the SCI is the sender's MAC and a port number */
            g_string_append_printf(s, "%s%02x:%02x:%02x:%02x:%02x:%02x/%u", i ? ", " : "", (guint)(sci >> 56) & 0xff,
                                   (guint)(sci >> 48) & 0xff, (guint)(sci >> 40) & 0xff, (guint)(sci >> 32) & 0xff,
                                   (guint)(sci >> 24) & 0xff, (guint)(sci >> 16) & 0xff, (guint)(sci & 0xffff));
        }
        if (m->scis_more)
            g_string_append_printf(s, " and %" G_GUINT64_FORMAT " more", m->scis_more);
    }
    return g_string_free(s, FALSE);
}

static void raise_macsec(erdiag_engine *e, macsec_state *m)
{
    g_autofree char *lists = list_text(m);
    m->finding = finding_raise(e, ERDIAG_F_CAPTURE_MACSEC, ERDIAG_SEV_WARNING, NULL, NULL, NULL, advice_macsec,
                               "%" G_GUINT64_FORMAT " MACsec frame%s (EtherType 0x88E5, %s): nothing behind "
                               "the SecTAG can be analysed; VLAN tags %s",
                               m->frames, m->frames == 1 ? "" : "s",
                               m->encrypted && m->integrity_only ? "some encrypted, some with integrity only"
                               : m->encrypted ? "encrypted" : "integrity only, not read by erdiag",
                               lists);
}

void macsec_feed(erdiag_engine *e, const erdiag_event *ev)
{
    macsec_state *m = e->macsec;
    if (!m) {
        m = e->macsec = g_new0(macsec_state, 1);
        m->stacks = g_ptr_array_new_with_free_func(g_free);
        m->scis = g_array_new(FALSE, FALSE, sizeof(guint64));
        m->first_frame = ev->pkt.frame;
    }
    m->frames++;
    if (ev->u.macsec.tci_an & ERDIAG_MACSEC_TCI_E)
        m->encrypted = TRUE;
    else
        m->integrity_only = TRUE;
    guint before = m->stacks->len + (guint)m->stacks_more, scis = m->scis->len + (guint)m->scis_more;
    note_stack(m, &ev->pkt);
    note_sci(m, &ev->u.macsec);
    /* the message is written again when the lists grow, and once at the end for the count */
    if (!m->finding || before != m->stacks->len + m->stacks_more || scis != m->scis->len + m->scis_more)
        raise_macsec(e, m);
    finding_evidence(e, m->finding, ev->pkt.frame, ev->pkt.ts_us);
}

void macsec_finish(erdiag_engine *e)
{
    if (e->macsec)
        raise_macsec(e, e->macsec);
}
