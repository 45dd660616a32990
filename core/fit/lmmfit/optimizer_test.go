package lmmfit

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/objective/lmm"
	"github.com/glmmgo/glmmgo/internal/refdata"
	"github.com/glmmgo/glmmgo/internal/simdata"
)

// maximal20 is a 20-θ maximal crossed model (simdata.Maximal): 30
// subjects × 20 items, small enough for BOBYQA's thousand evaluations
// under the race detector.
func maximal20(t testing.TB) *lmm.Model {
	t.Helper()
	m, err := lmm.New(fromSim(simdata.Maximal(1, 30, 20, 1)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	return m
}

// TestBFGSMatchesBOBYQA: the projected BFGS with the analytic gradient
// reaches BOBYQA's optimum (the criterion within 1e-8 relative, no worse
// than 1e-10 relative) on every reference model and on the 20-θ model, and
// declares convergence there; the automatic choice takes BFGS on the
// latter only.
func TestBFGSMatchesBOBYQA(t *testing.T) {
	refs, err := refdata.References()
	if err != nil {
		t.Fatal(err)
	}
	type named struct {
		name string
		m    func(t *testing.T) *lmm.Model
		reml bool
	}
	var cases []named
	for _, ref := range refs {
		if ref.NObs > 10000 && testing.Short() {
			continue
		}
		cases = append(cases, named{ref.Name, func(t *testing.T) *lmm.Model { return model(t, ref) }, ref.REML})
	}
	cases = append(cases, named{"maximal20_ml", func(t *testing.T) *lmm.Model { return maximal20(t) }, false},
		named{"maximal20_reml", func(t *testing.T) *lmm.Model { return maximal20(t) }, true})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := c.m(t)
			bo, err := Fit(m, Options{REML: c.reml, Optimizer: OptimizerBOBYQA})
			if err != nil {
				t.Fatal(err)
			}
			bf, err := Fit(m, Options{REML: c.reml, Optimizer: OptimizerBFGS})
			if err != nil {
				t.Fatal(err)
			}
			rel := (bf.Objective - bo.Objective) / math.Abs(bo.Objective)
			t.Logf("BOBYQA %d evals, BFGS %d (with gradient); objective rel diff %.2g", bo.Evals, bf.Evals, rel)
			if math.Abs(rel) > 1e-8 || rel > 1e-10 {
				t.Errorf("BFGS objective %.12g, BOBYQA %.12g (rel %.2g)", bf.Objective, bo.Objective, rel)
			}
			if !bf.Converged || bf.Optimizer != OptimizerBFGS || bo.Optimizer != OptimizerBOBYQA {
				t.Errorf("BFGS: converged %v (%s), optimizers %v %v", bf.Converged, bf.Message, bf.Optimizer, bo.Optimizer)
			}
			if bf.Singular != bo.Singular {
				t.Errorf("singular: BFGS %v, BOBYQA %v", bf.Singular, bo.Singular)
			}
			auto, err := Fit(m, Options{REML: c.reml})
			if err != nil {
				t.Fatal(err)
			}
			if want := OptimizerAuto.choose(m.NTheta()); auto.Optimizer != want || (m.NTheta() >= AutoBFGSMinTheta) != (want == OptimizerBFGS) {
				t.Errorf("auto chose %v for %d θ", auto.Optimizer, m.NTheta())
			}
		})
	}
}

// TestBFGSProgressAndLimits: the callback sees every evaluation EVALS
// counts (the start's choice as iteration 0), a false return cancels, a
// small maxeval stops the fit unconverged, and an unknown optimiser is
// refused.
func TestBFGSProgressAndLimits(t *testing.T) {
	refs, _ := refdata.References()
	var ref refdata.Reference
	for _, r := range refs {
		if r.Name == "sleepstudy_ml" {
			ref = r
		}
	}
	m := model(t, ref)
	calls := 0
	res, err := Fit(m, Options{Optimizer: OptimizerBFGS, Progress: func(int, float64, []float64) bool { calls++; return true }})
	if err != nil || calls != res.Evals {
		t.Fatalf("%d callback calls, %d evaluations: %v", calls, res.Evals, err)
	}
	calls = 0
	_, err = Fit(m, Options{Optimizer: OptimizerBFGS, Progress: func(k int, f float64, th []float64) bool { calls++; return calls < 4 }})
	if errs.KindOf(err) != errs.Cancelled || calls != 4 {
		t.Errorf("cancel: %v after %d calls", err, calls)
	}
	res, err = Fit(m, Options{Optimizer: OptimizerBFGS, MaxEval: 5})
	if err != nil || res.Converged || res.Evals > 5 {
		t.Errorf("maxeval 5: converged %v after %d evaluations (%s), %v", res.Converged, res.Evals, res.Message, err)
	}
	if _, err := Fit(m, Options{Optimizer: Optimizer(7)}); errs.KindOf(err) != errs.Invalid {
		t.Errorf("optimizer 7: %v", err)
	}
}
