package mcla

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/fastmath"
	"github.com/glmmgo/glmmgo/core/importance"
	"github.com/glmmgo/glmmgo/core/parallel"
)

// blockLayout is what the blockwise estimator needs of a product
// density's blocks: each block's columns and observations, the
// observations with no random effect, and the columns of each variance
// component in each block.
type blockLayout struct {
	cols [][]int
	rows [][]int
	free []int
	qbt  []float64 // [b·nvc + t]: block b's columns of component t
}

func (l *blockLayout) n() int { return len(l.cols) }

// newBlockLayout checks that no observation has random effects in two of
// p's blocks and returns the layout.
func (m *Model) newBlockLayout(p *importance.Product) (*blockLayout, error) {
	nb := p.NumBlocks()
	of := make([]int, m.q)
	l := &blockLayout{cols: make([][]int, nb), rows: make([][]int, nb), qbt: make([]float64, nb*m.nvc)}
	for b := range nb {
		l.cols[b] = p.Cols(b)
		for _, j := range l.cols[b] {
			of[j] = b
			l.qbt[b*m.nvc+m.vcOf[j]]++
		}
	}
	w := m.z.Width
	for i := 0; i < m.n; i++ {
		blk := -1
		for k := i * w; k < i*w+w; k++ {
			if m.z.Val[k] == 0 {
				continue
			}
			b := of[m.z.Col[k]]
			if blk >= 0 && b != blk {
				return nil, errs.Invalidf("importance", "observation %d has random effects in blocks %d and %d of the density; a product density's blocks must not split an observation's random effects", i, blk, b)
			}
			blk = b
		}
		if blk < 0 {
			l.free = append(l.free, i)
			continue
		}
		l.rows[blk] = append(l.rows[blk], i)
	}
	return l, nil
}

// SetProduct sets a product importance density (package importance,
// Product) and with it the blockwise estimator
//
//	l_m(β, ν) = Σ_b log((1/m) Σ_k e^{b_bk}) + Σ_free log f(y_i | β),
//	b_bk = log f_ν(u_bk) + log f(y_b | u_bk) − log f̃_b(u_bk),
//
// one importance-sampling average per block of random effects: the
// likelihood factors over the conditionally independent blocks of the
// design (zterms.BlocksOf), and each factor's integral is estimated on
// its own, so the log-weights' variance is a block's, not the sum of all
// blocks'. Observations without a random effect enter exactly. With
// normalised weights v_bk ∝ e^{b_bk} within block b and g_bk the score of
// block b's terms,
//
//	∇l_m  = Σ_b ḡ_b + ∇ℓ_free,        ḡ_b = Σ_k v_bk g_bk
//	∇²l_m = Σ_b [Σ_k v_bk H_bk + Σ_k v_bk g_bk g_bk′ − ḡ_b ḡ_b′] + ∇²ℓ_free.
//
// The blocks must not split any observation's random effects (an
// Invalid error names the observation); one block of all columns is the
// joint estimator, and the model then evaluates it by the joint code, on
// the block's density (which is the joint density bit for bit). Samples
// set before are dropped when the number of log-densities per sample
// changes, else re-evaluated as SetDensity does.
func (m *Model) SetProduct(p *importance.Product, workers int) error {
	if p.Q() != m.q {
		return errs.Invalidf("importance", "the density is over %d random effects, the model has q = %d", p.Q(), m.q)
	}
	if p.NumBlocks() == 1 {
		if err := m.SetDensity(p.Block(0), workers); err != nil {
			return err
		}
		m.prod = p
		return nil
	}
	return m.setBlocks(p, workers)
}

// setBlocks sets p and the blockwise estimator whatever its number of
// blocks.
func (m *Model) setBlocks(p *importance.Product, workers int) error {
	if p.Q() != m.q {
		return errs.Invalidf("importance", "the density is over %d random effects, the model has q = %d", p.Q(), m.q)
	}
	l, err := m.newBlockLayout(p)
	if err != nil {
		return err
	}
	nb, ss := m.NumBlocks(), m.ssWidth()
	m.dens, m.prod, m.layout = nil, p, l
	return m.densityChanged(nb, ss, workers)
}

// Product returns the product density set by SetProduct, or nil.
func (m *Model) Product() *importance.Product { return m.prod }

// Blockwise reports whether the model evaluates the blockwise estimator
// (a product density of two or more blocks).
func (m *Model) Blockwise() bool { return m.layout != nil }

// NumBlocks is the number of blocks of the blockwise estimator (1 for
// the joint one).
func (m *Model) NumBlocks() int {
	if m.layout == nil {
		return 1
	}
	return m.layout.n()
}

// logFtWidth is the number of log importance densities kept per sample:
// for the blockwise estimator one per block when the samples are kept,
// else their sum only (a block redrawn at every evaluation has its
// blocks' log densities computed again with it: keeping nb values per
// sample would take as much memory as the samples themselves); one for
// the joint estimator.
func (m *Model) logFtWidth(kept bool) int {
	if m.layout != nil && kept {
		return m.layout.n()
	}
	return 1
}

// ssWidth is the number of sums of squares kept per sample: nvc for the
// joint estimator; none for the blockwise one, which sums each block's
// squares as it goes (keeping nb·nvc per sample would take more memory
// than the samples).
func (m *Model) ssWidth() int {
	if m.layout != nil {
		return 0
	}
	return m.nvc
}

// hasDensity reports whether an importance density is set.
func (m *Model) hasDensity() bool { return m.dens != nil || m.prod != nil }

// logDensities sets the log importance densities of sample u into dst:
// one per block (len(dst) ≥ 2), or log f̃(u) (len(dst) = 1), with scratch
// of length 2q.
func (m *Model) logDensities(u, dst, scratch []float64) {
	switch {
	case m.layout == nil:
		dst[0] = m.dens.LogProb(u)
	case len(dst) == 1:
		dst[0] = m.prod.LogProbSum(u, scratch)
	default:
		m.prod.LogProbs(u, dst, scratch)
	}
}

// blockLogFt returns the blocks' log importance densities of sample k of
// sample block blk (of kb samples), u: the kept ones, or computed again
// into ws.lf for a block whose samples are redrawn.
func (m *Model) blockLogFt(blk *block, k, kb int, u []float64, ws *workerScratch) []float64 {
	nb := m.layout.n()
	if len(blk.logFt) == kb*nb {
		return blk.logFt[k*nb : (k+1)*nb]
	}
	m.prod.LogProbs(u, ws.lf, ws.lfz)
	return ws.lf
}

// NewPartial returns an empty partial shaped for this model's estimator:
// SumsLen sums, and for the blockwise estimator one block partial per
// block (see SumsLen).
func (m *Model) NewPartial() *parallel.Partial {
	if m.layout == nil {
		return parallel.NewPartial(m.SumsLen())
	}
	dims := make([]int, m.layout.n())
	for b := range dims {
		dims[b] = m.blockSumsLen(b)
	}
	return parallel.NewBlockPartial(0, dims)
}

// blockSumsLen is the length of block b's sums: d + d² + n_b + nvc (the
// scaled sums of g_bk, g_bk g_bk′, w c″ over its observations and s_bt).
func (m *Model) blockSumsLen(b int) int {
	d := m.NPar()
	return d + d*d + len(m.layout.rows[b]) + m.nvc
}

// checkPartial reports an Invalid error naming arg when p is not shaped
// as NewPartial's.
func (m *Model) checkPartial(p *parallel.Partial, arg string) error {
	if len(p.Sums) != m.SumsLen() {
		return errs.Invalidf(arg, "has %d sums, want %d", len(p.Sums), m.SumsLen())
	}
	if m.layout == nil {
		if p.Blocks != nil {
			return errs.Invalidf(arg, "has %d blocks; the joint estimator's partials have none", len(p.Blocks))
		}
		return nil
	}
	if len(p.Blocks) != m.layout.n() {
		return errs.Invalidf(arg, "has %d blocks, want %d", len(p.Blocks), m.layout.n())
	}
	for b, pb := range p.Blocks {
		if len(pb.Sums) != m.blockSumsLen(b) {
			return errs.Invalidf(arg, "block %d has %d sums, want %d", b, len(pb.Sums), m.blockSumsLen(b))
		}
	}
	return nil
}

// rowTerm is observation i's log f(y_i | η), its score wᵢ(yᵢ − c′(η)) and
// wᵢc″(η), as the row kernels compute them (package comment).
func (m *Model) rowTerm(i int, e float64) (l, r, dv float64) {
	switch {
	case m.fam == family.Poisson:
		mu := fastmath.Exp(e)
		w := m.w[i]
		return w * (m.y[i]*e - mu), w * (m.y[i] - mu), w * mu
	case m.fam == family.NegBinomial && m.size > family.NegBinLargeSize:
		x, tp, tpq := family.NegBinTerms(m.y[i], e, m.size, -m.etaOff)
		w := m.w[i]
		return m.wy[i]*e - w*x, m.wy[i] - w*tp, w * tpq
	}
	sp, mu, v := fastmath.Logistic(e)
	return m.wy[i]*e - m.wn[i]*sp, m.wy[i] - m.wn[i]*mu, m.wn[i] * v
}

// accumulateBlocks is accumulate for the blockwise estimator: for each
// sample, every observation's terms once, then each block's log-weight
// and score into its own partial. The top level counts the samples and
// weighs each with Σ_b b_bk, the log-weight of the product density in
// the joint estimator, whose ESS is reported for comparison.
func (m *Model) accumulateBlocks(p *parallel.Partial, sb, lo, hi int, ws *workerScratch) error {
	q, d, nvc, l := m.q, m.NPar(), m.nvc, m.layout
	nb := l.n()
	xb := m.scratch.xb
	blk := &m.smp.blocks[sb]
	u := m.blockSamples(sb, ws)
	base := sb * parallel.BlockSize
	s0, s1 := parallel.BlockRange(sb, m.smp.m)
	for k := lo - base; k < hi-base; k++ {
		uk := u[k*q : (k+1)*q]
		lf := m.blockLogFt(blk, k, s1-s0, uk, ws)
		for i := range ws.d {
			ws.ll[i], ws.r[i], ws.d[i] = m.rowTerm(i, m.eta(i, xb, uk))
		}
		joint := 0.0
		for b := range nb {
			lb := m.blockScore(b, uk, lf[b], ws)
			if math.IsNaN(lb) || math.IsInf(lb, 1) {
				return errs.Numericf("par", "the log importance weight of block %d of sample %d is %g", b, base+k, lb)
			}
			joint += lb
			pb := p.Blocks[b]
			wt := pb.Weight(lb)
			if wt == 0 {
				continue
			}
			g := ws.g
			for i, gi := range g {
				wg := wt * gi
				pb.Sums[i] += wg
				col := pb.Sums[d+i*d : d+(i+1)*d]
				for j, gj := range g {
					col[j] += wg * gj
				}
			}
			sumD := pb.Sums[d+d*d : d+d*d+len(l.rows[b])]
			for r, i := range l.rows[b] {
				sumD[r] += wt * ws.d[i]
			}
			sumS := pb.Sums[d+d*d+len(l.rows[b]):]
			for t := range nvc {
				sumS[t] += wt * ws.ss[t]
			}
		}
		p.Weight(joint)
	}
	return nil
}

// blockScore returns b_bk for block b of sample u (its log importance
// density logFt) and sets its score g_bk in ws.g and its sums of squares
// s_bt in ws.ss, from the observation terms in ws.ll and ws.r.
func (m *Model) blockScore(b int, u []float64, logFt float64, ws *workerScratch) float64 {
	cp := &m.scratch.params
	l := m.layout
	g, ss := ws.g, ws.ss
	clear(g)
	clear(ss)
	var logF float64
	for _, i := range l.rows[b] {
		logF += ws.ll[i]
		m.addScore(i, ws.r[i], g[:m.p])
	}
	for _, j := range l.cols[b] {
		ss[m.vcOf[j]] += u[j] * u[j]
	}
	logFnu := cp.blockLogFnu0[b]
	qb := l.qbt[b*m.nvc : (b+1)*m.nvc]
	for t, s := range ss {
		logFnu -= s * cp.halfInv[t]
		g[m.p+t] = s*cp.halfSq[t] - qb[t]*cp.halfInv[t]
	}
	return logFnu + logF - logFt
}

// freeTerms adds the exact log-likelihood of the observations without a
// random effect at β, with its gradient and Hessian when not nil, to
// res's value, gradient and Hessian (d and d²).
func (m *Model) freeTerms(beta []float64, res *Result) {
	d := m.NPar()
	for _, i := range m.layout.free {
		e := m.etaOff
		if m.off != nil {
			e += m.off[i]
		}
		xi := m.xRows[i*m.p : (i+1)*m.p]
		for j, x := range xi {
			e += x * beta[j]
		}
		l, r, dv := m.rowTerm(i, e)
		res.Value += l
		if res.Gradient != nil {
			for j, x := range xi {
				res.Gradient[j] += x * r
			}
		}
		if res.Hessian != nil {
			for a, xa := range xi {
				for c, xc := range xi {
					res.Hessian[a*d+c] -= xa * dv * xc
				}
			}
		}
	}
}

// finishBlocks is Finish for the blockwise estimator (see SetProduct);
// res.ESS is the smallest block's ESS and res.JointESS that of Σ_b b_bk.
func (m *Model) finishBlocks(par []float64, tot *parallel.Partial, res *Result) error {
	d := m.NPar()
	res.Value, res.ESS, res.JointESS = m.logFConst, math.Inf(1), tot.ESS()
	for b, pb := range tot.Blocks {
		if pb.S0 == 0 {
			res.Value = math.Inf(-1)
			return errs.Numericf("par", "every importance weight of block %d underflows to zero (all its log-weights are -Inf)", b)
		}
		res.Value += pb.LogMean()
		res.ESS = math.Min(res.ESS, pb.ESS())
	}
	if res.Gradient != nil {
		if len(res.Gradient) != d {
			return errs.Invalidf("gradient", "has length %d, want %d", len(res.Gradient), d)
		}
		clear(res.Gradient)
	}
	if res.Hessian != nil {
		if len(res.Hessian) != d*d {
			return errs.Invalidf("hessian", "has length %d, want %d", len(res.Hessian), d*d)
		}
		clear(res.Hessian)
	}
	for b, pb := range tot.Blocks {
		inv := 1 / pb.S0
		gbar := pb.Sums[:d]
		for i, v := range gbar {
			if res.Gradient != nil {
				res.Gradient[i] += v * inv
			}
		}
		if res.Hessian != nil {
			m.addBlockHessian(par, b, pb, res.Hessian)
		}
	}
	m.freeTerms(par[:m.p], res)
	return res.checkFinite(d)
}

// addBlockHessian adds block b's Σ_k v_bk H_bk + Σ_k v_bk g_bk g_bk′ −
// ḡ_b ḡ_b′ into h.
func (m *Model) addBlockHessian(par []float64, b int, pb *parallel.Partial, h []float64) {
	d, n := m.NPar(), m.n
	rows := m.layout.rows[b]
	inv := 1 / pb.S0
	gbar := pb.Sums[:d]
	sumGG := pb.Sums[d : d+d*d]
	for j := 0; j < d; j++ {
		for i := 0; i < d; i++ {
			h[j*d+i] += sumGG[j*d+i]*inv - gbar[i]*inv*gbar[j]*inv
		}
	}
	sumD := pb.Sums[d+d*d : d+d*d+len(rows)]
	for a := 0; a < m.p; a++ {
		xa := m.x[a*n : (a+1)*n]
		for c := 0; c <= a; c++ {
			xc := m.x[c*n : (c+1)*n]
			var s float64
			for r, i := range rows {
				s += xa[i] * sumD[r] * xc[i]
			}
			s *= inv
			h[a*d+c] -= s
			if a != c {
				h[c*d+a] -= s
			}
		}
	}
	sumS := pb.Sums[d+d*d+len(rows):]
	qb := m.layout.qbt[b*m.nvc : (b+1)*m.nvc]
	for t, st := range sumS {
		nu := par[m.p+t]
		k := m.p + t
		h[k*d+k] += qb[t]/(2*nu*nu) - st*inv/(nu*nu*nu)
	}
}

// FlatSizes are the lengths of one batch's flattened partial (Flatten)
// and of its two flattened moment partials together, for this model's
// estimator: what a process computing batches for another sends per
// batch.
func (m *Model) FlatSizes() (batch, moments int) {
	p1, p2 := m.MomentPartials()
	return m.NewPartial().FlatSize(), p1.FlatSize() + p2.FlatSize()
}
