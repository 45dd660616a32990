/* Asks an MCLA model, an MCLA fit, an LMM model, an LMM fit, a mixlogit
   model, a mixlogit fit, a laplace model and a laplace fit for every
   result code from 0 to 4999 and prints, for each code a handle answers:

     <kind> <code> <length> <type d|i> <message for a length one too long>

   The Go test (tests/exports_test.go) compares this with the codes the
   header defines. usage: result_codes CASEFILE */
#include <math.h>
#include <string.h>
#include "mcla_case.h"

static void scan(const char *kind, glmmgo_handle h) {
    static double d[1 << 16];
    static int64_t i[1 << 16];
    char err[512];
    for (int32_t code = 0; code < 5000; code++) {
        int64_t n = -1;
        int s = glmmgo_result_length(h, code, &n, err, sizeof err);
        if (s == GLMMGO_ERR_INVALID && strncmp(err, "what:", 5) == 0) continue;
        if (s != GLMMGO_OK || n < 0 || n + 1 > (1 << 16)) {
            printf("%s %d error %d %s\n", kind, (int)code, s, err);
            continue;
        }
        char type = 'd';
        s = glmmgo_result(h, code, d, n, err, sizeof err);
        if (s != GLMMGO_OK) {
            type = 'i';
            s = glmmgo_result_int64(h, code, i, n, err, sizeof err);
        }
        if (s != GLMMGO_OK) {
            printf("%s %d error %d %s\n", kind, (int)code, s, err);
            continue;
        }
        s = type == 'd' ? glmmgo_result(h, code, d, n + 1, err, sizeof err) : glmmgo_result_int64(h, code, i, n + 1, err, sizeof err);
        printf("%s %d %lld %c %d %s\n", kind, (int)code, (long long)n, type, s, err);
    }
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: result_codes CASEFILE\n"); return 2; }
    mcla_case c = read_case(argv[1]);
    char err[512];
    glmmgo_handle mm = new_model(&c), mf = 0, lm = 0, lf = 0;
    glmmgo_mcla_options mo;
    glmmgo_mcla_options_default(&mo, sizeof mo, NULL, 0);
    mo.m = 200;
    if (glmmgo_mcla_fit(mm, &mo, NULL, NULL, &mf, err, sizeof err) != GLMMGO_OK) { fprintf(stderr, "mcla fit: %s\n", err); return 1; }
    enum { N = 40 };
    double y[N], x[N], z[N];
    int64_t codes[N], nlev = 5, k = 1;
    for (int r = 0; r < N; r++) {
        codes[r] = r % 5;
        x[r] = z[r] = 1;
        y[r] = 1 + 0.3 * (r % 5) + 0.1 * ((r * 37) % 11);
    }
    if (glmmgo_lmm_new(N, 1, y, x, NULL, 1, &nlev, &k, codes, z, &lm, err, sizeof err) != GLMMGO_OK) { fprintf(stderr, "%s\n", err); return 1; }
    glmmgo_lmm_options lo;
    glmmgo_lmm_options_default(&lo, sizeof lo, NULL, 0);
    if (glmmgo_lmm_fit(lm, &lo, NULL, NULL, &lf, err, sizeof err) != GLMMGO_OK) { fprintf(stderr, "lmm fit: %s\n", err); return 1; }
    /* A mixlogit model: 30 subjects on 6 occasions, two slopes of opposite sign. */
    enum { XN = 30, XT = 6 };
    double xy[XN * XT], xx[XN * XT];
    for (int i = 0; i < XN; i++)
        for (int j = 0; j < XT; j++) {
            double x = sin(0.7 * i + 1.3 * j), u = fmod(fabs(sin(12.9898 * i + 78.233 * j)) * 43758.5453, 1.0);
            xx[i + XN * j] = x;
            xy[i + XN * j] = u < 1 / (1 + exp(-((i % 3 == 0 ? -1.5 : 2.0) * x + 0.5 * sin(3.1 * i)))) ? 1 : 0;
        }
    glmmgo_handle xm = 0, xf = 0;
    if (glmmgo_mixlogit_new(XN, XT, xy, xx, &xm, err, sizeof err) != GLMMGO_OK) { fprintf(stderr, "mixlogit: %s\n", err); return 1; }
    glmmgo_mixlogit_options xo;
    glmmgo_mixlogit_options_default(&xo, sizeof xo, NULL, 0);
    xo.method = GLMMGO_MIXLOGIT_QUADRATURE;
    if (glmmgo_mixlogit_fit(xm, &xo, NULL, NULL, &xf, err, sizeof err) != GLMMGO_OK) { fprintf(stderr, "mixlogit fit: %s\n", err); return 1; }
    /* A laplace model: 60 Bernoulli responses in 6 groups, one covariate. */
    enum { LN = 60 };
    double ly[LN], lx[2 * LN], lz[LN];
    int64_t lcodes[LN], lnlev = 6, lk = 1;
    for (int r = 0; r < LN; r++) {
        lcodes[r] = r % 6;
        lx[r] = lz[r] = 1;
        lx[LN + r] = sin(0.37 * r);
        ly[r] = fmod(fabs(sin(12.9898 * r)) * 43758.5453, 1.0) < 1 / (1 + exp(-(0.8 * (r % 6) - 2 + lx[LN + r]))) ? 1 : 0;
    }
    glmmgo_handle pm = 0, pf = 0;
    if (glmmgo_laplace_new(LN, 2, GLMMGO_BERNOULLI, GLMMGO_LINK_DEFAULT, ly, NULL, NULL, NULL, 0, lx, 1, &lnlev, &lk, lcodes, lz,
                           &pm, err, sizeof err) != GLMMGO_OK) { fprintf(stderr, "laplace: %s\n", err); return 1; }
    glmmgo_laplace_options po;
    glmmgo_laplace_options_default(&po, sizeof po, NULL, 0);
    if (glmmgo_laplace_fit(pm, &po, NULL, NULL, &pf, err, sizeof err) != GLMMGO_OK) { fprintf(stderr, "laplace fit: %s\n", err); return 1; }
    scan("mcla_model", mm);
    scan("mcla_fit", mf);
    scan("lmm_model", lm);
    scan("lmm_fit", lf);
    scan("mixlogit_model", xm);
    scan("mixlogit_fit", xf);
    scan("laplace_model", pm);
    scan("laplace_fit", pf);
    struct glmmgo_dims d = {.size = sizeof d};
    glmmgo_handle all[8] = {mm, mf, lm, lf, xm, xf, pm, pf};
    for (int j = 0; j < 8; j++) {
        glmmgo_dims(all[j], &d, NULL, 0);
        printf("kind %d\n", (int)d.kind);
        glmmgo_free(all[j]);
    }
    return 0;
}
