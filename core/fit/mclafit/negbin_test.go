package mclafit

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/family"
)

// TestFitDispersion: on simulated negative binomial data with r = 3 the
// profile maximum is interior, near the truth (within 0.5 on the log scale,
// several sampling SEs for this design), and no evaluated r beats it.
func TestFitDispersion(t *testing.T) {
	d := simulate(family.NegBinomial, 120, 6, []float64{1, -0.5}, 0.5, 3, 31)
	m := 1000
	if raceEnabled {
		m = 250
	}
	res, err := FitDispersion(d, Options{M: m, Seed: 2}, 0.3, 30)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("r = %.3f, loglik %.4f, beta %v nu %v, %d profile points", res.Dispersion, res.LogLik, res.Fit.Beta, res.Fit.Nu, len(res.Profile))
	if math.Abs(math.Log(res.Dispersion/3)) > 0.5 {
		t.Errorf("r = %g, truth 3", res.Dispersion)
	}
	for _, pt := range res.Profile {
		if pt[1] > res.LogLik+1e-9 {
			t.Errorf("profile at r = %g is %g > maximum %g", pt[0], pt[1], res.LogLik)
		}
	}
	if res.Dispersion < 0.4 || res.Dispersion > 25 {
		t.Errorf("maximum at the edge of the range: %g", res.Dispersion)
	}
	if !res.Fit.Converged || !(res.Fit.SE[0] > 0) {
		t.Errorf("fit at r-hat: converged %v SE %v", res.Fit.Converged, res.Fit.SE)
	}
	if _, err := FitDispersion(d, Options{M: 100}, 3, 1); err == nil {
		t.Error("empty range accepted")
	}
	d.Family = family.Poisson
	d.Dispersion = 0
	if _, err := FitDispersion(d, Options{M: 100}, 1, 3); err == nil {
		t.Error("Poisson accepted")
	}
}
