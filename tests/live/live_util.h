/* Helpers shared by the live, stdin and annotation tests. */
#ifndef ERDIAG_TEST_LIVE_UTIL_H
#define ERDIAG_TEST_LIVE_UTIL_H

#include <glib.h>

/* A capture's frames as the project's own reader sees them. */
typedef struct {
    int linktype;
    guint32 iface;
    gint64 ts_us;
    guint32 wire_len;
    GBytes *data;
} lt_frame;

/* lt_frame* (freed with the array); NULL and error when unreadable. */
GPtrArray *lt_read_frames(const char *path, GError **error);

/* Runs `cat input | erdiag args...` through sh; exit status of erdiag. */
int lt_run_piped(const char *input, const char *const *args, char **out, char **err);

/* "id link" lines (sorted, unique) of the {"type":"report"} line that ends
 * a jsonl stream; NULL when there is none. */
GPtrArray *lt_jsonl_report_ids(const char *jsonl);

/* The lines joined, for messages and comparisons. */
char *lt_join(GPtrArray *lines);

/* TRUE when name is an executable in PATH. */
gboolean lt_have_program(const char *name);

/* A classic pcap file: header, then records (Ethernet unless linktype given). */
GByteArray *lt_pcap_new(guint32 linktype);
void lt_pcap_add(GByteArray *b, gint64 ts_us, const guint8 *frame, guint32 len);

/* An 802.1Q-tagged ARP request from sender for target (IPv4 in host order
 * bytes a.b.c.d), 46 bytes. */
void lt_arp_request(guint8 out[46], guint16 vid, const guint8 sender_mac[6], const guint8 sender_ip[4],
                    const guint8 target_ip[4]);

#endif

/* A child with pipes on stdin, stdout and stderr. */
typedef struct {
    GPid pid;
    int in, out, err;
    GString *out_text, *err_text;
} lt_child;

/* argv[0] is run as given (a path or a name in PATH). */
void lt_spawn(const char *const *argv, lt_child *c);
/* Reads stdout until needle appears (TRUE) or timeout_ms passes (FALSE). */
gboolean lt_wait_output(lt_child *c, const char *needle, int timeout_ms);
/* Closes stdin (if still open), reads both outputs to the end, reaps the
 * child; returns the exit status (128 + signal when killed). */
int lt_finish(lt_child *c);
void lt_child_clear(lt_child *c);
