package parallel

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/internal/fuzzdata"
)

// validPartial reports why p breaks the invariants Unflatten promises, or "".
func validPartial(p *Partial) string {
	switch {
	case p.Count < 0:
		return "negative count"
	case math.IsNaN(p.Max) || math.IsInf(p.Max, 1):
		return "max NaN or +Inf"
	case math.IsNaN(p.S0) || math.IsInf(p.S0, 0) || p.S0 < 0:
		return "S0 not finite and non-negative"
	case (p.S0 == 0) != math.IsInf(p.Max, -1):
		return "S0 zero but max finite, or the reverse"
	case math.IsNaN(p.S2) || math.IsInf(p.S2, 0) || (p.S2 == 0) != (p.S0 == 0):
		return "S2 not finite, or zero when S0 is not"
	case p.S0 > 0 && !(p.ESS() >= 1-1e-9):
		return "effective sample size below 1"
	}
	return ""
}

// FuzzUnflatten: any flat array is accepted as a valid partial (one that
// satisfies the invariants, and flattens back to the same bits) or
// rejected with an invalid-argument error naming the argument; merging
// accepted partials keeps the invariants, and LogMean is never NaN.
//
//	go test -run XXX -fuzz ^FuzzUnflatten$ -fuzztime 60s ./core/parallel
func FuzzUnflatten(f *testing.F) {
	f.Add([]byte{2, 0, 10, 20, 30, 40, 50, 60})
	f.Add([]byte{3, 1, 200, 2, 100, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
	f.Fuzz(func(t *testing.T, b []byte) {
		r := fuzzdata.New(b)
		dim := r.Int(0, 4)
		total := NewPartial(dim)
		for k := 0; k < 3; k++ {
			src := make([]float64, r.Len(FlatLen(dim)))
			for i := range src {
				switch {
				case i == 0 && r.Byte() < 200:
					src[i] = float64(r.Int(0, 9))
				case i == 1 && r.Byte() < 128:
					src[i] = math.Inf(-1)
				default:
					src[i] = r.Float()
				}
			}
			p := NewPartial(dim)
			err := p.Unflatten(src, "partials")
			if err != nil {
				if errs.KindOf(err) != errs.Invalid || err.(*errs.Error).Arg != "partials" {
					t.Fatalf("Unflatten(%v): %v", src, err)
				}
				continue
			}
			if why := validPartial(p); why != "" {
				t.Fatalf("Unflatten accepted %v: %s", src, why)
			}
			back := make([]float64, FlatLen(dim))
			p.Flatten(back)
			for i := range back {
				if math.Float64bits(back[i]) != math.Float64bits(src[i]) && !(back[i] == 0 && src[i] == 0) {
					t.Fatalf("flatten(unflatten(%v)) = %v", src, back)
				}
			}
			total.Merge(p)
			if why := validPartial(total); why != "" {
				t.Fatalf("merging %v gave an invalid partial: %s (%+v)", src, why, total)
			}
			if lm := total.LogMean(); math.IsNaN(lm) {
				t.Fatalf("LogMean NaN after merging %v (%+v)", src, total)
			}
		}
	})
}
