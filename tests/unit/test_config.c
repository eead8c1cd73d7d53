/* The INI configuration: every key parsed and validated, problems named. */
#include <string.h>
#include "erdiag/config.h"

static erdiag_config *load(const char *text, GPtrArray **problems, GError **err)
{
    return erdiag_config_load_data(text, strlen(text), "test.ini", problems, err);
}

static void test_full(void)
{
    const char *ini =
        "[peering contoso-tokyo]\n"
        "# comment\n"
        "vlan = 100\nouter-vlan = 20\npeer-asn = 65010\n"
        "primary-subnet = 192.168.15.16/30\nsecondary-subnet = 192.168.15.20/30\n"
        "primary-subnet-v6 = fd00:15::/126\nsecondary-subnet-v6 = fd00:15::4/126\n"
        "sku = Premium\nvnet-prefixes = 10.1.0.0/16, 10.2.0.0/24\n"
        "expected-onprem-prefixes = 172.16.0.0/16; 10.50.0.0/16\nonprem-sources = 10.50.3.4\n"
        "gateway-subnet = 10.1.255.0/27\nmd5 = yes\n"
        "[erdiag]\narp-timeout = 5\nmax-flows = 1000\n";
    g_autoptr(GError) err = NULL;
    erdiag_config *c = load(ini, NULL, &err);
    g_assert_no_error(err);
    g_assert_nonnull(c);
    g_assert_cmpuint(c->peerings->len, ==, 1);
    erdiag_peering_config *p = g_ptr_array_index(c->peerings, 0);
    g_assert_cmpstr(p->name, ==, "contoso-tokyo");
    g_assert_true(p->has_vlan && p->vlan == 100);
    g_assert_true(p->has_outer_vlan && p->outer_vlan == 20);
    g_assert_cmpuint(p->peer_asn, ==, 65010);
    char buf[ERDIAG_PREFIX_STRLEN];
    g_assert_cmpstr(erdiag_prefix_to_string(&p->secondary, buf), ==, "192.168.15.20/30");
    g_assert_cmpstr(erdiag_prefix_to_string(&p->secondary_v6, buf), ==, "fd00:15::4/126");
    g_assert_cmpint(p->sku, ==, ERDIAG_SKU_PREMIUM);
    g_assert_cmpuint(p->vnet_prefixes->len, ==, 2);
    g_assert_cmpuint(p->expected_onprem->len, ==, 2);
    g_assert_cmpuint(p->onprem_sources->len, ==, 1);
    g_assert_true(p->has_md5 && p->md5);
    g_assert_cmpuint(c->thresholds.arp_timeout_ms, ==, 5000);
    g_assert_cmpuint(c->thresholds.max_flows, ==, 1000);
    g_assert_cmpuint(c->thresholds.syn_timeout_ms, ==, 3000);
    g_assert_cmpuint(erdiag_sku_ipv4_limit(p->sku), ==, 10000);
    erdiag_config_free(c);
}

static void expect_problem(const char *ini, const char *key_part, const char *err_part)
{
    GPtrArray *problems = NULL;
    g_autoptr(GError) err = NULL;
    erdiag_config *c = load(ini, &problems, &err);
    g_assert_null(c);
    g_assert_nonnull(err);
    g_assert_nonnull(strstr(err->message, "test.ini"));
    g_assert_nonnull(strstr(err->message, err_part));
    g_assert_nonnull(problems);
    gboolean found = FALSE;
    for (guint i = 0; i < problems->len; i++) {
        erdiag_config_problem *p = g_ptr_array_index(problems, i);
        found |= strstr(p->key, key_part) != NULL;
    }
    g_assert_true(found);
    g_ptr_array_unref(problems);
}

static void test_invalid_values(void)
{
    expect_problem("[peering]\nvlan = 0\nprimary-subnet = 10.0.0.0/30\n", "vlan", "VLAN ID");
    expect_problem("[peering]\nvlan = 4095\nprimary-subnet = 10.0.0.0/30\n", "vlan", "4095");
    expect_problem("[peering]\nvlan = abc\nprimary-subnet = 10.0.0.0/30\n", "vlan", "abc");
    expect_problem("[peering]\npeer-asn = 0\nprimary-subnet = 10.0.0.0/30\n", "peer-asn", "AS number");
    expect_problem("[peering]\npeer-asn = 4294967296\nprimary-subnet = 10.0.0.0/30\n", "peer-asn", "AS number");
    expect_problem("[peering]\nprimary-subnet = 10.0.0.0/29\n", "primary-subnet", "/30");
    expect_problem("[peering]\nprimary-subnet = 10.0.0.1/30\n", "primary-subnet", "host bits");
    expect_problem("[peering]\nprimary-subnet = fd00::/126\n", "primary-subnet", "IPv4");
    expect_problem("[peering]\nprimary-subnet = 10.0.0.0/30\nprimary-subnet-v6 = fd00::/64\n", "primary-subnet-v6", "/126");
    expect_problem("[peering]\nprimary-subnet = 10.0.0.0/30\nsku = gold\n", "sku", "premium");
    expect_problem("[peering]\nprimary-subnet = 10.0.0.0/30\nvnet-prefixes = 10.1.0.0/16, banana\n", "vnet-prefixes", "banana");
    expect_problem("[peering]\nprimary-subnet = 10.0.0.0/30\nonprem-sources = 10.1.1\n", "onprem-sources", "10.1.1");
    expect_problem("[peering]\nprimary-subnet = 10.0.0.0/30\nmd5 = maybe\n", "md5", "yes or no");
    expect_problem("[peering]\nprimary-subnet = 10.0.0.0/30\ncolour = blue\n", "colour", "known keys");
    expect_problem("[peering]\nvlan = 100\n", "primary-subnet", "at least one");
    expect_problem("[erdiag]\narp-timeout = 0\n[peering]\nprimary-subnet = 10.0.0.0/30\n", "arp-timeout", "seconds");
    expect_problem("[network]\nx = 1\n", "network", "sections");
}

static void test_not_ini(void)
{
    g_autoptr(GError) err = NULL;
    erdiag_config *c = load("this is not = an ini [file\n", NULL, &err);
    g_assert_null(c);
    g_assert_nonnull(err);
    g_assert_nonnull(strstr(err->message, "test.ini"));
}

static void test_asdot_and_prefixes(void)
{
    g_autoptr(GError) err = NULL;
    erdiag_config *c = load("[peering a]\npeer-asn = 1.10\nprimary-subnet = 10.0.0.0/30\n"
                            "[peering b]\npeer-asn = AS4200000010\nsecondary-subnet = 10.0.0.4/30\n", NULL, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(((erdiag_peering_config *)g_ptr_array_index(c->peerings, 0))->peer_asn, ==, 65546);
    g_assert_cmpuint(((erdiag_peering_config *)g_ptr_array_index(c->peerings, 1))->peer_asn, ==, 4200000010u);
    erdiag_config_free(c);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/config/full", test_full);
    g_test_add_func("/config/invalid-values", test_invalid_values);
    g_test_add_func("/config/not-ini", test_not_ini);
    g_test_add_func("/config/asdot", test_asdot_and_prefixes);
    return g_test_run();
}
