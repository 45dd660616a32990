#!/usr/bin/env bash
# Installs what the tests need beyond Go and gcc, on a fresh Debian machine:
# R with lme4, Matrix and testthat from Debian's packages (CRAN is not
# reachable); the references and tools the R tests use beside them (mlmRev's
# GLMM data sets, glmmTMB as a second reference, numDeriv, car and lattice
# for lme4's companion tools, snow/Rmpi/future for clusters, jsonlite for
# the scripts that write the reference JSON); OpenBLAS so
# that lme4 is timed at its best; valgrind for the leak check; and the Node
# packages of the Julia binding's static checks.
# Idempotent: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v R >/dev/null 2>&1 || need_apt+=(r-base-core r-base-dev)
for pkg in lme4 testthat Matrix mlmRev MASS glmmTMB numDeriv car lattice snow Rmpi future jsonlite; do
  if command -v Rscript >/dev/null 2>&1 && Rscript -e "quit(status = !requireNamespace('$pkg', quietly = TRUE))" >/dev/null 2>&1; then
    continue
  fi
  need_apt+=("r-cran-$(echo "$pkg" | tr '[:upper:]' '[:lower:]')")
done
dpkg -s libopenblas0-pthread >/dev/null 2>&1 || need_apt+=(libopenblas0-pthread)
command -v valgrind >/dev/null 2>&1 || need_apt+=(valgrind)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "install-deps: apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ -f bindings/julia/check/package.json ] && [ ! -d bindings/julia/check/node_modules ]; then
  echo "install-deps: npm ci in bindings/julia/check"
  (cd bindings/julia/check && npm ci --no-audit --no-fund --loglevel=error)
fi

go mod download
