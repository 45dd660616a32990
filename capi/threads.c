/* Go's threads are immunised against the host's SIGPROF, SIGCHLD and
   signal 34 handlers at birth (sigwrap.c says why they must be).

   Go's runtime creates every thread of its own with pthread_create (in
   runtime/cgo), with every signal blocked, and the new thread's start-up
   code then unblocks the three. Before, a thread born during a fit was
   immunised only by the next sweep (up to a tenth of a second later); a
   profiler's tick that reached it in that time, while a re-arming host
   handler stood in place of the forwarder, ran on a goroutine's stack and
   killed the process (a rare crash under Rprof, once in some hundreds of
   fits). Now the thread queues the immunisation to itself before it runs
   any of Go's code: it stays pending while the thread blocks everything,
   and is delivered the moment Go unblocks the three.

   How the call is caught: the library is linked with
   -Wl,--wrap=pthread_create (capi/guard.go for the c-shared library, the
   R package's Makevars for its c-archive), which sends the library's own
   calls of pthread_create here (only runtime/cgo makes them); the host's
   calls are not touched. Each thread is registered as Go's; those created
   with every signal blocked, as runtime/cgo creates the scheduler's
   threads, are immunised at birth. So is the first, which starts the
   runtime when the library is loaded: it inherits the loading thread's
   mask, in which the library's first constructor blocked the three
   (capi/guard.c), and takes its immunisation when Go's start-up code
   unblocks them — provided a host handler was wrapped at load (the
   immunisation then travels on a wrapped signal); otherwise the sweeps of
   the first call immunise it. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include "signals.h"

int __real_pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *), void *arg);

struct thread_start {
    void *(*start)(void *);
    void *arg;
    int all_blocked;
};

static void *start_immunised(void *p) {
    struct thread_start ts = *(struct thread_start *)p;
    free(p);
    glmmgo_immunise_new_thread(ts.all_blocked);
    return ts.start(ts.arg);
}

/* Whether the calling thread blocks every signal it can, as runtime/cgo
   does around the creation of Go's threads. */
static int all_blocked(void) {
    sigset_t cur;
    if (pthread_sigmask(SIG_BLOCK, NULL, &cur) != 0) return 0;
    return sigismember(&cur, SIGPROF) == 1 && sigismember(&cur, SIGCHLD) == 1 && sigismember(&cur, SIGINT) == 1;
}

int __wrap_pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *), void *arg) {
    struct thread_start *ts = malloc(sizeof *ts);
    if (ts == NULL) return __real_pthread_create(thread, attr, start, arg);
    ts->start = start;
    ts->arg = arg;
    ts->all_blocked = all_blocked();
    int r = __real_pthread_create(thread, attr, start_immunised, ts);
    if (r != 0) free(ts);
    return r;
}
