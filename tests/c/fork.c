/* What a child forked from a process that loaded libglmmgo gets when it
   calls in.

   usage: fork <scenario>
     idle    the parent has used the library; nothing runs in Go at the fork
     busy    another thread of the parent is inside a long MCLA evaluation
             (two workers) when the main thread forks
     fresh   the library is loaded but was never called, and the fork comes
             at once, while the runtime may still be starting (it starts on
             its own thread at load time)
     loaded  the library was loaded 200 ms before the fork and never called
     static  the child calls only the functions that need no Go
     rawfork as idle, but the child is made by glibc's _Fork(), which runs no
             atfork handlers: only the process-id comparison can tell

   The child makes its calls under alarm(): a hang becomes death by SIGALRM,
   which the parent reports. Output lines (parent and child):
     child_status <what> <status> <message>   (child: one call's result)
     child_exit <code> | child_signal <sig>   (parent: how the child ended)
     parent_after <status>                    (parent: the library still works) */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "glmmgo.h"
#include "model.h"

static glmmgo_handle H;
static atomic_int started;

static void *busy(void *arg) {
    (void)arg;
    glmmgo_handle h = big_model(20000, 1);
    if (!h) return NULL;
    double val, g[2], par[2] = {0.2, 1.5};
    char err[256];
    started = 1;
    for (int i = 0; i < 4; i++) {
        int s = glmmgo_mcla_objective(h, par, 2, &val, g, NULL, err, sizeof err);
        if (s != GLMMGO_OK) { fprintf(stderr, "busy objective: %d %s\n", s, err); exit(1); }
    }
    glmmgo_free(h);
    return NULL;
}

static void child(const char *scenario) {
    char err[256] = "unset";
    alarm(5);
    if (strcmp(scenario, "static") == 0) {
        printf("child_status version 0 %s\n", glmmgo_version());
        printf("child_status status_string 0 %s\n", glmmgo_status_string(GLMMGO_ERR_FORKED));
        printf("child_status version_number 0 %d\n", (int)glmmgo_version_number());
        fflush(stdout);
        _exit(0);
    }
    struct glmmgo_dims d = {.size = sizeof d};
    int s = glmmgo_dims(H, &d, err, sizeof err);
    printf("child_status dims %d %s\n", s, err);
    fflush(stdout);
    glmmgo_handle h2 = 0;
    s = small_model_new(&h2, err, sizeof err);
    printf("child_status new %d %s\n", s, err);
    fflush(stdout);
    glmmgo_mcla_options o;
    glmmgo_handle fit = 77;
    s = glmmgo_mcla_options_default(&o, sizeof o, err, sizeof err);
    printf("child_status options %d %s\n", s, err);
    s = glmmgo_mcla_fit(H, &o, NULL, NULL, &fit, err, sizeof err);
    printf("child_status fit %d %s\n", s, err);
    printf("child_status fit_handle %d -\n", (int)fit);
    s = glmmgo_free(H);
    printf("child_status free %d -\n", s);
    printf("child_status workers %d -\n", (int)glmmgo_available_workers());
    fflush(stdout);
    _exit(0);
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: fork idle|busy|fresh|loaded|static|rawfork\n"); return 2; }
    const char *sc = argv[1];
    setvbuf(stdout, NULL, _IOLBF, 0);
    pthread_t th;
    int threaded = 0;
    int uncalled = strcmp(sc, "fresh") == 0 || strcmp(sc, "loaded") == 0;
    if (strcmp(sc, "loaded") == 0) usleep(200000);
    if (!uncalled) {
        H = small_model();
        if (!H) return 1;
    }
    if (strcmp(sc, "busy") == 0) {
        if (pthread_create(&th, NULL, busy, NULL) != 0) return 1;
        threaded = 1;
        while (!started) usleep(1000);
        usleep(20000); /* well inside the evaluations */
    }
    fflush(stdout);
    pid_t pid = strcmp(sc, "rawfork") == 0 ? _Fork() : fork();
    if (pid < 0) { perror("fork"); return 1; }
    if (pid == 0) child(sc);
    int ws;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {}
    if (WIFEXITED(ws)) printf("child_exit %d\n", WEXITSTATUS(ws));
    else if (WIFSIGNALED(ws)) printf("child_signal %d\n", WTERMSIG(ws));
    if (threaded) pthread_join(th, NULL);
    /* The parent is unaffected. */
    if (uncalled) H = small_model();
    struct glmmgo_dims d = {.size = sizeof d};
    char err[256];
    printf("parent_after %d\n", glmmgo_dims(H, &d, err, sizeof err));
    glmmgo_free(H);
    return 0;
}
