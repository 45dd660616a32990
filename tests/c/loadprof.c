/* A host that loads the library while its profiler runs, as R does for
   glmmgo::glmer() inside Rprof() when the package is not yet loaded: a
   SIGPROF handler installed without SA_ONSTACK that re-installs itself at
   every tick (R's doprof), ITIMER_PROF every 100 µs of CPU time, then
   dlopen and the first call, with CPU work around them. Before the library
   wrapped such a handler and blocked the three signals at load
   (capi/guard.c, block_before_go), the handler ran on the thread that
   starts Go's runtime while it ran Go's package initialisation, on a
   goroutine's stack, in 28 of 30 runs; under R, 1 process in 40–80 died
   of it.

   Prints
     ticks          the handler's runs
     off_main       of which on a thread other than the host's
     off_main_host  of those, the ones that ran where a goroutine's stack
                    could be: a real tick (not the library's immunisation,
                    a signal it queues, which the host's handler may see
                    if it stands in place of the library's forwarder at
                    that instant: it then runs on the new thread's own
                    stack, before Go's code) that did not run on the
                    signal stack (where the library's forwarder runs the
                    host's handler, when a tick reaches one of Go's
                    threads before its immunisation)

   usage: loadprof LIBDIR */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static pid_t main_tid;
static volatile sig_atomic_t ticks, off_main, off_main_host;

static void on_prof(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_prof;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(sig, &sa, NULL);
    ticks++;
    if ((pid_t)syscall(SYS_gettid) != main_tid) {
        off_main++;
        stack_t ss;
        int onstack = sigaltstack(NULL, &ss) == 0 && (ss.ss_flags & SS_ONSTACK);
        if ((si == NULL || si->si_code != SI_QUEUE) && !onstack) off_main_host++;
    }
}

/* Burns ms of this thread's CPU time, so that the profiling timer ticks. */
static void spin(double ms) {
    struct timespec a, b;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
    volatile double x = 0;
    do {
        for (int i = 0; i < 1000; i++) x += i;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
    } while ((double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6 < ms);
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    main_tid = (pid_t)syscall(SYS_gettid);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_prof;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGPROF, &sa, NULL);
    struct itimerval it = {{0, 100}, {0, 100}};
    setitimer(ITIMER_PROF, &it, NULL);
    spin(5);
    char path[4096];
    snprintf(path, sizeof path, "%s/libglmmgo.so", argv[1]);
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        fprintf(stderr, "%s\n", dlerror());
        return 2;
    }
    spin(20); /* the host goes on while Go starts in the background */
    int32_t (*workers)(void) = (int32_t (*)(void))dlsym(lib, "glmmgo_available_workers");
    if (workers == NULL || workers() < 1) return 3;
    spin(20);
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_PROF, &off, NULL);
    printf("ticks %d\noff_main %d\noff_main_host %d\n", (int)ticks, (int)off_main, (int)off_main_host);
    return 0;
}
