/* Reading a capture stream on a worker thread (see stdin_stream.h). */
#include "stdin_stream.h"

#include <string.h>
#include "stop_signal.h"

/* The worker waits when this much packet data is queued and not yet fed
 * (a fast producer such as `cat big.pcap |` cannot fill the memory). */
#define QUEUE_MAX_BYTES (16 * 1024 * 1024)
/* How long the feeding side waits for packets before it ticks the clock. */
#define IDLE_WAIT_US (G_USEC_PER_SEC / 4)

typedef struct {
    int linktype;
    erdiag_packet_meta meta;
    gint64 wall_us;
    guint8 data[];
} queued_packet;

typedef struct {
    GMutex lock;
    GCond cond;
    GQueue packets;              /* queued_packet* */
    gsize bytes;
    gboolean ended;              /* the worker is done (end of input or error) */
    GError *error;
    gboolean abandoned;          /* the feeding side stopped reading */
    int refs;                    /* worker + feeding side: the last one frees */
    erdiag_capture_reader *reader; /* used by the worker only */
} packet_queue;

static void queue_unref(packet_queue *q)
{
    g_mutex_lock(&q->lock);
    gboolean last = --q->refs == 0;
    g_mutex_unlock(&q->lock);
    if (!last)
        return;
    erdiag_capture_reader_close(q->reader);
    g_queue_clear_full(&q->packets, g_free);
    g_clear_error(&q->error);
    g_mutex_clear(&q->lock);
    g_cond_clear(&q->cond);
    g_free(q);
}

static gpointer worker(gpointer data)
{
    packet_queue *q = data;
    GError *err = NULL;
    for (;;) {
        int linktype;
        erdiag_packet_meta meta = {0};
        const guint8 *bytes;
        if (!erdiag_capture_reader_next(q->reader, &linktype, &meta, &bytes, &err))
            break;
        queued_packet *p = g_malloc(sizeof *p + meta.cap_len);
        p->linktype = linktype;
        p->meta = meta;
        p->wall_us = g_get_monotonic_time();
        memcpy(p->data, bytes, meta.cap_len);
        g_mutex_lock(&q->lock);
        while (q->bytes > QUEUE_MAX_BYTES && !q->abandoned)
            g_cond_wait(&q->cond, &q->lock);
        gboolean abandoned = q->abandoned;
        if (!abandoned) {
            g_queue_push_tail(&q->packets, p);
            q->bytes += meta.cap_len + sizeof *p;
            g_cond_broadcast(&q->cond);
        }
        g_mutex_unlock(&q->lock);
        if (abandoned) {
            g_free(p);
            break;
        }
    }
    g_mutex_lock(&q->lock);
    q->ended = TRUE;
    q->error = err;
    g_cond_broadcast(&q->cond);
    g_mutex_unlock(&q->lock);
    queue_unref(q);
    return NULL;
}

/* Takes every queued packet, waiting up to IDLE_WAIT_US for the first. */
static void take(packet_queue *q, GQueue *out, gboolean *ended)
{
    gint64 deadline = g_get_monotonic_time() + IDLE_WAIT_US;
    g_mutex_lock(&q->lock);
    while (g_queue_is_empty(&q->packets) && !q->ended && !stop_signal_requested())
        if (!g_cond_wait_until(&q->cond, &q->lock, deadline))
            break;
    *out = q->packets;
    g_queue_init(&q->packets);
    q->bytes = 0;
    *ended = q->ended;
    g_cond_broadcast(&q->cond);
    g_mutex_unlock(&q->lock);
}

/* Stop reading: the worker may be blocked in a read that never returns (a
 * producer that stays silent), so it is not waited for; it frees the queue
 * if it ever wakes, else the process exit does. */
static void abandon(packet_queue *q)
{
    g_mutex_lock(&q->lock);
    q->abandoned = TRUE;
    g_cond_broadcast(&q->cond);
    g_mutex_unlock(&q->lock);
}

gboolean stdin_stream_run(erdiag_capture_reader *r, run_context *c, GError **error)
{
    packet_queue *q = g_new0(packet_queue, 1);
    g_mutex_init(&q->lock);
    g_cond_init(&q->cond);
    g_queue_init(&q->packets);
    q->refs = 2;
    q->reader = r;

    /* signals go to this thread, where the loop checks for them */
    sigset_t old;
    stop_signal_block(&old);
    GThread *thread = g_thread_new("erdiag-stdin", worker, q);
    stop_signal_restore(&old);

    gboolean ended = FALSE, stopped = FALSE;
    while (!ended && !stopped) {
        GQueue batch;
        take(q, &batch, &ended);
        queued_packet *p;
        while ((p = g_queue_pop_head(&batch))) {
            if (run_context_wants_more(c))
                run_context_packet(c, p->linktype, &p->meta, p->data, p->wall_us);
            else
                stopped = TRUE;
            g_free(p);
        }
        if (stop_signal_requested())
            stopped = TRUE;
        if (!ended)
            run_context_tick(c, g_get_monotonic_time());
    }

    gboolean ok = TRUE;
    if (ended) {
        g_thread_join(thread);
        if (q->error) {
            g_propagate_error(error, q->error);
            q->error = NULL;
            ok = FALSE;
        }
    } else {
        abandon(q);
        g_thread_unref(thread);
    }
    queue_unref(q);
    return ok;
}
