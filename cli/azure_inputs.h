/* The CLI's Azure inputs: --azure-peering (a configuration, alone or merged
 * into --config), --azure-arp and --azure-routes (Azure's tables, set beside
 * the capture in the report), --azure-nsg, --azure-effective-routes and
 * --azure-circuit (Azure's side of the path, judged into findings). */
#ifndef ERDIAG_CLI_AZURE_INPUTS_H
#define ERDIAG_CLI_AZURE_INPUTS_H

#include <glib.h>
#include "cli_options.h"
#include "erdiag/config.h"
#include "azure_import.h"
#include "azure_exports.h"

/* Call before the engine is made from *cfg_inout.
 * - --azure-peering FILE becomes *cfg_inout (the old one is freed). With
 *   --config, the INI is read here instead (so do not load it first when
 *   o->azure_peering is set): its peering (the only one, or the one named
 *   like Azure's circuit) takes the values the INI leaves out (VLAN, peer
 *   ASN, subnets), so an INI holding only vnet-prefixes, expected-onprem-
 *   prefixes ... is enough; a value both give differently is an error.
 * - --azure-arp / --azure-routes: *out gets the tables (NULL when neither
 *   option is given).
 * FALSE with a one-line error naming the file and key (exit status 2). */
gboolean cli_azure_inputs_load(const cli_options *o, erdiag_config **cfg_inout, erdiag_azure_evidence **out,
                               GError **error);

/* --azure-nsg, --azure-effective-routes, --azure-circuit, and the state in
 * --azure-peering's file: *out gets them (NULL when none of these options is
 * given), for erdiag_azure_exports_attach once the engine exists. FALSE with
 * a one-line error naming the file and the JSON path (exit status 2). */
gboolean cli_azure_exports_load(const cli_options *o, erdiag_azure_exports **out, GError **error);

#endif
