/* pcap_count: the floor of the benchmark. Reads a capture with libpcap and
 * does nothing but count frames and captured bytes, so its time is what
 * merely reading the file costs on this machine (page cache, libpcap's record
 * parsing and copying); erdiag's throughput is compared against it.
 *
 * The file goes to libpcap as a stdio stream with a 256 KiB buffer, the
 * fastest way libpcap reads a file (pcap_open_offline()'s default 4 KiB
 * buffer makes a read() call per 4 KiB, which costs this machine twice the
 * time), and the way erdiag reads regular files.
 *
 * Prints one line: "<frames> frames, <bytes> bytes". Reads pcap and, where
 * libpcap can, pcapng. */
#include <errno.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STREAM_BUFFER (256 * 1024)

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: pcap_count FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        fprintf(stderr, "pcap_count: %s: %s\n", argv[1], strerror(errno));
        return 2;
    }
    static char buffer[STREAM_BUFFER];
    setvbuf(f, buffer, _IOFBF, sizeof buffer);
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_fopen_offline(f, errbuf); /* pcap_close() closes f */
    if (!p) {
        fprintf(stderr, "pcap_count: %s: %s\n", argv[1], errbuf);
        fclose(f);
        return 2;
    }
    uint64_t frames = 0, bytes = 0;
    struct pcap_pkthdr *hdr;
    const u_char *data;
    int rc;
    while ((rc = pcap_next_ex(p, &hdr, &data)) == 1) {
        frames++;
        bytes += hdr->caplen;
    }
    if (rc == PCAP_ERROR) {
        fprintf(stderr, "pcap_count: %s: %s\n", argv[1], pcap_geterr(p));
        pcap_close(p);
        return 1;
    }
    pcap_close(p);
    printf("%" PRIu64 " frames, %" PRIu64 " bytes\n", frames, bytes);
    return 0;
}
