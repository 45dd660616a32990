#!/bin/sh
# Tests the R package glmmgo: installs it into a temporary library (building
# libglmmgo from this checkout), runs the testthat suite, then builds the
# source tarball and runs R CMD check on it. Exits non-zero on any failure,
# and if R CMD check reports an ERROR or a WARNING.
#
#   bindings/R/tools/test.sh            (from anywhere inside the repository)
#
# Environment: GLMMGO_SKIP_SLOW=1 skips the slow comparisons (InstEval, the
# coexistence sessions, lme4's profiles) in the testthat run (R CMD check
# always skips them, having run them here already);
# GLMMGO_NO_CHECK=1 skips R CMD check.
set -eu
pkg=$(cd "$(dirname "$0")/.." && pwd)          # bindings/R
root=$(cd "$pkg/../.." && pwd)                  # the Go module
tmp=$(mktemp -d "${TMPDIR:-/tmp}/glmmgo-rtest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export GLMMGO_SRC="$root"
mkdir -p "$tmp/lib"

echo "== installing glmmgo into $tmp/lib"
R CMD INSTALL --preclean --no-multiarch --library="$tmp/lib" "$pkg" > "$tmp/install.log" 2>&1 || {
  cat "$tmp/install.log"; echo "FAILED: R CMD INSTALL"; exit 1; }
"$pkg/cleanup"    # leave no build products in the checkout

echo "== testthat"
( cd "$pkg/tests" && R_LIBS="$tmp/lib${R_LIBS:+:$R_LIBS}" NOT_CRAN=true Rscript -e '
  library(testthat)
  res <- testthat::test_dir("testthat", package = "glmmgo", load_package = "installed",
                            reporter = ProgressReporter$new(show_praise = FALSE), stop_on_failure = TRUE)
' ) || { echo "FAILED: testthat"; exit 1; }

if [ "${GLMMGO_NO_CHECK:-}" = "1" ]; then echo "== R CMD check skipped (GLMMGO_NO_CHECK=1)"; exit 0; fi

echo "== R CMD build"
( cd "$tmp" && R CMD build --no-build-vignettes "$pkg" > build.log 2>&1 ) || { cat "$tmp/build.log"; echo "FAILED: R CMD build"; exit 1; }
tarball=$(ls "$tmp"/glmmgo_*.tar.gz)
echo "== R CMD check $(basename "$tarball")"
( cd "$tmp" && GLMMGO_SKIP_SLOW=1 R_LIBS="$tmp/lib${R_LIBS:+:$R_LIBS}" _R_CHECK_FORCE_SUGGESTS_=false \
    R CMD check --no-manual "$tarball" ) || status=$?
log="$tmp/glmmgo.Rcheck/00check.log"
[ -f "$log" ] || { echo "FAILED: no check log"; exit 1; }
if grep -q "^Status:.*ERROR" "$log" || grep -q "^Status:.*WARNING" "$log" || [ "${status:-0}" -ne 0 ]; then
  grep -B2 -A15 -E "\.\.\. (ERROR|WARNING)" "$log" || true
  for f in "$tmp"/glmmgo.Rcheck/tests/*.Rout.fail; do [ -f "$f" ] && tail -40 "$f"; done
  echo "FAILED: R CMD check"; exit 1
fi
grep "^Status:" "$log"
echo "OK"
