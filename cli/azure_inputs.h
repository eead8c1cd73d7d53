/* The CLI's Azure inputs: --azure-peering (a configuration, alone or merged
 * into --config), --azure-arp and --azure-routes (Azure's tables, set beside
 * the capture in the report). */
#ifndef ERDIAG_CLI_AZURE_INPUTS_H
#define ERDIAG_CLI_AZURE_INPUTS_H

#include <glib.h>
#include "cli_options.h"
#include "erdiag/config.h"
#include "azure_import.h"

/* Call after --config was loaded into *cfg_inout (NULL without --config) and
 * before the engine is made from it.
 * - --azure-peering FILE alone becomes *cfg_inout. Given with --config, the
 *   INI's peering (the only one, or the one named like Azure's) takes the
 *   values the INI leaves out (VLAN, peer ASN, subnets); a value both give
 *   differently is an error. The old *cfg_inout is freed and replaced.
 * - --azure-arp / --azure-routes: *out gets the tables (NULL when neither
 *   option is given).
 * FALSE with a one-line error naming the file and key (exit status 2). */
gboolean cli_azure_inputs_load(const cli_options *o, erdiag_config **cfg_inout, erdiag_azure_evidence **out,
                               GError **error);

#endif
