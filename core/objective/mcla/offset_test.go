package mcla

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/importance"
)

// sameSamples builds d's model with src's importance density and samples.
func sameSamples(t *testing.T, src *Model, d Data) *Model {
	t.Helper()
	m, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.AdoptSamples(src); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestOffset: η = o + Xβ + Zu. With a varying offset the value agrees with
// the naive formula; with a constant offset c it equals the model without
// offset at β₀ + c (X's first column is the intercept), value, gradient and
// Hessian.
func TestOffset(t *testing.T) {
	for _, fam := range families {
		base, d := synthetic(t, fam, 40, 300, 3)
		par := []float64{0.2, -0.4, 0.3, 0.8, 1.7}

		dv := d
		dv.Offset = make([]float64, d.N)
		for i := range dv.Offset {
			dv.Offset[i] = 0.3 * math.Sin(float64(i))
		}
		mv := sameSamples(t, base, dv)
		var res Result
		if err := mv.Evaluate(par, 2, &res); err != nil {
			t.Fatal(err)
		}
		if want := naiveValue(mv, dv, par); relErr(res.Value, want) > 1e-12 {
			t.Errorf("%v: value with offset %.15g, naive %.15g", fam, res.Value, want)
		}

		const c = 0.625
		dc := d
		dc.Offset = make([]float64, d.N)
		for i := range dc.Offset {
			dc.Offset[i] = c
		}
		mc := sameSamples(t, base, dc)
		shifted := append([]float64(nil), par...)
		shifted[0] -= c
		dd := len(par)
		a := Result{Gradient: make([]float64, dd), Hessian: make([]float64, dd*dd)}
		b := Result{Gradient: make([]float64, dd), Hessian: make([]float64, dd*dd)}
		if err := mc.Evaluate(shifted, 1, &a); err != nil {
			t.Fatal(err)
		}
		if err := base.Evaluate(par, 1, &b); err != nil {
			t.Fatal(err)
		}
		if relErr(a.Value, b.Value) > 1e-12 {
			t.Errorf("%v: constant offset: value %.15g, shifted intercept %.15g", fam, a.Value, b.Value)
		}
		for i := range a.Gradient {
			if math.Abs(a.Gradient[i]-b.Gradient[i]) > 1e-9*(1+math.Abs(b.Gradient[i])) {
				t.Errorf("%v: gradient[%d] %g vs %g", fam, i, a.Gradient[i], b.Gradient[i])
			}
		}
		for i := range a.Hessian {
			if math.Abs(a.Hessian[i]-b.Hessian[i]) > 1e-9*(1+math.Abs(b.Hessian[i])) {
				t.Errorf("%v: Hessian[%d] %g vs %g", fam, i, a.Hessian[i], b.Hessian[i])
			}
		}
	}
	_, d := synthetic(t, families[0], 10, 10, 1)
	d.Offset = []float64{1}
	if _, err := New(d); errs.KindOf(err) != errs.Invalid {
		t.Errorf("short offset: %v", err)
	}
	d.Offset = make([]float64, d.N)
	d.Offset[3] = math.NaN()
	if _, err := New(d); errs.KindOf(err) != errs.Invalid {
		t.Errorf("NaN offset: %v", err)
	}
}

// TestSetDensityChecksDimension: a density over another q is refused.
func TestSetDensityChecksDimension(t *testing.T) {
	m, _ := synthetic(t, families[0], 10, 10, 1)
	d, err := importance.New(3, importance.Params{Zeta: 5, P: [3]float64{0.5, 0.5, 0}, UStar: make([]float64, 3), DStar: []float64{1, 1, 1}})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.SetDensity(d, 1); errs.KindOf(err) != errs.Invalid {
		t.Errorf("q = 3 density on a q = %d model: %v", m.q, err)
	}
}
