/* Go cannot call a C function pointer; mcla_cluster.go calls this instead.
   As the progress trampoline (progress.c), the caller's callback runs with
   the caller's own signal mask, so that an interrupt that arrived during
   the call reaches the host here, on this thread's own stack, and the
   frame is recorded so that a callback that jumps out (R's error or
   interrupt) leaves the call abandoned rather than half-finished (see
   glmmgo_callback_sp in signals.h). */
#include "cgo.h"
#include "signals.h"

int glmmgo_call_partials(glmmgo_mcla_partials_fn fn, void *userdata, const glmmgo_mcla_request *req) {
    const sigset_t *h = glmmgo_host_mask;
    sigset_t cur;
    int restore = h != NULL && pthread_sigmask(SIG_SETMASK, h, &cur) == 0;
    uintptr_t outer = glmmgo_callback_sp;
    glmmgo_callback_sp = (uintptr_t)&cur;
    int r = fn(userdata, req);
    glmmgo_callback_sp = outer;
    if (restore) pthread_sigmask(SIG_SETMASK, &cur, NULL);
    return r;
}
