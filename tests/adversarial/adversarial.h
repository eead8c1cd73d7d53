/* Hostile-input tests: building the inputs, running them the way the CLI
 * does, and holding each run to a CPU and memory budget.
 *
 * Every case runs in a fresh child process (g_test_trap_subprocess), so its
 * peak RSS (getrusage) and CPU time are its own; the child asserts the
 * budget, the parent that the child passed. Inputs are generated here:
 * nothing large is committed. */
#ifndef ERDIAG_TEST_ADVERSARIAL_H
#define ERDIAG_TEST_ADVERSARIAL_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include "capture_reader.h"
#include "decoder.h"
#include "erdiag/config.h"
#include "erdiag/engine.h"
#include "erdiag/report.h"
#include "unit/bgp_msg_build.h"
#include "unit/frame_builder.h"

/* ---- budgets ------------------------------------------------------------ */

/* Sanitizers slow code down and pad allocations: budgets are scaled, not
 * dropped, so a blow-up still fails under ASan (measured: about 2.5 times
 * the CPU and 2 to 3 times the peak RSS of the plain build). */
#if defined(__SANITIZE_ADDRESS__)
#define ADV_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ADV_SANITIZED 1
#endif
#endif
#ifdef ADV_SANITIZED
#define ADV_CPU_FACTOR 5.0
#define ADV_MEM_FACTOR 3
/* ASan's quarantine keeps up to 256 MiB of freed memory by default, which
 * would swamp the memory budgets of the cases that churn allocations. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "quarantine_size_mb=16";
}
#else
#define ADV_CPU_FACTOR 1.0
#define ADV_MEM_FACTOR 1
#endif

typedef struct {
    const char *path;        /* g_test path */
    void (*run)(void);       /* builds the input, runs it, checks the report */
    double cpu_s;            /* CPU budget (plain build) */
    long mem_mb;             /* peak RSS growth budget (plain build) */
} adv_case;

static double adv_cpu_now(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + (double)u.ru_stime.tv_sec +
           u.ru_stime.tv_usec / 1e6;
}

static long adv_peak_rss_kb(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

/* Set by adv_run_bytes once the reports are written, before the test
 * parses the JSON one (a json-glib tree of every route, which the CLI never
 * builds): the budget is what reading, analysis and reports cost. */
static double adv_cpu_at_report = -1;
static long adv_peak_kb_at_report = -1;

static void adv_case_child(const adv_case *c)
{
    double cpu0 = adv_cpu_now();
    long rss0 = adv_peak_rss_kb();
    c->run();
    double cpu = (adv_cpu_at_report >= 0 ? adv_cpu_at_report : adv_cpu_now()) - cpu0;
    long grown_mb = ((adv_peak_kb_at_report >= 0 ? adv_peak_kb_at_report : adv_peak_rss_kb()) - rss0) / 1024;
    g_test_message("%s: %.2f s CPU (budget %.1f), peak RSS +%ld MiB (budget %ld)", c->path, cpu,
                   c->cpu_s * ADV_CPU_FACTOR, grown_mb, c->mem_mb * ADV_MEM_FACTOR);
    if (cpu > c->cpu_s * ADV_CPU_FACTOR)
        g_error("%s: %.2f s of CPU, over the %.1f s budget", c->path, cpu, c->cpu_s * ADV_CPU_FACTOR);
    if (grown_mb > c->mem_mb * ADV_MEM_FACTOR)
        g_error("%s: peak RSS grew by %ld MiB, over the %ld MiB budget", c->path, grown_mb,
                c->mem_mb * ADV_MEM_FACTOR);
}

static void adv_case_test(gconstpointer data)
{
    const adv_case *c = data;
    if (g_test_subprocess()) {
        adv_case_child(c);
        return;
    }
    /* A hang fails here, with a wall-clock limit far above any budget. */
    g_test_trap_subprocess(NULL, 600 * G_USEC_PER_SEC,
                           G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed();
}

static G_GNUC_UNUSED void adv_add_cases(const adv_case *cases, gsize n)
{
    for (gsize i = 0; i < n; i++)
        g_test_add_data_func(cases[i].path, &cases[i], adv_case_test);
}

/* ---- capture files ------------------------------------------------------ */

/* A classic pcap file (little endian, microseconds) built in memory. */
typedef struct {
    GByteArray *bytes;
    gint64 ts_us;
    guint frames;
} adv_capture;

static void adv_le32(GByteArray *a, guint32 v)
{
    guint8 b[4] = { (guint8)v, (guint8)(v >> 8), (guint8)(v >> 16), (guint8)(v >> 24) };
    g_byte_array_append(a, b, 4);
}

static void adv_le16(GByteArray *a, guint16 v)
{
    guint8 b[2] = { (guint8)v, (guint8)(v >> 8) };
    g_byte_array_append(a, b, 2);
}

static G_GNUC_UNUSED adv_capture *adv_capture_new(guint32 linktype)
{
    adv_capture *c = g_new0(adv_capture, 1);
    c->bytes = g_byte_array_new();
    c->ts_us = G_GINT64_CONSTANT(1700000000) * G_USEC_PER_SEC;
    adv_le32(c->bytes, 0xa1b2c3d4);
    adv_le16(c->bytes, 2);
    adv_le16(c->bytes, 4);
    adv_le32(c->bytes, 0);
    adv_le32(c->bytes, 0);
    adv_le32(c->bytes, 262144);
    adv_le32(c->bytes, linktype);
    return c;
}

/* One record: cap_len bytes of frame are stored, wire_len claimed. */
static G_GNUC_UNUSED void adv_capture_frame(adv_capture *c, const guint8 *frame, gsize cap_len, gsize wire_len)
{
    c->ts_us += 1000;
    adv_le32(c->bytes, (guint32)(c->ts_us / G_USEC_PER_SEC));
    adv_le32(c->bytes, (guint32)(c->ts_us % G_USEC_PER_SEC));
    adv_le32(c->bytes, (guint32)cap_len);
    adv_le32(c->bytes, (guint32)wire_len);
    g_byte_array_append(c->bytes, frame, (guint)cap_len);
    c->frames++;
}

static G_GNUC_UNUSED void adv_capture_free(adv_capture *c)
{
    g_byte_array_free(c->bytes, TRUE);
    g_free(c);
}

/* ---- a BGP session on the "healthy" peering -----------------------------
 * VLAN 100, customer 192.168.15.17 (port 50000) <-> Microsoft 192.168.15.18
 * (port 179), as in captures/healthy/. */

enum { ADV_CUST = 0, ADV_MSFT = 1, ADV_MSS = 1460 };

static const char ADV_CONFIG[] =
    "[peering healthy]\n"
    "vlan = 100\n"
    "peer-asn = 65010\n"
    "primary-subnet = 192.168.15.16/30\n"
    "secondary-subnet = 192.168.15.20/30\n"
    "sku = standard\n"
    "vnet-prefixes = 10.1.0.0/16, 10.2.0.0/24\n"
    "expected-onprem-prefixes = 172.16.0.0/16, 10.50.0.0/16\n";

/* The configuration adv_run_* use with_config (NULL: ADV_CONFIG); a test
 * that needs other keys sets it and clears it after. */
static const char *adv_config_text;

typedef struct {
    adv_capture *cap;
    gboolean borrowed_cap; /* another session's capture: not freed with this one */
    guint16 vlan;          /* 0: the healthy peering's VLAN 100 and addresses */
    char addr[2][16];      /* [ADV_CUST], [ADV_MSFT] */
    guint32 next[2];   /* next sequence number each side sends */
} adv_session;

/* One TCP segment of the session as an Ethernet/VLAN/IPv4 frame. */
static G_GNUC_UNUSED void adv_segment(adv_session *s, int from, guint32 seq, guint8 flags, const guint8 *payload,
                                      gsize len)
{
    GByteArray *f = g_byte_array_new();
    fb_eth(f, from == ADV_CUST ? FB_MAC_B : FB_MAC_A, from == ADV_CUST ? FB_MAC_A : FB_MAC_B, 0x8100);
    static const char *const healthy[2] = { "192.168.15.17", "192.168.15.18" };
    fb_tag(f, 0, s->vlan ? s->vlan : 100, 0x0800);
    fb_ipv4(f, 6, s->vlan ? s->addr[from] : healthy[from], s->vlan ? s->addr[1 - from] : healthy[1 - from],
            (guint16)(20 + len));
    fb_tcp(f, from == ADV_CUST ? 50000 : 179, from == ADV_CUST ? 179 : 50000, seq, s->next[1 - from],
           flags, NULL, 0);
    fb_bytes(f, payload, len);
    adv_capture_frame(s->cap, f->data, f->len, f->len);
    g_byte_array_free(f, TRUE);
}

/* Stream bytes from one side, cut into MSS-sized segments. */
static G_GNUC_UNUSED void adv_send(adv_session *s, int from, const guint8 *bytes, gsize len)
{
    for (gsize off = 0; off < len; off += ADV_MSS) {
        gsize n = MIN((gsize)ADV_MSS, len - off);
        adv_segment(s, from, s->next[from], 0x18, bytes + off, n);
        s->next[from] += (guint32)n;
    }
}

static G_GNUC_UNUSED void adv_send_msg(adv_session *s, int from, GByteArray *msg)
{
    adv_send(s, from, msg->data, msg->len);
    g_byte_array_free(msg, TRUE);
}

/* An OPEN with the IPv4 unicast capability, the 4-octet AS one unless
 * as2_only (a 2-byte-ASN speaker: AS_PATH carries 2-byte ASNs), plus RFC 8654
 * extended messages when asked. */
static G_GNUC_UNUSED GByteArray *adv_open_with(guint32 asn, guint32 id, gboolean extended, gboolean as2_only)
{
    GByteArray *caps = g_byte_array_new();
    static const guint8 mp_v4[4] = { 0, 1, 0, 1 };
    put_cap(caps, ERDIAG_CAP_MP, mp_v4, 4);
    guint8 as4[4] = { (guint8)(asn >> 24), (guint8)(asn >> 16), (guint8)(asn >> 8), (guint8)asn };
    if (!as2_only)
        put_cap(caps, ERDIAG_CAP_AS4, as4, 4);
    if (extended)
        put_cap(caps, ERDIAG_CAP_EXT_MESSAGE, NULL, 0);
    GByteArray *m = open_new(asn > 65535 ? ERDIAG_BGP_AS_TRANS : asn, 180, id, caps);
    g_byte_array_free(caps, TRUE);
    return m;
}

static G_GNUC_UNUSED GByteArray *adv_open(guint32 asn, guint32 id, gboolean extended)
{
    return adv_open_with(asn, id, extended, FALSE);
}

static G_GNUC_UNUSED GByteArray *adv_keepalive(void)
{
    GByteArray *m = msg_new(ERDIAG_BGP_KEEPALIVE);
    msg_done(m);
    return m;
}

/* A dotted quad as a BGP identifier (each side's is its own address). */
static guint32 adv_ipv4_id(const char *dotted)
{
    guint a = 0, b = 0, c = 0, d = 0;
    g_assert_cmpint(sscanf(dotted, "%u.%u.%u.%u", &a, &b, &c, &d), ==, 4);
    return (guint32)(a << 24 | b << 16 | c << 8 | d);
}

/* A session on any link: VLAN vlan, the customer at `customer` (port
 * 50000), Microsoft (AS 12076) at `microsoft` (port 179), the on-prem AS
 * `asn`. It appends to cap when given (several sessions in one capture),
 * else to a capture of its own. Handshake, both OPENs, both KEEPALIVEs: the
 * session is Established. */
static G_GNUC_UNUSED adv_session *adv_session_at(adv_capture *cap, guint16 vlan, const char *customer,
                                                 const char *microsoft, guint32 asn, gboolean extended,
                                                 gboolean as2_only)
{
    adv_session *s = g_new0(adv_session, 1);
    s->borrowed_cap = cap != NULL;
    s->cap = cap ? cap : adv_capture_new(ERDIAG_LINKTYPE_ETHERNET);
    s->vlan = vlan;
    g_strlcpy(s->addr[ADV_CUST], customer, sizeof s->addr[ADV_CUST]);
    g_strlcpy(s->addr[ADV_MSFT], microsoft, sizeof s->addr[ADV_MSFT]);
    s->next[ADV_CUST] = 1000;
    s->next[ADV_MSFT] = 900000;
    adv_segment(s, ADV_CUST, s->next[ADV_CUST]++, 0x02, NULL, 0);
    adv_segment(s, ADV_MSFT, s->next[ADV_MSFT]++, 0x12, NULL, 0);
    adv_segment(s, ADV_CUST, s->next[ADV_CUST], 0x10, NULL, 0);
    adv_send_msg(s, ADV_CUST, adv_open_with(asn, adv_ipv4_id(customer), extended, as2_only));
    adv_send_msg(s, ADV_MSFT, adv_open_with(12076, adv_ipv4_id(microsoft), extended, as2_only));
    adv_send_msg(s, ADV_CUST, adv_keepalive());
    adv_send_msg(s, ADV_MSFT, adv_keepalive());
    return s;
}

/* The session of the "healthy" peering (see above). */
static G_GNUC_UNUSED adv_session *adv_session_new(gboolean extended)
{
    return adv_session_at(NULL, 100, "192.168.15.17", "192.168.15.18", 65010, extended, FALSE);
}

static G_GNUC_UNUSED void adv_session_free(adv_session *s)
{
    if (!s->borrowed_cap)
        adv_capture_free(s->cap);
    g_free(s);
}

/* ---- running a capture as the CLI does ---------------------------------- */

typedef struct {
    char *json;          /* the JSON report */
    JsonParser *parser;
    JsonObject *root;
    guint64 frames;
    gsize text_bytes, html_bytes; /* the text and HTML reports' sizes (adv_run_bytes_all) */
    char *text;          /* the text report when under 1 MB, else NULL */
} adv_report;

static void adv_feed(const erdiag_event *ev, gpointer user)
{
    erdiag_engine_feed(user, ev, NULL);
}

/* Reads the capture bytes from a file, as the CLI would (a damaged or cut
 * file's message becomes a report note, and the capture counts as
 * truncated), and returns the JSON report, parsed. with_config: the healthy
 * peering's configuration, else zero-config inference. */
static G_GNUC_UNUSED adv_report *adv_run_bytes_all(const guint8 *bytes, gsize len, gboolean with_config,
                                                    gboolean all_formats)
{
    char *path = NULL;
    GError *err = NULL;
    int fd = g_file_open_tmp("erdiag-adversarial-XXXXXX", &path, &err);
    g_assert_no_error(err);
    close(fd);
    g_assert_true(g_file_set_contents(path, (const char *)bytes, (gssize)len, &err));
    g_assert_no_error(err);

    erdiag_config *cfg = NULL;
    if (with_config) {
        const char *ini = adv_config_text ? adv_config_text : ADV_CONFIG;
        cfg = erdiag_config_load_data(ini, strlen(ini), "adversarial.ini", NULL, &err);
        g_assert_no_error(err);
    }
    erdiag_engine *e = erdiag_engine_new(cfg);
    erdiag_engine_add_file(e, "adversarial.pcap");
    adv_report *r = g_new0(adv_report, 1);
    erdiag_capture_reader *rd = erdiag_capture_reader_open(path, &err);
    if (rd == NULL) {
        /* the CLI prints this and stops; a test case that expects it checks it here */
        g_test_message("capture refused: %s", err->message);
        erdiag_engine_note(e, "%s", err->message);
        g_clear_error(&err);
    } else {
        erdiag_decoder *dec = erdiag_decoder_new(adv_feed, e);
        int linktype;
        erdiag_packet_meta meta;
        const guint8 *data;
        while (erdiag_capture_reader_next(rd, &linktype, &meta, &data, &err)) {
            meta.frame = ++r->frames;
            erdiag_engine_frame(e, meta.frame, meta.ts_us); /* as the CLI does */
            erdiag_decoder_packet(dec, linktype, data, &meta);
        }
        if (err) {
            erdiag_engine_note(e, "%s", err->message);
            erdiag_engine_set_truncated(e);
            g_clear_error(&err);
        }
        erdiag_capture_reader_close(rd);
        erdiag_decoder_finish(dec);
        erdiag_decoder_free(dec);
    }
    erdiag_engine_finish(e);

    if (all_formats) {
        /* one at a time, as the CLI writes one */
        erdiag_report_options topt = { .format = ERDIAG_FORMAT_TEXT };
        GString *text = g_string_new(NULL);
        erdiag_report_write(e, &topt, text);
        r->text_bytes = text->len;
        r->text = text->len < 1024 * 1024 ? g_strdup(text->str) : NULL;
        g_string_free(text, TRUE);
        erdiag_report_options hopt = { .format = ERDIAG_FORMAT_HTML };
        GString *html = g_string_new(NULL);
        erdiag_report_write(e, &hopt, html);
        r->html_bytes = html->len;
        g_string_free(html, TRUE);
    }
    erdiag_report_options opt = { .format = ERDIAG_FORMAT_JSON };
    GString *out = g_string_new(NULL);
    erdiag_report_write(e, &opt, out);
    r->json = g_string_free(out, FALSE);
    adv_cpu_at_report = adv_cpu_now();
    adv_peak_kb_at_report = adv_peak_rss_kb();
    r->parser = json_parser_new();
    g_assert_true(json_parser_load_from_data(r->parser, r->json, -1, &err));
    g_assert_no_error(err);
    r->root = json_node_get_object(json_parser_get_root(r->parser));

    erdiag_engine_free(e);
    erdiag_config_free(cfg);
    g_unlink(path);
    g_free(path);
    return r;
}

static G_GNUC_UNUSED adv_report *adv_run_bytes(const guint8 *bytes, gsize len, gboolean with_config)
{
    return adv_run_bytes_all(bytes, len, with_config, FALSE);
}

static G_GNUC_UNUSED adv_report *adv_run_capture(const adv_capture *c, gboolean with_config)
{
    return adv_run_bytes(c->bytes->data, c->bytes->len, with_config);
}

static G_GNUC_UNUSED void adv_report_free(adv_report *r)
{
    g_object_unref(r->parser);
    g_free(r->json);
    g_free(r->text);
    g_free(r);
}

static G_GNUC_UNUSED JsonObject *adv_capture_info(const adv_report *r)
{
    return json_object_get_object_member(r->root, "capture");
}

/* The first capture note containing all of the given substrings (NULL
 * terminated), or NULL; the notes are printed when none matches. */
static G_GNUC_UNUSED const char *adv_find_note(const adv_report *r, ...)
{
    JsonArray *notes = json_object_get_array_member(adv_capture_info(r), "notes");
    for (guint i = 0; i < json_array_get_length(notes); i++) {
        const char *n = json_array_get_string_element(notes, i);
        va_list ap;
        va_start(ap, r);
        gboolean all = TRUE;
        for (const char *want = va_arg(ap, const char *); want; want = va_arg(ap, const char *))
            if (!strstr(n, want))
                all = FALSE;
        va_end(ap);
        if (all)
            return n;
    }
    for (guint i = 0; i < json_array_get_length(notes); i++)
        g_test_message("note: %s", json_array_get_string_element(notes, i));
    return NULL;
}

/* The message of the first finding with this id whose message contains
 * `text` (NULL: any), or NULL. */
static G_GNUC_UNUSED const char *adv_find_finding(const adv_report *r, const char *id, const char *text)
{
    JsonArray *fs = json_object_get_array_member(r->root, "findings");
    for (guint i = 0; i < json_array_get_length(fs); i++) {
        JsonObject *f = json_array_get_object_element(fs, i);
        const char *msg = json_object_get_string_member(f, "message");
        if (g_strcmp0(json_object_get_string_member(f, "id"), id) == 0 && (!text || strstr(msg, text)))
            return msg;
    }
    for (guint i = 0; i < json_array_get_length(fs); i++) {
        JsonObject *f = json_array_get_object_element(fs, i);
        g_test_message("finding %s: %s", json_object_get_string_member(f, "id"),
                       json_object_get_string_member(f, "message"));
    }
    return NULL;
}

/* Said anywhere a user looks for unreadable input: a capture note or a
 * bgp.decode-error finding (one finding per side and message type keeps
 * only one of several errors; the notes list each). */
static G_GNUC_UNUSED gboolean adv_reported(const adv_report *r, const char *text)
{
    return adv_find_note(r, text, NULL) != NULL || adv_find_finding(r, "bgp.decode-error", text) != NULL;
}

static G_GNUC_UNUSED gint64 adv_frames(const adv_report *r)
{
    return json_object_get_int_member(adv_capture_info(r), "frames");
}

static G_GNUC_UNUSED gboolean adv_truncated(const adv_report *r)
{
    return json_object_get_boolean_member(adv_capture_info(r), "truncated");
}

/* The routes the customer side advertised, over every link of every
 * peering; with `network` set, only that route (count 0 or 1), and *route
 * pointing at it. */
static G_GNUC_UNUSED guint adv_onprem_routes(const adv_report *r, const char *network, JsonObject **route)
{
    guint n = 0;
    JsonArray *peerings = json_object_get_array_member(r->root, "peerings");
    for (guint i = 0; i < json_array_get_length(peerings); i++) {
        JsonArray *links = json_object_get_array_member(json_array_get_object_element(peerings, i), "links");
        for (guint j = 0; j < json_array_get_length(links); j++) {
            JsonObject *routes = json_object_get_object_member(json_array_get_object_element(links, j), "routes");
            JsonArray *from = json_object_get_array_member(routes, "from_onprem");
            for (guint k = 0; k < json_array_get_length(from); k++) {
                JsonObject *rt = json_array_get_object_element(from, k);
                if (network && g_strcmp0(json_object_get_string_member(rt, "network"), network) != 0)
                    continue;
                if (route)
                    *route = rt;
                n++;
            }
        }
    }
    return n;
}

#endif
