/* AS_PATH and AS4_PATH: parsing, the RFC 6793 merge, and the text form
 * "65010 65010 {65001,65002}" (confed sequence "(a b)", confed set "[a,b]"). */
#ifndef ERDIAG_BGP_AS_PATH_H
#define ERDIAG_BGP_AS_PATH_H

#include <glib.h>

G_BEGIN_DECLS

enum {
    ERDIAG_AS_SET = 1,
    ERDIAG_AS_SEQUENCE = 2,
    ERDIAG_AS_CONFED_SEQUENCE = 3,
    ERDIAG_AS_CONFED_SET = 4,
};

typedef struct {
    guint8 type;
    guint count;   /* ASNs in the segment */
    guint first;   /* index of its first ASN in erdiag_as_path.asns */
} erdiag_as_segment;

typedef struct {
    GArray *segments; /* erdiag_as_segment */
    GArray *asns;     /* guint32 */
} erdiag_as_path;

void erdiag_as_path_init(erdiag_as_path *p);
void erdiag_as_path_clear(erdiag_as_path *p);
void erdiag_as_path_reset(erdiag_as_path *p);

/* NULL when b is a well-formed path of asn_size-byte (2 or 4) ASNs, else a
 * short reason (RFC 7606 §7.2: unknown segment type, overrun, a lone byte
 * left, a zero-length segment). */
const char *erdiag_as_path_check(const guint8 *b, gsize len, guint asn_size);

/* Replaces p's content with the path in b; on a malformed path p keeps the
 * segments before the problem and the reason is returned. */
const char *erdiag_as_path_parse(erdiag_as_path *p, const guint8 *b, gsize len, guint asn_size);

/* Whether p holds an AS_CONFED_SEQUENCE or AS_CONFED_SET segment. */
gboolean erdiag_as_path_has_confed(const erdiag_as_path *p);

/* Path length as best-path selection counts it: each ASN of a sequence, 1
 * per set, 0 for confederation segments (RFC 4271 9.1.2.2, RFC 5065). */
guint erdiag_as_path_hops(const erdiag_as_path *p);

/* RFC 6793 4.2.3: whether an UPDATE's AS4_PATH is merged into its AS_PATH.
 * Only a speaker sending 2-byte ASNs has one that counts, and not when its
 * 2-byte AGGREGATOR names a real AS (anything but AS_TRANS). */
gboolean erdiag_as_path_as4_applies(guint as_path_asn_size, gboolean has_aggregator, guint32 aggregator_as);

/* RFC 6793 4.2.3: out = the leading part of as_path prepended to as4_path so
 * the result counts as many ASNs as as_path; out = as_path when as4_path
 * counts more. out must be neither input. */
void erdiag_as_path_merge_as4(const erdiag_as_path *as_path, const erdiag_as_path *as4_path,
                              erdiag_as_path *out);

/* Appends the text form of p to out. */
void erdiag_as_path_format(const erdiag_as_path *p, GString *out);

G_END_DECLS

#endif
