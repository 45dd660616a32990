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
	m.dens = d
	if m.m > 0 {
		if err := m.computeLogFt(workers); err != nil {
			// Some samples may already carry the new density and others
			// the old one: drop the samples rather than evaluate a mixture.
			m.m = 0
			return err
		}
	}
	return nil
}

// Importance returns the density set by SetImportance or SetDensity, or nil.
func (m *Model) Importance() *importance.Density { return m.dens }

// SetSamples copies the u-matrix (mrows×q, column-major: row k is sample k,
// as glmm stores it) and precomputes everything per sample that does not
// depend on (β, ν).
func (m *Model) SetSamples(mrows int, umat []float64, workers int) error {
	if m.dens == nil {
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
	return m.setSamplesRowMajor(mrows, func(dst []float64) {
		for j := 0; j < m.q; j++ {
			col := umat[j*mrows : (j+1)*mrows]
			for k, v := range col {
				dst[k*m.q+j] = v
			}
		}
	}, workers)
}

// SetSamplesFunc fills the samples block by block from gen, which writes
// samples lo..hi-1 in sample-major order into dst (length (hi-lo)·q). It is
// how a fit draws its samples in place without a second copy.
func (m *Model) SetSamplesFunc(mrows int, gen func(lo, hi int, dst []float64), workers int) error {
	if m.dens == nil {
		return errs.Statef("set the importance density before the samples")
	}
	if mrows < 1 || mrows > math.MaxInt/m.q {
		return errs.Invalidf("m", "is %d; need at least one sample", mrows)
	}
	if err := m.needSamples(mrows); err != nil {
		return err
	}
	if err := m.reserveSamples(mrows); err != nil {
		return err
	}
	u := m.allocSamples(mrows)
	if err := parallel.RunChecked(parallel.NumBlocks(mrows), workers, m.cp, func(_, b int) error {
		lo, hi := parallel.BlockRange(b, mrows)
		gen(lo, hi, u[lo*m.q:hi*m.q])
		return nil
	}); err != nil {
		m.m = 0
		return err
	}
	return m.finishSamples(workers)
}

func (m *Model) setSamplesRowMajor(mrows int, fill func(dst []float64), workers int) error {
	fill(m.allocSamples(mrows))
	return m.finishSamples(workers)
}

// SampleBytes is the memory m samples take in a model with q random
// effects and nvc variance components: the u-matrix (m·q doubles) and, per
// sample, log f̃(u_k) and the nvc sums of squares. allocSamples allocates
// exactly this; a fit checks it against the memory limit before it starts.
func SampleBytes(m, q, nvc int) float64 { return budget.Doubles(m, q+nvc+1) }

// needSamples checks the memory of mrows samples against the limit.
func (m *Model) needSamples(mrows int) error {
	return budget.Need("m", fmt.Sprintf("the u-matrix of m·q = %d·%d doubles", mrows, m.q), SampleBytes(mrows, m.q, m.nvc))
}

func (m *Model) allocSamples(mrows int) []float64 {
	m.m = mrows
	if cap(m.u) >= mrows*m.q {
		m.u = m.u[:mrows*m.q]
	} else {
		m.u = make([]float64, mrows*m.q)
	}
	m.logFt = make([]float64, mrows)
	m.ss = make([]float64, mrows*m.nvc)
	m.scratch = evalScratch{}
	return m.u
}

// finishSamples computes each sample's sums of squares per component and
// its log f̃, block by block; a failure (or a stop at the checkpoint)
// drops the samples.
func (m *Model) finishSamples(workers int) error {
	err := parallel.RunChecked(parallel.NumBlocks(m.m), workers, m.cp, func(_, b int) error {
		lo, hi := parallel.BlockRange(b, m.m)
		for k := lo; k < hi; k++ {
			u := m.u[k*m.q : (k+1)*m.q]
			ss := m.ss[k*m.nvc : (k+1)*m.nvc]
			for j, v := range u {
				ss[m.vcOf[j]] += v * v
			}
		}
		return nil
	})
	if err == nil {
		err = m.computeLogFt(workers)
	}
	if err != nil {
		m.m = 0
		return err
	}
	return nil
}

func (m *Model) computeLogFt(workers int) error {
	return parallel.RunChecked(parallel.NumBlocks(m.m), workers, m.cp, func(_, b int) error {
		lo, hi := parallel.BlockRange(b, m.m)
		for k := lo; k < hi; k++ {
			lf := m.dens.LogProb(m.u[k*m.q : (k+1)*m.q])
			if math.IsNaN(lf) || math.IsInf(lf, 0) {
				return errs.Numericf("umat", "the importance density of sample %d is %g", k, lf)
			}
			m.logFt[k] = lf
		}
		return nil
	})
}

// Sample returns sample k (length q, sample-major storage; do not modify).
func (m *Model) Sample(k int) []float64 { return m.u[k*m.q : (k+1)*m.q] }

// LogImportance returns log f̃(u_k) for every sample (do not modify).
func (m *Model) LogImportance() []float64 { return m.logFt }
