/* Addresses and prefixes shared by the decoders, the engine and the reports. */
#ifndef ERDIAG_ADDR_H
#define ERDIAG_ADDR_H

#include <glib.h>

G_BEGIN_DECLS

/* family is 4, 6, or 0 for "no address"; IPv4 lives in bytes[0..3]. */
typedef struct {
    guint8 family;
    guint8 bytes[16];
} erdiag_addr;

typedef struct {
    erdiag_addr addr; /* host bits are always zero */
    guint8 len;       /* 0..32 or 0..128 */
} erdiag_prefix;

#define ERDIAG_ADDR_STRLEN 48   /* fits an IPv6 address */
#define ERDIAG_PREFIX_STRLEN 56 /* address + "/128" */

erdiag_addr erdiag_addr_v4(const guint8 b[4]);
erdiag_addr erdiag_addr_v6(const guint8 b[16]);
gboolean erdiag_addr_parse(const char *text, erdiag_addr *out);
const char *erdiag_addr_to_string(const erdiag_addr *a, char buf[ERDIAG_ADDR_STRLEN]);
gboolean erdiag_addr_equal(const erdiag_addr *a, const erdiag_addr *b);
int erdiag_addr_compare(const erdiag_addr *a, const erdiag_addr *b);
guint erdiag_addr_hash(const erdiag_addr *a);
/* a + n, wrapping inside the address family (n may be negative). */
erdiag_addr erdiag_addr_add(const erdiag_addr *a, gint64 n);
guint erdiag_addr_bits(const erdiag_addr *a); /* 32, 128 or 0 */

/* Build a prefix from an address and a length, zeroing host bits. */
erdiag_prefix erdiag_prefix_make(const erdiag_addr *a, guint len);
/* "a.b.c.d/len" or "v6/len"; strict: rejects host bits (returns FALSE and sets *host_bits). */
gboolean erdiag_prefix_parse(const char *text, erdiag_prefix *out, gboolean *host_bits);
const char *erdiag_prefix_to_string(const erdiag_prefix *p, char buf[ERDIAG_PREFIX_STRLEN]);
gboolean erdiag_prefix_equal(const erdiag_prefix *a, const erdiag_prefix *b);
int erdiag_prefix_compare(const erdiag_prefix *a, const erdiag_prefix *b);
guint erdiag_prefix_hash(const erdiag_prefix *p);
gboolean erdiag_prefix_contains_addr(const erdiag_prefix *p, const erdiag_addr *a);
/* outer covers inner (equal counts as covering). */
gboolean erdiag_prefix_covers(const erdiag_prefix *outer, const erdiag_prefix *inner);
gboolean erdiag_prefix_overlaps(const erdiag_prefix *a, const erdiag_prefix *b);
/* The address block p overlaps that never reaches the Internet (RFC 1918,
 * shared address space, loopback, link local, multicast, ULA ... from the
 * IANA special-purpose registries), as "10.0.0.0/8 (RFC 1918)"; NULL for
 * public space. The documentation blocks count as public: examples use them. */
const char *erdiag_prefix_private_block(const erdiag_prefix *p);

G_END_DECLS

#endif
