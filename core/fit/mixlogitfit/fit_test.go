package mixlogitfit

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/mixlogit"
)

// testTruth has well-separated classes (slopes −1 and 1.5); it is the
// simulation study's truth.
var testTruth = mixlogit.Params{-1, 1.5, 1, 2, 0.6}

func testModel(t testing.TB, n, T int, seed uint64) *mixlogit.Model {
	x := mixlogit.NormalCovariate(n, T, seed)
	d, _, err := mixlogit.Simulate(testTruth, n, T, x, seed+1)
	if err != nil {
		t.Fatal(err)
	}
	m, err := mixlogit.New(d)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func fit(t testing.TB, m *mixlogit.Model, method Method, edit func(*Options)) *Result {
	t.Helper()
	opt := DefaultOptions()
	opt.Method = method
	if edit != nil {
		edit(&opt)
	}
	res, err := Fit(m, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestQuadratureFit: the direct fit reaches a maximum (zero gradient,
// negative definite Hessian) and reports consistent results.
func TestQuadratureFit(t *testing.T) {
	m := testModel(t, 300, 20, 3)
	res := fit(t, m, Quadrature, nil)
	if !res.Converged || !res.InfoPosDef {
		t.Fatalf("converged %v, information positive definite %v", res.Converged, res.InfoPosDef)
	}
	for k, g := range res.Gradient {
		if math.Abs(g) > 1e-4 {
			t.Errorf("gradient in %s is %g at the estimate", mixlogit.ParamNames[k], g)
		}
	}
	if res.Estimate[mixlogit.Beta1] >= res.Estimate[mixlogit.Beta2] {
		t.Errorf("labelling: beta1 = %g >= beta2 = %g", res.Estimate[mixlogit.Beta1], res.Estimate[mixlogit.Beta2])
	}
	// The estimate is near the truth: within 4 standard errors.
	for k := range mixlogit.NumParams {
		if d := math.Abs(res.Estimate[k] - testTruth[k]); d > 4*res.SE[k] {
			t.Errorf("%s = %g ± %g, truth %g", mixlogit.ParamNames[k], res.Estimate[k], res.SE[k], testTruth[k])
		}
	}
	var sum float64
	for i := range m.N() {
		r := res.Posterior[i] + res.Posterior[i+m.N()]
		if math.Abs(r-1) > 1e-12 {
			t.Fatalf("posterior of subject %d sums to %v", i, r)
		}
		sum += res.Posterior[i]
	}
	// At the maximum, ∂ℓ/∂π₁ = 0 makes π̂₁ the mean posterior probability.
	if d := math.Abs(sum/float64(m.N()) - res.Estimate[mixlogit.Pi1]); d > 1e-6 {
		t.Errorf("mean posterior of class 1 is %v, pi1 = %v", sum/float64(m.N()), res.Estimate[mixlogit.Pi1])
	}
}

// TestMCEMAgreesWithQuadrature: on one data set, each MCEM estimate lies
// within 3 of its Monte Carlo standard errors of the quadrature MLE, and
// Louis' standard errors agree with the observed information's.
func TestMCEMAgreesWithQuadrature(t *testing.T) {
	m := testModel(t, 300, 20, 3)
	q := fit(t, m, Quadrature, nil)
	for _, seed := range []uint64{1, 2} {
		r := fit(t, m, MCEM, func(o *Options) { o.Seed = seed })
		if !r.Converged || !r.InfoPosDef {
			t.Fatalf("seed %d: converged %v, information positive definite %v", seed, r.Converged, r.InfoPosDef)
		}
		for k := range mixlogit.NumParams {
			name := mixlogit.ParamNames[k]
			if !(r.MCSE[k] > 0 && r.MCSE[k] < 0.3*r.SE[k]) {
				t.Errorf("seed %d: %s: MCSE %g against SE %g", seed, name, r.MCSE[k], r.SE[k])
			}
			if d := math.Abs(r.Estimate[k] - q.Estimate[k]); d > 3*r.MCSE[k] {
				t.Errorf("seed %d: %s: MCEM %g, quadrature %g: %.1f MCSE apart", seed, name, r.Estimate[k], q.Estimate[k], d/r.MCSE[k])
			}
			if d := math.Abs(r.SE[k]/q.SE[k] - 1); d > 0.05 {
				t.Errorf("seed %d: %s: Louis SE %g, observed-information SE %g", seed, name, r.SE[k], q.SE[k])
			}
		}
		// The importance-sampling log-likelihood estimates the exact one.
		if d := math.Abs(r.LogLikMC - r.LogLik); d > 3*r.LogLikMCSE+0.05 {
			t.Errorf("seed %d: Monte Carlo log-likelihood %v ± %v, exact %v", seed, r.LogLikMC, r.LogLikMCSE, r.LogLik)
		}
		// The t proposal at the conditional modes mixes well: the weights'
		// effective sample size is most of the draws.
		if r.ESSMean < 0.8 || r.ESSMin < 0.5 {
			t.Errorf("seed %d: relative ESS mean %v, smallest %v", seed, r.ESSMean, r.ESSMin)
		}
		if r.SampleSize < DefaultOptions().InitialSamples || int64(r.SampleSize)*int64(m.N()) > r.TotalDraws {
			t.Errorf("seed %d: sample size %d, total draws %d", seed, r.SampleSize, r.TotalDraws)
		}
	}
}

// TestLabelSwitching: a start with the labels exchanged gives the same
// estimate, reported under β₁ < β₂.
func TestLabelSwitching(t *testing.T) {
	m := testModel(t, 200, 20, 5)
	start := []float64{-0.8, 1.2, 1.2, 1.5, 0.5}
	swapped := []float64{1.2, -0.8, 1.5, 1.2, 0.5}
	for _, method := range []Method{Quadrature, MCEM} {
		a := fit(t, m, method, func(o *Options) { o.Start = start })
		b := fit(t, m, method, func(o *Options) { o.Start = swapped })
		for k := range mixlogit.NumParams {
			tol := 1e-6
			if method == MCEM {
				tol = 4 * math.Hypot(a.MCSE[k], b.MCSE[k])
			}
			if d := math.Abs(a.Estimate[k] - b.Estimate[k]); d > tol {
				t.Errorf("%v: %s = %g from the start, %g from the swapped start", method, mixlogit.ParamNames[k], a.Estimate[k], b.Estimate[k])
			}
			if math.Abs(a.SE[k]/b.SE[k]-1) > 0.05 {
				t.Errorf("%v: SE of %s = %g and %g", method, mixlogit.ParamNames[k], a.SE[k], b.SE[k])
			}
		}
		if b.Estimate[mixlogit.Beta1] >= b.Estimate[mixlogit.Beta2] {
			t.Errorf("%v: beta1 %g >= beta2 %g", method, b.Estimate[mixlogit.Beta1], b.Estimate[mixlogit.Beta2])
		}
	}
}
