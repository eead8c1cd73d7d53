/* Memory for the flow table's flows, in one piece.
 *
 * A packet's first touch of its flow is the data plane's costliest moment:
 * thousands of flows interleave, so the flow is seldom in the cache, and
 * with each flow on a page of its own somewhere in the heap the address
 * translation misses too (in a virtual machine a translation miss walks two
 * page tables). The pool reserves address space for max-flows items at
 * once and asks for transparent huge pages, so that a few translations
 * cover every flow. Pages are only used as items are: memory grows with
 * the most flows held at once, never with the packets, and freed items are
 * reused first. Without mmap, or when the reservation fails, items come
 * from the heap one by one. */
#ifndef ERDIAG_FLOW_POOL_H
#define ERDIAG_FLOW_POOL_H

#include <glib.h>

typedef struct flow_pool flow_pool;

/* Room for `capacity` items of item_size bytes, each on a cache line's
 * boundary. */
flow_pool *flow_pool_new(gsize item_size, guint capacity);
void flow_pool_free(flow_pool *p);

/* A zeroed item; never NULL while fewer than `capacity` are held. */
gpointer flow_pool_alloc0(flow_pool *p);
void flow_pool_release(flow_pool *p, gpointer item);

#endif
