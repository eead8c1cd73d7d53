/* captures/qinq-per-link: the two links carry S-tags 20 and 21 around
 * C-tag 100. With primary-outer-vlan / secondary-outer-vlan every link
 * matches; with one outer-vlan = 20 the secondary is a VLAN mismatch whose
 * message names the per-link key; without configuration both links are one
 * peering, each shown with its own S-tag. */
#include <json-glib/json-glib.h>
#include "capture_run.h"
#include "erdiag/config.h"

static char *capture_path(void)
{
    return g_build_filename(ERDIAG_SOURCE_DIR, "captures", "qinq-per-link", "capture.pcapng", NULL);
}

static erdiag_config *config(const char *outer_keys)
{
    g_autofree char *text = g_strdup_printf("[peering qinq-per-link]\nvlan = 100\n%speer-asn = 65010\n"
                                            "primary-subnet = 192.168.51.8/30\nsecondary-subnet = 192.168.51.12/30\n",
                                            outer_keys);
    g_autoptr(GError) err = NULL;
    erdiag_config *c = erdiag_config_load_data(text, strlen(text), "qinq-per-link.ini", NULL, &err);
    g_assert_no_error(err);
    return c;
}

static void test_per_link_keys(void)
{
    g_autofree char *cap = capture_path();
    erdiag_config *c = config("primary-outer-vlan = 20\nsecondary-outer-vlan = 21\n");
    erdiag_engine *e = capture_run(cap, c);
    g_assert_nonnull(e);
    g_autofree char *got = capture_run_findings_text(e);
    g_assert_cmpstr(got, ==, "");
    erdiag_engine_free(e);
    erdiag_config_free(c);
}

static void test_one_outer_vlan_names_the_keys(void)
{
    g_autofree char *cap = capture_path();
    erdiag_config *c = config("outer-vlan = 20\n");
    erdiag_engine *e = capture_run(cap, c);
    g_autofree char *got = capture_run_findings_text(e);
    /* the secondary's two sides, nothing on the primary */
    g_assert_nonnull(strstr(got, "arp.vlan-mismatch secondary: Microsoft side 192.168.51.14 sends on S-tag 21 / C-tag 100, "
                                 "but peering qinq-per-link is configured for S-tag 20 / C-tag 100 on its secondary link "
                                 "(the two links of a circuit may carry different S-tags: set secondary-outer-vlan"));
    g_assert_nonnull(strstr(got, "arp.vlan-mismatch secondary: on-prem side 192.168.51.13"));
    g_assert_null(strstr(got, "arp.vlan-mismatch primary"));
    erdiag_engine_free(e);
    erdiag_config_free(c);
}

static void test_zero_config_one_peering(void)
{
    g_autofree char *cap = capture_path();
    erdiag_engine *e = capture_run(cap, NULL);
    const GPtrArray *pes = erdiag_engine_peerings(e);
    g_assert_cmpuint(pes->len, ==, 1);
    const erdiag_peering *pe = g_ptr_array_index(pes, 0);
    g_assert_cmpuint(pe->links->len, ==, 2);
    for (guint i = 0; i < 2; i++) {
        const erdiag_link *l = g_ptr_array_index(pe->links, i);
        g_assert_cmpuint(l->n_tags, ==, 2);
        g_assert_cmpuint(l->tags[0].vid, ==, l->role == ERDIAG_ROLE_PRIMARY ? 20 : 21);
        g_assert_cmpuint(l->tags[1].vid, ==, 100);
    }
    g_autofree char *text = capture_run_report(e, ERDIAG_FORMAT_TEXT, FALSE, NULL);
    g_assert_nonnull(strstr(text, "S-tag 20 / C-tag 100 (primary), S-tag 21 / C-tag 100 (secondary)"));
    erdiag_engine_free(e);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/per-link-stags/per-link-keys", test_per_link_keys);
    g_test_add_func("/per-link-stags/one-outer-vlan-names-the-keys", test_one_outer_vlan_names_the_keys);
    g_test_add_func("/per-link-stags/zero-config-one-peering", test_zero_config_one_peering);
    return g_test_run();
}
