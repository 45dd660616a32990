package mixlogitfit

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/mixlogit"
)

func TestConfInt(t *testing.T) {
	r := &Result{Estimate: mixlogit.Params{-1, 1.5, 1, 2, 0.6}, SE: mixlogit.Params{0.1, 0.2, 0.05, math.NaN(), 0.03}}
	lo, hi, err := r.ConfInt(0.95)
	if err != nil {
		t.Fatal(err)
	}
	const z = 1.959963984540054 // Φ⁻¹(0.975)
	for k := range r.Estimate {
		if k == mixlogit.Sigma2 {
			if !math.IsNaN(lo[k]) || !math.IsNaN(hi[k]) {
				t.Errorf("%s: a NaN standard error gives [%g, %g], want NaN", mixlogit.ParamNames[k], lo[k], hi[k])
			}
			continue
		}
		if math.Abs(lo[k]-(r.Estimate[k]-z*r.SE[k])) > 1e-14 || math.Abs(hi[k]-(r.Estimate[k]+z*r.SE[k])) > 1e-14 {
			t.Errorf("%s: [%g, %g]", mixlogit.ParamNames[k], lo[k], hi[k])
		}
	}
	for _, level := range []float64{0, 1, -0.1, 1.5, math.NaN()} {
		if _, _, err := r.ConfInt(level); errs.KindOf(err) != errs.Invalid {
			t.Errorf("level %g: %v", level, err)
		}
	}
}
