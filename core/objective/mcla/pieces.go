package mcla

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/parallel"
)

// A process of a distributed fit holds the samples of some batches only
// (SetSamplerBatches) and answers with the partials of those batches
// (BatchPieces, MomentPieces); the process that merges them in batch order
// gets exactly what Evaluate, BatchPartials, Partial and Moments compute
// on the whole sample in one process, because those too merge batch
// partials in batch order, each batch its blocks in block order.

// CheckPar validates par = (β, ν) as every evaluation does: an Invalid
// error for a wrong length or a non-finite element, a Domain error for a
// variance ≤ 0.
func (m *Model) CheckPar(par []float64) error { return m.checkPar(par) }

// DropSamples forgets the samples (a density set later is then not
// evaluated on them).
func (m *Model) DropSamples() {
	m.smp = nil
	m.scratch = evalScratch{}
}

// SetSamplerBatches sets a sample of mrows samples drawn by draw, as
// SetSampler does, but draws and precomputes only the blocks of batches
// g0..g1−1 (parallel.BatchBlockRange of mrows): this process's part of a
// sample whose other batches live elsewhere. Only BatchPieces and
// MomentPieces evaluate such a sample, and only on those batches. With
// reuse, the complete blocks of the sample set before (by this call or
// SetSampler, with the same density and draw: the caller vouches for it)
// are kept rather than drawn again, as Grow keeps them: a sample's block
// is the same whatever m and whichever process holds it.
func (m *Model) SetSamplerBatches(mrows int, draw Sampler, g0, g1, workers int, reuse bool) error {
	if !m.hasDensity() {
		return errs.Statef("set the importance density before the samples")
	}
	if mrows < 1 || mrows > math.MaxInt/m.q {
		return errs.Invalidf("m", "is %d; need at least one sample", mrows)
	}
	if nb := parallel.NumBatches(mrows); g0 < 0 || g1 > nb || g0 >= g1 {
		return errs.Invalidf("batch_begin", "batches [%d, %d) are not a non-empty part of the %d batches of m = %d samples", g0, g1, nb, mrows)
	}
	old := m.smp
	if !reuse {
		old = nil
	}
	m.DropSamples()
	b0, _ := parallel.BatchBlockRange(g0, mrows)
	_, b1 := parallel.BatchBlockRange(g1-1, mrows)
	held := min(mrows, (b1-b0)*parallel.BlockSize)
	kept := m.keeps(held)
	if err := m.needStore(held, kept); err != nil {
		return err
	}
	s := &store{m: mrows, draw: draw, kept: kept, blocks: make([]block, parallel.NumBlocks(mrows))}
	var fresh []int
	for b := b0; b < b1; b++ {
		if err := checkEvery(b-b0, m.cp); err != nil {
			return err
		}
		if old != nil && b < old.m/parallel.BlockSize && old.blocks[b].logFt != nil && (old.blocks[b].u != nil || !kept) {
			s.blocks[b] = old.blocks[b]
			if !kept {
				s.blocks[b].u = nil
			}
			continue
		}
		s.blocks[b] = newBlock(b, mrows, kept, m.q, m.logFtWidth(kept), m.ssWidth())
		fresh = append(fresh, b)
	}
	return m.setStore(s, m.fillList(s, fresh, workers))
}

// fillList draws and precomputes the blocks listed, each a run of
// consecutive blocks filled at once.
func (m *Model) fillList(s *store, blocks []int, workers int) error {
	for i := 0; i < len(blocks); {
		j := i + 1
		for j < len(blocks) && blocks[j] == blocks[j-1]+1 {
			j++
		}
		if err := m.fillBlocks(s, blocks[i], blocks[j-1]+1, workers, true); err != nil {
			return err
		}
		i = j
	}
	return nil
}

// whole reports a State error when the model holds only some batches of
// its sample (SetSamplerBatches): what needs every sample cannot run here.
func (m *Model) whole() error {
	if m.smp == nil {
		return nil
	}
	for b := range m.smp.blocks {
		if m.smp.blocks[b].logFt == nil {
			return errs.Statef("this model holds only some batches of its sample (a worker of a distributed fit): evaluate them with BatchPieces or MomentPieces")
		}
	}
	return nil
}

// checkPieces validates a request for the pieces of batches g0..g1−1 and
// reports a State error for a batch this model does not hold.
func (m *Model) checkPieces(g0, g1 int) error {
	if m.smp == nil {
		return errs.Statef("set the importance density and samples before evaluating")
	}
	if nb := parallel.NumBatches(m.smp.m); g0 < 0 || g1 > nb || g0 >= g1 {
		return errs.Invalidf("batch_begin", "batches [%d, %d) are not a non-empty part of the %d batches of m = %d samples", g0, g1, nb, m.smp.m)
	}
	b0, _ := parallel.BatchBlockRange(g0, m.smp.m)
	_, b1 := parallel.BatchBlockRange(g1-1, m.smp.m)
	for b := b0; b < b1; b++ {
		if m.smp.blocks[b].logFt == nil {
			return errs.Statef("batches [%d, %d) include block %d, which this model does not hold", g0, g1, b)
		}
	}
	return nil
}

// BatchPieces writes into dst[g−g0] the partial of batch g restricted to
// samples lo..hi−1, for g in g0..g1−1, at par (an empty partial for a
// batch outside the range). Merged in batch order with the other batches'
// pieces they give Evaluate's (lo = 0, hi = m) or Partial's result bit for
// bit.
func (m *Model) BatchPieces(par []float64, lo, hi, g0, g1, workers int, dst []*parallel.Partial) error {
	if err := m.checkPieces(g0, g1); err != nil {
		return err
	}
	if lo < 0 || hi > m.smp.m || lo >= hi {
		return errs.Invalidf("rows", "range [%d, %d) is not a non-empty part of [0, %d)", lo, hi, m.smp.m)
	}
	if len(dst) != g1-g0 {
		return errs.Invalidf("partials", "has %d partials, want %d", len(dst), g1-g0)
	}
	for _, p := range dst {
		if err := m.checkPartial(p, "partials"); err != nil {
			return err
		}
	}
	if err := m.prepare(par, workers); err != nil {
		return err
	}
	if err := m.runBatches(g0, g1, lo, hi); err != nil {
		return err
	}
	for g := g0; g < g1; g++ {
		dst[g-g0].Reset()
		dst[g-g0].Merge(m.scratch.batches[g])
	}
	return nil
}

// MomentPieces writes the moment partials of batches g0..g1−1 at par into
// p1 (the sums of e^{b_k}, no Sums) and p2 (of e^{2b_k} g_k g_k′, d² Sums):
// merged in batch order and given to FinishMoments they give Moments'
// result bit for bit.
func (m *Model) MomentPieces(par []float64, g0, g1, workers int, p1, p2 []*parallel.Partial) error {
	if err := m.checkPieces(g0, g1); err != nil {
		return err
	}
	if len(p1) != g1-g0 || len(p2) != g1-g0 {
		return errs.Invalidf("partials", "have %d and %d partials, want %d", len(p1), len(p2), g1-g0)
	}
	if err := m.prepare(par, workers); err != nil {
		return err
	}
	return m.momentBatches(g0, g1, p1, p2)
}
