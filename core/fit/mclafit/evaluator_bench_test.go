package mclafit

import (
	"testing"

	"github.com/glmmgo/glmmgo/core/objective/mcla"
	"github.com/glmmgo/glmmgo/core/parallel"
)

// replay answers every request with partials computed once: what is left
// is the work of the process that merges (reading, checking and merging
// 64 batch partials, and finishing them), the cost a distributed fit adds
// per evaluation besides the network.
type replay struct{ flat []float64 }

func (r *replay) Sample(*SampleSpec) error { return nil }
func (r *replay) Partials(_ *Request, dst []float64) error {
	copy(dst, r.flat)
	return nil
}

// BenchmarkMergeCost: salamander (n = 360, d = 6), m = 2^16 samples in 64
// batches.
//
//	go test -run XXX -bench MergeCost -count 3 ./core/fit/mclafit
func BenchmarkMergeCost(b *testing.B) {
	d := salamander(b)
	const m = 1 << 16
	c := newFakeCluster(b, d, 1, 1)
	f, model, err := run(d, Options{M: 1000, Stages: 1, Seed: 1}, newHeartbeat(nil))
	if err != nil {
		b.Fatal(err)
	}
	spec := f.sampleSpec(m, Options{Zeta: 5, P: [3]float64{1.0 / 3, 1.0 / 3, 1.0 / 3}})
	if err := c.Sample(spec); err != nil {
		b.Fatal(err)
	}
	par := f.Par()
	req := &Request{Kind: BatchPartials, Par: par, M: m, Hi: m, G1: parallel.NumBatches(m)}
	flat := make([]float64, req.Len(model.(localSet).Model))
	if err := c.Partials(req, flat); err != nil {
		b.Fatal(err)
	}
	mm, err := mcla.New(d)
	if err != nil {
		b.Fatal(err)
	}
	rs := &remoteSet{model: mm, ev: &replay{flat: flat}, spec: spec}
	res := mcla.Result{Gradient: make([]float64, len(par)), Hessian: make([]float64, len(par)*len(par))}
	b.SetBytes(int64(8 * len(flat)))
	b.ResetTimer()
	for range b.N {
		if err := rs.Evaluate(par, 1, &res); err != nil {
			b.Fatal(err)
		}
	}
}
