/* The per-packet path shared by the three inputs (see run_context.h). */
#include "run_context.h"

/* A tick must never run the engine's clock past a packet that was captured
 * but not yet delivered to us, or a reply still in a buffer would count as
 * missing. libpcap delivers within its buffer timeout (tcpdump's default is
 * one second when it writes to our stdin), so ticks trail the wall clock by
 * that much: time-driven findings appear about a second late, never wrong. */
#define TICK_LAG_US G_USEC_PER_SEC

static void feed_event(const erdiag_event *ev, gpointer user)
{
    run_context *c = user;
    erdiag_engine_feed(c->engine, ev, NULL);
}

void run_context_init(run_context *c, erdiag_engine *engine)
{
    *c = (run_context){0};
    c->engine = engine;
    c->decoder = erdiag_decoder_new(feed_event, c);
    c->spool_ifaces = g_hash_table_new(g_direct_hash, g_direct_equal);
}

void run_context_clear(run_context *c)
{
    erdiag_decoder_free(c->decoder);
    g_hash_table_destroy(c->spool_ifaces);
    c->decoder = NULL;
    c->spool_ifaces = NULL;
}

void run_context_set_spool(run_context *c, pcapng_writer *spool)
{
    c->spool = spool;
}

void run_context_spool_interface(run_context *c, guint32 iface, int linktype, guint32 snaplen, const char *name)
{
    if (!c->spool || g_hash_table_contains(c->spool_ifaces, GUINT_TO_POINTER(iface)))
        return;
    guint id = pcapng_writer_add_interface(c->spool, linktype, snaplen, name);
    g_hash_table_insert(c->spool_ifaces, GUINT_TO_POINTER(iface), GUINT_TO_POINTER(id));
}

gboolean run_context_wants_more(const run_context *c)
{
    return c->max_frames == 0 || c->frames < c->max_frames;
}

void run_context_packet(run_context *c, int linktype, erdiag_packet_meta *meta, const guint8 *data,
                        gint64 wall_us)
{
    meta->frame = ++c->frames;
    if (c->spool) {
        run_context_spool_interface(c, meta->iface, linktype, 0, NULL);
        guint id = GPOINTER_TO_UINT(g_hash_table_lookup(c->spool_ifaces, GUINT_TO_POINTER(meta->iface)));
        pcapng_writer_packet(c->spool, id, meta->ts_us, meta->wire_len, data, meta->cap_len, NULL, 0);
    }
    /* the summary counts every frame read, with or without events */
    erdiag_engine_frame(c->engine, meta->frame, meta->ts_us);
    erdiag_decoder_packet(c->decoder, linktype, data, meta);
    /* the clock follows the newest frame (interfaces merge slightly out of order) */
    if (meta->ts_us >= c->last_ts_us) {
        c->last_ts_us = meta->ts_us;
        c->last_wall_us = wall_us;
    }
    if (c->stream)
        stream_output_update(c->stream, c->last_ts_us, FALSE);
}

void run_context_tick(run_context *c, gint64 wall_now_us)
{
    if (c->frames == 0 || c->last_wall_us == 0)
        return;
    gint64 now = c->last_ts_us + (wall_now_us - c->last_wall_us) - TICK_LAG_US;
    if (now <= c->last_ts_us)
        return;
    erdiag_engine_tick(c->engine, now);
    if (c->stream)
        stream_output_update(c->stream, now, TRUE);
}

void run_context_finish(run_context *c)
{
    erdiag_decoder_finish(c->decoder);
    erdiag_engine_finish(c->engine);
    if (c->stream)
        stream_output_update(c->stream, c->last_ts_us, TRUE);
}
