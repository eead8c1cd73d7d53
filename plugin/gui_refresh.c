/* Re-applying the GUI's display filter once the late verdicts are known.
 *
 * Wireshark filters and colors each frame as it reads it, when findings
 * judged at the end (an ARP request never answered, a prefix never
 * advertised) are not known yet: a filter on `expressroute` would show
 * only the frames found on the first pass until re-applied. When the first
 * pass is over (epan's post-sequential hook), this schedules one refilter
 * from the GUI's main loop (a GLib idle source: the hook runs inside the
 * file read, which must return first), through plugin_if, the interface
 * Wireshark offers plugins for this. tshark answers no plugin_if request
 * and never gets one (it has no display to refresh). */
#include "expressroute.h"

#include <epan/plugin_if.h>
#include <cfile.h>

static guint idle_source;
static gboolean refreshed; /* once per file: the refilter must not loop */

/* The filter as it stands plus a space: Wireshark's main window passes no
 * "force" on, and skips a filter equal to the current one. */
static void *current_filter(capture_file *cf, void *user _U_)
{
    return cf ? g_strconcat(cf->dfilter ? cf->dfilter : "", " ", NULL) : NULL;
}

static gboolean refresh(gpointer user _U_)
{
    idle_source = 0;
    ws_info_t *info = NULL;
    plugin_if_get_ws_info(&info);
    if (!info || info->cf_state != FILE_READ_DONE)
        return G_SOURCE_REMOVE;
    char *filter = plugin_if_get_capture_file(current_filter, NULL);
    if (filter)
        plugin_if_apply_filter(filter, TRUE);
    g_free(filter);
    return G_SOURCE_REMOVE;
}

void er_gui_refresh_schedule(void)
{
    if (refreshed || idle_source)
        return;
    /* only the GUI fills ws_info (tshark leaves it NULL) */
    ws_info_t *info = NULL;
    plugin_if_get_ws_info(&info);
    erdiag_engine *engine = er_capture_engine();
    if (!info || !engine || erdiag_engine_findings(engine)->len == 0)
        return;
    refreshed = TRUE;
    idle_source = g_idle_add(refresh, NULL);
}

void er_gui_refresh_reset(void)
{
    /* a new file or a redissection: allowed one refresh again, but a
     * refresh still queued for the old file is dropped */
    if (idle_source) {
        g_source_remove(idle_source);
        idle_source = 0;
    }
    refreshed = FALSE;
}
