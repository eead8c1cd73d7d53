/* IPv4/IPv6 addresses and prefixes: parsing, printing, ordering, arithmetic. */
#include "erdiag/addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

erdiag_addr erdiag_addr_v4(const guint8 b[4])
{
    erdiag_addr a;
    memset(&a, 0, sizeof a);
    a.family = 4;
    memcpy(a.bytes, b, 4);
    return a;
}

erdiag_addr erdiag_addr_v6(const guint8 b[16])
{
    erdiag_addr a;
    memset(&a, 0, sizeof a);
    a.family = 6;
    memcpy(a.bytes, b, 16);
    return a;
}

guint erdiag_addr_bits(const erdiag_addr *a)
{
    if (a == NULL)
        return 0;
    switch (a->family) {
    case 4: return 32;
    case 6: return 128;
    default: return 0;
    }
}

static guint addr_nbytes(const erdiag_addr *a)
{
    return erdiag_addr_bits(a) / 8;
}

gboolean erdiag_addr_parse(const char *text, erdiag_addr *out)
{
    guint8 buf[16];
    if (text == NULL || out == NULL)
        return FALSE;
    if (inet_pton(AF_INET, text, buf) == 1) {
        *out = erdiag_addr_v4(buf);
        return TRUE;
    }
    if (inet_pton(AF_INET6, text, buf) == 1) {
        *out = erdiag_addr_v6(buf);
        return TRUE;
    }
    return FALSE;
}

/* The decimal digits of n (below 1000) at p; returns the end. */
static char *put_decimal(char *p, guint n)
{
    if (n >= 100)
        *p++ = (char)('0' + n / 100);
    if (n >= 10)
        *p++ = (char)('0' + n / 10 % 10);
    *p++ = (char)('0' + n % 10);
    return p;
}

/* Dotted decimal, as inet_ntop() writes it: reports print tens of
 * thousands of routes, and inet_ntop() formats each byte with sprintf(). */
static void ipv4_to_string(const guint8 b[4], char *buf)
{
    char *p = buf;
    for (int i = 0; i < 4; i++) {
        if (i)
            *p++ = '.';
        p = put_decimal(p, b[i]);
    }
    *p = '\0';
}

const char *erdiag_addr_to_string(const erdiag_addr *a, char buf[ERDIAG_ADDR_STRLEN])
{
    const char *r = NULL;
    if (a != NULL && a->family == 4) {
        ipv4_to_string(a->bytes, buf);
        r = buf;
    } else if (a != NULL && a->family == 6)
        r = inet_ntop(AF_INET6, a->bytes, buf, ERDIAG_ADDR_STRLEN);
    if (r == NULL)
        g_strlcpy(buf, "-", ERDIAG_ADDR_STRLEN);
    return buf;
}

gboolean erdiag_addr_equal(const erdiag_addr *a, const erdiag_addr *b)
{
    return erdiag_addr_compare(a, b) == 0;
}

/* Orders by family (none < v4 < v6), then numerically. Bytes beyond the
 * family's width are ignored so stray garbage there cannot split equal
 * addresses. */
int erdiag_addr_compare(const erdiag_addr *a, const erdiag_addr *b)
{
    if (a->family != b->family)
        return a->family < b->family ? -1 : 1;
    int c = memcmp(a->bytes, b->bytes, addr_nbytes(a));
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

guint erdiag_addr_hash(const erdiag_addr *a)
{
    /* FNV-1a over the family and the significant bytes. */
    guint32 h = 2166136261u;
    h = (h ^ a->family) * 16777619u;
    for (guint i = 0; i < addr_nbytes(a); i++)
        h = (h ^ a->bytes[i]) * 16777619u;
    return h;
}

erdiag_addr erdiag_addr_add(const erdiag_addr *a, gint64 n)
{
    erdiag_addr r = *a;
    guint nb = addr_nbytes(a);
    if (nb == 0)
        return r;
    /* Two's-complement add of a sign-extended 64-bit value, byte by byte from
     * the least significant end; carries out of the top byte are dropped,
     * which is the wrap inside the family. For IPv4 only the low 32 bits of
     * n matter, which gives the same modular result. */
    guint64 un = (guint64)n;
    guint8 ext = n < 0 ? 0xff : 0x00;
    guint carry = 0;
    for (guint i = 0; i < nb; i++) {
        guint idx = nb - 1 - i;
        guint8 addend = i < 8 ? (guint8)(un >> (8 * i)) : ext;
        guint sum = (guint)r.bytes[idx] + addend + carry;
        r.bytes[idx] = (guint8)sum;
        carry = sum >> 8;
    }
    return r;
}

/* Clears every bit at position >= len (bit 0 being the top bit of byte 0). */
static void zero_host_bits(erdiag_addr *a, guint len)
{
    guint nb = addr_nbytes(a);
    for (guint i = 0; i < nb; i++) {
        guint first = i * 8;
        if (first >= len)
            a->bytes[i] = 0;
        else if (len - first < 8)
            a->bytes[i] &= (guint8)(0xff << (8 - (len - first)));
    }
    /* Bytes past the family width are kept zero so structs compare cleanly. */
    for (guint i = nb; i < sizeof a->bytes; i++)
        a->bytes[i] = 0;
}

erdiag_prefix erdiag_prefix_make(const erdiag_addr *a, guint len)
{
    erdiag_prefix p;
    memset(&p, 0, sizeof p);
    p.addr = *a;
    guint bits = erdiag_addr_bits(a);
    if (len > bits)
        len = bits;
    p.len = (guint8)len;
    zero_host_bits(&p.addr, len);
    return p;
}

gboolean erdiag_prefix_parse(const char *text, erdiag_prefix *out, gboolean *host_bits)
{
    if (host_bits != NULL)
        *host_bits = FALSE;
    if (text == NULL || out == NULL)
        return FALSE;
    const char *slash = strchr(text, '/');
    if (slash == NULL || slash == text || slash - text >= ERDIAG_ADDR_STRLEN)
        return FALSE;
    char addr_text[ERDIAG_ADDR_STRLEN];
    memcpy(addr_text, text, (size_t)(slash - text));
    addr_text[slash - text] = '\0';
    erdiag_addr a;
    if (!erdiag_addr_parse(addr_text, &a))
        return FALSE;

    /* Length: decimal digits only, no sign or spaces, at most 3 digits. */
    const char *l = slash + 1;
    size_t ndig = strlen(l);
    if (ndig == 0 || ndig > 3)
        return FALSE;
    guint len = 0;
    for (size_t i = 0; i < ndig; i++) {
        if (l[i] < '0' || l[i] > '9')
            return FALSE;
        len = len * 10 + (guint)(l[i] - '0');
    }
    if (len > erdiag_addr_bits(&a))
        return FALSE;

    erdiag_prefix p = erdiag_prefix_make(&a, len);
    if (!erdiag_addr_equal(&p.addr, &a)) {
        /* "10.0.0.1/30" is almost always a typo for the subnet or the host:
         * refuse it rather than guess which. */
        if (host_bits != NULL)
            *host_bits = TRUE;
        return FALSE;
    }
    *out = p;
    return TRUE;
}

const char *erdiag_prefix_to_string(const erdiag_prefix *p, char buf[ERDIAG_PREFIX_STRLEN])
{
    char a[ERDIAG_ADDR_STRLEN];
    if (p == NULL || erdiag_addr_bits(&p->addr) == 0) {
        g_strlcpy(buf, "-", ERDIAG_PREFIX_STRLEN);
        return buf;
    }
    /* "/len" by hand, not through snprintf(): see ipv4_to_string() */
    gsize n = strlen(erdiag_addr_to_string(&p->addr, a));
    memcpy(buf, a, n);
    buf[n] = '/';
    *put_decimal(buf + n + 1, p->len) = '\0';
    return buf;
}

gboolean erdiag_prefix_equal(const erdiag_prefix *a, const erdiag_prefix *b)
{
    return a->len == b->len && erdiag_addr_equal(&a->addr, &b->addr);
}

/* Family, then address, then length: a covering prefix sorts right before
 * the more specifics that start at the same address. */
int erdiag_prefix_compare(const erdiag_prefix *a, const erdiag_prefix *b)
{
    int c = erdiag_addr_compare(&a->addr, &b->addr);
    if (c != 0)
        return c;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    return 0;
}

guint erdiag_prefix_hash(const erdiag_prefix *p)
{
    return (erdiag_addr_hash(&p->addr) ^ p->len) * 16777619u;
}

/* TRUE when the first len bits of x and y agree. */
static gboolean same_leading_bits(const guint8 *x, const guint8 *y, guint len)
{
    guint full = len / 8;
    if (memcmp(x, y, full) != 0)
        return FALSE;
    guint rest = len % 8;
    if (rest == 0)
        return TRUE;
    guint8 mask = (guint8)(0xff << (8 - rest));
    return (x[full] & mask) == (y[full] & mask);
}

gboolean erdiag_prefix_contains_addr(const erdiag_prefix *p, const erdiag_addr *a)
{
    if (p->addr.family != a->family || erdiag_addr_bits(a) == 0 || p->len > erdiag_addr_bits(a))
        return FALSE;
    return same_leading_bits(p->addr.bytes, a->bytes, p->len);
}

gboolean erdiag_prefix_covers(const erdiag_prefix *outer, const erdiag_prefix *inner)
{
    if (outer->addr.family != inner->addr.family || erdiag_addr_bits(&outer->addr) == 0)
        return FALSE;
    if (outer->len > inner->len || inner->len > erdiag_addr_bits(&inner->addr))
        return FALSE;
    return same_leading_bits(outer->addr.bytes, inner->addr.bytes, outer->len);
}

gboolean erdiag_prefix_overlaps(const erdiag_prefix *a, const erdiag_prefix *b)
{
    return erdiag_prefix_covers(a, b) || erdiag_prefix_covers(b, a);
}

/* IANA's IPv4 and IPv6 special-purpose blocks that are not globally
 * reachable (RFC 6890 and its updates), with the documentation ranges
 * left out on purpose. Two leading bytes say each block (none is longer
 * than /16), so the table needs no parsing. */
static const struct {
    guint8 family, b0, b1, len;
    const char *name;
} private_blocks[] = {
    {4, 0, 0, 8, "0.0.0.0/8 (this network)"},
    {4, 10, 0, 8, "10.0.0.0/8 (RFC 1918)"},
    {4, 100, 64, 10, "100.64.0.0/10 (shared address space, RFC 6598)"},
    {4, 127, 0, 8, "127.0.0.0/8 (loopback)"},
    {4, 169, 254, 16, "169.254.0.0/16 (link local)"},
    {4, 172, 16, 12, "172.16.0.0/12 (RFC 1918)"},
    {4, 192, 168, 16, "192.168.0.0/16 (RFC 1918)"},
    {4, 198, 18, 15, "198.18.0.0/15 (benchmarking, RFC 2544)"},
    {4, 224, 0, 3, "224.0.0.0/3 (multicast and reserved)"},
    {6, 0x00, 0, 8, "::/8 (reserved)"},
    {6, 0xfc, 0, 7, "fc00::/7 (unique local, RFC 4193)"},
    {6, 0xfe, 0x80, 10, "fe80::/10 (link local)"},
    {6, 0xff, 0, 8, "ff00::/8 (multicast)"},
};

const char *erdiag_prefix_private_block(const erdiag_prefix *p)
{
    for (guint i = 0; p->len > 0 && i < G_N_ELEMENTS(private_blocks); i++) {
        if (private_blocks[i].family != p->addr.family)
            continue;
        erdiag_addr a = {.family = p->addr.family, .bytes = {private_blocks[i].b0, private_blocks[i].b1}};
        erdiag_prefix block = erdiag_prefix_make(&a, private_blocks[i].len);
        if (erdiag_prefix_overlaps(&block, p))
            return private_blocks[i].name;
    }
    return NULL;
}
