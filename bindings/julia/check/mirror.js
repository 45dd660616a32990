#!/usr/bin/env node
'use strict';
// Generates, compiles and runs a C program that makes the library calls
// test/runtests.jl makes (through GlmmGo's two layers), with the same arguments,
// and checks the same expectations with the same tolerances, all taken from
// test/data/plan.toml and the reference files it names. A failure here means a
// Julia test would fail against this build of libglmmgo.
//
// It also checks that runtests.jl and this file implement the same error scenarios
// as the plan lists; that the program calls every function of the header and reads
// every result code (so the tests cover the whole interface); that a fit's results
// are read as GlmmGo reads them (the codes its _read_lmmfit, _read_mclafit,
// _read_mixlogitfit and _read_glmmfit name,
// each with the type the header gives it); and (with C11 static assertions) that
// every struct of src/LibGlmmGo.jl has the C compiler's layout of the header's.
//
// Usage: node mirror.js --lib DIR_WITH_libglmmgo.so [--include DIR] [--package DIR] [--keep FILE.c]

const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync, spawnSync } = require('child_process');
const td = require('./lib/testdata.js');
const jl = require('./lib/julia.js');
const { readHeader } = require('./lib/header.js');

// ---- C source helpers ---------------------------------------------------------------

const num = (x) => {
  if (x === Infinity || x === '+Inf' || x === 'Inf') return 'INFINITY';
  if (x === -Infinity || x === '-Inf') return '(-INFINITY)';
  if (typeof x !== 'number' || Number.isNaN(x)) throw new Error(`not a number: ${x}`);
  const s = String(x); // shortest representation that reads back to the same double
  return /[.eE]/.test(s) ? s : `${s}.0`;
};
const int = (x) => {
  if (!Number.isInteger(x)) throw new Error(`not an integer: ${x}`);
  return `INT64_C(${x})`;
};
const cstr = (s) => JSON.stringify(String(s)); // ASCII names only
const dlist = (v) => `(const double[]){${v.map(num).join(',')}}`;
function arr(out, ctype, name, values, fmt) {
  const body = values.length ? values.map(fmt).join(',') : '0';
  out.push(`static const ${ctype} ${name}[${Math.max(values.length, 1)}] __attribute__((unused)) = {${body}};`);
}

const PRELUDE = String.raw`
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "glmmgo.h"

static int n_pass, n_fail;
static char err[1024]; /* GlmmGo's ERRLEN */

static void result(int ok, const char *what, const char *detail) {
    if (ok) { n_pass++; printf("PASS %s\n", what); }
    else { n_fail++; printf("FAIL %s %s\n", what, detail); }
}

/* The tolerance rule of plan.toml: |got - want| <= tol * max(1, |want|). */
static void close_to(const char *what, double got, double want, double tol) {
    char d[256];
    int ok = (isinf(want) && got == want) || fabs(got - want) <= tol * fmax(1.0, fabs(want));
    snprintf(d, sizeof d, "got %.17g want %.17g tol %g", got, want, tol);
    result(ok, what, d);
}

static void close_all(const char *what, const double *got, const double *want, int64_t k, double tol) {
    for (int64_t i = 0; i < k; i++) {
        char w[256];
        snprintf(w, sizeof w, "%s[%lld]", what, (long long)(i + 1));
        close_to(w, got[i], want[i], tol);
    }
}

/* Bit-identity (Julia's ==). */
static void same_bits(const char *what, const double *a, const double *b, int64_t k) {
    result(memcmp(a, b, sizeof(double) * (size_t)k) == 0, what, "differ");
}

static void ok_status(const char *what, int status) {
    char d[1200];
    snprintf(d, sizeof d, "status %d (%s): %s", status, glmmgo_status_string(status), err);
    result(status == GLMMGO_OK, what, d);
}

/* A failing call must fail with the plan's status and a message containing the plan's text. */
static void expect_error(const char *what, int status, int want, const char *substr) {
    char d[1200];
    int ok = status == want && (substr == NULL || strstr(err, substr) != NULL);
    snprintf(d, sizeof d, "status %d want %d, message \"%s\" should contain \"%s\"", status, want, err, substr ? substr : "");
    result(ok, what, d);
}

static void require_ok(const char *what, int status) {
    if (status != GLMMGO_OK) {
        fprintf(stderr, "FATAL %s: status %d: %s\n", what, status, err);
        printf("FAIL %s status %d: %s\n", what, status, err);
        exit(1);
    }
}

/* GlmmGo's fits always pass the progress callback; it returns 0 unless the fit is
   cancelled (a CancelToken set, or the user's callback returning false). */
static int progress_continue(void *userdata, int64_t iter, double objective, const double *par, int64_t npar) {
    (void)iter; (void)objective; (void)par; (void)npar;
    (*(int64_t *)userdata)++;
    return 0;
}
static int progress_stop(void *userdata, int64_t iter, double objective, const double *par, int64_t npar) {
    (void)iter; (void)objective; (void)par; (void)npar;
    (*(int64_t *)userdata)++;
    return 1;
}

/* GlmmGo.dims(h): glmmgo_dims with size = sizeof the struct. */
static struct glmmgo_dims get_dims(const char *what, glmmgo_handle h) {
    struct glmmgo_dims d;
    memset(&d, 0, sizeof d);
    d.size = sizeof d;
    require_ok(what, glmmgo_dims(h, &d, err, sizeof err));
    return d;
}

/* GlmmGo.result(h, code): glmmgo_result_length, then glmmgo_result_int64 for an
   integer result (is_int, as LibGlmmGo.RESULT_TYPES says) or glmmgo_result; as doubles. */
static double *get_result(const char *what, glmmgo_handle h, int32_t code, int is_int, int64_t *len) {
    int64_t n = -1;
    require_ok(what, glmmgo_result_length(h, code, &n, err, sizeof err));
    double *v = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    if (is_int) {
        int64_t *iv = malloc(sizeof(int64_t) * (size_t)(n > 0 ? n : 1));
        require_ok(what, glmmgo_result_int64(h, code, iv, n, err, sizeof err));
        for (int64_t i = 0; i < n; i++) v[i] = (double)iv[i];
        free(iv);
    } else {
        require_ok(what, glmmgo_result(h, code, v, n, err, sizeof err));
    }
    if (len) *len = n;
    return v;
}

/* The results GlmmGo reads when it makes a fit (read_lmm_fit, read_mcla_fit below). */
typedef struct {
    int n;
    int32_t code[64];
    int64_t len[64];
    double *v[64];
} fitres;

static void add_result(fitres *r, glmmgo_handle f, int32_t code, int is_int) {
    r->code[r->n] = code;
    r->v[r->n] = get_result("read a fit's result", f, code, is_int, &r->len[r->n]);
    r->n++;
}

static double *res(const fitres *r, int32_t code, int64_t *len) {
    for (int i = 0; i < r->n; i++)
        if (r->code[i] == code) {
            if (len) *len = r->len[i];
            return r->v[i];
        }
    printf("FAIL result %d was not read as GlmmGo reads the fit\n", (int)code);
    exit(1);
}

static double res1(const fitres *r, int32_t code) { return res(r, code, NULL)[0]; }

/* I <- A^-1 by Gauss-Jordan with partial pivoting (n small; A overwritten). */
static void invert(double *A, double *I, int n) {
    for (int c = 0; c < n; c++) {
        int p = c;
        for (int r = c + 1; r < n; r++) if (fabs(A[c * n + r]) > fabs(A[c * n + p])) p = r;
        for (int k = 0; k < n; k++) {
            double t = A[k * n + c]; A[k * n + c] = A[k * n + p]; A[k * n + p] = t;
            t = I[k * n + c]; I[k * n + c] = I[k * n + p]; I[k * n + p] = t;
        }
        double d = A[c * n + c];
        for (int k = 0; k < n; k++) { A[k * n + c] /= d; I[k * n + c] /= d; }
        for (int r = 0; r < n; r++) {
            if (r == c) continue;
            double f = A[c * n + r];
            for (int k = 0; k < n; k++) { A[k * n + r] -= f * A[k * n + c]; I[k * n + r] -= f * I[k * n + c]; }
        }
    }
}

static void free_fitres(fitres *r) {
    for (int i = 0; i < r->n; i++) free(r->v[i]);
    r->n = 0;
}

/* Sigma = sigma^2 L L' per term from theta (each term's lower triangle column by
   column): sds, then correlations below the diagonal column by column; last sigma
   (runtests.jl's varcorr_closed_form). */
static int64_t varcorr_closed_form(const double *theta, double sigma, const double *ks, int64_t nterms, double *out) {
    int64_t i = 0, o = 0;
    for (int64_t t = 0; t < nterms; t++) {
        int k = (int)ks[t];
        double L[64] = {0}, S[64] = {0}, sd[8];
        for (int j = 0; j < k; j++)
            for (int r = j; r < k; r++) L[j * k + r] = theta[i++];
        for (int a = 0; a < k; a++)
            for (int b = 0; b < k; b++) {
                double v = 0;
                for (int c = 0; c < k; c++) v += L[c * k + a] * L[c * k + b];
                S[b * k + a] = sigma * sigma * v;
            }
        for (int a = 0; a < k; a++) out[o++] = sd[a] = sqrt(S[a * k + a]);
        for (int j = 0; j < k; j++)
            for (int r = j + 1; r < k; r++) out[o++] = S[j * k + r] / (sd[r] * sd[j]);
    }
    out[o++] = sigma;
    return o;
}

/* lgamma(y + r) - lgamma(r) - lgamma(y + 1) - y log r (runtests.jl's lognbconst). */
static double lognbconst(double y, double r) { return lgamma(y + r) - lgamma(r) - lgamma(y + 1) - y * log(r); }
`;

// ---- generators -----------------------------------------------------------------------

// The result codes GlmmGo reads when it makes a fit, from the Julia function that reads
// them, each with its type from the header: a C function doing the same.
function fitReader(pkg, header, file, fname, cname) {
  const f = jl.parseFile(path.join(pkg, 'src', file));
  const refs = jl.refsInFunction(f, fname, 'LibGlmmGo');
  if (!refs) throw new Error(`src/${file}: no function ${fname}`);
  const codes = [...new Set(refs.filter((r) => header.defines[r] && header.defines[r].result))];
  if (codes.length === 0) throw new Error(`src/${file}: ${fname} reads no result`);
  const lines = codes.map((c) => `    add_result(&r, f, ${c}, ${header.defines[c].result === 'int64' ? 1 : 0});`);
  return { codes, source: `static fitres ${cname}(glmmgo_handle f) {\n    fitres r = {0};\n${lines.join('\n')}\n    return r;\n}` };
}

function lmmData(out, tag, inp) {
  const codes = [];
  const z = [];
  for (const t of inp.terms) { codes.push(...t.codes0); z.push(...t.z); }
  arr(out, 'double', `${tag}_y`, inp.y, num);
  arr(out, 'double', `${tag}_x`, inp.x, num);
  arr(out, 'int64_t', `${tag}_nlevels`, inp.terms.map((t) => t.nlevels), int);
  arr(out, 'int64_t', `${tag}_ncols`, inp.terms.map((t) => t.ncols), int);
  arr(out, 'int64_t', `${tag}_codes`, codes, int);
  arr(out, 'double', `${tag}_z`, z, num);
}

// GlmmGo.LMMModel(y, X, reterms): glmmgo_lmm_new, then the structure results
// (TERM_ORDER, KEPT_COLUMNS, LOWER, TERM_NLEVELS, TERM_NCOLS, THETA_TERM/ROW/COL) and dims, as the constructor.
function lmmNew(tag, inp, yName) {
  return `
    glmmgo_handle h = 0;
    int64_t dnterms, dp, dnt;
    require_ok("${tag} glmmgo_lmm_new", glmmgo_lmm_new(${int(inp.n)}, ${int(inp.p)}, ${yName || `${tag}_y`}, ${tag}_x, NULL,
        ${int(inp.terms.length)}, ${tag}_nlevels, ${tag}_ncols, ${tag}_codes, ${tag}_z, &h, err, sizeof err));
    double *order = get_result("${tag} term order", h, GLMMGO_LMM_TERM_ORDER, 1, &dnterms);
    double *kept = get_result("${tag} kept columns", h, GLMMGO_LMM_KEPT_COLUMNS, 1, &dp);
    double *lower = get_result("${tag} lower", h, GLMMGO_LMM_LOWER, 0, &dnt);
    double *tnl = get_result("${tag} term levels", h, GLMMGO_LMM_TERM_NLEVELS, 1, NULL);
    double *tnc = get_result("${tag} term columns", h, GLMMGO_LMM_TERM_NCOLS, 1, NULL);
    double *tht = get_result("${tag} theta term", h, GLMMGO_LMM_THETA_TERM, 1, NULL);
    double *thr = get_result("${tag} theta row", h, GLMMGO_LMM_THETA_ROW, 1, NULL);
    double *thc = get_result("${tag} theta column", h, GLMMGO_LMM_THETA_COL, 1, NULL);
    struct glmmgo_dims dd = get_dims("${tag} dims", h);
    (void)order; (void)kept; (void)dd;`;
}

const lmmFree = `
    free(order); free(kept); free(lower); free(tnl); free(tnc); free(tht); free(thr); free(thc);
    glmmgo_free(h);`;

function lmmCase(out, body, c, k, plan, ref) {
  const tag = `lmm${k}`;
  const inp = td.lmmInputs(plan.pkg, c);
  lmmData(out, tag, inp);
  const tol = plan.lmm_tolerance;
  const name = c.reference;
  const reml = ref.REML ? 1 : 0;
  const workers = plan.lmm_fit.workers;
  const lines = [`static void test_${tag}(void) {`, lmmNew(tag, inp)];
  lines.push(`    double n = ${num(inp.n)}, p = (double)dp;`);
  lines.push(`    close_to("${name} p kept", p, ${num(ref.beta.length)}, 0);`);
  lines.push(`    close_to("${name} ntheta", (double)dnt, ${num(ref.theta.length)}, 0);`);
  lines.push(`    close_all("${name} lowerbd", lower, ${dlist(ref.theta_lower)}, dnt, 0);`);
  // thetalayout(m): one entry per θ, diagonal exactly where the bound is 0, k(k+1)/2 per term
  lines.push(`    {
        int diag_ok = 1, count_ok = 1;
        for (int64_t i = 0; i < dnt; i++) diag_ok &= ((thr[i] == thc[i]) == (lower[i] == 0));
        for (int64_t t = 0; t < dnterms; t++) {
            int64_t c = 0, k = (int64_t)tnc[t];
            for (int64_t i = 0; i < dnt; i++) c += (tht[i] == (double)t);
            count_ok &= (c == k * (k + 1) / 2);
        }
        close_to("${name} thetalayout diagonal = bound 0", diag_ok, 1, 0);
        close_to("${name} thetalayout k(k+1)/2 per term", count_ok, 1, 0);
    }`);
  // objective(m, θ; REML) and deviance_parts(m, θ) at the reference's θ values
  ref.objective_at.forEach((oa, i) => {
    const th = dlist(oa.theta);
    lines.push(`    {
        double v = NAN, ml = NAN, rm = NAN, d[6];
        ok_status("${name} objective_at[${i + 1}] status", glmmgo_lmm_objective(h, ${th}, dnt, ${reml}, 0, &v, err, sizeof err));
        close_to("${name} objective_at[${i + 1}]", v, ${num(oa.objective)}, ${tol.objective_at});
        ok_status("${name} deviance_parts[${i + 1}]", glmmgo_lmm_deviance_parts(h, ${th}, dnt, 0, d, 6, err, sizeof err));
        ok_status("${name} ML objective[${i + 1}]", glmmgo_lmm_objective(h, ${th}, dnt, 0, 0, &ml, err, sizeof err));
        ok_status("${name} REML objective[${i + 1}]", glmmgo_lmm_objective(h, ${th}, dnt, 1, 0, &rm, err, sizeof err));
        close_to("${name} parts rebuild the ML deviance[${i + 1}]", d[0] - d[5] + n * (1 + log(2 * M_PI * d[4] / n)), ml, ${tol.parts});
        close_to("${name} parts rebuild the REML criterion[${i + 1}]",
                 d[0] + d[1] - d[5] + (n - p) * (1 + log(2 * M_PI * d[4] / (n - p))), rm, ${tol.parts});
        close_to("${name} wrss + ussq = pwrss[${i + 1}]", d[2] + d[3], d[4], ${tol.parts});
    }`);
  });
  // fit(LMMFit, m; REML, workers = w) per worker count, each read by _read_lmmfit
  lines.push(`    glmmgo_handle f[${workers.length}];
    fitres r[${workers.length}];`);
  workers.forEach((w, i) => {
    lines.push(`    {
        glmmgo_lmm_options opt;
        require_ok("${name} lmm options", glmmgo_lmm_options_default(&opt, sizeof opt, err, sizeof err));
        opt.reml = ${reml};
        opt.workers = ${w};
        int64_t calls = 0;
        f[${i}] = 0;
        require_ok("${name} fit workers=${w}", glmmgo_lmm_fit(h, &opt, progress_continue, &calls, &f[${i}], err, sizeof err));
        r[${i}] = read_lmm_fit(f[${i}]);
        close_to("${name} callback calls = evaluations (workers=${w})", (double)calls, res1(&r[${i}], GLMMGO_LMM_EVALS), 0);
    }`);
    if (i > 0) {
      lines.push(`    same_bits("${name} theta, workers ${workers[0]} and ${w}", res(&r[0], GLMMGO_LMM_THETA, NULL), res(&r[${i}], GLMMGO_LMM_THETA, NULL), dnt);
    same_bits("${name} beta, workers ${workers[0]} and ${w}", res(&r[0], GLMMGO_LMM_BETA, NULL), res(&r[${i}], GLMMGO_LMM_BETA, NULL), dp);`);
    }
  });
  lines.push(`
    fitres *r0 = &r[0];
    double obj = res1(r0, GLMMGO_LMM_OBJECTIVE), ll = res1(r0, GLMMGO_LMM_LOGLIK), sigma = res1(r0, GLMMGO_LMM_SIGMA);
    double *theta = res(r0, GLMMGO_LMM_THETA, NULL), *beta = res(r0, GLMMGO_LMM_BETA, NULL), *se = res(r0, GLMMGO_LMM_SE, NULL);
    double *vcov = res(r0, GLMMGO_LMM_VCOV, NULL);
    close_to("${name} isreml", res1(r0, GLMMGO_LMM_REML), ${reml}, 0);
    close_to("${name} objective", obj, ${num(ref.objective)}, ${tol.objective});
    { double v = NAN; ok_status("${name} objective at theta-hat", glmmgo_lmm_objective(h, theta, dnt, ${reml}, 0, &v, err, sizeof err));
      close_to("${name} objective at theta-hat = the fit's", v, obj, ${tol.parts}); }
    close_to("${name} loglikelihood", ll, -obj / 2, 1e-12);
    close_to("${name} aic", res1(r0, GLMMGO_LMM_AIC), ${ref.REML ? '-2 * ll' : 'res1(r0, GLMMGO_LMM_DEVIANCE)'} + 2.0 * (p + (double)dnt + 1), 1e-10);
    close_to("${name} issingular", res1(r0, GLMMGO_LMM_SINGULAR), ${c.singular ? 1 : 0}, 0);
    close_all("${name} theta", theta, ${dlist(ref.theta)}, dnt, ${tol.theta});
    close_all("${name} fixef", beta, ${dlist(ref.beta)}, dp, ${tol.beta});
    close_all("${name} stderror", se, ${dlist(ref.beta_se)}, dp, ${tol.se});
    for (int64_t i = 0; i < dp; i++) close_to("${name} vcov diagonal", sqrt(vcov[i * dp + i]), se[i], 1e-12);
    close_to("${name} sigma", sigma, ${num(ref.sigma)}, ${tol.sigma});
    { double want[64]; int64_t nvc, nw = varcorr_closed_form(theta, sigma, tnc, dnterms, want);
      double *vc = res(r0, GLMMGO_LMM_VARCORR, &nvc);
      close_to("${name} VarCorr length", (double)nvc, (double)nw, 0);
      close_all("${name} VarCorr", vc, want, nw, ${tol.varcorr}); }
    int64_t ncv, ncv_want = 0;
    for (int64_t t = 0; t < dnterms; t++) ncv_want += (int64_t)(tnc[t] * tnc[t] * tnl[t]);
    free(get_result("${name} condVar", f[0], GLMMGO_LMM_CONDVAR, 0, &ncv));
    close_to("${name} condVar length", (double)ncv, (double)ncv_want, 0);
    /* the fit outlives its model's handle */
    ok_status("${name} close the model", glmmgo_free(h));
    free(get_result("${name} condVar after the model was freed", f[${workers.length - 1}], GLMMGO_LMM_CONDVAR, 0, &ncv));
    close_to("${name} condVar length after the model was freed", (double)ncv, (double)ncv_want, 0);
    for (int i = 0; i < ${workers.length}; i++) { free_fitres(&r[i]); ok_status("${name} free fit", glmmgo_free(f[i])); }`);
  lines.push(lmmFree, '}');
  body.push(lines.join('\n'));
  return `test_${tag}`;
}

// GlmmGo.gradient(m, θ) and GlmmGo.hessian(m, θ; REML, sigma) at lme4's θ̂: one
// glmmgo_lmm_derivatives call without the Hessian (profiled), one with it.
function lmmDerivativesCase(body, d, k, plan, lme4) {
  const idx = plan.lmm.findIndex((c) => c.reference === d.reference);
  if (idx < 0) throw new Error(`plan: lmm_derivatives ${d.reference} has no [[lmm]] entry`);
  const ref = lme4[d.reference];
  const tag = `lmm${idx}`;
  const inp = td.lmmInputs(plan.pkg, plan.lmm[idx]);
  const nt = ref.theta.length;
  const reml = ref.REML ? 1 : 0;
  const mode = { profiled: 'GLMMGO_LMM_SIGMA_PROFILED', fixed: 'GLMMGO_LMM_SIGMA_FIXED' }[d.sigma];
  if (!mode) throw new Error(`plan: lmm_derivatives sigma ${d.sigma}`);
  const name = `${d.reference} derivatives`;
  const lines = [`static void test_lmmderiv${k}(void) {`, lmmNew(tag, inp)];
  lines.push(`    {
        const double *th = ${dlist(ref.theta)};
        double v = NAN, g[${nt}], H[${nt * nt}];
        ok_status("${name} gradient", glmmgo_lmm_derivatives(h, th, dnt, ${reml}, GLMMGO_LMM_SIGMA_PROFILED, 0, &v, g, ${nt}, NULL, 0, err, sizeof err));
        for (int i = 0; i < ${nt}; i++) close_to("${name} |gradient| within gradient_abs", fabs(g[i]) <= ${num(d.gradient_abs)} ? 0.0 : fabs(g[i]), 0, 0);
        ok_status("${name} hessian", glmmgo_lmm_derivatives(h, th, dnt, ${reml}, ${mode}, 0, &v, g, ${nt}, H, ${nt * nt}, err, sizeof err));
        for (int i = 0; i < ${nt}; i++) for (int j = 0; j < ${nt}; j++) close_to("${name} hessian symmetric", H[i * ${nt} + j], H[j * ${nt} + i], 0);
        close_all("${name} hessian", H, ${dlist(d.hessian)}, ${nt * nt}, ${d.hessian_tol});
    }
    {   /* fit(LMMFit, m; REML, optimizer = :bfgs), read by _read_lmmfit, then the
           derivatives and Wald results GlmmGo.gradient/hessian/theta_vcov/theta_se/varcorr_se read */
        glmmgo_lmm_options opt;
        require_ok("${name} lmm options", glmmgo_lmm_options_default(&opt, sizeof opt, err, sizeof err));
        opt.reml = ${reml};
        opt.optimizer = GLMMGO_LMM_OPTIMIZER_BFGS;
        int64_t calls = 0;
        glmmgo_handle f = 0;
        require_ok("${name} BFGS fit", glmmgo_lmm_fit(h, &opt, progress_continue, &calls, &f, err, sizeof err));
        fitres r = read_lmm_fit(f);
        close_to("${name} optimizer used", res1(&r, GLMMGO_LMM_OPTIMIZER), GLMMGO_LMM_OPTIMIZER_BFGS, 0);
        double *th = res(&r, GLMMGO_LMM_THETA, NULL);
        int64_t ng, nh, nv, ns, nvc;
        double *g = get_result("${name} gradient", f, GLMMGO_LMM_GRADIENT, 0, &ng);
        double *H = get_result("${name} fit hessian", f, GLMMGO_LMM_HESSIAN, 0, &nh);
        double *V = get_result("${name} theta vcov", f, GLMMGO_LMM_THETA_VCOV, 0, &nv);
        double *se = get_result("${name} theta se", f, GLMMGO_LMM_THETA_SE, 0, &ns);
        double *vse = get_result("${name} varcorr se", f, GLMMGO_LMM_VARCORR_SE, 0, &nvc);
        for (int64_t i = 0; i < ng; i++) close_to("${name} fit |gradient| within gradient_abs", fabs(g[i]) <= ${num(d.gradient_abs)} ? 0.0 : fabs(g[i]), 0, 0);
        for (int i = 0; i < ${nt}; i++) for (int j = 0; j < ${nt}; j++) close_to("${name} fit hessian symmetric", H[i * ${nt} + j], H[j * ${nt} + i], 0);
        int fr[${nt}], nf = 0;
        for (int i = 0; i < ${nt}; i++) if (!(th[i] - lower[i] < 1e-6)) fr[nf++] = i;
        double A[${nt * nt}], I[${nt * nt}];
        for (int a = 0; a < nf; a++) for (int b = 0; b < nf; b++) { A[b * nf + a] = H[fr[b] * ${nt} + fr[a]]; I[b * nf + a] = a == b; }
        invert(A, I, nf);
        for (int a = 0; a < nf; a++) for (int b = 0; b < nf; b++)
            close_to("${name} theta vcov = 2 H^-1", V[fr[b] * ${nt} + fr[a]], 2 * I[b * nf + a], 1e-8);
        for (int i = 0, a = 0; i < ${nt}; i++) {
            if (a < nf && fr[a] == i) { close_to("${name} theta se", se[i], sqrt(V[i * ${nt} + i]), 1e-12); a++; }
            else close_to("${name} theta se NaN on the bound", isnan(se[i]), 1, 0);
        }
        close_to("${name} varcorr se length", (double)nvc, ${nt + 1}, 0);
        close_to("${name} sigma se positive", vse[nvc - 1] > 0, 1, 0);
        free(g); free(H); free(V); free(se); free(vse);
        free_fitres(&r);
        ok_status("${name} free BFGS fit", glmmgo_free(f));
    }`);
  lines.push(lmmFree, '}');
  body.push(lines.join('\n'));
  return `test_lmmderiv${k}`;
}

function mclaData(out, tag, mi) {
  const r = mi.ref;
  arr(out, 'double', `${tag}_y`, r.y, num);
  arr(out, 'double', `${tag}_ntrials`, r.ntrials, num);
  arr(out, 'double', `${tag}_weights`, r.weights, num);
  arr(out, 'double', `${tag}_x`, r.X, num);
  arr(out, 'int64_t', `${tag}_zrow`, mi.zRow, int);
  arr(out, 'int64_t', `${tag}_zcol`, mi.zCol, int);
  arr(out, 'double', `${tag}_zval`, mi.zVal, num);
  arr(out, 'int64_t', `${tag}_vc`, mi.vc, int);
  arr(out, 'double', `${tag}_pmix`, r.p_mix, num);
  arr(out, 'double', `${tag}_ustar`, r.u_star, num);
  arr(out, 'double', `${tag}_dstar`, r.D_star, num);
  arr(out, 'double', `${tag}_siginv`, r.Sigmuh_inv, num);
  arr(out, 'double', `${tag}_umat`, r.umat, num);
  arr(out, 'double', `${tag}_par`, r.par, num);
}

// runtests.jl's mcla_from_reference: MCLAModel(family, y, X, Z, varcomp; ntrials, weights,
// dispersion), then set_importance! and set_samples! unless told otherwise.
function mclaNew(tag, mi, { yName, family, dispersion, importance = true, samples = true, h = 'h' } = {}) {
  const r = mi.ref;
  const s = [`
    glmmgo_handle ${h} = 0;
    require_ok("${tag} glmmgo_mcla_new", glmmgo_mcla_new(${int(r.n)}, ${int(r.p)}, ${int(r.q)}, ${family || mi.family},
        ${yName || `${tag}_y`}, ${tag}_ntrials, ${tag}_weights, ${tag}_x, ${int(mi.zVal.length)}, ${tag}_zrow, ${tag}_zcol, ${tag}_zval,
        ${int(r.T)}, ${tag}_vc, &${h}, err, sizeof err));`];
  if (dispersion !== undefined) s.push(`    require_ok("${tag} set_dispersion", glmmgo_mcla_set_dispersion(${h}, ${num(dispersion)}, err, sizeof err));`);
  if (importance) s.push(`    require_ok("${tag} set_importance", glmmgo_mcla_set_importance(${h}, ${num(r.zeta)}, ${tag}_pmix, ${tag}_ustar, ${tag}_dstar, ${tag}_siginv, err, sizeof err));`);
  if (samples) s.push(`    require_ok("${tag} set_samples", glmmgo_mcla_set_samples(${h}, ${int(r.m)}, ${tag}_umat, err, sizeof err));`);
  return s.join('\n');
}

// fit(MCLAFit, model; ...) with the given option fields over the defaults, read by
// _read_mclafit into r (a fitres) and f (the handle).
function mclaFit(what, model, fields, f, r) {
  const set = Object.entries(fields).map(([k, v]) => `        opt.${k} = ${v};`).join('\n');
  return `
    {
        glmmgo_mcla_options opt;
        require_ok("${what} mcla options", glmmgo_mcla_options_default(&opt, sizeof opt, err, sizeof err));
${set}
        int64_t calls = 0;
        ${f} = 0;
        require_ok("${what} fit", glmmgo_mcla_fit(${model}, &opt, progress_continue, &calls, &${f}, err, sizeof err));
        ${r} = read_mcla_fit(${f});
    }`;
}

function mclaCase(out, body, c, k, plan) {
  const tag = `mcla${k}`;
  const mi = td.mclaInputs(plan.pkg, c.reference);
  mclaData(out, tag, mi);
  const r = mi.ref;
  const d = r.p + r.T;
  const tol = plan.mcla_tolerance;
  const name = c.reference;
  const lines = [`static void test_${tag}(void) {`, mclaNew(tag, mi)];
  lines.push(`    close_to("${name} nsamples", (double)get_dims("${name} dims", h).m, ${num(r.m)}, 0);
    double value, gradient[${d}], hessian[${d * d}];`);
  for (const w of c.workers) {
    lines.push(`
    ok_status("${name} objective workers=${w}", glmmgo_mcla_objective(h, ${tag}_par, ${w}, &value, gradient, hessian, err, sizeof err));
    close_to("${name} value workers=${w}", value, ${num(r.value)}, ${tol.value});
    close_all("${name} gradient workers=${w}", gradient, ${dlist(r.gradient)}, ${d}, ${tol.gradient});
    close_all("${name} hessian workers=${w}", hessian, ${dlist(r.hessian)}, ${d * d}, ${tol.hessian});`);
  }
  // partial(m, par, a:b) for each split (each asks partial_length), then merge_partials
  const ns = c.splits.length;
  lines.push(`
    int64_t len = 0;
    ok_status("${name} partial_length", glmmgo_mcla_partial_length(h, &len, err, sizeof err));
    double *parts = malloc(sizeof(double) * (size_t)(len * ${ns}));`);
  c.splits.forEach(([a, b], i) => {
    lines.push(`    ok_status("${name} partial ${a}:${b}", glmmgo_mcla_partial(h, ${tag}_par, ${d}, ${int(a - 1)}, ${int(b)}, 0, parts + ${i} * len, len, err, sizeof err));`);
  });
  lines.push(`    double mv, mg[${d}], mh[${d * d}];
    ok_status("${name} merge", glmmgo_mcla_merge(h, ${tag}_par, ${d}, ${ns}, parts, len, &mv, mg, mh, err, sizeof err));
    ok_status("${name} objective (all)", glmmgo_mcla_objective(h, ${tag}_par, 0, &value, gradient, hessian, err, sizeof err));
    close_to("${name} merged value", mv, value, ${tol.merged});
    close_all("${name} merged gradient", mg, gradient, ${d}, ${tol.merged});
    close_all("${name} merged hessian", mh, hessian, ${d * d}, ${tol.merged});
    close_to("${name} merged value vs reference", mv, ${num(r.value)}, ${tol.value});
    ok_status("${name} objective without derivatives", glmmgo_mcla_objective(h, ${tag}_par, 0, &value, NULL, NULL, err, sizeof err));
    free(parts);
    ok_status("glmmgo_free", glmmgo_free(h));
}`);
  body.push(lines.join('\n'));
  return `test_${tag}`;
}

function mclaFitCase(out, body, c, k, plan) {
  const tag = `mclafit${k}`;
  const mi = td.mclaInputs(plan.pkg, c.reference);
  mclaData(out, tag, mi);
  const r = mi.ref;
  const d = r.p + r.T;
  const tol = plan.mcla_fit_tolerance;
  const name = `fit ${c.reference}`;
  const nw = c.workers.length;
  const lines = [`static void test_${tag}(void) {`, mclaNew(tag, mi, { importance: false, samples: false })];
  lines.push(`    glmmgo_handle f[${nw}];
    fitres r[${nw}];
    const double pmix[3] = {${c.p_mix.map(num).join(', ')}};`);
  c.workers.forEach((w, i) => {
    lines.push(mclaFit(`${name} workers=${w}`, 'h', {
      m: int(c.m), seed: `UINT64_C(${c.seed})`, zeta: num(c.zeta), 'p_mix[0]': 'pmix[0]', 'p_mix[1]': 'pmix[1]',
      'p_mix[2]': 'pmix[2]', workers: w, no_pql: 0, t_at_ustar: 0, dispersion_lo: '0.0', dispersion_hi: '0.0',
      stages: 1,
    }, `f[${i}]`, `r[${i}]`));
    if (i > 0) {
      lines.push(`    same_bits("${name} beta, workers ${c.workers[0]} and ${w}", res(&r[0], GLMMGO_MCLA_BETA, NULL), res(&r[${i}], GLMMGO_MCLA_BETA, NULL), ${r.p});
    same_bits("${name} nu, workers ${c.workers[0]} and ${w}", res(&r[0], GLMMGO_MCLA_NU, NULL), res(&r[${i}], GLMMGO_MCLA_NU, NULL), ${r.T});
    same_bits("${name} loglik, workers ${c.workers[0]} and ${w}", res(&r[0], GLMMGO_MCLA_VALUE, NULL), res(&r[${i}], GLMMGO_MCLA_VALUE, NULL), 1);`);
    }
  });
  lines.push(`
    fitres *r0 = &r[0];
    struct glmmgo_dims fd = get_dims("${name} dims", f[0]);
    double coef[${d}];
    memcpy(coef, res(r0, GLMMGO_MCLA_BETA, NULL), sizeof(double) * ${r.p});
    memcpy(coef + ${r.p}, res(r0, GLMMGO_MCLA_NU, NULL), sizeof(double) * ${r.T});
    close_to("${name} converged", res1(r0, GLMMGO_MCLA_CONVERGED), 1, 0);
    close_to("${name} convergence is :converged", res1(r0, GLMMGO_MCLA_CONVERGENCE), GLMMGO_CONVERGENCE_OK, 0);
    close_to("${name} nsamples", (double)fd.m, ${num(c.m)}, 0);
    double *counts = res(r0, GLMMGO_MCLA_COUNTS, NULL);
    close_to("${name} counts add up to m", counts[0] + counts[1] + counts[2], ${num(c.m)}, 0);
    double ess = res1(r0, GLMMGO_MCLA_ESS);
    result(ess >= 1 && ess <= ${num(c.m)}, "${name} ess in [1, m]", "out of range");
    /* the fit's own sample and importance density give its value and derivatives */
    double *sinv = get_result("${name} sigma_inv", f[0], GLMMGO_MCLA_SIGMA_INV, 0, NULL);
    int64_t nu;
    double *umat = get_result("${name} umatrix", f[0], GLMMGO_MCLA_UMATRIX, 0, &nu);
    close_to("${name} umatrix size", (double)nu, ${num(c.m * r.q)}, 0);
    ok_status("${name} set_importance", glmmgo_mcla_set_importance(h, ${num(c.zeta)}, pmix, res(r0, GLMMGO_MCLA_U_STAR, NULL),
              res(r0, GLMMGO_MCLA_D_STAR, NULL), sinv, err, sizeof err));
    ok_status("${name} set_samples", glmmgo_mcla_set_samples(h, ${int(c.m)}, umat, err, sizeof err));
    double value, gradient[${d}], hessian[${d * d}];
    ok_status("${name} objective at the estimate", glmmgo_mcla_objective(h, coef, 0, &value, gradient, hessian, err, sizeof err));
    close_to("${name} objective = the fit's value", value, res1(r0, GLMMGO_MCLA_VALUE), ${tol.objective});
    close_all("${name} gradient = the fit's", gradient, res(r0, GLMMGO_MCLA_GRADIENT, NULL), ${d}, ${tol.objective});
    close_all("${name} hessian = the fit's", hessian, res(r0, GLMMGO_MCLA_HESSIAN, NULL), ${d * d}, ${tol.objective});
    /* inference identities */
    double *se = res(r0, GLMMGO_MCLA_SE, NULL), *vcov = res(r0, GLMMGO_MCLA_VCOV, NULL);
    double *mcse = res(r0, GLMMGO_MCLA_MCSE, NULL), *mcvcov = res(r0, GLMMGO_MCLA_MCVCOV, NULL), *z = res(r0, GLMMGO_MCLA_Z, NULL);
    double lo[${d}], hi[${d}];
    ok_status("${name} confint", glmmgo_confint(f[0], 0.9, lo, hi, ${d}, err, sizeof err));
    for (int i = 0; i < ${d}; i++) {
        close_to("${name} se = sqrt(diag(vcov))", se[i], sqrt(vcov[i * ${d} + i]), ${tol.identities});
        close_to("${name} mcse = sqrt(diag(mcvcov))", mcse[i], sqrt(mcvcov[i * ${d} + i]), ${tol.identities});
        close_to("${name} z = estimate / se", z[i], coef[i] / se[i], ${tol.identities});
        close_to("${name} confint lower", lo[i], coef[i] - ${num(tol.z_90)} * se[i], ${tol.identities});
        close_to("${name} confint upper", hi[i], coef[i] + ${num(tol.z_90)} * se[i], ${tol.identities});
    }
    int64_t nprof;
    res(r0, GLMMGO_MCLA_DISPERSION_PROFILE, &nprof);
    close_to("${name} dispersion 0", res1(r0, GLMMGO_MCLA_DISPERSION), 0, 0);
    close_to("${name} no dispersion profile", (double)nprof, 0, 0);
    /* glmm's MCSE beside the jackknife's; the single stage; the fit's samples set by the library */
    double *mcg = res(r0, GLMMGO_MCLA_MCSE_GLMM, NULL), *mcvg = res(r0, GLMMGO_MCLA_MCVCOV_GLMM, NULL);
    for (int i = 0; i < ${d}; i++)
        close_to("${name} glmm's mcse = sqrt(diag(mcvcov))", mcg[i], sqrt(mcvg[i * ${d} + i]), ${tol.identities});
    result(res(r0, GLMMGO_MCLA_JACKKNIFE, NULL)[0] >= 1, "${name} jackknife groups", "fewer than 1");
    close_to("${name} one stage", res1(r0, GLMMGO_MCLA_STAGE_COUNT), 1, 0);
    close_to("${name} final stage", res1(r0, GLMMGO_MCLA_FINAL_STAGE), 0, 0);
    close_to("${name} m given", res1(r0, GLMMGO_MCLA_AUTO_STOP), GLMMGO_AUTO_M_GIVEN, 0);
    close_to("${name} t at 0", res1(r0, GLMMGO_MCLA_T_SIGMA), 0, 0);
    close_to("${name} samples kept", res1(r0, GLMMGO_MCLA_SAMPLES_KEPT), 1, 0);
    close_to("${name} stage m", res1(r0, GLMMGO_MCLA_STAGE_M), ${num(c.m)}, 0);
    close_all("${name} stage estimate", res(r0, GLMMGO_MCLA_STAGE_PAR, NULL), coef, ${d}, 0);
    ok_status("${name} set_fit_samples", glmmgo_mcla_set_fit_samples(h, f[0], err, sizeof err));
    ok_status("${name} objective on the fit's samples", glmmgo_mcla_objective(h, coef, 0, &value, NULL, NULL, err, sizeof err));
    close_to("${name} objective on the fit's samples = the fit's value", value, res1(r0, GLMMGO_MCLA_VALUE), ${tol.objective});
    /* m = :auto with two stages, stopped by m_max (its ESS target cannot be met) */
    glmmgo_handle g;
    fitres rg;${mclaFit(`${name} auto`, 'h', {
      m: 'GLMMGO_M_AUTO', seed: `UINT64_C(${c.seed})`, zeta: num(c.zeta), 'p_mix[0]': 'pmix[0]', 'p_mix[1]': 'pmix[1]',
      'p_mix[2]': 'pmix[2]', stages: 2, m_pilot: 'INT64_C(256)', m_max: 'INT64_C(512)', ess_target: '1e9',
    }, 'g', 'rg')}
    close_to("${name} auto stopped at m_max", res1(&rg, GLMMGO_MCLA_AUTO_STOP), GLMMGO_AUTO_M_MAX, 0);
    close_to("${name} auto m", (double)get_dims("${name} auto dims", g).m, 512, 0);
    close_to("${name} auto t at Sigma", res1(&rg, GLMMGO_MCLA_T_SIGMA), 1, 0);
    result(res1(&rg, GLMMGO_MCLA_STAGE_COUNT) >= 1, "${name} auto stages", "none");
    double gcoef[${d}];
    memcpy(gcoef, res(&rg, GLMMGO_MCLA_BETA, NULL), sizeof(double) * ${r.p});
    memcpy(gcoef + ${r.p}, res(&rg, GLMMGO_MCLA_NU, NULL), sizeof(double) * ${r.T});
    ok_status("${name} auto set_fit_samples", glmmgo_mcla_set_fit_samples(h, g, err, sizeof err));
    ok_status("${name} auto objective", glmmgo_mcla_objective(h, gcoef, 0, &value, NULL, NULL, err, sizeof err));
    close_to("${name} auto objective = the fit's value", value, res1(&rg, GLMMGO_MCLA_VALUE), ${tol.objective});
    free_fitres(&rg);
    ok_status("${name} free auto fit", glmmgo_free(g));
    free(sinv); free(umat);
    for (int i = 0; i < ${nw}; i++) { free_fitres(&r[i]); ok_status("${name} free fit", glmmgo_free(f[i])); }
    ok_status("${name} free model", glmmgo_free(h));
}`);
  body.push(lines.join('\n'));
  return `test_${tag}`;
}

// runtests.jl's "MCLA fit on a worker pool": fit(MCLAFit, family, y, X, Z, varcomp;
// pool = WorkerPool(k workers)) with the reference's data equals the fit without a
// pool bit for bit. Here k model handles of the same data stand for the worker
// processes: the partials callback hands them contiguous ranges of batches at each
// new sample (glmmgo_mcla_worker_sample) and asks each for its part of every request
// (glmmgo_mcla_worker_partials), as cluster.jl's _partials_callback does.
function clusterCase(out, body, c, k, plan) {
  const tag = `mclacl${k}`;
  const mi = td.mclaInputs(plan.pkg, c.reference);
  mclaData(out, tag, mi);
  const r = mi.ref;
  const name = `pool fit ${c.reference}`;
  const maxw = Math.max(...c.pools);
  const worker = (i) => mclaNew(`${tag}`, mi, { importance: false, samples: false, h: `cl.w[${i}]` })
    .replace(`glmmgo_handle cl.w[${i}] = 0;`, `cl.w[${i}] = 0;`);
  const cb = `
typedef struct { int k; glmmgo_handle w[${maxw}]; int64_t b0[${maxw}], b1[${maxw}]; int64_t samples; } ${tag}_pool;

static int ${tag}_partials(void *userdata, const glmmgo_mcla_request *req) {
    ${tag}_pool *c = userdata;
    char e[1024];
    if (req->what == GLMMGO_MCLA_SAMPLE) {
        int k = c->k < req->nbatches ? c->k : (int)req->nbatches;
        for (int i = 0; i < c->k; i++) c->b0[i] = c->b1[i] = -1;
        for (int i = 0; i < k; i++) {
            c->b0[i] = (int64_t)llround((double)i * (double)req->nbatches / k);
            c->b1[i] = (int64_t)llround((double)(i + 1) * (double)req->nbatches / k);
            if (glmmgo_mcla_worker_sample(c->w[i], req->spec, req->spec_len, c->b0[i], c->b1[i], 1, e, sizeof e) != GLMMGO_OK) {
                snprintf(req->err, req->errlen, "worker %d: %s", i, e);
                return 1;
            }
        }
        c->samples++;
        return 0;
    }
    for (int i = 0; i < c->k; i++) {
        int64_t lo = c->b0[i] > req->batch_begin ? c->b0[i] : req->batch_begin;
        int64_t hi = c->b1[i] < req->batch_end ? c->b1[i] : req->batch_end;
        if (c->b0[i] < 0 || lo >= hi) continue;
        if (glmmgo_mcla_worker_partials(c->w[i], req->what, req->par, req->npar, req->m, req->row_begin, req->row_end, lo, hi, 1,
                                        req->partials + (lo - req->batch_begin) * req->batch_len, (hi - lo) * req->batch_len,
                                        e, sizeof e) != GLMMGO_OK) {
            snprintf(req->err, req->errlen, "worker %d: %s", i, e);
            return 1;
        }
    }
    return 0;
}`;
  const lines = [cb, `static void test_${tag}(void) {`, mclaNew(tag, mi, { importance: false, samples: false })];
  lines.push(`    glmmgo_handle f0 = 0;
    fitres r0;`);
  lines.push(mclaFit(`${name} without a pool`, 'h', { m: int(c.m), seed: `UINT64_C(${c.seed})`, workers: 1 }, 'f0', 'r0'));
  c.pools.forEach((kw) => {
    lines.push(`
    {
        ${tag}_pool cl = {.k = ${kw}};
${Array.from({ length: kw }, (_, i) => worker(i)).join('\n')}
        glmmgo_mcla_options opt;
        require_ok("${name} pool ${kw} options", glmmgo_mcla_options_default(&opt, sizeof opt, err, sizeof err));
        opt.m = ${int(c.m)};
        opt.seed = UINT64_C(${c.seed});
        opt.workers = 1;
        opt.partials = ${tag}_partials;
        opt.partials_userdata = &cl;
        glmmgo_handle f1 = 0;
        require_ok("${name} pool ${kw}", glmmgo_mcla_fit(h, &opt, NULL, NULL, &f1, err, sizeof err));
        fitres r1 = read_mcla_fit(f1);
        result(cl.samples >= 1, "${name} pool ${kw}: the workers drew the sample", "no sample request");
        same_bits("${name} pool ${kw} beta", res(&r0, GLMMGO_MCLA_BETA, NULL), res(&r1, GLMMGO_MCLA_BETA, NULL), ${r.p});
        same_bits("${name} pool ${kw} nu", res(&r0, GLMMGO_MCLA_NU, NULL), res(&r1, GLMMGO_MCLA_NU, NULL), ${r.T});
        same_bits("${name} pool ${kw} loglik", res(&r0, GLMMGO_MCLA_VALUE, NULL), res(&r1, GLMMGO_MCLA_VALUE, NULL), 1);
        same_bits("${name} pool ${kw} se", res(&r0, GLMMGO_MCLA_SE, NULL), res(&r1, GLMMGO_MCLA_SE, NULL), ${r.p + r.T});
        same_bits("${name} pool ${kw} mcse", res(&r0, GLMMGO_MCLA_MCSE, NULL), res(&r1, GLMMGO_MCLA_MCSE, NULL), ${r.p + r.T});
        free_fitres(&r1);
        ok_status("${name} pool ${kw} free fit", glmmgo_free(f1));
        for (int i = 0; i < ${kw}; i++) ok_status("${name} free worker", glmmgo_free(cl.w[i]));
    }`);
  });
  lines.push(`    free_fitres(&r0);
    ok_status("${name} free fit", glmmgo_free(f0));
    ok_status("${name} free model", glmmgo_free(h));
}`);
  body.push(lines.join('\n'));
  return `test_${tag}`;
}

function nbCase(out, body, c, k, plan) {
  const tag = `nb${k}`;
  const mi = td.mclaInputs(plan.pkg, c.reference);
  mclaData(out, tag, mi);
  const r = mi.ref;
  const d = r.p + r.T;
  const tol = plan.mcla_nb_tolerance;
  const name = `negative binomial ${c.reference}`;
  const lines = [`static void test_${tag}(void) {`,
    mclaNew(tag, mi, { family: 'GLMMGO_NEGBINOMIAL', dispersion: c.dispersion, h: 'hnb' }),
    mclaNew(tag, mi, { family: 'GLMMGO_POISSON', h: 'hpois' })];
  lines.push(`
    double nv, ng[${d}], nh[${d * d}], pv, pg[${d}], ph[${d * d}];
    ok_status("${name} objective", glmmgo_mcla_objective(hnb, ${tag}_par, 0, &nv, ng, nh, err, sizeof err));
    ok_status("${name} Poisson objective", glmmgo_mcla_objective(hpois, ${tag}_par, 0, &pv, pg, ph, err, sizeof err));
    close_to("${name} value -> Poisson's", nv, pv, ${tol.poisson_limit});
    close_all("${name} gradient -> Poisson's", ng, pg, ${d}, ${tol.poisson_limit});
    close_all("${name} hessian -> Poisson's", nh, ph, ${d * d}, ${tol.poisson_limit});`);
  lines.push(mclaNew(tag, mi, { family: 'GLMMGO_NEGBINOMIAL', importance: false, samples: false }));
  lines.push(`    glmmgo_handle f;
    fitres r;`);
  lines.push(mclaFit(name, 'h', {
    m: int(c.m), seed: `UINT64_C(${c.seed})`, workers: 0, no_pql: 0, t_at_ustar: 0,
    dispersion_lo: num(c.dispersion_lo), dispersion_hi: num(c.dispersion_hi),
  }, 'f', 'r'));
  lines.push(`
    double rhat = res1(&r, GLMMGO_MCLA_DISPERSION), loglik = res1(&r, GLMMGO_MCLA_DISPERSION_LOGLIK);
    int64_t np;
    double *prof = res(&r, GLMMGO_MCLA_DISPERSION_PROFILE, &np);
    int64_t kp = np / 2, best = 0;
    result(rhat >= ${num(c.dispersion_lo)} && rhat <= ${num(c.dispersion_hi)}, "${name} r-hat in range", "out of range");
    result(np == 2 * kp && kp > 0, "${name} profile is k x 2", "bad length");
    for (int64_t i = 0; i < kp; i++) {
        result(prof[i] >= ${num(c.dispersion_lo)} && prof[i] <= ${num(c.dispersion_hi)}, "${name} profile r in range", "out of range");
        if (prof[kp + i] > prof[kp + best]) best = i;
    }
    result(loglik == prof[kp + best] && rhat == prof[best], "${name} loglik and r-hat at the profile's maximum", "elsewhere");
    double c = 0;
    for (int i = 0; i < ${r.n}; i++) c += ${tag}_weights[i] * lognbconst(${tag}_y[i], rhat);
    close_to("${name} loglik = value + constants", loglik, res1(&r, GLMMGO_MCLA_VALUE) + c, ${tol.loglik});
    free_fitres(&r);
    glmmgo_free(f); glmmgo_free(h); glmmgo_free(hnb); glmmgo_free(hpois);
}`);
  body.push(lines.join('\n'));
  return `test_${tag}`;
}

function mixlogitData(out, tag, ref) {
  arr(out, 'double', `${tag}_y`, ref.y, num);
  arr(out, 'double', `${tag}_x`, ref.x, num);
}

// runtests.jl's MixLogitModel(y, x): glmmgo_mixlogit_new on the n×T matrices.
const mixlogitNew = (tag, ref, h = 'h') => `
    glmmgo_handle ${h} = 0;
    require_ok("${tag} glmmgo_mixlogit_new", glmmgo_mixlogit_new(${int(ref.n)}, ${int(ref.T)}, ${tag}_y, ${tag}_x, &${h}, err, sizeof err));`;

// fit(MixLogitFit, model; method, seed, workers) with the progress callback counting
// calls into `calls`, read by _read_mixlogitfit into r (a fitres) and f (the handle).
function mixlogitFit(what, model, fields, f, r, progress = 'progress_continue', calls = 'calls') {
  const set = Object.entries(fields).map(([k, v]) => `        opt.${k} = ${v};`).join('\n');
  return `
    {
        glmmgo_mixlogit_options opt;
        require_ok("${what} mixlogit options", glmmgo_mixlogit_options_default(&opt, sizeof opt, err, sizeof err));
${set}
        ${calls} = 0;
        ${f} = 0;
        require_ok("${what} fit", glmmgo_mixlogit_fit(${model}, &opt, ${progress}, &${calls}, &${f}, err, sizeof err));
        ${r} = read_mixlogit_fit(${f});
    }`;
}

function mixlogitCase(out, body, c, k, plan) {
  const tag = `mixlogit${k}`;
  const ref = td.readJSON(plan.pkg, c.reference);
  mixlogitData(out, tag, ref);
  const tol = plan.mixlogit_tolerance;
  const name = `mixlogit ${c.reference}`;
  const n = ref.n;
  const ws = c.workers;
  const lines = [`static void test_${tag}(void) {`, mixlogitNew(tag, ref)];
  lines.push(`    struct glmmgo_dims dd = get_dims("${name} dims", h);
    close_to("${name} nobs", (double)dd.n, ${num(n)}, 0);
    close_to("${name} occasions", (double)dd.t, ${num(ref.T)}, 0);
    double value[${ws.length}], g[${ws.length}][5], H[${ws.length}][25], v1;`);
  ref.at.forEach((at, a) => {
    ws.forEach((w, i) => {
      lines.push(`    ok_status("${name} objective at[${a + 1}] workers=${w}", glmmgo_mixlogit_objective(h, ${dlist(at.par)}, 5, ${w}, &value[${i}], g[${i}], H[${i}], err, sizeof err));`);
      if (i > 0) {
        lines.push(`    same_bits("${name} objective at[${a + 1}], workers ${ws[0]} and ${w}", &value[0], &value[${i}], 1);
    same_bits("${name} gradient at[${a + 1}], workers ${ws[0]} and ${w}", g[0], g[${i}], 5);
    same_bits("${name} hessian at[${a + 1}], workers ${ws[0]} and ${w}", H[0], H[${i}], 25);`);
      }
    });
    lines.push(`    close_to("${name} objective at[${a + 1}] = integrate()'s", value[0], ${num(at.loglik)}, ${tol.objective});
    for (int i = 0; i < 5; i++) for (int j = 0; j < 5; j++) close_to("${name} hessian symmetric", H[0][i * 5 + j], H[0][j * 5 + i], 0);
    ok_status("${name} objective without derivatives", glmmgo_mixlogit_objective(h, ${dlist(at.par)}, 5, 0, &v1, NULL, NULL, err, sizeof err));
    same_bits("${name} value without derivatives", &v1, &value[0], 1);`);
  });
  lines.push(`    glmmgo_handle f[2][${ws.length}];
    fitres r[2][${ws.length}];
    int64_t calls = 0;
    const int32_t methods[2] = {GLMMGO_MIXLOGIT_QUADRATURE, GLMMGO_MIXLOGIT_MCEM};
    for (int mth = 0; mth < 2; mth++) {`);
  ws.forEach((w, i) => {
    lines.push(mixlogitFit(`${name} workers=${w}`, 'h', { method: 'methods[mth]', seed: `UINT64_C(${c.seed})`, workers: w }, `f[mth][${i}]`, `r[mth][${i}]`));
  });
  lines.push(`        fitres *r0 = &r[mth][0];
        int64_t ntr, ncol = (int64_t)res1(r0, GLMMGO_MIXLOGIT_TRACE_COLUMNS);
        double *trace = res(r0, GLMMGO_MIXLOGIT_TRACE, &ntr);`);
  ws.forEach((w, i) => {
    if (i === 0) return;
    lines.push(`        same_bits("${name} estimate, workers ${ws[0]} and ${w}", res(r0, GLMMGO_MIXLOGIT_ESTIMATE, NULL), res(&r[mth][${i}], GLMMGO_MIXLOGIT_ESTIMATE, NULL), 5);
        same_bits("${name} vcov, workers ${ws[0]} and ${w}", res(r0, GLMMGO_MIXLOGIT_VCOV, NULL), res(&r[mth][${i}], GLMMGO_MIXLOGIT_VCOV, NULL), 25);
        same_bits("${name} posterior, workers ${ws[0]} and ${w}", res(r0, GLMMGO_MIXLOGIT_POSTERIOR, NULL), res(&r[mth][${i}], GLMMGO_MIXLOGIT_POSTERIOR, NULL), ${2 * n});
        same_bits("${name} trace but seconds, workers ${ws[0]} and ${w}", trace, res(&r[mth][${i}], GLMMGO_MIXLOGIT_TRACE, NULL), ntr - ntr / ncol);`);
  });
  lines.push(`        double *est = res(r0, GLMMGO_MIXLOGIT_ESTIMATE, NULL), *se = res(r0, GLMMGO_MIXLOGIT_SE, NULL);
        double *vcov = res(r0, GLMMGO_MIXLOGIT_VCOV, NULL), *post = res(r0, GLMMGO_MIXLOGIT_POSTERIOR, NULL);
        close_to("${name} converged", res1(r0, GLMMGO_MIXLOGIT_CONVERGED), 1, 0);
        close_to("${name} method", res1(r0, GLMMGO_MIXLOGIT_METHOD), methods[mth], 0);
        result(est[0] <= est[1], "${name} beta1 <= beta2", "labels");
        double v = NAN;
        ok_status("${name} objective at the estimate", glmmgo_mixlogit_objective(h, est, 5, 0, &v, NULL, NULL, err, sizeof err));
        close_to("${name} loglik = the objective at the estimate", res1(r0, GLMMGO_MIXLOGIT_LOGLIK), v, ${tol.identities});
        double lo[5], hi[5];
        ok_status("${name} confint", glmmgo_confint(f[mth][0], 0.9, lo, hi, 5, err, sizeof err));
        for (int i = 0; i < 5; i++) {
            close_to("${name} se = sqrt(diag(vcov))", se[i], sqrt(vcov[i * 5 + i]), ${tol.identities});
            close_to("${name} confint lower", lo[i], est[i] - ${num(tol.z_90)} * se[i], ${tol.identities});
            close_to("${name} confint upper", hi[i], est[i] + ${num(tol.z_90)} * se[i], ${tol.identities});
        }
        for (int i = 0; i < ${n}; i++) close_to("${name} posterior rows sum to 1", post[i] + post[${n} + i], 1, ${tol.identities});
        struct glmmgo_dims fd = get_dims("${name} fit dims", f[mth][0]);
        close_to("${name} fit nobs", (double)fd.n, ${num(n)}, 0);
        close_to("${name} dof", (double)fd.npar, 5, 0);
        close_to("${name} trace columns", (double)ncol, 16, 0);
        int64_t nsec;
        res(r0, GLMMGO_MIXLOGIT_SECONDS, &nsec);
        close_to("${name} seconds", (double)nsec, 6, 0);
    }
    fitres *q = &r[0][0], *mc = &r[1][0];
    close_all("${name} quadrature = R's MLE", res(q, GLMMGO_MIXLOGIT_ESTIMATE, NULL), ${dlist(ref.mle)}, 5, ${tol.estimate});
    close_to("${name} quadrature loglik = integrate()'s at the MLE", res1(q, GLMMGO_MIXLOGIT_LOGLIK), ${num(ref.loglik_at_mle)}, ${tol.loglik});
    { double *qm = res(q, GLMMGO_MIXLOGIT_MCSE, NULL); for (int i = 0; i < 5; i++) result(isnan(qm[i]), "${name} quadrature mcse NaN", "not NaN"); }
    close_to("${name} quadrature draws", res1(q, GLMMGO_MIXLOGIT_TOTAL_DRAWS), 0, 0);
    double *qe = res(q, GLMMGO_MIXLOGIT_ESTIMATE, NULL), *me = res(mc, GLMMGO_MIXLOGIT_ESTIMATE, NULL);
    double *mcse = res(mc, GLMMGO_MIXLOGIT_MCSE, NULL), *mcvcov = res(mc, GLMMGO_MIXLOGIT_MCVCOV, NULL);
    for (int i = 0; i < 5; i++) {
        char d[128];
        snprintf(d, sizeof d, "|%g - %g| > %g mcse %g", me[i], qe[i], ${num(tol.mcse_multiple)}, mcse[i]);
        result(fabs(me[i] - qe[i]) <= ${num(tol.mcse_multiple)} * mcse[i], "${name} MCEM within mcse_multiple MCSE of the MLE", d);
        close_to("${name} mcse = sqrt(diag(mcvcov))", mcse[i], sqrt(mcvcov[i * 5 + i]), ${tol.identities});
    }
    int64_t mtr;
    res(mc, GLMMGO_MIXLOGIT_TRACE, &mtr);
    close_to("${name} MCEM trace rows = iterations", (double)(mtr / 16), res1(mc, GLMMGO_MIXLOGIT_ITERATIONS), 0);
    result(res1(mc, GLMMGO_MIXLOGIT_TOTAL_DRAWS) >= 50.0 * ${n}, "${name} MCEM total draws", "too few");
    /* fit(MixLogitFit, y, x; seed, callback): a model made and closed around the fit */
    {
${mixlogitNew(tag, ref, 'h2')}
        glmmgo_handle fa;
        fitres ra;${mixlogitFit(`${name} again`, 'h2', { method: 'GLMMGO_MIXLOGIT_MCEM', seed: `UINT64_C(${c.seed})`, workers: 0 }, 'fa', 'ra')}
        ok_status("${name} close the model", glmmgo_free(h2));
        close_to("${name} progress calls = iterations", (double)calls, res1(&ra, GLMMGO_MIXLOGIT_ITERATIONS), 0);
        same_bits("${name} the same fit again", res(&ra, GLMMGO_MIXLOGIT_ESTIMATE, NULL), me, 5);
        free_fitres(&ra);
        glmmgo_free(fa);
    }
    ok_status("${name} close the model", glmmgo_free(h));
    { double lo[5], hi[5]; ok_status("${name} confint after the model was closed", glmmgo_confint(f[0][0], 0.95, lo, hi, 5, err, sizeof err)); }
    for (int mth = 0; mth < 2; mth++)
        for (int i = 0; i < ${ws.length}; i++) { free_fitres(&r[mth][i]); ok_status("${name} free fit", glmmgo_free(f[mth][i])); }
}`);
  body.push(lines.join('\n'));
  return `test_${tag}`;
}


// ---- glmm: GLMMs by Laplace and adaptive quadrature (runtests.jl's "glmm" testset) -----

function glmmData(out, tag, ref) {
  // ReTerm(groups): levels sorted, 0-based codes
  const levels = [...new Set(ref.groups)].sort((a, b) => a - b);
  const codes0 = ref.groups.map((g) => levels.indexOf(g));
  arr(out, 'double', `${tag}_y`, ref.y, num);
  arr(out, 'double', `${tag}_trials`, ref.trials, num);
  arr(out, 'double', `${tag}_x`, ref.x, num);
  arr(out, 'int64_t', `${tag}_codes`, codes0, int);
  arr(out, 'double', `${tag}_z`, ref.groups.map(() => 1), num);
  return levels.length;
}

// GLMMModel(y, X, ReTerm(groups); family = :binomial, trials): glmmgo_laplace_new and the
// structure results the constructor reads.
const glmmNew = (tag, ref, nlev, h = 'h') => `
    glmmgo_handle ${h} = 0;
    require_ok("${tag} glmmgo_laplace_new", glmmgo_laplace_new(${int(ref.n)}, ${int(ref.p)}, GLMMGO_BINOMIAL, GLMMGO_LINK_DEFAULT,
        ${tag}_y, ${tag}_trials, NULL, NULL, 0.0, ${tag}_x, INT64_C(1), (const int64_t[]){${int(nlev)}}, (const int64_t[]){INT64_C(1)},
        ${tag}_codes, ${tag}_z, &${h}, err, sizeof err));
    {
        static const int32_t sc[8] = {GLMMGO_LAPLACE_TERM_ORDER, GLMMGO_LAPLACE_KEPT_COLUMNS, GLMMGO_LAPLACE_THETA_TERM,
            GLMMGO_LAPLACE_THETA_ROW, GLMMGO_LAPLACE_THETA_COL, GLMMGO_LAPLACE_TERM_NLEVELS, GLMMGO_LAPLACE_TERM_NCOLS,
            GLMMGO_LAPLACE_LOWER};
        for (int i = 0; i < 8; i++) free(get_result("${tag} structure", ${h}, sc[i], i < 7, NULL));
    }`;

// fit(GLMMFit, model; fields...): glmmgo_laplace_options_default, the fields, glmmgo_laplace_fit
// with the progress callback, read by _read_glmmfit.
function glmmFit(what, model, fields, f, r) {
  const sets = Object.entries(fields).map(([k, v]) => `opt.${k} = ${v};`).join(' ');
  return `
    {
        glmmgo_laplace_options opt;
        require_ok("${what} laplace options", glmmgo_laplace_options_default(&opt, sizeof opt, err, sizeof err));
        ${sets}
        require_ok("${what} fit", glmmgo_laplace_fit(${model}, &opt, progress_continue, &calls, &${f}, err, sizeof err));
        ${r} = read_glmm_fit(${f});
    }`;
}

function glmmCase(out, body, c, k, plan) {
  const tag = `glmm${k}`;
  const ref = td.readJSON(plan.pkg, c.reference);
  const nlev = glmmData(out, tag, ref);
  const tol = plan.glmm_tolerance;
  const name = `glmm ${c.reference}`;
  const ws = c.workers;
  const p = ref.p;
  const lap = ref.laplace;
  const lines = [`static void test_${tag}(void) {`, glmmNew(tag, ref, nlev), `    double v[${ws.length}];`];
  lap.devfun_at.forEach((at, a) => {
    ws.forEach((w, i) => lines.push(`    ok_status("${name} objective at[${a + 1}] workers=${w}", glmmgo_laplace_objective(h, ${dlist(at.par)}, ${int(at.par.length)}, 1, 0, ${w}, &v[${i}], err, sizeof err));`));
    lines.push(`    close_to("${name} objective at[${a + 1}] = lme4's", v[0], ${num(at.value)}, ${tol.objective});`);
    ws.forEach((w, i) => { if (i > 0) lines.push(`    same_bits("${name} objective at[${a + 1}], workers ${ws[0]} and ${w}", &v[0], &v[${i}], 1);`); });
  });
  lines.push(`    int64_t calls = 0;
    glmmgo_handle f[${ws.length}];
    fitres r[${ws.length}];`);
  ws.forEach((w, i) => lines.push(glmmFit(`${name} workers=${w}`, 'h', { workers: w }, `f[${i}]`, `r[${i}]`)));
  lines.push(`    {
        double ev = 0;
        for (int i = 0; i < ${ws.length}; i++) { double *e = res(&r[i], GLMMGO_LAPLACE_EVALS, NULL); ev += e[0] + e[1]; }
        close_to("${name} progress calls = evaluations", (double)calls, ev, 0);
    }`);
  ws.forEach((w, i) => {
    if (i === 0) return;
    lines.push(`    same_bits("${name} theta, workers ${ws[0]} and ${w}", res(&r[0], GLMMGO_LAPLACE_THETA, NULL), res(&r[${i}], GLMMGO_LAPLACE_THETA, NULL), 1);
    same_bits("${name} beta, workers ${ws[0]} and ${w}", res(&r[0], GLMMGO_LAPLACE_BETA, NULL), res(&r[${i}], GLMMGO_LAPLACE_BETA, NULL), ${p});
    same_bits("${name} deviance, workers ${ws[0]} and ${w}", res(&r[0], GLMMGO_LAPLACE_MINUS_TWO_LOGLIK, NULL), res(&r[${i}], GLMMGO_LAPLACE_MINUS_TWO_LOGLIK, NULL), 1);
    same_bits("${name} vcov, workers ${ws[0]} and ${w}", res(&r[0], GLMMGO_LAPLACE_VCOV, NULL), res(&r[${i}], GLMMGO_LAPLACE_VCOV, NULL), ${p * p});`);
  });
  lines.push(`    {
        fitres *r0 = &r[0];
        double dev = res1(r0, GLMMGO_LAPLACE_MINUS_TWO_LOGLIK), want = ${num(lap.minus_two_loglik)};
        char d[128];
        snprintf(d, sizeof d, "%.10g > %.10g", dev, want);
        result(dev <= want + ${tol.optimum} * fabs(want), "${name} -2 log L no worse than lme4's", d);
        close_all("${name} theta = lme4's", res(r0, GLMMGO_LAPLACE_THETA, NULL), ${dlist(lap.theta)}, 1, ${tol.estimate});
        close_all("${name} beta = lme4's", res(r0, GLMMGO_LAPLACE_BETA, NULL), ${dlist(lap.beta)}, ${p}, ${tol.estimate});
        close_to("${name} converged", res1(r0, GLMMGO_LAPLACE_CONVERGED), 1, 0);
        close_to("${name} se method", res1(r0, GLMMGO_LAPLACE_SE_METHOD), GLMMGO_LAPLACE_SE_HESSIAN, 0);
        close_to("${name} nagq", res1(r0, GLMMGO_LAPLACE_NAGQ), 1, 0);
        close_to("${name} not fast", res1(r0, GLMMGO_LAPLACE_FAST), 0, 0);
        double par[${1 + p}], obj = NAN;
        par[0] = res1(r0, GLMMGO_LAPLACE_THETA);
        memcpy(par + 1, res(r0, GLMMGO_LAPLACE_BETA, NULL), sizeof(double) * ${p});
        ok_status("${name} objective at the estimate", glmmgo_laplace_objective(h, par, ${1 + p}, 1, 0, 0, &obj, err, sizeof err));
        close_to("${name} deviance = the objective at the estimate", dev, obj, ${tol.identities});
        close_to("${name} loglik = -deviance/2", res1(r0, GLMMGO_LAPLACE_LOGLIK), -dev / 2, ${tol.identities});
        double *se = res(r0, GLMMGO_LAPLACE_SE, NULL), *vc = res(r0, GLMMGO_LAPLACE_VCOV, NULL), *b = res(r0, GLMMGO_LAPLACE_BETA, NULL);
        double lo[${p}], hi[${p}];
        ok_status("${name} confint", glmmgo_confint(f[0], 0.9, lo, hi, ${p}, err, sizeof err));
        for (int i = 0; i < ${p}; i++) {
            close_to("${name} se = sqrt(diag(vcov))", se[i], sqrt(vc[i * ${p} + i]), ${tol.identities});
            close_to("${name} confint lower", lo[i], b[i] - ${num(tol.z_90)} * se[i], ${tol.identities});
            close_to("${name} confint upper", hi[i], b[i] + ${num(tol.z_90)} * se[i], ${tol.identities});
        }
        struct glmmgo_dims fd = get_dims("${name} fit dims", f[0]);
        close_to("${name} nobs", (double)fd.n, ${num(ref.n)}, 0);
        close_to("${name} dof", (double)fd.npar, ${num(p + 1)}, 0);
    }
    {
        glmmgo_handle ff, fq;
        fitres rf, rq;${glmmFit(`${name} fast`, 'h', { fast: 1 }, 'ff', 'rf')}
        close_to("${name} fast -2 log L = lme4's nAGQ = 0", res1(&rf, GLMMGO_LAPLACE_MINUS_TWO_LOGLIK), ${num(ref.fast.minus_two_loglik)}, ${tol.optimum});
        close_to("${name} fast fit has no slow stage", res(&rf, GLMMGO_LAPLACE_EVALS, NULL)[1], 0, 0);${glmmFit(`${name} nAGQ`, 'h', { nagq: ref.agq.nagq }, 'fq', 'rq')}
        close_to("${name} AGQ MixedModels.jl deviance = lme4's", res1(&rq, GLMMGO_LAPLACE_DEVIANCE), ${num(ref.agq.mm_deviance)}, ${tol.optimum});
        free_fitres(&rf); free_fitres(&rq); glmmgo_free(ff); glmmgo_free(fq);
    }
    ok_status("${name} close the model", glmmgo_free(h));
    { double lo[${p}], hi[${p}]; ok_status("${name} confint after the model was closed", glmmgo_confint(f[0], 0.95, lo, hi, ${p}, err, sizeof err)); }
    for (int i = 0; i < ${ws.length}; i++) { free_fitres(&r[i]); ok_status("${name} free fit", glmmgo_free(f[i])); }
}`);
  body.push(lines.join('\n'));
  return `test_${tag}`;
}

// ---- error scenarios: each mirrors the function of the same name in runtests.jl --------

const STATUS = {
  invalid: 'GLMMGO_ERR_INVALID', domain: 'GLMMGO_ERR_DOMAIN', numeric: 'GLMMGO_ERR_NUMERIC',
  cancelled: 'GLMMGO_ERR_CANCELLED', internal: 'GLMMGO_ERR_INTERNAL', handle: 'GLMMGO_ERR_HANDLE',
  busy: 'GLMMGO_ERR_BUSY', state: 'GLMMGO_ERR_STATE', forked: 'GLMMGO_ERR_FORKED',
  resource: 'GLMMGO_ERR_RESOURCE',
};

// runtests.jl's small_mcla_fit: the first MCLA reference's model, m = 100, seed = 1.
const smallFit = ({ mtag, mi }) => `${mclaNew(mtag, mi, { importance: false, samples: false })}
    glmmgo_handle f;
    fitres r;${mclaFit('small MCLA fit', 'h', { m: 'INT64_C(100)', seed: 'UINT64_C(1)', workers: 0, no_pql: 0, t_at_ustar: 0,
  dispersion_lo: '0.0', dispersion_hi: '0.0' }, 'f', 'r')}`;

// The data the scenarios use: the first MCLA case and the Dyestuff LMM case of the plan.
const SCENARIOS = {
  mcla_nonpositive_variance: ({ e, want, msg, mtag, mi }) => `
${mclaNew(mtag, mi)}
    double par[${mi.ref.p + mi.ref.T}], value = 0, g[${mi.ref.p + mi.ref.T}], H[${(mi.ref.p + mi.ref.T) ** 2}];
    memcpy(par, ${mtag}_par, sizeof par);
    par[${mi.ref.p}] = -1.0;
    expect_error("${e} (outside = :neginf)", glmmgo_mcla_objective(h, par, 0, &value, g, H, err, sizeof err), ${want}, ${msg});
    expect_error("${e}", glmmgo_mcla_objective(h, par, 0, &value, g, H, err, sizeof err), ${want}, ${msg});
    close_to("${e} value is -Inf", value, -INFINITY, 0);
    glmmgo_free(h);`,

  mcla_objective_before_samples: ({ e, want, msg, mtag, mi }) => `
${mclaNew(mtag, mi, { samples: false })}
    close_to("${e} nsamples 0", (double)get_dims("${e} dims", h).m, 0, 0);
    double value = 0, g[${mi.ref.p + mi.ref.T}], H[${(mi.ref.p + mi.ref.T) ** 2}];
    expect_error("${e}", glmmgo_mcla_objective(h, ${mtag}_par, 0, &value, g, H, err, sizeof err), ${want}, ${msg});
    glmmgo_free(h);`,

  mcla_bad_response: ({ e, want, msg, mtag, mi }) => `
    double y[${mi.ref.n}];
    memcpy(y, ${mtag}_y, sizeof y);
    y[2] = 2.0;  /* y[3] = 2 in Julia */
    glmmgo_handle h = 0;
    expect_error("${e}", glmmgo_mcla_new(${int(mi.ref.n)}, ${int(mi.ref.p)}, ${int(mi.ref.q)}, ${mi.family},
        y, ${mtag}_ntrials, ${mtag}_weights, ${mtag}_x, ${int(mi.zVal.length)}, ${mtag}_zrow, ${mtag}_zcol, ${mtag}_zval,
        ${int(mi.ref.T)}, ${mtag}_vc, &h, err, sizeof err), ${want}, ${msg});
    close_to("${e} no handle", (double)h, 0, 0);`,

  free_twice: ({ e, want, msg, mtag, mi }) => `
${mclaNew(mtag, mi, { importance: false, samples: false })}
    ok_status("${e} first free", glmmgo_free(h));
    err[0] = 0;
    expect_error("${e}", glmmgo_free(h), ${want}, ${msg});`,

  lmm_nan_response: ({ e, want, msg, ltag, li }) => `
    double yn[${li.n}];
    memcpy(yn, ${ltag}_y, sizeof yn);
    yn[0] = NAN;
    glmmgo_handle h = 0;
    expect_error("${e}", glmmgo_lmm_new(${int(li.n)}, ${int(li.p)}, yn, ${ltag}_x, NULL, ${int(li.terms.length)},
        ${ltag}_nlevels, ${ltag}_ncols, ${ltag}_codes, ${ltag}_z, &h, err, sizeof err), ${want}, ${msg});`,

  lmm_negative_theta: ({ e, want, msg, ltag, li }) => `
${lmmNew(ltag, li)}
    double v = 0;
    expect_error("${e}", glmmgo_lmm_objective(h, (const double[]){-1.0}, 1, 0, 0, &v, err, sizeof err), ${want}, ${msg});
${lmmFree}`,

  lmm_result_before_fit: ({ e, want, msg, ltag, li }) => `
${lmmNew(ltag, li)}
    int64_t len;
    expect_error("${e}", glmmgo_result_length(h, GLMMGO_LMM_THETA, &len, err, sizeof err), ${want}, ${msg});
${lmmFree}`,

  lmm_cancel: ({ e, want, msg, ltag, li }) => `
${lmmNew(ltag, li)}
    glmmgo_lmm_options opt;
    require_ok("${e} options", glmmgo_lmm_options_default(&opt, sizeof opt, err, sizeof err));
    opt.reml = 0;
    opt.workers = 0;
    int64_t calls = 0;
    glmmgo_handle f = 99;
    expect_error("${e}", glmmgo_lmm_fit(h, &opt, progress_stop, &calls, &f, err, sizeof err), ${want}, ${msg});
    close_to("${e} callback called once", (double)calls, 1, 0);
    close_to("${e} no fit", (double)f, 0, 0);
    /* a CancelToken already cancelled: the callback stops at once too */
    expect_error("${e} (token)", glmmgo_lmm_fit(h, &opt, progress_stop, &calls, &f, err, sizeof err), GLMMGO_ERR_CANCELLED, NULL);
${lmmFree}`,

  lmm_bad_workers: ({ e, want, msg, ltag, li }) => `
${lmmNew(ltag, li)}
    double v = 0;
    expect_error("${e}", glmmgo_lmm_objective(h, (const double[]){1.0}, 1, 0, -1, &v, err, sizeof err), ${want}, ${msg});
${lmmFree}`,

  mcla_nb_no_dispersion: ({ e, want, msg, mtag, mi }) => `
${mclaNew(mtag, mi, { family: 'GLMMGO_NEGBINOMIAL' })}
    double value = 0, g[${mi.ref.p + mi.ref.T}], H[${(mi.ref.p + mi.ref.T) ** 2}];
    expect_error("${e}", glmmgo_mcla_objective(h, ${mtag}_par, 0, &value, g, H, err, sizeof err), ${want}, ${msg});
    glmmgo_free(h);`,

  confint_bad_level: (ctx) => `${smallFit(ctx)}
    double lo[${ctx.mi.ref.p + ctx.mi.ref.T}], hi[${ctx.mi.ref.p + ctx.mi.ref.T}];
    expect_error("${ctx.e}", glmmgo_confint(f, 1.5, lo, hi, ${ctx.mi.ref.p + ctx.mi.ref.T}, err, sizeof err), ${ctx.want}, ${ctx.msg});
    free_fitres(&r); glmmgo_free(f); glmmgo_free(h);`,

  result_wrong_kind: (ctx) => `${smallFit(ctx)}
    int64_t len;
    expect_error("${ctx.e}", glmmgo_result_length(f, GLMMGO_LMM_THETA, &len, err, sizeof err), ${ctx.want}, ${ctx.msg});
    free_fitres(&r); glmmgo_free(f); glmmgo_free(h);`,

  mixlogit_nonbinary_y: ({ e, want, msg, xtag, xref }) => `
    double y[${xref.n * xref.T}];
    memcpy(y, ${xtag}_y, sizeof y);
    y[2 + ${xref.n} * 1] = 2.0;  /* y[3, 2] = 2 in Julia */
    glmmgo_handle h = 0;
    expect_error("${e}", glmmgo_mixlogit_new(${int(xref.n)}, ${int(xref.T)}, y, ${xtag}_x, &h, err, sizeof err), ${want}, ${msg});
    close_to("${e} no handle", (double)h, 0, 0);`,

  mixlogit_start_pi: ({ e, want, msg, xtag, xref }) => `
${mixlogitNew(xtag, xref)}
    glmmgo_mixlogit_options opt;
    require_ok("${e} options", glmmgo_mixlogit_options_default(&opt, sizeof opt, err, sizeof err));
    const double start[5] = {-1.0, 1.5, 1.0, 2.0, 1.5};
    opt.method = GLMMGO_MIXLOGIT_QUADRATURE;
    opt.workers = 0;
    opt.start = start;
    opt.start_len = 5;
    int64_t calls = 0;
    glmmgo_handle f = 99;
    expect_error("${e}", glmmgo_mixlogit_fit(h, &opt, progress_continue, &calls, &f, err, sizeof err), ${want}, ${msg});
    close_to("${e} no fit", (double)f, 0, 0);
    glmmgo_free(h);`,

  mixlogit_par_domain: ({ e, want, msg, xtag, xref }) => `
${mixlogitNew(xtag, xref)}
    double value = 0, g[5], H[25];
    expect_error("${e}", glmmgo_mixlogit_objective(h, (const double[]){-1.0, 1.5, -1.0, 2.0, 0.6}, 5, 0, &value, g, H, err, sizeof err), ${want}, ${msg});
    glmmgo_free(h);`,

  mixlogit_cancel: ({ e, want, msg, xtag, xref }) => `
${mixlogitNew(xtag, xref)}
    glmmgo_mixlogit_options opt;
    require_ok("${e} options", glmmgo_mixlogit_options_default(&opt, sizeof opt, err, sizeof err));
    opt.method = GLMMGO_MIXLOGIT_MCEM;
    opt.seed = 1;
    opt.workers = 0;
    int64_t calls = 0;
    glmmgo_handle f = 99;
    expect_error("${e}", glmmgo_mixlogit_fit(h, &opt, progress_stop, &calls, &f, err, sizeof err), ${want}, ${msg});
    close_to("${e} callback called once", (double)calls, 1, 0);
    close_to("${e} no fit", (double)f, 0, 0);
    glmmgo_free(h);`,
};

// The keys of the Dict literal `const ERROR_SCENARIOS = Dict("name" => f, ...)` in runtests.jl.
function juliaScenarios(pkg) {
  const f = jl.parseFile(path.join(pkg, 'test', 'runtests.jl'));
  const problems = jl.syntaxProblems(f);
  if (problems.length) throw new Error(`runtests.jl does not parse: ${problems[0]}`);
  const m = f.src.match(/const ERROR_SCENARIOS = Dict\(([\s\S]*?)\n\)/);
  if (!m) throw new Error('runtests.jl: no `const ERROR_SCENARIOS = Dict(...)` found');
  return [...m[1].matchAll(/^\s*"(\w+)"\s*=>/gm)].map((x) => x[1]);
}

// The layout Julia gives each struct of src/LibGlmmGo.jl (natural alignment, as C),
// asserted against the C compiler's layout of the header's struct of the same name
// (struct_glmmgo_x is the tagged struct glmmgo_x).
const JULIA_SIZES = { Int64: 8, UInt64: 8, Float64: 8, Cdouble: 8, Csize_t: 8, Int32: 4, Cint: 4, UInt32: 4, UInt8: 1, Cchar: 1 };
function juliaSize(t) {
  if (JULIA_SIZES[t]) return { size: JULIA_SIZES[t], align: JULIA_SIZES[t] };
  if (/^Ptr\{.*\}$/.test(t)) return { size: 8, align: 8 };
  const m = t.match(/^NTuple\{(\d+),(.*)\}$/);
  if (m) {
    const e = juliaSize(m[2]);
    return { size: e.size * parseInt(m[1], 10), align: e.align };
  }
  throw new Error(`no size known for Julia type ${t}`);
}
function layoutAsserts(pkg) {
  const f = jl.parseFile(path.join(pkg, 'src', 'LibGlmmGo.jl'));
  const out = ['#include <stddef.h>'];
  for (const [name, st] of Object.entries(jl.structs(f))) {
    const cname = name.startsWith('struct_') ? `struct ${name.slice(7)}` : name;
    let off = 0;
    let maxAlign = 1;
    for (const fld of st.fields) {
      const { size, align } = juliaSize(fld.type);
      off = Math.ceil(off / align) * align;
      out.push(`_Static_assert(offsetof(${cname}, ${fld.name}) == ${off}, "Julia puts ${name}.${fld.name} at offset ${off}");`);
      off += size;
      maxAlign = Math.max(maxAlign, align);
    }
    const size = Math.ceil(off / maxAlign) * maxAlign;
    out.push(`_Static_assert(sizeof(${cname}) == ${size}, "Julia's ${name} has size ${size}");`);
  }
  return out.join('\n');
}

// Every function of the header is called, and every result code read, by the program.
function coverage(header, source) {
  const problems = [];
  const code = source.replace(/\/\*[\s\S]*?\*\//g, ' ');
  for (const name of Object.keys(header.functions)) {
    if (!new RegExp(`\\b${name}\\(`).test(code)) problems.push(`the C mirror never calls ${name}: test it in runtests.jl and here`);
  }
  for (const [name, d] of Object.entries(header.defines)) {
    if (d.result && !new RegExp(`\\b${name}\\b`).test(code)) problems.push(`the C mirror never reads the result ${name}: test it in runtests.jl and here`);
  }
  return problems;
}

function generate(pkg, headerFile) {
  const header = readHeader(headerFile);
  const plan = td.readPlan(pkg);
  plan.pkg = pkg;
  const lme4 = Object.fromEntries(td.readJSON(pkg, 'lme4_reference.json').models.map((m) => [m.name, m]));
  const data = [];
  const body = [];
  const tests = [];
  const readers = [fitReader(pkg, header, 'lmmfit.jl', '_read_lmmfit', 'read_lmm_fit'),
    fitReader(pkg, header, 'mclafit.jl', '_read_mclafit', 'read_mcla_fit'),
    fitReader(pkg, header, 'mixlogit.jl', '_read_mixlogitfit', 'read_mixlogit_fit'),
    fitReader(pkg, header, 'glmm.jl', '_read_glmmfit', 'read_glmm_fit')];
  plan.lmm.forEach((c, k) => {
    const ref = lme4[c.reference];
    if (!ref) throw new Error(`plan: no lme4 reference ${c.reference}`);
    tests.push(lmmCase(data, body, c, k, plan, ref));
  });
  (plan.lmm_derivatives || []).forEach((d, k) => tests.push(lmmDerivativesCase(body, d, k, plan, lme4)));
  plan.mcla.forEach((c, k) => tests.push(mclaCase(data, body, c, k, plan)));
  (plan.mcla_fit || []).forEach((c, k) => tests.push(mclaFitCase(data, body, c, k, plan)));
  (plan.mcla_cluster || []).forEach((c, k) => tests.push(clusterCase(data, body, c, k, plan)));
  (plan.mcla_nb || []).forEach((c, k) => tests.push(nbCase(data, body, c, k, plan)));
  (plan.mixlogit || []).forEach((c, k) => tests.push(mixlogitCase(data, body, c, k, plan)));
  (plan.glmm || []).forEach((c, k) => tests.push(glmmCase(data, body, c, k, plan)));

  // error scenarios
  const planned = plan.error.map((e) => e.scenario);
  const inJulia = juliaScenarios(pkg);
  const problems = [];
  const same = (a, b) => a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);
  if (!same(planned, inJulia)) problems.push(`runtests.jl ERROR_SCENARIOS {${inJulia}} differ from the plan's {${planned}}`);
  if (!same(planned, Object.keys(SCENARIOS))) problems.push(`mirror.js scenarios {${Object.keys(SCENARIOS)}} differ from the plan's {${planned}}`);
  const dye = plan.lmm.findIndex((c) => c.data === 'Dyestuff.csv');
  const ctx = { mtag: 'mcla0', mi: td.mclaInputs(pkg, plan.mcla[0].reference), ltag: `lmm${dye}`, li: td.lmmInputs(pkg, plan.lmm[dye]),
    xtag: 'mixlogit0', xref: td.readJSON(pkg, plan.mixlogit[0].reference) };
  plan.error.forEach((e, k) => {
    const gen = SCENARIOS[e.scenario];
    if (!gen) return;
    if (!STATUS[e.status]) problems.push(`plan: unknown status ${e.status}`);
    const want = STATUS[e.status];
    const msg = e.message === undefined ? 'NULL' : cstr(e.message);
    body.push(`static void test_error${k}(void) {\n    err[0] = 0;${gen({ ...ctx, e: `error ${e.scenario}`, want, msg })}\n}`);
    tests.push(`test_error${k}`);
  });
  const main = `int main(void) {
    printf("libglmmgo %s, %d workers available\\n", glmmgo_version(), (int)glmmgo_available_workers());
    result(strcmp(glmmgo_version(), GLMMGO_VERSION_STRING) == 0, "version matches the header", glmmgo_version());
    result(glmmgo_version_number() == GLMMGO_VERSION_NUMBER, "version number matches the header", "differs");
    result(glmmgo_version_number() / 1000 == GLMMGO_VERSION_NUMBER / 1000, "GlmmGo.check_version accepts the library", "refused");
    result(strlen(glmmgo_status_string(GLMMGO_ERR_DOMAIN)) > 0, "status_string", "empty");
    int64_t default_limit = 0, limit = 0;
    result(glmmgo_memory_limit(&default_limit, err, sizeof err) == GLMMGO_OK && default_limit > (INT64_C(1) << 20), "memory_limit()", err);
    result(glmmgo_set_memory_limit(INT64_C(1) << 30, err, sizeof err) == GLMMGO_OK && glmmgo_memory_limit(&limit, err, sizeof err) == GLMMGO_OK && limit == INT64_C(1) << 30, "set_memory_limit!(2^30)", err);
    result(glmmgo_set_memory_limit(0, err, sizeof err) == GLMMGO_OK && glmmgo_memory_limit(&limit, err, sizeof err) == GLMMGO_OK && limit == default_limit, "set_memory_limit!(0)", err);
    result(glmmgo_set_memory_limit(-1, err, sizeof err) == GLMMGO_ERR_INVALID, "set_memory_limit!(-1) is :invalid", err);
${tests.map((t) => `    ${t}();`).join('\n')}
    printf("%d passed, %d failed\\n", n_pass, n_fail);
    return n_fail ? 1 : 0;
}`;
  const source = [PRELUDE, layoutAsserts(pkg), ...readers.map((r) => r.source), ...data, ...body, main].join('\n\n');
  problems.push(...coverage(header, source));
  return { source, problems };
}

function parseArgs(argv) {
  const here = __dirname;
  const o = { package: path.resolve(here, '..'), include: path.resolve(here, '../../../include'), lib: null, keep: null };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--package') o.package = path.resolve(argv[++i]);
    else if (a === '--include') o.include = path.resolve(argv[++i]);
    else if (a === '--lib') o.lib = path.resolve(argv[++i]);
    else if (a === '--keep') o.keep = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${a}`);
  }
  if (!o.lib) throw new Error('--lib DIR (holding libglmmgo.so) is required');
  return o;
}

function main() {
  const o = parseArgs(process.argv);
  const { source, problems } = generate(o.package, path.join(o.include, 'glmmgo.h'));
  if (problems.length) {
    for (const p of problems) console.error(`FAIL ${p}`);
    process.exit(1);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glmmgo-julia-mirror-'));
  const src = o.keep || path.join(dir, 'mirror.c');
  fs.writeFileSync(src, source);
  const exe = path.join(dir, 'mirror');
  execFileSync('gcc', ['-std=gnu11', '-O0', '-Wall', '-Wextra', '-Werror', '-I', o.include, '-o', exe, src,
    '-L', o.lib, '-lglmmgo', `-Wl,-rpath,${o.lib}`, '-lm', '-lpthread'], { stdio: 'inherit' });
  const run = spawnSync(exe, [], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  const outLines = (run.stdout || '').split('\n');
  for (const l of outLines) if (l.startsWith('FAIL')) console.error(l);
  const summary = outLines.filter((l) => /passed, \d+ failed$|^libglmmgo /.test(l));
  for (const l of summary) console.log(`mirror.js: ${l}`);
  if (run.stderr) process.stderr.write(run.stderr);
  if (run.status !== 0) {
    console.error(`mirror.js: the C program exited with status ${run.status}`);
    process.exit(1);
  }
  console.log('mirror.js: OK');
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error(`mirror.js: ${e.message}`);
    process.exit(2);
  }
}

module.exports = { generate };
