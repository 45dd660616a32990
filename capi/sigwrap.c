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
   - Immunisation. The three are blocked for good (through the signal
     mask the kernel restores when a handler returns) on each of Go's
     threads: those registered at birth by threads.c (and, should the
     library be linked without it, any thread that is not a host thread —
     one that has never called the library — caught running the library's
     own code). The vehicle is a signal marked as the library's (sigqueue's
     value), normally SIGSTKFLT, whose handler the library's first call
     installs ("The carrier" below; a wrapped signal whose disposition is
     the forwarder if the host has displaced it). Every thread of Go's is
     sent one at the first call, which returns only when each blocks the
     three (read from the kernel); every thread Go creates later queues one
     to itself before it runs any Go code (threads.c); and sweeps, at most
     every tenth of a second on entries and at the checkpoints of long
     calls, send one to any thread of Go's that does not block the three.
     So from the library's first call on, none of these signals reaches
     Go's threads whatever the host's handlers, and the short time in which
     a re-arming host handler is installed in place of the forwarder
     (between its signal() and the forwarder taking over again) finds no
     thread of Go's that could take one. (Measured with tests/c/harden.c's
     sigprof mode, 1 ms ticks, two at a time on two cores: when only the
     sweeps immunised, 47 of 400 runs died and a host handler ran on a
     goroutine's stack in a third of them; with immunisation at birth, 0
     of 600 died and none ran there in 80 runs instrumented to see it; with
     the SIGSTKFLT carrier 0 of 300.)

   At load. A host may load the library while its profiler runs (R does,
   for glmmgo::glmer() inside Rprof() with the package not yet loaded):
   the library's first constructor, before Go's runtime starts, wraps the
   host's handlers and blocks the three on the loading thread, so that the
   thread that starts Go's runtime is born with them blocked and takes its
   immunisation the instant Go unblocks them, before Go's package
   initialisation runs on it (guard.c, block_before_go; measured with
   tests/c/loadprof.c: the host's handler ran there, on a goroutine's
   stack, in 28 of 30 loads before, in none of 600 after; under R, 1
   process in 40–80 died of it).

   The host's handler thus runs as before on the host's threads, only never
   on a goroutine's stack. A host that looks at the disposition of these
   signals sees the forwarder; a host handler installed with SA_ONSTACK, and
   SIG_DFL and SIG_IGN, are left alone. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
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
static void carry(int sig, siginfo_t *info, void *uc);
static void immunise(void *ucv);

/* The carrier of the immunisation (see "The carrier" below): whether its
   handler was installed (0 not yet, 1 installed, 2 could not be, 3 being
   installed) and the host's disposition it stands in front of. */
static atomic_int carrier_state;
static struct sigaction carrier_host;

/* Threads registered at birth (threads.c): when there are any, sweeps
   visit the registry instead of every thread of the process. */
static atomic_int births;

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

/* Whether thread tid blocks SIGPROF, SIGCHLD and 34 now, read from the
   kernel (/proc/self/task/tid/status, SigBlk) rather than trusted from the
   flag its immunisation set: Go's start-up code resets a thread's mask, so
   a thread immunised before it (the one that starts Go's runtime, swept
   by an entry made while the runtime is still starting) loses it. A thread
   that has exited counts as blocking them. Not async-signal-safe. */
static int blocks_wrapped(pid_t tid) {
    char path[64], buf[2048];
    snprintf(path, sizeof path, "/proc/self/task/%d/status", (int)tid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return 1;
    buf[n] = 0;
    const char *p = strstr(buf, "SigBlk:");
    if (p == NULL) return 1;
    unsigned long long m = strtoull(p + 7, NULL, 16);
    for (int i = 0; i < NWRAPPED; i++)
        if (!(m & (1ULL << (wrapped[i] - 1)))) return 0;
    return 1;
}

/* Whether registered thread k is immune: its immunisation ran (the flag)
   and its mask still blocks the three. Both, because each alone can
   deceive: Go's start-up code resets the mask of a thread immunised before
   it (the flag stays), and a thread inside one of Go's signal handlers, or
   creating a thread, blocks every signal for a moment (the mask looks
   immune before its immunisation has run). */
static int immune_now(int k) {
    return atomic_load(&thread_immune[k]) && blocks_wrapped((pid_t)atomic_load(&thread_tid[k]));
}

/* Whether every thread registered as Go's blocks them (or, without
   registered threads, every thread known to the immunisation is immune). */
static int all_immune(void) {
    int n = atomic_load(&nthreads), reg = atomic_load(&births) > 0;
    for (int k = 0; k < n && k < MAXTHREADS; k++) {
        if (reg ? !immune_now(k) : !atomic_load(&thread_immune[k])) return 0;
    }
    return 1;
}

/* The signal to carry an immunisation: SIGSTKFLT while the carrier's
   handler is its disposition, else a wrapped signal whose disposition is
   the forwarder (SIGCHLD first: should the host set it back to its default
   between this check and the delivery, the default ignores it), or 0. */
static int carrier_signal(void) {
    struct sigaction cur;
    if (atomic_load(&carrier_state) == 1 && sigaction(SIGSTKFLT, NULL, &cur) == 0 && (cur.sa_flags & SA_SIGINFO) &&
        cur.sa_sigaction == carry)
        return SIGSTKFLT;
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

/* Sends sig marked IMMUNISE to every other thread not immunised yet: to
   each of Go's threads in the registry, or, should the library be linked
   without threads.c's wrapper (no thread was registered at birth), to
   every thread of the process. */
static void sweep(int sig) {
    if (atomic_load(&births) > 0) {
        pid_t self = gettid_now();
        int n = atomic_load(&nthreads);
        for (int k = 0; k < n && k < MAXTHREADS; k++) {
            pid_t tid = (pid_t)atomic_load(&thread_tid[k]);
            if (tid != 0 && tid != self && !immune_now(k)) send_immunise(tid, sig);
        }
        return;
    }
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
   any goroutine. Should the carrier be a wrapped signal (the library's
   SIGSTKFLT handler displaced by the host) and a re-arming host handler
   stand in place of the forwarder for a moment, the thread waits for the
   forwarder's return (at most a few milliseconds; it has not started Go
   yet). */
void glmmgo_immunise_new_thread(int all_blocked) {
    pid_t tid = gettid_now();
    int k = entry_of(tid, 1);
    if (k >= 0) atomic_store(&thread_immune[k], 0);
    atomic_fetch_add(&births, 1);
    if (!all_blocked) return;
    struct timespec pause = {0, 20000};
    for (int tries = 0; tries < 200; tries++) {
        int sig = carrier_signal();
        if (sig != 0) {
            send_immunise(tid, sig);
            return;
        }
        if (!any_installed()) return; /* no carrier before the first entry: the first sweep immunises it */
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
static void await_immunity(int sig) {
    struct timespec pause = {0, 100000};
    for (int k = 0; k < 500 && !all_immune(); k++) {
        nanosleep(&pause, NULL);
        if (k % 50 == 49) sweep(sig); /* a thread whose immunisation its start-up undid */
    }
}

/* The carrier. SIGSTKFLT (16) is the one signal that both Go unblocks on
   each of its threads (so a queued one reaches a new thread the moment
   Go's start-up code sets its mask) and no one raises on Linux (it was
   the coprocessor's stack fault), and Go installs no handler for it in a
   library. The first entry puts a handler for it in front of the host's
   disposition, which carries the immunisation whatever the host does with
   SIGPROF, SIGCHLD and 34: so Go's threads block those from the library's
   first call on, even before a host installs a handler for them (a
   profiler started between two calls, while Go's garbage collector still
   ran on its threads, could otherwise reach one not yet immunised). A
   SIGSTKFLT that is not ours goes to the host's disposition. Returns
   whether it was installed now. */
static int install_carrier(void) {
    int expect = 0;
    if (!atomic_compare_exchange_strong(&carrier_state, &expect, 3)) return 0;
    struct sigaction cur, sa;
    int ok = sigaction(SIGSTKFLT, NULL, &cur) == 0;
    if (ok) {
        carrier_host = cur;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = carry;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
        sigemptyset(&sa.sa_mask);
        ok = sigaction(SIGSTKFLT, &sa, NULL) == 0;
    }
    atomic_store(&carrier_state, ok ? 1 : 2);
    return ok;
}

/* Puts the forwarder in front of each wrapped signal's host handler that
   needs it; returns whether it took over one it had not held. */
static int wrap_handlers(void) {
    int fresh = 0;
    for (int i = 0; i < NWRAPPED; i++) {
        struct sigaction cur;
        int was = atomic_load(&installed[i]), now = 0;
        if (sigaction(wrapped[i], NULL, &cur) == 0) now = take_over(wrapped[i], i, &cur);
        atomic_store(&installed[i], now);
        fresh |= now && !was;
    }
    return fresh;
}

void glmmgo_wrap_signals(void) {
    int fresh = install_carrier();
    fresh |= wrap_handlers();
    glmmgo_sweep_threads(fresh);
    int sig = carrier_signal();
    if (fresh && sig != 0) await_immunity(sig);
}

void glmmgo_wrap_at_load(void) { wrap_handlers(); }

void glmmgo_immunise_all(void) {
    int sig = carrier_signal();
    if (sig == 0) return;
    glmmgo_sweep_threads(1);
    await_immunity(sig);
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

/* Whether a signal is an immunisation sent by the library. */
static int marked(const siginfo_t *info) {
    return info != NULL && info->si_code == SI_QUEUE && info->si_pid == getpid() && info->si_value.sival_int == IMMUNISE;
}

/* The carrier's handler: an immunisation, or the host's SIGSTKFLT, which
   gets what the host had (its default ends the process, as it would have). */
static void carry(int sig, siginfo_t *info, void *uc) {
    int saved = errno;
    if (marked(info)) {
        immunise(uc);
        errno = saved;
        return;
    }
    struct sigaction h = carrier_host;
    if (h.sa_flags & SA_SIGINFO) {
        h.sa_sigaction(sig, info, uc);
    } else if (h.sa_handler == SIG_DFL) {
        signal(sig, SIG_DFL);
        raise(sig); /* delivered when this handler returns */
    } else if (h.sa_handler != SIG_IGN) {
        h.sa_handler(sig);
    }
    errno = saved;
}

static void forward(int sig, siginfo_t *info, void *uc) {
    int saved = errno, i = index_of(sig);
    if (i < 0) return;
    immunise(uc);
    if (marked(info)) {
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
