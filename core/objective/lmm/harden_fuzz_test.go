package lmm

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/internal/fuzzdata"
)

// FuzzNewObjective: any data (sizes, codes, levels, columns and values, all
// possibly wrong) build a model or are rejected with a classified error
// naming the argument; a model built evaluates the ML and REML criteria at
// fuzzed θ (zero, huge, below the bounds) to a finite value or a
// classified error, never NaN with success, and never panics.
//
//	go test -run XXX -fuzz ^FuzzNewObjective$ -fuzztime 60s ./core/objective/lmm
func FuzzNewObjective(f *testing.F) {
	f.Add([]byte{10, 2, 1, 3, 1})
	f.Add([]byte{16, 1, 2, 4, 2, 3, 1, 200, 7, 9, 11, 13, 17, 19, 23, 29, 31, 37})
	f.Fuzz(func(t *testing.T, b []byte) {
		// A hang is a failure too: give each input 20 s.
		done := make(chan struct{})
		go func() {
			defer close(done)
			fuzzNewObjective(t, b)
		}()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("input %x: New or Objective did not return within 20 s", b)
		}
	})
}

func fuzzNewObjective(t *testing.T, b []byte) {
	{
		r := fuzzdata.New(b)
		n := r.Int(0, 16)
		d := Data{P: r.Int(-1, 3)}
		d.Y = make([]float64, r.Len(n))
		for i := range d.Y {
			d.Y[i] = r.Float()
		}
		d.X = make([]float64, r.Len(n*max(d.P, 0)))
		for i := range d.X {
			if i < n {
				d.X[i] = 1
			} else {
				d.X[i] = r.Float()
			}
		}
		if r.Bool() {
			d.Weights = make([]float64, r.Len(n))
			for i := range d.Weights {
				d.Weights[i] = r.Positive()
			}
		}
		nt := r.Int(0, 3)
		for k := 0; k < nt; k++ {
			tm := Term{NLevels: r.Int(-1, 6), K: r.Int(-1, 3)}
			tm.Codes = make([]int, r.Len(n))
			for i := range tm.Codes {
				if tm.NLevels > 0 && r.Byte() < 230 {
					tm.Codes[i] = i % tm.NLevels
				} else {
					tm.Codes[i] = r.Int(-1, 6)
				}
			}
			tm.Z = make([]float64, r.Len(n*max(tm.K, 0)))
			for i := range tm.Z {
				if i < n || r.Byte() < 128 {
					tm.Z[i] = 1
				} else {
					tm.Z[i] = r.Float()
				}
			}
			d.Terms = append(d.Terms, tm)
		}
		m, err := New(d)
		if err != nil {
			var e *errs.Error
			if !errors.As(err, &e) || e.Kind != errs.Invalid || e.Arg == "" {
				t.Errorf("New: %v", err)
			}
			return
		}
		defer m.Close()
		for k := 0; k < 3; k++ {
			theta := make([]float64, m.NTheta())
			for i := range theta {
				switch r.Int(0, 3) {
				case 0:
					theta[i] = 0.1 + float64(r.Byte())/64
				case 1:
					theta[i] = 0
				default:
					theta[i] = r.Float()
				}
			}
			v, err := m.Objective(theta, r.Bool())
			if err != nil {
				var e *errs.Error
				if !errors.As(err, &e) || e.Kind == errs.Internal || e.Arg != "theta" {
					t.Errorf("Objective(%v): %v", theta, err)
					return
				}
				continue
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Errorf("Objective(%v) = %g with no error", theta, v)
				return
			}
		}
	}
}
