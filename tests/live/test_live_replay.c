/* Live capture end to end: every Ethernet capture in captures/ is replayed
 * in real time with tcpreplay onto veth pairs in a private network
 * namespace, one veth per capture interface (so the primary and secondary
 * links arrive on two interfaces, like a real two-port capture), while
 * `erdiag -i vethB0 -i vethB1 --format jsonl -w ... --annotate ...` listens
 * on the other ends with its default kernel filter. The live run must name
 * the same findings as the file run; -w must hold what the engine saw; the
 * annotated copy must hold the same frames.
 *
 * All captures are replayed at once, so the whole test takes about as long
 * as the longest capture (~30 s). A last case replays a lone ARP request and
 * checks that arp.unanswered is streamed while erdiag is still capturing:
 * the clock is driven by ticks, not by a later packet.
 *
 * Runs as root with `ip netns` and tcpreplay (apt-get install -y tcpreplay);
 * skipped otherwise. Linux cooked (SLL) captures cannot be replayed onto an
 * Ethernet veth and are skipped by name. */
#include <pcap/pcap.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <sys/wait.h>
#include "capture_dirs.h"
#include "live_util.h"

#define MAX_IFACES 4
/* Longer captures are not replayed: the test replays in real time and
 * should stay around a minute. */
#define MAX_REPLAY_US (60 * G_USEC_PER_SEC)
/* Frames of no interest to erdiag, dropped by its default kernel filter:
 * they make every interface's replay start at the capture's first
 * timestamp, so the replays of one capture stay aligned. */
static const guint8 filler[60] = {0x02, 0, 0, 0, 0, 0xff, 0x02, 0, 0, 0, 0, 0xfe, 0x88, 0xb5};

static char *tmpdir;
static char *netns;

static int run_quiet(const char *const *argv)
{
    int status = -1;
    g_autofree char *out = NULL, *err = NULL;
    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, NULL))
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int ns_sh(const char *script)
{
    const char *argv[] = {"ip", "netns", "exec", netns, "sh", "-c", script, NULL};
    return run_quiet(argv);
}

static gboolean make_veths(const char *prefix, guint n)
{
    for (guint j = 0; j < n; j++) {
        g_autofree char *s = g_strdup_printf("ip link add %sa%u type veth peer name %sb%u && "
                                             "ip link set %sa%u mtu 9000 up && ip link set %sb%u mtu 9000 up",
                                             prefix, j, prefix, j, prefix, j, prefix, j);
        if (ns_sh(s) != 0)
            return FALSE;
    }
    return TRUE;
}

typedef struct {
    char *dir, *name, *cap, *ini;
    char *pcaps[MAX_IFACES];    /* per interface, for tcpreplay */
    guint n_ifaces;
    char *prefix;               /* veth names: <prefix>a<j> / <prefix>b<j> */
    lt_child erdiag;
    GPid replay[MAX_IFACES];
    char *spool, *annotated;
    gint64 mtime;               /* of the capture when it was split */
    gboolean skipped;
    char *problem;              /* NULL when the capture passed */
} replay_case;

/* Splits the capture by interface into classic pcaps for tcpreplay. */
static gint64 mtime_of(const char *path)
{
    GStatBuf st;
    return g_stat(path, &st) == 0 ? (gint64)st.st_mtime : -1;
}

static gboolean split(replay_case *rc, GString *why)
{
    rc->mtime = mtime_of(rc->cap);
    g_autoptr(GError) e = NULL;
    g_autoptr(GPtrArray) frames = lt_read_frames(rc->cap, &e);
    if (!frames || frames->len == 0) {
        g_string_append_printf(why, "unreadable or empty (%s)", e ? e->message : "no frames");
        return FALSE;
    }
    gint64 t0 = ((lt_frame *)g_ptr_array_index(frames, 0))->ts_us;
    gint64 t_end = ((lt_frame *)g_ptr_array_index(frames, frames->len - 1))->ts_us;
    if (t_end - t0 > MAX_REPLAY_US) {
        g_string_append_printf(why, "lasts %" G_GINT64_FORMAT " s, longer than the test replays",
                               (t_end - t0) / G_USEC_PER_SEC);
        return FALSE;
    }
    guint32 ids[MAX_IFACES];
    pcap_dumper_t *out[MAX_IFACES] = {0};
    pcap_t *dead = pcap_open_dead(DLT_EN10MB, 262144);
    gboolean ok = TRUE;
    for (guint i = 0; i < frames->len && ok; i++) {
        lt_frame *f = g_ptr_array_index(frames, i);
        if (f->linktype != 1) {
            g_string_append_printf(why, "link type %d cannot be replayed onto an Ethernet veth", f->linktype);
            ok = FALSE;
            break;
        }
        guint j = 0;
        while (j < rc->n_ifaces && ids[j] != f->iface)
            j++;
        if (j == rc->n_ifaces) {
            if (j == MAX_IFACES) {
                g_string_append(why, "too many interfaces");
                ok = FALSE;
                break;
            }
            ids[j] = f->iface;
            rc->pcaps[j] = g_strdup_printf("%s/%s-%u.pcap", tmpdir, rc->name, j);
            out[j] = pcap_dump_open(dead, rc->pcaps[j]);
            g_assert_nonnull(out[j]);
            rc->n_ifaces++;
            if (f->ts_us != t0) {
                struct pcap_pkthdr h = {{t0 / G_USEC_PER_SEC, t0 % G_USEC_PER_SEC}, sizeof filler, sizeof filler};
                pcap_dump((u_char *)out[j], &h, filler);
            }
        }
        gsize len;
        const guint8 *data = g_bytes_get_data(f->data, &len);
        struct pcap_pkthdr h = {{f->ts_us / G_USEC_PER_SEC, f->ts_us % G_USEC_PER_SEC}, (bpf_u_int32)len,
                                MAX(f->wire_len, (bpf_u_int32)len)};
        pcap_dump((u_char *)out[j], &h, data);
    }
    for (guint j = 0; j < rc->n_ifaces; j++)
        pcap_dump_close(out[j]);
    pcap_close(dead);
    return ok;
}

static void start_erdiag(replay_case *rc, const char *extra_ini)
{
    GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
    const char *head[] = {"ip", "netns", "exec", netns, ERDIAG_BIN, "--format", "jsonl", "--duration", "150"};
    for (guint i = 0; i < G_N_ELEMENTS(head); i++)
        g_ptr_array_add(argv, g_strdup(head[i]));
    for (guint j = 0; j < rc->n_ifaces; j++) {
        g_ptr_array_add(argv, g_strdup("-i"));
        g_ptr_array_add(argv, g_strdup_printf("%sb%u", rc->prefix, j));
    }
    const char *ini = extra_ini ? extra_ini : rc->ini;
    if (ini) {
        g_ptr_array_add(argv, g_strdup("-c"));
        g_ptr_array_add(argv, g_strdup(ini));
    }
    rc->spool = g_strdup_printf("%s/%s-live.pcapng", tmpdir, rc->name);
    rc->annotated = g_strdup_printf("%s/%s-annotated.pcapng", tmpdir, rc->name);
    g_ptr_array_add(argv, g_strdup("-w"));
    g_ptr_array_add(argv, g_strdup(rc->spool));
    g_ptr_array_add(argv, g_strdup("--annotate"));
    g_ptr_array_add(argv, g_strdup(rc->annotated));
    g_ptr_array_add(argv, NULL);
    lt_spawn((const char *const *)argv->pdata, &rc->erdiag);
    g_ptr_array_unref(argv);
}

static void start_replays(replay_case *rc)
{
    for (guint j = 0; j < rc->n_ifaces; j++) {
        g_autofree char *iface = g_strdup_printf("%sa%u", rc->prefix, j);
        const char *argv[] = {"ip", "netns", "exec", netns, "tcpreplay", "-q", "--timer=nano", "-i", iface,
                              rc->pcaps[j], NULL};
        g_autoptr(GError) e = NULL;
        if (!g_spawn_async(NULL, (char **)argv, NULL,
                           G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL
                               | G_SPAWN_STDERR_TO_DEV_NULL,
                           NULL, NULL, &rc->replay[j], &e))
            g_error("cannot run tcpreplay: %s", e->message);
    }
}

static gboolean replays_running(replay_case *rc)
{
    gboolean running = FALSE;
    for (guint j = 0; j < rc->n_ifaces; j++) {
        if (!rc->replay[j])
            continue;
        int status;
        if (waitpid(rc->replay[j], &status, WNOHANG) == 0) {
            running = TRUE;
            continue;
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            rc->problem = g_strdup_printf("tcpreplay failed on interface %u", j);
        g_spawn_close_pid(rc->replay[j]);
        rc->replay[j] = 0;
    }
    return running;
}

/* NULL when the file run fails (the capture is being regenerated?). */
static GPtrArray *file_run_ids(replay_case *rc)
{
    const char *with[] = {"--format", "json", "-c", rc->ini, rc->cap, NULL};
    const char *without[] = {"--format", "json", rc->cap, NULL};
    g_autofree char *out = NULL, *err = NULL;
    int status = capture_dirs_run(rc->ini ? with : without, &out, &err);
    if (status > 1 || !out || !*out)
        return NULL;
    return capture_dirs_finding_lines(out, NULL);
}

/* The live run's verdicts against the file run's. */
static void judge(replay_case *rc, int status)
{
    if (rc->problem)
        return;
    g_autoptr(GPtrArray) live = lt_jsonl_report_ids(rc->erdiag.out_text->str);
    if (!live) {
        rc->problem = g_strdup_printf("no report line (exit %d): %s", status, rc->erdiag.err_text->str);
        return;
    }
    g_autoptr(GPtrArray) file = file_run_ids(rc);
    if (mtime_of(rc->cap) != rc->mtime) {
        rc->skipped = TRUE; /* regenerated while it was replayed */
        return;
    }
    if (!file) {
        rc->problem = g_strdup("the file run failed");
        return;
    }
    g_autofree char *l = lt_join(live), *f = lt_join(file);
    if (strcmp(l, f) != 0) {
        rc->problem = g_strdup_printf("findings differ\nfile:\n%slive:\n%s", f, l);
        return;
    }
    /* -w holds the frames the engine analysed; --annotate the same frames */
    g_autoptr(GError) e = NULL;
    g_autoptr(GPtrArray) spooled = lt_read_frames(rc->spool, &e);
    g_autoptr(GPtrArray) annotated = spooled ? lt_read_frames(rc->annotated, &e) : NULL;
    if (!annotated) {
        rc->problem = g_strdup_printf("-w / --annotate output unreadable: %s", e ? e->message : "?");
        return;
    }
    g_autofree char *frames_key = g_strdup_printf("\"frames\":%u,", spooled->len);
    if (!strstr(rc->erdiag.out_text->str, frames_key) || annotated->len != spooled->len) {
        rc->problem = g_strdup_printf("-w has %u frames, --annotate %u; the report disagrees", spooled->len,
                                      annotated->len);
        return;
    }
    for (guint i = 0; i < spooled->len; i++) {
        lt_frame *a = g_ptr_array_index(spooled, i), *b = g_ptr_array_index(annotated, i);
        if (!g_bytes_equal(a->data, b->data) || a->ts_us != b->ts_us) {
            rc->problem = g_strdup_printf("annotated frame %u differs from the -w frame", i + 1);
            return;
        }
    }
}

static void case_clear(replay_case *rc)
{
    for (guint j = 0; j < rc->n_ifaces; j++) {
        g_unlink(rc->pcaps[j]);
        g_free(rc->pcaps[j]);
    }
    if (rc->spool)
        g_unlink(rc->spool);
    if (rc->annotated)
        g_unlink(rc->annotated);
    g_free(rc->spool);
    g_free(rc->annotated);
    g_free(rc->dir);
    g_free(rc->name);
    g_free(rc->cap);
    g_free(rc->ini);
    g_free(rc->prefix);
    g_free(rc->problem);
}

/* Starts erdiag, waits for it to listen, replays, lets the last packets
 * arrive, then stops it with SIGINT (a capture file ends with its last
 * packet; a live run that went on would see the sessions fall silent). */
static void run_cases(replay_case *cases, guint n)
{
    for (guint i = 0; i < n; i++)
        if (!cases[i].problem)
            start_erdiag(&cases[i], NULL);
    g_usleep(2 * G_USEC_PER_SEC);
    for (guint i = 0; i < n; i++)
        if (!cases[i].problem)
            start_replays(&cases[i]);
    /* stop each run half a second after its replay ended, without waiting
     * for the others: a late stop would let the sessions time out */
    g_autofree gint64 *done_at = g_new0(gint64, n);
    g_autofree gboolean *stopped = g_new0(gboolean, n);
    gboolean any = TRUE;
    while (any) {
        any = FALSE;
        for (guint i = 0; i < n; i++) {
            replay_case *rc = &cases[i];
            if (!rc->erdiag.pid || stopped[i])
                continue;
            any = TRUE;
            lt_wait_output(&rc->erdiag, "\001", 5); /* keep its pipe drained */
            if (!done_at[i] && !replays_running(rc))
                done_at[i] = g_get_monotonic_time();
            if (done_at[i] && g_get_monotonic_time() - done_at[i] >= G_USEC_PER_SEC / 2) {
                kill(rc->erdiag.pid, SIGINT);
                stopped[i] = TRUE;
            }
        }
    }
    for (guint i = 0; i < n; i++) {
        replay_case *rc = &cases[i];
        if (!rc->erdiag.pid)
            continue;
        int status = lt_finish(&rc->erdiag);
        judge(rc, status);
        lt_child_clear(&rc->erdiag);
    }
}

static void test_replay_all(void)
{
    g_autoptr(GPtrArray) dirs = capture_dirs_list();
    replay_case *cases = g_new0(replay_case, dirs->len);
    guint n = 0;
    GString *skipped = g_string_new(NULL);
    for (guint i = 0; i < dirs->len; i++) {
        replay_case *rc = &cases[n];
        rc->dir = g_strdup(g_ptr_array_index(dirs, i));
        rc->name = g_path_get_basename(rc->dir);
        rc->cap = capture_dirs_capture(rc->dir);
        char *ini = g_build_filename(rc->dir, "peering.ini", NULL);
        rc->ini = g_file_test(ini, G_FILE_TEST_EXISTS) ? ini : (g_free(ini), NULL);
        rc->prefix = g_strdup_printf("r%u", n);
        GString *why = g_string_new(NULL);
        if (!rc->cap)
            g_string_append(why, "no capture file (being regenerated?)");
        if (!rc->cap || !split(rc, why) || !make_veths(rc->prefix, rc->n_ifaces)) {
            g_string_append_printf(skipped, " %s (%s)", rc->name, why->len ? why->str : "veth setup failed");
            case_clear(rc);
            memset(rc, 0, sizeof *rc);
        } else {
            n++;
        }
        g_string_free(why, TRUE);
    }
    if (skipped->len)
        g_test_message("not replayed:%s", skipped->str);
    run_cases(cases, n);
    GString *failures = g_string_new(NULL);
    for (guint i = 0; i < n; i++) {
        if (cases[i].problem)
            g_string_append_printf(failures, "\n== %s: %s", cases[i].name, cases[i].problem);
        else if (cases[i].skipped)
            g_test_message("%s: the capture changed during the test, not compared", cases[i].name);
        else
            g_test_message("%s: live findings = file findings", cases[i].name);
        case_clear(&cases[i]);
    }
    g_free(cases);
    g_string_free(skipped, TRUE);
    /* not g_error: the namespace must still be removed */
    if (failures->len) {
        g_test_message("live runs differ from file runs:%s", failures->str);
        g_test_fail();
    }
    g_string_free(failures, TRUE);
}

/* One ARP request and then silence on the wire: arp.unanswered must be
 * streamed while erdiag is still capturing. */
static void test_tick_while_capturing(void)
{
    replay_case rc = {.name = g_strdup("tick"), .prefix = g_strdup("tk"), .n_ifaces = 1};
    g_assert_true(make_veths(rc.prefix, 1));
    rc.ini = g_build_filename(tmpdir, "tick.ini", NULL);
    g_assert_true(g_file_set_contents(rc.ini, "[erdiag]\narp-timeout = 1\n\n[peering test]\nvlan = 100\n"
                                               "primary-subnet = 192.168.15.16/30\n", -1, NULL));
    static const guint8 mac[6] = {2, 0xc0, 0, 0, 1, 1}, a[4] = {192, 168, 15, 17}, t[4] = {192, 168, 15, 18};
    guint8 req[46];
    lt_arp_request(req, 100, mac, a, t);
    g_autoptr(GByteArray) b = lt_pcap_new(1);
    lt_pcap_add(b, (gint64)1700000000 * G_USEC_PER_SEC, req, sizeof req);
    rc.pcaps[0] = g_strdup_printf("%s/tick.pcap", tmpdir);
    g_assert_true(g_file_set_contents(rc.pcaps[0], (const char *)b->data, b->len, NULL));
    start_erdiag(&rc, NULL);
    g_usleep(2 * G_USEC_PER_SEC);
    start_replays(&rc);
    while (replays_running(&rc))
        g_usleep(G_USEC_PER_SEC / 10);
    gboolean seen = lt_wait_output(&rc.erdiag, "arp.unanswered", 8000);
    kill(rc.erdiag.pid, SIGINT);
    int status = lt_finish(&rc.erdiag);
    if (!seen || status != 1) {
        g_test_message("arp.unanswered not streamed during the capture (exit %d):\n%s%s", status,
                       rc.erdiag.out_text->str, rc.erdiag.err_text->str);
        g_test_fail();
    }
    lt_child_clear(&rc.erdiag);
    g_unlink(rc.ini);
    case_clear(&rc);
}

/* Namespaces an earlier run left behind when it was killed (named after
 * its process id, which no longer exists). */
static void remove_stale_namespaces(void)
{
    GDir *d = g_dir_open("/var/run/netns", 0, NULL);
    if (!d)
        return;
    const char *name;
    while ((name = g_dir_read_name(d))) {
        if (!g_str_has_prefix(name, "erdiag-test-"))
            continue;
        g_autofree char *proc = g_strdup_printf("/proc/%s", name + strlen("erdiag-test-"));
        if (g_file_test(proc, G_FILE_TEST_EXISTS))
            continue;
        const char *del[] = {"ip", "netns", "del", name, NULL};
        run_quiet(del);
    }
    g_dir_close(d);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (geteuid() != 0 || !lt_have_program("ip") || !lt_have_program("tcpreplay")) {
        g_printerr("skipped: needs root, ip (iproute2) and tcpreplay (apt-get install -y tcpreplay)\n");
        return 77;
    }
    remove_stale_namespaces();
    netns = g_strdup_printf("erdiag-test-%d", (int)getpid());
    const char *add[] = {"ip", "netns", "add", netns, NULL};
    if (run_quiet(add) != 0) {
        g_printerr("skipped: cannot create a network namespace (ip netns add)\n");
        return 77;
    }
    /* no IPv6 autoconfiguration chatter on the veths */
    ns_sh("echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6");
    /* The tests run in a child, so that the namespace is removed however
     * they end (a failed g_test aborts). */
    pid_t child = fork();
    if (child == 0) {
        tmpdir = g_dir_make_tmp("erdiag-replay-XXXXXX", NULL);
        g_test_add_func("/live/replay-captures", test_replay_all);
        g_test_add_func("/live/tick-while-capturing", test_tick_while_capturing);
        int rc = g_test_run();
        g_rmdir(tmpdir);
        _exit(rc);
    }
    int status = 0;
    while (waitpid(child, &status, 0) < 0)
        ;
    const char *del[] = {"ip", "netns", "del", netns, NULL};
    run_quiet(del);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
