package tests

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/fit/laplacefit"
	"github.com/glmmgo/glmmgo/core/objective/laplace"
	"github.com/glmmgo/glmmgo/core/objective/lmm"
	"github.com/glmmgo/glmmgo/core/response"
	"github.com/glmmgo/glmmgo/internal/refdata"
)

// TestLaplaceFromC runs c/laplace.c on cbpp (binomial, one scalar term:
// Laplace, fast and nagq = 9 fits) and grouseticks (Poisson, three
// terms): every result of the C interface is the Go engine's fit of the
// same data bit for bit, the objective at lme4's points is lme4's
// deviance function to 1e-5 relative (lme4's PIRLS stops at a relative
// change of 1e-7: core/objective/laplace's TestDevfunMatchesLme4), the
// optimum is no worse than lme4's, and inside the C program the fits
// with 1 and 2 workers and from a short options struct are the same bits.
func TestLaplaceFromC(t *testing.T) {
	refs, err := refdata.GLMMReferences()
	if err != nil {
		t.Fatal(err)
	}
	exe := compileC(t, "laplace", "laplace.c")
	for _, name := range []string{"cbpp", "grouseticks"} {
		t.Run(name, func(t *testing.T) {
			var ref refdata.GLMMReference
			for _, r := range refs {
				if r.Name == name && r.NAGQ == 1 {
					ref = r
					break
				}
			}
			g, err := refdata.BuildGLMM(name)
			if err != nil {
				t.Fatal(err)
			}
			got := runLaplaceC(t, exe, g, ref)
			for i, at := range ref.DevfunAt {
				if v := got["objective_at"][i]; math.Abs(v-at.Value) > 1e-5*math.Abs(at.Value) {
					t.Errorf("objective at lme4's point %d: %.10g, lme4 %.10g", i, v, at.Value)
				}
			}
			m := goModel(t, g)
			want := map[string]*laplacefit.Result{}
			for _, c := range []struct {
				tag string
				opt laplacefit.Options
			}{{"laplace", laplacefit.Options{}}, {"fast", laplacefit.Options{Fast: true}}, {"agq9", laplacefit.Options{NAGQ: 9}}} {
				if c.opt.NAGQ > 1 && !m.CanAGQ() {
					continue
				}
				m.Reset()
				r, err := laplacefit.Fit(m, c.opt)
				if err != nil {
					t.Fatal(err)
				}
				want[c.tag] = r
				compareFit(t, c.tag, got, r)
			}
			r := want["laplace"]
			if math.Abs(r.MinusTwoLogLik-ref.MinusTwoLogLik) > 1e-6*ref.MinusTwoLogLik+1e-6 && r.MinusTwoLogLik > ref.MinusTwoLogLik {
				t.Errorf("−2 log L %.8f, lme4 %.8f", r.MinusTwoLogLik, ref.MinusTwoLogLik)
			}
			lo, hi, _ := r.ConfInt(0.95)
			same(t, "confint.lower", got["confint.lower"], lo)
			same(t, "confint.upper", got["confint.upper"], hi)
			if f := got["failures"]; len(f) != 1 || f[0] != 0 {
				t.Errorf("the C program reported failures")
			}
		})
	}
}

// runLaplaceC writes g for c/laplace.c, runs it and parses its lines.
func runLaplaceC(t *testing.T, exe string, g *refdata.GLMM, ref refdata.GLMMReference) map[string][]float64 {
	fam := map[string]family.Code{"bernoulli": family.Bernoulli, "binomial": family.Binomial, "poisson": family.Poisson}[g.Family]
	var nlev, ncols, codes, z, at []float64
	for _, tm := range g.Terms {
		nlev, ncols = append(nlev, float64(tm.NLevels)), append(ncols, float64(tm.K))
		codes, z = append(codes, ints2floats(tm.Codes)...), append(z, tm.Z...)
	}
	for _, d := range ref.DevfunAt {
		at = append(at, d.Par...)
	}
	data := writeArrays(t, namedArray{"FAMILY", []float64{float64(fam)}},
		namedArray{"DIMS", []float64{float64(g.N), float64(g.P), float64(len(g.Terms))}},
		namedArray{"Y", g.Y}, namedArray{"TRIALS", g.Trials}, namedArray{"OFFSET", g.Offset}, namedArray{"X", g.X},
		namedArray{"NLEVELS", nlev}, namedArray{"NCOLS", ncols}, namedArray{"CODES", codes}, namedArray{"Z", z},
		namedArray{"DEVFUN_AT", at})
	got := map[string][]float64{}
	for _, line := range strings.Split(strings.TrimSpace(runC(t, exe, data)), "\n") {
		if strings.HasPrefix(line, "FAIL") {
			t.Error(line)
			continue
		}
		f := strings.Fields(line)
		got[f[0]] = []float64{}
		for _, s := range f[1:] {
			x, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatalf("bad output line %q", line)
			}
			got[f[0]] = append(got[f[0]], x)
		}
	}
	return got
}

func goModel(t *testing.T, g *refdata.GLMM) *laplace.Model {
	fam := map[string]family.Code{"bernoulli": family.Bernoulli, "binomial": family.Binomial, "poisson": family.Poisson}[g.Family]
	d := laplace.Data{Response: response.Response{Family: fam, Y: g.Y, Trials: g.Trials, Offset: g.Offset}, X: g.X, P: g.P}
	for _, tm := range g.Terms {
		d.Terms = append(d.Terms, lmm.Term{Codes: tm.Codes, NLevels: tm.NLevels, K: tm.K, Z: tm.Z})
	}
	m, err := laplace.New(d)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	return m
}

// compareFit: the C program's results under tag are r's, bit for bit.
func compareFit(t *testing.T, tag string, got map[string][]float64, r *laplacefit.Result) {
	t.Helper()
	var vc, cv []float64
	for _, tv := range r.VarCorr {
		vc = append(vc, tv.SD...)
		k := len(tv.SD)
		for j := 0; j < k; j++ {
			vc = append(vc, tv.Corr[j*k+j+1:(j+1)*k]...)
		}
	}
	for _, b := range r.CondVar {
		cv = append(cv, b...)
	}
	flag := func(b bool) []float64 {
		if b {
			return []float64{1}
		}
		return []float64{0}
	}
	for key, want := range map[string][]float64{
		"theta": r.Theta, "beta": r.Beta, "se": r.SE, "vcov": r.Vcov, "par_vcov": r.ParVcov, "varcorr": vc, "u": r.U,
		"b": r.B, "condvar": cv, "eta": r.LinearPred, "fitted": r.Fitted, "resid_response": r.ResidResponse,
		"resid_pearson": r.ResidPearson, "resid_deviance": r.ResidDeviance, "m2ll": {r.MinusTwoLogLik},
		"loglik": {r.LogLik}, "deviance": {r.Deviance}, "saturated": {r.SaturatedLogLik}, "aic": {r.AIC}, "bic": {r.BIC},
		"pdev": {r.PenalisedDev}, "ussq": {r.USSQ}, "logdet": {r.LogDetL}, "gradient": r.Gradient, "hessian": r.Hessian,
		"start_theta": r.Start.Theta, "start_lmm_theta": r.Start.LMMTheta,
		"evals":     {float64(r.FastStage.Evals), float64(r.SlowStage.Evals)},
		"converged": flag(r.Converged), "singular": flag(r.Singular), "fast": flag(r.Fast), "nagq": {float64(r.NAGQ)},
		"start_from_lmm": flag(r.Start.FromLMM), "stage_status": {float64(r.FastStage.Code), float64(r.SlowStage.Code)},
	} {
		same(t, tag+"."+key, got[tag+"."+key], want)
	}
}

func same(t *testing.T, key string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: the C interface has %d values, Go %d", key, len(got), len(want))
		return
	}
	for i := range want {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) && !(math.IsNaN(got[i]) && math.IsNaN(want[i])) {
			t.Errorf("%s[%d]: C %.17g, Go %.17g", key, i, got[i], want[i])
			return
		}
	}
}
