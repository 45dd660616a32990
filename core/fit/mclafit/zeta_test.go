package mclafit

import (
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/family"
)

// TestMinZeta: a fit with ζ = MinZeta draws a finite sample and fits; one
// below is refused naming zeta (ζ = 1e-300 failed naming umat).
func TestMinZeta(t *testing.T) {
	d := simulate(family.Bernoulli, 6, 10, []float64{-0.3, 0.8}, 0.5, 0, 3)
	if _, err := Run(d, Options{M: 5000, Seed: 4, Zeta: MinZeta}); err != nil {
		t.Errorf("zeta = %g: %v", MinZeta, err)
	}
	for _, z := range []float64{0.05, 1e-300} {
		_, err := Run(d, Options{M: 200, Seed: 4, Zeta: z})
		if e, ok := err.(*errs.Error); !ok || e.Arg != "zeta" || e.Kind != errs.Invalid {
			t.Errorf("zeta = %g: %v", z, err)
		}
	}
}
