/* pcapng block parser (the format of draft-ietf-opsawg-pcapng).
 *
 * Every block is: type, total length, body, total length again. The reader
 * checks both lengths, bounds every field by the block body, and stops with
 * a message naming the byte offset at the first sign of damage; packets
 * before that point have already been handed out. */
#include "pcapng_reader.h"

#include <stdarg.h>
#include <string.h>
#include "capture_reader.h"
#include "cursor.h"

enum {
    BLOCK_IDB = 1,
    BLOCK_OPB = 2, /* obsolete packet block */
    BLOCK_SPB = 3,
    BLOCK_EPB = 6,
    SHB_MIN_LEN = 28,
    BLOCK_MIN_LEN = 12,
    OPT_END = 0,
    OPT_IF_TSRESOL = 9,
    OPT_IF_TSOFFSET = 14,
    PACKET_FIXED_LEN = 20, /* EPB and OPB: interface, timestamp, lengths */
};

typedef struct {
    int linktype;
    guint32 snaplen;
    guint64 units_per_sec; /* timestamp resolution (if_tsresol), default microseconds */
    gint64 offset_s;       /* if_tsoffset */
} iface_info;

struct erdiag_pcapng_reader {
    char *name;
    erdiag_pcapng_read_fn read;
    gpointer src;
    guint64 offset;          /* bytes consumed from the input */
    guint64 frames;          /* packets delivered */
    gboolean big_endian;     /* of the current section */
    GArray *ifaces;          /* iface_info, all sections */
    guint section_base;      /* index of the current section's interface 0 */
    GByteArray *block;       /* the current block minus its type and leading length */
    guint32 block_type;
    guint64 block_start;
    gsize body_len;          /* bytes of body (trailing length excluded) */
    gboolean pending;        /* block holds a packet read ahead by _new() */
    gboolean ended;          /* end of input or error: nothing more to read */
    gint64 last_ts_us;       /* simple packet blocks carry no timestamp */
};

/* --- byte order ---------------------------------------------------------- */

static guint16 get16(erdiag_cursor *c, gboolean be)
{
    guint16 v = erdiag_cursor_get_u16be(c);
    return be ? v : GUINT16_SWAP_LE_BE(v);
}

static guint32 get32(erdiag_cursor *c, gboolean be)
{
    guint32 v = erdiag_cursor_get_u32be(c);
    return be ? v : GUINT32_SWAP_LE_BE(v);
}

static guint32 raw32(const guint8 *b, gboolean be)
{
    erdiag_cursor c = erdiag_cursor_make(b, 4);
    return get32(&c, be);
}

/* --- messages ------------------------------------------------------------ */

static char *after_frames(const erdiag_pcapng_reader *r)
{
    if (r->frames == 0)
        return g_strdup("before the first frame");
    return g_strdup_printf("after frame %" G_GUINT64_FORMAT, r->frames);
}

G_GNUC_PRINTF(4, 5)
static void fail(erdiag_pcapng_reader *r, GError **error, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *detail = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    char *when = after_frames(r);
    const char *what = code == ERDIAG_CAPTURE_ERROR_TRUNCATED ? "truncated" : "damaged";
    g_set_error(error, ERDIAG_CAPTURE_ERROR, code, "%s: %s %s (%s)", r->name, what, when, detail);
    g_free(when);
    g_free(detail);
    r->ended = TRUE;
}

/* --- reading blocks ------------------------------------------------------ */

static gssize read_bytes(erdiag_pcapng_reader *r, guint8 *buf, gsize n, GError **error)
{
    gssize got = r->read(r->src, buf, n, error);
    if (got > 0)
        r->offset += (guint64)got;
    if (got < 0)
        r->ended = TRUE;
    return got;
}

/* 1 with a block in r->block, 0 at a clean end of input, -1 on error. */
static int read_block(erdiag_pcapng_reader *r, GError **error)
{
    guint64 start = r->offset;
    guint8 head[12];
    gssize got = read_bytes(r, head, 8, error);
    if (got < 0)
        return -1;
    if (got == 0) {
        r->ended = TRUE;
        return 0;
    }
    if (got < 8) {
        fail(r, error, ERDIAG_CAPTURE_ERROR_TRUNCATED, "block header cut at byte %" G_GUINT64_FORMAT, start);
        return -1;
    }
    /* The section header's type reads the same in both byte orders; its
     * byte-order magic then sets the order for the section. */
    guint32 type = raw32(head, r->big_endian);
    gsize have_body = 0;
    if (type == ERDIAG_PCAPNG_SHB) {
        got = read_bytes(r, head + 8, 4, error);
        if (got < 0)
            return -1;
        if (got < 4) {
            fail(r, error, ERDIAG_CAPTURE_ERROR_TRUNCATED, "section header cut at byte %" G_GUINT64_FORMAT, start);
            return -1;
        }
        if (memcmp(head + 8, "\x1a\x2b\x3c\x4d", 4) == 0)
            r->big_endian = TRUE;
        else if (memcmp(head + 8, "\x4d\x3c\x2b\x1a", 4) == 0)
            r->big_endian = FALSE;
        else {
            fail(r, error, ERDIAG_CAPTURE_ERROR_DAMAGED,
                 "section header at byte %" G_GUINT64_FORMAT " has no valid byte-order magic", start);
            return -1;
        }
        have_body = 4;
    }
    guint32 total = raw32(head + 4, r->big_endian);
    guint32 min = type == ERDIAG_PCAPNG_SHB ? SHB_MIN_LEN : BLOCK_MIN_LEN;
    if (total % 4 != 0 || total < min || total > ERDIAG_PCAPNG_MAX_BLOCK) {
        fail(r, error, ERDIAG_CAPTURE_ERROR_DAMAGED,
             "block of type 0x%08x at byte %" G_GUINT64_FORMAT " has impossible length %u", type, start, total);
        return -1;
    }
    /* Body plus the trailing copy of the length. */
    gsize rest = total - 8;
    g_byte_array_set_size(r->block, (guint)rest);
    memcpy(r->block->data, head + 8, have_body);
    got = read_bytes(r, r->block->data + have_body, rest - have_body, error);
    if (got < 0)
        return -1;
    if ((gsize)got < rest - have_body) {
        fail(r, error, ERDIAG_CAPTURE_ERROR_TRUNCATED,
             "block at byte %" G_GUINT64_FORMAT " cut after %" G_GUINT64_FORMAT " of %u bytes",
             start, (guint64)(8 + have_body + (gsize)got), total);
        return -1;
    }
    guint32 trailer = raw32(r->block->data + rest - 4, r->big_endian);
    if (trailer != total) {
        fail(r, error, ERDIAG_CAPTURE_ERROR_DAMAGED,
             "block at byte %" G_GUINT64_FORMAT " says length %u at its start and %u at its end",
             start, total, trailer);
        return -1;
    }
    r->block_type = type;
    r->block_start = start;
    r->body_len = rest - 4;
    return 1;
}

/* --- block contents ------------------------------------------------------ */

static gboolean handle_shb(erdiag_pcapng_reader *r, GError **error)
{
    erdiag_cursor c = erdiag_cursor_make(r->block->data, r->body_len);
    erdiag_cursor_skip(&c, 4); /* byte-order magic */
    guint16 major = get16(&c, r->big_endian);
    if (major != 1) {
        fail(r, error, ERDIAG_CAPTURE_ERROR_DAMAGED,
             "section header at byte %" G_GUINT64_FORMAT " has version %u, only 1 is known", r->block_start, major);
        return FALSE;
    }
    r->section_base = r->ifaces->len; /* interface ids restart in each section */
    return TRUE;
}

static gboolean tsresol_to_units(guint8 v, guint64 *units)
{
    guint exp = v & 0x7f;
    if (v & 0x80) {
        if (exp > 63)
            return FALSE;
        *units = G_GUINT64_CONSTANT(1) << exp;
        return TRUE;
    }
    if (exp > 19)
        return FALSE;
    guint64 u = 1;
    for (guint i = 0; i < exp; i++)
        u *= 10;
    *units = u;
    return TRUE;
}

static gboolean handle_idb(erdiag_pcapng_reader *r, GError **error)
{
    if (r->ifaces->len >= ERDIAG_PCAPNG_MAX_INTERFACES) {
        fail(r, error, ERDIAG_CAPTURE_ERROR_DAMAGED, "more than %d interfaces", ERDIAG_PCAPNG_MAX_INTERFACES);
        return FALSE;
    }
    gboolean be = r->big_endian;
    erdiag_cursor c = erdiag_cursor_make(r->block->data, r->body_len);
    iface_info info = { 0 };
    info.linktype = get16(&c, be);
    erdiag_cursor_skip(&c, 2); /* reserved */
    info.snaplen = get32(&c, be);
    info.units_per_sec = 1000000;
    if (c.err) {
        fail(r, error, ERDIAG_CAPTURE_ERROR_DAMAGED,
             "interface description at byte %" G_GUINT64_FORMAT " is too short", r->block_start);
        return FALSE;
    }
    /* Options: code, length, value padded to 4 bytes. Only the timestamp
     * ones matter; a malformed option list just ends the walk. */
    while (erdiag_cursor_remaining(&c) >= 4) {
        guint16 code = get16(&c, be);
        guint16 len = get16(&c, be);
        if (code == OPT_END)
            break;
        erdiag_cursor val = erdiag_cursor_sub(&c, len);
        if (!erdiag_cursor_skip(&c, ((gsize)len + 3) & ~(gsize)3))
            break;
        if (code == OPT_IF_TSRESOL && len >= 1) {
            guint8 v = erdiag_cursor_get_u8(&val);
            if (!tsresol_to_units(v, &info.units_per_sec)) {
                fail(r, error, ERDIAG_CAPTURE_ERROR_DAMAGED,
                     "interface %u has timestamp resolution code 0x%02x, which is not supported",
                     r->ifaces->len - r->section_base, v);
                return FALSE;
            }
        } else if (code == OPT_IF_TSOFFSET && len == 8) {
            guint64 hi = get32(&val, be), lo = get32(&val, be);
            guint64 v = be ? (hi << 32 | lo) : (lo << 32 | hi);
            /* Bounded so that seconds * 10^6 cannot overflow. */
            info.offset_s = CLAMP((gint64)v, -(G_GINT64_CONSTANT(1) << 40), G_GINT64_CONSTANT(1) << 40);
        }
    }
    g_array_append_val(r->ifaces, info);
    return TRUE;
}

static gint64 to_us(const iface_info *ifc, guint64 units)
{
    guint64 ups = ifc->units_per_sec;
    guint64 secs = units / ups;
    guint64 frac = units % ups;
    const guint64 max_secs = (guint64)(G_MAXINT64 / 1000000) - (G_GUINT64_CONSTANT(1) << 41);
    if (secs > max_secs)
        secs = max_secs; /* a nonsense timestamp, kept finite */
    gint64 us = (gint64)secs * 1000000 + (gint64)((double)frac * 1e6 / (double)ups);
    return us + ifc->offset_s * 1000000;
}

static const iface_info *section_iface(erdiag_pcapng_reader *r, guint32 id, GError **error)
{
    guint n = r->ifaces->len - r->section_base;
    if (id >= n) {
        fail(r, error, ERDIAG_CAPTURE_ERROR_DAMAGED,
             "packet block at byte %" G_GUINT64_FORMAT " names interface %u, but the section declares %u",
             r->block_start, id, n);
        return NULL;
    }
    return &g_array_index(r->ifaces, iface_info, r->section_base + id);
}

/* EPB and OPB share a layout but for the interface id's width. */
static int handle_timed_packet(erdiag_pcapng_reader *r, erdiag_pcapng_packet *pkt, GError **error)
{
    gboolean be = r->big_endian;
    erdiag_cursor c = erdiag_cursor_make(r->block->data, r->body_len);
    guint32 id;
    if (r->block_type == BLOCK_EPB) {
        id = get32(&c, be);
    } else {
        id = get16(&c, be);
        erdiag_cursor_skip(&c, 2); /* drops count */
    }
    guint64 hi = get32(&c, be), lo = get32(&c, be);
    guint32 caplen = get32(&c, be);
    guint32 wirelen = get32(&c, be);
    if (c.err) {
        fail(r, error, ERDIAG_CAPTURE_ERROR_DAMAGED,
             "packet block at byte %" G_GUINT64_FORMAT " is too short", r->block_start);
        return -1;
    }
    if (caplen > erdiag_cursor_remaining(&c)) {
        fail(r, error, ERDIAG_CAPTURE_ERROR_DAMAGED,
             "packet block at byte %" G_GUINT64_FORMAT " claims %u captured bytes but holds %" G_GSIZE_FORMAT,
             r->block_start, caplen, erdiag_cursor_remaining(&c));
        return -1;
    }
    const iface_info *ifc = section_iface(r, id, error);
    if (ifc == NULL)
        return -1;
    pkt->iface = r->section_base + id;
    pkt->linktype = ifc->linktype;
    pkt->ts_us = to_us(ifc, hi << 32 | lo);
    pkt->cap_len = caplen;
    pkt->wire_len = wirelen;
    pkt->data = erdiag_cursor_ptr(&c);
    r->last_ts_us = pkt->ts_us;
    return 1;
}

static int handle_spb(erdiag_pcapng_reader *r, erdiag_pcapng_packet *pkt, GError **error)
{
    erdiag_cursor c = erdiag_cursor_make(r->block->data, r->body_len);
    guint32 wirelen = get32(&c, r->big_endian);
    if (c.err) {
        fail(r, error, ERDIAG_CAPTURE_ERROR_DAMAGED,
             "simple packet block at byte %" G_GUINT64_FORMAT " is too short", r->block_start);
        return -1;
    }
    const iface_info *ifc = section_iface(r, 0, error);
    if (ifc == NULL)
        return -1;
    gsize caplen = MIN((gsize)wirelen, erdiag_cursor_remaining(&c));
    if (ifc->snaplen != 0)
        caplen = MIN(caplen, (gsize)ifc->snaplen);
    pkt->iface = r->section_base;
    pkt->linktype = ifc->linktype;
    pkt->ts_us = r->last_ts_us; /* no timestamp in this block: keep time from going backwards */
    pkt->cap_len = (guint32)caplen;
    pkt->wire_len = wirelen;
    pkt->data = erdiag_cursor_ptr(&c);
    return 1;
}

static gboolean is_packet_block(guint32 type)
{
    return type == BLOCK_EPB || type == BLOCK_SPB || type == BLOCK_OPB;
}

/* Act on the block in r->block: 1 if it is a packet (pkt filled), 0 if it
 * was consumed otherwise, -1 on error. */
static int handle_block(erdiag_pcapng_reader *r, erdiag_pcapng_packet *pkt, GError **error)
{
    switch (r->block_type) {
    case ERDIAG_PCAPNG_SHB:
        return handle_shb(r, error) ? 0 : -1;
    case BLOCK_IDB:
        return handle_idb(r, error) ? 0 : -1;
    case BLOCK_EPB:
    case BLOCK_OPB:
        return handle_timed_packet(r, pkt, error);
    case BLOCK_SPB:
        return handle_spb(r, pkt, error);
    default:
        return 0; /* name resolution, statistics, secrets, custom: not needed */
    }
}

int erdiag_pcapng_reader_next(erdiag_pcapng_reader *r, erdiag_pcapng_packet *pkt, GError **error)
{
    memset(pkt, 0, sizeof *pkt);
    for (;;) {
        if (r->pending) {
            r->pending = FALSE;
        } else {
            if (r->ended)
                return 0;
            int rc = read_block(r, error);
            if (rc <= 0)
                return rc;
        }
        int rc = handle_block(r, pkt, error);
        if (rc < 0)
            return -1;
        if (rc > 0) {
            r->frames++;
            return 1;
        }
    }
}

erdiag_pcapng_reader *erdiag_pcapng_reader_new(const char *name, erdiag_pcapng_read_fn read,
                                               gpointer src, GError **error)
{
    erdiag_pcapng_reader *r = g_new0(erdiag_pcapng_reader, 1);
    r->name = g_strdup(name);
    r->read = read;
    r->src = src;
    r->ifaces = g_array_new(FALSE, TRUE, sizeof(iface_info));
    r->block = g_byte_array_new();

    int rc = read_block(r, error);
    if (rc == 0)
        g_set_error(error, ERDIAG_CAPTURE_ERROR, ERDIAG_CAPTURE_ERROR_FORMAT, "%s: empty file", name);
    if (rc > 0 && r->block_type != ERDIAG_PCAPNG_SHB) {
        g_set_error(error, ERDIAG_CAPTURE_ERROR, ERDIAG_CAPTURE_ERROR_FORMAT,
                    "%s: not a pcapng file (no section header at its start)", name);
        rc = -1;
    }
    if (rc > 0 && !handle_shb(r, error))
        rc = -1;
    if (rc <= 0) {
        erdiag_pcapng_reader_free(r);
        return NULL;
    }
    /* Read ahead to the first packet so the up-front interfaces are known. */
    for (;;) {
        rc = read_block(r, error);
        if (rc == 0)
            break;
        if (rc < 0 || (!is_packet_block(r->block_type) && handle_block(r, NULL, error) < 0)) {
            erdiag_pcapng_reader_free(r);
            return NULL;
        }
        if (is_packet_block(r->block_type)) {
            r->pending = TRUE;
            break;
        }
    }
    return r;
}

guint erdiag_pcapng_reader_n_interfaces(const erdiag_pcapng_reader *r)
{
    return r->ifaces->len;
}

int erdiag_pcapng_reader_linktype(const erdiag_pcapng_reader *r, guint iface)
{
    if (iface >= r->ifaces->len)
        return -1;
    return g_array_index(r->ifaces, iface_info, iface).linktype;
}

void erdiag_pcapng_reader_free(erdiag_pcapng_reader *r)
{
    if (r == NULL)
        return;
    g_free(r->name);
    g_array_free(r->ifaces, TRUE);
    g_byte_array_free(r->block, TRUE);
    g_free(r);
}
