package lmm

import (
	"slices"

	"github.com/glmmgo/glmmgo/core/dense"
	"github.com/glmmgo/glmmgo/core/errs"
)

// Model is a linear mixed model ready for evaluation at any θ. A Model is
// not safe for concurrent use; distinct Models are independent. Close
// releases its worker goroutines.
type Model struct {
	n       int
	p       int   // columns of X kept
	kept    []int // indices of the kept columns of X, increasing
	dropped []int // aliased columns dropped
	xnames  []string
	terms   []termInfo // model order: decreasing number of levels
	lower   []float64  // θ's lower bounds
	obs     observations

	// The blocked factor. Its structure comes from analyse (once), its
	// cross-products from fill (per weights), its factor from Evaluate
	// (per θ).
	lam     lambda
	rows    tailRows
	byLevel levelObs
	entries termEntries
	first   diagBlock       // L₁₁
	off     offBlock        // L₂₁
	prod    tailProducts    // A₂₂, the θ-free products of L₂₂'s rows
	tail    tailFactor      // L₂₂: a denseTail or a sparseTail
	index   columnIndex     // the downdate column by column
	grp     groupedDowndate // the downdate by groups of levels, where it applies
	down    pool            // workers of the downdate
	workers int
	plan    FactorInfo       // what the trailing factor is and why
	inv     *selectedInverse // the gradient's entries of A⁻¹, made on first use
	grad    *gradientWork    // the gradient's scratch, made on first use

	// the last successful evaluation
	l21    bool // off.w holds L₂₁ (the grouped downdate does without it)
	ldL2   float64
	ldRX2  float64
	r2     float64
	closed bool
}

// New validates d, orders the terms, drops aliased columns of X, analyses
// the structure of the blocked factor and computes its cross-products.
func New(d Data) (*Model, error) {
	if err := checkData(d); err != nil {
		return nil, err
	}
	n := len(d.Y)
	m := &Model{n: n, xnames: slices.Clone(d.XNames), obs: observations{n: n, sw: make([]float64, n)}}
	m.obs.setWeights(d.Weights)
	gram := m.chooseColumns(d)
	if err := checkResidualDF(m.p, n); err != nil {
		return nil, err
	}
	var qT int
	m.terms, m.lower, qT = newTerms(d.Terms, n)
	m.obs.keep(d.Y, d.X, m.kept, m.terms)
	if err := m.analyse(qT, d.Factor, d.MaxBytes); err != nil {
		return nil, err
	}
	m.fill(gram)
	return m, nil
}

// checkData validates the data in New's order.
func checkData(d Data) error {
	n := len(d.Y)
	zcols := 0
	for _, tm := range d.Terms {
		zcols += max(tm.K, 0)
	}
	if err := NeedData(n, d.P, len(d.Terms), zcols); err != nil {
		return err
	}
	if err := checkResponse(d.Y); err != nil {
		return err
	}
	if err := checkFixed(d.X, d.P, n, d.XNames); err != nil {
		return err
	}
	if err := checkWeights(d.Weights, n); err != nil {
		return err
	}
	if err := checkFactorChoice(d.Factor, d.MaxBytes); err != nil {
		return err
	}
	return checkTerms(d.Terms, n, d.AllowN)
}

// chooseColumns sets the kept and dropped columns of X, as lme4 does, and
// returns the Gram matrix of [√w·X, √w·y] over the kept columns (order
// p+1, lower triangle), which the trailing block needs.
func (m *Model) chooseColumns(d Data) []float64 {
	n, P := m.n, d.P
	cols := make([][]float64, P+1)
	for j := 0; j < P; j++ {
		cols[j] = d.X[j*n : (j+1)*n]
	}
	cols[P] = d.Y
	gram := make([]float64, (P+1)*(P+1))
	dense.GramScaled(n, cols, m.obs.sw, gram)
	if dense.GramFullRank(gram, P+1, P) {
		m.kept = make([]int, P)
		for j := range m.kept {
			m.kept[j] = j
		}
		m.p = P
		return gram
	}
	xw := make([]float64, n*P)
	for j := 0; j < P; j++ {
		for i := 0; i < n; i++ {
			xw[j*n+i] = m.obs.sw[i] * d.X[j*n+i]
		}
	}
	m.kept, m.dropped = dense.IndependentColumns(xw, n, P)
	m.p = len(m.kept)
	return compactGram(gram, P+1, append(slices.Clone(m.kept), P))
}

// compactGram returns the Gram matrix of the columns idx of the one in g
// (order ld).
func compactGram(g []float64, ld int, idx []int) []float64 {
	nc := len(idx)
	out := make([]float64, nc*nc)
	for jj, gj := range idx {
		for ii := jj; ii < nc; ii++ {
			out[jj*nc+ii] = g[gj*ld+idx[ii]]
		}
	}
	return out
}

// analyse is the symbolic phase: everything that depends on the model's
// shape — sizes, level codes — and not on its numbers, done once: Λ's
// layout, the choice of the trailing factor and the order of its rows,
// L₂₁'s pattern and its column index, and the storage of every block.
func (m *Model) analyse(qT int, kind FactorKind, maxBytes int64) error {
	s := qT + m.p + 1
	t1 := m.terms[0]
	m.lam = newLambda(m.terms)
	m.byLevel = newLevelObs(t1.codes, t1.nlevels)
	m.entries = newTermEntries(m.terms)
	m.first = newDiagBlock(t1.k, t1.nlevels)
	plan, err := m.planTail(qT, kind, maxBytes)
	if err != nil {
		return err
	}
	m.rows = newTailRows(m.terms, qT, s, plan.start)
	m.off = newOffBlock(m.terms, &m.byLevel, &m.rows)
	m.prod = newTailProducts(m.terms, &m.rows)
	m.workers = maxWorkers()
	m.tail = plan.build(&m.rows, &m.prod, m.workers)
	m.plan = plan.info
	m.index = newColumnIndex(&m.off, s, m.workers)
	m.down.share = m.rankUpdateShare
	return nil
}

// Refill recomputes the model's cross-products for a new response y and
// new observation weights, keeping its structure (the term order, the
// kept columns of X, L₂₁'s pattern): the step of a penalised iteratively
// reweighted least squares. y nil keeps the response; weights nil means
// unit weights, as in Data. The result is the model New would build from
// the same data with y and weights. The factor of the last θ is
// discarded: evaluate again.
func (m *Model) Refill(y, weights []float64) error {
	if m.closed {
		return errs.Statef("the model is closed")
	}
	if y != nil {
		if len(y) != m.n {
			return errs.Invalidf("y", "length %d, want %d", len(y), m.n)
		}
		if err := checkResponse(y); err != nil {
			return err
		}
	}
	if err := checkWeights(weights, m.n); err != nil {
		return err
	}
	if y != nil {
		copy(m.obs.y, y)
	}
	m.obs.setWeights(weights)
	m.fill(m.obs.xyGram())
	return nil
}

// Close stops the worker goroutines of the factorisation and the downdate.
func (m *Model) Close() {
	if !m.closed {
		m.tail.close()
		m.down.close()
		m.closed = true
	}
}

// N returns the number of observations.
func (m *Model) N() int { return m.n }

// P returns the number of fixed effects kept (aliased columns dropped).
func (m *Model) P() int { return m.p }

// Kept returns the indices of X's columns kept, in order.
func (m *Model) Kept() []int { return slices.Clone(m.kept) }

// Dropped returns the indices of X's columns dropped as aliased (linearly
// dependent on the columns before them), as lme4 does.
func (m *Model) Dropped() []int { return slices.Clone(m.dropped) }

// XNames returns the names of the kept columns (empty names if none given).
func (m *Model) XNames() []string {
	out := make([]string, m.p)
	for i, c := range m.kept {
		if c < len(m.xnames) {
			out[i] = m.xnames[c]
		}
	}
	return out
}

// NTheta returns the length of θ.
func (m *Model) NTheta() int { return len(m.lower) }

// Lower returns θ's lower bounds: 0 for diagonal elements of the Λ
// templates, −Inf for the others.
func (m *Model) Lower() []float64 { return slices.Clone(m.lower) }

// NTerms returns the number of random-effects terms.
func (m *Model) NTerms() int { return len(m.terms) }

// TermOrder returns, for each term in the model's order (decreasing number
// of levels, ties in input order), its index in Data.Terms.
func (m *Model) TermOrder() []int {
	out := make([]int, len(m.terms))
	for i, t := range m.terms {
		out[i] = t.orig
	}
	return out
}

// TermInfo returns the name, number of levels and columns of term i in the
// model's order.
func (m *Model) TermInfo(i int) (name string, nlevels, k int) {
	t := m.terms[i]
	return t.name, t.nlevels, t.k
}

// NRandom returns the number of random effects q = Σ levels·K.
func (m *Model) NRandom() int {
	q := 0
	for _, t := range m.terms {
		q += t.q
	}
	return q
}
