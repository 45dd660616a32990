/* glmmgo_mclafit_options_default needs no Go (so it is safe even in a
   forked child, where Go code must not run). The values are those of
   core/fit/mclafit's zero Options; tests/mclafit_test.go checks a fit with
   them against the Go fit bit for bit. */
#include <string.h>
#include "glmmgo.h"

void glmmgo_mclafit_options_default(glmmgo_mclafit_options *opt) {
    if (!opt) return;
    memset(opt, 0, sizeof *opt);
    opt->m = 10000;
    opt->p_mix[0] = opt->p_mix[1] = opt->p_mix[2] = 1.0 / 3;
    opt->zeta = 5;
    opt->rinit = 10;
    opt->rmax = 1000;
    opt->iterlim = 1000;
    opt->ess_warn = 100;
}
