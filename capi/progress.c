/* Go cannot call a C function pointer; progress.go calls this instead. The
   caller's callback runs with the caller's own signal mask (see guard.c's
   "Signals"): signals that arrived during the call are delivered here, on
   this thread's own stack, so a host's interrupt flag is set before its
   callback looks at it. */
#include "cgo.h"
#include "signals.h"

int glmmgo_call_progress(glmmgo_progress_fn fn, void *userdata, int64_t iter, double objective, const double *par,
                         int64_t npar) {
    const sigset_t *h = glmmgo_host_mask;
    sigset_t cur;
    int restore = h != NULL && pthread_sigmask(SIG_SETMASK, h, &cur) == 0;
    uintptr_t outer = glmmgo_callback_sp;
    glmmgo_callback_sp = (uintptr_t)&cur; /* stays set if fn jumps out (handles.go, abandoned) */
    int r = fn(userdata, iter, objective, par, npar);
    glmmgo_callback_sp = outer;
    if (restore) pthread_sigmask(SIG_SETMASK, &cur, NULL);
    return r;
}
