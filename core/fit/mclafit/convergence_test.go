package mclafit

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/optim"
)

// TestConvergenceHonest: a fit started far from the maximum is not
// reported as converged, with the reason; a normal fit is, and its
// reason is Converged. Before, ν = 1e300 stayed 1e300 with SE = Inf and β₀
// = 1e300 ended after one iteration at l_m = −3.8e301, both "converged"
// (trust's test met on a function flat to rounding there).
func TestConvergenceHonest(t *testing.T) {
	d := simulate(family.Bernoulli, 6, 10, []float64{-0.3, 0.8}, 0.5, 0, 3)
	for _, tc := range []struct {
		name  string
		start []float64
		want  Convergence
	}{
		{"default start", nil, Converged},
		{"nu = 1e300", []float64{0, 0, 1e300}, AbsurdScale},
		{"beta0 = 1e300", []float64{1e300, 0, 1}, AbsurdScale},
		{"beta1 = -1e200", []float64{0, -1e200, 1}, AbsurdScale},
	} {
		f, err := Run(d, Options{M: 200, Seed: 1, Start: tc.start})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if f.Convergence != tc.want || f.Converged != (tc.want == Converged) {
			t.Errorf("%s: converged %v, %v; want %v (par %g, value %g)", tc.name, f.Converged, f.Convergence, tc.want, f.Par(), f.Value)
		}
	}
	// An iteration limit of 1 from PQL's start stops before the maximum.
	f, err := Run(d, Options{M: 200, Seed: 1, IterLim: 1})
	if err != nil {
		t.Fatal(err)
	}
	if f.Converged || f.Convergence != IterationLimit {
		t.Errorf("iterlim 1: converged %v, %v", f.Converged, f.Convergence)
	}
}

// TestConvergenceChecks: each check on its own, on a fit's fields.
func TestConvergenceChecks(t *testing.T) {
	d := simulate(family.Bernoulli, 6, 10, []float64{-0.3, 0.8}, 0.5, 0, 3)
	f, err := Run(d, Options{M: 500, Seed: 2})
	if err != nil || !f.Converged {
		t.Fatalf("reference fit: %v, %v", err, f.Convergence)
	}
	status := optim.ValueConvergence // trust's test met
	g := *f
	g.Gradient = append([]float64(nil), f.Gradient...)
	g.Gradient[0] = 1 // far from stationary given the information
	if c := g.judge(status); c != GradientLarge {
		t.Errorf("a large gradient: %v", c)
	}
	g = *f
	g.HessianNegDef = false
	if c := g.judge(status); c != HessianNotNegDef {
		t.Errorf("Hessian not negative definite: %v", c)
	}
	g = *f
	g.Nu = []float64{2 * MaxVariance}
	if c := g.judge(status); c != AbsurdScale {
		t.Errorf("a huge variance: %v", c)
	}
	g = *f
	g.Value = math.Inf(-1)
	if c := g.judge(status); c != NotFinite {
		t.Errorf("a non-finite value: %v", c)
	}
}
