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
}

// evalScratch is reused across calls so that an evaluation allocates
// nothing after the first.
type evalScratch struct {
	workers  int
	nblocks  int
	partials []*parallel.Partial
	perW     []*workerScratch
	total    *parallel.Partial
	xb       []float64
	params   callParams
}

type workerScratch struct {
	d, g, eta, ex []float64
	lanes         []float64 // the assembly row kernel's per-lane sums
}

// callParams are the per-call quantities every sample shares.
type callParams struct {
	nu      []float64
	logFnu0 float64   // Σₜ −(qₜ/2) log(2πνₜ)
	halfInv []float64 // 1/(2νₜ)
	halfSq  []float64 // 1/(2νₜ²)
	gConst  []float64 // −qₜ/(2νₜ)
}

// SumsLen is the length of a partial's Sums for this model: d + d² + n + nvc.
func (m *Model) SumsLen() int {
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
	if m.m == 0 {
		return errs.Statef("set the importance density and samples before evaluating")
	}
	if err := m.checkPar(par); err != nil {
		return err
	}
	s := &m.scratch
	w := parallel.Workers(workers)
	if s.xb == nil {
		s.xb = make([]float64, m.n)
		s.total = parallel.NewPartial(m.SumsLen())
		s.params = callParams{nu: make([]float64, m.nvc), halfInv: make([]float64, m.nvc),
			halfSq: make([]float64, m.nvc), gConst: make([]float64, m.nvc)}
	}
	if nb := parallel.NumBlocks(m.m); s.nblocks != nb {
		s.nblocks = nb
		s.partials = make([]*parallel.Partial, nb)
		for b := range s.partials {
			s.partials[b] = parallel.NewPartial(m.SumsLen())
		}
	}
	for len(s.perW) < w {
		s.perW = append(s.perW, &workerScratch{eta: make([]float64, m.n), ex: make([]float64, m.n), lanes: make([]float64, laneLen(m.p)), d: make([]float64, m.n), g: make([]float64, m.NPar())})
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
	return nil
}

// accumulate adds samples lo..hi-1 into p using ws as scratch. This is the
// hot loop: one pass per sample, no allocation.
func (m *Model) accumulate(p *parallel.Partial, lo, hi int, ws *workerScratch) error {
	n, q, d, nvc := m.n, m.q, m.NPar(), m.nvc
	cp := &m.scratch.params
	xb := m.scratch.xb
	dv, g := ws.d, ws.g
	sumG := p.Sums[:d]
	sumGG := p.Sums[d : d+d*d]
	sumD := p.Sums[d+d*d : d+d*d+n]
	sumS := p.Sums[d+d*d+n:]
	for k := lo; k < hi; k++ {
		logF := m.rows(xb, m.u[k*q:(k+1)*q], dv, g[:m.p], ws)
		ss := m.ss[k*nvc : (k+1)*nvc]
		logFnu := cp.logFnu0
		for t, s := range ss {
			logFnu -= s * cp.halfInv[t]
			g[m.p+t] = s*cp.halfSq[t] + cp.gConst[t]
		}
		b := logFnu + logF + m.logFConst - m.logFt[k]
		if math.IsNaN(b) || math.IsInf(b, 1) {
			return errs.Numericf("par", "the log importance weight of sample %d is %g", k, b)
		}
		wt := p.Weight(b)
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
	if err := m.prepare(par, workers); err != nil {
		if errs.KindOf(err) == errs.Domain {
			res.Value = math.Inf(-1)
		}
		return err
	}
	s := &m.scratch
	if err := m.runBlocks(0, s.nblocks, 0, m.m); err != nil {
		return err
	}
	s.total.Reset()
	for _, p := range s.partials {
		s.total.Merge(p)
	}
	return m.Finish(par, s.total, res)
}

// Partial evaluates samples lo..hi-1 into dst (len SumsLen()), merging the
// fixed blocks they cover in order, so that a range made of whole blocks
// gives exactly the partials Evaluate uses.
func (m *Model) Partial(par []float64, lo, hi, workers int, dst *parallel.Partial) error {
	if err := m.prepare(par, workers); err != nil {
		return err
	}
	if lo < 0 || hi > m.m || lo >= hi {
		return errs.Invalidf("rows", "range [%d, %d) is not a non-empty part of [0, %d)", lo, hi, m.m)
	}
	if len(dst.Sums) != m.SumsLen() {
		return errs.Invalidf("partial", "has %d sums, want %d", len(dst.Sums), m.SumsLen())
	}
	s := &m.scratch
	b0, b1 := lo/parallel.BlockSize, (hi-1)/parallel.BlockSize+1
	if err := m.runBlocks(b0, b1, lo, hi); err != nil {
		return err
	}
	dst.Reset()
	for b := b0; b < b1; b++ {
		dst.Merge(s.partials[b])
	}
	for i, v := range dst.Sums {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errs.Numericf("par", "sum %d of the partial is %g: a sample's score or its square overflows at this par", i, v)
		}
	}
	return nil
}

// runBlocks accumulates blocks b0..b1-1, restricted to samples lo..hi-1,
// into their partials. One worker runs inline so that a sequential call
// allocates nothing (a closure handed to goroutines escapes to the heap).
func (m *Model) runBlocks(b0, b1, lo, hi int) error {
	if m.scratch.workers == 1 {
		for b := b0; b < b1; b++ {
			if err := m.runBlock(0, b, lo, hi); err != nil {
				return err
			}
			if err := m.cp.Check(); err != nil {
				return err
			}
		}
		return nil
	}
	return parallel.RunChecked(b1-b0, m.scratch.workers, m.cp, func(w, i int) error { return m.runBlock(w, b0+i, lo, hi) })
}

func (m *Model) runBlock(w, b, lo, hi int) error {
	s := &m.scratch
	blo, bhi := parallel.BlockRange(b, m.m)
	p := s.partials[b]
	p.Reset()
	return m.accumulate(p, max(blo, lo), min(bhi, hi), s.perW[w])
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
	if len(tot.Sums) != m.SumsLen() {
		return errs.Invalidf("partial", "has %d sums, want %d", len(tot.Sums), m.SumsLen())
	}
	if tot.Count == 0 {
		return errs.Invalidf("partial", "covers no samples")
	}
	if tot.S0 == 0 {
		res.Value = math.Inf(-1)
		return errs.Numericf("par", "every importance weight underflows to zero (all log-weights are -Inf)")
	}
	res.Value = tot.LogMean()
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
