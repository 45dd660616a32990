package mclafit

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/family"
)

// TestOffsetShiftsIntercept: a constant offset c (η = c + Xβ + Zu) is the
// same model as no offset with the intercept β₀ + c, through PQL, Σ̃⁻¹ at
// η*, the objective and the inference: the fits agree up to the searches'
// tolerances (PQL's and trust's; a mishandled offset would show at the
// scale of c). The fits have one stage: a staged fit's decisions (to stop
// staging, the guard) are discrete, and rounding can tip them.
func TestOffsetShiftsIntercept(t *testing.T) {
	for _, fam := range []family.Code{family.Poisson, family.Bernoulli} {
		d := simulate(fam, 30, 5, []float64{0.4, 0.6}, 0.5, 0, 21)
		const c = 0.75
		off := d
		off.Offset = make([]float64, d.N)
		for i := range off.Offset {
			off.Offset[i] = c
		}
		a, err := Run(d, Options{M: 800, Seed: 4, Stages: 1})
		if err != nil {
			t.Fatal(err)
		}
		b, err := Run(off, Options{M: 800, Seed: 4, Stages: 1})
		if err != nil {
			t.Fatal(err)
		}
		want := a.Par()
		want[0] -= c
		for i, v := range b.Par() {
			if math.Abs(v-want[i]) > 1e-4 || math.Abs(a.SE[i]-b.SE[i]) > 1e-4 {
				t.Errorf("%v par[%d]: with offset %g (SE %g), shifted fit %g (SE %g)", fam, i, v, b.SE[i], want[i], a.SE[i])
			}
		}
		if math.Abs(a.Value-b.Value) > 1e-6*math.Abs(a.Value) {
			t.Errorf("%v: value %v vs %v", fam, b.Value, a.Value)
		}
		if math.Abs(b.PQL.Beta[0]-(a.PQL.Beta[0]-c)) > 1e-5 {
			t.Errorf("%v: PQL intercept %g, want %g", fam, b.PQL.Beta[0], a.PQL.Beta[0]-c)
		}
	}
}
