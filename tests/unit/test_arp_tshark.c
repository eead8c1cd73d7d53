/* Agreement with tshark on the public captures: for every ARP frame the
 * decoder reports, the opcode, sender/target MAC and IP, and the VLAN id
 * stack equal what tshark dissects; and every frame tshark shows as a
 * complete Ethernet/IPv4 request or reply is one the decoder reports.
 *
 * Legitimate differences, each checked rather than assumed:
 *  - Files whose link type the CLI refuses (RAW, JUNIPER_ETHER) are not
 *    decoded; the test checks tshark finds no ARP in them either.
 *  - ARP whose hardware type is not Ethernet (1) but still has 6-byte
 *    addresses: tshark prints MACs, we give a decode note instead, since the
 *    engine tracks Ethernet/IPv4 only. Counted, and each such frame must
 *    have produced a note.
 * Skips (77) when the captures or tshark are absent. */
#include <stdio.h>
#include <string.h>
#include <glib.h>

/* Unit tests link erdiag_core only; the CLI's reader is compiled in here. */
#include "capture_reader.h"
#include "decoder.h"

typedef struct {
    GHashTable *arp;   /* frame -> char* "opcode|smac|sip|tmac|tip|vlan|ad" */
    GHashTable *noted; /* frame -> "1": a decode note was emitted */
} decoded;

static void tags_to_strings(const erdiag_packet_meta *m, GString *vlan, GString *ad)
{
    for (guint i = 0; i < m->n_tags; i++) {
        GString *s = m->tags[i].tpid == 0x88a8 ? ad : vlan;
        g_string_append_printf(s, "%s%u", s->len ? "," : "", m->tags[i].vid);
    }
}

static char *mac_string(const guint8 m[6])
{
    return g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void sink(const erdiag_event *ev, gpointer user)
{
    decoded *d = user;
    gpointer key = GSIZE_TO_POINTER((gsize)ev->pkt.frame);
    if (ev->type == ERDIAG_EV_DECODE_NOTE)
        g_hash_table_insert(d->noted, key, (gpointer) "1");
    if (ev->type != ERDIAG_EV_ARP || ev->u.arp.nd)
        return;
    char sip[ERDIAG_ADDR_STRLEN], tip[ERDIAG_ADDR_STRLEN];
    GString *vlan = g_string_new(NULL), *ad = g_string_new(NULL);
    tags_to_strings(&ev->pkt, vlan, ad);
    char *smac = mac_string(ev->u.arp.sender_mac), *tmac = mac_string(ev->u.arp.target_mac);
    char *row = g_strdup_printf("%u|%s|%s|%s|%s|%s|%s", ev->u.arp.opcode, smac,
                                erdiag_addr_to_string(&ev->u.arp.sender_ip, sip), tmac,
                                erdiag_addr_to_string(&ev->u.arp.target_ip, tip), vlan->str, ad->str);
    g_hash_table_insert(d->arp, key, row);
    g_free(smac);
    g_free(tmac);
    g_string_free(vlan, TRUE);
    g_string_free(ad, TRUE);
}

/* Decode a file with the CLI's reader and decoder. FALSE when the reader
 * refuses its link type. */
static gboolean decode_file(const char *path, decoded *d)
{
    GError *error = NULL;
    erdiag_capture_reader *r = erdiag_capture_reader_open(path, &error);
    if (r == NULL) {
        g_assert_error(error, ERDIAG_CAPTURE_ERROR, ERDIAG_CAPTURE_ERROR_LINKTYPE);
        g_test_message("%s", error->message);
        g_error_free(error);
        return FALSE;
    }
    erdiag_decoder *dec = erdiag_decoder_new(sink, d);
    erdiag_packet_meta meta;
    memset(&meta, 0, sizeof meta);
    int linktype;
    const guint8 *data;
    guint64 frame = 0;
    meta.frame = 1;
    while (erdiag_capture_reader_next(r, &linktype, &meta, &data, &error)) {
        meta.frame = ++frame;
        erdiag_decoder_packet(dec, linktype, data, &meta);
    }
    /* Some public captures end mid-record (fuzzer output); what was read counts. */
    if (error)
        g_test_message("%s", error->message);
    g_clear_error(&error);
    erdiag_decoder_finish(dec);
    erdiag_decoder_free(dec);
    erdiag_capture_reader_close(r);
    return TRUE;
}

/* tshark's fields for every frame: frame -> char*[8]. */
static GHashTable *run_tshark(const char *tshark, const char *path)
{
    const char *argv[] = { tshark, "-n", "-r", path, "-T", "fields",
                           "-e", "frame.number", "-e", "vlan.id", "-e", "ieee8021ad.id",
                           "-e", "arp.opcode", "-e", "arp.src.hw_mac", "-e", "arp.src.proto_ipv4",
                           "-e", "arp.dst.hw_mac", "-e", "arp.dst.proto_ipv4", "-E", "occurrence=a", NULL };
    char *out = NULL, *err = NULL;
    int status = 0;
    GError *error = NULL;
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error));
    g_assert_no_error(error);
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    GHashTable *rows = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, (GDestroyNotify)g_strfreev);
    char **lines = g_strsplit(out, "\n", -1);
    for (char **l = lines; *l; l++) {
        if (**l == '\0')
            continue;
        char **f = g_strsplit(*l, "\t", -1);
        g_assert_cmpuint(g_strv_length(f), ==, 8);
        g_hash_table_insert(rows, GSIZE_TO_POINTER((gsize)g_ascii_strtoull(f[0], NULL, 10)), f);
    }
    g_strfreev(lines);
    g_free(out);
    g_free(err);
    return rows;
}

static void test_agreement(gconstpointer data)
{
    const char *dir_path = data;
    char *tshark = g_find_program_in_path("tshark");
    GDir *dir = g_dir_open(dir_path, 0, NULL);
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    while ((name = g_dir_read_name(dir)) != NULL)
        if (g_str_has_suffix(name, ".pcap") || g_str_has_suffix(name, ".pcapng"))
            g_ptr_array_add(files, g_build_filename(dir_path, name, NULL));
    g_dir_close(dir);
    g_assert_cmpuint(files->len, >, 0);

    guint compared = 0, non_ethernet = 0, refused_files = 0;
    for (guint i = 0; i < files->len; i++) {
        const char *path = g_ptr_array_index(files, i);
        decoded d = { g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free),
                      g_hash_table_new(g_direct_hash, g_direct_equal) };
        gboolean read = decode_file(path, &d);
        GHashTable *ts = run_tshark(tshark, path);

        GHashTableIter it;
        gpointer k, v;
        g_hash_table_iter_init(&it, ts);
        while (g_hash_table_iter_next(&it, &k, &v)) {
            char **f = v;
            gboolean complete = (g_str_equal(f[3], "1") || g_str_equal(f[3], "2")) && *f[4] && *f[5] && *f[6] && *f[7];
            if (!read) {
                /* A refused file must not hide ARP. */
                if (*f[3])
                    g_error("%s: frame %s is ARP but the file's link type is refused", path, f[0]);
                continue;
            }
            const char *ours = g_hash_table_lookup(d.arp, k);
            if (ours == NULL) {
                if (!complete)
                    continue;
                /* tshark prints MACs for any 6-byte hardware address; ours must have said why not. */
                if (g_hash_table_lookup(d.noted, k) == NULL)
                    g_error("%s: frame %s: tshark sees ARP %s %s/%s -> %s/%s, the decoder reports nothing",
                            path, f[0], f[3], f[4], f[5], f[6], f[7]);
                non_ethernet++;
                continue;
            }
            char *theirs = g_strdup_printf("%s|%s|%s|%s|%s|%s|%s", f[3], f[4], f[5], f[6], f[7], f[1], f[2]);
            if (!g_str_equal(ours, theirs))
                g_error("%s: frame %s: decoder %s, tshark %s", path, f[0], ours, theirs);
            g_free(theirs);
            compared++;
        }
        /* Every ARP event we emitted is a frame tshark listed. */
        g_hash_table_iter_init(&it, d.arp);
        while (g_hash_table_iter_next(&it, &k, &v))
            g_assert_nonnull(g_hash_table_lookup(ts, k));
        refused_files += !read;
        g_hash_table_destroy(ts);
        g_hash_table_destroy(d.arp);
        g_hash_table_destroy(d.noted);
    }
    g_test_message("%u ARP frames agree; %u non-Ethernet ARP frames noted instead; %u files refused",
                   compared, non_ethernet, refused_files);
    g_assert_cmpuint(compared, >, 0);
    g_ptr_array_free(files, TRUE);
    g_free(tshark);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    const char *dir = ERDIAG_SHARED_DIR "/public-pcaps";
    char *tshark = g_find_program_in_path("tshark");
    if (!g_file_test(dir, G_FILE_TEST_IS_DIR) || tshark == NULL) {
        g_printerr("skipped: %s\n", tshark ? "no public captures" : "no tshark");
        g_free(tshark);
        return 77;
    }
    g_free(tshark);
    g_test_add_data_func("/arp-tshark/agreement", dir, test_agreement);
    return g_test_run();
}
