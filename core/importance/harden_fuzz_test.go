package importance

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/internal/fuzzdata"
)

// FuzzNew: any parameters are rejected with an invalid-argument error
// naming the argument, or give a density whose log is never NaN and never
// +Inf at finite u (it may be −Inf far out).
//
//	go test -run XXX -fuzz ^FuzzNew$ -fuzztime 60s ./core/importance
func FuzzNew(f *testing.F) {
	f.Add([]byte{2, 10, 0, 5, 6, 7, 8, 9})
	f.Add([]byte{1, 250, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	f.Fuzz(func(t *testing.T, b []byte) {
		r := fuzzdata.New(b)
		q := r.Int(1, 4)
		p := Params{Zeta: r.Positive()}
		switch r.Int(0, 3) {
		case 0:
			p.P = [3]float64{0.2, 0.4, 0.4}
		case 1:
			p.P = [3]float64{1, 0, 0}
		case 2:
			p.P = [3]float64{0, 1, 0}
		default:
			p.P = [3]float64{r.Float(), r.Float(), r.Float()}
		}
		p.UStar = r.Floats(r.Len(q))
		p.DStar = make([]float64, r.Len(q))
		for j := range p.DStar {
			p.DStar[j] = r.Positive()
		}
		if r.Byte() < 200 {
			p.SigmaInv = make([]float64, r.Len(q*q))
			for i := 0; i < q && len(p.SigmaInv) == q*q; i++ {
				for j := 0; j <= i; j++ {
					v := math.Mod(r.Float(), 1)
					if i == j {
						v = float64(q) + r.Positive()
					}
					p.SigmaInv[j*q+i], p.SigmaInv[i*q+j] = v, v
				}
			}
		}
		d, err := New(q, p)
		if err != nil {
			if e, ok := err.(*errs.Error); !ok || e.Kind != errs.Invalid || e.Arg == "" {
				t.Fatalf("New: %v", err)
			}
			return
		}
		for k := 0; k < 3; k++ {
			// Moderate u: far out (|u| near the largest double) the
			// quadratic forms may overflow to ∞ − ∞, which the caller
			// reports as a numerical failure.
			u := r.Floats(q)
			moderate := true
			for _, v := range u {
				moderate = moderate && math.Abs(v) <= 1e6
			}
			if !moderate {
				continue
			}
			if lf := d.LogProb(u); math.IsNaN(lf) || math.IsInf(lf, 1) {
				t.Fatalf("log density %g at u = %v with zeta %g, p %v, u* %v, D* %v", lf, u, p.Zeta, p.P, p.UStar, p.DStar)
			}
		}
	})
}

// TestLgammaDiffStable: log Γ(a+h) − log Γ(a) against the exact values for
// whole h (sums of logs) from tiny to the largest a, across the switch to
// Stirling's series; and the t density's constant stays finite for every
// finite ζ > 0.
func TestLgammaDiffStable(t *testing.T) {
	for _, a := range []float64{1e-3, 0.5, 3, 99.5, 100, 150.25, 9999.5, 1e4, 2e4, 1e6, 1e12, 1e100, 1e300, math.MaxFloat64 / 4} {
		for _, h := range []float64{1, 2, 3, 40} {
			var want float64
			for k := 0.0; k < h; k++ {
				want += math.Log(a + k)
			}
			got := lgammaDiff(a, h)
			if math.Abs(got-want) > 2e-13+1e-14*math.Abs(want) {
				t.Errorf("lgammaDiff(%g, %g) = %.17g, want %.17g", a, h, got, want)
			}
		}
	}
	for _, zeta := range []float64{5e-324, 1e-300, 1, 5, 1e8, 1e200, math.MaxFloat64} {
		d, err := New(2, Params{Zeta: zeta, P: [3]float64{1, 0, 0}, UStar: []float64{0, 0}, DStar: []float64{1, 2}})
		if err != nil {
			t.Fatalf("zeta %g: %v", zeta, err)
		}
		if lf := d.LogProb([]float64{0.5, -1}); math.IsNaN(lf) || math.IsInf(lf, 1) {
			t.Errorf("zeta %g: log density %g", zeta, lf)
		}
	}
	// ζ → ∞: the t density tends to the normal N(0, D*).
	d, _ := New(2, Params{Zeta: 1e12, P: [3]float64{1, 0, 0}, UStar: []float64{0, 0}, DStar: []float64{1, 2}})
	u := []float64{0.5, -1}
	normal := -math.Log(2*math.Pi) - 0.5*math.Log(2) - 0.5*(0.25+0.5)
	if got := d.LogProb(u); math.Abs(got-normal) > 1e-9 {
		t.Errorf("t with ζ = 1e12: log density %.15g, normal %.15g", got, normal)
	}
}
