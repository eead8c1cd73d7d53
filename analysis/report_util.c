/* Shared pieces of the report writers: formatting and the checklist. */
#include <string.h>
#include "report_util.h"
#include "rib.h"

void report_mac(const guint8 m[6], char out[18])
{
    g_snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

char *report_duration(gint64 us)
{
    if (us < 0)
        us = 0;
    gint64 s = us / G_USEC_PER_SEC;
    return g_strdup_printf("%02" G_GINT64_FORMAT ":%02d:%02d", s / 3600, (int)(s / 60 % 60), (int)(s % 60));
}

char *report_timestamp(gint64 us)
{
    g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(us / G_USEC_PER_SEC);
    if (!dt)
        return g_strdup("?");
    g_autofree char *base = g_date_time_format(dt, "%Y-%m-%d %H:%M:%S");
    return g_strdup_printf("%s.%03d UTC", base, (int)(us % G_USEC_PER_SEC / 1000));
}

char *report_updown(const erdiag_link *l, gint64 end_us)
{
    if (l->bgp.state == ERDIAG_BGPS_ESTABLISHED) {
        g_autofree char *d = report_duration(end_us - l->bgp.established_at_us);
        /* a session older than the capture was up at least that long */
        return l->routes_partial ? g_strdup_printf("\u2265 %s", d) : g_steal_pointer(&d);
    }
    return report_state_pfx(l);
}

char *report_state_pfx(const erdiag_link *l)
{
    if (l->bgp.state == ERDIAG_BGPS_ESTABLISHED)
        return g_strdup_printf("%u", erdiag_rib_count(l->rib[ERDIAG_CUST], 0));
    return g_strdup(l->bgp.seen ? erdiag_bgp_state_name(l->bgp.state == ERDIAG_BGPS_CONNECT ? ERDIAG_BGPS_ACTIVE
                                                                                            : l->bgp.state)
                                : "Idle");
}

const char *report_arp_mac(const erdiag_arp_row *r, char out[18])
{
    if (r->resolved)
        report_mac(r->mac, out);
    else
        /* Azure says Incomplete when ARP failed; an address no ARP asked for was not seen */
        g_strlcpy(out, r->requests_for ? "Incomplete" : "not seen", 18);
    return out;
}

char *report_arp_age(const erdiag_arp_row *r, gint64 end_us)
{
    return r->last_seen_us ? g_strdup_printf("%" G_GINT64_FORMAT, (end_us - r->last_seen_us) / (60 * G_USEC_PER_SEC))
                           : g_strdup("-");
}

const char *report_by_name(erdiag_side by)
{
    return by == ERDIAG_SIDE_CUSTOMER ? "on-prem" : by == ERDIAG_SIDE_MICROSOFT ? "Microsoft" : "-";
}

void report_wrap(GString *out, const char *text, guint indent, guint width)
{
    report_wrap_hanging(out, text, indent, indent, width);
}

/* Words of text from column col on; continuation lines start at hang. */
static void wrap_words(GString *out, const char *text, guint col, guint hang, guint width)
{
    g_auto(GStrv) words = g_strsplit(text, " ", -1);
    gboolean first = TRUE;
    for (char **w = words; *w; w++) {
        if (!**w)
            continue;
        guint len = g_utf8_strlen(*w, -1);
        if (first) {
            g_string_append(out, *w);
            col += len;
            first = FALSE;
        } else if (col + 1 + len > width) {
            g_string_append_printf(out, "\n%*s%s", hang, "", *w);
            col = hang + len;
        } else {
            g_string_append_printf(out, " %s", *w);
            col += 1 + len;
        }
    }
    g_string_append_c(out, '\n');
}

void report_wrap_prefixed(GString *out, const char *prefix, const char *text, guint indent, guint width)
{
    g_string_append_printf(out, "%*s%s", indent, "", prefix);
    guint hang = indent + (guint)g_utf8_strlen(prefix, -1);
    wrap_words(out, text, hang, hang, MAX(width, hang + 20));
}

void report_wrap_hanging(GString *out, const char *text, guint indent, guint hang, guint width)
{
    g_string_append_printf(out, "%*s", indent, "");
    wrap_words(out, text, indent, hang, MAX(width, MAX(indent, hang) + 20));
}

char *report_frames(const erdiag_finding *f)
{
    if (f->n_frames == 0)
        return g_strdup("");
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < f->n_frames; i++)
        g_string_append_printf(s, "%s%" G_GUINT64_FORMAT, i ? ", " : "", f->frames[i]);
    if (f->frame_count > f->n_frames)
        g_string_append_printf(s, " ... (%" G_GUINT64_FORMAT " in all)", f->frame_count);
    return g_string_free(s, FALSE);
}

void report_counts(erdiag_engine *e, guint counts[4])
{
    memset(counts, 0, 4 * sizeof(guint));
    GPtrArray *all = erdiag_engine_findings(e);
    for (guint i = 0; i < all->len; i++) {
        const erdiag_finding *f = g_ptr_array_index(all, i);
        if ((guint)f->severity < 4)
            counts[f->severity]++;
    }
}

char *report_summary(erdiag_engine *e)
{
    GString *s = g_string_new(NULL);
    const GPtrArray *peerings = erdiag_engine_peerings(e);
    guint counts[4];
    report_counts(e, counts);
    /* links inferred from addresses alone are guesses: say so before them */
    GPtrArray *all = erdiag_engine_findings(e);
    for (guint i = 0; i < all->len; i++)
        if (((const erdiag_finding *)g_ptr_array_index(all, i))->kind == ERDIAG_F_CAPTURE_NO_EXPRESSROUTE) {
            g_string_append(s, "Nothing shows ExpressRoute here (no configured subnet with traffic, no AS 12076): "
                               "the peerings below are guessed from addresses. ");
            break;
        }
    if (peerings->len == 0) {
        g_string_append(s, "No ExpressRoute peering traffic was found in the capture: no ARP, Neighbour "
                           "Discovery or BGP between the two addresses of a /30 (or /126). Capture on the "
                           "peering sub-interfaces or the provider trunk.");
    }
    for (guint p = 0; p < peerings->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index(peerings, p);
        g_string_append_printf(s, "%sPeering %s:", p ? " " : "", pe->name);
        for (guint i = 0; i < pe->links->len; i++) {
            const erdiag_link *l = g_ptr_array_index(pe->links, i);
            report_check failed = CHECK_COUNT;
            /* redundancy fails on both links of a pair: name the link's own failure */
            for (report_check c = CHECK_SETTINGS; c < CHECK_COUNT && failed == CHECK_COUNT; c++)
                if (c != CHECK_REDUNDANCY && report_check_link(e, c, l) == VERDICT_FAIL)
                    failed = c;
            if (!l->seen)
                g_string_append_printf(s, " %s not in the capture;", l->label);
            else if (failed != CHECK_COUNT)
                g_string_append_printf(s, " %s fails at step %s (%s);", l->label, report_check_number(failed),
                                       report_check_title(failed));
            else if (l->bgp.state == ERDIAG_BGPS_ESTABLISHED) {
                g_autofree char *on = report_count_noun(erdiag_rib_count(l->rib[ERDIAG_CUST], 0), "prefix", "prefixes");
                GString *warned = g_string_new(NULL);
                guint n_warned = 0;
                for (report_check c = CHECK_SETTINGS; c < CHECK_COUNT; c++)
                    if (report_check_link(e, c, l) == VERDICT_WARN)
                        g_string_append_printf(warned, "%s%s", n_warned++ ? ", " : "", report_check_number(c));
                g_string_append_printf(s, " %s is up (BGP Established, %s from on-prem, %u from %s%s)%s%s;",
                                       l->label, on, erdiag_rib_count(l->rib[ERDIAG_MSFT], 0),
                                       erdiag_link_layer3(l) ? "the provider's PE" : "Microsoft",
                                       l->routes_partial ? " seen during the capture; the session is older" : "",
                                       n_warned ? (n_warned == 1 ? " with a warning at step " : " with warnings at steps ")
                                                : "",
                                       warned->str);
                g_string_free(warned, TRUE);
            } else
                g_string_append_printf(s, " %s shows no failure (%s);", l->label,
                                       l->arp[ERDIAG_CUST].resolved ? "ARP resolved, no BGP in the capture"
                                                                    : "little traffic");
        }
        if (s->len && s->str[s->len - 1] == ';')
            g_string_truncate(s, s->len - 1);
        g_string_append_c(s, '.');
    }
    g_string_append_printf(s, " %u error%s, %u warning%s, %u note%s.", counts[ERDIAG_SEV_ERROR],
                           counts[ERDIAG_SEV_ERROR] == 1 ? "" : "s", counts[ERDIAG_SEV_WARNING],
                           counts[ERDIAG_SEV_WARNING] == 1 ? "" : "s", counts[ERDIAG_SEV_NOTE],
                           counts[ERDIAG_SEV_NOTE] == 1 ? "" : "s");
    return g_string_free(s, FALSE);
}

char *report_peering_tags(const erdiag_peering *pe)
{
    const erdiag_link *first = NULL;
    gboolean differ = FALSE;
    for (guint i = 0; i < pe->links->len; i++) {
        const erdiag_link *l = g_ptr_array_index(pe->links, i);
        if (!l->seen || l->n_tags == 0)
            continue;
        if (!first)
            first = l;
        else if (l->n_tags != first->n_tags || memcmp(l->tags, first->tags, l->n_tags * sizeof *l->tags) != 0)
            differ = TRUE;
    }
    if (!differ)
        return erdiag_tags_to_string(pe->n_tags, pe->tags);
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < pe->links->len; i++) {
        const erdiag_link *l = g_ptr_array_index(pe->links, i);
        if (!l->seen || l->n_tags == 0)
            continue;
        g_autofree char *tags = erdiag_tags_to_string(l->n_tags, l->tags);
        g_string_append_printf(s, "%s%s (%s)", s->len ? ", " : "", tags, l->label);
    }
    return g_string_free(s, FALSE);
}
