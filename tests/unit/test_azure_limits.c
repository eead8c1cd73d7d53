/* Two of Azure's limits on hand-built input: the GatewaySubnet must lie
 * inside a VNet address space (config.gateway-subnet-outside-vnet), and an
 * ExpressRoute connection advertises at most 1,000 IPv4 routes from the
 * VNet address space (routes.vnet-limit: 1,001 raise it, 1,000 do not). */
#include "adversarial/adversarial.h"

static guint count(const adv_report *r, const char *id)
{
    JsonArray *fs = json_object_get_array_member(r->root, "findings");
    guint n = 0;
    for (guint i = 0; i < json_array_get_length(fs); i++)
        n += g_strcmp0(json_object_get_string_member(json_array_get_object_element(fs, i), "id"), id) == 0;
    return n;
}

static void test_gateway_subnet(void)
{
    static const char *const cases[][2] = { { "10.1.255.0/27", "0" }, { "10.9.0.0/27", "1" }, { "10.2.0.0/23", "1" } };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        adv_session *s = adv_session_new(FALSE);
        g_autofree char *ini = g_strdup_printf("%sgateway-subnet = %s\n", ADV_CONFIG, cases[i][0]);
        adv_config_text = ini;
        adv_report *r = adv_run_capture(s->cap, TRUE);
        adv_config_text = NULL;
        if (count(r, "config.gateway-subnet-outside-vnet") != (guint)atoi(cases[i][1]))
            g_error("gateway-subnet %s: %u findings", cases[i][0], count(r, "config.gateway-subnet-outside-vnet"));
        adv_report_free(r);
        adv_session_free(s);
    }
}

/* n /24s under 10.0.0.0/8 from the MSEE in one UPDATE. */
static GByteArray *vnet_update(guint n)
{
    GByteArray *attrs = g_byte_array_new();
    static const guint8 igp = 0, path[] = { 2, 1, 0, 0, 0x2f, 0x2c }, nh[] = { 192, 168, 15, 18 };
    put_attr(attrs, 0x40, 1, &igp, 1);
    put_attr(attrs, 0x40, 2, path, sizeof path);
    put_attr(attrs, 0x40, 3, nh, sizeof nh);
    GByteArray *nlri = g_byte_array_new();
    for (guint i = 0; i < n; i++)
        put_prefix4(nlri, 10, (guint8)(i / 256), (guint8)(i % 256), 0, 24);
    GByteArray *m = update_new(NULL, attrs, nlri);
    g_byte_array_free(attrs, TRUE);
    g_byte_array_free(nlri, TRUE);
    return m;
}

static void test_vnet_limit(void)
{
    for (guint n = 1000; n <= 1001; n++) {
        adv_session *s = adv_session_new(FALSE);
        adv_send_msg(s, ADV_MSFT, vnet_update(n));
        adv_report *r = adv_run_capture(s->cap, TRUE);
        g_assert_cmpuint(count(r, "routes.vnet-limit"), ==, n > 1000 ? 1 : 0);
        adv_report_free(r);
        adv_session_free(s);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/azure-limits/gateway-subnet", test_gateway_subnet);
    g_test_add_func("/azure-limits/vnet-limit", test_vnet_limit);
    return g_test_run();
}
