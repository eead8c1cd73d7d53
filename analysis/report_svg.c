/* The timeline picture of the HTML report: one lane per link over the
 * capture's time. A lane shows the BGP state as coloured bands (from the
 * session timeline), the prefix counts per direction as step lines (from the
 * count samples), and markers where ARP went unanswered, where a
 * NOTIFICATION was sent and where the data plane failed. The axis runs a
 * little past the capture's last frame so what happens at the very end (the
 * final Idle after a NOTIFICATION) still shows. Plain inline SVG: no script, no external asset, so
 * it prints and survives being mailed. Element classes are stable for tests. */
#include <string.h>
#include "report_markup.h"
#include "report_util.h"

#define SVG_W 1000.0
#define MARGIN_L 180.0
#define MARGIN_R 24.0
#define PLOT_W (SVG_W - MARGIN_L - MARGIN_R)
#define LEGEND_H 54.0 /* two rows: states and lines, then markers */
#define LANE_H 78.0
#define BAND_H 18.0
#define COUNT_H 38.0
#define AXIS_H 44.0
#define END_PAD 0.06 /* of the capture's span, after its end */

typedef struct {
    gint64 t0_us;
    double span_us;
} time_axis;

static double xpos(const time_axis *ax, gint64 ts_us)
{
    double f = (ts_us - ax->t0_us) / ax->span_us;
    return MARGIN_L + CLAMP(f, 0.0, 1.0) * PLOT_W;
}

static const char *state_class(int state)
{
    switch (state) {
    case ERDIAG_BGPS_ESTABLISHED: return "s-established";
    case ERDIAG_BGPS_OPENSENT:
    case ERDIAG_BGPS_OPENCONFIRM: return "s-open";
    case ERDIAG_BGPS_CONNECT:
    case ERDIAG_BGPS_ACTIVE: return "s-connect";
    case ERDIAG_BGPS_IDLE: return "s-idle";
    default: return "s-none";
    }
}

/* Appends printf output with every %s argument already escaped by the caller. */
#define P(...) g_string_append_printf(out, __VA_ARGS__)

static void band(GString *out, const time_axis *ax, double y, gint64 from, gint64 to, int state, const char *what)
{
    double x0 = xpos(ax, from), x1 = xpos(ax, to);
    if (x1 - x0 < 0.5)
        x1 = x0 + 0.5;
    g_autofree char *t = report_html_escape(what);
    P("<rect class=\"band %s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%s, %.3f-%.3f s</title></rect>\n",
      state_class(state), x0, y, x1 - x0, BAND_H, t, (from - ax->t0_us) / 1e6, (to - ax->t0_us) / 1e6);
    /* the state's name where it fits, so the picture reads without colours */
    if (state >= 0 && x1 - x0 >= 7.0 * strlen(t) + 8)
        P("<text class=\"band-label\" x=\"%.1f\" y=\"%.1f\">%s</text>\n", x0 + 4, y + BAND_H - 5, t);
}

static void state_bands(GString *out, const time_axis *ax, const erdiag_link *l, double y, gint64 t1)
{
    if (!l->bgp.seen || l->bgp.timeline->len == 0) {
        band(out, ax, y, ax->t0_us, t1, -1, l->bgp.seen ? "BGP seen, no state change" : "no BGP in the capture");
        return;
    }
    gint64 from = ax->t0_us;
    int state = -1; /* before the first entry: not known from the capture */
    for (guint i = 0; i < l->bgp.timeline->len; i++) {
        const erdiag_timeline_entry *t = g_ptr_array_index(l->bgp.timeline, i);
        if ((int)t->state == state)
            continue;
        if (t->ts_us > from)
            band(out, ax, y, from, t->ts_us, state, state < 0 ? "before the first BGP packet" : erdiag_bgp_state_name(state));
        from = MAX(from, t->ts_us);
        state = (int)t->state;
    }
    band(out, ax, y, from, MAX(t1, from), state, erdiag_bgp_state_name(state));
}

static void count_lines(GString *out, const time_axis *ax, const erdiag_link *l, double y, gint64 t1)
{
    guint max = 1;
    for (guint i = 0; i < l->counts->len; i++) {
        const erdiag_count_sample *c = &g_array_index(l->counts, erdiag_count_sample, i);
        max = MAX(max, MAX(c->count[0], c->count[1]));
    }
    P("<line class=\"count-base\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", MARGIN_L, y + COUNT_H,
      MARGIN_L + PLOT_W, y + COUNT_H);
    if (l->counts->len == 0)
        return;
    /* in the left margin, clear of markers at the capture's end */
    P("<text class=\"count-scale\" x=\"%.1f\" y=\"%.1f\">max %u prefix%s</text>\n", MARGIN_L - 8, y + 18, max,
      max == 1 ? "" : "es");
    static const char *const cls[2] = {"pfx-onprem", "pfx-microsoft"};
    static const char *const what[2] = {"prefixes from on-prem", "prefixes from Microsoft"};
    for (int dir = 0; dir < 2; dir++) {
        P("<polyline class=\"%s\" points=\"", cls[dir]);
        double prev_y = -1;
        for (guint i = 0; i < l->counts->len; i++) {
            const erdiag_count_sample *c = &g_array_index(l->counts, erdiag_count_sample, i);
            /* the two directions 3 px apart, so equal counts show both lines */
            double x = xpos(ax, c->ts_us), cy = y + COUNT_H - (COUNT_H - 4) * c->count[dir] / max - 1.5 + 3 * dir;
            if (prev_y >= 0)
                P("%.1f,%.1f ", x, prev_y);
            P("%.1f,%.1f ", x, cy);
            prev_y = cy;
        }
        P("%.1f,%.1f\"><title>%s (last %u)</title></polyline>\n", xpos(ax, t1), prev_y, what[dir],
          g_array_index(l->counts, erdiag_count_sample, l->counts->len - 1).count[dir]);
    }
}

static gboolean on_link(const erdiag_finding *f, const erdiag_link *l)
{
    return g_strcmp0(f->peering, l->peering->name) == 0 && (f->link == NULL || g_strcmp0(f->link, l->label) == 0);
}

static void markers(GString *out, erdiag_engine *e, const time_axis *ax, const erdiag_link *l, double y)
{
    GPtrArray *all = erdiag_engine_findings(e);
    gboolean notification_in_timeline = FALSE;
    for (guint i = 0; i < l->bgp.timeline->len; i++) {
        const erdiag_timeline_entry *t = g_ptr_array_index(l->bgp.timeline, i);
        if (!strstr(t->text, "NOTIFICATION"))
            continue;
        notification_in_timeline = TRUE;
        double x = xpos(ax, t->ts_us);
        g_autofree char *txt = report_html_escape(t->text);
        P("<g class=\"marker-notification\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
          "<path d=\"M%.1f %.1f l5 6 l-5 6 l-5 -6 z\"/><title>frame %" G_GUINT64_FORMAT ", %.3f s: %s</title></g>\n",
          x, y - 2, x, y + BAND_H + COUNT_H + 4, x, y - 4, t->frame, (t->ts_us - ax->t0_us) / 1e6, txt);
    }
    for (guint i = 0; i < all->len; i++) {
        const erdiag_finding *f = g_ptr_array_index(all, i);
        if (!on_link(f, l) || !f->first_ts_us)
            continue;
        g_autofree char *msg = report_html_escape(f->message);
        double x0 = xpos(ax, f->first_ts_us), x1 = xpos(ax, f->last_ts_us ? f->last_ts_us : f->first_ts_us);
        if (f->kind == ERDIAG_F_ARP_UNANSWERED) {
            double my = y + BAND_H + 6;
            P("<g class=\"marker-arp\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
              "<path d=\"M%.1f %.1f l5 9 l-10 0 z\"/><path d=\"M%.1f %.1f l5 9 l-10 0 z\"/>"
              "<title>ARP unanswered, %.3f-%.3f s: %s</title></g>\n",
              x0, my + 4, MAX(x1, x0 + 1), my + 4, x0, my - 1, MAX(x1, x0 + 1), my - 1,
              (f->first_ts_us - ax->t0_us) / 1e6, ((f->last_ts_us ? f->last_ts_us : f->first_ts_us) - ax->t0_us) / 1e6,
              msg);
        } else if (erdiag_finding_def_get(f->kind)->step == ERDIAG_STEP_DATAPLANE) {
            /* a bar under the counts from the first to the last evidence frame */
            double my = y + BAND_H + COUNT_H + 10;
            P("<g class=\"marker-dataplane\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
              "<path d=\"M%.1f %.1f l4 -4 l4 4 l-4 4 z\"/><title>%s, %.3f-%.3f s: %s</title></g>\n",
              x0, my, MAX(x1, x0 + 1), my, x0 - 4, my, erdiag_finding_def_get(f->kind)->id,
              (f->first_ts_us - ax->t0_us) / 1e6, ((f->last_ts_us ? f->last_ts_us : f->first_ts_us) - ax->t0_us) / 1e6,
              msg);
        } else if (f->kind == ERDIAG_F_BGP_NOTIFICATION && !notification_in_timeline) {
            /* the timeline was full: the finding still knows when */
            P("<g class=\"marker-notification\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
              "<path d=\"M%.1f %.1f l5 6 l-5 6 l-5 -6 z\"/><title>%s</title></g>\n",
              x0, y - 2, x0, y + BAND_H + COUNT_H + 4, x0, y - 4, msg);
        }
    }
}

/* 1, 2 or 5 times a power of ten, giving at most about ten ticks. */
static double tick_step(double span_s)
{
    double raw = span_s / 10, p = 1e-3;
    while (p * 10 <= raw)
        p *= 10;
    return raw <= p ? p : raw <= 2 * p ? 2 * p : raw <= 5 * p ? 5 * p : 10 * p;
}

static void axis(GString *out, const time_axis *ax, double y)
{
    double span_s = ax->span_us / 1e6, step = tick_step(span_s / (1 + END_PAD));
    P("<g class=\"axis\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", MARGIN_L, y, MARGIN_L + PLOT_W, y);
    for (guint k = 0; k * step <= span_s / (1 + END_PAD) + 1e-9 && k < 100; k++) {
        double s = k * step, x = MARGIN_L + s / span_s * PLOT_W;
        P("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/><text class=\"tick\" x=\"%.1f\" y=\"%.1f\">%g</text>\n",
          x, y, x, y + 5, x, y + 18, s);
    }
    P("<text class=\"axis-title\" x=\"%.1f\" y=\"%.1f\">seconds from capture start</text></g>\n",
      MARGIN_L + PLOT_W / 2, y + 36);
}

static void legend(GString *out)
{
    static const struct { const char *cls, *text; } items[] = {
        {"band s-established", "Established"}, {"band s-open", "OpenSent / OpenConfirm"},
        {"band s-connect", "Connect / Active"}, {"band s-idle", "Idle"}, {"band s-none", "no BGP seen"},
    };
    double x = 8;
    P("<g class=\"legend\">\n");
    for (guint i = 0; i < G_N_ELEMENTS(items); i++) {
        P("<rect class=\"%s\" x=\"%.1f\" y=\"8\" width=\"14\" height=\"12\"/><text x=\"%.1f\" y=\"18\">%s</text>\n",
          items[i].cls, x, x + 18, items[i].text);
        x += 30 + 7.2 * strlen(items[i].text);
    }
    P("<line class=\"pfx-onprem\" x1=\"%.1f\" y1=\"14\" x2=\"%.1f\" y2=\"14\"/><text x=\"%.1f\" y=\"18\">from on-prem</text>\n",
      x, x + 16, x + 20);
    x += 110;
    P("<line class=\"pfx-microsoft\" x1=\"%.1f\" y1=\"14\" x2=\"%.1f\" y2=\"14\"/><text x=\"%.1f\" y=\"18\">from Microsoft</text>\n",
      x, x + 16, x + 20);
    x = 8;
    P("<g class=\"marker-arp\"><path d=\"M%.1f 29 l5 9 l-10 0 z\"/></g><text x=\"%.1f\" y=\"38\">ARP unanswered</text>\n",
      x + 5, x + 14);
    x += 130;
    P("<g class=\"marker-notification\"><path d=\"M%.1f 28 l5 6 l-5 6 l-5 -6 z\"/></g><text x=\"%.1f\" y=\"38\">NOTIFICATION</text>\n",
      x + 5, x + 14);
    x += 120;
    P("<g class=\"marker-dataplane\"><path d=\"M%.1f 34 l4 -4 l4 4 l-4 4 z\"/></g><text x=\"%.1f\" y=\"38\">data-plane finding</text>\n",
      x + 1, x + 14);
    x += 150;
    P("<line class=\"capture-end\" x1=\"%.1f\" y1=\"28\" x2=\"%.1f\" y2=\"40\"/><text x=\"%.1f\" y=\"38\">capture ends</text>\n",
      x + 4, x + 4, x + 14);
    P("</g>\n");
}

void report_svg_timeline(erdiag_engine *e, GString *out)
{
    const erdiag_capture_info *info = erdiag_engine_capture_info(e);
    const GPtrArray *peerings = erdiag_engine_peerings(e);
    guint n = 0;
    for (guint p = 0; p < peerings->len; p++)
        n += ((const erdiag_peering *)g_ptr_array_index(peerings, p))->links->len;
    double h = LEGEND_H + MAX(n, 1) * LANE_H + AXIS_H;
    double span = MAX((double)(info->last_ts_us - info->first_ts_us), 1e6);
    time_axis ax = {info->first_ts_us, span * (1 + END_PAD)};
    gint64 t1 = info->first_ts_us + (gint64)span; /* the capture's end */
    gint64 t_end = info->first_ts_us + (gint64)ax.span_us; /* the axis goes on a little */
    P("<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
      "aria-labelledby=\"timeline-title\">\n<title id=\"timeline-title\">BGP state, prefix counts, ARP failures and "
      "NOTIFICATIONs per link over the capture</title>\n", SVG_W, h);
    legend(out);
    guint lane = 0;
    for (guint p = 0; p < peerings->len; p++) {
        const erdiag_peering *pe = g_ptr_array_index(peerings, p);
        for (guint i = 0; i < pe->links->len; i++, lane++) {
            const erdiag_link *l = g_ptr_array_index(pe->links, i);
            double y = LEGEND_H + lane * LANE_H + 8;
            g_autofree char *pname = report_html_escape(pe->name);
            g_autofree char *lname = report_html_escape(l->label);
            P("<g class=\"lane\" data-link=\"%s/%s\">\n", pname, lname);
            P("<text class=\"lane-label\" x=\"%.1f\" y=\"%.1f\">%s</text>", MARGIN_L - 8, y + 13, lname);
            P("<text class=\"lane-sub\" x=\"%.1f\" y=\"%.1f\">%s</text>\n", MARGIN_L - 8, y + 28, pname);
            /* the state and counts at the capture's end carry on to the axis' end */
            state_bands(out, &ax, l, y, t_end);
            count_lines(out, &ax, l, y + BAND_H + 4, t_end);
            markers(out, e, &ax, l, y);
            P("</g>\n");
        }
    }
    if (n == 0)
        P("<text class=\"lane-sub\" x=\"%.1f\" y=\"%.1f\">no peering link in the capture</text>\n",
          MARGIN_L + 8, LEGEND_H + 30);
    P("<line class=\"capture-end\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"><title>the capture's last frame, "
      "%.3f s</title></line>\n", xpos(&ax, t1), LEGEND_H, xpos(&ax, t1), LEGEND_H + MAX(n, 1) * LANE_H + 4, span / 1e6);
    axis(out, &ax, LEGEND_H + MAX(n, 1) * LANE_H + 4);
    P("</svg>\n");
}
