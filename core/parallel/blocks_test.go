package parallel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestBlockPartial: a partial with blocks merges each block with its own
// shift — block sums far apart in scale (log-weights near 0 in one block,
// near 800 in the other, beyond one shared double's range) both come out
// exact — and survives Flatten/Unflatten, into a partial that took its
// shape from Merge.
func TestBlockPartial(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const m = 200
	halves := [2]*Partial{NewBlockPartial(0, []int{1, 2}), NewBlockPartial(0, []int{1, 2})}
	var want [2][3]float64 // per block: Σ e^{b−c}, Σ e^{b−c} x (c the block's centre)
	centre := [2]float64{0, 800}
	for k := range m {
		h := halves[k*2/m]
		h.Count++
		for b, blk := range h.Blocks {
			lb := centre[b] + r.NormFloat64()
			x := r.NormFloat64()
			w := blk.Weight(lb)
			for i := range blk.Sums {
				blk.Sums[i] += w * x
			}
			e := math.Exp(lb - centre[b])
			want[b][0] += e
			want[b][1] += e * x
		}
	}
	tot := NewPartial(0)
	tot.Merge(halves[0])
	tot.Merge(halves[1])
	if tot.Count != m || len(tot.Blocks) != 2 {
		t.Fatalf("count %d, %d blocks", tot.Count, len(tot.Blocks))
	}
	for b, blk := range tot.Blocks {
		s0 := blk.S0 * math.Exp(blk.Max-centre[b])
		mean := blk.Sums[len(blk.Sums)-1] / blk.S0
		if blk.Count != m || math.Abs(s0/want[b][0]-1) > 1e-12 || math.Abs(mean-want[b][1]/want[b][0]) > 1e-12 {
			t.Errorf("block %d: count %d, sum %v (want %v), mean %v (want %v)", b, blk.Count, s0, want[b][0], mean, want[b][1]/want[b][0])
		}
	}
	flat := make([]float64, tot.FlatSize())
	if len(flat) != 4+2*4+1+2 {
		t.Fatalf("FlatSize %d", len(flat))
	}
	tot.Flatten(flat)
	back := NewBlockPartial(0, []int{1, 2})
	if err := back.Unflatten(flat, "p"); err != nil {
		t.Fatal(err)
	}
	for b := range 2 {
		x, y := tot.Blocks[b], back.Blocks[b]
		if x.Count != y.Count || x.Max != y.Max || x.S0 != y.S0 || x.S2 != y.S2 || x.Sums[0] != y.Sums[0] {
			t.Errorf("block %d changed in Flatten/Unflatten", b)
		}
	}
	if err := NewBlockPartial(0, []int{1}).Unflatten(flat, "p"); err == nil {
		t.Error("a partial of another shape read the flattened one")
	}
	tot.Reset()
	if tot.Blocks[1].Count != 0 || tot.Blocks[1].S0 != 0 {
		t.Error("Reset left a block's sums")
	}
}
