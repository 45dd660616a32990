package mcla

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/importance"
	"github.com/glmmgo/glmmgo/core/response"
	"github.com/glmmgo/glmmgo/internal/refcase"
)

func modelFromCase(t testing.TB, c *refcase.Case) *Model {
	t.Helper()
	fam := map[string]family.Code{"bernoulli": family.Bernoulli, "poisson": family.Poisson, "binomial": family.Binomial}[c.Family]
	trials := c.NTrials
	if fam != family.Binomial {
		trials = nil
	}
	m, err := New(Data{Response: response.Response{Family: fam, Y: c.Y, Trials: trials, Weights: c.Weights}, N: c.N, P: c.P, Q: c.Q, X: c.X, ZRow: c.Z.Row, ZCol: c.Z.Col, ZVal: c.Z.Val, NVC: c.NVC, VCOf: c.VCOf()})
	if err != nil {
		t.Fatal(err)
	}
	imp := importance.Params{Zeta: c.Zeta, UStar: c.UStar, DStar: c.DStar, SigmaInv: c.SigmaInv}
	copy(imp.P[:], c.PMix)
	if err := m.SetImportance(imp, 1); err != nil {
		t.Fatal(err)
	}
	if err := m.SetSamples(c.M, c.UMat, 1); err != nil {
		t.Fatal(err)
	}
	return m
}

func relErr(got, want float64) float64 {
	return math.Abs(got-want) / math.Max(math.Abs(want), 1)
}

// TestReferenceCases reproduces glmm 1.4.5's objective on its own samples.
// Gradients near an optimum are ~1e-14, so the error is relative to
// max(|want|, 1) for each element.
func TestReferenceCases(t *testing.T) {
	cases, err := refcase.All()
	if err != nil || len(cases) == 0 {
		t.Fatalf("no reference cases: %v", err)
	}
	worst := 0.0
	for _, c := range cases {
		m := modelFromCase(t, c)
		d := m.NPar()
		res := Result{Gradient: make([]float64, d), Hessian: make([]float64, d*d)}
		if err := m.Evaluate(c.Par, 1, &res); err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		check := func(what string, got, want []float64) {
			for i := range want {
				e := relErr(got[i], want[i])
				worst = math.Max(worst, e)
				if e > 1e-9 {
					t.Errorf("%s: %s[%d] = %.15g, glmm %.15g (rel. error %.2g)", c.Name, what, i, got[i], want[i], e)
				}
			}
		}
		check("value", []float64{res.Value}, []float64{c.Value})
		check("gradient", res.Gradient, c.Gradient)
		check("hessian", res.Hessian, c.Hessian)
	}
	t.Logf("largest relative error over %d reference cases: %.3g", len(cases), worst)
}
