'use strict';
// Reads the prototypes, typedefs and integer/string constants of include/glmmgo.h.
// The header is hand-written in a plain style (one declaration per statement, no
// macros in prototypes), which is all this reader handles; anything it cannot read
// is an error rather than silently skipped.

const fs = require('fs');

function stripComments(src) {
  return src.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
}

// "const double *" -> "double*", "glmmgo_handle *" -> "glmmgo_handle*"
function normType(t) {
  return t
    .replace(/\bconst\b/g, ' ')
    .replace(/\s*\*\s*/g, '*')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/ \*/g, '*');
}

function parseParam(text, fname) {
  const m = text.trim().match(/^(.*?)([A-Za-z_]\w*)$/s);
  if (!m || !m[1].trim()) throw new Error(`header: cannot read parameter "${text.trim()}" of ${fname}`);
  return { type: normType(m[1]), name: m[2] };
}

function readHeader(path) {
  const raw = fs.readFileSync(path, 'utf8');
  const defines = {};
  for (const line of raw.split('\n')) {
    const d = line.match(/^\s*#\s*define\s+(GLMMGO_\w+)\s+(.+?)\s*(\/\*.*)?$/);
    if (!d) continue;
    const v = d[2].trim();
    if (/^-?\d+$/.test(v)) {
      const def = { kind: 'int', value: parseInt(v, 10) };
      // A result code: numbered from an engine's base (1000, 2000, ...), not the
      // version; an integer result when its length column ends in "int" ("1 int").
      if (def.value >= 1000 && !d[1].startsWith('GLMMGO_VERSION_')) {
        const col = (d[3] || '').match(/^\/\*\s*(\S+(?: int)?)/);
        def.result = col ? (col[1].endsWith(' int') ? 'int64' : 'double') : 'unknown';
      }
      defines[d[1]] = def;
    } else if (/^"[^"]*"$/.test(v)) defines[d[1]] = { kind: 'string', value: v.slice(1, -1) };
  }
  const body = stripComments(raw)
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/extern\s+"C"\s*\{/g, ' ')
    .replace(/^\s*\}\s*$/gm, ' ');
  // name -> {kind: 'alias', type} | {kind: 'fnptr', ret} | {kind: 'struct', fields, julia}; a tagged
  // struct glmmgo_x is "struct glmmgo_x" here and struct_glmmgo_x in Julia (the tag may name a function).
  const typedefs = {};
  const functions = {}; // name -> {ret, params: [{type, name}]}
  // typedef struct { fields } name;  or  struct tag { fields };
  // fields: [{type, name, count}] (count for arrays, else 0)
  const readFields = (fields, name) => {
    const list = [];
    for (let f of fields.split(';')) {
      f = f.replace(/\s+/g, ' ').trim();
      if (!f) continue;
      const arrm = f.match(/^(.*?)\[(\d+)\]$/);
      const field = parseParam(arrm ? arrm[1] : f, name);
      list.push({ ...field, count: arrm ? parseInt(arrm[2], 10) : 0 });
    }
    return list;
  };
  const withoutStructs = body
    .replace(/typedef\s+struct\s*\w*\s*\{([^}]*)\}\s*(\w+)\s*;/g, (all, fields, name) => {
      typedefs[name] = { kind: 'struct', fields: readFields(fields, name), julia: name };
      return ' ';
    })
    .replace(/(?:^|;|\s)struct\s+(\w+)\s*\{([^}]*)\}\s*;/g, (all, tag, fields) => {
      typedefs[`struct ${tag}`] = { kind: 'struct', fields: readFields(fields, tag), julia: `struct_${tag}` };
      return ' ;';
    });
  for (let stmt of withoutStructs.split(';')) {
    stmt = stmt.replace(/\s+/g, ' ').trim();
    if (!stmt) continue;
    let m;
    if ((m = stmt.match(/^typedef (.+?)\(\s*\*\s*(\w+)\s*\)\s*\((.*)\)$/))) {
      typedefs[m[2]] = { kind: 'fnptr', ret: normType(m[1]) };
      continue;
    }
    if ((m = stmt.match(/^typedef (.+?)\s*\b(\w+)$/))) {
      typedefs[m[2]] = { kind: 'alias', type: normType(m[1]) };
      continue;
    }
    if ((m = stmt.match(/^(.+?)\b(glmmgo_\w+)\s*\((.*)\)$/))) {
      const name = m[2];
      if (functions[name]) throw new Error(`header: ${name} declared twice`);
      const plist = m[3].trim();
      const params = plist === 'void' || plist === '' ? [] : plist.split(',').map((p) => parseParam(p, name));
      functions[name] = { ret: normType(m[1]), params };
      continue;
    }
    throw new Error(`header: cannot read the statement "${stmt.slice(0, 80)}"`);
  }
  if (Object.keys(functions).length === 0) throw new Error(`header: no glmmgo_ functions found in ${path}`);
  return { defines, typedefs, functions };
}

module.exports = { readHeader, normType };
