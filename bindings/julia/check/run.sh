#!/bin/sh
# The checks of the Julia package GlmmGo that run without Julia:
#   1-2. check.js     every .jl file parses (tree-sitter-julia); every ccall, constant,
#                     struct and result type matches include/glmmgo.h, every C function
#                     is wrapped, and the front end covers every function and code
#   3.   mirror.js    a C program making the calls of test/runtests.jl, with the same
#                     arguments and expectations, against a freshly built libglmmgo.so;
#                     it must call every C function and read every result code
#   4.   selftest.js  broken copies of the package are rejected by 1-3
# Exits non-zero on any failure. Needs node >= 18, npm, go and gcc.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)

cd "$here"
if [ ! -d node_modules/tree-sitter-julia ] || [ ! -d node_modules/smol-toml ]; then
    npm ci --no-audit --no-fund
fi

libdir=$(mktemp -d "${TMPDIR:-/tmp}/glmmgo-julia-lib.XXXXXX")
trap 'rm -rf "$libdir"' EXIT INT TERM
(cd "$root" && go build -buildmode=c-shared -o "$libdir/libglmmgo.so" ./capi)

node check.js --package "$here/.." --header "$root/include/glmmgo.h"
node mirror.js --package "$here/.." --lib "$libdir" --include "$root/include"
node selftest.js --header "$root/include/glmmgo.h" --lib "$libdir" --include "$root/include"
echo "bindings/julia/check: all checks passed"
