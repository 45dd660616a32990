package mcla

import (
	"fmt"
	"math"

	"github.com/glmmgo/glmmgo/core/budget"
	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/importance"
	"github.com/glmmgo/glmmgo/core/parallel"
)

// SetImportance validates p and sets the importance density it describes
// (see SetDensity).
func (m *Model) SetImportance(p importance.Params, workers int) error {
	d, err := importance.New(m.q, p)
	if err != nil {
		return err
	}
	return m.SetDensity(d, workers)
}

// SetDensity sets the importance density. If samples are already set,
// their log f̃(u_k) is recomputed; if that fails, the samples are dropped
// (evaluating then reports a State error until new samples are set).
func (m *Model) SetDensity(d *importance.Density, workers int) error {
	if d.Q() != m.q {
		return errs.Invalidf("importance", "the density is over %d random effects, the model has q = %d", d.Q(), m.q)
	}
	nb, ss := m.NumBlocks(), m.ssWidth()
	m.dens, m.prod, m.layout = d, nil, nil
	return m.densityChanged(nb, ss, workers)
}

// densityChanged re-evaluates log f̃ on the samples set, or drops them
// when the estimator kept other values per sample before (for nb blocks,
// and ss sums of squares): a change between the joint and the blockwise
// estimator, or to another number of blocks.
func (m *Model) densityChanged(nb, ss, workers int) error {
	m.scratch = evalScratch{}
	if m.smp == nil {
		return nil
	}
	if nb != m.NumBlocks() || ss != m.ssWidth() {
		m.smp = nil
		return nil
	}
	// The store may be shared with another model (AdoptSamples): give this
	// model its own copy of the per-sample values that change.
	s := m.smp.withOwnLogFt()
	if err := m.fill(s, 0, s.m, workers, false); err != nil {
		// Some samples may already carry the new density and others
		// the old one: drop the samples rather than evaluate a mixture.
		m.smp = nil
		return err
	}
	m.smp = s
	m.scratch = evalScratch{}
	return nil
}

// Importance returns the density set by SetImportance or SetDensity, or nil.
func (m *Model) Importance() *importance.Density { return m.dens }

// SetSamples copies the u-matrix (mrows×q, column-major: row k is sample k,
// as glmm stores it) and precomputes everything per sample that does not
// depend on (β, ν). A failure drops any samples set before.
func (m *Model) SetSamples(mrows int, umat []float64, workers int) error {
	if !m.hasDensity() {
		return errs.Statef("set the importance density before the samples")
	}
	if mrows < 1 {
		return errs.Invalidf("m", "is %d; need at least one sample", mrows)
	}
	if mrows > math.MaxInt/m.q || len(umat) != mrows*m.q {
		return errs.Invalidf("umat", "has length %d, want m*q = %d*%d", len(umat), mrows, m.q)
	}
	if err := m.needSamples(mrows); err != nil {
		return err
	}
	for k, v := range umat {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errs.Invalidf("umat", "element (%d, %d) is %g; samples must be finite", k%mrows, k/mrows, v)
		}
	}
	m.smp = nil
	q := m.q
	s, err := newStore(mrows, func(lo, hi int, dst, _ []float64) {
		for j := 0; j < q; j++ {
			col := umat[j*mrows : (j+1)*mrows]
			for k := lo; k < hi; k++ {
				dst[(k-lo)*q+j] = col[k]
			}
		}
	}, true, q, m.logFtWidth(true), m.ssWidth(), m.cp)
	if err != nil {
		return err
	}
	err = m.fill(s, 0, mrows, workers, true)
	s.draw = nil // the caller's matrix is not kept
	return m.setStore(s, err)
}

// SetSampler sets mrows samples drawn by draw, which must give the same
// values for a sample whatever range it is asked for (as
// importance.Density.DrawTo with a fixed seed does). The samples are kept
// when their m·q doubles fit in the model's sample memory
// (SetSampleMemory), and otherwise redrawn block by block at every
// evaluation: the results are bit-identical either way. A failure drops
// any samples set before.
func (m *Model) SetSampler(mrows int, draw Sampler, workers int) error {
	if !m.hasDensity() {
		return errs.Statef("set the importance density before the samples")
	}
	if mrows < 1 || mrows > math.MaxInt/m.q {
		return errs.Invalidf("m", "is %d; need at least one sample", mrows)
	}
	kept := m.keeps(mrows)
	if err := m.needStore(mrows, kept); err != nil {
		return err
	}
	m.smp = nil
	s, err := newStore(mrows, draw, kept, m.q, m.logFtWidth(kept), m.ssWidth(), m.cp)
	if err != nil {
		return err
	}
	return m.setStore(s, m.fill(s, 0, mrows, workers, true))
}

// Grow extends samples set by SetSampler to mrows ≥ the current m, drawing
// only the blocks not yet drawn (and the last block again when it was
// partial): sample k is the same for every m, so a fit that needs more
// samples reuses the ones it has. Beyond the sample memory the stored
// samples are dropped and every block is redrawn at each evaluation.
func (m *Model) Grow(mrows, workers int) error {
	s := m.smp
	if s == nil || s.draw == nil {
		return errs.Statef("only samples set by a sampler can grow")
	}
	if mrows < s.m || mrows > math.MaxInt/m.q {
		return errs.Invalidf("m", "is %d; must be at least the current %d", mrows, s.m)
	}
	kept := m.keeps(mrows)
	if err := m.needStore(mrows, kept); err != nil {
		return err
	}
	g, full, err := s.grown(mrows, kept, m.q, m.logFtWidth(kept), m.ssWidth(), m.cp)
	if err != nil {
		return err
	}
	return m.setStore(g, m.fill(g, full*parallel.BlockSize, mrows, workers, true))
}

// setStore installs s, or drops every sample when filling it failed.
func (m *Model) setStore(s *store, err error) error {
	m.scratch = evalScratch{}
	if err != nil {
		m.smp = nil
		return err
	}
	m.smp = s
	return nil
}

// SetSampleMemory sets the most bytes of samples (m·q doubles) the model
// keeps; larger samples set by SetSampler are redrawn at each evaluation.
// The default, 0, keeps every sample.
func (m *Model) SetSampleMemory(bytes int64) { m.sampleMemory = bytes }

// SampleBytes is the memory m samples take in a model with q random
// effects and nvc variance components when they are kept: the u-matrix
// (m·q doubles) and, per sample, log f̃(u_k) and the nvc sums of squares.
// A fit checks it against the memory limit before it starts.
func SampleBytes(m, q, nvc int) float64 { return budget.Doubles(m, q+nvc+1) }

// StoreBytes is the memory of a store of m samples: SampleBytes when the
// samples are kept, else the per-sample values alone (the u-matrix is
// redrawn block by block).
func StoreBytes(m, q, nvc int, kept bool) float64 {
	if kept {
		return SampleBytes(m, q, nvc)
	}
	return budget.Doubles(m, nvc+1)
}

// BlockStoreBytes is the memory of a store of m samples for the blockwise
// estimator with nb blocks: the u-matrix and nb log densities per sample
// when kept, else one value per sample (the blocks' log densities are
// computed again with the samples).
func BlockStoreBytes(m, q, nb int, kept bool) float64 {
	if kept {
		return budget.Doubles(m, q+nb)
	}
	return budget.Doubles(m, 1)
}

// needSamples checks the memory of mrows kept samples against the limit.
func (m *Model) needSamples(mrows int) error { return m.needStore(mrows, true) }

// needStore checks the memory of a store of mrows samples against the
// limit, before any of it is allocated.
func (m *Model) needStore(mrows int, kept bool) error {
	what := fmt.Sprintf("the per-sample values of m = %d samples (log f̃ and %d sums of squares)", mrows, m.nvc)
	if kept {
		what = fmt.Sprintf("the u-matrix of m·q = %d·%d doubles with per-sample values", mrows, m.q)
	}
	bytes := StoreBytes(mrows, m.q, m.nvc, kept)
	if m.layout != nil {
		what = fmt.Sprintf("the per-sample values of m = %d samples (log f̃)", mrows)
		if kept {
			what = fmt.Sprintf("the u-matrix of m·q = %d·%d doubles with %d log densities per sample (one per block)", mrows, m.q, m.NumBlocks())
		}
		bytes = BlockStoreBytes(mrows, m.q, m.NumBlocks(), kept)
	}
	return budget.Need("m", what, bytes)
}

// keeps reports whether mrows samples are to be stored.
func (m *Model) keeps(mrows int) bool {
	return m.sampleMemory <= 0 || float64(mrows)*float64(m.q)*8 <= float64(m.sampleMemory)
}

// SamplesKept reports whether the samples are held in memory (false: they
// are redrawn block by block at every evaluation).
func (m *Model) SamplesKept() bool { return m.smp != nil && m.smp.kept }

// AdoptSamples shares src's importance density and samples with m (a model
// of the same data at another dispersion, say), without copying them. The
// samples are never changed in place, so the two models may be used one
// after the other or at once.
func (m *Model) AdoptSamples(src *Model) error {
	if src.q != m.q || src.nvc != m.nvc {
		return errs.Invalidf("model", "has q = %d and nvc = %d, the samples' model q = %d and nvc = %d", m.q, m.nvc, src.q, src.nvc)
	}
	for j, t := range src.vcOf {
		if m.vcOf[j] != t {
			return errs.Invalidf("model", "column %d of Z belongs to component %d here and %d in the samples' model", j, m.vcOf[j], t)
		}
	}
	m.layout = nil
	if src.layout != nil {
		l, err := m.newBlockLayout(src.prod)
		if err != nil {
			return err
		}
		m.layout = l
	}
	m.dens, m.prod, m.smp = src.dens, src.prod, src.smp
	m.scratch = evalScratch{}
	return nil
}

// fill precomputes, in parallel, what does not depend on (β, ν) for the
// blocks of s covering samples from..mrows−1: log f̃(u_k), and, for new
// samples (fresh), the sums of squares sₜ(u_k) after drawing them.
func (m *Model) fill(s *store, from, mrows, workers int, fresh bool) error {
	return m.fillBlocks(s, from/parallel.BlockSize, parallel.NumBlocks(mrows), workers, fresh)
}

// fillBlocks is fill for blocks b0..b1−1 of s.
func (m *Model) fillBlocks(s *store, b0, b1, workers int, fresh bool) error {
	mrows := s.m
	nw := parallel.Workers(workers)
	buf := make([][]float64, nw)
	return parallel.RunChecked(b1-b0, nw, m.cp, func(w, i int) error {
		b := b0 + i
		blk := &s.blocks[b]
		scratch := buf0(buf, w, m.q) // allocates buf[w] on first use
		u := blk.u
		if u == nil {
			u = buf[w]
		}
		if fresh || !s.kept {
			lo, hi := parallel.BlockRange(b, mrows)
			s.draw(lo, hi, u[:(hi-lo)*m.q], scratch)
		}
		lo, hi := parallel.BlockRange(b, mrows)
		return m.precompute(b, hi-lo, blk, u, fresh, scratch)
	})
}

// buf0 is worker w's 2q-long scratch: the last 2q values of its block
// buffer (whose first BlockSize·q hold a redrawn block).
func buf0(buf [][]float64, w, q int) []float64 {
	if buf[w] == nil {
		buf[w] = make([]float64, (parallel.BlockSize+2)*q)
	}
	return buf[w][parallel.BlockSize*q:]
}

// precompute sets log f̃ of block b's samples u, and their sums of squares
// when withSS.
// scratch has length 2q.
// kb is the number of samples in the block.
func (m *Model) precompute(b, kb int, blk *block, u []float64, withSS bool, scratch []float64) error {
	nlf := len(blk.logFt) / kb // one, or one per block (logFtWidth)
	for k := range kb {
		uk := u[k*m.q : (k+1)*m.q]
		lf := blk.logFt[k*nlf : (k+1)*nlf]
		m.logDensities(uk, lf, scratch)
		for _, v := range lf {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return errs.Numericf("umat", "the importance density of sample %d is %g", b*parallel.BlockSize+k, v)
			}
		}
		if !withSS || m.ssWidth() == 0 {
			continue
		}
		ss := blk.ss[k*m.nvc : (k+1)*m.nvc]
		clear(ss)
		for j, v := range uk {
			ss[m.vcOf[j]] += v * v
		}
	}
	return nil
}

// Sample copies sample k (length q) into dst, drawing it again when the
// samples are not kept.
func (m *Model) Sample(k int, dst []float64) {
	b := k / parallel.BlockSize
	if u := m.smp.blocks[b].u; u != nil {
		off := k - b*parallel.BlockSize
		copy(dst, u[off*m.q:(off+1)*m.q])
		return
	}
	m.smp.draw(k, k+1, dst, make([]float64, 2*m.q))
}

// LogImportance returns log f̃(u_k) (for a product density, the sum of
// its blocks' log densities).
func (m *Model) LogImportance(k int) float64 {
	b := k / parallel.BlockSize
	lo, hi := parallel.BlockRange(b, m.smp.m)
	nlf := len(m.smp.blocks[b].logFt) / (hi - lo)
	off := (k - lo) * nlf
	var s float64
	for _, v := range m.smp.blocks[b].logFt[off : off+nlf] {
		s += v
	}
	return s
}
