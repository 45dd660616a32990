#!/usr/bin/env node
'use strict';
// Generates, compiles and runs a C program that makes the library calls
// test/runtests.jl makes (through GlmmGo's two layers), with the same arguments,
// and checks the same expectations with the same tolerances, all taken from
// test/data/plan.toml and the reference files it names. A failure here means a
// Julia test would fail against this build of libglmmgo.
//
// It also checks that runtests.jl and this file implement the same error scenarios
// as the plan lists, and (with C11 static assertions) that every struct of
// src/LibGlmmGo.jl has the C compiler's layout of the header's struct.
//
// Usage: node mirror.js --lib DIR_WITH_libglmmgo.so [--include DIR] [--package DIR] [--keep FILE.c]

const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync, spawnSync } = require('child_process');
const td = require('./lib/testdata.js');
const jl = require('./lib/julia.js');

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
function arr(out, ctype, name, values, fmt) {
  const body = values.length ? values.map(fmt).join(',') : '0';
  out.push(`static const ${ctype} ${name}[${Math.max(values.length, 1)}] = {${body}};`);
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

/* GlmmGo.fit! always passes its progress callback; it returns 0 unless the fit is
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
`;

// ---- generators -----------------------------------------------------------------------

function lmmData(out, tag, inp) {
  const nterms = inp.terms.length;
  const codes = [];
  const z = [];
  for (const t of inp.terms) { codes.push(...t.codes0); z.push(...t.z); }
  arr(out, 'double', `${tag}_y`, inp.y, num);
  arr(out, 'double', `${tag}_x`, inp.x, num);
  arr(out, 'int64_t', `${tag}_nlevels`, inp.terms.map((t) => t.nlevels), int);
  arr(out, 'int64_t', `${tag}_ncols`, inp.terms.map((t) => t.ncols), int);
  arr(out, 'int64_t', `${tag}_codes`, codes, int);
  arr(out, 'double', `${tag}_z`, z, num);
  return { nterms };
}

// GlmmGo.LinearMixedModel(y, X, reterms): glmmgo_lmm_new, then dims, term_order,
// kept_columns and lower, as the constructor does.
function lmmNew(tag, inp, yName) {
  return `
    glmmgo_handle h = 0;
    int64_t dn, dp, dpg, dnt, dq, dnterms;
    require_ok("${tag} glmmgo_lmm_new", glmmgo_lmm_new(${int(inp.n)}, ${int(inp.p)}, ${yName || `${tag}_y`}, ${tag}_x, NULL,
        ${int(inp.terms.length)}, ${tag}_nlevels, ${tag}_ncols, ${tag}_codes, ${tag}_z, &h, err, sizeof err));
    require_ok("${tag} glmmgo_lmm_dims", glmmgo_lmm_dims(h, &dn, &dp, &dpg, &dnt, &dq, &dnterms, err, sizeof err));
    int64_t *order = malloc(sizeof(int64_t) * (size_t)dnterms), *kept = malloc(sizeof(int64_t) * (size_t)(dp > 0 ? dp : 1));
    double *lower = malloc(sizeof(double) * (size_t)dnt);
    require_ok("${tag} glmmgo_lmm_term_order", glmmgo_lmm_term_order(h, order, dnterms, err, sizeof err));
    require_ok("${tag} glmmgo_lmm_kept_columns", glmmgo_lmm_kept_columns(h, kept, dp, err, sizeof err));
    require_ok("${tag} glmmgo_lmm_lower", glmmgo_lmm_lower(h, lower, dnt, err, sizeof err));`;
}

const lmmFree = `
    free(order); free(kept); free(lower);
    ok_status("glmmgo_free", glmmgo_free(h));`;

function lmmCase(out, body, c, k, plan, ref) {
  const tag = `lmm${k}`;
  const inp = td.lmmInputs(plan.pkg, c);
  lmmData(out, tag, inp);
  const tol = plan.lmm_tolerance;
  const name = c.reference;
  const reml = ref.REML ? 1 : 0;
  const lines = [`static void test_${tag}(void) {`, lmmNew(tag, inp)];
  lines.push(`    close_to("${name} p kept", (double)dp, ${num(ref.beta.length)}, 0);`);
  lines.push(`    close_to("${name} ntheta", (double)dnt, ${num(ref.theta.length)}, 0);`);
  lines.push(`    close_all("${name} lowerbd", lower, (const double[]){${ref.theta_lower.map(num).join(',')}}, dnt, 0);`);
  // objective(m, θ; REML) at the reference's θ values
  ref.objective_at.forEach((oa, i) => {
    lines.push(`    { double v = NAN; ok_status("${name} objective_at[${i + 1}] status", glmmgo_lmm_objective(h, (const double[]){${oa.theta.map(num).join(',')}}, ${reml}, &v, err, sizeof err));
      close_to("${name} objective_at[${i + 1}]", v, ${num(oa.objective)}, ${tol.objective_at}); }`);
  });
  // fit!(m; REML) with defaults, then _read_fit
  lines.push(`
    int64_t calls = 0;
    ok_status("${name} fit", glmmgo_lmm_fit(h, ${reml}, NULL, 0.0, 0.0, INT64_C(0), progress_continue, &calls, err, sizeof err));
    result(calls > 0, "${name} progress callback called", "never called");
    double obj, ll, dev, rc, aic, bic, sigma; int64_t evals; int32_t conv, sing, isreml;
    ok_status("${name} fit_info", glmmgo_lmm_fit_info(h, &obj, &ll, &dev, &rc, &aic, &bic, &sigma, &evals, &conv, &sing, &isreml, err, sizeof err));
    double *theta = malloc(sizeof(double) * (size_t)dnt), *beta = malloc(sizeof(double) * (size_t)dp),
           *se = malloc(sizeof(double) * (size_t)dp), *vcov = malloc(sizeof(double) * (size_t)(dp * dp)),
           *b = malloc(sizeof(double) * (size_t)dq), *u = malloc(sizeof(double) * (size_t)dq);
    ok_status("${name} theta", glmmgo_lmm_theta(h, theta, dnt, err, sizeof err));
    ok_status("${name} beta", glmmgo_lmm_beta(h, beta, se, vcov, dp, err, sizeof err));
    ok_status("${name} ranef", glmmgo_lmm_ranef(h, b, u, dq, err, sizeof err));
    close_to("${name} objective", obj, ${num(ref.objective)}, ${tol.objective});
    close_to("${name} isreml", (double)isreml, ${reml}, 0);
    close_to("${name} loglikelihood", ll, -obj / 2, 1e-12);
    close_to("${name} aic", aic, ${ref.REML ? '-2 * ll' : 'dev'} + 2.0 * (double)(dp + dnt + 1), 1e-10);
    close_to("${name} issingular", (double)sing, ${c.singular ? 1 : 0}, 0);
    close_all("${name} theta", theta, (const double[]){${ref.theta.map(num).join(',')}}, dnt, ${tol.theta});
    close_all("${name} fixef", beta, (const double[]){${ref.beta.map(num).join(',')}}, dp, ${tol.beta});
    close_all("${name} stderror", se, (const double[]){${ref.beta_se.map(num).join(',')}}, dp, ${tol.se});
    close_to("${name} sigma", sigma, ${num(ref.sigma)}, ${tol.sigma});
    for (int64_t i = 0; i < dp; i++) close_to("${name} vcov diagonal", sqrt(vcov[i * dp + i]), se[i], 1e-12);
    free(theta); free(beta); free(se); free(vcov); free(b); free(u);`);
  lines.push(lmmFree, '}');
  body.push(lines.join('\n'));
  return `test_${tag}`;
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

// MCLAModel(family, y, X, Z, varcomp; ntrials, weights), set_importance!, set_samples!.
function mclaNew(tag, mi, { yName, importance = true, samples = true } = {}) {
  const r = mi.ref;
  const s = [`
    glmmgo_handle h = 0;
    require_ok("${tag} glmmgo_mcla_new", glmmgo_mcla_new(${int(r.n)}, ${int(r.p)}, ${int(r.q)}, ${mi.family},
        ${yName || `${tag}_y`}, ${tag}_ntrials, ${tag}_weights, ${tag}_x, ${int(mi.zVal.length)}, ${tag}_zrow, ${tag}_zcol, ${tag}_zval,
        ${int(r.T)}, ${tag}_vc, &h, err, sizeof err));`];
  if (importance) s.push(`    require_ok("${tag} set_importance", glmmgo_mcla_set_importance(h, ${num(r.zeta)}, ${tag}_pmix, ${tag}_ustar, ${tag}_dstar, ${tag}_siginv, err, sizeof err));`);
  if (samples) s.push(`    require_ok("${tag} set_samples", glmmgo_mcla_set_samples(h, ${int(r.m)}, ${tag}_umat, err, sizeof err));`);
  return s.join('\n');
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
  lines.push(`    int64_t dn, dp, dq, dnvc, dm;
    ok_status("${name} dims", glmmgo_mcla_dims(h, &dn, &dp, &dq, &dnvc, &dm, err, sizeof err));
    close_to("${name} nsamples", (double)dm, ${num(r.m)}, 0);
    double value, gradient[${d}], hessian[${d * d}];`);
  for (const w of c.workers) {
    lines.push(`
    ok_status("${name} objective workers=${w}", glmmgo_mcla_objective(h, ${tag}_par, ${w}, &value, gradient, hessian, err, sizeof err));
    close_to("${name} value workers=${w}", value, ${num(r.value)}, ${tol.value});
    close_all("${name} gradient workers=${w}", gradient, (const double[]){${r.gradient.map(num).join(',')}}, ${d}, ${tol.gradient});
    close_all("${name} hessian workers=${w}", hessian, (const double[]){${r.hessian.map(num).join(',')}}, ${d * d}, ${tol.hessian});`);
  }
  // partial(m, par, a:b) for each split, then merge_partials
  const ns = c.splits.length;
  lines.push(`
    int64_t len = 0;
    ok_status("${name} partial_length", glmmgo_mcla_partial_length(h, &len, err, sizeof err));
    double *parts = malloc(sizeof(double) * (size_t)(len * ${ns}));`);
  c.splits.forEach(([a, b], i) => {
    lines.push(`    ok_status("${name} partial ${a}:${b}", glmmgo_mcla_partial(h, ${tag}_par, ${int(a - 1)}, ${int(b)}, 0, parts + ${i} * len, len, err, sizeof err));`);
  });
  lines.push(`    double mv, mg[${d}], mh[${d * d}];
    ok_status("${name} merge", glmmgo_mcla_merge(h, ${tag}_par, ${ns}, parts, len, &mv, mg, mh, err, sizeof err));
    ok_status("${name} objective (all)", glmmgo_mcla_objective(h, ${tag}_par, 0, &value, gradient, hessian, err, sizeof err));
    close_to("${name} merged value", mv, value, ${tol.merged});
    close_all("${name} merged gradient", mg, gradient, ${d}, ${tol.merged});
    close_all("${name} merged hessian", mh, hessian, ${d * d}, ${tol.merged});
    close_to("${name} merged value vs reference", mv, ${num(r.value)}, ${tol.value});
    free(parts);
    ok_status("glmmgo_free", glmmgo_free(h));
}`);
  body.push(lines.join('\n'));
  return `test_${tag}`;
}

// ---- error scenarios: each mirrors the function of the same name in runtests.jl --------

const STATUS = {
  invalid: 'GLMMGO_ERR_INVALID', domain: 'GLMMGO_ERR_DOMAIN', numeric: 'GLMMGO_ERR_NUMERIC',
  cancelled: 'GLMMGO_ERR_CANCELLED', internal: 'GLMMGO_ERR_INTERNAL', handle: 'GLMMGO_ERR_HANDLE',
  busy: 'GLMMGO_ERR_BUSY', state: 'GLMMGO_ERR_STATE', forked: 'GLMMGO_ERR_FORKED',
};

// The data the scenarios use: the first MCLA case and the Dyestuff LMM case of the plan.
const SCENARIOS = {
  mcla_nonpositive_variance: ({ e, want, msg, mtag, mi }) => `
${mclaNew(mtag, mi)}
    double par[${mi.ref.p + mi.ref.T}], value = 0, g[${mi.ref.p + mi.ref.T}], H[${(mi.ref.p + mi.ref.T) ** 2}];
    memcpy(par, ${mtag}_par, sizeof par);
    par[${mi.ref.p}] = -1.0;
    expect_error("${e}", glmmgo_mcla_objective(h, par, 0, &value, g, H, err, sizeof err), ${want}, ${msg});
    close_to("${e} value is -Inf", value, -INFINITY, 0);
    glmmgo_free(h);`,

  mcla_objective_before_samples: ({ e, want, msg, mtag, mi }) => `
${mclaNew(mtag, mi, { samples: false })}
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
    expect_error("${e}", glmmgo_lmm_objective(h, (const double[]){-1.0}, 0, &v, err, sizeof err), ${want}, ${msg});
${lmmFree}`,

  lmm_info_before_fit: ({ e, want, msg, ltag, li }) => `
${lmmNew(ltag, li)}
    double obj, ll, dev, rc, aic, bic, sigma; int64_t evals; int32_t conv, sing, isreml;
    expect_error("${e}", glmmgo_lmm_fit_info(h, &obj, &ll, &dev, &rc, &aic, &bic, &sigma, &evals, &conv, &sing, &isreml, err, sizeof err), ${want}, ${msg});
${lmmFree}`,

  lmm_cancel: ({ e, want, msg, ltag, li }) => `
${lmmNew(ltag, li)}
    int64_t calls = 0;
    expect_error("${e}", glmmgo_lmm_fit(h, 0, NULL, 0.0, 0.0, INT64_C(0), progress_stop, &calls, err, sizeof err), ${want}, ${msg});
    close_to("${e} callback called once", (double)calls, 1, 0);
    double obj, ll, dev, rc, aic, bic, sigma; int64_t evals; int32_t conv, sing, isreml;
    expect_error("${e} keeps no result", glmmgo_lmm_fit_info(h, &obj, &ll, &dev, &rc, &aic, &bic, &sigma, &evals, &conv, &sing, &isreml, err, sizeof err), GLMMGO_ERR_STATE, NULL);
${lmmFree}`,
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
// asserted against the C compiler's layout of the header's struct of the same name.
const JULIA_SIZES = { Int64: 8, UInt64: 8, Float64: 8, Cdouble: 8, Int32: 4, Cint: 4, UInt32: 4, UInt8: 1, Cchar: 1 };
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
    let off = 0;
    let maxAlign = 1;
    for (const fld of st.fields) {
      const { size, align } = juliaSize(fld.type);
      off = Math.ceil(off / align) * align;
      out.push(`_Static_assert(offsetof(${name}, ${fld.name}) == ${off}, "Julia puts ${name}.${fld.name} at offset ${off}");`);
      off += size;
      maxAlign = Math.max(maxAlign, align);
    }
    const size = Math.ceil(off / maxAlign) * maxAlign;
    out.push(`_Static_assert(sizeof(${name}) == ${size}, "Julia's ${name} has size ${size}");`);
  }
  return out.join('\n');
}

function generate(pkg) {
  const plan = td.readPlan(pkg);
  plan.pkg = pkg;
  const lme4 = Object.fromEntries(td.readJSON(pkg, 'lme4_reference.json').models.map((m) => [m.name, m]));
  const data = [];
  const body = [];
  const tests = [];
  plan.lmm.forEach((c, k) => {
    const ref = lme4[c.reference];
    if (!ref) throw new Error(`plan: no lme4 reference ${c.reference}`);
    tests.push(lmmCase(data, body, c, k, plan, ref));
  });
  plan.mcla.forEach((c, k) => tests.push(mclaCase(data, body, c, k, plan)));

  // error scenarios
  const planned = plan.error.map((e) => e.scenario);
  const inJulia = juliaScenarios(pkg);
  const problems = [];
  const same = (a, b) => a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);
  if (!same(planned, inJulia)) problems.push(`runtests.jl ERROR_SCENARIOS {${inJulia}} differ from the plan's {${planned}}`);
  if (!same(planned, Object.keys(SCENARIOS))) problems.push(`mirror.js scenarios {${Object.keys(SCENARIOS)}} differ from the plan's {${planned}}`);
  const dye = plan.lmm.findIndex((c) => c.data === 'Dyestuff.csv');
  const ctx = { mtag: 'mcla0', mi: td.mclaInputs(pkg, plan.mcla[0].reference), ltag: `lmm${dye}`, li: td.lmmInputs(pkg, plan.lmm[dye]) };
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
${tests.map((t) => `    ${t}();`).join('\n')}
    printf("%d passed, %d failed\\n", n_pass, n_fail);
    return n_fail ? 1 : 0;
}`;
  return { source: [PRELUDE, layoutAsserts(pkg), ...data, ...body, main].join('\n\n'), problems };
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
  const { source, problems } = generate(o.package);
  if (problems.length) {
    for (const p of problems) console.error(`FAIL ${p}`);
    process.exit(1);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glmmgo-julia-mirror-'));
  const src = o.keep || path.join(dir, 'mirror.c');
  fs.writeFileSync(src, source);
  const exe = path.join(dir, 'mirror');
  execFileSync('gcc', ['-std=c11', '-O0', '-Wall', '-Wextra', '-Werror', '-I', o.include, '-o', exe, src,
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
