/* A host's SIGINT handler keeps working after libglmmgo is loaded and
   while it computes, and signals do not disturb the computation.

   usage: signal <mode> <nsignals>
     sigaction  the handler is installed with sigaction and SA_ONSTACK, as
                Go asks of hosts
     signal     the handler is installed with signal(), which sets no
                SA_ONSTACK (R does this after every Ctrl-C); the library's
                entry restores the flag (see capi/guard.c)

     bigsigaction, bigsignal  the same with a handler whose frame is 12 KiB
   usage: signal fitcancel   (see fitcancel below)

   The main thread evaluates a large MCLA model with two workers over and
   over while a second thread sends SIGINT to the process every 200 µs,
   nsignals times. Output:
     handled <n>    signals the handler saw: those sent to the host's threads
                    (the main thread, where they are held while the library
                    runs and delivered when it returns, pending ones
                    merging, and the sender itself); those sent to Go's
                    threads stay blocked there
     sent_to_main <n>  signals sent to the host's threads
     sent <n>
     identical <0|1> every evaluation equals the one made before any signal
     evaluations <n> */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <dirent.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "glmmgo.h"
#include "model.h"

static volatile sig_atomic_t handled;
static atomic_int done, sent, sent_to_main;
static pid_t main_tid;
static int nsignals;

static void on_sigint(int sig) {
    (void)sig;
    handled++;
}

/* A handler with a 12 KiB frame: too big for the small part of a
   goroutine's stack left below its stack pointer, fine on the 32 KiB
   signal stack Go gives each of its threads. */
static void on_sigint_big(int sig) {
    volatile char buf[12 << 10];
    for (size_t i = 0; i < sizeof buf; i += 512) buf[i] = (char)sig;
    handled += buf[0] == (char)sig;
}

/* Sends SIGINT to the i-th thread of the process (round robin over
   /proc/self/task), so that Go's own threads receive their share, not just
   the main thread, which Linux prefers for kill(). */
static void signal_thread(int i) {
    DIR *d = opendir("/proc/self/task");
    if (!d) { kill(getpid(), SIGINT); return; }
    int tids[256], n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 256)
        if (e->d_name[0] != '.') tids[n++] = atoi(e->d_name);
    closedir(d);
    if (n == 0) { kill(getpid(), SIGINT); return; }
    if (tids[i % n] == main_tid || tids[i % n] == (pid_t)syscall(SYS_gettid)) atomic_fetch_add(&sent_to_main, 1);
    syscall(SYS_tgkill, getpid(), tids[i % n], SIGINT);
}

static void *sender(void *arg) {
    (void)arg;
    struct timespec ts = {0, 200000};
    for (int i = 0; i < nsignals && !atomic_load(&done); i++) {
        signal_thread(i);
        atomic_fetch_add(&sent, 1);
        nanosleep(&ts, NULL);
    }
    return NULL;
}

/* ---- fitcancel: SIGINT during an LMM fit ends it through the progress
   callback's cancel path: the host's handler sets a flag, the callback sees
   it and returns nonzero, the fit returns GLMMGO_ERR_CANCELLED and no fit
   handle, and the model works afterwards. ---- */
static volatile sig_atomic_t interrupted;
static atomic_int want_signal;
static void on_sigint_flag(int sig) { (void)sig; interrupted = 1; }

static int progress(void *ud, int64_t iter, double obj, const double *par, int64_t npar) {
    (void)ud; (void)obj; (void)par; (void)npar;
    if (iter == 2) {
        atomic_store(&want_signal, 1);
        for (int i = 0; i < 2000 && !interrupted; i++) usleep(1000); /* the user is slow to press Ctrl-C */
    }
    return interrupted ? 1 : 0;
}

static void *interrupter(void *arg) {
    (void)arg;
    while (!atomic_load(&want_signal)) usleep(200);
    kill(getpid(), SIGINT);
    return NULL;
}

static int fitcancel(void) {
    enum { N = 300 };
    static double y[N], x[2 * N], z[N];
    static int64_t codes[N];
    int64_t nlev = 15, k = 1;
    uint64_t s = 42;
    for (int i = 0; i < N; i++) {
        codes[i] = i % 15;
        x[i] = 1;
        x[N + i] = hm_norm(&s);
        z[i] = 1;
        y[i] = 1 + 0.5 * x[N + i] + 0.4 * hm_norm(&s) + 0.3 * (double)(i % 15) / 15;
    }
    char err[256];
    glmmgo_handle h = 0;
    if (glmmgo_lmm_new(N, 2, y, x, NULL, 1, &nlev, &k, codes, z, &h, err, sizeof err) != GLMMGO_OK) { fprintf(stderr, "%s\n", err); return 1; }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint_flag;
    sa.sa_flags = SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    pthread_t th;
    pthread_create(&th, NULL, interrupter, NULL);
    glmmgo_lmm_options o;
    glmmgo_lmm_options_default(&o, sizeof o, NULL, 0);
    o.reml = 1;
    glmmgo_handle f = 5;
    int st = glmmgo_lmm_fit(h, &o, progress, NULL, &f, err, sizeof err);
    pthread_join(th, NULL);
    printf("fit_status %d\n", st);
    printf("interrupted %d\n", (int)interrupted);
    double v;
    printf("fit_handle %d\n", (int)f);
    printf("info_after_cancel %d\n", glmmgo_result(f, GLMMGO_LMM_OBJECTIVE, &v, 1, err, sizeof err));
    double th0 = 0.5;
    printf("objective_after_cancel %d\n", glmmgo_lmm_objective(h, &th0, 1, 1, 0, &v, err, sizeof err));
    interrupted = 0;
    printf("refit %d\n", glmmgo_lmm_fit(h, &o, NULL, NULL, &f, err, sizeof err));
    glmmgo_free(f);
    glmmgo_free(h);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "fitcancel") == 0) return fitcancel();
    if (argc != 3) { fprintf(stderr, "usage: signal sigaction|signal nsignals\n"); return 2; }
    nsignals = atoi(argv[2]);
    main_tid = (pid_t)syscall(SYS_gettid);
    glmmgo_handle h = big_model(4000, 3);
    if (!h) return 1;
    double par[2] = {-0.3, 0.9}, v0, g0[2], h0[4], v, g[2], hh[4];
    char err[256];
    if (glmmgo_mcla_objective(h, par, 2, &v0, g0, h0, err, sizeof err) != GLMMGO_OK) { fprintf(stderr, "%s\n", err); return 1; }
    int big = strncmp(argv[1], "big", 3) == 0;
    const char *mode = big ? argv[1] + 3 : argv[1];
    if (strcmp(mode, "sigaction") == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = big ? on_sigint_big : on_sigint;
        sa.sa_flags = SA_ONSTACK | SA_RESTART;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
    } else {
        signal(SIGINT, big ? on_sigint_big : on_sigint);
    }
    pthread_t th;
    pthread_create(&th, NULL, sender, NULL);
    int identical = 1, evals = 0;
    while (atomic_load(&sent) < nsignals) {
        int s = glmmgo_mcla_objective(h, par, 2, &v, g, hh, err, sizeof err);
        if (s != GLMMGO_OK) { fprintf(stderr, "objective: %d %s\n", s, err); return 1; }
        if (memcmp(&v, &v0, sizeof v) || memcmp(g, g0, sizeof g) || memcmp(hh, h0, sizeof hh)) identical = 0;
        evals++;
    }
    atomic_store(&done, 1);
    pthread_join(th, NULL);
    usleep(10000);
    glmmgo_free(h);
    printf("handled %d\nsent %d\nsent_to_main %d\nidentical %d\nevaluations %d\n", (int)handled, atomic_load(&sent),
           atomic_load(&sent_to_main), identical, evals);
    return 0;
}
