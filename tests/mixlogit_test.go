package tests

import (
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/glmmgo/glmmgo/core/fit/mixlogitfit"
	"github.com/glmmgo/glmmgo/core/mixlogit"
)

// mixlogitData simulates the data of the mixlogit ABI tests: well-separated
// classes (cmd/mixlogit-sim's default truth), n = 120 subjects, T = 10.
func mixlogitData(t *testing.T) mixlogit.Data {
	t.Helper()
	const n, tt = 120, 10
	truth := mixlogit.Params{-1, 1.5, 1, 2, 0.6}
	d, _, err := mixlogit.Simulate(truth, n, tt, mixlogit.NormalCovariate(n, tt, 11), 12)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// mixlogitPar is the point where the objective is compared.
var mixlogitPar = mixlogit.Params{-0.8, 1.2, 0.9, 1.7, 0.55}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// mixlogitExpect is what c/mixlogit.c must print for the Go fit res (fitted
// with progress calls counted in calls, the last parameters in last) and
// the exact log-likelihood at mixlogitPar.
func mixlogitExpect(t *testing.T, m *mixlogit.Model, res *mixlogitfit.Result, calls int, last mixlogit.Params) map[string][]float64 {
	t.Helper()
	lik, err := m.Likelihood(1)
	if err != nil {
		t.Fatal(err)
	}
	g, h := make([]float64, 5), make([]float64, 25)
	v, err := lik.Eval(mixlogitPar, g, h)
	if err != nil {
		t.Fatal(err)
	}
	lo, hi, err := res.ConfInt(0.9)
	if err != nil {
		t.Fatal(err)
	}
	trace := res.TraceTable()
	ncol := len(mixlogitfit.TraceColumns)
	return map[string][]float64{
		"objective": {v}, "objective_value_only": {v}, "objective_gradient": g, "objective_hessian": h,
		"estimate": res.Estimate[:], "se": res.SE[:], "vcov": res.Vcov[:], "info_posdef": {b2f(res.InfoPosDef)},
		"loglik": {res.LogLik}, "gradient": res.Gradient[:], "posterior": res.Posterior,
		"converged": {b2f(res.Converged)}, "iterations": {float64(res.Iterations)}, "method": {float64(res.Method) + 1},
		"start": res.Start[:], "mcse": res.MCSE[:], "mcvcov": res.MCVcov[:], "loglik_mc": {res.LogLikMC},
		"loglik_mcse": {res.LogLikMCSE}, "sample_size": {float64(res.SampleSize)}, "total_draws": {float64(res.TotalDraws)},
		"newton_steps": {float64(res.NewtonSteps)}, "final_rounds": {float64(res.FinalRounds)}, "score_test": {res.ScoreTest},
		"ess": {res.ESSMean, res.ESSMin}, "trace_shape": {float64(len(res.Trace)), float64(ncol)},
		"trace_but_seconds": trace[:len(res.Trace)*(ncol-1)], "seconds_len": {6},
		"progress_calls": {float64(calls)}, "progress_npar": {5}, "progress_last_iter": {float64(calls)},
		"progress_last_par": last[:], "lower90": lo[:], "upper90": hi[:],
	}
}

// sameBits compares printed values with expected ones bit for bit (NaN
// equal to NaN).
func sameBits(t *testing.T, label string, got, want map[string][]float64) {
	t.Helper()
	for key, w := range want {
		g, ok := got[key]
		if !ok || len(g) != len(w) {
			t.Errorf("%s: %s has %d values, want %d", label, key, len(g), len(w))
			continue
		}
		for i := range w {
			if math.Float64bits(g[i]) != math.Float64bits(w[i]) && !(math.IsNaN(g[i]) && math.IsNaN(w[i])) {
				t.Errorf("%s: %s[%d] = %.17g through the C ABI, %.17g in Go", label, key, i, g[i], w[i])
				break
			}
		}
	}
	for key := range got {
		if _, ok := want[key]; !ok {
			t.Errorf("%s: unexpected output %s", label, key)
		}
	}
}

// TestMixlogitFitThroughABI: both methods' fits run by a C program equal,
// bit for bit, the Go fit with the same options, for 1 and 2 workers and
// (with the default seed and workers) from an options struct shorter than
// the library's; every result conveys its value, read after the model was
// freed; the objective at a point is the Go likelihood's, with and without
// derivatives. A cancelled fit makes no handle.
func TestMixlogitFitThroughABI(t *testing.T) {
	exe := compileC(t, "mixlogit", "mixlogit.c")
	d := mixlogitData(t)
	m, err := mixlogit.New(d)
	if err != nil {
		t.Fatal(err)
	}
	path := writeArrays(t, namedArray{"N", []float64{float64(d.N)}}, namedArray{"T", []float64{float64(d.T)}},
		namedArray{"Y", d.Y}, namedArray{"X", d.X}, namedArray{"PAR", mixlogitPar[:]})
	for _, method := range []mixlogitfit.Method{mixlogitfit.Quadrature, mixlogitfit.MCEM} {
		for _, seed := range []uint64{0, 7} {
			opt := mixlogitfit.DefaultOptions()
			opt.Method, opt.Seed, opt.Workers = method, seed, 2
			calls, last := 0, mixlogit.Params{}
			opt.Progress = func(iter int, _ float64, par []float64) bool {
				calls++
				copy(last[:], par)
				return true
			}
			res, err := mixlogitfit.Fit(m, opt)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Converged || res.Iterations < 2 {
				t.Fatalf("%v seed %d: converged %v after %d iterations", method, seed, res.Converged, res.Iterations)
			}
			want := mixlogitExpect(t, m, res, calls, last)
			runs := [][]string{{"1"}, {"2"}}
			if seed == 0 {
				runs = append(runs, []string{"0", "short"})
			}
			for _, args := range runs {
				label := method.String() + " seed " + strconv.FormatUint(seed, 10) + " workers " + strings.Join(args, " ")
				out := runC(t, exe, append([]string{path, method.String(), strconv.FormatUint(seed, 10)}, args...)...)
				sameBits(t, label, parseLines(t, out), want)
			}
		}
	}
	out := parseLines(t, runC(t, exe, path, "mcem", "3", "1", "cancel", "2"))
	want := map[string][]float64{"status": {4}, "calls": {2}, "fit_zero": {1}, "after_cancel": {6}}
	for key, w := range want {
		if g := out[key]; len(g) != 1 || g[0] != w[0] {
			t.Errorf("cancelled fit: %s = %v, want %v", key, g, w)
		}
	}
}

// TestMixlogitTraceColumnsInHeader: the header's GLMMGO_MIXLOGIT_TRACE
// names the trace's columns in the order of mixlogitfit.TraceColumns, and
// gives their number as the core does.
func TestMixlogitTraceColumnsInHeader(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(root, "include", "glmmgo.h"))
	if err != nil {
		t.Fatal(err)
	}
	text := regexp.MustCompile(`\s+`).ReplaceAllString(string(src), " ")
	cols := strings.Join(mixlogitfit.TraceColumns, ", ")
	ncol := strconv.Itoa(len(mixlogitfit.TraceColumns))
	if !strings.Contains(text, "GLMMGO_MIXLOGIT_TRACE 4023 /* k*"+ncol+" ") || !strings.Contains(text, "columns: "+cols+".") {
		t.Errorf("glmmgo.h does not describe GLMMGO_MIXLOGIT_TRACE as k*%s values with columns %q", ncol, cols)
	}
	if !strings.Contains(text, "/* 1 int columns of the trace: "+ncol+" */") {
		t.Errorf("glmmgo.h does not give GLMMGO_MIXLOGIT_TRACE_COLUMNS as %s", ncol)
	}
}
