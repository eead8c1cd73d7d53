#ifndef ERDIAG_REPORT_JSON_H
#define ERDIAG_REPORT_JSON_H
#include "erdiag/report.h"
void report_json_write(erdiag_engine *e, const erdiag_report_options *opt, GString *out);
#endif
