#!/usr/bin/env node
'use strict';
// Proves the checks can fail: copies the package, breaks it on purpose in one way
// per case (a ccall signature, a name, a constant, the syntax, a test expectation),
// and requires check.js (or mirror.js) to reject the copy with the expected
// message. The unmodified copy must pass. Each mutation must match the source
// exactly once, so a mutation that no longer applies fails the self-test instead of
// silently testing nothing.
//
// Usage: node selftest.js [--header FILE] [--lib DIR --include DIR]  (mirror cases need --lib)

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const here = __dirname;
const pkg = path.resolve(here, '..');

const CHECK_CASES = [
  {
    what: 'an argument type changed (workers::Int32 -> Int64)',
    file: 'src/LibGlmmGo.jl',
    from: 'workers::Int32, value::Ptr{Float64}, gradient::Ptr{Float64}, hessian::Ptr{Float64},',
    to: 'workers::Int64, value::Ptr{Float64}, gradient::Ptr{Float64}, hessian::Ptr{Float64},',
    expect: 'argument 3 (workers) is Int64',
  },
  {
    what: 'an argument type dropped from a ccall tuple',
    file: 'src/LibGlmmGo.jl',
    from: '(Int64, Ptr{Int64}, Ptr{UInt8}, Csize_t), h, len, err, errlen)',
    to: '(Int64, Ptr{UInt8}, Csize_t), h, len, err, errlen)',
    expect: '3 argument types, C has 4 parameters',
  },
  {
    what: 'an argument value dropped from a ccall',
    file: 'src/LibGlmmGo.jl',
    from: '(Int64, Ptr{Int64}, Ptr{UInt8}, Csize_t), h, len, err, errlen)',
    to: '(Int64, Ptr{Int64}, Ptr{UInt8}, Csize_t), h, err, errlen)',
    expect: '3 argument values for 4 types',
  },
  {
    what: 'a return type changed',
    file: 'src/LibGlmmGo.jl',
    from: 'ccall((:glmmgo_available_workers, libglmmgo()), Int32, ())',
    to: 'ccall((:glmmgo_available_workers, libglmmgo()), Int64, ())',
    expect: 'returns Int64, but C returns int32_t',
  },
  {
    what: 'a pointer to the wrong element type',
    file: 'src/LibGlmmGo.jl',
    from: 'workers::Int32, value::Ptr{Float64}, gradient::Ptr{Float64}, hessian::Ptr{Float64},',
    to: 'workers::Int32, value::Ptr{Float32}, gradient::Ptr{Float64}, hessian::Ptr{Float64},',
    expect: 'argument 4 (value) is Ptr{Float32}',
  },
  {
    what: 'a misspelt C function',
    file: 'src/LibGlmmGo.jl',
    from: 'ccall((:glmmgo_free, libglmmgo())',
    to: 'ccall((:glmmgo_fre, libglmmgo())',
    expect: 'glmmgo_fre is not declared',
  },
  {
    what: 'a wrapper deleted',
    file: 'src/LibGlmmGo.jl',
    from: /\n# int glmmgo_lmm_deviance_parts\([\s\S]*?\nend\n/,
    to: '\n',
    expect: 'glmmgo_lmm_deviance_parts (declared in glmmgo.h) is not wrapped',
  },
  {
    what: 'a long call made without @gcsafe_ccall',
    file: 'src/LibGlmmGo.jl',
    from: '@gcsafe_ccall libglmmgo().glmmgo_lmm_fit(',
    to: '@ccall libglmmgo().glmmgo_lmm_fit(',
    expect: 'a long-running call; use @gcsafe_ccall',
  },
  {
    what: 'a ccall outside the low-level layer',
    file: 'src/GlmmGo.jl',
    from: 'available_workers() = Int(LibGlmmGo.glmmgo_available_workers())',
    to: 'available_workers() = Int(ccall((:glmmgo_available_workers, libglmmgo()), Int32, ()))',
    expect: 'foreign calls belong in src/LibGlmmGo.jl only',
  },
  {
    what: 'a status constant out of step with the header',
    file: 'src/LibGlmmGo.jl',
    from: 'const GLMMGO_ERR_DOMAIN = Cint(2)',
    to: 'const GLMMGO_ERR_DOMAIN = Cint(3)',
    expect: 'GLMMGO_ERR_DOMAIN = Cint(3), the header says 2',
  },
  {
    what: 'the version number out of step with the header',
    file: 'src/LibGlmmGo.jl',
    from: /const GLMMGO_VERSION_NUMBER = Int32\(\d+\)/,
    to: 'const GLMMGO_VERSION_NUMBER = Int32(1)',
    expect: 'GLMMGO_VERSION_NUMBER = Int32(1), the header says',
  },
  {
    what: 'a field of a C struct with the wrong type',
    file: 'src/LibGlmmGo.jl',
    from: '    zeta::Float64\n    seed::UInt64\n',
    to: '    zeta::Float64\n    seed::Int64\n',
    expect: 'field seed of glmmgo_mcla_options is Int64',
  },
  {
    what: 'a field of the tagged struct glmmgo_dims with the wrong type',
    file: 'src/LibGlmmGo.jl',
    from: '    kind::Int32\n',
    to: '    kind::Int64\n',
    expect: 'field kind of struct_glmmgo_dims is Int64',
  },
  {
    what: 'an integer result typed Float64 in RESULT_TYPES',
    file: 'src/LibGlmmGo.jl',
    from: '    GLMMGO_LMM_EVALS => Int64,\n',
    to: '    GLMMGO_LMM_EVALS => Float64,\n',
    expect: 'RESULT_TYPES says GLMMGO_LMM_EVALS => Float64, the header makes it Int64',
  },
  {
    what: 'a result code missing from RESULT_TYPES',
    file: 'src/LibGlmmGo.jl',
    from: '    GLMMGO_LMM_SIGMA => Float64,\n',
    to: '',
    expect: 'RESULT_TYPES lacks the result code GLMMGO_LMM_SIGMA',
  },
  {
    what: 'a result the front end never reads',
    file: 'src/lmmfit.jl',
    from: 'r(LibGlmmGo.GLMMGO_LMM_U)',
    to: 'r(LibGlmmGo.GLMMGO_LMM_B)',
    expect: 'LibGlmmGo.GLMMGO_LMM_U is never used by the package',
  },
  {
    what: 'a C function the front end never calls',
    file: 'src/mcla.jl',
    from: 'checked(LibGlmmGo.glmmgo_mcla_set_dispersion, m.handle, Float64(r))',
    to: 'nothing',
    expect: 'LibGlmmGo.glmmgo_mcla_set_dispersion is never used by the package',
  },
  {
    what: 'a call to a wrapper that does not exist',
    file: 'src/mcla.jl',
    from: 'checked(LibGlmmGo.glmmgo_mcla_partial_length, m.handle, len)',
    to: 'checked(LibGlmmGo.glmmgo_mcla_partial_len, m.handle, len)',
    expect: 'LibGlmmGo.glmmgo_mcla_partial_len is not defined',
  },
  {
    what: 'a function without its end',
    file: 'src/terms.jl',
    from: 'nlevels(t::ReTerm) = length(t.levels)\n',
    to: 'function nlevels(t::ReTerm)\n    length(t.levels)\n',
    expect: 'terms.jl:',
  },
  {
    what: 'an unclosed parenthesis',
    file: 'src/mcla.jl',
    from: '    return (value = value[], gradient = g, hessian = H)\nend\n\n"""\n    partial_length',
    to: '    return (value = value[], gradient = g, hessian = H\nend\n\n"""\n    partial_length',
    expect: 'missing )',
  },
  {
    what: 'a stray closing parenthesis',
    file: 'ext/GlmmGoStatsModelsExt.jl',
    from: 'israndom(t) = t isa FunctionTerm && _called(t) === (|)\n',
    to: 'israndom(t) = t isa FunctionTerm && _called(t) === (|))\n',
    expect: 'GlmmGoStatsModelsExt.jl:',
  },
];

const MIRROR_CASES = [
  {
    what: 'a Julia expectation the library does not meet (wrong message text)',
    file: 'test/data/plan.toml',
    from: 'message = "theta: element 0 is -1"',
    to: 'message = "theta: element 1 is -1"',
    expect: 'FAIL error lmm_negative_theta',
  },
  {
    what: 'a tolerance tighter than the library achieves',
    file: 'test/data/plan.toml',
    from: 'theta = 1e-4',
    to: 'theta = 1e-12',
    expect: 'FAIL sleepstudy_ml theta',
  },
  {
    what: 'MCEM required to equal the mixlogit MLE exactly',
    file: 'test/data/plan.toml',
    from: 'mcse_multiple = 3.0',
    to: 'mcse_multiple = 0.0',
    expect: 'FAIL mixlogit mixlogit_n100_t8.json MCEM within mcse_multiple MCSE of the MLE',
  },
  {
    what: 'a mixlogit log-likelihood off R\'s integrate() by 1e-6',
    file: 'test/data/mixlogit_n100_t8.json',
    from: '"loglik":-502.895898054455',
    to: '"loglik":-502.895899054455',
    expect: 'FAIL mixlogit mixlogit_n100_t8.json objective at[1] = integrate()\'s',
  },
  {
    what: 'a negative binomial size too small for the Poisson limit',
    file: 'test/data/plan.toml',
    from: /\ndispersion = [0-9e.]+\n/,
    to: '\ndispersion = 1e3\n',
    expect: "FAIL negative binomial boothhobert_m100_mle.json value -> Poisson's",
  },
  {
    what: 'a fit read with a result code its kind does not have',
    file: 'src/lmmfit.jl',
    from: 'r(LibGlmmGo.GLMMGO_LMM_BETA)',
    to: 'r(LibGlmmGo.GLMMGO_MCLA_BETA)',
    expect: "FAIL read a fit's result status 1",
  },
  {
    what: 'calls left untested (the negative binomial cases dropped from the plan)',
    file: 'test/data/plan.toml',
    from: '[[mcla_nb]]',
    to: '[[mcla_nb_dropped]]',
    expect: 'the C mirror never calls glmmgo_mcla_set_dispersion',
  },
  {
    what: 'an error scenario of runtests.jl not mirrored in C',
    file: 'test/runtests.jl',
    from: '    "lmm_cancel" => function ()',
    to: '    "lmm_cancel_too_late" => function ()',
    expect: 'runtests.jl ERROR_SCENARIOS',
  },
];

function copyPackage() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glmmgo-julia-selftest-'));
  const dst = path.join(dir, 'julia');
  fs.cpSync(pkg, dst, { recursive: true, filter: (s) => !s.includes(`${path.sep}node_modules`) });
  return { dir, dst };
}

function mutate(root, c) {
  const file = path.join(root, c.file);
  const src = fs.readFileSync(file, 'utf8');
  const count = typeof c.from === 'string' ? src.split(c.from).length - 1 : (src.match(new RegExp(c.from, 'g')) || []).length;
  if (count !== 1) throw new Error(`mutation "${c.what}": pattern found ${count} times in ${c.file}, expected once`);
  fs.writeFileSync(file, src.replace(c.from, c.to));
}

function run(script, args) {
  const r = spawnSync(process.execPath, [path.join(here, script), ...args], { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

function main() {
  const argv = process.argv.slice(2);
  const opt = (k) => (argv.includes(k) ? path.resolve(argv[argv.indexOf(k) + 1]) : null);
  const header = opt('--header') || path.resolve(here, '../../../include/glmmgo.h');
  const lib = opt('--lib');
  const include = opt('--include') || path.dirname(header);
  let failed = 0;
  const cases = [...CHECK_CASES.map((c) => ({ ...c, script: 'check.js' })),
    ...(lib ? MIRROR_CASES.map((c) => ({ ...c, script: 'mirror.js' })) : [])];

  // the unmodified copy passes
  const base = copyPackage();
  for (const [script, args] of [['check.js', ['--package', base.dst, '--header', header]],
    ...(lib ? [['mirror.js', ['--package', base.dst, '--lib', lib, '--include', include]]] : [])]) {
    const r = run(script, args);
    if (r.status !== 0) {
      failed++;
      console.error(`selftest: FAIL the unmodified package does not pass ${script}:\n${r.out}`);
    }
  }
  fs.rmSync(base.dir, { recursive: true, force: true });

  for (const c of cases) {
    const { dir, dst } = copyPackage();
    try {
      mutate(dst, c);
      const args = c.script === 'check.js' ? ['--package', dst, '--header', header] : ['--package', dst, '--lib', lib, '--include', include];
      const r = run(c.script, args);
      if (r.status === 0) {
        failed++;
        console.error(`selftest: FAIL ${c.script} accepted ${c.what}`);
      } else if (!r.out.includes(c.expect)) {
        failed++;
        console.error(`selftest: FAIL ${c.script} rejected ${c.what}, but without "${c.expect}":\n${r.out}`);
      } else {
        console.log(`selftest: ok  ${c.script} rejects ${c.what}`);
      }
    } catch (e) {
      failed++;
      console.error(`selftest: FAIL ${e.message}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  if (!lib) console.log('selftest: mirror cases skipped (no --lib)');
  if (failed) {
    console.error(`selftest: ${failed} failure(s)`);
    process.exit(1);
  }
  console.log(`selftest: OK (${cases.length} broken copies rejected, the unmodified copy accepted)`);
}

main();
