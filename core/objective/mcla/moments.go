package mcla

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/parallel"
)

// Moments are importance-sampling diagnostics at one par, computed from the
// log-weights b_k and scores g_k of every sample (see the package comment):
//
//	ESS = (Σ e^{b_k})² / Σ e^{2b_k}     Kish's effective sample size of the
//	                                    normalised weights v_k ∝ e^{b_k}
//	V   = Σ v_k² g_k g_k′               (d×d, column-major)
//
// V is the Monte Carlo variance of the importance-weighted score. glmm's
// mcvcov (its mcse.c) computes m·V as (1/m) Σ e^{2b_k} g_k g_k′ / γ² with
// γ = (1/m) Σ e^{b_k} on the natural scale, which overflows or underflows
// to NaN once |b_k| passes about 745; here both sums carry their own max
// shift (parallel.Partial), so V is finite whatever the scale of b.
type Moments struct {
	LogSumW  float64 // log Σ e^{b_k}
	LogSumW2 float64 // log Σ e^{2 b_k}
	ESS      float64
	V        []float64 // length d², allocated by Moments if nil
}

// Moments computes the diagnostics at par over all samples, in fixed blocks
// merged in block order, so that they too are identical for any number of
// workers.
func (m *Model) Moments(par []float64, workers int, out *Moments) error {
	if err := m.whole(); err != nil {
		return err
	}
	if err := m.prepare(par, workers); err != nil {
		return err
	}
	d := m.NPar()
	if out.V == nil {
		out.V = make([]float64, d*d)
	}
	if len(out.V) != d*d {
		return errs.Invalidf("V", "has length %d, want %d", len(out.V), d*d)
	}
	nb := len(m.scratch.batches)
	p1 := make([]*parallel.Partial, nb)
	p2 := make([]*parallel.Partial, nb)
	if err := m.momentBatches(0, nb, p1, p2); err != nil {
		return err
	}
	t1, t2 := parallel.NewPartial(0), parallel.NewPartial(d*d)
	for g := range nb {
		t1.Merge(p1[g])
		t2.Merge(p2[g])
	}
	return FinishMoments(t1, t2, out)
}

// momentBatches computes the moment partials of batches g0..g1−1 into
// p1[g−g0] (the sums of e^{b_k}) and p2[g−g0] (of e^{2b_k} g_k g_k′), at
// the par set by prepare.
func (m *Model) momentBatches(g0, g1 int, p1, p2 []*parallel.Partial) error {
	d := m.NPar()
	run := func(w, i int) error {
		p1[i], p2[i] = parallel.NewPartial(0), parallel.NewPartial(d*d)
		b0, b1 := parallel.BatchBlockRange(g0+i, m.smp.m)
		for b := b0; b < b1; b++ {
			if err := m.addMoments(b, m.scratch.perW[w], p1[i], p2[i]); err != nil {
				return err
			}
		}
		return nil
	}
	return parallel.RunChecked(g1-g0, m.scratch.workers, m.cp, run)
}

// FinishMoments turns the moment partials of every sample, merged in batch
// order (t1: the sums of e^{b_k}; t2: of e^{2b_k} g_k g_k′), into out; out.V
// is allocated when nil.
func FinishMoments(t1, t2 *parallel.Partial, out *Moments) error {
	if out.V == nil {
		out.V = make([]float64, len(t2.Sums))
	}
	if len(out.V) != len(t2.Sums) {
		return errs.Invalidf("V", "has length %d, want %d", len(out.V), len(t2.Sums))
	}
	if t1.S0 == 0 {
		return errs.Numericf("par", "every importance weight underflows to zero (all log-weights are -Inf)")
	}
	out.LogSumW = t1.Max + math.Log(t1.S0)
	out.LogSumW2 = t2.Max + math.Log(t2.S0)
	out.ESS = math.Exp(2*out.LogSumW - out.LogSumW2)
	scale := math.Exp(out.LogSumW2-2*out.LogSumW) / t2.S0
	for i, v := range t2.Sums {
		out.V[i] = v * scale
	}
	return nil
}

// addMoments adds block b's samples to the sums of e^{b_k} (p1) and of
// e^{2b_k} g_k g_k′ (p2). Within a batch the blocks go straight into the
// batch's sums, in block order.
func (m *Model) addMoments(b int, ws *workerScratch, p1, p2 *parallel.Partial) error {
	d := m.NPar()
	u := m.blockSamples(b, ws)
	blk := &m.smp.blocks[b]
	for k := range blk.logFt {
		lb, g := m.sampleScore(u[k*m.q:(k+1)*m.q], blk, k, ws)
		if math.IsNaN(lb) || math.IsInf(lb, 1) {
			return errs.Numericf("par", "the log importance weight of sample %d is %g", b*parallel.BlockSize+k, lb)
		}
		p1.Weight(lb)
		w2 := p2.Weight(2 * lb)
		if w2 == 0 {
			continue
		}
		for i, gi := range g {
			col := p2.Sums[i*d : (i+1)*d]
			for j, gj := range g {
				col[j] += w2 * gi * gj
			}
		}
	}
	return nil
}

// sampleScore returns b_k and the score g_k (in ws.g) of sample k of blk,
// whose values are u, at the par set by prepare: the first half of
// accumulate's loop body.
func (m *Model) sampleScore(u []float64, blk *block, k int, ws *workerScratch) (float64, []float64) {
	cp := &m.scratch.params
	g := ws.g
	logF := m.rows(m.scratch.xb, u, ws.d, g[:m.p], ws)
	ss := blk.ss[k*m.nvc : (k+1)*m.nvc]
	logFnu := cp.logFnu0
	for t, s := range ss {
		logFnu -= s * cp.halfInv[t]
		g[m.p+t] = s*cp.halfSq[t] + cp.gConst[t]
	}
	return logFnu + logF + m.logFConst - blk.logFt[k], g
}
