/* Private to capi: the asynchronous signals that never reach a thread
   while it runs Go code (see guard.c's "Signals" for why and how), shared
   by guard.c (the wrappers and the constructor that blocks them before Go
   starts), signals.go (the constructor that restores the loading thread's
   mask after Go started, and the checkpoints' signal window) and
   progress.c (the progress trampoline). */
#ifndef GLMMGO_SIGNALS_H
#define GLMMGO_SIGNALS_H
#include <pthread.h>
#include <signal.h>
#include <stdint.h>

/* Signal 34: glibc's SIGRTMIN, musl's internal SIGSYNCCALL, which Go
   unblocks on its threads. */
#define GLMMGO_SIG34 34

/* The asynchronous signals, filled once by guard.c's constructor. */
extern sigset_t glmmgo_async_signals;
/* The loading thread's mask before the constructor blocked them, and
   whether it did. */
extern sigset_t glmmgo_loader_mask;
extern int glmmgo_loader_blocked;
/* The calling thread's mask at entry to the library (NULL outside it). */
extern __thread const sigset_t *glmmgo_host_mask;

/* The signals that are blocked: every signal but SIGKILL and SIGSTOP
   (which cannot be blocked), the synchronous ones (SIGSEGV, SIGBUS, SIGFPE,
   SIGILL, SIGTRAP, SIGABRT, SIGSYS: raised by the faulting thread itself,
   handled by Go and forwarded to the host's handlers), SIGPIPE and SIGURG
   (Go's own: Go preempts goroutines with SIGURG), glibc's internal
   real-time signals (below SIGRTMIN: thread cancellation and setxid, which
   must reach every thread), and the signals Go unblocks on each of its
   threads whatever its start-up mask (SIGPROF, SIGCHLD and signal 34 —
   glibc's SIGRTMIN, musl's internal SIGSYNCCALL —, which sigwrap.c
   handles instead, and SIGSTKFLT, which nothing raises). */
static inline void glmmgo_async_set(sigset_t *s) {
    sigemptyset(s);
    for (int sig = 1; sig <= SIGRTMAX; sig++) {
        switch (sig) {
        case SIGKILL: case SIGSTOP: case SIGSEGV: case SIGBUS: case SIGFPE: case SIGILL: case SIGTRAP:
        case SIGABRT: case SIGSYS: case SIGPIPE: case SIGURG: case SIGPROF: case SIGCHLD: case SIGSTKFLT:
            continue;
        }
        if (sig == GLMMGO_SIG34) continue;
        if (sig >= 32 && sig < SIGRTMIN) continue;
        sigaddset(s, sig);
    }
}

/* The signals Go unblocks on each of its threads (sigwrap.c). */
static inline void glmmgo_wrapped_set(sigset_t *s) {
    sigemptyset(s);
    sigaddset(s, SIGPROF);
    sigaddset(s, SIGCHLD);
    sigaddset(s, GLMMGO_SIG34);
}

/* The frame of the progress trampoline while the caller's callback runs
   on this thread (0 otherwise): left set by a callback that jumps out. */
extern __thread uintptr_t glmmgo_callback_sp;

/* Where the current call came from: this thread, the current call's frame
   (the wrapper's saved mask lies in it) and the frame of the last callback
   that did not return (see glmmgo_callback_sp). */
static inline void glmmgo_call_frame(uintptr_t *thread, uintptr_t *frame, uintptr_t *callback) {
    *thread = (uintptr_t)pthread_self();
    *frame = (uintptr_t)glmmgo_host_mask;
    *callback = glmmgo_callback_sp;
}

/* Set on a thread once it has called the library: a host thread. */
extern __thread int glmmgo_host_thread;

/* Puts the forwarding handler of sigwrap.c in front of a host's SIGPROF
   or SIGCHLD handler that lacks SA_ONSTACK, and immunises Go's threads
   (called on every entry). */
void glmmgo_wrap_signals(void);

/* Puts the forwarder in front of the host's handlers of SIGPROF, SIGCHLD
   and 34 that lack SA_ONSTACK, when the library is loaded, before Go's
   runtime starts (no thread of Go's exists yet: nothing to sweep). */
void glmmgo_wrap_at_load(void);

/* Immunises every thread of Go's now and waits (at most 50 ms) until each
   blocks the three: after a thread's first attachment, when Go's runtime
   has finished starting (an immunisation sent while it was still starting
   may have been undone by its start-up code). */
void glmmgo_immunise_all(void);

/* Sends the immunisation signal to every other thread not immunised yet,
   when a wrapped handler is installed: now, or if the last sweep is a
   tenth of a second old. */
void glmmgo_sweep_threads(int now);

/* Queues the immunisation to the calling thread, one of Go's that has not
   yet run any Go code (threads.c). */
void glmmgo_immunise_new_thread(int all_blocked);

/* Restores the calling thread's own mask for a moment, so that signals
   that arrived during the call are delivered now, on this thread's own
   stack (the caller of a cgo call from Go runs on it), then blocks them
   again. No effect outside a call into the library. */
static inline void glmmgo_signal_window(void) {
    const sigset_t *h = glmmgo_host_mask;
    sigset_t cur;
    if (h == NULL || pthread_sigmask(SIG_SETMASK, h, &cur) != 0) return;
    pthread_sigmask(SIG_SETMASK, &cur, NULL);
}
#endif
