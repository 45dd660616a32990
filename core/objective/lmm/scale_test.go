package lmm

import (
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
)

// TestCheckScale: data whose squares overflow or underflow are refused
// naming the argument (before, the fit failed with "a perfect fit?").
func TestCheckScale(t *testing.T) {
	base := func() Data {
		y := []float64{1, 2, 0.5, 3, 2.5, 1.5}
		return Data{Y: y, X: []float64{1, 1, 1, 1, 1, 1}, P: 1,
			Terms: []Term{{NLevels: 2, K: 1, Codes: []int{0, 1, 0, 1, 0, 1}, Z: []float64{1, 1, 1, 1, 1, 1}}}}
	}
	if err := CheckScale(base()); err != nil {
		t.Fatalf("ordinary data: %v", err)
	}
	for _, tc := range []struct {
		arg    string
		change func(*Data)
	}{
		{"y", func(d *Data) { d.Y[2] = 1e200 }},
		{"y", func(d *Data) {
			for i := range d.Y {
				d.Y[i] *= 1e-300
			}
		}},
		{"X", func(d *Data) { d.X[0] = -1e160 }},
		{"Z", func(d *Data) { d.Terms[0].Z[3] = 1e200 }},
		{"weights", func(d *Data) { d.Weights = []float64{1, 1, 1e308, 1, 1, 1} }},
		{"weights", func(d *Data) { d.Weights = []float64{1, 1, 1e-200, 1, 1, 1} }},
	} {
		d := base()
		tc.change(&d)
		err := CheckScale(d)
		if e, ok := err.(*errs.Error); !ok || e.Arg != tc.arg || e.Kind != errs.Invalid {
			t.Errorf("want an invalid-argument error naming %s, got %v", tc.arg, err)
		}
	}
	d := base()
	for i := range d.Y {
		d.Y[i] = 0
	}
	if err := CheckScale(d); err != nil {
		t.Errorf("an all-zero response is left to the fit: %v", err)
	}
}
