/* Memory for the flow table's flows (flow_pool.h). */
#include "flow_pool.h"

#include <string.h>
#ifdef G_OS_UNIX
#include <sys/mman.h>
#endif

#define CACHE_LINE 64

struct flow_pool {
    gsize stride;             /* item_size rounded up to cache lines */
    guint capacity;
    guint8 *base;             /* the reservation (NULL: items from the heap) */
    gsize size;
    guint carved;             /* items handed out of the reservation so far */
    gpointer free_list;       /* released items, each holding the next */
};

flow_pool *flow_pool_new(gsize item_size, guint capacity)
{
    flow_pool *p = g_new0(flow_pool, 1);
    p->stride = (MAX(item_size, sizeof(gpointer)) + CACHE_LINE - 1) & ~(gsize)(CACHE_LINE - 1);
    p->capacity = capacity;
#if defined(G_OS_UNIX) && defined(MAP_ANONYMOUS) && defined(MAP_NORESERVE)
    gsize size = p->stride * capacity;
    if (capacity > 0 && size / capacity == p->stride) {
        void *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (m != MAP_FAILED) {
            p->base = m;
            p->size = size;
#ifdef MADV_HUGEPAGE
            madvise(m, size, MADV_HUGEPAGE); /* a hint: without it, ordinary pages */
#endif
        }
    }
#endif
    return p;
}

void flow_pool_free(flow_pool *p)
{
    if (!p)
        return;
    if (p->base) {
#ifdef G_OS_UNIX
        munmap(p->base, p->size);
#endif
    } else {
        while (p->free_list) {
            gpointer next = *(gpointer *)p->free_list;
            g_aligned_free(p->free_list);
            p->free_list = next;
        }
    }
    g_free(p);
}

gpointer flow_pool_alloc0(flow_pool *p)
{
    gpointer item;
    if (p->free_list) {
        item = p->free_list;
        p->free_list = *(gpointer *)item;
    } else if (p->base) {
        if (p->carved == p->capacity)
            return NULL;
        item = p->base + (gsize)p->carved++ * p->stride; /* fresh pages are zero */
        return item;
    } else {
        return g_aligned_alloc0(1, p->stride, CACHE_LINE);
    }
    memset(item, 0, p->stride);
    return item;
}

void flow_pool_release(flow_pool *p, gpointer item)
{
    *(gpointer *)item = p->free_list;
    p->free_list = item;
}
