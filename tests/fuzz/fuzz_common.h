/* Shared by the fuzz targets: the libFuzzer entry point's prototype, a
 * failure that every build (libFuzzer, the gcc replay driver) turns into a
 * crash, and walkers that read every byte an event or a decoded message
 * points at, so a dangling or short pointer shows up under ASan right where
 * it was handed out instead of somewhere in the engine. */
#ifndef ERDIAG_FUZZ_COMMON_H
#define ERDIAG_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "erdiag/event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant of the code under test does not hold: abort, which libFuzzer
 * records as a crash and the replay driver as a failed test. */
#define FUZZ_CHECK(cond)                                                                  \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                      \
        }                                                                                 \
    } while (0)

/* A sink for values read only to touch memory, which the compiler must not
 * optimise away. */
static volatile guint fuzz_sink_value;

static inline void fuzz_touch(const void *p, gsize n)
{
    const guint8 *b = p;
    guint acc = 0;
    for (gsize i = 0; i < n; i++)
        acc += b[i];
    fuzz_sink_value += acc;
}

static inline void fuzz_touch_string(const char *s)
{
    if (s != NULL)
        fuzz_touch(s, strlen(s) + 1);
}

static inline void fuzz_check_prefix(const erdiag_prefix *p)
{
    FUZZ_CHECK(p->addr.family == 4 || p->addr.family == 6);
    FUZZ_CHECK(p->len <= (p->addr.family == 4 ? 32 : 128));
}

/* Everything a decoded BGP message points into must be readable. */
static inline void fuzz_walk_bgp_msg(const erdiag_bgp_msg *m)
{
    fuzz_touch_string(m->error);
    switch (m->type) {
    case ERDIAG_BGP_OPEN:
        FUZZ_CHECK(m->u.open.n_caps <= ERDIAG_BGP_MAX_CAPS);
        break;
    case ERDIAG_BGP_UPDATE: {
        const erdiag_bgp_update *u = &m->u.update;
        FUZZ_CHECK(u->n_announced == 0 || u->announced != NULL);
        FUZZ_CHECK(u->n_withdrawn == 0 || u->withdrawn != NULL);
        for (guint i = 0; i < u->n_announced; i++)
            fuzz_check_prefix(&u->announced[i].prefix);
        for (guint i = 0; i < u->n_withdrawn; i++)
            fuzz_check_prefix(&u->withdrawn[i].prefix);
        if (u->has_as_path)
            fuzz_touch_string(u->as_path);
        if (u->n_communities)
            fuzz_touch(u->communities, u->n_communities * sizeof *u->communities);
        /* RFC 7606 errors: bounded, with an action; only a reset sets error */
        FUZZ_CHECK(u->n_errors <= ERDIAG_BGP_MAX_UPDATE_ERRORS);
        FUZZ_CHECK(u->action <= ERDIAG_BGP_ERR_SESSION_RESET);
        FUZZ_CHECK(u->action != ERDIAG_BGP_ERR_SESSION_RESET || m->error != NULL);
        for (guint i = 0; i < u->n_errors; i++) {
            FUZZ_CHECK(u->errors[i].action >= ERDIAG_BGP_ERR_ATTR_DISCARD && u->errors[i].action <= u->action);
            fuzz_touch_string(u->errors[i].reason);
        }
        FUZZ_CHECK(u->n_other_afi <= ERDIAG_BGP_MAX_OTHER_AFI);
        if (u->n_other_afi)
            fuzz_touch(u->other_afi, u->n_other_afi * sizeof *u->other_afi);
        break;
    }
    case ERDIAG_BGP_NOTIFICATION:
        if (m->u.notification.data_len)
            fuzz_touch(m->u.notification.data, m->u.notification.data_len);
        if (m->u.notification.shutdown_text) {
            fuzz_touch_string(m->u.notification.shutdown_text);
            /* it reaches reports verbatim: must be text */
            FUZZ_CHECK(g_utf8_validate(m->u.notification.shutdown_text, -1, NULL));
        }
        if (m->u.notification.data_text)
            FUZZ_CHECK(g_utf8_validate(m->u.notification.data_text, -1, NULL));
        break;
    default:
        break;
    }
}

/* What a front end hands the engine must be readable and within bounds. */
static inline void fuzz_walk_event(const erdiag_event *ev)
{
    FUZZ_CHECK(ev->pkt.n_tags <= ERDIAG_MAX_TAGS);
    for (guint i = 0; i < ev->pkt.n_tags; i++)
        FUZZ_CHECK(ev->pkt.tags[i].vid <= 4095);
    switch (ev->type) {
    case ERDIAG_EV_BGP:
        fuzz_walk_bgp_msg(&ev->u.bgp.msg);
        break;
    case ERDIAG_EV_DECODE_NOTE:
        FUZZ_CHECK(ev->u.note.text != NULL);
        fuzz_touch_string(ev->u.note.text);
        break;
    case ERDIAG_EV_ARP:
        FUZZ_CHECK(ev->u.arp.opcode == ERDIAG_ARP_REQUEST || ev->u.arp.opcode == ERDIAG_ARP_REPLY);
        break;
    default:
        break;
    }
}

/* A big-endian 16-bit value from two input bytes. */
static inline guint16 fuzz_be16(const uint8_t *b)
{
    return (guint16)((b[0] << 8) | b[1]);
}

#endif
