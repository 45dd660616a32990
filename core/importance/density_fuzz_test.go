package importance_test

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/importance"
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
		f := r.Importance(q)
		p := importance.Params{Zeta: f.Zeta, P: f.P, UStar: f.UStar, DStar: f.DStar, SigmaInv: f.SigmaInv}
		d, err := importance.New(q, p)
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
