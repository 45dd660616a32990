package mcla

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/budget"
	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/importance"
)

// FuzzSampleBudget: a sample of any size m (negative, zero, beyond what
// m·q can hold, beyond the memory limit) drawn into a model by
// SetSampler, the fit's path, is refused before anything sized by it
// is allocated — Invalid naming m for a size no u-matrix has, Resource
// naming m for one above the limit (4 MiB here) — or drawn in full; a
// refusal leaves no samples. (Before the memory limit, m = 1e8 on a small
// model aborted the host: Go's "out of memory" cannot be recovered.)
//
//	go test -run XXX -fuzz ^FuzzSampleBudget$ -fuzztime 60s ./core/objective/mcla
func FuzzSampleBudget(f *testing.F) {
	const limit = 4 << 20
	if err := budget.SetLimit(limit); err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = budget.SetLimit(0) })
	for _, m := range []int64{1, 1000, 131072, 131073, 1 << 40, math.MaxInt64, -1, 0, math.MinInt64, 1e8} {
		f.Add(binary.LittleEndian.AppendUint64(nil, uint64(m)))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < 8 {
			return
		}
		mrows := int(int64(binary.LittleEndian.Uint64(b)))
		m, err := New(tiny())
		if err != nil {
			t.Fatal(err)
		}
		if err := m.SetImportance(importance.Params{Zeta: 5, P: [3]float64{0.3, 0.3, 0.4}, UStar: []float64{0.1, -0.1},
			DStar: []float64{1, 0.5}, SigmaInv: []float64{3, 0.5, 0.5, 2}}, 1); err != nil {
			t.Fatal(err)
		}
		filled := 0
		err = m.SetSampler(mrows, func(lo, hi int, dst, _ []float64) {
			for i := range dst {
				dst[i] = float64(i%7)/7 - 0.4
			}
			filled += hi - lo
		}, 1)
		var e *errs.Error
		switch {
		case mrows < 1 || mrows > math.MaxInt/2:
			if !errors.As(err, &e) || e.Kind != errs.Invalid || e.Arg != "m" {
				t.Fatalf("m = %d: %v, want an invalid-argument error naming m", mrows, err)
			}
		case SampleBytes(mrows, 2, 1) > limit:
			if !errors.As(err, &e) || e.Kind != errs.Resource || e.Arg != "m" {
				t.Fatalf("m = %d (%g bytes): %v, want a resource error naming m", mrows, SampleBytes(mrows, 2, 1), err)
			}
		default:
			if err != nil || m.Samples() != mrows || filled != mrows {
				t.Fatalf("m = %d within the limit: %v, %d samples, %d drawn", mrows, err, m.Samples(), filled)
			}
			return
		}
		if m.Samples() != 0 || filled != 0 {
			t.Fatalf("m = %d refused, yet %d samples held and %d drawn", mrows, m.Samples(), filled)
		}
	})
}
