package mcla

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/parallel"
)

// Result receives an evaluation. Gradient and Hessian may be nil to skip
// them; otherwise they have length d = p+nvc and d² (column-major).
type Result struct {
	Value    float64
	Gradient []float64
	Hessian  []float64
	ESS      float64 // Kish's effective sample size of the importance weights at par (blockwise: the smallest block's)
	// JointESS is, for the blockwise estimator, the ESS of the weights
	// Σ_b b_bk the joint estimator would give the same samples (for
	// comparison); for the joint estimator, ESS.
	JointESS float64
}

// evalScratch is reused across calls so that an evaluation allocates
// nothing after the first.
type evalScratch struct {
	workers int
	m       int                 // the sample size the scratch was laid out for
	batches []*parallel.Partial // one per batch of samples (parallel.NumBatches)
	perW    []*workerScratch
	total   *parallel.Partial
	xb      []float64
	params  callParams
}

type workerScratch struct {
	d, g, eta, ex []float64
	ll, r, ss     []float64         // the blockwise estimator's per-observation ℓᵢ and scores, and a block's sₜ
	lf, lfz       []float64         // its blocks' log f̃_b of a redrawn sample, and scratch for them
	lanes         []float64         // the assembly row kernel's per-lane sums
	block         *parallel.Partial // one block's partial, before it joins its batch
	u, z          []float64         // a redrawn block's samples and the sampler's scratch
}

// callParams are the per-call quantities every sample shares.
type callParams struct {
	nu      []float64
	logFnu0 float64   // Σₜ −(qₜ/2) log(2πνₜ)
	halfInv []float64 // 1/(2νₜ)
	halfSq  []float64 // 1/(2νₜ²)
	gConst  []float64 // −qₜ/(2νₜ)
	// blockLogFnu0[b] = Σₜ −(q_bt/2) log(2πνₜ) (blockwise estimator only)
	blockLogFnu0 []float64
}

// SumsLen is the length of a partial's Sums for this model: d + d² + n +
// nvc for the joint estimator; 0 for the blockwise one, whose sums lie in
// the partial's Blocks (NewPartial makes partials of either shape).
func (m *Model) SumsLen() int {
	if m.layout != nil {
		return 0
	}
	d := m.NPar()
	return d + d*d + m.n + m.nvc
}

// checkPar validates par = (β, ν) and returns a Domain error, with the
// objective's value −Inf, when some νₜ ≤ 0 (glmm's trust region then shrinks).
func (m *Model) checkPar(par []float64) error {
	if len(par) != m.NPar() {
		return errs.Invalidf("par", "has length %d, want p+nvc = %d", len(par), m.NPar())
	}
	for i, v := range par {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errs.Invalidf("par", "element %d is %g; must be finite", i, v)
		}
	}
	for t, v := range par[m.p:] {
		if v <= 0 {
			return errs.Domainf("par", "variance component %d (element %d) is %g; variances must be positive", t, m.p+t, v)
		}
	}
	return nil
}

func (m *Model) prepare(par []float64, workers int) error {
	if m.smp == nil {
		return errs.Statef("set the importance density and samples before evaluating")
	}
	if err := m.checkPar(par); err != nil {
		return err
	}
	s := &m.scratch
	w := parallel.Workers(workers)
	if s.xb == nil {
		s.xb = make([]float64, m.n)
		s.total = m.NewPartial()
		s.params = callParams{nu: make([]float64, m.nvc), halfInv: make([]float64, m.nvc),
			halfSq: make([]float64, m.nvc), gConst: make([]float64, m.nvc)}
	}
	if s.m != m.smp.m {
		s.m = m.smp.m
		s.batches = make([]*parallel.Partial, parallel.NumBatches(s.m))
		for g := range s.batches {
			s.batches[g] = m.NewPartial()
		}
	}
	for len(s.perW) < w {
		s.perW = append(s.perW, m.newWorkerScratch())
	}
	s.workers = w
	beta, nu := par[:m.p], par[m.p:]
	for i := range s.xb {
		s.xb[i] = m.etaOff
	}
	if m.off != nil {
		for i, o := range m.off {
			s.xb[i] += o
		}
	}
	for j, bj := range beta {
		col := m.x[j*m.n : (j+1)*m.n]
		for i, v := range col {
			s.xb[i] += v * bj
		}
	}
	cp := &s.params
	copy(cp.nu, nu)
	cp.logFnu0 = 0
	for t, v := range nu {
		cp.logFnu0 -= m.qt[t] / 2 * math.Log(2*math.Pi*v)
		cp.halfInv[t] = 1 / (2 * v)
		cp.halfSq[t] = 1 / (2 * v * v)
		cp.gConst[t] = -m.qt[t] / (2 * v)
	}
	if m.layout != nil {
		if len(cp.blockLogFnu0) != m.layout.n() {
			cp.blockLogFnu0 = make([]float64, m.layout.n())
		}
		for b := range cp.blockLogFnu0 {
			var s float64
			for t, v := range nu {
				s -= m.layout.qbt[b*m.nvc+t] / 2 * math.Log(2*math.Pi*v)
			}
			cp.blockLogFnu0[b] = s
		}
	}
	return nil
}

func (m *Model) newWorkerScratch() *workerScratch {
	ws := &workerScratch{eta: make([]float64, m.n), ex: make([]float64, m.n), lanes: make([]float64, laneLen(m.p)),
		d: make([]float64, m.n), g: make([]float64, m.NPar()), block: m.NewPartial()}
	if m.layout != nil {
		ws.ll, ws.r, ws.ss = make([]float64, m.n), make([]float64, m.n), make([]float64, m.nvc)
		ws.lf, ws.lfz = make([]float64, m.layout.n()), make([]float64, 2*m.q)
	}
	if !m.smp.kept {
		ws.u, ws.z = make([]float64, parallel.BlockSize*m.q), make([]float64, 2*m.q)
	}
	return ws
}

// blockSamples returns block b's samples (sample-major): the stored ones,
// or the block drawn again into ws.u.
func (m *Model) blockSamples(b int, ws *workerScratch) []float64 {
	if u := m.smp.blocks[b].u; u != nil {
		return u
	}
	lo, hi := parallel.BlockRange(b, m.smp.m)
	m.smp.draw(lo, hi, ws.u[:(hi-lo)*m.q], ws.z)
	return ws.u
}

// accumulate adds samples lo..hi-1 of block b into p using ws as scratch.
// This is the hot loop: one pass per sample, no allocation.
func (m *Model) accumulate(p *parallel.Partial, b, lo, hi int, ws *workerScratch) error {
	if m.layout != nil {
		return m.accumulateBlocks(p, b, lo, hi, ws)
	}
	n, q, d, nvc := m.n, m.q, m.NPar(), m.nvc
	cp := &m.scratch.params
	xb := m.scratch.xb
	dv, g := ws.d, ws.g
	sumG := p.Sums[:d]
	sumGG := p.Sums[d : d+d*d]
	sumD := p.Sums[d+d*d : d+d*d+n]
	sumS := p.Sums[d+d*d+n:]
	blk := &m.smp.blocks[b]
	u := m.blockSamples(b, ws)
	base := b * parallel.BlockSize
	for k := lo - base; k < hi-base; k++ {
		logF := m.rows(xb, u[k*q:(k+1)*q], dv, g[:m.p], ws)
		ss := blk.ss[k*nvc : (k+1)*nvc]
		logFnu := cp.logFnu0
		for t, s := range ss {
			logFnu -= s * cp.halfInv[t]
			g[m.p+t] = s*cp.halfSq[t] + cp.gConst[t]
		}
		lb := logFnu + logF + m.logFConst - blk.logFt[k]
		if math.IsNaN(lb) || math.IsInf(lb, 1) {
			return errs.Numericf("par", "the log importance weight of sample %d is %g", base+k, lb)
		}
		wt := p.Weight(lb)
		if wt == 0 {
			continue
		}
		for i, gi := range g {
			wg := wt * gi
			sumG[i] += wg
			col := sumGG[i*d : (i+1)*d]
			for j, gj := range g {
				col[j] += wg * gj
			}
		}
		addScaled(sumD, wt, dv)
		for t, s := range ss {
			sumS[t] += wt * s
		}
	}
	return nil
}

// Evaluate computes the MCLA value, and the gradient and Hessian if res asks
// for them, at par = (β, ν) on all samples. A ν outside the parameter space
// sets res.Value = −Inf and returns a Domain error.
func (m *Model) Evaluate(par []float64, workers int, res *Result) error {
	if err := m.whole(); err != nil {
		return err
	}
	if err := m.prepare(par, workers); err != nil {
		if errs.KindOf(err) == errs.Domain {
			res.Value = math.Inf(-1)
		}
		return err
	}
	s := &m.scratch
	if err := m.runBatches(0, len(s.batches), 0, s.m); err != nil {
		return err
	}
	s.total.Reset()
	for _, p := range s.batches {
		s.total.Merge(p)
	}
	return m.Finish(par, s.total, res)
}

// BatchPartials evaluates every sample at par and writes the partial of
// each batch of samples (parallel.NumBatches(m) of them, each covering
// parallel.BatchRange) into dst, which is allocated when too short; merged
// in order they give Evaluate's result bit for bit. The batches are
// independent replicates of the sample, for measuring its Monte Carlo
// error.
func (m *Model) BatchPartials(par []float64, workers int, dst []*parallel.Partial) ([]*parallel.Partial, error) {
	if err := m.whole(); err != nil {
		return dst, err
	}
	if err := m.prepare(par, workers); err != nil {
		return dst, err
	}
	s := &m.scratch
	if err := m.runBatches(0, len(s.batches), 0, s.m); err != nil {
		return dst, err
	}
	for len(dst) < len(s.batches) {
		dst = append(dst, m.NewPartial())
	}
	dst = dst[:len(s.batches)]
	for g, p := range s.batches {
		dst[g].Reset()
		dst[g].Merge(p)
	}
	return dst, nil
}

// Partial evaluates samples lo..hi-1 into dst (len SumsLen()), merging the
// blocks they cover in order within each batch and the batches in order,
// so that a range made of whole batches gives exactly the partials
// Evaluate uses.
func (m *Model) Partial(par []float64, lo, hi, workers int, dst *parallel.Partial) error {
	if err := m.whole(); err != nil {
		return err
	}
	if err := m.prepare(par, workers); err != nil {
		return err
	}
	if lo < 0 || hi > m.smp.m || lo >= hi {
		return errs.Invalidf("rows", "range [%d, %d) is not a non-empty part of [0, %d)", lo, hi, m.smp.m)
	}
	if err := m.checkPartial(dst, "partial"); err != nil {
		return err
	}
	s := &m.scratch
	g0, g1 := m.batchOf(lo), m.batchOf(hi-1)+1
	if err := m.runBatches(g0, g1, lo, hi); err != nil {
		return err
	}
	dst.Reset()
	for g := g0; g < g1; g++ {
		dst.Merge(s.batches[g])
	}
	return checkSums(dst)
}

// checkSums reports a sum of p (or of its blocks) that overflowed.
func checkSums(p *parallel.Partial) error {
	for i, v := range p.Sums {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errs.Numericf("par", "sum %d of the partial is %g: a sample's score or its square overflows at this par", i, v)
		}
	}
	for _, b := range p.Blocks {
		if err := checkSums(b); err != nil {
			return err
		}
	}
	return nil
}

// batchOf is the batch of sample k.
func (m *Model) batchOf(k int) int {
	return k / (parallel.BlockSize * parallel.BatchBlocks(m.smp.m))
}

// runBatches accumulates batches g0..g1-1, restricted to samples lo..hi-1,
// into their partials: each batch merges its blocks' partials in block
// order, so the result does not depend on which worker ran which batch.
// One worker runs inline so that a sequential call allocates nothing (a
// closure handed to goroutines escapes to the heap).
func (m *Model) runBatches(g0, g1, lo, hi int) error {
	if m.scratch.workers == 1 {
		for g := g0; g < g1; g++ {
			if err := m.runBatch(0, g, lo, hi); err != nil {
				return err
			}
			if err := m.cp.Check(); err != nil {
				return err
			}
		}
		return nil
	}
	return parallel.RunChecked(g1-g0, m.scratch.workers, m.cp, func(w, i int) error { return m.runBatch(w, g0+i, lo, hi) })
}

func (m *Model) runBatch(w, g, lo, hi int) error {
	s := &m.scratch
	ws := s.perW[w]
	p := s.batches[g]
	p.Reset()
	b0, b1 := parallel.BatchBlockRange(g, s.m)
	for b := b0; b < b1; b++ {
		blo, bhi := parallel.BlockRange(b, s.m)
		blo, bhi = max(blo, lo), min(bhi, hi)
		if blo >= bhi {
			continue
		}
		ws.block.Reset()
		if err := m.accumulate(ws.block, b, blo, bhi, ws); err != nil {
			return err
		}
		p.Merge(ws.block)
	}
	return nil
}

// Finish turns a merged partial over all samples into value, gradient and
// Hessian at par (the par its samples were weighted at). The value is
// log((1/Count) Σ e^b).
func (m *Model) Finish(par []float64, tot *parallel.Partial, res *Result) error {
	if err := m.checkPar(par); err != nil {
		if errs.KindOf(err) == errs.Domain {
			res.Value = math.Inf(-1)
		}
		return err
	}
	if err := m.checkPartial(tot, "partial"); err != nil {
		return err
	}
	if tot.Count == 0 {
		return errs.Invalidf("partial", "covers no samples")
	}
	if m.layout != nil {
		return m.finishBlocks(par, tot, res)
	}
	if tot.S0 == 0 {
		res.Value = math.Inf(-1)
		return errs.Numericf("par", "every importance weight underflows to zero (all log-weights are -Inf)")
	}
	res.Value = tot.LogMean()
	res.ESS = tot.ESS()
	res.JointESS = res.ESS
	n, d := m.n, m.NPar()
	inv := 1 / tot.S0
	gbar := tot.Sums[:d]
	if res.Gradient != nil {
		if len(res.Gradient) != d {
			return errs.Invalidf("gradient", "has length %d, want %d", len(res.Gradient), d)
		}
		for i, v := range gbar {
			res.Gradient[i] = v * inv
		}
	}
	if res.Hessian == nil {
		return res.checkFinite(d)
	}
	h := res.Hessian
	if len(h) != d*d {
		return errs.Invalidf("hessian", "has length %d, want %d", len(h), d*d)
	}
	sumGG := tot.Sums[d : d+d*d]
	for j := 0; j < d; j++ {
		for i := 0; i < d; i++ {
			h[j*d+i] = sumGG[j*d+i]*inv - gbar[i]*inv*gbar[j]*inv
		}
	}
	// β block: −X′ diag(Σ v w c″) X, multiplied out once.
	sumD := tot.Sums[d+d*d : d+d*d+n]
	for a := 0; a < m.p; a++ {
		xa := m.x[a*n : (a+1)*n]
		for b := 0; b <= a; b++ {
			xb := m.x[b*n : (b+1)*n]
			var s float64
			for i, v := range sumD {
				s += xa[i] * v * xb[i]
			}
			s *= inv
			h[a*d+b] -= s
			if a != b {
				h[b*d+a] -= s
			}
		}
	}
	sumS := tot.Sums[d+d*d+n:]
	for t, st := range sumS {
		nu := par[m.p+t]
		k := m.p + t
		h[k*d+k] += m.qt[t]/(2*nu*nu) - st*inv/(nu*nu*nu)
	}
	return res.checkFinite(d)
}

// checkFinite reports a value, gradient or Hessian that overflowed (a
// sample's score or its square beyond the largest double, at extreme par,
// samples or weights) as a Numeric error instead of returning it as if it
// were a result.
func (res *Result) checkFinite(d int) error {
	if math.IsNaN(res.Value) || math.IsInf(res.Value, 0) {
		return errs.Numericf("par", "the value is %g: the importance weights overflow", res.Value)
	}
	for i, v := range res.Gradient {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errs.Numericf("par", "gradient element %d is %g: a sample's score overflows at this par", i, v)
		}
	}
	for k, v := range res.Hessian {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errs.Numericf("par", "Hessian element (%d, %d) is %g: a sample's score or its square overflows at this par", k%d, k/d, v)
		}
	}
	return nil
}
