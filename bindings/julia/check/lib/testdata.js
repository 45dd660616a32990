'use strict';
// The test data as test/runtests.jl reads it, and the same transformations the
// Julia package applies before it calls the library (design matrices, sorted
// levels and 0-based codes, sparse triplets in column-major order). Each function
// names the Julia code it mirrors.

const fs = require('fs');
const path = require('path');
const TOML = require('smol-toml');

function readPlan(pkg) {
  return TOML.parse(fs.readFileSync(path.join(pkg, 'test', 'data', 'plan.toml'), 'utf8'));
}

function readJSON(pkg, name) {
  return JSON.parse(fs.readFileSync(path.join(pkg, 'test', 'data', name), 'utf8'));
}

// runtests.jl `readcsv`: header line of names, then rows; fields split at commas,
// surrounding double quotes removed; every column kept as strings.
function readCSV(pkg, name) {
  const lines = fs.readFileSync(path.join(pkg, 'test', 'data', name), 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  const unquote = (s) => (s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s);
  const names = lines[0].split(',').map(unquote);
  const cols = {};
  for (const n of names) cols[n] = [];
  for (const line of lines.slice(1)) {
    const f = line.split(',').map(unquote);
    if (f.length !== names.length) throw new Error(`${name}: a row has ${f.length} fields, expected ${names.length}`);
    names.forEach((n, j) => cols[n].push(f[j]));
  }
  return cols;
}

// runtests.jl `column`: "(Intercept)" is a column of ones, anything else parsed as Float64.
function column(cols, name, n) {
  if (name === '(Intercept)') return new Array(n).fill(1);
  if (!cols[name]) throw new Error(`no column ${name}`);
  return cols[name].map((s) => {
    const v = Number(s);
    if (s.trim() === '' || Number.isNaN(v)) throw new Error(`column ${name}: ${s} is not a number`);
    return v;
  });
}

// GlmmGo.ReTerm: levels = sort(unique(groups)) (strings compare by code point; the
// test data are ASCII, where JavaScript's default sort agrees), codes index them.
function reterm(groups) {
  const levels = [...new Set(groups)].sort();
  const index = new Map(levels.map((l, i) => [l, i]));
  return { levels, codes0: groups.map((g) => index.get(g)) };
}

// The LMM inputs of one plan case, as GlmmGo.LMMModel hands them to glmmgo_lmm_new.
function lmmInputs(pkg, c) {
  const cols = readCSV(pkg, c.data);
  const y = column(cols, c.response, cols[c.response].length);
  const n = y.length;
  const x = [].concat(...c.fixed.map((f) => column(cols, f, n))); // column-major
  const terms = c.terms.map((t) => {
    const g = reterm(cols[t.group]);
    return { nlevels: g.levels.length, ncols: t.columns.length, codes0: g.codes0, z: [].concat(...t.columns.map((k) => column(cols, k, n))) };
  });
  return { n, p: c.fixed.length, y, x, terms };
}

// The MCLA inputs of a reference file, as runtests.jl builds the model:
// Z = sparse(from_c_indices(row), from_c_indices(col), val, n, q), whose findnz
// lists entries column by column, rows ascending, duplicates summed.
function mclaInputs(pkg, file) {
  const r = readJSON(pkg, file);
  const byPos = new Map();
  r.Z.row.forEach((row, k) => {
    const key = r.Z.col[k] * r.n + row;
    byPos.set(key, (byPos.get(key) || 0) + r.Z.val[k]);
  });
  const keys = [...byPos.keys()].sort((a, b) => a - b);
  const vc = [];
  r.nrandom.forEach((cnt, t) => { for (let j = 0; j < cnt; j++) vc.push(t); });
  const family = { bernoulli: 'GLMMGO_BERNOULLI', poisson: 'GLMMGO_POISSON', binomial: 'GLMMGO_BINOMIAL' }[r.family];
  if (!family) throw new Error(`${file}: unknown family ${r.family}`);
  return {
    ref: r,
    family,
    zRow: keys.map((k) => k % r.n),
    zCol: keys.map((k) => Math.floor(k / r.n)),
    zVal: keys.map((k) => byPos.get(k)),
    vc,
  };
}

module.exports = { readPlan, readJSON, readCSV, column, reterm, lmmInputs, mclaInputs };
