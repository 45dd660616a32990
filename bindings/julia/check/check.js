#!/usr/bin/env node
'use strict';
// Static checks of the Julia package GlmmGo against include/glmmgo.h, without Julia:
//
//  1. every .jl file of the package parses with tree-sitter-julia (no ERROR or
//     MISSING node);
//  2. every foreign call names a function of the header, through the library
//     expression libglmmgo(), with the C return type, the same number of
//     arguments and the C type of each argument (table below); foreign calls
//     appear only in src/LibGlmmGo.jl, each inside the Julia function of the same
//     name, and every function of the header has exactly one such wrapper;
//  3. calls that take a progress callback or a worker count, or evaluate an
//     objective, use @gcsafe_ccall (GC-safe on Julia >= 1.12);
//  4. the constants of src/LibGlmmGo.jl equal the header's #defines;
//  5. every use of LibGlmmGo.name in the package names a wrapper, constant or
//     struct defined there;
//  6. every struct of the header has an immutable Julia struct of the same name
//     (struct_glmmgo_x for a tagged struct glmmgo_x) with the same fields, in the
//     same order, of matching types;
//  7. RESULT_TYPES of src/LibGlmmGo.jl gives every result code of the header the
//     header's type (Int64 for the "int" results) and lists no other code;
//  8. the package's own code (src/, outside LibGlmmGo.jl) calls every function of
//     the header and uses every status, family, kind and result code.
//
// Usage: node check.js [--package DIR] [--header FILE]. Exit status 1 on any problem.

const path = require('path');
const { readHeader } = require('./lib/header.js');
const jl = require('./lib/julia.js');

// C type (normalised by header.js) -> the Julia types accepted for it.
const SCALARS = {
  int: ['Cint', 'Int32'],
  int32_t: ['Int32', 'Cint'],
  int64_t: ['Int64'],
  uint64_t: ['UInt64'],
  double: ['Float64', 'Cdouble'],
  size_t: ['Csize_t'],
  void: ['Cvoid', 'Nothing'],
};
const POINTEES = {
  double: ['Float64', 'Cdouble'],
  int64_t: ['Int64'],
  uint64_t: ['UInt64'],
  int32_t: ['Int32', 'Cint'],
  int: ['Cint', 'Int32'],
  char: ['UInt8', 'Cchar'],
  void: ['Cvoid', 'Nothing'],
};

function acceptedJuliaTypes(ctype, typedefs, isReturn) {
  const td = typedefs[ctype];
  if (td && td.kind === 'fnptr') return ['Ptr{Cvoid}', 'Ptr{Nothing}'];
  if (td && td.kind === 'alias') return acceptedJuliaTypes(td.type, typedefs, isReturn);
  const m = ctype.match(/^(\w+|struct \w+)\*$/);
  if (m) {
    let base = m[1];
    if (typedefs[base] && typedefs[base].kind === 'alias') base = typedefs[base].type;
    // a struct is passed by pointer as its Julia struct (checked field by field below)
    const inner = typedefs[base] && typedefs[base].kind === 'struct' ? [typedefs[base].julia] : POINTEES[base];
    if (!inner) return [];
    const out = [];
    for (const t of inner) out.push(`Ptr{${t}}`, ...(isReturn ? [] : [`Ref{${t}}`]));
    if (base === 'char') out.push('Cstring');
    return out;
  }
  return SCALARS[ctype] || [];
}

function parseArgs(argv) {
  const here = __dirname;
  const opts = { package: path.resolve(here, '..'), header: path.resolve(here, '../../../include/glmmgo.h') };
  for (let i = 2; i < argv.length; i++) {
    if (argv[i] === '--package') opts.package = path.resolve(argv[++i]);
    else if (argv[i] === '--header') opts.header = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return opts;
}

function check(opts) {
  const problems = [];
  const notes = [];
  const header = readHeader(opts.header);
  const files = jl.listJuliaFiles(opts.package);
  if (files.length === 0) problems.push(`no .jl files under ${opts.package}`);
  const parsed = files.map(jl.parseFile);

  // 1. syntax
  for (const f of parsed) problems.push(...jl.syntaxProblems(f));
  notes.push(`parsed ${parsed.length} .jl files`);

  // 2. foreign calls
  const lowlevel = path.join(opts.package, 'src', 'LibGlmmGo.jl');
  const wrappers = {}; // C name -> [calls]
  let ncalls = 0;
  for (const f of parsed) {
    for (const c of jl.foreignCalls(f)) {
      ncalls++;
      const label = `${c.loc}: ${c.cname || c.form}`;
      for (const p of c.problems) problems.push(`${c.loc}: ${p}`);
      if (!c.cname) continue;
      if (path.resolve(c.file) !== lowlevel) {
        problems.push(`${label}: foreign calls belong in src/LibGlmmGo.jl only`);
      }
      const proto = header.functions[c.cname];
      if (!proto) {
        problems.push(`${label}: ${c.cname} is not declared in ${path.basename(opts.header)}`);
        continue;
      }
      if (c.func !== c.cname) problems.push(`${label}: called from function ${c.func}, expected a wrapper named ${c.cname}`);
      (wrappers[c.cname] = wrappers[c.cname] || []).push(c);
      if (c.lib !== 'libglmmgo()') problems.push(`${label}: library expression is ${c.lib}, expected libglmmgo()`);
      const rets = acceptedJuliaTypes(proto.ret, header.typedefs, true);
      if (!rets.includes(c.ret)) problems.push(`${label}: returns ${c.ret}, but C returns ${proto.ret} (expected ${rets.join(' or ')})`);
      if (!c.argTypes) continue;
      if (c.argTypes.length !== proto.params.length) {
        problems.push(`${label}: ${c.argTypes.length} argument types, C has ${proto.params.length} parameters`);
      }
      if (c.nvals !== c.argTypes.length) problems.push(`${label}: ${c.nvals} argument values for ${c.argTypes.length} types`);
      const k = Math.min(c.argTypes.length, proto.params.length);
      for (let i = 0; i < k; i++) {
        const want = acceptedJuliaTypes(proto.params[i].type, header.typedefs, false);
        if (want.length === 0) problems.push(`${label}: no Julia type known for C type ${proto.params[i].type}`);
        else if (!want.includes(c.argTypes[i])) {
          problems.push(`${label}: argument ${i + 1} (${proto.params[i].name}) is ${c.argTypes[i]}, C type ${proto.params[i].type} needs ${want.join(' or ')}`);
        }
      }
      // 3. long calls run GC-safe
      const long = proto.params.some((p) => p.type === 'glmmgo_progress_fn' || p.name === 'workers') || /_objective$/.test(c.cname);
      if (long && c.form !== '@gcsafe_ccall') problems.push(`${label}: a long-running call; use @gcsafe_ccall`);
    }
  }
  for (const name of Object.keys(header.functions)) {
    const w = wrappers[name] || [];
    if (w.length === 0) problems.push(`${name} (declared in ${path.basename(opts.header)}) is not wrapped`);
    if (w.length > 1) problems.push(`${name} is called from ${w.length} places (${w.map((c) => c.loc).join(', ')}); one wrapper only`);
  }
  notes.push(`checked ${ncalls} foreign calls against ${Object.keys(header.functions).length} C functions`);

  // 4. constants
  const low = parsed.find((f) => path.resolve(f.file) === lowlevel);
  if (!low) problems.push(`missing ${lowlevel}`);
  else {
    const consts = jl.constants(low);
    for (const [name, d] of Object.entries(header.defines)) {
      const c = consts[name];
      if (!c) {
        problems.push(`constant ${name} of the header is not defined in src/LibGlmmGo.jl`);
        continue;
      }
      let ok;
      if (d.kind === 'int') {
        const m = c.text.match(/^(?:Cint|Int32|Int64)\((-?\d+)\)$/) || c.text.match(/^(-?\d+)$/);
        ok = m && parseInt(m[1], 10) === d.value;
      } else ok = c.text === JSON.stringify(d.value);
      if (!ok) problems.push(`${c.loc}: ${name} = ${c.text}, the header says ${d.kind === 'int' ? d.value : JSON.stringify(d.value)}`);
    }
    notes.push(`compared ${Object.keys(header.defines).length} constants`);

    // 6. structs of the header: an immutable Julia struct of the same name with the
    //    same fields in the same order, of matching types (so the same C layout)
    const jstructs = jl.structs(low);
    for (const [cname, td] of Object.entries(header.typedefs)) {
      if (td.kind !== 'struct') continue;
      const name = td.julia;
      const js = jstructs[name];
      if (!js) {
        problems.push(`${cname} of the header has no struct ${name} in src/LibGlmmGo.jl`);
        continue;
      }
      if (js.mutable) problems.push(`${js.loc}: ${name} must be an immutable struct (C layout)`);
      if (js.untyped.length) problems.push(`${js.loc}: ${name} has untyped fields ${js.untyped.join(', ')}`);
      if (js.fields.length !== td.fields.length) problems.push(`${js.loc}: ${name} has ${js.fields.length} fields, C has ${td.fields.length}`);
      td.fields.forEach((cf, i) => {
        const jf = js.fields[i];
        if (!jf) return;
        if (jf.name !== cf.name) problems.push(`${js.loc}: field ${i + 1} of ${name} is ${jf.name}, C has ${cf.name}`);
        let want = acceptedJuliaTypes(cf.type, header.typedefs, true); // pointers: Ptr only, as for returns
        if (cf.count > 0) want = want.map((t) => `NTuple{${cf.count},${t}}`);
        if (!want.includes(jf.type)) problems.push(`${js.loc}: field ${cf.name} of ${name} is ${jf.type}, C type ${cf.type}${cf.count ? `[${cf.count}]` : ''} needs ${want.join(' or ')}`);
      });
    }

    // 5. every LibGlmmGo.name used elsewhere exists
    const defined = new Set([...jl.definedFunctions(low), ...Object.keys(consts), ...Object.keys(jl.structs(low))]);
    let nrefs = 0;
    const used = new Set(); // LibGlmmGo names used by the package's own code (src/, outside LibGlmmGo.jl)
    const srcdir = path.join(opts.package, 'src') + path.sep;
    for (const f of parsed) {
      for (const r of jl.qualifiedRefs(f, 'LibGlmmGo')) {
        nrefs++;
        if (!defined.has(r.name)) problems.push(`${r.loc}: LibGlmmGo.${r.name} is not defined in src/LibGlmmGo.jl`);
        if (path.resolve(f.file).startsWith(srcdir) && path.resolve(f.file) !== lowlevel) used.add(r.name);
      }
    }
    notes.push(`resolved ${nrefs} uses of LibGlmmGo.*`);

    // 7. RESULT_TYPES lists every result code of the header with its type (Int64 for
    //    the "int" results, read with glmmgo_result_int64), and nothing else
    const table = jl.resultTypes(low);
    if (!table) problems.push('src/LibGlmmGo.jl has no `const RESULT_TYPES = Dict{Int32,DataType}(...)`');
    const results = Object.entries(header.defines).filter(([, d]) => d.result);
    for (const [name, d] of results) {
      if (d.result === 'unknown') problems.push(`${name}: the header's comment gives no length column`);
      if (!table) continue;
      const want = d.result === 'int64' ? 'Int64' : 'Float64';
      if (!table[name]) problems.push(`RESULT_TYPES lacks the result code ${name}`);
      else if (table[name].type !== want) problems.push(`${table[name].loc}: RESULT_TYPES says ${name} => ${table[name].type}, the header makes it ${want}`);
    }
    for (const name of Object.keys(table || {})) {
      if (!header.defines[name] || !header.defines[name].result) problems.push(`${table[name].loc}: RESULT_TYPES lists ${name}, which is no result code of the header`);
    }
    notes.push(`compared RESULT_TYPES with the header's ${results.length} result codes`);

    // 8. the front end covers the interface: it calls every function of the header and
    //    uses every status, family, kind and result code
    const codes = Object.entries(header.defines)
      .filter(([name, d]) => d.kind === 'int' && (d.result || /^GLMMGO_(OK|ERR_|KIND_|BERNOULLI|POISSON|BINOMIAL|NEGBINOMIAL)/.test(name)))
      .map(([name]) => name);
    for (const name of [...Object.keys(header.functions), ...codes]) {
      if (!used.has(name)) problems.push(`LibGlmmGo.${name} is never used by the package (src/ outside LibGlmmGo.jl): the front end does not cover it`);
    }
    notes.push(`the front end uses all ${Object.keys(header.functions).length} functions and ${codes.length} codes`);
  }
  return { problems, notes };
}

if (require.main === module) {
  let result;
  let opts;
  try {
    opts = parseArgs(process.argv);
    result = check(opts);
  } catch (e) {
    console.error(`check.js: ${e.message}`);
    process.exit(2);
  }
  for (const n of result.notes) console.log(`check.js: ${n}`);
  if (result.problems.length) {
    const rel = (p) => p.split(opts.package + path.sep).join('');
    for (const p of result.problems) console.error(`FAIL ${rel(p)}`);
    console.error(`check.js: ${result.problems.length} problem(s)`);
    process.exit(1);
  }
  console.log('check.js: OK');
}

module.exports = { check, acceptedJuliaTypes };
