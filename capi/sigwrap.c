/* SIGPROF, SIGCHLD and signal 34 (glibc's SIGRTMIN) cannot be kept off
   Go's threads by the start-up mask (guard.c, "Signals"): Go's runtime
   unblocks them on every thread it creates (it wants SIGPROF for its own
   profiler, SIGCHLD for os/exec, and 34 is musl's internal SIGSYNCCALL).
   A process-wide profiling timer or a child's exit then lands on whichever
   thread runs, Go's included, and a host handler for them installed
   without SA_ONSTACK runs on a goroutine's small stack and takes the
   process down. R's profiler (Rprof) does exactly that: it installs its
   SIGPROF handler with signal() and re-installs it the same way at every
   tick, from inside the handler.

   Two measures, applied on every entry into the library:

   - Wrapping. A host handler of one of them that lacks SA_ONSTACK gets a
     forwarding handler, installed with SA_ONSTACK, in front of it. The
     forwarder runs on the signal stack Go gives each thread it knows
     (32 KiB), calls the host's handler there, and takes over again at
     once if that handler re-installed itself.
   - Immunisation. The forwarder blocks the three for good (through the
     signal mask the kernel restores when the handler returns) on each of
     Go's threads: those registered at birth by threads.c (and, should the
     library be linked without it, any thread that is not a host thread —
     one that has never called the library — caught running the library's
     own code). Every thread not yet immunised is sent one of them marked
     as ours (sigqueue's value), which the forwarder takes only for this:
     when a handler is wrapped — and then the entry waits until each of
     Go's threads has taken it —, again at most every tenth of a second on
     later entries and at the checkpoints of long calls, and on each
     thread Go creates, queued before it runs any Go code (threads.c). So
     none of these signals reaches Go's threads once a handler is wrapped,
     and the short time in which a re-arming host handler is installed in
     place of the forwarder (between its signal() and the forwarder taking
     over again) finds no thread of Go's that could take one. (Measured with
     tests/c/harden.c's sigprof mode, 1 ms ticks, two at a time on two
     cores: before, when only the sweeps immunised, 47 of 400 runs died and
     a host handler ran on a goroutine's stack in a third of them; now 0 of
     600 died and no handler ran on a goroutine's stack in 80 runs
     instrumented to see it.)

   The host's handler thus runs as before on the host's threads, only never
   on a goroutine's stack. A host that looks at the disposition of these
   signals sees the forwarder; a host handler installed with SA_ONSTACK, and
   SIG_DFL and SIG_IGN, are left alone. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <link.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include "signals.h"

/* The carriers of the immunisation come first: standard signals, which
   never queue. */
static const int wrapped[] = {SIGPROF, SIGCHLD, GLMMGO_SIG34};
enum { NWRAPPED = sizeof wrapped / sizeof wrapped[0] };

/* sigqueue value marking an immunisation signal. */
#define IMMUNISE 0x676c6d6d

__thread int glmmgo_host_thread;

/* The host's handler of each wrapped signal, in one of two slots, so that
   a forwarder running on another thread reads a whole one while a new one
   is written. */
static struct sigaction host_slot[NWRAPPED][2];
static atomic_int host_current[NWRAPPED];
static atomic_int installed[NWRAPPED]; /* the forwarder is the disposition */

/* The library's executable segment: a thread interrupted there runs the
   library's code. */
static uintptr_t text_lo, text_hi;

/* The threads known to the immunisation: Go's, registered at birth
   (threads.c), and any other caught running the library's code (below);
   and whether each is immune yet. A thread id is reused after its thread
   exits: a birth resets its entry. */
enum { MAXTHREADS = 1024 };
static atomic_int thread_tid[MAXTHREADS];
static atomic_int thread_immune[MAXTHREADS];
static atomic_int nthreads;
static atomic_llong last_sweep_ns;

static void forward(int sig, siginfo_t *info, void *uc);

static int index_of(int sig) {
    for (int i = 0; i < NWRAPPED; i++)
        if (wrapped[i] == sig) return i;
    return -1;
}

static int find_text(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    uintptr_t me = (uintptr_t)data;
    for (int k = 0; k < info->dlpi_phnum; k++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[k];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X)) continue;
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;
        if (me >= lo && me < hi) {
            text_lo = lo;
            text_hi = hi;
            return 1;
        }
    }
    return 0;
}

__attribute__((constructor)) static void sigwrap_init(void) {
    dl_iterate_phdr(find_text, (void *)(uintptr_t)&forward);
}

/* Takes sig over from the host's handler cur, unless cur is ours, is no
   function (SIG_DFL, SIG_IGN), or runs on the signal stack anyway. Returns
   whether the forwarder is now the disposition. */
static int take_over(int sig, int i, const struct sigaction *cur) {
    if ((cur->sa_flags & SA_SIGINFO) && cur->sa_sigaction == forward) return 1;
    if (!(cur->sa_flags & SA_SIGINFO) && (cur->sa_handler == SIG_DFL || cur->sa_handler == SIG_IGN)) return 0;
    if (cur->sa_flags & SA_ONSTACK) return 0;
    int next = 1 - atomic_load(&host_current[i]);
    host_slot[i][next] = *cur;
    atomic_store(&host_current[i], next);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = forward;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | (cur->sa_flags & SA_RESTART);
    sa.sa_mask = cur->sa_mask;
    sigaddset(&sa.sa_mask, sig);
    return sigaction(sig, &sa, NULL) == 0;
}

static pid_t gettid_now(void) { return (pid_t)syscall(SYS_gettid); }

/* The entry of thread tid, appended if absent and add is set; -1 if there
   is none (or no room). Async-signal-safe. */
static int entry_of(pid_t tid, int add) {
    int n = atomic_load(&nthreads);
    for (int k = 0; k < n && k < MAXTHREADS; k++)
        if (atomic_load(&thread_tid[k]) == (int)tid) return k;
    if (!add) return -1;
    int k = atomic_fetch_add(&nthreads, 1);
    if (k >= MAXTHREADS) return -1;
    atomic_store(&thread_tid[k], (int)tid);
    return k;
}

static int is_immune(pid_t tid) {
    int k = entry_of(tid, 0);
    return k >= 0 && atomic_load(&thread_immune[k]);
}

/* Whether every thread known to be Go's is immune. */
static int all_immune(void) {
    int n = atomic_load(&nthreads);
    for (int k = 0; k < n && k < MAXTHREADS; k++)
        if (!atomic_load(&thread_immune[k])) return 0;
    return 1;
}

/* A wrapped signal whose disposition is the forwarder, to carry an
   immunisation, or 0. SIGCHLD first: should the host set it back to its
   default between this check and the delivery, the default ignores it. */
static int carrier_signal(void) {
    static const int order[] = {SIGCHLD, SIGPROF, GLMMGO_SIG34};
    for (int k = 0; k < NWRAPPED; k++) {
        int i = index_of(order[k]);
        struct sigaction cur;
        if (!atomic_load(&installed[i]) || sigaction(order[k], NULL, &cur) != 0) continue;
        if ((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == forward) return order[k];
    }
    return 0;
}

/* Sends sig, marked IMMUNISE, to thread tid of this process. */
static void send_immunise(pid_t tid, int sig) {
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_signo = sig;
    si.si_code = SI_QUEUE;
    si.si_pid = getpid();
    si.si_uid = getuid();
    si.si_value.sival_int = IMMUNISE;
    syscall(SYS_rt_tgsigqueueinfo, si.si_pid, tid, sig, &si);
}

/* Sends sig marked IMMUNISE to every other thread not immunised yet. */
static void sweep(int sig) {
    DIR *d = opendir("/proc/self/task");
    if (d == NULL) return;
    pid_t self = gettid_now();
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        pid_t tid = (pid_t)atoi(e->d_name);
        if (tid != self && !is_immune(tid)) send_immunise(tid, sig);
    }
    closedir(d);
}

static int any_installed(void) {
    for (int i = 0; i < NWRAPPED; i++)
        if (atomic_load(&installed[i])) return 1;
    return 0;
}

/* Called first on each thread Go creates. The thread is registered as
   Go's; if it starts with every signal blocked (as runtime/cgo starts the
   threads of Go's scheduler), the immunisation is queued to it: it waits,
   pending, until Go's start-up code unblocks SIGPROF, SIGCHLD and 34 on
   the thread, and is delivered at that instant, before the thread runs
   any goroutine. Should a re-arming host handler stand in place of the
   forwarder for a moment, the thread waits for the forwarder's return (at
   most a few milliseconds; it has not started Go yet). */
void glmmgo_immunise_new_thread(int all_blocked) {
    pid_t tid = gettid_now();
    int k = entry_of(tid, 1);
    if (k >= 0) atomic_store(&thread_immune[k], 0);
    if (!all_blocked) return;
    struct timespec pause = {0, 20000};
    for (int tries = 0; tries < 200 && any_installed(); tries++) {
        int sig = carrier_signal();
        if (sig != 0) {
            send_immunise(tid, sig);
            return;
        }
        nanosleep(&pause, NULL);
    }
}

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Waits, at most 50 ms, until every thread of Go's is immune: when a host
   handler has just been wrapped, Go's threads may still take the host's
   signals, and while one of them runs a re-arming host handler (which puts
   itself back in place of the forwarder for a moment), another tick could
   run it on a goroutine's stack. Threads take the immunisation as soon as
   they are scheduled, in microseconds. */
static void await_immunity(void) {
    struct timespec pause = {0, 100000};
    for (int k = 0; k < 500 && !all_immune(); k++) nanosleep(&pause, NULL);
}

void glmmgo_wrap_signals(void) {
    int fresh = 0;
    for (int i = 0; i < NWRAPPED; i++) {
        struct sigaction cur;
        int was = atomic_load(&installed[i]), now = 0;
        if (sigaction(wrapped[i], NULL, &cur) == 0) now = take_over(wrapped[i], i, &cur);
        atomic_store(&installed[i], now);
        fresh |= now && !was;
    }
    glmmgo_sweep_threads(fresh);
    if (fresh) await_immunity();
}

void glmmgo_sweep_threads(int now) {
    int carrier = carrier_signal();
    if (carrier == 0) return;
    long long t = now_ns(), last = atomic_load(&last_sweep_ns);
    if (!now && t - last < 100000000LL) return;
    if (!atomic_compare_exchange_strong(&last_sweep_ns, &last, t)) return;
    sweep(carrier);
}

/* Blocks the wrapped signals on this thread once the handler returns, if
   it is one of Go's: registered at birth, or (should the library be linked
   without threads.c's wrapper) not a host thread and interrupted in the
   library's code. */
static void immunise(void *ucv) {
    if (glmmgo_host_thread) return;
    ucontext_t *uc = (ucontext_t *)ucv;
    pid_t tid = gettid_now();
    int k = entry_of(tid, 0);
    if (k < 0) {
        uintptr_t pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
        if (pc < text_lo || pc >= text_hi) return;
        k = entry_of(tid, 1);
    }
    for (int i = 0; i < NWRAPPED; i++) sigaddset(&uc->uc_sigmask, wrapped[i]);
    if (k >= 0) atomic_store(&thread_immune[k], 1);
}

static void forward(int sig, siginfo_t *info, void *uc) {
    int saved = errno, i = index_of(sig);
    if (i < 0) return;
    immunise(uc);
    if (info != NULL && info->si_code == SI_QUEUE && info->si_pid == getpid() && info->si_value.sival_int == IMMUNISE) {
        errno = saved;
        return; /* ours: not the host's signal */
    }
    struct sigaction h = host_slot[i][atomic_load(&host_current[i])];
    if (h.sa_flags & SA_RESETHAND) {
        /* A one-shot handler: the disposition returns to the default
           before it runs, as the kernel would have done. */
        struct sigaction dfl;
        memset(&dfl, 0, sizeof dfl);
        dfl.sa_handler = SIG_DFL;
        sigaction(sig, &dfl, NULL);
        atomic_store(&installed[i], 0);
    }
    if (h.sa_flags & SA_SIGINFO) h.sa_sigaction(sig, info, uc);
    else h.sa_handler(sig);
    struct sigaction cur;
    if (sigaction(sig, NULL, &cur) == 0) atomic_store(&installed[i], take_over(sig, i, &cur));
    errno = saved;
}
