/* Finding the bundled captures and running the erdiag binary on them. */
#ifndef ERDIAG_TEST_CAPTURE_DIRS_H
#define ERDIAG_TEST_CAPTURE_DIRS_H

#include <glib.h>

/* Scenario directories under captures/ that hold a capture (sorted). */
GPtrArray *capture_dirs_list(void);
/* The capture file in a scenario directory (capture.pcapng or capture.pcap). */
char *capture_dirs_capture(const char *dir);
/* Runs erdiag with argv (NULL-terminated, without the program); returns the
 * exit status and fills stdout/stderr (caller frees). */
int capture_dirs_run(const char *const *args, char **out, char **err);
/* "id link" lines from a JSON report's findings[] (sorted, unique). */
GPtrArray *capture_dirs_finding_lines(const char *json_text, GError **error);
/* "id link count" lines from a JSON report's findings[] (sorted): how many
 * findings of each id on each link, so losing one of two is seen. */
GPtrArray *capture_dirs_finding_counts(const char *json_text, GError **error);
/* Non-empty, non-comment lines of a file (sorted, unique); NULL if absent. */
GPtrArray *capture_dirs_read_lines(const char *path);
/* An expectation file's "id link [count]" lines as "id link count" (sorted;
 * a missing count is 1), for comparing with capture_dirs_finding_counts();
 * NULL if absent. A malformed line or an id/link listed twice is a test
 * error, not a silent merge. */
GPtrArray *capture_dirs_read_counts(const char *path);

#endif
