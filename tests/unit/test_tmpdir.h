/* Removing a test program's scratch directory (made with g_dir_make_tmp())
 * and the files its tests wrote there, once the tests have run. */
#ifndef ERDIAG_TEST_TMPDIR_H
#define ERDIAG_TEST_TMPDIR_H

#include <glib.h>
#include <glib/gstdio.h>

/* Empties dir (files only), removes it and frees the name. */
static inline void test_tmpdir_remove(char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    for (const char *name; d && (name = g_dir_read_name(d));) {
        char *p = g_build_filename(dir, name, NULL);
        g_unlink(p);
        g_free(p);
    }
    if (d)
        g_dir_close(d);
    g_rmdir(dir);
    g_free(dir);
}

#endif
