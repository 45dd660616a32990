/* Evaluates a case through the C ABI: objective with the given number of
   workers, then the same from two partials (split at a block boundary and
   elsewhere) merged. Prints the numbers for the Go test to compare. */
#include <math.h>
#include <string.h>
#include "mcla_case.h"

static void print_vec(const char *name, const double *v, int64_t k) {
    printf("%s", name);
    for (int64_t i = 0; i < k; i++) printf(" %.17g", v[i]);
    printf("\n");
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: mcla_objective CASEFILE WORKERS\n"); return 2; }
    mcla_case c = read_case(argv[1]);
    int32_t workers = atoi(argv[2]);
    glmmgo_handle h = build_model(&c);
    int64_t d = c.p + c.nvc;
    double value, *g = malloc(sizeof(double) * d), *H = malloc(sizeof(double) * d * d);
    char err[512];
    int s = glmmgo_mcla_objective(h, c.par, workers, &value, g, H, err, sizeof err);
    if (s != GLMMGO_OK) { fprintf(stderr, "objective: %d %s\n", s, err); return 1; }
    printf("value %.17g\n", value);
    print_vec("gradient", g, d);
    print_vec("hessian", H, d * d);

    int64_t len;
    if (glmmgo_mcla_partial_length(h, &len, err, sizeof err) != GLMMGO_OK) { fprintf(stderr, "%s\n", err); return 1; }
    /* Split 0 is at a block boundary when there are two blocks or more. */
    int64_t cuts[2] = {c.m > GLMMGO_BLOCK_ROWS ? GLMMGO_BLOCK_ROWS : c.m / 2, c.m / 3};
    printf("aligned %d\n", c.m > GLMMGO_BLOCK_ROWS);
    for (int k = 0; k < 2; k++) {
        double *parts = malloc(sizeof(double) * 2 * len);
        if (glmmgo_mcla_partial(h, c.par, d, 0, cuts[k], workers, parts, len, err, sizeof err) != GLMMGO_OK ||
            glmmgo_mcla_partial(h, c.par, d, cuts[k], c.m, workers, parts + len, len, err, sizeof err) != GLMMGO_OK) {
            fprintf(stderr, "partial: %s\n", err);
            return 1;
        }
        double v2, *g2 = malloc(sizeof(double) * d), *H2 = malloc(sizeof(double) * d * d);
        s = glmmgo_mcla_merge(h, c.par, d, 2, parts, len, &v2, g2, H2, err, sizeof err);
        if (s != GLMMGO_OK) { fprintf(stderr, "merge: %d %s\n", s, err); return 1; }
        printf("merged_value_%d %.17g\n", k, v2);
        print_vec(k == 0 ? "merged_hessian_0" : "merged_hessian_1", H2, d * d);
        free(parts); free(g2); free(H2);
    }
    if (glmmgo_free(h) != GLMMGO_OK) { fprintf(stderr, "free failed\n"); return 1; }
    if (glmmgo_free(h) != GLMMGO_ERR_HANDLE) { fprintf(stderr, "double free not detected\n"); return 1; }
    free(g); free(H);
    return 0;
}
