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
//
// For the blockwise estimator (Model.SetProduct) the block averages are
// independent, so V = Σ_b V_b with V_b = Σ_k v_bk² (g_bk − ḡ_b)(g_bk − ḡ_b)′,
// centred at the block's mean score ḡ_b (which, unlike the joint
// estimator's at the maximum, is not zero); ESS is the smallest block's,
// and LogSumW and LogSumW2 are that block's.
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
	t1, t2 := m.MomentPartials()
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
	run := func(w, i int) error {
		p1[i], p2[i] = m.MomentPartials()
		b0, b1 := parallel.BatchBlockRange(g0+i, m.smp.m)
		add := m.addMoments
		if m.layout != nil {
			add = m.addMomentsBlocks
		}
		for b := b0; b < b1; b++ {
			if err := add(b, m.scratch.perW[w], p1[i], p2[i]); err != nil {
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
	if t1.Blocks != nil {
		return finishMomentsBlocks(t1, t2, out)
	}
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

// MomentPartials returns empty moment partials: for the joint estimator
// the sums of e^{b_k} (no sums) and of e^{2b_k} g_k g_k′ (d²); for the
// blockwise one, per block, the sums of e^{b_bk} g_bk (d) and of
// e^{2b_bk} g_bk g_bk′ and e^{2b_bk} g_bk (d² + d).
func (m *Model) MomentPartials() (p1, p2 *parallel.Partial) {
	d := m.NPar()
	if m.layout == nil {
		return parallel.NewPartial(0), parallel.NewPartial(d * d)
	}
	d1, d2 := make([]int, m.layout.n()), make([]int, m.layout.n())
	for b := range d1 {
		d1[b], d2[b] = d, d*d+d
	}
	return parallel.NewBlockPartial(0, d1), parallel.NewBlockPartial(0, d2)
}

// addMomentsBlocks is addMoments for the blockwise estimator.
func (m *Model) addMomentsBlocks(sb int, ws *workerScratch, p1, p2 *parallel.Partial) error {
	q, d, l := m.q, m.NPar(), m.layout
	nb := l.n()
	u := m.blockSamples(sb, ws)
	blk := &m.smp.blocks[sb]
	s0, s1 := parallel.BlockRange(sb, m.smp.m)
	for k := range s1 - s0 {
		uk := u[k*q : (k+1)*q]
		lf := m.blockLogFt(blk, k, s1-s0, uk, ws)
		for i := range ws.d {
			ws.ll[i], ws.r[i], ws.d[i] = m.rowTerm(i, m.eta(i, m.scratch.xb, uk))
		}
		p1.Count++
		p2.Count++
		for b := range nb {
			lb := m.blockScore(b, uk, lf[b], ws)
			if math.IsNaN(lb) || math.IsInf(lb, 1) {
				return errs.Numericf("par", "the log importance weight of block %d of sample %d is %g", b, sb*parallel.BlockSize+k, lb)
			}
			g := ws.g
			w1 := p1.Blocks[b].Weight(lb)
			for i, gi := range g {
				p1.Blocks[b].Sums[i] += w1 * gi
			}
			a := p2.Blocks[b]
			w2 := a.Weight(2 * lb)
			if w2 == 0 {
				continue
			}
			for i, gi := range g {
				col := a.Sums[i*d : (i+1)*d]
				for j, gj := range g {
					col[j] += w2 * gi * gj
				}
				a.Sums[d*d+i] += w2 * gi
			}
		}
	}
	return nil
}

// finishMomentsBlocks is FinishMoments for the blockwise estimator: with
// S₁ = Σ e^{b}, ḡ = Σ e^{b} g / S₁, A = Σ e^{2b} g g′, B = Σ e^{2b} g and
// S₂ = Σ e^{2b} of a block, V_b = (A − ḡB′ − Bḡ′ + S₂ḡḡ′)/S₁².
func finishMomentsBlocks(t1, t2 *parallel.Partial, out *Moments) error {
	d := len(t1.Blocks[0].Sums)
	if out.V == nil {
		out.V = make([]float64, d*d)
	}
	if len(out.V) != d*d {
		return errs.Invalidf("V", "has length %d, want %d", len(out.V), d*d)
	}
	clear(out.V)
	out.ESS = math.Inf(1)
	gbar := make([]float64, d)
	for b, p1 := range t1.Blocks {
		p2 := t2.Blocks[b]
		if p1.S0 == 0 {
			return errs.Numericf("par", "every importance weight of block %d underflows to zero (all its log-weights are -Inf)", b)
		}
		l1, l2 := p1.Max+math.Log(p1.S0), p2.Max+math.Log(p2.S0)
		if ess := math.Exp(2*l1 - l2); ess < out.ESS {
			out.ESS, out.LogSumW, out.LogSumW2 = ess, l1, l2
		}
		for i, v := range p1.Sums {
			gbar[i] = v / p1.S0
		}
		// Each of A, B and S₂ carries e^{−Max₂}, S₁ carries e^{−Max₁}.
		scale := math.Exp(p2.Max-2*p1.Max) / (p1.S0 * p1.S0)
		bsum := p2.Sums[d*d:]
		for j := range d {
			for i := range d {
				v := p2.Sums[j*d+i] - gbar[i]*bsum[j] - bsum[i]*gbar[j] + p2.S0*gbar[i]*gbar[j]
				out.V[j*d+i] += v * scale
			}
		}
	}
	return nil
}
