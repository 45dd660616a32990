package mcla

import (
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/parallel"
)

// piecesOf merges, in batch order, the pieces of every batch of m samples
// computed by models each holding a contiguous part of the batches (split
// at cuts), and finishes them at par.
func piecesOf(t *testing.T, parts []*Model, cuts []int, par []float64, m int) []float64 {
	t.Helper()
	tot := parallel.NewPartial(parts[0].SumsLen())
	for i, p := range parts {
		g0, g1 := cuts[i], cuts[i+1]
		dst := make([]*parallel.Partial, g1-g0)
		for k := range dst {
			dst[k] = parallel.NewPartial(p.SumsLen())
		}
		if err := p.BatchPieces(par, 0, m, g0, g1, 1, dst); err != nil {
			t.Fatal(err)
		}
		for _, q := range dst {
			tot.Merge(q)
		}
	}
	d := len(par)
	res := Result{Gradient: make([]float64, d), Hessian: make([]float64, d*d)}
	if err := parts[0].Finish(par, tot, &res); err != nil {
		t.Fatal(err)
	}
	return append(append([]float64{res.Value}, res.Gradient...), res.Hessian...)
}

// TestBatchPiecesEqualEvaluate: models holding parts of the batches, merged
// in batch order, give Evaluate's result bit for bit; a part set again for
// a larger m keeps the complete blocks it had (reuse) and still agrees with
// a fresh one; evaluating what a model does not hold is a State error.
func TestBatchPiecesEqualEvaluate(t *testing.T) {
	par := []float64{0.2, -0.1, 0.3, 0.8, 1.3}
	for _, mrows := range []int{700, parallel.MaxBatches*parallel.BlockSize + 300} {
		whole := sampled(t, family.Poisson, mrows, true)
		want := evaluation(t, whole, par, 1)
		nb := parallel.NumBatches(mrows)
		cuts := []int{0, 1, nb}
		parts := make([]*Model, 2)
		for i := range parts {
			parts[i], _ = synthetic(t, family.Poisson, 40, 1, 6)
			if err := parts[i].SetSamplerBatches(mrows, drawFrom(parts[i]), cuts[i], cuts[i+1], 2, false); err != nil {
				t.Fatal(err)
			}
		}
		if got := piecesOf(t, parts, cuts, par, mrows); !sameBits(got, want) {
			t.Errorf("m = %d: pieces give %v, Evaluate %v", mrows, got[:3], want[:3])
		}
		var res Result
		if err := parts[0].Evaluate(par, 1, &res); errs.KindOf(err) != errs.State {
			t.Errorf("Evaluate on a part: %v", err)
		}
		dst := []*parallel.Partial{parallel.NewPartial(parts[0].SumsLen())}
		if err := parts[0].BatchPieces(par, 0, mrows, 1, 2, 1, dst); errs.KindOf(err) != errs.State {
			t.Errorf("a batch the part does not hold: %v", err)
		}
	}
	// Growing: the part's complete blocks are kept.
	small, big := 1000, 3000
	p, _ := synthetic(t, family.Poisson, 40, 1, 6)
	if err := p.SetSamplerBatches(small, drawFrom(p), 0, parallel.NumBatches(small), 1, false); err != nil {
		t.Fatal(err)
	}
	first := &p.smp.blocks[1].logFt[0]
	if err := p.SetSamplerBatches(big, drawFrom(p), 0, parallel.NumBatches(big), 1, true); err != nil {
		t.Fatal(err)
	}
	if &p.smp.blocks[1].logFt[0] != first {
		t.Error("a complete block was drawn again")
	}
	fresh := sampled(t, family.Poisson, big, true)
	if got, want := piecesOf(t, []*Model{p}, []int{0, parallel.NumBatches(big)}, par, big), evaluation(t, fresh, par, 1); !sameBits(got, want) {
		t.Errorf("grown part %v, fresh %v", got[:3], want[:3])
	}
}
