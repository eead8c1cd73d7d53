/* The streaming output and the live clock, driven in-process (a child
 * process cannot be given a terminal here):
 * - the clock: with no packet, a tick at "last packet + elapsed wall time"
 *   fires a time-driven finding once that time is past its deadline (less
 *   the delivery margin), and not before;
 * - a terminal gets the status block redrawn in place (ANSI cursor up +
 *   clear) and each finding once above it;
 * - a pipe gets a state line only when a link's state changes;
 * - jsonl findings carry their evidence frames. */
#include <stdio.h>
#include <string.h>
#include "erdiag/config.h"
#include "live_util.h"
#include "run_context.h"

static const guint8 cust_mac[6] = {0x02, 0xc0, 0, 0, 1, 1};
static const guint8 cust_ip[4] = {192, 168, 15, 17};
static const guint8 msee_ip[4] = {192, 168, 15, 18};
#define T0 ((gint64)1764072000 * G_USEC_PER_SEC)
#define WALL0 ((gint64)1000 * G_USEC_PER_SEC)

typedef struct {
    erdiag_config *cfg;
    erdiag_engine *engine;
    run_context ctx;
    char *text;
    size_t len;
    FILE *out;
} fixture;

static void setup(fixture *f, stream_kind kind, gboolean terminal)
{
    const char *ini = "[peering test]\nvlan = 100\npeer-asn = 65010\nprimary-subnet = 192.168.15.16/30\n";
    g_autoptr(GError) e = NULL;
    f->cfg = erdiag_config_load_data(ini, strlen(ini), "test.ini", NULL, &e);
    g_assert_no_error(e);
    f->engine = erdiag_engine_new(f->cfg);
    run_context_init(&f->ctx, f->engine);
    f->out = open_memstream(&f->text, &f->len);
    f->ctx.stream = stream_output_new(f->engine, kind, f->out, terminal, 100);
}

static void teardown(fixture *f)
{
    stream_output_free(f->ctx.stream);
    fclose(f->out);
    free(f->text);
    run_context_clear(&f->ctx);
    erdiag_engine_free(f->engine);
    erdiag_config_free(f->cfg);
}

static const char *output(fixture *f)
{
    fflush(f->out);
    return f->text ? f->text : "";
}

static void arp_request_at(fixture *f, gint64 ts_us, gint64 wall_us)
{
    guint8 req[46];
    lt_arp_request(req, 100, cust_mac, cust_ip, msee_ip);
    erdiag_packet_meta meta = {.ts_us = ts_us, .wire_len = sizeof req, .cap_len = sizeof req};
    run_context_packet(&f->ctx, 1, &meta, req, wall_us);
}

static guint count(const char *hay, const char *needle)
{
    guint n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void test_tick_clock(void)
{
    fixture f = {0};
    setup(&f, STREAM_TEXT, FALSE);
    arp_request_at(&f, T0, WALL0);
    /* 3.5 s of silence is 2.5 s of capture time after the margin: not yet */
    run_context_tick(&f.ctx, WALL0 + 3500000);
    g_assert_null(strstr(output(&f), "arp.unanswered"));
    /* 4.5 s: past the 3 s ARP timeout */
    run_context_tick(&f.ctx, WALL0 + 4500000);
    g_assert_nonnull(strstr(output(&f), "arp.unanswered"));
    /* printed once, even as ticks go on */
    run_context_tick(&f.ctx, WALL0 + 9000000);
    run_context_finish(&f.ctx);
    g_assert_cmpuint(count(output(&f), "arp.unanswered"), ==, 1);
    teardown(&f);
}

/* Files are not ticked: without a later packet the verdict waits for the end. */
static void test_no_tick_for_files(void)
{
    fixture f = {0};
    setup(&f, STREAM_TEXT, FALSE);
    arp_request_at(&f, T0, 0);
    run_context_tick(&f.ctx, WALL0 + 60 * G_USEC_PER_SEC);
    g_assert_null(strstr(output(&f), "arp.unanswered"));
    run_context_finish(&f.ctx);
    g_assert_nonnull(strstr(output(&f), "arp.unanswered"));
    teardown(&f);
}

static void test_terminal(void)
{
    fixture f = {0};
    setup(&f, STREAM_TEXT, TRUE);
    stream_output_update(f.ctx.stream, 0, TRUE);
    arp_request_at(&f, T0, WALL0);
    arp_request_at(&f, T0 + 5 * G_USEC_PER_SEC, WALL0 + 5 * G_USEC_PER_SEC);
    run_context_finish(&f.ctx);
    const char *t = output(&f);
    g_assert_nonnull(strstr(t, "-- status at"));
    g_assert_nonnull(strstr(t, "test/primary"));
    /* redrawn in place: cursor up, start of line, clear to the end */
    g_assert_nonnull(strstr(t, "A\r\033[J"));
    g_assert_cmpuint(count(t, "arp.unanswered"), ==, 1);
    /* no status line wider than the terminal */
    g_auto(GStrv) lines = g_strsplit(t, "\n", -1);
    for (char **l = lines; *l; l++)
        if (strstr(*l, "test/primary") && !strstr(*l, "arp."))
            g_assert_cmpuint(g_utf8_strlen(*l, -1), <, 100 + 10);
    teardown(&f);
}

static void test_state_lines_on_change(void)
{
    fixture f = {0};
    setup(&f, STREAM_TEXT, FALSE);
    for (int i = 0; i < 5; i++)
        arp_request_at(&f, T0 + i * 100000, 0);
    run_context_finish(&f.ctx);
    const char *t = output(&f);
    /* the state did not change after the first request */
    g_assert_cmpuint(count(t, " state   test/primary"), ==, 1);
    g_assert_nonnull(strstr(t, "MSEE unresolved"));
    g_assert_null(strstr(t, "\033["));
    teardown(&f);
}

static void test_jsonl_frames(void)
{
    fixture f = {0};
    setup(&f, STREAM_JSONL, FALSE);
    arp_request_at(&f, T0, 0);
    arp_request_at(&f, T0 + 5 * G_USEC_PER_SEC, 0);
    run_context_finish(&f.ctx);
    const char *t = output(&f);
    /* known when the second request arrived; the first is its evidence */
    g_assert_nonnull(strstr(t, "{\"type\":\"finding\""));
    g_assert_nonnull(strstr(t, "\"id\":\"arp.unanswered\""));
    g_assert_nonnull(strstr(t, "\"frames\":[1]"));
    g_assert_nonnull(strstr(t, "{\"type\":\"state\""));
    teardown(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/stream/tick-clock", test_tick_clock);
    g_test_add_func("/stream/no-tick-for-files", test_no_tick_for_files);
    g_test_add_func("/stream/terminal", test_terminal);
    g_test_add_func("/stream/state-lines-on-change", test_state_lines_on_change);
    g_test_add_func("/stream/jsonl-frames", test_jsonl_frames);
    return g_test_run();
}
