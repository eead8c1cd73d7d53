/* Classic pcap records straight from a regular file's descriptor.
 *
 * libpcap reads a savefile with two fread() calls per record, each copying
 * out of a stdio buffer (a record header, then its bytes): on a
 * multi-gigabyte capture that costs about a fifth of erdiag's time. This
 * reader takes the file in large blocks and hands out records where they
 * lie. It only takes what libpcap reads in one plain way (format 2.4, micro-
 * or nanosecond magic, either byte order) and words its errors as libpcap
 * does, so that capture_reader.c treats both alike; every other file stays
 * with libpcap. tests/unit/test_pcap_file_reader.c compares the two. */
#ifndef ERDIAG_PCAP_FILE_READER_H
#define ERDIAG_PCAP_FILE_READER_H

#include <glib.h>

#define PCAP_FILE_READER_BLOCK (1024u * 1024u)

typedef struct pcap_file_reader pcap_file_reader;

typedef struct {
    gint64 ts_us;           /* as libpcap gives it at microsecond precision */
    guint32 caplen, len;    /* caplen cut to the file's snapshot length, as libpcap cuts it */
    const guint8 *data;     /* caplen bytes, valid until the next call */
} pcap_file_record;

/* A reader of the descriptor fd (duplicated; fd's own offset is not used)
 * whose first 24 bytes are header; NULL when the file is not one it takes. */
pcap_file_reader *pcap_file_reader_new(int fd, const guint8 header[24]);

/* 1 with a record, 0 at the end of the file, -1 when the file is damaged or
 * cut short: *message is libpcap's wording for it ("truncated dump file;
 * tried to read 16 header bytes, only got 7"), to be freed. */
int pcap_file_reader_next(pcap_file_reader *r, pcap_file_record *rec, char **message);

void pcap_file_reader_free(pcap_file_reader *r);

#endif
