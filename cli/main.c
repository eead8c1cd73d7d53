/* erdiag: diagnose an ExpressRoute private peering from a packet capture. */
#include <stdio.h>
#include "azure_inputs.h"
#include "cli_options.h"
#include "erdiag/engine.h"
#include "erdiag/report.h"
#include "run.h"

/* NULL (after printing why) when the configuration is invalid. */
static gboolean load_config(const cli_options *o, erdiag_config **out)
{
    *out = NULL;
    if (!o->config_file)
        return TRUE;
    g_autoptr(GError) err = NULL;
    GPtrArray *problems = NULL;
    *out = erdiag_config_load_file(o->config_file, &problems, &err);
    if (*out)
        return TRUE;
    fprintf(stderr, "erdiag: config.invalid: %s\n", err->message);
    if (problems) {
        for (guint i = 1; i < problems->len; i++) {
            erdiag_config_problem *p = g_ptr_array_index(problems, i);
            fprintf(stderr, "erdiag: config.invalid: %s: %s%s%s: expected %s\n", o->config_file, p->key,
                    *p->value ? " = " : "", p->value, p->expected);
        }
        g_ptr_array_unref(problems);
    }
    return FALSE;
}

int main(int argc, char **argv)
{
    cli_options o;
    if (!cli_options_parse(&o, &argc, &argv)) {
        cli_options_clear(&o);
        return 2;
    }
    if (o.version) {
        printf("erdiag %s\n", ERDIAG_VERSION_STRING);
        cli_options_clear(&o);
        return 0;
    }
    erdiag_config *cfg = NULL;
    /* with --azure-peering, cli_azure_inputs_load reads --config itself and merges the two */
    if (!o.azure_peering && !load_config(&o, &cfg)) {
        cli_options_clear(&o);
        return 2;
    }
    erdiag_azure_evidence *azure = NULL;
    g_autoptr(GError) azure_err = NULL;
    if (!cli_azure_inputs_load(&o, &cfg, &azure, &azure_err)) {
        fprintf(stderr, "erdiag: %s\n", azure_err->message);
        erdiag_config_free(cfg);
        cli_options_clear(&o);
        return 2;
    }
    erdiag_azure_exports *exports = NULL;
    if (!cli_azure_exports_load(&o, &exports, &azure_err)) {
        fprintf(stderr, "erdiag: %s\n", azure_err->message);
        erdiag_azure_evidence_free(azure);
        erdiag_config_free(cfg);
        cli_options_clear(&o);
        return 2;
    }
    erdiag_report_options ropt = {.format = o.format, .redact = o.redact, .width = (guint)o.width,
                                  .at_frame = (guint64)o.at_frame, .azure = azure};
    erdiag_engine *engine = erdiag_engine_new(cfg);
    erdiag_azure_exports_attach(engine, exports);
    int status = cli_run(&o, engine, &ropt);
    erdiag_engine_free(engine);
    erdiag_azure_exports_free(exports);
    erdiag_azure_evidence_free(azure);
    erdiag_config_free(cfg);
    cli_options_clear(&o);
    return status;
}
