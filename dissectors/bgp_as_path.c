/* AS_PATH / AS4_PATH parsing, merging and formatting. */
#include "bgp_as_path.h"

#include "erdiag/bgp.h"
#include "cursor.h"

static guint32 read_asn(erdiag_cursor *c, guint asn_size)
{
    return asn_size == 4 ? erdiag_cursor_get_u32be(c) : erdiag_cursor_get_u16be(c);
}

void erdiag_as_path_init(erdiag_as_path *p)
{
    p->segments = g_array_new(FALSE, FALSE, sizeof(erdiag_as_segment));
    p->asns = g_array_new(FALSE, FALSE, sizeof(guint32));
}

void erdiag_as_path_clear(erdiag_as_path *p)
{
    if (p->segments)
        g_array_free(p->segments, TRUE);
    if (p->asns)
        g_array_free(p->asns, TRUE);
    p->segments = p->asns = NULL;
}

void erdiag_as_path_reset(erdiag_as_path *p)
{
    g_array_set_size(p->segments, 0);
    g_array_set_size(p->asns, 0);
}

/* Walks the segments; with p non-NULL also stores them. One pass, so a path of
 * thousands of segments costs time linear in its bytes. Every read goes
 * through the cursor: a segment is checked whole before its ASNs are read. */
static const char *walk(erdiag_as_path *p, const guint8 *b, gsize len, guint asn_size)
{
    erdiag_cursor c = erdiag_cursor_make(b, len);
    while (!erdiag_cursor_at_end(&c)) {
        if (erdiag_cursor_remaining(&c) < 2)
            return "a single byte left after the last segment";
        guint8 type = erdiag_cursor_get_u8(&c);
        guint count = erdiag_cursor_get_u8(&c);
        if (type < ERDIAG_AS_SET || type > ERDIAG_AS_CONFED_SET)
            return "unknown segment type";
        if (count == 0)
            return "zero-length segment";
        erdiag_cursor seg_c = erdiag_cursor_take(&c, (gsize)count * asn_size);
        if (c.err)
            return "segment overruns the attribute";
        if (p) {
            erdiag_as_segment seg = { type, count, p->asns->len };
            for (guint i = 0; i < count; i++) {
                guint32 asn = read_asn(&seg_c, asn_size);
                g_array_append_val(p->asns, asn);
            }
            g_array_append_val(p->segments, seg);
        }
    }
    return NULL;
}

const char *erdiag_as_path_check(const guint8 *b, gsize len, guint asn_size)
{
    return walk(NULL, b, len, asn_size);
}

const char *erdiag_as_path_parse(erdiag_as_path *p, const guint8 *b, gsize len, guint asn_size)
{
    erdiag_as_path_reset(p);
    return walk(p, b, len, asn_size);
}

static gboolean is_confed(guint8 type)
{
    return type == ERDIAG_AS_CONFED_SEQUENCE || type == ERDIAG_AS_CONFED_SET;
}

gboolean erdiag_as_path_has_confed(const erdiag_as_path *p)
{
    for (guint i = 0; i < p->segments->len; i++)
        if (is_confed(g_array_index(p->segments, erdiag_as_segment, i).type))
            return TRUE;
    return FALSE;
}

guint erdiag_as_path_hops(const erdiag_as_path *p)
{
    guint hops = 0;
    for (guint i = 0; i < p->segments->len; i++) {
        const erdiag_as_segment *s = &g_array_index(p->segments, erdiag_as_segment, i);
        if (s->type == ERDIAG_AS_SEQUENCE)
            hops += s->count;
        else if (s->type == ERDIAG_AS_SET)
            hops += 1;
    }
    return hops;
}

static void append_segment(erdiag_as_path *out, const erdiag_as_path *from,
                           const erdiag_as_segment *s, guint count)
{
    erdiag_as_segment seg = { s->type, count, out->asns->len };
    g_array_append_vals(out->asns, &g_array_index(from->asns, guint32, s->first), count);
    g_array_append_val(out->segments, seg);
}

gboolean erdiag_as_path_as4_applies(guint as_path_asn_size, gboolean has_aggregator, guint32 aggregator_as)
{
    return as_path_asn_size == 2 && !(has_aggregator && aggregator_as != ERDIAG_BGP_AS_TRANS);
}

void erdiag_as_path_merge_as4(const erdiag_as_path *as_path, const erdiag_as_path *as4_path,
                              erdiag_as_path *out)
{
    erdiag_as_path_reset(out);
    guint hops2 = erdiag_as_path_hops(as_path);
    guint hops4 = erdiag_as_path_hops(as4_path);
    if (hops2 < hops4) {
        /* AS4_PATH is inconsistent with AS_PATH: ignore it. */
        for (guint i = 0; i < as_path->segments->len; i++) {
            const erdiag_as_segment *s = &g_array_index(as_path->segments, erdiag_as_segment, i);
            append_segment(out, as_path, s, s->count);
        }
        return;
    }
    /* Take ASNs from the front of AS_PATH until the counts match; a
     * confederation segment comes along when it leads or follows a taken one. */
    guint need = hops2 - hops4;
    for (guint i = 0; i < as_path->segments->len; i++) {
        const erdiag_as_segment *s = &g_array_index(as_path->segments, erdiag_as_segment, i);
        if (is_confed(s->type)) {
            append_segment(out, as_path, s, s->count);
            continue;
        }
        if (need == 0)
            break;
        guint take = s->type == ERDIAG_AS_SET ? s->count : MIN(s->count, need);
        append_segment(out, as_path, s, take);
        need -= s->type == ERDIAG_AS_SET ? 1 : take;
    }
    /* RFC 6793 6: confederation segments have no place in AS4_PATH. */
    for (guint i = 0; i < as4_path->segments->len; i++) {
        const erdiag_as_segment *s = &g_array_index(as4_path->segments, erdiag_as_segment, i);
        if (!is_confed(s->type))
            append_segment(out, as4_path, s, s->count);
    }
}

/* Without printf: g_string_append_printf allocates on every call, and a
 * path may hold thousands of ASNs. */
static void append_uint(GString *out, guint32 v)
{
    char digits[10];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n > 0)
        g_string_append_c(out, digits[--n]);
}

void erdiag_as_path_format(const erdiag_as_path *p, GString *out)
{
    for (guint i = 0; i < p->segments->len; i++) {
        const erdiag_as_segment *s = &g_array_index(p->segments, erdiag_as_segment, i);
        const char *open = "", *close = "", *sep = " ";
        switch (s->type) {
        case ERDIAG_AS_SET: open = "{"; close = "}"; sep = ","; break;
        case ERDIAG_AS_CONFED_SEQUENCE: open = "("; close = ")"; break;
        case ERDIAG_AS_CONFED_SET: open = "["; close = "]"; sep = ","; break;
        default: break;
        }
        if (i > 0)
            g_string_append_c(out, ' ');
        g_string_append(out, open);
        for (guint j = 0; j < s->count; j++) {
            if (j > 0)
                g_string_append(out, sep);
            append_uint(out, g_array_index(p->asns, guint32, s->first + j));
        }
        g_string_append(out, close);
    }
}
