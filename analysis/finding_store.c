/* Findings: created once per identity, then enriched with evidence frames.
 * Each finding lists its first few frames (the reports' short lists) and
 * counts the rest; the frame index below marks every one of them, so a
 * front end (the Wireshark plugin, pcapng annotations) shows on its packets
 * everything the report counts. Memory follows the number of distinct
 * problems plus the index, whose size is bounded in total. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "engine_internal.h"

/* The index holds one 16-byte entry (frame, finding) per evidence frame of
 * each finding: at most 2^20 entries (16 MiB, up to twice that while the
 * array grows). Past that, evidence is counted in frame_count but no longer
 * marked, and the report's notes say so. */
#define EVIDENCE_INDEX_MAX (1u << 20)
/* Evidence for a frame older than the newest indexed one (a request judged
 * after its timeout) waits in a small unsorted batch, merged in one pass
 * when full: appends stay O(1), a lookup is a binary search plus a scan of
 * at most this many entries. */
#define EVIDENCE_LATE_MAX 1024
/* Frames held for findings that may be raised later, in total. */
#define PENDING_FRAMES_MAX 65536

typedef struct {
    guint64 frame;
    erdiag_finding *f;
} evidence_entry;

typedef struct {
    GArray *frames;  /* guint64 */
    GArray *ts_us;   /* gint64, parallel to frames */
    guint64 dropped; /* past PENDING_FRAMES_MAX: counted only */
} pending_list;

static void pending_list_free(gpointer p)
{
    pending_list *pl = p;
    g_array_unref(pl->frames);
    g_array_unref(pl->ts_us);
    g_free(pl);
}

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
    e->evidence = g_array_new(FALSE, FALSE, sizeof(evidence_entry));
    e->evidence_late = g_array_new(FALSE, FALSE, sizeof(evidence_entry));
    e->frame_answer = g_ptr_array_new();
    e->pending_evidence = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, pending_list_free);
    e->finding_groups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

void finding_store_free(erdiag_engine *e)
{
    g_array_unref(e->evidence);
    g_array_unref(e->evidence_late);
    g_ptr_array_unref(e->frame_answer);
    g_hash_table_destroy(e->pending_evidence);
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

static void take_pending(erdiag_engine *e, erdiag_finding *f, const char *key);

erdiag_finding *finding_raise(erdiag_engine *e, erdiag_finding_kind kind, erdiag_severity sev,
                              const erdiag_link *link, const erdiag_peering *peering,
                              const char *extra, const char *advice, const char *fmt, ...)
{
    char *key = make_key(kind, link, peering, extra);
    /* the identity asked for, whose pending frames this finding takes (key
     * may become the group's "more" finding below) */
    g_autofree char *asked = g_strdup(key);
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
        take_pending(e, f, asked);
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
    take_pending(e, f, asked);
    if (e->cb)
        e->cb(f, e->cb_user);
    return f;
}

/* ---- the evidence frame index ---- */

static int entry_cmp(gconstpointer a, gconstpointer b)
{
    const evidence_entry *x = a, *y = b;
    if (x->frame != y->frame)
        return x->frame < y->frame ? -1 : 1;
    return x->f->seq < y->f->seq ? -1 : x->f->seq > y->f->seq;
}

/* Sorts the late batch and merges it into the index in one pass. */
static void index_merge_late(erdiag_engine *e)
{
    GArray *late = e->evidence_late;
    if (late->len == 0)
        return;
    g_array_sort(late, entry_cmp);
    GArray *all = e->evidence;
    GArray *out = g_array_sized_new(FALSE, FALSE, sizeof(evidence_entry), all->len + late->len);
    guint i = 0, j = 0;
    while (i < all->len || j < late->len) {
        gboolean take_all = j >= late->len
            || (i < all->len && entry_cmp(&g_array_index(all, evidence_entry, i),
                                          &g_array_index(late, evidence_entry, j)) <= 0);
        evidence_entry en = take_all ? g_array_index(all, evidence_entry, i++)
                                     : g_array_index(late, evidence_entry, j++);
        g_array_append_val(out, en);
    }
    g_array_unref(all);
    e->evidence = out;
    g_array_set_size(late, 0);
}

static void index_add(erdiag_engine *e, erdiag_finding *f, guint64 frame)
{
    if (e->evidence->len + e->evidence_late->len >= EVIDENCE_INDEX_MAX) {
        if (e->evidence_unindexed++ == 0)
            erdiag_engine_note(e, "more than %u evidence frames: from frame %" G_GUINT64_FORMAT
                               " on, evidence is counted but not marked on its packets", EVIDENCE_INDEX_MAX, frame);
        return;
    }
    evidence_entry en = {frame, f};
    GArray *all = e->evidence;
    if (all->len == 0 || g_array_index(all, evidence_entry, all->len - 1).frame <= frame) {
        g_array_append_val(all, en);
        return;
    }
    g_array_append_val(e->evidence_late, en);
    if (e->evidence_late->len >= EVIDENCE_LATE_MAX)
        index_merge_late(e);
}

static int answer_cmp(gconstpointer a, gconstpointer b)
{
    const erdiag_finding *x = *(erdiag_finding *const *)a, *y = *(erdiag_finding *const *)b;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void answer_add(GPtrArray *answer, erdiag_finding *f)
{
    for (guint i = 0; i < answer->len; i++)
        if (g_ptr_array_index(answer, i) == f)
            return; /* a frame given twice as evidence of one finding */
    g_ptr_array_add(answer, f);
}

const GPtrArray *finding_store_frame_findings(erdiag_engine *e, guint64 frame)
{
    GPtrArray *answer = e->frame_answer;
    g_ptr_array_set_size(answer, 0);
    GArray *all = e->evidence;
    /* the first entry of this frame */
    guint lo = 0, hi = all->len;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        if (g_array_index(all, evidence_entry, mid).frame < frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (guint i = lo; i < all->len && g_array_index(all, evidence_entry, i).frame == frame; i++)
        answer_add(answer, g_array_index(all, evidence_entry, i).f);
    gboolean from_late = FALSE;
    for (guint i = 0; i < e->evidence_late->len; i++) {
        const evidence_entry *en = &g_array_index(e->evidence_late, evidence_entry, i);
        if (en->frame == frame) {
            answer_add(answer, en->f);
            from_late = TRUE;
        }
    }
    if (from_late)
        g_ptr_array_sort(answer, answer_cmp);
    return answer->len ? answer : NULL;
}

/* ---- evidence that waits for its finding ---- */

static void take_pending(erdiag_engine *e, erdiag_finding *f, const char *key)
{
    pending_list *pl = g_hash_table_lookup(e->pending_evidence, key);
    if (!pl)
        return;
    for (guint i = 0; i < pl->frames->len; i++)
        finding_evidence(e, f, g_array_index(pl->frames, guint64, i), g_array_index(pl->ts_us, gint64, i));
    f->frame_count += pl->dropped;
    e->pending_frames -= pl->frames->len;
    g_hash_table_remove(e->pending_evidence, key);
}

void finding_pending_evidence(erdiag_engine *e, erdiag_finding_kind kind, const erdiag_link *link,
                              const erdiag_peering *peering, const char *extra, guint64 frame, gint64 ts_us)
{
    char *key = make_key(kind, link, peering, extra);
    pending_list *pl = g_hash_table_lookup(e->pending_evidence, key);
    if (!pl) {
        if (e->pending_frames >= PENDING_FRAMES_MAX) {
            g_free(key); /* not even a count: the bound holds keys too */
            return;
        }
        pl = g_new0(pending_list, 1);
        pl->frames = g_array_new(FALSE, FALSE, sizeof(guint64));
        pl->ts_us = g_array_new(FALSE, FALSE, sizeof(gint64));
        g_hash_table_insert(e->pending_evidence, key, pl);
    } else {
        g_free(key);
    }
    if (e->pending_frames >= PENDING_FRAMES_MAX) {
        pl->dropped++;
        return;
    }
    g_array_append_val(pl->frames, frame);
    g_array_append_val(pl->ts_us, ts_us);
    e->pending_frames++;
}

void finding_pending_drop(erdiag_engine *e, erdiag_finding_kind kind, const erdiag_link *link,
                          const erdiag_peering *peering, const char *extra)
{
    g_autofree char *key = make_key(kind, link, peering, extra);
    pending_list *pl = g_hash_table_lookup(e->pending_evidence, key);
    if (!pl)
        return;
    e->pending_frames -= pl->frames->len;
    g_hash_table_remove(e->pending_evidence, key);
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
    index_add(e, f, frame);
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
}

/* ---- anchoring findings that have no frame of their own ---- */

static link_impl *finding_link(erdiag_engine *e, const erdiag_finding *f)
{
    for (guint i = 0; f->link && i < e->links->len; i++) {
        link_impl *l = g_ptr_array_index(e->links, i);
        if (g_strcmp0(l->pub.label, f->link) == 0 && g_strcmp0(l->pub.peering->name, f->peering) == 0)
            return l;
    }
    return NULL;
}

static guint64 earliest(guint64 a, guint64 b)
{
    return !a ? b : !b ? a : MIN(a, b);
}

/* The first frame known to belong to the link (0 when none). */
static guint64 link_first_frame(const link_impl *l)
{
    guint64 fr = earliest(l->pub.arp[0].first_frame, l->pub.arp[1].first_frame);
    fr = earliest(fr, l->first_tcp_frame);
    return earliest(fr, earliest(l->pub.bgp.open_frame[0], l->pub.bgp.open_frame[1]));
}

/* A link that is down is shown by what failed on it: the evidence of its
 * errors (ARP that got no answer, SYNs, a NOTIFICATION ...). */
static void evidence_of_link_errors(erdiag_engine *e, erdiag_finding *down)
{
    index_merge_late(e);
    /* collected first: adding evidence may merge the index into a new array */
    GArray *frames = g_array_new(FALSE, FALSE, sizeof(guint64));
    for (guint i = 0; i < e->evidence->len; i++) {
        const evidence_entry *en = &g_array_index(e->evidence, evidence_entry, i);
        if (en->f != down && en->f->severity == ERDIAG_SEV_ERROR && en->f->kind != ERDIAG_F_REDUNDANCY_LINK_DOWN
            && g_strcmp0(en->f->link, down->link) == 0 && g_strcmp0(en->f->peering, down->peering) == 0)
            g_array_append_val(frames, en->frame);
    }
    for (guint i = 0; i < frames->len; i++)
        finding_evidence(e, down, g_array_index(frames, guint64, i), 0);
    g_array_unref(frames);
}

void finding_store_anchor(erdiag_engine *e)
{
    for (guint i = 0; i < e->findings->len; i++) {
        erdiag_finding *f = g_ptr_array_index(e->findings, i);
        if (f->frame_count > 0)
            continue;
        if (f->kind == ERDIAG_F_REDUNDANCY_LINK_DOWN)
            evidence_of_link_errors(e, f);
        if (f->frame_count > 0)
            continue;
        link_impl *l = finding_link(e, f);
        guint64 frame = l ? link_first_frame(l) : 0;
        /* a capture-wide finding, or a link with nothing of its own: the
         * capture's first frame */
        finding_evidence(e, f, frame ? frame : e->first_frame, 0);
    }
    index_merge_late(e);
}
