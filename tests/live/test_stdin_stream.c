/* A capture on standard input (erdiag -): the same findings as the file,
 * streamed while the input is still open, time-driven findings (an ARP
 * request never answered) reported before more packets arrive, jsonl lines
 * that scripts can read, and Ctrl-C ending the run with a report. */
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "capture_dirs.h"
#include "live_util.h"

static char *tmpdir;

static const guint8 cust_mac[6] = {0x02, 0xc0, 0, 0, 1, 1};
static const guint8 msee_mac[6] = {0x02, 0x12, 0x07, 0x60, 0, 2};
static const guint8 cust_ip[4] = {192, 168, 15, 17};
static const guint8 msee_ip[4] = {192, 168, 15, 18};
#define T0 ((gint64)1700000000 * G_USEC_PER_SEC)

/* A peering on VLAN 100, 192.168.15.16/30, with a 1 s ARP timeout. */
static char *write_config(void)
{
    const char *ini = "[erdiag]\narp-timeout = 1\n\n[peering test]\nvlan = 100\npeer-asn = 65010\n"
                      "primary-subnet = 192.168.15.16/30\n";
    char *p = g_build_filename(tmpdir, "peering.ini", NULL);
    g_assert_true(g_file_set_contents(p, ini, -1, NULL));
    return p;
}

static void write_all(int fd, const guint8 *data, gsize len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        g_assert_cmpint(n, >, 0);
        data += n;
        len -= (gsize)n;
    }
}

/* The ARP reply from the MSEE to the customer's request. */
static void arp_reply(guint8 out[46])
{
    lt_arp_request(out, 100, msee_mac, msee_ip, cust_ip);
    memcpy(out, cust_mac, 6);
    out[25] = 2; /* opcode: reply */
    memcpy(out + 36, cust_mac, 6);
}

static void test_same_findings(void)
{
    g_autoptr(GPtrArray) dirs = capture_dirs_list();
    for (guint i = 0; i < dirs->len; i++) {
        const char *dir = g_ptr_array_index(dirs, i);
        g_autofree char *cap = capture_dirs_capture(dir);
        g_autofree char *ini = g_build_filename(dir, "peering.ini", NULL);
        if (!cap || !g_file_test(ini, G_FILE_TEST_EXISTS))
            continue;
        const char *file_args[] = {"--format", "json", "-c", ini, cap, NULL};
        const char *pipe_args[] = {"--format", "json", "-c", ini, "-", NULL};
        g_autofree char *fo = NULL, *fe = NULL, *po = NULL, *pe = NULL;
        int fs = capture_dirs_run(file_args, &fo, &fe);
        int ps = lt_run_piped(cap, pipe_args, &po, &pe);
        g_assert_cmpint(fs, ==, ps);
        g_autoptr(GPtrArray) want = capture_dirs_finding_lines(fo, NULL);
        g_autoptr(GPtrArray) got = capture_dirs_finding_lines(po, NULL);
        g_autofree char *w = lt_join(want), *g = lt_join(got);
        if (strcmp(w, g) != 0)
            g_error("%s: file and stdin differ\nfile:\n%sstdin:\n%s%s", dir, w, g, pe);
    }
}

/* Every line is one JSON object; findings once each, the report last; the
 * same lines for a file and for the same capture on stdin. */
static void check_jsonl(const char *text, const char *what)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    guint n = g_strv_length(lines);
    g_assert_cmpuint(n, >=, 2);
    g_assert_cmpstr(lines[n - 1], ==, ""); /* ends with a newline */
    g_autoptr(GPtrArray) streamed = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i + 1 < n; i++) {
        g_autoptr(JsonParser) p = json_parser_new();
        if (!json_parser_load_from_data(p, lines[i], -1, NULL))
            g_error("%s: line %u is not JSON: %s", what, i + 1, lines[i]);
        JsonObject *o = json_node_get_object(json_parser_get_root(p));
        const char *type = json_object_get_string_member(o, "type");
        if (i + 2 == n) {
            g_assert_cmpstr(type, ==, "report");
            continue;
        }
        if (strcmp(type, "finding") == 0) {
            const char *link = json_object_get_null_member(o, "link") ? "-" : json_object_get_string_member(o, "link");
            g_ptr_array_add(streamed, g_strdup_printf("%s %s", json_object_get_string_member(o, "id"), link));
        } else {
            g_assert_cmpstr(type, ==, "state");
            g_assert_true(json_object_has_member(o, "link") && json_object_has_member(o, "bgp"));
        }
    }
    g_autoptr(GPtrArray) reported = lt_jsonl_report_ids(text);
    g_assert_nonnull(reported);
    /* each finding of the report was streamed, and only once */
    g_autofree char *s_all = lt_join(streamed);
    for (guint i = 0; i < reported->len; i++)
        if (!strstr(s_all, g_ptr_array_index(reported, i)))
            g_error("%s: %s is in the report but was not streamed\nstreamed:\n%s", what,
                    (char *)g_ptr_array_index(reported, i), s_all);
    g_autoptr(JsonParser) p = json_parser_new();
    g_assert_true(json_parser_load_from_data(p, lines[n - 2], -1, NULL));
    JsonObject *report = json_object_get_object_member(json_node_get_object(json_parser_get_root(p)), "report");
    g_assert_cmpuint(streamed->len, ==, json_array_get_length(json_object_get_array_member(report, "findings")));
}

static void test_jsonl(void)
{
    g_autoptr(GPtrArray) dirs = capture_dirs_list();
    for (guint i = 0; i < dirs->len; i++) {
        const char *dir = g_ptr_array_index(dirs, i);
        g_autofree char *cap = capture_dirs_capture(dir);
        g_autofree char *ini = g_build_filename(dir, "peering.ini", NULL);
        if (!cap || !g_file_test(ini, G_FILE_TEST_EXISTS))
            continue;
        const char *file_args[] = {"--format", "jsonl", "-c", ini, cap, NULL};
        const char *pipe_args[] = {"--format", "jsonl", "-c", ini, "-", NULL};
        g_autofree char *fo = NULL, *fe = NULL, *po = NULL, *pe = NULL;
        int fs = capture_dirs_run(file_args, &fo, &fe);
        int ps = lt_run_piped(cap, pipe_args, &po, &pe);
        g_assert_cmpint(fs, <=, 1);
        g_assert_cmpint(fs, ==, ps);
        check_jsonl(fo, dir);
        check_jsonl(po, dir);
    }
}

/* An ARP request goes unanswered while the pipe stays open: the finding
 * is printed within seconds, long before the input ends. */
static void test_streams_before_end(void)
{
    g_autofree char *ini = write_config();
    const char *argv[] = {ERDIAG_BIN, "-c", ini, "-", NULL};
    lt_child c;
    lt_spawn(argv, &c);
    g_autoptr(GByteArray) b = lt_pcap_new(1);
    guint8 req[46];
    lt_arp_request(req, 100, cust_mac, cust_ip, msee_ip);
    lt_pcap_add(b, T0, req, sizeof req);
    write_all(c.in, b->data, b->len);
    gint64 start = g_get_monotonic_time();
    gboolean seen = lt_wait_output(&c, "arp.unanswered", 10000);
    gint64 took = g_get_monotonic_time() - start;
    if (!seen)
        g_error("arp.unanswered not streamed while the input was open; output so far:\n%s%s", c.out_text->str,
                c.err_text->str);
    g_test_message("arp.unanswered streamed after %.1f s", took / 1e6);
    /* one more packet much later, then the end */
    g_byte_array_set_size(b, 0);
    lt_pcap_add(b, T0 + 60 * G_USEC_PER_SEC, req, sizeof req);
    write_all(c.in, b->data, b->len);
    int status = lt_finish(&c);
    g_assert_cmpint(status, ==, 1);
    /* streamed once, then named again in the report */
    g_assert_nonnull(strstr(c.out_text->str, "ExpressRoute private peering report"));
    lt_child_clear(&c);
}

/* Answered within the timeout: the ticks that drive the clock while the
 * pipe is silent must not call it unanswered. */
static void test_no_false_finding(void)
{
    g_autofree char *ini = write_config();
    const char *argv[] = {ERDIAG_BIN, "-c", ini, "-", NULL};
    lt_child c;
    lt_spawn(argv, &c);
    g_autoptr(GByteArray) b = lt_pcap_new(1);
    guint8 req[46], rep[46];
    lt_arp_request(req, 100, cust_mac, cust_ip, msee_ip);
    arp_reply(rep);
    lt_pcap_add(b, T0, req, sizeof req);
    lt_pcap_add(b, T0 + 200000, rep, sizeof rep);
    write_all(c.in, b->data, b->len);
    g_assert_false(lt_wait_output(&c, "arp.unanswered", 3500));
    g_assert_cmpint(lt_finish(&c), ==, 0);
    g_assert_null(strstr(c.out_text->str, "arp.unanswered"));
    lt_child_clear(&c);
}

/* Ctrl-C while the producer is still silent: the report is written and the
 * exit status is the report's, not death by signal. */
static void test_interrupt(void)
{
    g_autofree char *ini = write_config();
    const char *argv[] = {ERDIAG_BIN, "-c", ini, "-", NULL};
    lt_child c;
    lt_spawn(argv, &c);
    g_autoptr(GByteArray) b = lt_pcap_new(1);
    guint8 req[46], rep[46];
    lt_arp_request(req, 100, cust_mac, cust_ip, msee_ip);
    arp_reply(rep);
    lt_pcap_add(b, T0, req, sizeof req);
    lt_pcap_add(b, T0 + 1000, rep, sizeof rep);
    write_all(c.in, b->data, b->len);
    g_assert_true(lt_wait_output(&c, "ARP on-prem ok, MSEE ok", 5000));
    kill(c.pid, SIGINT);
    /* stdin is still open: only the signal can end the run */
    gint64 start = g_get_monotonic_time();
    g_assert_true(lt_wait_output(&c, "ExpressRoute private peering report", 5000));
    g_assert_cmpint(g_get_monotonic_time() - start, <, 3 * G_USEC_PER_SEC);
    int status = lt_finish(&c);
    g_assert_cmpint(status, ==, 0);
    lt_child_clear(&c);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("erdiag-stdin-XXXXXX", NULL);
    g_test_add_func("/stdin/same-findings", test_same_findings);
    g_test_add_func("/stdin/jsonl", test_jsonl);
    g_test_add_func("/stdin/streams-before-end", test_streams_before_end);
    g_test_add_func("/stdin/no-false-finding", test_no_false_finding);
    g_test_add_func("/stdin/interrupt", test_interrupt);
    int rc = g_test_run();
    g_autofree char *ini = g_build_filename(tmpdir, "peering.ini", NULL);
    g_unlink(ini);
    g_rmdir(tmpdir);
    g_free(tmpdir);
    return rc;
}
