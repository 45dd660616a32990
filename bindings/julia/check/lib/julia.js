'use strict';
// Reads Julia source with tree-sitter-julia: syntax errors, foreign calls
// (`ccall((:name, lib), Ret, (Args...), vals...)` and `@ccall`-style macros
// `lib.name(v::T, ...)::Ret`), constant definitions and function names.

const fs = require('fs');
const path = require('path');
const Parser = require('tree-sitter');
const Julia = require('tree-sitter-julia');

const parser = new Parser();
parser.setLanguage(Julia);

// Macros that expand to @ccall with the same call syntax.
const CCALL_MACROS = new Set(['@ccall', '@gcsafe_ccall']);

function listJuliaFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
        walk(p);
      } else if (e.name.endsWith('.jl')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

function parseFile(file) {
  const src = fs.readFileSync(file, 'utf8');
  // tree-sitter's node binding reads long inputs through a callback in chunks.
  const tree = parser.parse((index) => (index < src.length ? src.slice(index, index + 4096) : null));
  return { file, src, tree };
}

const isComment = (n) => n.type === 'line_comment' || n.type === 'block_comment';
const kids = (n) => n.namedChildren.filter((c) => !isComment(c));
const where = (f, n) => `${f.file}:${n.startPosition.row + 1}:${n.startPosition.column + 1}`;
const squash = (s) => s.replace(/\s+/g, '');

// Every ERROR or MISSING node, as "file:line:col: message".
function syntaxProblems(f) {
  const out = [];
  const visit = (n) => {
    if (n.type === 'ERROR') out.push(`${where(f, n)}: syntax error near ${JSON.stringify(n.text.slice(0, 40))}`);
    else if (n.isMissing) out.push(`${where(f, n)}: missing ${n.type}`);
    if (n.hasError || n.isMissing) for (const c of n.children) visit(c);
  };
  visit(f.tree.rootNode);
  if (f.tree.rootNode.hasError && out.length === 0) out.push(`${f.file}: parse error`);
  return out;
}

function* walk(n) {
  yield n;
  for (const c of n.namedChildren) yield* walk(c);
}

// The name of the function whose body contains node n (long or short form), or null.
function enclosingFunction(n) {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'function_definition') {
      const sig = p.namedChildren.find((c) => c.type === 'signature') || p.namedChildren[0];
      const call = sig && (sig.type === 'call_expression' ? sig : [...walk(sig)].find((c) => c.type === 'call_expression'));
      return call ? kids(call)[0].text : null;
    }
    if (p.type === 'assignment') {
      const lhs = kids(p)[0];
      if (lhs && lhs.type === 'call_expression') return kids(lhs)[0].text;
    }
  }
  return null;
}

// All foreign calls in a parsed file:
// {file, loc, form, cname, lib, ret, argTypes, nvals, func, problems}
function foreignCalls(f) {
  const out = [];
  for (const n of walk(f.tree.rootNode)) {
    if (n.type === 'call_expression' && kids(n)[0] && kids(n)[0].text === 'ccall') {
      out.push(readCcall(f, n));
    } else if (n.type === 'macrocall_expression') {
      const id = kids(n)[0];
      if (id && CCALL_MACROS.has(id.text)) out.push(readCcallMacro(f, n, id.text));
    }
  }
  return out;
}

function readCcall(f, n) {
  const c = { file: f.file, loc: where(f, n), form: 'ccall', problems: [], func: enclosingFunction(n) };
  const args = kids(kids(n)[1]);
  if (args.length < 3) {
    c.problems.push('ccall needs (:name, lib), a return type and an argument-type tuple');
    return c;
  }
  const [spec, ret, types, ...vals] = args;
  if (spec.type !== 'tuple_expression' || kids(spec).length !== 2 || kids(spec)[0].type !== 'quote_expression') {
    c.problems.push(`the first argument of ccall must be a literal (:name, lib) tuple, found ${spec.text}`);
    return c;
  }
  c.cname = kids(spec)[0].text.replace(/^:/, '');
  c.lib = squash(kids(spec)[1].text);
  c.ret = squash(ret.text);
  if (types.type !== 'tuple_expression') {
    c.problems.push(`the argument types of ccall must be a literal tuple, found ${types.text}`);
    return c;
  }
  c.argTypes = kids(types).map((t) => squash(t.text));
  c.nvals = vals.length;
  return c;
}

function readCcallMacro(f, n, macro) {
  const c = { file: f.file, loc: where(f, n), form: macro, problems: [], func: enclosingFunction(n) };
  const list = kids(n)[1];
  const margs = list ? kids(list) : [];
  const sig = margs[margs.length - 1];
  for (const opt of margs.slice(0, -1)) {
    if (opt.type !== 'assignment') c.problems.push(`unexpected ${macro} option ${opt.text}`);
    else if (macro === '@gcsafe_ccall') c.problems.push(`@gcsafe_ccall sets gc_safe itself; found ${opt.text}`);
  }
  if (!sig || sig.type !== 'typed_expression') {
    c.problems.push(`${macro} needs lib.name(args...)::Ret`);
    return c;
  }
  const [call, ret] = kids(sig);
  c.ret = squash(ret.text);
  const callee = call && kids(call)[0];
  if (!callee || callee.type !== 'field_expression') {
    c.problems.push(`${macro} must name the library: lib.name(...)`);
    return c;
  }
  const [lib, name] = kids(callee);
  c.lib = squash(lib.text);
  c.cname = name.text;
  c.argTypes = [];
  c.nvals = 0;
  for (const a of kids(kids(call)[1])) {
    if (a.type !== 'typed_expression') {
      c.problems.push(`argument ${a.text} of ${c.cname} has no ::Type`);
      continue;
    }
    c.argTypes.push(squash(kids(a)[1].text));
    c.nvals++;
  }
  return c;
}

// `const NAME = value` at any level: {NAME: {text, loc}}.
function constants(f) {
  const out = {};
  for (const n of walk(f.tree.rootNode)) {
    if (n.type !== 'const_statement') continue;
    const asg = kids(n)[0];
    if (!asg || asg.type !== 'assignment') continue;
    const [lhs, , rhs] = asg.children.filter((c) => !isComment(c));
    if (lhs && rhs && lhs.type === 'identifier') out[lhs.text] = { text: squash(rhs.text), loc: where(f, n) };
  }
  return out;
}

// Names of functions defined at the top level of the file's modules.
function definedFunctions(f) {
  const names = new Set();
  for (const n of walk(f.tree.rootNode)) {
    if (n.type === 'function_definition') {
      const call = [...walk(n.namedChildren[0])].find((c) => c.type === 'call_expression');
      if (call) names.add(kids(call)[0].text);
    } else if (n.type === 'assignment' && n.parent && (n.parent.type === 'source_file' || n.parent.type === 'block' || n.parent.type === 'module_definition')) {
      const lhs = kids(n)[0];
      if (lhs && lhs.type === 'call_expression') names.add(kids(lhs)[0].text);
    }
  }
  return names;
}

// Uses of `Mod.name` (also `X.Mod.name`) in code: [{name, loc}].
function qualifiedRefs(f, mod) {
  const out = [];
  for (const n of walk(f.tree.rootNode)) {
    if (n.type !== 'field_expression') continue;
    const [value, field] = kids(n);
    if (!value || !field) continue;
    const v = value.text;
    if (v === mod || v.endsWith('.' + mod)) out.push({ name: field.text, loc: where(f, n) });
  }
  return out;
}

// `struct Name ... end` definitions: {Name: {fields: [{name, type}], loc, mutable}}.
function structs(f) {
  const out = {};
  for (const n of walk(f.tree.rootNode)) {
    if (n.type !== 'struct_definition') continue;
    const [head, ...body] = kids(n);
    if (!head || head.type !== 'type_head' || kids(head)[0].type !== 'identifier') continue;
    const fields = body.filter((c) => c.type === 'typed_expression')
      .map((c) => ({ name: kids(c)[0].text, type: squash(kids(c)[1].text) }));
    const untyped = body.filter((c) => c.type === 'identifier').map((c) => c.text);
    out[kids(head)[0].text] = { fields, untyped, loc: where(f, n), mutable: /^mutable\b/.test(n.text) };
  }
  return out;
}

// The entries `NAME => Type` of `const RESULT_TYPES = Dict{Int32,DataType}(...)`:
// {NAME: {type, loc}}, or null when there is no such constant.
function resultTypes(f) {
  for (const n of walk(f.tree.rootNode)) {
    if (n.type !== 'const_statement') continue;
    const asg = kids(n)[0];
    if (!asg || asg.type !== 'assignment' || kids(asg)[0].text !== 'RESULT_TYPES') continue;
    const out = {};
    for (const p of walk(asg)) {
      if (p.type !== 'binary_expression' || !p.children.some((c) => c.type === 'operator' && c.text === '=>')) continue;
      const ks = kids(p);
      out[ks[0].text] = { type: squash(ks[ks.length - 1].text), loc: where(f, p) };
    }
    return out;
  }
  return null;
}

// The function definition named fname (first one), or null.
function functionNode(f, fname) {
  for (const n of walk(f.tree.rootNode)) {
    if (n.type !== 'function_definition') continue;
    const call = [...walk(n.namedChildren[0])].find((c) => c.type === 'call_expression');
    if (call && kids(call)[0].text === fname) return n;
  }
  return null;
}

// Uses of Mod.name inside the function fname, in source order: [name].
function refsInFunction(f, fname, mod) {
  const node = functionNode(f, fname);
  if (!node) return null;
  const out = [];
  for (const n of walk(node)) {
    if (n.type !== 'field_expression') continue;
    const [value, field] = kids(n);
    if (value && field && (value.text === mod || value.text.endsWith('.' + mod))) out.push(field.text);
  }
  return out;
}

module.exports = { resultTypes, refsInFunction, structs, qualifiedRefs, listJuliaFiles, parseFile, syntaxProblems, foreignCalls, constants, definedFunctions };
