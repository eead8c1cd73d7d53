/* Bad input gets a one-line error naming the file or key, and exit status 2;
 * never a crash (this also runs under the sanitizer build). */
#include <glib/gstdio.h>
#include <string.h>
#include "capture_dirs.h"

static char *tmpdir;

static char *write_tmp(const char *name, const void *data, gsize len)
{
    char *p = g_build_filename(tmpdir, name, NULL);
    g_assert_true(g_file_set_contents(p, data, (gssize)len, NULL));
    return p;
}

/* One line on stderr, mentioning needle; exit 2. */
static void expect_error(const char *const *args, const char *needle)
{
    g_autofree char *out = NULL, *err = NULL;
    int status = capture_dirs_run(args, &out, &err);
    g_assert_cmpint(status, ==, 2);
    g_assert_nonnull(strstr(err, needle));
    const char *nl = strchr(err, '\n');
    g_assert_nonnull(nl);
    g_assert_cmpint(nl[1], ==, '\0');
}

/* A classic pcap header for link type lt, plus records. */
static GByteArray *pcap_header(guint32 lt)
{
    GByteArray *b = g_byte_array_new();
    guint32 h[6] = {0xa1b2c3d4, 0x00040002, 0, 0, 65535, lt};
    g_byte_array_append(b, (guint8 *)h, sizeof(h));
    return b;
}

static void add_record(GByteArray *b, const guint8 *frame, guint32 len)
{
    guint32 rh[4] = {1700000000, 0, len, len};
    g_byte_array_append(b, (guint8 *)rh, sizeof(rh));
    g_byte_array_append(b, frame, len);
}

static const guint8 arp_request[42] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0xc0, 0, 0, 1, 1, 0x08, 0x06,
    0, 1, 0x08, 0, 6, 4, 0, 1, 0x02, 0xc0, 0, 0, 1, 1, 192, 168, 15, 17,
    0, 0, 0, 0, 0, 0, 192, 168, 15, 18,
};

static void test_empty(void)
{
    g_autofree char *p = write_tmp("empty.pcap", "", 0);
    const char *args[] = {p, NULL};
    expect_error(args, "empty.pcap");
}

static void test_text(void)
{
    const char *t = "this is not a capture\n";
    g_autofree char *p = write_tmp("notes.txt", t, strlen(t));
    const char *args[] = {p, NULL};
    expect_error(args, "notes.txt");
}

static void test_missing(void)
{
    g_autofree char *p = g_build_filename(tmpdir, "does-not-exist.pcap", NULL);
    const char *args[] = {p, NULL};
    expect_error(args, "does-not-exist.pcap");
}

static void test_unknown_linktype(void)
{
    GByteArray *b = pcap_header(105); /* IEEE 802.11 */
    add_record(b, arp_request, sizeof(arp_request));
    g_autofree char *p = write_tmp("wifi.pcap", b->data, b->len);
    g_byte_array_unref(b);
    const char *args[] = {p, NULL};
    expect_error(args, "wifi.pcap");
}

/* A capture cut mid-record: analysed as far as it goes (the report names
 * the ARP), one error line, exit 2. */
static void test_truncated(void)
{
    GByteArray *b = pcap_header(1);
    add_record(b, arp_request, sizeof(arp_request));
    add_record(b, arp_request, sizeof(arp_request));
    g_autofree char *p = write_tmp("cut.pcap", b->data, b->len - 10);
    g_byte_array_unref(b);
    const char *args[] = {"--format", "json", p, NULL};
    g_autofree char *out = NULL, *err = NULL;
    int status = capture_dirs_run(args, &out, &err);
    g_assert_cmpint(status, ==, 2);
    g_assert_nonnull(strstr(err, "cut.pcap"));
    g_assert_nonnull(strstr(out, "\"truncated\" : true"));
    g_assert_nonnull(strstr(out, "\"frames\" : 1"));
}

static void test_bad_config_value(void)
{
    const char *ini = "[peering x]\nvlan = 5000\nprimary-subnet = 192.168.15.16/30\n";
    g_autofree char *c = write_tmp("bad.ini", ini, strlen(ini));
    GByteArray *b = pcap_header(1);
    add_record(b, arp_request, sizeof(arp_request));
    g_autofree char *p = write_tmp("one.pcap", b->data, b->len);
    g_byte_array_unref(b);
    const char *args[] = {"--config", c, p, NULL};
    expect_error(args, "bad.ini: [peering x] vlan = 5000");
}

static void test_bad_subnet(void)
{
    const char *ini = "[peering]\nprimary-subnet = 192.168.15.17/30\n";
    g_autofree char *c = write_tmp("hostbits.ini", ini, strlen(ini));
    g_autofree char *p = g_build_filename(tmpdir, "one.pcap", NULL);
    const char *args[] = {"--config", c, p, NULL};
    expect_error(args, "primary-subnet");
}

static void test_unknown_key(void)
{
    const char *ini = "[peering]\nprimary-subnet = 192.168.15.16/30\nvlan-id = 100\n";
    g_autofree char *c = write_tmp("unknown.ini", ini, strlen(ini));
    g_autofree char *p = g_build_filename(tmpdir, "one.pcap", NULL);
    const char *args[] = {"--config", c, p, NULL};
    expect_error(args, "vlan-id");
}

static void test_bad_usage(void)
{
    const char *args[] = {"--format", "yaml", "x.pcap", NULL};
    expect_error(args, "--format yaml");
    const char *none[] = {NULL};
    expect_error(none, "no capture");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("erdiag-cli-XXXXXX", NULL);
    g_test_add_func("/cli/empty-file", test_empty);
    g_test_add_func("/cli/text-file", test_text);
    g_test_add_func("/cli/missing-file", test_missing);
    g_test_add_func("/cli/unknown-linktype", test_unknown_linktype);
    g_test_add_func("/cli/truncated", test_truncated);
    g_test_add_func("/cli/bad-config-value", test_bad_config_value);
    g_test_add_func("/cli/bad-subnet", test_bad_subnet);
    g_test_add_func("/cli/unknown-key", test_unknown_key);
    g_test_add_func("/cli/bad-usage", test_bad_usage);
    int rc = g_test_run();
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        g_warning("could not remove %s", tmpdir);
    g_free(tmpdir);
    return rc;
}
