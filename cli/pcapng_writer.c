/* pcapng blocks in the host's byte order (the section header's byte-order
 * magic tells readers which one). Each block is assembled in memory, then
 * written whole, so a failed write never leaves half a block behind
 * unnoticed: the first error is kept and reported by close. */
#include "pcapng_writer.h"

#include <errno.h>
#include <string.h>

enum {
    BLOCK_SHB = 0x0A0D0D0A,
    BLOCK_IDB = 1,
    BLOCK_EPB = 6,
    BYTE_ORDER_MAGIC = 0x1A2B3C4D,
    OPT_END = 0,
    OPT_COMMENT = 1,
    SHB_USERAPPL = 4,
    IF_NAME = 2,
    IF_TSRESOL = 9,
    OPT_MAX_LEN = 0xfffc, /* the 16-bit length, kept a multiple of 4 */
};

struct pcapng_writer {
    char *path;
    FILE *fp;
    guint n_interfaces;
    int error_errno;       /* first write error, 0 when none */
    GByteArray *block;     /* scratch for the block being built */
};

static void put16(GByteArray *b, guint16 v)
{
    g_byte_array_append(b, (const guint8 *)&v, 2);
}

static void put32(GByteArray *b, guint32 v)
{
    g_byte_array_append(b, (const guint8 *)&v, 4);
}

static void pad4(GByteArray *b)
{
    static const guint8 zeros[3] = {0, 0, 0};
    if (b->len % 4)
        g_byte_array_append(b, zeros, 4 - b->len % 4);
}

static void put_option(GByteArray *b, guint16 code, const void *value, gsize len)
{
    put16(b, code);
    put16(b, (guint16)len);
    g_byte_array_append(b, value, (guint)len);
    pad4(b);
}

/* Text options must be valid UTF-8 and fit the 16-bit length field. */
static void put_text_option(GByteArray *b, guint16 code, const char *text)
{
    g_autofree char *valid = g_utf8_make_valid(text, -1);
    gsize len = strlen(valid);
    if (len > OPT_MAX_LEN) {
        const char *end = g_utf8_find_prev_char(valid, valid + OPT_MAX_LEN + 1);
        len = end ? (gsize)(end - valid) : 0;
    }
    put_option(b, code, valid, len);
}

static void begin_block(pcapng_writer *w, guint32 type)
{
    g_byte_array_set_size(w->block, 0);
    put32(w->block, type);
    put32(w->block, 0); /* total length, filled in by end_block */
}

static void end_block(pcapng_writer *w, gboolean has_options)
{
    if (has_options)
        put_option(w->block, OPT_END, NULL, 0);
    guint32 total = w->block->len + 4;
    memcpy(w->block->data + 4, &total, 4);
    put32(w->block, total);
    if (w->error_errno == 0 && fwrite(w->block->data, 1, w->block->len, w->fp) != w->block->len)
        w->error_errno = errno ? errno : EIO;
}

pcapng_writer *pcapng_writer_create(const char *path, const char *comment, GError **error)
{
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        int err = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(err), "%s: %s", path, g_strerror(err));
        return NULL;
    }
    pcapng_writer *w = g_new0(pcapng_writer, 1);
    w->path = g_strdup(path);
    w->fp = fp;
    w->block = g_byte_array_new();

    begin_block(w, BLOCK_SHB);
    put32(w->block, BYTE_ORDER_MAGIC);
    put16(w->block, 1); /* version 1.0 */
    put16(w->block, 0);
    put32(w->block, 0xffffffffu); /* section length: not given */
    put32(w->block, 0xffffffffu);
    if (comment && *comment)
        put_text_option(w->block, OPT_COMMENT, comment);
    put_text_option(w->block, SHB_USERAPPL, "erdiag " ERDIAG_VERSION_STRING);
    end_block(w, TRUE);
    return w;
}

guint pcapng_writer_add_interface(pcapng_writer *w, int linktype, guint32 snaplen, const char *name)
{
    begin_block(w, BLOCK_IDB);
    put16(w->block, (guint16)linktype);
    put16(w->block, 0);
    put32(w->block, snaplen);
    if (name && *name)
        put_text_option(w->block, IF_NAME, name);
    const guint8 tsresol = 6; /* microseconds, what the readers hand us */
    put_option(w->block, IF_TSRESOL, &tsresol, 1);
    end_block(w, TRUE);
    return w->n_interfaces++;
}

void pcapng_writer_packet(pcapng_writer *w, guint iface, gint64 ts_us, guint32 wire_len,
                          const guint8 *data, guint32 cap_len, const char *const *comments, guint n_comments)
{
    guint64 ts = ts_us < 0 ? 0 : (guint64)ts_us;
    begin_block(w, BLOCK_EPB);
    put32(w->block, iface);
    put32(w->block, (guint32)(ts >> 32));
    put32(w->block, (guint32)ts);
    put32(w->block, cap_len);
    put32(w->block, MAX(wire_len, cap_len));
    g_byte_array_append(w->block, data, cap_len);
    pad4(w->block);
    for (guint i = 0; comments && i < n_comments; i++)
        put_text_option(w->block, OPT_COMMENT, comments[i]);
    end_block(w, comments && n_comments > 0);
}

void pcapng_writer_flush(pcapng_writer *w)
{
    if (w->error_errno == 0 && fflush(w->fp) != 0)
        w->error_errno = errno ? errno : EIO;
}

gboolean pcapng_writer_close(pcapng_writer *w, GError **error)
{
    if (!w)
        return TRUE;
    pcapng_writer_flush(w);
    if (fclose(w->fp) != 0 && w->error_errno == 0)
        w->error_errno = errno ? errno : EIO;
    gboolean ok = w->error_errno == 0;
    if (!ok)
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(w->error_errno), "%s: %s", w->path,
                    g_strerror(w->error_errno));
    g_byte_array_unref(w->block);
    g_free(w->path);
    g_free(w);
    return ok;
}
