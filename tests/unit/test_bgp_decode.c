/* BGP message decoder: hand-built byte vectors for every message type and
 * attribute, lying length fields, truncation, and the size extremes. */
#include <string.h>
#include "bgp_decode.h"
#include "bgp_as_path.h"
#include "unit/bgp_msg_build.h"

static const erdiag_bgp_session_hints hints_2byte = { .as4 = FALSE, .as4_known = TRUE };
static const erdiag_bgp_session_hints hints_4byte = { .as4 = TRUE, .as4_known = TRUE };

static const erdiag_bgp_msg *decode(erdiag_bgp_decoded *d, const GByteArray *m,
                                    const erdiag_bgp_session_hints *h)
{
    return erdiag_bgp_decode(d, m->data, m->len, h);
}

static char *prefix_text(const erdiag_bgp_nlri *n)
{
    char buf[ERDIAG_PREFIX_STRLEN];
    return g_strdup(erdiag_prefix_to_string(&n->prefix, buf));
}

static void assert_prefix(const erdiag_bgp_nlri *n, const char *expected)
{
    char *t = prefix_text(n);
    g_assert_cmpstr(t, ==, expected);
    g_free(t);
}

static void assert_error_contains(const erdiag_bgp_msg *msg, const char *fragment)
{
    g_assert_nonnull(msg->error);
    if (!strstr(msg->error, fragment))
        g_error("error \"%s\" lacks \"%s\"", msg->error, fragment);
}

enum { DISCARD = ERDIAG_BGP_ERR_ATTR_DISCARD, WITHDRAW = ERDIAG_BGP_ERR_TREAT_AS_WITHDRAW,
       RESET = ERDIAG_BGP_ERR_SESSION_RESET };

/* The UPDATE records a problem holding fragment, about attribute attr, with
 * RFC 7606's action; only a session reset makes the message unusable. */
static void assert_update_error(const erdiag_bgp_msg *msg, guint attr, int action, const char *fragment)
{
    const erdiag_bgp_update *u = &msg->u.update;
    g_assert_cmpuint(msg->type, ==, ERDIAG_BGP_UPDATE);
    gboolean found = FALSE;
    for (guint i = 0; i < u->n_errors && !found; i++) {
        const erdiag_bgp_update_error *e = &u->errors[i];
        if (!strstr(e->reason, fragment))
            continue;
        g_assert_cmpuint(e->attr_type, ==, attr);
        g_assert_cmpint(e->action, ==, action);
        found = TRUE;
    }
    if (!found) {
        for (guint i = 0; i < u->n_errors; i++)
            g_test_message("error %u: %s", i, u->errors[i].reason);
        g_error("no UPDATE error holds \"%s\"", fragment);
    }
    g_assert_cmpint(u->action, >=, action);
    if (u->action == RESET)
        g_assert_nonnull(msg->error);
    else
        g_assert_null(msg->error);
}

/* ---- KEEPALIVE, header ---- */

static void test_keepalive(void)
{
    erdiag_bgp_decoded *d = erdiag_bgp_decoded_new();
    GByteArray *m = msg_new(ERDIAG_BGP_KEEPALIVE);
    msg_done(m);
    const erdiag_bgp_msg *msg = decode(d, m, NULL);
    g_assert_cmpuint(msg->type, ==, ERDIAG_BGP_KEEPALIVE);
    g_assert_cmpuint(msg->length, ==, 19);
    g_assert_null(msg->error);

    put8(m, 0); /* KEEPALIVE must be exactly 19 */
    msg_done(m);
    msg = decode(d, m, NULL);
    assert_error_contains(msg, "KEEPALIVE: length 20");
    g_byte_array_free(m, TRUE);
    erdiag_bgp_decoded_free(d);
}

static void test_header_errors(void)
{
    erdiag_bgp_decoded *d = erdiag_bgp_decoded_new();
    GByteArray *m = msg_new(ERDIAG_BGP_KEEPALIVE);
    msg_done(m);

    /* Shorter than a header. */
    const erdiag_bgp_msg *msg = erdiag_bgp_decode(d, m->data, 10, NULL);
    assert_error_contains(msg, "shorter than the 19-byte header");

    /* Length field below 19. */
    set16(m, 16, 18);
    msg = decode(d, m, NULL);
    assert_error_contains(msg, "length 18 outside 19..");

    /* Length field says more than there is: truncated. */
    set16(m, 16, 200);
    msg = decode(d, m, NULL);
    assert_error_contains(msg, "truncated, length 200 but 19 bytes present");

    /* Above 4096 once the OPENs said no extended messages. */
    set16(m, 16, 5000);
    msg = decode(d, m, &hints_2byte);
    assert_error_contains(msg, "length 5000 outside 19..4096");

    /* Marker not all ones. */
    msg_done(m);
    m->data[3] = 0;
    msg = decode(d, m, NULL);
    assert_error_contains(msg, "marker is not all ones");
    m->data[3] = 0xff;

    /* Unknown type: kept, flagged. */
    m->data[18] = 9;
    msg = decode(d, m, NULL);
    g_assert_cmpuint(msg->type, ==, 9);
    assert_error_contains(msg, "unknown message type 9");

    /* Type-specific minimum: an OPEN of 19 bytes. */
    m->data[18] = ERDIAG_BGP_OPEN;
    msg = decode(d, m, NULL);
    assert_error_contains(msg, "OPEN: length 19 below the minimum 29");
    g_byte_array_free(m, TRUE);
    erdiag_bgp_decoded_free(d);
}

/* ---- OPEN ---- */

static GByteArray *typical_caps(void)
{
    GByteArray *caps = g_byte_array_new();
    put_cap(caps, ERDIAG_CAP_MP, (const guint8 *)"\x00\x01\x00\x01", 4);
    put_cap(caps, ERDIAG_CAP_MP, (const guint8 *)"\x00\x02\x00\x01", 4);
    put_cap(caps, ERDIAG_CAP_ROUTE_REFRESH, NULL, 0);
    put_cap(caps, ERDIAG_CAP_AS4, (const guint8 *)"\xfa\x56\xea\x00", 4); /* 4200000000 */
    put_cap(caps, ERDIAG_CAP_GRACEFUL_RESTART, (const guint8 *)"\x00\x78\x00\x01\x01\x80", 6);
    put_cap(caps, ERDIAG_CAP_EXT_MESSAGE, NULL, 0);
    /* ADD-PATH: IPv4 unicast send+receive, IPv6 unicast receive. */
    put_cap(caps, ERDIAG_CAP_ADD_PATH, (const guint8 *)"\x00\x01\x01\x03\x00\x02\x01\x01", 8);
    return caps;
}

static void test_open(void)
{
    erdiag_bgp_decoded *d = erdiag_bgp_decoded_new();
    GByteArray *caps = typical_caps();
    GByteArray *m = open_new(ERDIAG_BGP_AS_TRANS, 180, 0xc0a80f11, caps);
    const erdiag_bgp_msg *msg = decode(d, m, NULL);
    g_assert_null(msg->error);
    g_assert_cmpuint(msg->type, ==, ERDIAG_BGP_OPEN);
    const erdiag_bgp_open *o = &msg->u.open;
    g_assert_cmpuint(o->version, ==, 4);
    g_assert_cmpuint(o->my_as, ==, ERDIAG_BGP_AS_TRANS);
    g_assert_cmpuint(o->hold_time, ==, 180);
    g_assert_cmpuint(o->bgp_id, ==, 0xc0a80f11);
    g_assert_true(o->has_as4);
    g_assert_cmpuint(o->as4, ==, 4200000000u);
    g_assert_true(o->mp_ipv4_unicast);
    g_assert_true(o->mp_ipv6_unicast);
    g_assert_true(o->add_path);
    g_assert_false(o->extended_params);
    static const guint8 order[] = { 1, 1, 2, 65, 64, 6, 69 };
    g_assert_cmpmem(o->caps, o->n_caps, order, sizeof order);

    const erdiag_bgp_open_caps *oc = erdiag_bgp_decoded_open_caps(d);
    g_assert_true(oc->as4);
    g_assert_true(oc->extended_message);
    g_assert_cmpuint(oc->add_path_v4, ==, 3);
    g_assert_cmpuint(oc->add_path_v6, ==, ERDIAG_ADD_PATH_RECEIVE);

    /* Hints: IPv4 path ids flow both ways, IPv6 only toward this speaker. */
    erdiag_bgp_open_caps peer = { .as4 = TRUE, .extended_message = FALSE, .add_path_v4 = 3,
                                  .add_path_v6 = ERDIAG_ADD_PATH_SEND };
    erdiag_bgp_session_hints h;
    erdiag_bgp_session_hints_from_opens(oc, &peer, &h);
    g_assert_true(h.as4_known && h.as4 && h.add_path_v4 && !h.add_path_v6 && !h.extended_message);
    erdiag_bgp_session_hints_from_opens(&peer, oc, &h);
    g_assert_true(h.add_path_v4 && h.add_path_v6);

    /* A plain 2-byte speaker without capabilities. */
    g_byte_array_free(m, TRUE);
    m = open_new(65010, 90, 1, NULL);
    msg = decode(d, m, NULL);
    g_assert_null(msg->error);
    g_assert_cmpuint(msg->u.open.my_as, ==, 65010);
    g_assert_false(msg->u.open.has_as4);
    g_assert_cmpuint(msg->u.open.n_caps, ==, 0);
    g_assert_false(erdiag_bgp_decoded_open_caps(d)->as4);
    g_byte_array_free(m, TRUE);
    g_byte_array_free(caps, TRUE);
    erdiag_bgp_decoded_free(d);
}

/* RFC 9072: non-ext length 255, non-ext type 255, then a 2-byte length and
 * parameters with 2-byte lengths. */
static void test_open_extended_params(void)
{
    erdiag_bgp_decoded *d = erdiag_bgp_decoded_new();
    GByteArray *caps = typical_caps();
    GByteArray *m = msg_new(ERDIAG_BGP_OPEN);
    put8(m, 4);
    put16(m, 65001);
    put16(m, 180);
    put32(m, 0x01020304);
    put8(m, 255);
    put8(m, 255);
    put16(m, caps->len + 3);
    put8(m, 2);
    put16(m, caps->len);
    g_byte_array_append(m, caps->data, caps->len);
    msg_done(m);
    const erdiag_bgp_msg *msg = decode(d, m, NULL);
    g_assert_null(msg->error);
    g_assert_true(msg->u.open.extended_params);
    g_assert_true(msg->u.open.has_as4);
    g_assert_cmpuint(msg->u.open.as4, ==, 4200000000u);
    g_assert_cmpuint(msg->u.open.n_caps, ==, 7);

    /* The extended length lies. */
    set16(m, 29, caps->len + 50);
    msg = decode(d, m, NULL);
    assert_error_contains(msg, "optional parameters length");
    g_byte_array_free(m, TRUE);
    g_byte_array_free(caps, TRUE);
    erdiag_bgp_decoded_free(d);
}

static void test_open_lying_lengths(void)
{
    erdiag_bgp_decoded *d = erdiag_bgp_decoded_new();
    GByteArray *caps = typical_caps();
    GByteArray *m = open_new(65001, 180, 1, caps);
    const guint opt_len_at = 19 + 9, param_len_at = 19 + 11, first_cap_len_at = 19 + 13;

    m->data[opt_len_at] = (guint8)(caps->len + 10);
    assert_error_contains(decode(d, m, NULL), "optional parameters length");
    m->data[opt_len_at] = (guint8)(caps->len + 2);

    m->data[param_len_at] = (guint8)(caps->len + 1);
    assert_error_contains(decode(d, m, NULL), "optional parameter 2 length");
    m->data[param_len_at] = (guint8)caps->len;

    m->data[first_cap_len_at] = 200;
    assert_error_contains(decode(d, m, NULL), "capability 1 length 200 exceeds");
    m->data[first_cap_len_at] = 4;
    g_assert_null(decode(d, m, NULL)->error);

    /* Bytes after the parameters. */
    put8(m, 0);
    msg_done(m);
    assert_error_contains(decode(d, m, NULL), "1 bytes after the optional parameters");

    /* An AS4 capability of the wrong size. */
    GByteArray *bad = g_byte_array_new();
    put_cap(bad, ERDIAG_CAP_AS4, (const guint8 *)"\x00\x01", 2);
    g_byte_array_free(m, TRUE);
    m = open_new(65001, 180, 1, bad);
    const erdiag_bgp_msg *msg = decode(d, m, NULL);
    assert_error_contains(msg, "4-octet AS capability length 2");
    g_assert_false(msg->u.open.has_as4);
    g_byte_array_free(bad, TRUE);
    g_byte_array_free(m, TRUE);
    g_byte_array_free(caps, TRUE);
    erdiag_bgp_decoded_free(d);
}

/* ---- UPDATE ---- */

static void test_update_attributes(void)
{
    erdiag_bgp_decoded *d = erdiag_bgp_decoded_new();
    GByteArray *w = g_byte_array_new(), *a = g_byte_array_new(), *n = g_byte_array_new();
    put_prefix4(w, 192, 168, 100, 0, 24);
    put_attr(a, 0x40, 1, (const guint8 *)"\x00", 1);                          /* ORIGIN IGP */
    put_attr(a, 0x40, 2, (const guint8 *)"\x02\x02\xfd\xea\xfd\xea\x01\x02\xfd\xe9\xfd\xeb", 12);
    put_attr(a, 0x40, 3, (const guint8 *)"\xc0\xa8\x0f\x12", 4);              /* NEXT_HOP */
    put_attr(a, 0x80, 4, (const guint8 *)"\x00\x00\x00\x64", 4);              /* MED 100 */
    put_attr(a, 0x40, 5, (const guint8 *)"\x00\x00\x01\x2c", 4);              /* LOCAL_PREF 300 */
    put_attr(a, 0x40, 6, NULL, 0);                                            /* ATOMIC_AGGREGATE */
    put_attr(a, 0xc0, 7, (const guint8 *)"\xfd\xea\x0a\x00\x00\x01", 6);      /* AGGREGATOR */
    put_attr(a, 0xc0, 8, (const guint8 *)"\x2f\x2c\x00\x01\xff\xff\xff\x01", 8); /* COMMUNITIES */
    guint8 large[24] = { 0 };
    large[3] = 1;
    put_attr(a, 0xc0, 32, large, sizeof large);                               /* LARGE_COMMUNITY */
    put_attr(a, 0xc0, 99, (const guint8 *)"xyz", 3);                          /* unknown: skipped */
    put_prefix4(n, 10, 1, 0, 0, 16);
    put_prefix4(n, 10, 2, 3, 128, 25);
    put_prefix4(n, 0, 0, 0, 0, 0);
    GByteArray *m = update_new(w, a, n);
    const erdiag_bgp_msg *msg = decode(d, m, &hints_2byte);
    g_assert_null(msg->error);
    const erdiag_bgp_update *u = &msg->u.update;
    g_assert_true(u->has_origin);
    g_assert_cmpuint(u->origin, ==, 0);
    g_assert_true(u->has_as_path);
    g_assert_cmpstr(u->as_path, ==, "65002 65002 {65001,65003}");
    g_assert_cmpuint(u->as_path_length, ==, 3);
    g_assert_true(u->has_next_hop);
    g_assert_cmpuint(u->next_hop.family, ==, 4);
    g_assert_cmpmem(u->next_hop.bytes, 4, "\xc0\xa8\x0f\x12", 4);
    g_assert_true(u->has_med);
    g_assert_cmpuint(u->med, ==, 100);
    g_assert_true(u->has_local_pref);
    g_assert_cmpuint(u->local_pref, ==, 300);
    g_assert_true(u->atomic_aggregate);
    g_assert_cmpuint(u->n_communities, ==, 2);
    g_assert_cmpuint(u->communities[0], ==, 0x2f2c0001u);
    g_assert_cmpuint(u->communities[1], ==, 0xffffff01u);
    g_assert_cmpuint(u->n_large_communities, ==, 2);
    g_assert_cmpuint(u->n_withdrawn, ==, 1);
    assert_prefix(&u->withdrawn[0], "192.168.100.0/24");
    g_assert_cmpuint(u->n_announced, ==, 3);
    assert_prefix(&u->announced[0], "10.1.0.0/16");
    assert_prefix(&u->announced[1], "10.2.3.128/25");
    assert_prefix(&u->announced[2], "0.0.0.0/0");
    g_assert_cmpuint(u->announced[0].path_id, ==, 0);
    g_assert_false(u->end_of_rib);

    /* The same bytes under a 4-byte session: the 2-byte AGGREGATOR is wrong. */
    msg = decode(d, m, &hints_4byte);
    assert_update_error(msg, 7, DISCARD, "AGGREGATOR length 6, expected 8");
    g_assert_cmpuint(msg->u.update.n_announced, ==, 3); /* still decoded */
    /* (and the 2-byte AS_PATH read as 4-byte is malformed: treat-as-withdraw) */
    assert_update_error(msg, 2, WITHDRAW, "AS_PATH (4-byte ASNs)");

    /* Reuse: a KEEPALIVE after it carries nothing of the UPDATE. */
    GByteArray *k = msg_new(ERDIAG_BGP_KEEPALIVE);
    msg_done(k);
    msg = decode(d, k, NULL);
    g_assert_null(msg->error);
    g_assert_cmpuint(msg->u.update.n_announced, ==, 0);
    g_byte_array_free(k, TRUE);
    g_byte_array_free(m, TRUE);
    g_byte_array_free(w, TRUE);
    g_byte_array_free(a, TRUE);
    g_byte_array_free(n, TRUE);
    erdiag_bgp_decoded_free(d);
}

static void test_update_host_bits_and_ext_length(void)
{
    erdiag_bgp_decoded *d = erdiag_bgp_decoded_new();
    GByteArray *a = g_byte_array_new(), *n = g_byte_array_new();
    put_attr(a, 0x50, 1, (const guint8 *)"\x02", 1); /* ORIGIN with extended length */
    put_attr(a, 0x50, 2, (const guint8 *)"\x02\x01\x00\x00\xfd\xe9", 6);
    put_attr(a, 0x40, 3, (const guint8 *)"\x0a\x00\x00\x01", 4);
    put_prefix4(n, 10, 1, 255, 255, 17); /* host bits set: cleared, not an error */
    GByteArray *m = update_new(NULL, a, n);
    const erdiag_bgp_msg *msg = decode(d, m, &hints_4byte);
    g_assert_null(msg->error);
    g_assert_cmpuint(msg->u.update.origin, ==, 2);
    g_assert_cmpstr(msg->u.update.as_path, ==, "65001");
    assert_prefix(&msg->u.update.announced[0], "10.1.128.0/17");
    g_byte_array_free(m, TRUE);
    g_byte_array_free(a, TRUE);
    g_byte_array_free(n, TRUE);
    erdiag_bgp_decoded_free(d);
}

static void test_as_path_segments(void)
{
    erdiag_bgp_decoded *d = erdiag_bgp_decoded_new();
    GByteArray *p = g_byte_array_new();
    put8(p, 3); put8(p, 2); put32(p, 65001); put32(p, 65002);   /* confed sequence */
    put8(p, 4); put8(p, 2); put32(p, 65003); put32(p, 65004);   /* confed set */
    put8(p, 2); put8(p, 2); put32(p, 4200000000u); put32(p, 12076);
    put8(p, 1); put8(p, 3); put32(p, 1); put32(p, 2); put32(p, 3);
    GByteArray *a = g_byte_array_new();
    put_attr(a, 0x40, 2, p->data, p->len);
    GByteArray *m = update_new(NULL, a, NULL);
    const erdiag_bgp_msg *msg = decode(d, m, &hints_4byte);
    g_assert_null(msg->error);
    g_assert_cmpstr(msg->u.update.as_path, ==,
                    "(65001 65002) [65003,65004] 4200000000 12076 {1,2,3}");
    g_assert_cmpuint(msg->u.update.as_path_length, ==, 3);

    /* Unknown segment type and zero-length segments are malformed (RFC 7606). */
    p->data[0] = 7;
    g_byte_array_set_size(a, 0);
    put_attr(a, 0x40, 2, p->data, p->len);
    g_byte_array_free(m, TRUE);
    m = update_new(NULL, a, NULL);
    msg = decode(d, m, &hints_4byte);
    assert_update_error(msg, 2, WITHDRAW, "unknown segment type");
    g_assert_false(msg->u.update.has_as_path);
    g_byte_array_free(m, TRUE);
    g_byte_array_free(a, TRUE);
    g_byte_array_free(p, TRUE);
    erdiag_bgp_decoded_free(d);
}

/* RFC 6793 4.2.3: a 2-byte speaker relays 4-byte ASNs as AS_TRANS in AS_PATH
 * and the real ones in AS4_PATH. */
static const erdiag_bgp_msg *decode_as4_merge(erdiag_bgp_decoded *d, const GByteArray *as_path,
                                              const GByteArray *as4_path, const guint8 *aggregator,
                                              const erdiag_bgp_session_hints *h)
{
    GByteArray *a = g_byte_array_new();
    put_attr(a, 0x40, 2, as_path->data, as_path->len);
    if (aggregator)
        put_attr(a, 0xc0, 7, aggregator, 6);
    put_attr(a, 0xc0, 17, as4_path->data, as4_path->len);
    GByteArray *m = update_new(NULL, a, NULL);
    const erdiag_bgp_msg *msg = decode(d, m, h);
    g_byte_array_free(m, TRUE);
    g_byte_array_free(a, TRUE);
    return msg;
}

static void test_as4_path_merge(void)
{
    erdiag_bgp_decoded *d = erdiag_bgp_decoded_new();
    GByteArray *p2 = g_byte_array_new(), *p4 = g_byte_array_new();
    /* AS_PATH 100 23456 23456 200 {300,400}; AS4_PATH 4200000001 4200000002 200 {300,400} */
    put8(p2, 2); put8(p2, 4); put16(p2, 100); put16(p2, 23456); put16(p2, 23456); put16(p2, 200);
    put8(p2, 1); put8(p2, 2); put16(p2, 300); put16(p2, 400);
    put8(p4, 2); put8(p4, 3); put32(p4, 4200000001u); put32(p4, 4200000002u); put32(p4, 200);
    put8(p4, 1); put8(p4, 2); put32(p4, 300); put32(p4, 400);
    const erdiag_bgp_msg *msg = decode_as4_merge(d, p2, p4, NULL, &hints_2byte);
    g_assert_null(msg->error);
    g_assert_cmpstr(msg->u.update.as_path, ==, "100 4200000001 4200000002 200 {300,400}");
    g_assert_cmpuint(msg->u.update.as_path_length, ==, 5);

    /* Same, detected as 2-byte when nothing is known. */
    msg = decode_as4_merge(d, p2, p4, NULL, NULL);
    g_assert_cmpstr(msg->u.update.as_path, ==, "100 4200000001 4200000002 200 {300,400}");

    /* An AGGREGATOR naming a real 2-byte AS voids AS4_PATH. */
    msg = decode_as4_merge(d, p2, p4, (const guint8 *)"\x00\x64\x0a\x00\x00\x01", &hints_2byte);
    g_assert_cmpstr(msg->u.update.as_path, ==, "100 23456 23456 200 {300,400}");
    /* ... but AS_TRANS in it does not. */
    msg = decode_as4_merge(d, p2, p4, (const guint8 *)"\x5b\xa0\x0a\x00\x00\x01", &hints_2byte);
    g_assert_cmpstr(msg->u.update.as_path, ==, "100 4200000001 4200000002 200 {300,400}");

    /* AS4_PATH longer than AS_PATH: ignored. */
    GByteArray *longer = g_byte_array_new();
    put8(longer, 2); put8(longer, 6);
    for (int i = 0; i < 6; i++)
        put32(longer, 4200000000u + (guint32)i);
    msg = decode_as4_merge(d, p2, longer, NULL, &hints_2byte);
    g_assert_cmpstr(msg->u.update.as_path, ==, "100 23456 23456 200 {300,400}");

    /* A leading confederation segment is kept. */
    GByteArray *c2 = g_byte_array_new();
    put8(c2, 3); put8(c2, 1); put16(c2, 65500);
    g_byte_array_append(c2, p2->data, p2->len);
    msg = decode_as4_merge(d, c2, p4, NULL, &hints_2byte);
    g_assert_cmpstr(msg->u.update.as_path, ==, "(65500) 100 4200000001 4200000002 200 {300,400}");
    g_byte_array_free(c2, TRUE);
    g_byte_array_free(longer, TRUE);
    g_byte_array_free(p2, TRUE);
    g_byte_array_free(p4, TRUE);
    erdiag_bgp_decoded_free(d);
}

static void test_as4_path_ignored_between_new_speakers(void)
{
    erdiag_bgp_decoded *d = erdiag_bgp_decoded_new();
    GByteArray *p = g_byte_array_new(), *p4 = g_byte_array_new();
    put8(p, 2); put8(p, 2); put32(p, 4200000001u); put32(p, 12076);
    put8(p4, 2); put8(p4, 1); put32(p4, 7);
    const erdiag_bgp_msg *msg = decode_as4_merge(d, p, p4, NULL, &hints_4byte);
    g_assert_cmpstr(msg->u.update.as_path, ==, "4200000001 12076");
    /* Auto-detected 4-byte: the same. */
    msg = decode_as4_merge(d, p, p4, NULL, NULL);
    g_assert_cmpstr(msg->u.update.as_path, ==, "4200000001 12076");
    g_byte_array_free(p, TRUE);
    g_byte_array_free(p4, TRUE);
    erdiag_bgp_decoded_free(d);
}

static void test_as_path_autodetect(void)
{
    erdiag_bgp_decoded *d = erdiag_bgp_decoded_new();
    GByteArray *a = g_byte_array_new();
    /* 2-byte encoding of 65001 65002 65003: 8 bytes, impossible as 4-byte. */
    put_attr(a, 0x40, 2, (const guint8 *)"\x02\x03\xfd\xe9\xfd\xea\xfd\xeb", 8);
    GByteArray *m = update_new(NULL, a, NULL);
    const erdiag_bgp_msg *msg = decode(d, m, NULL);
    g_assert_null(msg->error);
    g_assert_cmpstr(msg->u.update.as_path, ==, "65001 65002 65003");
    g_byte_array_free(m, TRUE);

    /* Consistent with neither width. */
    g_byte_array_set_size(a, 0);
    put_attr(a, 0x40, 2, (const guint8 *)"\x02\x09\xfd\xe9", 4);
    m = update_new(NULL, a, NULL);
    msg = decode(d, m, NULL);
    assert_update_error(msg, 2, WITHDRAW, "neither 2- nor 4-byte");
    g_assert_false(msg->u.update.has_as_path);
    g_byte_array_free(m, TRUE);
    g_byte_array_free(a, TRUE);
    erdiag_bgp_decoded_free(d);
}

static void test_mp_reach_unreach(void)
{
    erdiag_bgp_decoded *d = erdiag_bgp_decoded_new();
    GByteArray *mp = g_byte_array_new(), *a = g_byte_array_new();
    put16(mp, 2); put8(mp, 1); put8(mp, 32);
    static const guint8 global[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
    static const guint8 link_local[16] = { 0xfe, 0x80, [15] = 2 };
    g_byte_array_append(mp, global, 16);
    g_byte_array_append(mp, link_local, 16);
    put8(mp, 0);
    put8(mp, 48); g_byte_array_append(mp, (const guint8 *)"\x20\x01\x0d\xb8\x00\x10", 6);
    put8(mp, 128); g_byte_array_append(mp, global, 16);
    put_attr(a, 0x40, 1, (const guint8 *)"\x00", 1);
    put_attr(a, 0x40, 2, NULL, 0);
    put_attr(a, 0x80, 14, mp->data, mp->len);
    GByteArray *un = g_byte_array_new();
    put16(un, 2); put8(un, 1);
    put8(un, 64); g_byte_array_append(un, (const guint8 *)"\x20\x01\x0d\xb8\x00\x20\x00\x00", 8);
    put_attr(a, 0x80, 15, un->data, un->len);
    /* Another family (L2VPN EVPN): skipped without complaint. */
    put_attr(a, 0x80, 14, (const guint8 *)"\x00\x19\x46\x04\x01\x02\x03\x04\x00\x02\x05\x00", 12);
    GByteArray *m = update_new(NULL, a, NULL);
    const erdiag_bgp_msg *msg = decode(d, m, &hints_4byte);
    assert_update_error(msg, 14, RESET, "MP_REACH_NLRI (type 14) appears more than once");
    assert_error_contains(msg, "MP_REACH_NLRI (type 14) appears more than once");
    const erdiag_bgp_update *u = &msg->u.update;
    g_assert_cmpuint(u->n_announced, ==, 2);
    assert_prefix(&u->announced[0], "2001:db8:10::/48");
    assert_prefix(&u->announced[1], "2001:db8::1/128");
    g_assert_cmpuint(u->n_withdrawn, ==, 1);
    assert_prefix(&u->withdrawn[0], "2001:db8:20::/64");
    g_assert_true(u->has_next_hop);
    g_assert_cmpuint(u->next_hop.family, ==, 6);
    g_assert_cmpmem(u->next_hop.bytes, 16, global, 16);
    g_assert_cmpstr(u->as_path, ==, "");
    g_assert_false(u->end_of_rib);
    g_byte_array_free(m, TRUE);

    /* A different family alone: nothing decoded, no error. */
    g_byte_array_set_size(a, 0);
    put_attr(a, 0x80, 14, (const guint8 *)"\x00\x19\x46\x04\x01\x02\x03\x04\x00\x02\x05\x00", 12);
    m = update_new(NULL, a, NULL);
    msg = decode(d, m, &hints_4byte);
    g_assert_null(msg->error);
    g_assert_cmpuint(msg->u.update.n_announced, ==, 0);
    g_byte_array_free(m, TRUE);

    /* Next-hop length lying past the attribute. */
    g_byte_array_set_size(a, 0);
    mp->data[3] = 60;
    put_attr(a, 0x80, 14, mp->data, mp->len);
    m = update_new(NULL, a, NULL);
    assert_error_contains(decode(d, m, &hints_4byte), "next hop length 60 exceeds");
    g_byte_array_free(m, TRUE);

    /* A /129 in MP_REACH. */
    g_byte_array_set_size(a, 0);
    mp->data[3] = 32;
    mp->data[4 + 32 + 1 + 7] = 129;
    put_attr(a, 0x80, 14, mp->data, mp->len);
    m = update_new(NULL, a, NULL);
    assert_error_contains(decode(d, m, &hints_4byte),
                          "MP_REACH_NLRI: prefix length 129 exceeds 128");
    g_byte_array_free(m, TRUE);
    g_byte_array_free(mp, TRUE);
    g_byte_array_free(un, TRUE);
    g_byte_array_free(a, TRUE);
    erdiag_bgp_decoded_free(d);
}

static void test_mp_reach_ipv4(void)
{
    erdiag_bgp_decoded *d = erdiag_bgp_decoded_new();
    GByteArray *mp = g_byte_array_new(), *a = g_byte_array_new();
    put16(mp, 1); put8(mp, 1); put8(mp, 4); put32(mp, 0x0a000001); put8(mp, 0);
    put_prefix4(mp, 172, 16, 0, 0, 12);
    put_attr(a, 0x80, 14, mp->data, mp->len);
    GByteArray *m = update_new(NULL, a, NULL);
    const erdiag_bgp_msg *msg = decode(d, m, &hints_4byte);
    g_assert_null(msg->error);
    g_assert_cmpuint(msg->u.update.n_announced, ==, 1);
    assert_prefix(&msg->u.update.announced[0], "172.16.0.0/12");
    g_assert_cmpuint(msg->u.update.next_hop.family, ==, 4);
    g_assert_cmpmem(msg->u.update.next_hop.bytes, 4, "\x0a\x00\x00\x01", 4);
    g_byte_array_free(m, TRUE);
    g_byte_array_free(mp, TRUE);
    g_byte_array_free(a, TRUE);
    erdiag_bgp_decoded_free(d);
}

static void test_end_of_rib(void)
{
    erdiag_bgp_decoded *d = erdiag_bgp_decoded_new();
    GByteArray *m = update_new(NULL, NULL, NULL);
    const erdiag_bgp_msg *msg = decode(d, m, &hints_4byte);
    g_assert_null(msg->error);
    g_assert_true(msg->u.update.end_of_rib);
    g_byte_array_free(m, TRUE);

    GByteArray *a = g_byte_array_new();
    put_attr(a, 0x80, 15, (const guint8 *)"\x00\x02\x01", 3);
    m = update_new(NULL, a, NULL);
    msg = decode(d, m, &hints_4byte);
    g_assert_null(msg->error);
    g_assert_true(msg->u.update.end_of_rib);
    g_byte_array_free(m, TRUE);

    /* An MP_UNREACH with a prefix is a withdrawal, not End-of-RIB. */
    g_byte_array_set_size(a, 0);
    put_attr(a, 0x80, 15, (const guint8 *)"\x00\x02\x01\x20\x20\x01\x0d\xb8", 8);
    m = update_new(NULL, a, NULL);
    msg = decode(d, m, &hints_4byte);
    g_assert_false(msg->u.update.end_of_rib);
    g_assert_cmpuint(msg->u.update.n_withdrawn, ==, 1);
    g_byte_array_free(m, TRUE);
    g_byte_array_free(a, TRUE);
    erdiag_bgp_decoded_free(d);
}

static void test_add_path(void)
{
    erdiag_bgp_decoded *d = erdiag_bgp_decoded_new();
    GByteArray *n = g_byte_array_new(), *w = g_byte_array_new(), *a = g_byte_array_new();
    put32(w, 7); put_prefix4(w, 10, 9, 0, 0, 16);
    put32(n, 1); put_prefix4(n, 10, 0, 0, 0, 8);
    put32(n, 2); put_prefix4(n, 10, 0, 0, 0, 8);
    put_attr(a, 0x40, 1, (const guint8 *)"\x00", 1);
    put_attr(a, 0x40, 2, NULL, 0);
    put_attr(a, 0x40, 3, (const guint8 *)"\x0a\x00\x00\x01", 4);
    GByteArray *m = update_new(w, a, n);
    erdiag_bgp_session_hints h = hints_4byte;
    h.add_path_v4 = TRUE;
    const erdiag_bgp_msg *msg = decode(d, m, &h);
    g_assert_null(msg->error);
    g_assert_cmpuint(msg->u.update.n_announced, ==, 2);
    g_assert_cmpuint(msg->u.update.announced[0].path_id, ==, 1);
    g_assert_cmpuint(msg->u.update.announced[1].path_id, ==, 2);
    assert_prefix(&msg->u.update.announced[1], "10.0.0.0/8");
    g_assert_cmpuint(msg->u.update.withdrawn[0].path_id, ==, 7);
    assert_prefix(&msg->u.update.withdrawn[0], "10.9.0.0/16");

    /* Nothing known: detected, since only the ADD-PATH parse fits. */
    msg = decode(d, m, NULL);
    g_assert_null(msg->error);
    g_assert_cmpuint(msg->u.update.n_announced, ==, 2);
    g_assert_cmpuint(msg->u.update.announced[1].path_id, ==, 2);

    /* The OPENs said no ADD-PATH: the path ids read as prefixes and fail. */
    msg = decode(d, m, &hints_4byte);
    g_assert_nonnull(msg->error);
    g_byte_array_free(m, TRUE);

    /* A plain NLRI is not mistaken for ADD-PATH. */
    g_byte_array_set_size(n, 0);
    put_prefix4(n, 10, 1, 0, 0, 16);
    put_prefix4(n, 10, 2, 0, 0, 16);
    m = update_new(NULL, a, n);
    msg = decode(d, m, NULL);
    g_assert_null(msg->error);
    g_assert_cmpuint(msg->u.update.n_announced, ==, 2);
    assert_prefix(&msg->u.update.announced[1], "10.2.0.0/16");
    g_byte_array_free(m, TRUE);
    g_byte_array_free(n, TRUE);
    g_byte_array_free(w, TRUE);
    g_byte_array_free(a, TRUE);
    erdiag_bgp_decoded_free(d);
}

static void test_update_lying_lengths(void)
{
    erdiag_bgp_decoded *d = erdiag_bgp_decoded_new();
    GByteArray *w = g_byte_array_new(), *a = g_byte_array_new(), *n = g_byte_array_new();
    put_prefix4(w, 10, 0, 0, 0, 8);
    put_attr(a, 0x40, 1, (const guint8 *)"\x00", 1);
    put_attr(a, 0x40, 3, (const guint8 *)"\x0a\x00\x00\x01", 4);
    put_prefix4(n, 10, 1, 0, 0, 16);
    GByteArray *m = update_new(w, a, n);
    const guint wlen_at = 19, alen_at = 19 + 2 + 2, first_attr_len_at = alen_at + 2 + 2;
    g_assert_null(decode(d, m, &hints_4byte)->error);

    set16(m, wlen_at, 40);
    assert_error_contains(decode(d, m, &hints_4byte), "withdrawn routes length 40 exceeds");
    set16(m, wlen_at, 2);

    set16(m, alen_at, 40);
    assert_error_contains(decode(d, m, &hints_4byte), "path attribute length 40 exceeds");
    set16(m, alen_at, a->len);

    /* An attribute overrunning the list: the NLRI field is still found by
     * the list's length, so its routes are withdrawn (RFC 7606 4). */
    m->data[first_attr_len_at] = 30;
    assert_update_error(decode(d, m, &hints_4byte), 1, WITHDRAW, "ORIGIN (type 1) length 30 exceeds");
    m->data[first_attr_len_at] = 2;
    assert_update_error(decode(d, m, &hints_4byte), 1, WITHDRAW, "ORIGIN length 2, expected 1");
    m->data[first_attr_len_at] = 1;

    /* NLRI prefix longer than 32, then bytes beyond the field. */
    m->data[m->len - 3] = 33;
    assert_error_contains(decode(d, m, &hints_4byte), "NLRI: prefix length 33 exceeds 32");
    m->data[m->len - 3] = 32;
    assert_error_contains(decode(d, m, &hints_4byte), "NLRI: /32 prefix needs 4 bytes, 2 left");
    m->data[m->len - 3] = 16;

    /* Withdrawn prefix running past the withdrawn field into the next one. */
    m->data[wlen_at + 2] = 24;
    assert_error_contains(decode(d, m, &hints_4byte), "withdrawn routes: /24 prefix needs 3 bytes");
    m->data[wlen_at + 2] = 8;

    /* Truncated: the header promises more than the buffer holds. */
    const erdiag_bgp_msg *msg = erdiag_bgp_decode(d, m->data, m->len - 1, &hints_4byte);
    assert_error_contains(msg, "UPDATE: truncated");
    g_byte_array_free(m, TRUE);

    /* Community and large community sizes. */
    g_byte_array_set_size(a, 0);
    put_attr(a, 0xc0, 8, (const guint8 *)"\x00\x01\x00", 3);
    m = update_new(NULL, a, NULL);
    assert_update_error(decode(d, m, &hints_4byte), 8, WITHDRAW, "COMMUNITIES length 3");
    g_byte_array_free(m, TRUE);
    g_byte_array_set_size(a, 0);
    put_attr(a, 0xc0, 32, (const guint8 *)"\x00\x01\x00\x00\x00\x01\x00\x00", 8);
    m = update_new(NULL, a, NULL);
    assert_update_error(decode(d, m, &hints_4byte), 32, WITHDRAW, "LARGE_COMMUNITY length 8");
    g_byte_array_free(m, TRUE);

    /* Attribute header cut short at the end of the attributes. */
    g_byte_array_set_size(a, 0);
    put8(a, 0x40); put8(a, 1);
    m = update_new(NULL, a, NULL);
    /* ... and with no NLRI field, an MP_REACH_NLRI may hide in the broken
     * part: session reset. */
    assert_update_error(decode(d, m, &hints_4byte), 0, RESET, "attribute header truncated");
    g_byte_array_free(m, TRUE);
    g_byte_array_free(w, TRUE);
    g_byte_array_free(a, TRUE);
    g_byte_array_free(n, TRUE);
    erdiag_bgp_decoded_free(d);
}

/* ---- NOTIFICATION, ROUTE-REFRESH ---- */

static GByteArray *notification_new(guint8 code, guint8 subcode, const guint8 *data, guint len)
{
    GByteArray *m = msg_new(ERDIAG_BGP_NOTIFICATION);
    put8(m, code);
    put8(m, subcode);
    if (len)
        g_byte_array_append(m, data, len);
    msg_done(m);
    return m;
}

/* ---- RFC 7606 actions ---- */

/* ORIGIN, AS_PATH (one 2- or 4-byte ASN 65010), NEXT_HOP, then extra. */
static GByteArray *base_attrs(gboolean as4, const GByteArray *extra)
{
    GByteArray *a = g_byte_array_new();
    put_attr(a, 0x40, 1, (const guint8 *)"\x00", 1);
    if (as4)
        put_attr(a, 0x40, 2, (const guint8 *)"\x02\x01\x00\x00\xfd\xf2", 6);
    else
        put_attr(a, 0x40, 2, (const guint8 *)"\x02\x01\xfd\xf2", 4);
    put_attr(a, 0x40, 3, (const guint8 *)"\x0a\x00\x00\x01", 4);
    if (extra)
        g_byte_array_append(a, extra->data, extra->len);
    return a;
}

static const erdiag_bgp_msg *decode_with(erdiag_bgp_decoded *d, gboolean as4, const GByteArray *extra,
                                         const erdiag_bgp_session_hints *h)
{
    GByteArray *a = base_attrs(as4, extra), *n = g_byte_array_new();
    put_prefix4(n, 10, 1, 0, 0, 16);
    GByteArray *m = update_new(NULL, a, n);
    g_byte_array_free(a, TRUE);
    g_byte_array_free(n, TRUE);
    /* the decoded UPDATE points into d only, never into the bytes */
    const erdiag_bgp_msg *msg = decode(d, m, h);
    g_byte_array_free(m, TRUE);
    return msg;
}

static void test_rfc7606_actions(void)
{
    erdiag_bgp_decoded *d = erdiag_bgp_decoded_new();
    GByteArray *x = g_byte_array_new();

    /* No problem: no error, action none. */
    const erdiag_bgp_msg *msg = decode_with(d, FALSE, NULL, &hints_2byte);
    g_assert_null(msg->error);
    g_assert_cmpuint(msg->u.update.n_errors, ==, 0);
    g_assert_cmpuint(msg->u.update.action, ==, ERDIAG_BGP_ERR_NONE);

    /* RFC 6793 6: a zero-length AS4_PATH segment from a 2-byte speaker
     * discards AS4_PATH; AS_PATH alone is the path. */
    put_attr(x, 0xc0, 17, (const guint8 *)"\x02\x00", 2);
    msg = decode_with(d, FALSE, x, &hints_2byte);
    assert_update_error(msg, 17, DISCARD, "AS4_PATH: zero-length segment");
    g_assert_cmpstr(msg->u.update.as_path, ==, "65010");
    g_assert_cmpuint(msg->u.update.n_announced, ==, 1);
    /* ... and AS4_PATH with a confederation segment too */
    g_byte_array_set_size(x, 0);
    put_attr(x, 0xc0, 17, (const guint8 *)"\x03\x01\x00\x00\xfd\xf2", 6);
    assert_update_error(decode_with(d, FALSE, x, &hints_2byte), 17, DISCARD, "confederation");

    /* 3(g): a repeated attribute: the first counts, the rest discarded. */
    g_byte_array_set_size(x, 0);
    put_attr(x, 0x40, 1, (const guint8 *)"\x02", 1);
    msg = decode_with(d, TRUE, x, &hints_4byte);
    assert_update_error(msg, 1, DISCARD, "ORIGIN (type 1) appears more than once");
    g_assert_cmpuint(msg->u.update.origin, ==, 0);

    /* 7.6 / RFC 6793 6: ATOMIC_AGGREGATE and AS4_AGGREGATOR lengths. */
    g_byte_array_set_size(x, 0);
    put_attr(x, 0x40, 6, (const guint8 *)"\x01", 1);
    put_attr(x, 0xc0, 18, (const guint8 *)"\x00\x01", 2);
    msg = decode_with(d, TRUE, x, &hints_4byte);
    assert_update_error(msg, 6, DISCARD, "ATOMIC_AGGREGATE length 1, expected 0");
    assert_update_error(msg, 18, DISCARD, "AS4_AGGREGATOR length 2, expected 8");
    g_assert_false(msg->u.update.atomic_aggregate);
    g_assert_cmpuint(msg->u.update.action, ==, DISCARD);

    /* 7.4 / 7.5: MED and LOCAL_PREF lengths: treat-as-withdraw. */
    g_byte_array_set_size(x, 0);
    put_attr(x, 0x80, 4, (const guint8 *)"\x00\x01", 2);
    msg = decode_with(d, TRUE, x, &hints_4byte);
    assert_update_error(msg, 4, WITHDRAW, "MULTI_EXIT_DISC length 2, expected 4");
    g_assert_false(msg->u.update.has_med);

    /* 3(c): flags in conflict. MP_UNREACH's prefixes are still read: they
     * are what a receiver withdraws. */
    g_byte_array_set_size(x, 0);
    put_attr(x, 0xc0, 15, (const guint8 *)"\x00\x01\x01\x10\x0a\x02", 6);
    msg = decode_with(d, TRUE, x, &hints_4byte);
    assert_update_error(msg, 15, WITHDRAW, "MP_UNREACH_NLRI flags 0xc0, expected optional non-transitive");
    g_assert_cmpuint(msg->u.update.n_withdrawn, ==, 1);
    assert_prefix(&msg->u.update.withdrawn[0], "10.2.0.0/16");

    /* 3(d): well-known mandatory attributes missing with NLRI; none needed
     * for withdrawals only. */
    GByteArray *n = g_byte_array_new();
    put_prefix4(n, 10, 1, 0, 0, 16);
    GByteArray *m = update_new(NULL, NULL, n);
    msg = decode(d, m, &hints_4byte);
    assert_update_error(msg, 1, WITHDRAW, "ORIGIN missing");
    assert_update_error(msg, 2, WITHDRAW, "AS_PATH missing");
    assert_update_error(msg, 3, WITHDRAW, "NEXT_HOP missing");
    g_byte_array_free(m, TRUE);
    m = update_new(n, NULL, NULL);
    msg = decode(d, m, &hints_4byte);
    g_assert_cmpuint(msg->u.update.n_errors, ==, 0);
    g_byte_array_free(m, TRUE);
    g_byte_array_free(n, TRUE);

    /* More problems than the list holds: the first ones are kept. */
    g_byte_array_set_size(x, 0);
    for (int i = 0; i < 12; i++)
        put_attr(x, 0x40, 1, (const guint8 *)"\x00", 1);
    msg = decode_with(d, TRUE, x, &hints_4byte);
    g_assert_cmpuint(msg->u.update.n_errors, ==, ERDIAG_BGP_MAX_UPDATE_ERRORS);

    g_byte_array_free(x, TRUE);
    erdiag_bgp_decoded_free(d);
}

/* ---- address families counted, not analysed ---- */

static void test_other_afi(void)
{
    erdiag_bgp_decoded *d = erdiag_bgp_decoded_new();
    GByteArray *x = g_byte_array_new(), *mp = g_byte_array_new();
    /* Labeled unicast as in bgp-lu-multiple-labels.pcap (tshark: "Label
     * Stack=100,101,102,103 (bottom) IPv4=30.1.1.1/32", prefix length 128). */
    put16(mp, 1); put8(mp, 4); put8(mp, 4);
    g_byte_array_append(mp, (const guint8 *)"\x0a\x00\x00\x01", 4);
    put8(mp, 0);
    put8(mp, 128);
    g_byte_array_append(mp, (const guint8 *)"\x00\x06\x40\x00\x06\x50\x00\x06\x60\x00\x06\x71\x1e\x01\x01\x01", 16);
    put_attr(x, 0x80, 14, mp->data, mp->len);
    /* RT constraint withdrawals as in bgp-rt-prefix.pcap frame 9 and 11
     * (48 and 83 bits). */
    put_attr(x, 0x80, 15, (const guint8 *)"\x00\x01\x84\x30\x00\x00\x00\x17\x01\x02"
                                          "\x53\x00\x00\x00\x17\x01\x02\x01\x02\x03\x04\xe0", 22);
    const erdiag_bgp_msg *msg = decode_with(d, TRUE, x, &hints_4byte);
    const erdiag_bgp_update *u = &msg->u.update;
    g_assert_null(msg->error);
    g_assert_cmpuint(u->n_errors, ==, 0);
    g_assert_cmpuint(u->n_announced, ==, 1); /* only the NLRI field's 10.1.0.0/16 */
    g_assert_cmpuint(u->n_other_afi, ==, 2);
    g_assert_cmpuint(u->other_afi[0].afi, ==, 1);
    g_assert_cmpuint(u->other_afi[0].safi, ==, 4);
    g_assert_cmpuint(u->other_afi[0].announced, ==, 1);
    g_assert_cmpuint(u->other_afi[1].safi, ==, 132);
    g_assert_cmpuint(u->other_afi[1].withdrawn, ==, 2);

    /* Flowspec (1-byte length) and EVPN (type, length), each twice. */
    g_byte_array_set_size(x, 0);
    put_attr(x, 0x80, 14, (const guint8 *)"\x00\x01\x85\x00\x00" "\x03\x01\x18\x0a" "\x03\x03\x81\x06", 13);
    put_attr(x, 0x80, 15, (const guint8 *)"\x00\x19\x46" "\x03\x02\xaa\xbb" "\x01\x00", 9);
    msg = decode_with(d, TRUE, x, &hints_4byte);
    u = &msg->u.update;
    g_assert_cmpuint(u->n_other_afi, ==, 2);
    g_assert_cmpuint(u->other_afi[0].safi, ==, 133);
    g_assert_cmpuint(u->other_afi[0].announced, ==, 2);
    g_assert_cmpuint(u->other_afi[1].afi, ==, 25);
    g_assert_cmpuint(u->other_afi[1].withdrawn, ==, 2);

    char buf[64];
    g_assert_cmpstr(erdiag_bgp_afi_safi_text(1, 4, buf, sizeof buf), ==, "IPv4 labeled unicast (AFI 1/SAFI 4)");
    g_assert_cmpstr(erdiag_bgp_afi_safi_text(25, 70, buf, sizeof buf), ==, "L2VPN EVPN (AFI 25/SAFI 70)");
    g_byte_array_free(x, TRUE);
    g_byte_array_free(mp, TRUE);
    erdiag_bgp_decoded_free(d);
}

/* ---- BGPsec_PATH ---- */

static void test_bgpsec_path(void)
{
    erdiag_bgp_decoded *d = erdiag_bgp_decoded_new();
    /* As bgp-bgpsec.pcap's first UPDATE (tshark: Secure Path length 8, one
     * segment pCount 1, AS 2), then a longer one with prepending. */
    GByteArray *a = g_byte_array_new(), *v = g_byte_array_new();
    put_attr(a, 0x40, 1, (const guint8 *)"\x00", 1);
    put_attr(a, 0x40, 3, (const guint8 *)"\xac\x12\x00\x03", 4);
    put16(v, 8); put8(v, 1); put8(v, 0); put32(v, 2);
    put16(v, 4); put8(v, 1); put8(v, 0); /* a signature block, not checked */
    put_attr(a, 0x90, 33, v->data, v->len);
    GByteArray *n = g_byte_array_new();
    put_prefix4(n, 10, 2, 0, 0, 16);
    GByteArray *m = update_new(NULL, a, n);
    const erdiag_bgp_msg *msg = decode(d, m, &hints_4byte);
    g_assert_null(msg->error);
    g_assert_cmpuint(msg->u.update.n_errors, ==, 0);
    g_assert_true(msg->u.update.bgpsec);
    g_assert_true(msg->u.update.has_as_path);
    g_assert_cmpstr(msg->u.update.as_path, ==, "2");
    g_byte_array_free(m, TRUE);

    g_byte_array_set_size(v, 0);
    put16(v, 20); put8(v, 2); put8(v, 0); put32(v, 65001); put8(v, 0); put8(v, 0); put32(v, 7);
    put8(v, 1); put8(v, 0); put32(v, 2);
    g_byte_array_set_size(a, 0);
    put_attr(a, 0x40, 1, (const guint8 *)"\x00", 1);
    put_attr(a, 0x40, 3, (const guint8 *)"\xac\x12\x00\x03", 4);
    put_attr(a, 0x90, 33, v->data, v->len);
    m = update_new(NULL, a, n);
    msg = decode(d, m, &hints_4byte);
    g_assert_cmpstr(msg->u.update.as_path, ==, "65001 65001 2"); /* pCount 0: a route server */
    g_assert_cmpuint(msg->u.update.as_path_length, ==, 3);
    g_byte_array_free(m, TRUE);

    /* A Secure_Path length that is not 2 + 6 k: treat-as-withdraw. */
    v->data[1] = 9;
    g_byte_array_set_size(a, 0);
    put_attr(a, 0x40, 1, (const guint8 *)"\x00", 1);
    put_attr(a, 0x40, 3, (const guint8 *)"\xac\x12\x00\x03", 4);
    put_attr(a, 0x90, 33, v->data, v->len);
    m = update_new(NULL, a, n);
    msg = decode(d, m, &hints_4byte);
    assert_update_error(msg, 33, WITHDRAW, "Secure_Path length 9");
    g_assert_false(msg->u.update.has_as_path);
    g_byte_array_free(m, TRUE);
    g_byte_array_free(n, TRUE);
    g_byte_array_free(a, TRUE);
    g_byte_array_free(v, TRUE);
    erdiag_bgp_decoded_free(d);
}

/* ---- NOTIFICATION data as Wireshark shows it ---- */

static void assert_notification_text(erdiag_bgp_decoded *d, guint code, guint sub, const char *data,
                                     guint len, const char *expected)
{
    GByteArray *m = notification_new(code, sub, (const guint8 *)data, len);
    const erdiag_bgp_msg *msg = decode(d, m, NULL);
    g_assert_null(msg->error);
    g_assert_cmpstr(msg->u.notification.data_text, ==, expected);
    g_byte_array_free(m, TRUE);
}

static void test_notification_data(void)
{
    erdiag_bgp_decoded *d = erdiag_bgp_decoded_new();
    assert_notification_text(d, 1, 2, "\x10\x01", 2, "bad length 4097");
    assert_notification_text(d, 1, 3, "\x07", 1, "bad type 7");
    assert_notification_text(d, 2, 1, "\x00\x04", 2, "supported version 4");
    assert_notification_text(d, 2, 2, "\xfd\xe9", 2, "peer AS 65001");
    assert_notification_text(d, 2, 2, "\xfa\x56\xea\x00", 4, "peer AS 4200000000");
    assert_notification_text(d, 2, 3, "\x0a\x00\x00\x01", 4, "BGP identifier 10.0.0.1");
    assert_notification_text(d, 2, 7, "\x41\x04\x00\x00\xfd\xe9\x45\x00", 8,
                             "unsupported capability 65 (4-octet AS Number), capability 69 (ADD-PATH)");
    assert_notification_text(d, 3, 3, "\x03", 1, "missing NEXT_HOP (type 3)");
    assert_notification_text(d, 3, 6, "\x40\x01\x01\x07", 4, "attribute ORIGIN (type 1, flags 0x40)");
    assert_notification_text(d, 6, 1, "\x00\x01\x01\x00\x00\x00\x64", 7,
                             "IPv4 unicast (AFI 1/SAFI 1), limit 100 prefixes");
    /* Data other than the error defines: no text (shown raw). */
    assert_notification_text(d, 2, 2, "\x01\x02\x03", 3, NULL);
    assert_notification_text(d, 4, 0, "\x01", 1, NULL);

    /* RFC 8538 Hard Reset as bgp-cease-hard-reset.pcap (data 0603: Cease /
     * Peer De-configured), and wrapping a shutdown communication. */
    GByteArray *m = notification_new(6, 9, (const guint8 *)"\x06\x03", 2);
    const erdiag_bgp_msg *msg = decode(d, m, NULL);
    g_assert_null(msg->error);
    g_assert_true(msg->u.notification.hard_reset);
    g_assert_cmpuint(msg->u.notification.inner_code, ==, 6);
    g_assert_cmpuint(msg->u.notification.inner_subcode, ==, 3);
    g_assert_cmpstr(msg->u.notification.data_text, ==, "wrapping Cease / Peer De-configured (6/3)");
    g_byte_array_free(m, TRUE);
    m = notification_new(6, 9, (const guint8 *)"\x06\x02\x03off", 6);
    msg = decode(d, m, NULL);
    g_assert_cmpstr(msg->u.notification.data_text, ==, "wrapping Cease / Administrative Shutdown (6/2)");
    g_assert_cmpstr(msg->u.notification.shutdown_text, ==, "off");
    g_byte_array_free(m, TRUE);
    m = notification_new(6, 9, (const guint8 *)"\x02\x02\xfd\xe9", 4);
    msg = decode(d, m, NULL);
    g_assert_cmpstr(msg->u.notification.data_text, ==,
                    "wrapping OPEN Message Error / Bad Peer AS (2/2): peer AS 65001");
    g_byte_array_free(m, TRUE);
    /* bgp-malformed-hard-reset.pcap: Hard Reset with no data. */
    m = notification_new(6, 9, NULL, 0);
    msg = decode(d, m, NULL);
    assert_error_contains(msg, "Hard Reset without the error it wraps");
    g_assert_false(msg->u.notification.hard_reset);
    g_byte_array_free(m, TRUE);
    erdiag_bgp_decoded_free(d);
}

static void test_notification(void)
{
    erdiag_bgp_decoded *d = erdiag_bgp_decoded_new();
    GByteArray *m = notification_new(2, 2, (const guint8 *)"\xfd\xe9", 2); /* bad peer AS */
    const erdiag_bgp_msg *msg = decode(d, m, NULL);
    g_assert_null(msg->error);
    g_assert_cmpuint(msg->u.notification.code, ==, 2);
    g_assert_cmpuint(msg->u.notification.subcode, ==, 2);
    g_assert_cmpmem(msg->u.notification.data, msg->u.notification.data_len, "\xfd\xe9", 2);
    g_assert_null(msg->u.notification.shutdown_text);
    g_byte_array_free(m, TRUE);

    m = notification_new(4, 0, NULL, 0);
    msg = decode(d, m, NULL);
    g_assert_null(msg->error);
    g_assert_cmpuint(msg->u.notification.code, ==, 4);
    g_assert_cmpuint(msg->u.notification.data_len, ==, 0);
    g_byte_array_free(m, TRUE);

    /* Too short: 20 bytes. */
    m = msg_new(ERDIAG_BGP_NOTIFICATION);
    put8(m, 6);
    msg_done(m);
    assert_error_contains(decode(d, m, NULL), "NOTIFICATION: length 20 below the minimum 21");
    g_byte_array_free(m, TRUE);
    erdiag_bgp_decoded_free(d);
}

static void test_shutdown_communication(void)
{
    erdiag_bgp_decoded *d = erdiag_bgp_decoded_new();
    const char *text = "maintenance \xe2\x80\x94 ticket 42";
    GByteArray *data = g_byte_array_new();
    put8(data, (guint)strlen(text));
    g_byte_array_append(data, (const guint8 *)text, (guint)strlen(text));
    GByteArray *m = notification_new(6, 2, data->data, data->len);
    const erdiag_bgp_msg *msg = decode(d, m, NULL);
    g_assert_null(msg->error);
    g_assert_cmpstr(msg->u.notification.shutdown_text, ==, text);
    g_byte_array_free(m, TRUE);

    /* Control characters, an escape sequence, a bidi override, invalid UTF-8. */
    static const guint8 nasty[] = "\x1b[2Jgone\r\n\xe2\x80\xae" "evil\xff\xc3";
    g_byte_array_set_size(data, 0);
    put8(data, sizeof nasty - 1);
    g_byte_array_append(data, nasty, sizeof nasty - 1);
    m = notification_new(6, 4, data->data, data->len);
    msg = decode(d, m, NULL);
    g_assert_null(msg->error);
    g_assert_cmpstr(msg->u.notification.shutdown_text, ==,
                    "?[2Jgone???evil\xef\xbf\xbd\xef\xbf\xbd");
    g_assert_true(g_utf8_validate(msg->u.notification.shutdown_text, -1, NULL));
    g_byte_array_free(m, TRUE);

    /* The length byte lies. */
    g_byte_array_set_size(data, 0);
    put8(data, 100);
    g_byte_array_append(data, (const guint8 *)"short", 5);
    m = notification_new(6, 2, data->data, data->len);
    msg = decode(d, m, NULL);
    assert_error_contains(msg, "shutdown communication length 100 exceeds 5 bytes left");
    g_assert_null(msg->u.notification.shutdown_text);
    g_assert_cmpuint(msg->u.notification.subcode, ==, 2);
    g_byte_array_free(m, TRUE);

    /* Subcode 2 with no data at all (pre-RFC 8203 speakers): fine, no text. */
    m = notification_new(6, 2, NULL, 0);
    msg = decode(d, m, NULL);
    g_assert_null(msg->error);
    g_assert_null(msg->u.notification.shutdown_text);
    g_byte_array_free(m, TRUE);

    /* Other Cease subcodes carry no text even if the bytes look like one. */
    m = notification_new(6, 3, (const guint8 *)"\x02hi", 3);
    msg = decode(d, m, NULL);
    g_assert_null(msg->u.notification.shutdown_text);
    g_byte_array_free(m, TRUE);
    g_byte_array_free(data, TRUE);
    erdiag_bgp_decoded_free(d);
}

static void test_route_refresh(void)
{
    erdiag_bgp_decoded *d = erdiag_bgp_decoded_new();
    GByteArray *m = msg_new(ERDIAG_BGP_ROUTE_REFRESH);
    put16(m, 2); put8(m, 1); put8(m, 1);
    msg_done(m);
    const erdiag_bgp_msg *msg = decode(d, m, NULL);
    g_assert_null(msg->error);
    g_assert_cmpuint(msg->u.route_refresh.afi, ==, 2);
    g_assert_cmpuint(msg->u.route_refresh.subtype, ==, 1);
    g_assert_cmpuint(msg->u.route_refresh.safi, ==, 1);
    g_byte_array_set_size(m, 22);
    msg_done(m);
    assert_error_contains(decode(d, m, NULL), "ROUTE-REFRESH: length 22 below the minimum 23");
    g_byte_array_free(m, TRUE);
    erdiag_bgp_decoded_free(d);
}

/* ---- size extremes ---- */

/* 65535 bytes: accepted with extended messages, refused without. */
static void test_extended_message(void)
{
    erdiag_bgp_decoded *d = erdiag_bgp_decoded_new();
    GByteArray *a = g_byte_array_new(), *n = g_byte_array_new();
    put_attr(a, 0x40, 1, (const guint8 *)"\x00", 1);
    put_attr(a, 0x40, 2, NULL, 0);
    put_attr(a, 0x40, 3, (const guint8 *)"\x0a\x00\x00\x01", 4);
    guint nlri_len = 65535 - 19 - 4 - a->len;
    guint count = 0;
    while (n->len + 4 <= nlri_len) {
        put_prefix4(n, 10, (guint8)(count >> 8), (guint8)count, 0, 24);
        count++;
    }
    while (n->len < nlri_len)
        put_prefix4(n, 0, 0, 0, 0, 0);
    GByteArray *m = update_new(NULL, a, n);
    g_assert_cmpuint(m->len, ==, 65535);
    erdiag_bgp_session_hints ext = hints_4byte;
    ext.extended_message = TRUE;
    const erdiag_bgp_msg *msg = decode(d, m, &ext);
    g_assert_null(msg->error);
    g_assert_cmpuint(msg->length, ==, 65535);
    g_assert_cmpuint(msg->u.update.n_announced, >=, count);
    char *last = g_strdup_printf("10.%u.%u.0/24", (count - 1) >> 8, (count - 1) & 0xff);
    assert_prefix(&msg->u.update.announced[count - 1], last);
    g_free(last);

    msg = decode(d, m, &hints_4byte);
    assert_error_contains(msg, "length 65535 outside 19..4096");
    /* Mid-session capture: nothing known, accepted. */
    g_assert_null(decode(d, m, NULL)->error);
    g_byte_array_free(m, TRUE);
    g_byte_array_free(a, TRUE);
    g_byte_array_free(n, TRUE);
    erdiag_bgp_decoded_free(d);
}

/* ~65000 prefixes: a /0 is one byte, so a 65535-byte UPDATE of /0 and /8
 * withdrawals and announcements is about as many prefixes as fit. */
static void test_many_prefixes(void)
{
    erdiag_bgp_decoded *d = erdiag_bgp_decoded_new();
    GByteArray *w = g_byte_array_new(), *a = g_byte_array_new(), *n = g_byte_array_new();
    for (guint i = 0; i < 20000; i++)
        put_prefix4(w, (guint8)(i % 224), 0, 0, 0, 8);
    put_attr(a, 0x40, 1, (const guint8 *)"\x00", 1);
    put_attr(a, 0x40, 2, NULL, 0);
    put_attr(a, 0x40, 3, (const guint8 *)"\x0a\x00\x00\x01", 4);
    guint nlri_len = 65535 - 19 - 4 - w->len - a->len;
    for (guint i = 0; i < nlri_len; i++)
        put_prefix4(n, 0, 0, 0, 0, 0);
    GByteArray *m = update_new(w, a, n);
    g_assert_cmpuint(m->len, ==, 65535);
    erdiag_bgp_session_hints ext = hints_4byte;
    ext.extended_message = TRUE;
    gint64 t0 = g_get_monotonic_time();
    for (int round = 0; round < 5; round++) {
        const erdiag_bgp_msg *msg = decode(d, m, &ext);
        g_assert_null(msg->error);
        g_assert_cmpuint(msg->u.update.n_withdrawn, ==, 20000);
        g_assert_cmpuint(msg->u.update.n_announced, ==, nlri_len);
        g_assert_cmpuint(msg->u.update.n_withdrawn + msg->u.update.n_announced, >, 44000);
        assert_prefix(&msg->u.update.withdrawn[19999], "63.0.0.0/8"); /* 19999 % 224 */
    }
    /* Generous bound: linear work, even under sanitizers. */
    g_assert_cmpint(g_get_monotonic_time() - t0, <, 5 * G_USEC_PER_SEC);
    g_byte_array_free(m, TRUE);
    g_byte_array_free(w, TRUE);
    g_byte_array_free(a, TRUE);
    g_byte_array_free(n, TRUE);
    erdiag_bgp_decoded_free(d);
}

/* Thousands of one-ASN segments in one extended-length AS_PATH. */
static void test_as_path_many_segments(void)
{
    erdiag_bgp_decoded *d = erdiag_bgp_decoded_new();
    GByteArray *p = g_byte_array_new();
    guint segments = 0;
    while (p->len + 6 <= 60000) {
        put8(p, segments % 2 ? ERDIAG_AS_SET : ERDIAG_AS_SEQUENCE);
        put8(p, 1);
        put32(p, 64512 + segments % 1000);
        segments++;
    }
    GByteArray *a = g_byte_array_new();
    put_attr(a, 0x50, 2, p->data, p->len);
    GByteArray *m = update_new(NULL, a, NULL);
    erdiag_bgp_session_hints ext = hints_4byte;
    ext.extended_message = TRUE;
    gint64 t0 = g_get_monotonic_time();
    const erdiag_bgp_msg *msg = decode(d, m, &ext);
    g_assert_null(msg->error);
    g_assert_cmpuint(segments, ==, 10000);
    g_assert_cmpuint(msg->u.update.as_path_length, ==, segments);
    g_assert_true(g_str_has_prefix(msg->u.update.as_path, "64512 {64513} 64514 {64515}"));
    /* Auto-detection walks the path twice at most: still linear. */
    msg = decode(d, m, NULL);
    g_assert_null(msg->error);
    g_assert_cmpint(g_get_monotonic_time() - t0, <, 5 * G_USEC_PER_SEC);
    g_byte_array_free(m, TRUE);
    g_byte_array_free(a, TRUE);
    g_byte_array_free(p, TRUE);
    erdiag_bgp_decoded_free(d);
}

static guint8 *dup_bytes(const guint8 *b, guint len)
{
    guint8 *copy = g_malloc(MAX(len, 1));
    memcpy(copy, b, len);
    return copy;
}

/* Every prefix of every valid message, and random bit flips in it: the
 * decoder reads only the bytes it is given and always returns. Run under
 * AddressSanitizer, an overread fails the test. */
static void test_truncations_and_mutations(void)
{
    erdiag_bgp_decoded *d = erdiag_bgp_decoded_new();
    GPtrArray *samples = g_ptr_array_new_with_free_func((GDestroyNotify)g_byte_array_unref);
    GByteArray *caps = typical_caps();
    g_ptr_array_add(samples, open_new(ERDIAG_BGP_AS_TRANS, 180, 1, caps));
    GByteArray *a = g_byte_array_new(), *n = g_byte_array_new(), *mp = g_byte_array_new();
    put_attr(a, 0x40, 1, (const guint8 *)"\x00", 1);
    put_attr(a, 0x40, 2, (const guint8 *)"\x02\x02\xfd\xea\xfd\xea\x01\x02\xfd\xe9\xfd\xeb", 12);
    put_attr(a, 0xc0, 17, (const guint8 *)"\x02\x01\xfa\x56\xea\x00", 6);
    put_attr(a, 0x40, 3, (const guint8 *)"\xc0\xa8\x0f\x12", 4);
    put_attr(a, 0xc0, 8, (const guint8 *)"\x2f\x2c\x00\x01", 4);
    put16(mp, 2); put8(mp, 1); put8(mp, 16);
    for (int i = 0; i < 16; i++)
        put8(mp, i);
    put8(mp, 0); put8(mp, 64); put32(mp, 0x20010db8); put32(mp, 1);
    put_attr(a, 0x80, 14, mp->data, mp->len);
    put_attr(a, 0x80, 15, (const guint8 *)"\x00\x02\x01\x20\x20\x01\x0d\xb8", 8);
    put_prefix4(n, 10, 1, 0, 0, 16);
    g_ptr_array_add(samples, update_new(n, a, n));
    g_ptr_array_add(samples, notification_new(6, 2, (const guint8 *)"\x03" "bye", 4));
    GRand *rand = g_rand_new_with_seed(4271);
    for (guint s = 0; s < samples->len; s++) {
        GByteArray *m = g_ptr_array_index(samples, s);
        g_assert_null(decode(d, m, NULL)->error);
        for (guint cut = 0; cut < m->len; cut++) {
            /* Truncated copies in their own allocation, so ASan sees overreads. */
            guint8 *copy = dup_bytes(m->data, cut);
            const erdiag_bgp_msg *msg = erdiag_bgp_decode(d, copy, cut, NULL);
            g_assert_nonnull(msg->error);
            g_free(copy);
        }
        for (int round = 0; round < 3000; round++) {
            guint8 *copy = dup_bytes(m->data, m->len);
            int flips = g_rand_int_range(rand, 1, 6);
            for (int f = 0; f < flips; f++) {
                guint at = (guint)g_rand_int_range(rand, 16, (gint32)m->len);
                copy[at] = (guint8)g_rand_int_range(rand, 0, 256);
            }
            erdiag_bgp_session_hints h = { g_rand_boolean(rand), g_rand_boolean(rand),
                                           g_rand_boolean(rand), g_rand_boolean(rand),
                                           g_rand_boolean(rand) };
            const erdiag_bgp_msg *msg = erdiag_bgp_decode(d, copy, m->len, &h);
            if (msg->error)
                g_assert_true(g_utf8_validate(msg->error, -1, NULL));
            if (msg->type == ERDIAG_BGP_NOTIFICATION && msg->u.notification.shutdown_text)
                g_assert_true(g_utf8_validate(msg->u.notification.shutdown_text, -1, NULL));
            g_free(copy);
        }
    }
    g_rand_free(rand);
    g_byte_array_free(a, TRUE);
    g_byte_array_free(n, TRUE);
    g_byte_array_free(mp, TRUE);
    g_byte_array_free(caps, TRUE);
    g_ptr_array_free(samples, TRUE);
    erdiag_bgp_decoded_free(d);
}

static void test_header_plausible(void)
{
    GByteArray *m = msg_new(ERDIAG_BGP_KEEPALIVE);
    msg_done(m);
    guint16 len = 0;
    g_assert_true(erdiag_bgp_header_plausible(m->data, m->len, 4096, &len));
    g_assert_cmpuint(len, ==, 19);
    m->data[18] = 0; /* type 0 */
    g_assert_false(erdiag_bgp_header_plausible(m->data, m->len, 4096, &len));
    m->data[18] = ERDIAG_BGP_UPDATE; /* UPDATE of 19 bytes: too short */
    g_assert_false(erdiag_bgp_header_plausible(m->data, m->len, 4096, &len));
    set16(m, 16, 5000);
    g_assert_false(erdiag_bgp_header_plausible(m->data, m->len, 4096, &len));
    g_assert_true(erdiag_bgp_header_plausible(m->data, m->len, 65535, &len));
    m->data[0] = 0xfe;
    g_assert_false(erdiag_bgp_header_plausible(m->data, m->len, 65535, &len));
    g_byte_array_free(m, TRUE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/bgp_decode/keepalive", test_keepalive);
    g_test_add_func("/bgp_decode/header_errors", test_header_errors);
    g_test_add_func("/bgp_decode/header_plausible", test_header_plausible);
    g_test_add_func("/bgp_decode/open", test_open);
    g_test_add_func("/bgp_decode/open_extended_params", test_open_extended_params);
    g_test_add_func("/bgp_decode/open_lying_lengths", test_open_lying_lengths);
    g_test_add_func("/bgp_decode/update_attributes", test_update_attributes);
    g_test_add_func("/bgp_decode/update_host_bits_ext_length",
                    test_update_host_bits_and_ext_length);
    g_test_add_func("/bgp_decode/as_path_segments", test_as_path_segments);
    g_test_add_func("/bgp_decode/as4_path_merge", test_as4_path_merge);
    g_test_add_func("/bgp_decode/as4_path_ignored_new_speakers",
                    test_as4_path_ignored_between_new_speakers);
    g_test_add_func("/bgp_decode/as_path_autodetect", test_as_path_autodetect);
    g_test_add_func("/bgp_decode/mp_reach_unreach", test_mp_reach_unreach);
    g_test_add_func("/bgp_decode/mp_reach_ipv4", test_mp_reach_ipv4);
    g_test_add_func("/bgp_decode/end_of_rib", test_end_of_rib);
    g_test_add_func("/bgp_decode/add_path", test_add_path);
    g_test_add_func("/bgp_decode/update_lying_lengths", test_update_lying_lengths);
    g_test_add_func("/bgp_decode/notification", test_notification);
    g_test_add_func("/bgp_decode/notification_data", test_notification_data);
    g_test_add_func("/bgp_decode/rfc7606_actions", test_rfc7606_actions);
    g_test_add_func("/bgp_decode/other_afi", test_other_afi);
    g_test_add_func("/bgp_decode/bgpsec_path", test_bgpsec_path);
    g_test_add_func("/bgp_decode/shutdown_communication", test_shutdown_communication);
    g_test_add_func("/bgp_decode/route_refresh", test_route_refresh);
    g_test_add_func("/bgp_decode/extended_message", test_extended_message);
    g_test_add_func("/bgp_decode/many_prefixes", test_many_prefixes);
    g_test_add_func("/bgp_decode/as_path_many_segments", test_as_path_many_segments);
    g_test_add_func("/bgp_decode/truncations_and_mutations", test_truncations_and_mutations);
    return g_test_run();
}
