/* The four symbols Wireshark's plugin loader looks for, and nothing else.
 *
 * Wireshark ships no plugin build macros for out-of-tree builds, so this is
 * the hand-written equivalent of the generated plugin.c. The loader refuses a
 * plugin whose plugin_want_major/minor differ from the running X.Y, hence the
 * values come from the headers the module was compiled against. */
#define WS_BUILD_DLL
#include <wireshark.h>
#include <epan/proto.h>

#include "expressroute.h"

#if defined(__has_include)
#  if __has_include(<wsutil/plugins.h>)
#    include <wsutil/plugins.h>
#  endif
#endif
#ifndef WS_PLUGIN_DESC_DISSECTOR
#  define WS_PLUGIN_DESC_DISSECTOR (1UL << 0)
#endif

WS_DLL_PUBLIC_DEF const char plugin_version[] = ER_PLUGIN_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

void plugin_register(void)
{
    static proto_plugin plug;

    plug.register_protoinfo = er_register_protoinfo;
    plug.register_handoff = er_register_handoff;
    proto_register_plugin(&plug);
}

#if WIRESHARK_VERSION_MAJOR > 4 || (WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR >= 2)
/* 4.2+ asks what kind of plugin this is (optional; 4.0 never calls it). */
WS_DLL_PUBLIC uint32_t plugin_describe(void);

uint32_t plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR;
}
#endif
