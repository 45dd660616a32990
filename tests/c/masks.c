/* The signal masks the library arranges (capi/guard.c, "Signals";
   capi/sigwrap.c), read from /proc/self/task/<tid>/status (SigBlk), with
   the library loaded by dlopen as R and Julia load it:

     loader_restored      the loading thread's mask after dlopen is the one
                          it had before (SIGUSR2 blocked, nothing else)
     go_threads           the threads the library started
     go_block_async       every one blocks SIGINT, SIGTERM, SIGHUP, SIGQUIT,
                          SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGWINCH,
                          SIGIO and the real-time signals from 35
     go_unblock_go        and none blocks SIGURG (Go's preemption) or SIGSEGV
     go_block_wrapped_first  after that first fit, with no handler installed
                          for them, every one blocks SIGPROF, SIGCHLD and
                          signal 34 (the library's SIGSTKFLT carrier
                          immunised them; capi/sigwrap.c)
     caller_blocks        the calling thread, during a fit, blocks them and
                          SIGPROF and SIGCHLD
     caller_restored      and has its own mask back after it
     go_block_prof_at_once  after a SIGPROF handler without SA_ONSTACK was
                          installed and the library called once: every
                          thread of the library blocks SIGPROF, SIGCHLD and
                          signal 34 when the call returns (Go unblocks them
                          at thread start: the library's forwarding handler
                          blocked them)
     go_block_prof        and still does right after a fit with more
                          workers (threads born in it are immunised at
                          birth)
     main_prof_unblocked  while the host's threads do not
     prof_onstack         the SIGPROF disposition then has SA_ONSTACK

   usage: masks LIBDIR */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "glmmgo.h"

static int (*p_mcla_new)(int64_t, int64_t, int64_t, int32_t, const double *, const double *, const double *,
                         const double *, int64_t, const int64_t *, const int64_t *, const double *, int64_t,
                         const int64_t *, glmmgo_handle *, char *, size_t);
static int (*p_options_default)(glmmgo_mcla_options *, size_t, char *, size_t);
static int (*p_mcla_fit)(glmmgo_handle, const glmmgo_mcla_options *, glmmgo_progress_fn, void *, glmmgo_handle *,
                         char *, size_t);
static int (*p_free)(glmmgo_handle);

/* SigBlk of thread tid as a 64-bit mask (bit k-1: signal k), or ~0 if it
   cannot be read. */
static uint64_t sigblk(pid_t tid) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/self/task/%d/status", (int)tid);
    FILE *f = fopen(path, "r");
    uint64_t m = ~(uint64_t)0;
    if (!f) return m;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "SigBlk:", 7)) m = strtoull(line + 7, NULL, 16);
    fclose(f);
    return m;
}

static uint64_t bit(int sig) { return (uint64_t)1 << (sig - 1); }

static uint64_t async_mask(void) {
    uint64_t m = 0;
    int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGWINCH, SIGIO};
    for (size_t k = 0; k < sizeof sigs / sizeof sigs[0]; k++) m |= bit(sigs[k]);
    for (int s = 35; s <= SIGRTMAX; s++) m |= bit(s); /* Go unblocks 34 (see capi/sigwrap.c) */
    return m;
}

static int ntids(pid_t *tids, int max) {
    DIR *d = opendir("/proc/self/task");
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) && n < max)
        if (e->d_name[0] != '.') tids[n++] = (pid_t)atoi(e->d_name);
    if (d) closedir(d);
    return n;
}

static pid_t main_tid;
static atomic_int fit_tid, fitting, done;
static uint64_t fit_before, fit_after;
static glmmgo_handle model;

static void *fitter(void *arg) {
    (void)arg;
    sigset_t own;
    pthread_sigmask(SIG_SETMASK, NULL, &own);
    fit_before = sigblk((pid_t)syscall(SYS_gettid));
    atomic_store(&fit_tid, (int)syscall(SYS_gettid));
    glmmgo_mcla_options o;
    p_options_default(&o, sizeof o, NULL, 0);
    o.m = 60000;
    o.workers = 2;
    glmmgo_handle f = 0;
    char err[256];
    atomic_store(&fitting, 1);
    int s = p_mcla_fit(model, &o, NULL, NULL, &f, err, sizeof err);
    atomic_store(&fitting, 0);
    if (s != GLMMGO_OK) fprintf(stderr, "fit: %d %s\n", s, err);
    p_free(f);
    fit_after = sigblk((pid_t)syscall(SYS_gettid));
    atomic_store(&done, 1);
    return NULL;
}

static void on_prof(int sig) { signal(sig, on_prof); } /* re-arms without SA_ONSTACK, as R's profiler */

/* Prints whether every thread other than the host's (main and the fitter)
   blocks all of want and none of avoid. */
static void check_go_threads(const char *name_block, uint64_t want, const char *name_free, uint64_t avoid) {
    pid_t tids[512];
    int n = ntids(tids, 512), go = 0, ok_block = 1, ok_free = 1;
    for (int i = 0; i < n; i++) {
        if (tids[i] == main_tid || tids[i] == atomic_load(&fit_tid)) continue;
        uint64_t m = sigblk(tids[i]);
        go++;
        if ((m & want) != want || (avoid && (m & avoid) != 0))
            fprintf(stderr, "%s: thread %d blocks %016llx\n", name_block ? name_block : name_free, (int)tids[i],
                    (unsigned long long)m);
        ok_block &= (m & want) == want;
        if (avoid) ok_free &= (m & avoid) == 0;
    }
    if (name_block) printf("%s %d\n", name_block, go > 0 && ok_block);
    if (name_free) printf("%s %d\n", name_free, go > 0 && ok_free);
    if (name_block && strcmp(name_block, "go_block_async") == 0) printf("go_threads %d\n", go);
}

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    main_tid = (pid_t)syscall(SYS_gettid);
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    pthread_sigmask(SIG_SETMASK, &usr2, NULL);
    uint64_t before = sigblk(main_tid);
    char path[4096];
    snprintf(path, sizeof path, "%s/libglmmgo.so", argv[1]);
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!lib) { fprintf(stderr, "dlopen: %s\n", dlerror()); return 1; }
    printf("loader_restored %d\n", sigblk(main_tid) == before && before == bit(SIGUSR2));
    *(void **)&p_mcla_new = dlsym(lib, "glmmgo_mcla_new");
    *(void **)&p_options_default = dlsym(lib, "glmmgo_mcla_options_default");
    *(void **)&p_mcla_fit = dlsym(lib, "glmmgo_mcla_fit");
    *(void **)&p_free = dlsym(lib, "glmmgo_free");
    if (!p_mcla_new || !p_options_default || !p_mcla_fit || !p_free) return 1;

    enum { N = 600, Q = 60 };
    static double y[N], x[2 * N], zv[N];
    static int64_t zr[N], zc[N], vc[Q];
    for (int i = 0; i < N; i++) {
        x[i] = 1;
        x[N + i] = sin(i * 0.7);
        zr[i] = i;
        zc[i] = i % Q;
        zv[i] = 1;
        y[i] = (i * 7919 % 11) < 5 ? 1 : 0;
    }
    char err[256];
    if (p_mcla_new(N, 2, Q, GLMMGO_BERNOULLI, y, NULL, NULL, x, N, zr, zc, zv, 1, vc, &model, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    pthread_t t;
    pthread_create(&t, NULL, fitter, NULL);
    while (!atomic_load(&fitting) && !atomic_load(&done)) usleep(100);
    usleep(200000);
    uint64_t during = sigblk((pid_t)atomic_load(&fit_tid));
    check_go_threads("go_block_async", async_mask(), "go_unblock_go", bit(SIGURG) | bit(SIGSEGV));
    pthread_join(t, NULL);
    check_go_threads("go_block_wrapped_first", bit(SIGPROF) | bit(SIGCHLD) | bit(34), NULL, 0);
    printf("caller_blocks %d\n", (during & (async_mask() | bit(SIGPROF) | bit(SIGCHLD))) ==
                                     (async_mask() | bit(SIGPROF) | bit(SIGCHLD)));
    printf("caller_restored %d\n", fit_after == fit_before && fit_before == bit(SIGUSR2));

    /* A profiler's handler without SA_ONSTACK, then one call: the entry
       wraps the handler and returns only when every thread of Go's blocks
       the three (capi/sigwrap.c); no sleep. */
    signal(SIGPROF, on_prof);
    pthread_sigmask(SIG_SETMASK, NULL, NULL);
    p_free(0);
    check_go_threads("go_block_prof_at_once", bit(SIGPROF) | bit(SIGCHLD) | bit(34), NULL, 0);
    /* A fit with more workers: threads Go starts during it are immunised
       at birth (capi/threads.c), so right after it returns every thread
       still blocks them. */
    glmmgo_handle f = 0;
    glmmgo_mcla_options o;
    p_options_default(&o, sizeof o, NULL, 0);
    o.m = 4000;
    o.workers = 4;
    p_mcla_fit(model, &o, NULL, NULL, &f, err, sizeof err);
    p_free(f);
    check_go_threads("go_block_prof", bit(SIGPROF) | bit(SIGCHLD) | bit(34), NULL, 0);
    printf("main_prof_unblocked %d\n", (sigblk(main_tid) & bit(SIGPROF)) == 0);
    struct sigaction cur;
    sigaction(SIGPROF, NULL, &cur);
    printf("prof_onstack %d\n", (cur.sa_flags & SA_ONSTACK) != 0);
    p_free(model);
    return 0;
}
