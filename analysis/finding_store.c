/* Findings: created once per identity, then enriched with evidence frames.
 * Each finding keeps a bounded number of frames, so memory follows the number
 * of distinct problems, never the number of packets. */
#include <stdarg.h>
#include <string.h>
#include "engine_internal.h"

/* Distinct findings one kind may raise on one link (or peering) before the
 * rest are folded into a single one that counts them. Some kinds are per
 * address, port or prefix (an unanswered connection, a flapping route): a
 * SYN scan or a flood in the capture would otherwise make hundreds of
 * thousands, gigabytes of memory and reports nobody can read. */
#define FINDINGS_PER_KIND_MAX 200

static void finding_free(gpointer p)
{
    erdiag_finding *f = p;
    g_free(f->peering);
    g_free(f->link);
    g_free(f->message);
    g_free(f->advice);
    g_free(f->key);
    g_free(f);
}

void finding_store_init(erdiag_engine *e)
{
    e->findings = g_ptr_array_new_with_free_func(finding_free);
    e->finding_by_key = g_hash_table_new(g_str_hash, g_str_equal);
    e->frame_index = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
                                           (GDestroyNotify)g_ptr_array_unref);
    e->finding_groups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

void finding_store_free(erdiag_engine *e)
{
    g_hash_table_destroy(e->frame_index);
    g_hash_table_destroy(e->finding_groups);
    g_hash_table_destroy(e->finding_by_key);
    g_ptr_array_unref(e->findings);
}

static char *make_key(erdiag_finding_kind kind, const erdiag_link *link, const erdiag_peering *peering,
                      const char *extra)
{
    if (link && !peering)
        peering = link->peering;
    /* Links are identified by their subnet, which never changes; the
     * peering name may (zero-config regrouping), so it is not part of it. */
    char sub[ERDIAG_PREFIX_STRLEN] = "";
    if (link)
        erdiag_prefix_to_string(&link->subnet, sub);
    return g_strdup_printf("%d|%s|%s|%s", (int)kind, link ? "" : (peering ? peering->name : ""), sub,
                           extra ? extra : "");
}

erdiag_finding *finding_lookup(erdiag_engine *e, erdiag_finding_kind kind, const erdiag_link *link,
                               const erdiag_peering *peering, const char *extra)
{
    g_autofree char *key = make_key(kind, link, peering, extra);
    return g_hash_table_lookup(e->finding_by_key, key);
}

gboolean finding_exists_for_link(erdiag_engine *e, erdiag_finding_kind kind, const erdiag_link *link)
{
    for (guint i = 0; i < e->findings->len; i++) {
        erdiag_finding *f = g_ptr_array_index(e->findings, i);
        if (f->kind == kind && link && f->link && g_strcmp0(f->link, link->label) == 0
            && g_strcmp0(f->peering, link->peering->name) == 0)
            return TRUE;
    }
    return FALSE;
}

erdiag_finding *finding_raise(erdiag_engine *e, erdiag_finding_kind kind, erdiag_severity sev,
                              const erdiag_link *link, const erdiag_peering *peering,
                              const char *extra, const char *advice, const char *fmt, ...)
{
    char *key = make_key(kind, link, peering, extra);
    erdiag_finding *f = g_hash_table_lookup(e->finding_by_key, key);
    va_list ap;
    va_start(ap, fmt);
    char *message = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (link && !peering)
        peering = link->peering;

    if (!f) {
        /* A new one, counted in its group (kind and place); past the bound
         * it goes into the group's one "more" finding instead. */
        char *group = make_key(kind, link, peering, NULL);
        guint n = GPOINTER_TO_UINT(g_hash_table_lookup(e->finding_groups, group)) + 1;
        g_hash_table_insert(e->finding_groups, group, GUINT_TO_POINTER(n));
        if (n > FINDINGS_PER_KIND_MAX) {
            g_free(key);
            key = make_key(kind, link, peering, "\x01more");
            f = g_hash_table_lookup(e->finding_by_key, key);
            char *more = g_strdup_printf("%u more \"%s\" cases here, not listed one by one (the first %d are); "
                                         "the latest: %s", n - FINDINGS_PER_KIND_MAX,
                                         erdiag_finding_def_get(kind)->title, FINDINGS_PER_KIND_MAX, message);
            g_free(message);
            message = more;
        }
    }

    if (f) {
        g_free(key);
        g_free(f->message);
        f->message = message;
        if (sev > f->severity)
            f->severity = sev;
        if (advice && g_strcmp0(advice, f->advice) != 0) {
            g_free(f->advice);
            f->advice = g_strdup(advice);
        }
        /* the link may have moved to another peering (zero-config) */
        if (peering && g_strcmp0(f->peering, peering->name) != 0) {
            g_free(f->peering);
            f->peering = g_strdup(peering->name);
        }
        return f;
    }
    f = g_new0(erdiag_finding, 1);
    f->kind = kind;
    f->severity = sev;
    f->peering = peering ? g_strdup(peering->name) : NULL;
    f->link = link ? g_strdup(link->label) : NULL;
    f->message = message;
    f->advice = g_strdup(advice ? advice : "");
    f->key = key;
    f->seq = e->next_seq++;
    g_ptr_array_add(e->findings, f);
    g_hash_table_insert(e->finding_by_key, f->key, f);
    e->findings_sorted = FALSE;
    if (e->cb)
        e->cb(f, e->cb_user);
    return f;
}

void finding_evidence(erdiag_engine *e, erdiag_finding *f, guint64 frame, gint64 ts_us)
{
    if (!f || frame == 0)
        return;
    /* the same frame twice (several events of one packet) counts once */
    for (guint i = 0; i < f->n_frames; i++)
        if (f->frames[i] == frame)
            return;
    if (frame == f->last_frame)
        return;
    f->last_frame = frame;
    f->frame_count++;
    if (ts_us && (!f->first_ts_us || ts_us < f->first_ts_us))
        f->first_ts_us = ts_us;
    if (ts_us > f->last_ts_us)
        f->last_ts_us = ts_us;
    if (f->n_frames >= ERDIAG_FINDING_MAX_FRAMES)
        return;
    /* keep ascending order: evidence may arrive late (a SYN judged after its retries) */
    guint pos = f->n_frames;
    while (pos > 0 && f->frames[pos - 1] > frame) {
        f->frames[pos] = f->frames[pos - 1];
        pos--;
    }
    f->frames[pos] = frame;
    f->n_frames++;
    GPtrArray *list = g_hash_table_lookup(e->frame_index, &frame);
    if (!list) {
        gint64 *k = g_new(gint64, 1);
        *k = (gint64)frame;
        list = g_ptr_array_new();
        g_hash_table_insert(e->frame_index, k, list);
    }
    g_ptr_array_add(list, f);
}
