/* Streaming output (see stream_output.h).
 *
 * The engine calls back when a finding is created, before its first
 * evidence frame is attached; so the callback only queues the finding and
 * it is printed after the packet (or tick) that raised it has been fully
 * processed, with its frames. */
#include "stream_output.h"

#include <json-glib/json-glib.h>
#include <string.h>
#include "link_status.h"
#include "report_util.h"

/* Prefix counts change with every UPDATE of a burst: report them at most
 * this often per link (capture time) unless flushed. */
#define COUNTS_INTERVAL_US G_USEC_PER_SEC
/* The terminal's status block is redrawn this often (wall time) for uptimes,
 * and at most this often when states change (a burst of UPDATEs must not
 * turn into a flood of redraws). */
#define REDRAW_INTERVAL_US G_USEC_PER_SEC
#define REDRAW_MIN_US (G_USEC_PER_SEC / 10)

typedef struct {
    link_status st;       /* as last printed */
    gint64 printed_us;    /* capture time it was printed */
} shown_link;

struct stream_output {
    erdiag_engine *engine;
    stream_kind kind;
    FILE *out;
    gboolean terminal;
    guint width;
    GPtrArray *pending;   /* erdiag_finding* raised since the last update (engine-owned) */
    GArray *shown;        /* shown_link: what the state lines last said */
    GArray *drawn;        /* link_status: what the terminal's block shows */
    guint drawn_lines;    /* lines of the status block on screen */
    gint64 drawn_wall_us;
    JsonGenerator *gen;
};

static void on_finding(const erdiag_finding *f, gpointer user)
{
    stream_output *s = user;
    g_ptr_array_add(s->pending, (gpointer)f);
}

static void shown_clear(gpointer p)
{
    shown_link *x = p;
    g_free(x->st.name);
}

stream_output *stream_output_new(erdiag_engine *e, stream_kind kind, FILE *out, gboolean terminal, guint width)
{
    stream_output *s = g_new0(stream_output, 1);
    s->engine = e;
    s->kind = kind;
    s->out = out;
    s->terminal = terminal && kind == STREAM_TEXT;
    s->width = MAX(width, 40u);
    s->pending = g_ptr_array_new();
    s->shown = g_array_new(FALSE, TRUE, sizeof(shown_link));
    g_array_set_clear_func(s->shown, shown_clear);
    s->gen = json_generator_new();
    /* findings known before the first packet (the configuration's own) */
    GPtrArray *known = erdiag_engine_findings(e);
    for (guint i = 0; i < known->len; i++)
        g_ptr_array_add(s->pending, g_ptr_array_index(known, i));
    erdiag_engine_set_finding_callback(e, on_finding, s);
    return s;
}

void stream_output_free(stream_output *s)
{
    if (!s)
        return;
    erdiag_engine_set_finding_callback(s->engine, NULL, NULL);
    g_ptr_array_unref(s->pending);
    g_array_unref(s->shown);
    link_status_array_free(s->drawn);
    g_object_unref(s->gen);
    g_free(s);
}

gboolean stream_output_ok(const stream_output *s)
{
    return !ferror(s->out);
}

/* --- helpers -------------------------------------------------------------- */

static char *clock_text(gint64 us)
{
    if (us <= 0)
        return g_strdup("--:--:--.---");
    g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(us / G_USEC_PER_SEC);
    if (!dt)
        return g_strdup("--:--:--.---");
    return g_strdup_printf("%02d:%02d:%02d.%03d", g_date_time_get_hour(dt), g_date_time_get_minute(dt),
                           g_date_time_get_second(dt), (int)(us % G_USEC_PER_SEC / 1000));
}

static void add_time(JsonBuilder *b, const char *key, gint64 us)
{
    json_builder_set_member_name(b, key);
    g_autoptr(GDateTime) dt = us > 0 ? g_date_time_new_from_unix_utc(us / G_USEC_PER_SEC) : NULL;
    g_autoptr(GDateTime) full = dt ? g_date_time_add(dt, us % G_USEC_PER_SEC) : NULL;
    g_autofree char *text = full ? g_date_time_format_iso8601(full) : NULL;
    if (text)
        json_builder_add_string_value(b, text);
    else
        json_builder_add_null_value(b);
}

static void add_str(JsonBuilder *b, const char *key, const char *v)
{
    json_builder_set_member_name(b, key);
    if (v)
        json_builder_add_string_value(b, v);
    else
        json_builder_add_null_value(b);
}

static void print_json_line(stream_output *s, JsonBuilder *b)
{
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    json_generator_set_root(s->gen, root);
    g_autofree char *line = json_generator_to_data(s->gen, NULL);
    fprintf(s->out, "%s\n", line);
}

static const char *severity_color(erdiag_severity sev)
{
    return sev == ERDIAG_SEV_ERROR ? "\033[1;31m" : sev == ERDIAG_SEV_WARNING ? "\033[1;33m" : "\033[1m";
}

/* --- the terminal's status block ------------------------------------------ */

static void erase_block(stream_output *s)
{
    if (s->drawn_lines > 0)
        fprintf(s->out, "\033[%uA\r\033[J", s->drawn_lines);
    s->drawn_lines = 0;
}

/* One status line, cut to the width so that it never wraps (the cursor
 * movement counts lines). */
static void draw_line(stream_output *s, const char *text)
{
    glong n = g_utf8_strlen(text, -1);
    if ((guint)n < s->width) {
        fprintf(s->out, "%s\n", text);
    } else {
        const char *cut = g_utf8_offset_to_pointer(text, s->width - 2);
        fprintf(s->out, "%.*s~\n", (int)(cut - text), text);
    }
    s->drawn_lines++;
}

/* A table, one row per link: a terminal is read at a glance. */
static void draw_block(stream_output *s, GArray *now_status, gint64 now_us)
{
    g_autofree char *clock = clock_text(now_us);
    g_autofree char *head = g_strdup_printf("-- status at %s UTC, %" G_GUINT64_FORMAT " frames --", clock,
                                            erdiag_engine_capture_info(s->engine)->frames);
    draw_line(s, head);
    if (now_status->len == 0) {
        draw_line(s, "no peering traffic seen yet");
        s->drawn_wall_us = g_get_monotonic_time();
        return;
    }
    guint n = now_status->len;
    g_autofree char **cells = g_new0(char *, 3 * n);
    int name_w = (int)strlen("link"), arp_w = (int)strlen("ARP on-prem/MSEE"), bgp_w = (int)strlen("BGP");
    for (guint i = 0; i < n; i++) {
        const link_status *st = &g_array_index(now_status, link_status, i);
        link_status_cells(st, now_us, &cells[3 * i], &cells[3 * i + 1], &cells[3 * i + 2]);
        name_w = MAX(name_w, (int)strlen(st->name));
        arp_w = MAX(arp_w, (int)strlen(cells[3 * i]));
        bgp_w = MAX(bgp_w, (int)strlen(cells[3 * i + 1]));
    }
    g_autofree char *title = g_strdup_printf("%-*s  %-*s  %-*s  %s", name_w, "link", arp_w, "ARP on-prem/MSEE", bgp_w,
                                             "BGP", "prefixes on-prem/Azure");
    draw_line(s, title);
    for (guint i = 0; i < n; i++) {
        const link_status *st = &g_array_index(now_status, link_status, i);
        g_autofree char *line = g_strdup_printf("%-*s  %-*s  %-*s  %s", name_w, st->name, arp_w, cells[3 * i], bgp_w,
                                                cells[3 * i + 1], cells[3 * i + 2]);
        draw_line(s, line);
        for (guint k = 0; k < 3; k++)
            g_free(cells[3 * i + k]);
    }
    s->drawn_wall_us = g_get_monotonic_time();
}

static gboolean block_differs(GArray *a, GArray *b)
{
    if (!a || a->len != b->len)
        return TRUE;
    for (guint i = 0; i < a->len; i++) {
        gboolean major;
        if (link_status_differs(&g_array_index(a, link_status, i), &g_array_index(b, link_status, i), &major))
            return TRUE;
    }
    return FALSE;
}

/* --- findings -------------------------------------------------------------- */

static void print_finding_text(stream_output *s, const erdiag_finding *f, gint64 now_us)
{
    const erdiag_finding_def *d = erdiag_finding_def_get(f->kind);
    g_autofree char *clock = clock_text(now_us);
    g_autofree char *where = f->link ? g_strdup_printf("%s/%s", f->peering ? f->peering : "?", f->link)
                                     : g_strdup(f->peering ? f->peering : "");
    const char *sev = erdiag_severity_name(f->severity);
    if (s->terminal)
        fprintf(s->out, "%s %s%-7s\033[0m %s  %s\n", clock, severity_color(f->severity), sev, d->id, where);
    else
        fprintf(s->out, "%s %-7s %s  %s\n", clock, sev, d->id, where);
    g_autofree char *frames = f->n_frames ? report_frames(f) : NULL;
    if (frames)
        fprintf(s->out, "             %s; frame%s %s\n", f->message, f->frame_count > 1 ? "s" : "", frames);
    else
        fprintf(s->out, "             %s\n", f->message);
}

static void print_finding_json(stream_output *s, const erdiag_finding *f, gint64 now_us)
{
    const erdiag_finding_def *d = erdiag_finding_def_get(f->kind);
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    add_str(b, "type", "finding");
    add_time(b, "time", now_us);
    add_str(b, "id", d->id);
    add_str(b, "severity", erdiag_severity_name(f->severity));
    add_str(b, "step", erdiag_step_name(d->step));
    add_str(b, "title", d->title);
    add_str(b, "peering", f->peering);
    add_str(b, "link", f->link);
    json_builder_set_member_name(b, "frames");
    json_builder_begin_array(b);
    for (guint k = 0; k < f->n_frames; k++)
        json_builder_add_int_value(b, (gint64)f->frames[k]);
    json_builder_end_array(b);
    add_str(b, "message", f->message);
    add_str(b, "advice", f->advice);
    json_builder_end_object(b);
    print_json_line(s, b);
}

/* --- state lines (pipes, files, jsonl) ------------------------------------- */

static shown_link *find_shown(stream_output *s, const erdiag_link *l)
{
    for (guint i = 0; i < s->shown->len; i++) {
        shown_link *x = &g_array_index(s->shown, shown_link, i);
        if (x->st.link == l)
            return x;
    }
    return NULL;
}

static void print_state(stream_output *s, const link_status *st, gint64 now_us)
{
    if (s->kind == STREAM_JSONL) {
        g_autoptr(JsonBuilder) b = json_builder_new();
        json_builder_begin_object(b);
        add_str(b, "type", "state");
        add_time(b, "time", now_us);
        link_status_json(st, now_us, b);
        json_builder_end_object(b);
        print_json_line(s, b);
    } else {
        g_autofree char *clock = clock_text(now_us);
        g_autofree char *text = link_status_text(st, now_us);
        fprintf(s->out, "%s state   %s  %s\n", clock, st->name, text);
    }
}

/* Returns TRUE when something was printed. */
static gboolean print_state_changes(stream_output *s, GArray *now_status, gint64 now_us, gboolean flush)
{
    gboolean printed = FALSE;
    for (guint i = 0; i < now_status->len; i++) {
        const link_status *st = &g_array_index(now_status, link_status, i);
        if (!st->seen)
            continue;
        shown_link *x = find_shown(s, st->link);
        gboolean major = TRUE;
        if (x && !link_status_differs(&x->st, st, &major))
            continue;
        if (x && !major && !flush && now_us - x->printed_us < COUNTS_INTERVAL_US)
            continue;
        print_state(s, st, now_us);
        printed = TRUE;
        if (!x) {
            g_array_set_size(s->shown, s->shown->len + 1);
            x = &g_array_index(s->shown, shown_link, s->shown->len - 1);
        }
        g_free(x->st.name);
        x->st = *st;
        x->st.name = g_strdup(st->name);
        x->printed_us = now_us;
    }
    return printed;
}

/* --- the update ------------------------------------------------------------- */

void stream_output_update(stream_output *s, gint64 now_us, gboolean flush)
{
    GArray *now_status = link_status_collect(s->engine);
    gboolean printed = FALSE;
    if (s->terminal) {
        gint64 since = g_get_monotonic_time() - s->drawn_wall_us;
        gboolean changed = block_differs(s->drawn, now_status) && (flush || since >= REDRAW_MIN_US);
        gboolean stale = flush && since >= REDRAW_INTERVAL_US;
        if (s->pending->len > 0 || changed || stale) {
            erase_block(s);
            for (guint i = 0; i < s->pending->len; i++)
                print_finding_text(s, g_ptr_array_index(s->pending, i), now_us);
            draw_block(s, now_status, now_us);
            link_status_array_free(s->drawn);
            s->drawn = now_status;
            now_status = NULL;
            printed = TRUE;
        }
    } else {
        for (guint i = 0; i < s->pending->len; i++) {
            const erdiag_finding *f = g_ptr_array_index(s->pending, i);
            if (s->kind == STREAM_JSONL)
                print_finding_json(s, f, now_us);
            else
                print_finding_text(s, f, now_us);
            printed = TRUE;
        }
        printed |= print_state_changes(s, now_status, now_us, flush);
    }
    g_ptr_array_set_size(s->pending, 0);
    link_status_array_free(now_status);
    if (printed)
        fflush(s->out);
}

void stream_output_report(stream_output *s, const erdiag_report_options *ropt)
{
    if (s->kind == STREAM_TEXT) {
        fputs("\n", s->out);
        fflush(s->out);
        return;
    }
    erdiag_report_options jopt = *ropt;
    jopt.format = ERDIAG_FORMAT_JSON;
    GString *text = g_string_new(NULL);
    erdiag_report_write(s->engine, &jopt, text);
    g_autoptr(JsonParser) p = json_parser_new();
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    add_str(b, "type", "report");
    json_builder_set_member_name(b, "report");
    if (json_parser_load_from_data(p, text->str, (gssize)text->len, NULL) && json_parser_get_root(p))
        json_builder_add_value(b, json_node_copy(json_parser_get_root(p)));
    else
        json_builder_add_null_value(b);
    json_builder_end_object(b);
    print_json_line(s, b);
    g_string_free(text, TRUE);
    fflush(s->out);
}
