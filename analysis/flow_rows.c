/* A link's flows table: one row per flow that left the flow table, every
 * verdict counted, and at most ERDIAG_FLOW_ROWS_MAX rows kept. A failed flow
 * takes the place of the latest answered one when the table is full, so the
 * rows a reader needs survive a busy capture. */
#include "engine_internal.h"

const char *erdiag_flow_verdict_name(erdiag_flow_verdict v)
{
    static const char *const names[ERDIAG_FLOW_VERDICT_COUNT] = {
        "answered", "open", "no-reply", "one-way", "asymmetric-return", "refused",
        "icmp-unreachable", "unanswered", "uncovered-source",
    };
    return (guint)v < ERDIAG_FLOW_VERDICT_COUNT ? names[v] : "unknown";
}

gboolean erdiag_flow_verdict_failed(erdiag_flow_verdict v)
{
    return v >= ERDIAG_FLOW_ASYMMETRIC && v < ERDIAG_FLOW_VERDICT_COUNT;
}

void erdiag_flow_row_free(gpointer p)
{
    erdiag_flow_row *r = p;
    if (!r)
        return;
    g_free(r->detail);
    g_free(r);
}

void flow_rows_add(erdiag_link *l, const erdiag_flow_row *row)
{
    l->flow_verdicts[row->verdict]++;
    if (l->flows->len >= ERDIAG_FLOW_ROWS_MAX) {
        guint victim = l->flows->len;
        if (erdiag_flow_verdict_failed(row->verdict))
            for (guint i = l->flows->len; i-- > 0;)
                if (!erdiag_flow_verdict_failed(((erdiag_flow_row *)g_ptr_array_index(l->flows, i))->verdict)) {
                    victim = i;
                    break;
                }
        l->flows_not_listed++;
        if (victim == l->flows->len)
            return;
        g_ptr_array_remove_index(l->flows, victim);
    }
    erdiag_flow_row *copy = g_new(erdiag_flow_row, 1);
    *copy = *row;
    copy->detail = g_strdup(row->detail);
    g_ptr_array_add(l->flows, copy);
}

static gint by_first_frame(gconstpointer a, gconstpointer b)
{
    const erdiag_flow_row *x = *(erdiag_flow_row *const *)a, *y = *(erdiag_flow_row *const *)b;
    return x->first_frame < y->first_frame ? -1 : x->first_frame > y->first_frame;
}

void flow_rows_finish(erdiag_link *l)
{
    g_ptr_array_sort(l->flows, by_first_frame);
}
