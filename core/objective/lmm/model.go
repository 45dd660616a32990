package lmm

import (
	"math"
	"slices"
	"sort"
	"sync"

	"github.com/glmmgo/glmmgo/core/dense"
	"github.com/glmmgo/glmmgo/core/errs"
)

// Term is one random-effects term: a grouping factor with NLevels levels and
// K columns, e.g. K = 1 for (1|g), K = 2 for (1+x|g). Uncorrelated terms on
// the same factor, like (1|g) + (0+x|g), are separate Terms.
type Term struct {
	Name    string    // for messages and results; may be empty
	Codes   []int     // level of each observation, 0-based, length n
	NLevels int       // number of levels; each must occur at least once
	K       int       // columns of the term
	Z       []float64 // n×K model matrix of the term, column-major
}

// Data is the input of New. The model keeps copies, never these slices.
type Data struct {
	Y       []float64 // response, length n
	X       []float64 // fixed-effects model matrix, n×P column-major
	P       int       // columns of X
	XNames  []string  // optional names of X's columns
	Weights []float64 // optional positive observation weights (nil: all 1)
	Terms   []Term    // at least one
}

// MaxDense bounds the order of the dense trailing block (all terms after the
// first plus X and y): its two n²-double copies must fit in memory.
const MaxDense = 20000

// termInfo is a term in the model's (sorted) order.
type termInfo struct {
	name    string
	orig    int // index in Data.Terms
	nlevels int
	k       int
	q       int // nlevels·k
	theta   int // offset of the term's θ
	tail    int // first row in the dense tail block (terms after the first)
	codes   []int32
}

// Model is a linear mixed model ready for evaluation at any θ. A Model is
// not safe for concurrent use; distinct Models are independent. Close
// releases its worker goroutines.
type Model struct {
	n       int
	p       int   // columns of X kept
	pAll    int   // columns of X given
	kept    []int // indices of the kept columns of X, increasing
	dropped []int // aliased columns dropped
	xnames  []string
	ldW     float64 // Σ log wᵢ
	terms   []termInfo
	ntheta  int
	lower   []float64

	// The first term: k1×k1 blocks per level of Z₁′Z₁ (column-major).
	k1, l1 int
	a11    []float64
	l11    []float64 // its factors for the current θ

	// The first term against the tail: column block a (level a of term 1)
	// has rows rows[colPtr[a]:colPtr[a+1]] of the tail, each with k1 values
	// at at1[(pos)*k1 : (pos+1)*k1].
	colPtr []int
	rows   []int32
	at1    []float64
	wt1    []float64 // Λᵀ A Λ L₁₁⁻ᵀ for the current θ (same layout)

	// The dense tail: s = qT + p + 1 rows: the other terms' columns, X, y.
	s, qT int
	att   []float64 // s×s, both triangles
	d     []float64 // s×s, the factor of the current θ (lower)
	// per tail row: the term (index into terms) or -1 for X and y, and the
	// first tail row of its level's group.
	rowTerm  []int32
	rowGroup []int32
	scalar   bool      // every term after the first has K = 1
	lamRow   []float64 // λ per tail row (scalar case), 1 for X and y
	tmp      []float64 // s, a column in the general case
	lam      []float64 // Λ templates of the current θ, k×k each
	lamOff   []int     // offset of each term's template in lam

	chol dense.Factorizer

	dix      downIndex
	grp      groupedDown
	downJobs []chan int
	downWG   sync.WaitGroup

	// the last successful evaluation
	theta  []float64
	cur    bool // d, l11, wt1 hold the factor at theta
	ldL2   float64
	ldRX2  float64
	r2     float64
	closed bool
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
func (m *Model) NTheta() int { return m.ntheta }

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

// Close stops the worker goroutines of the dense factorisation.
func (m *Model) Close() {
	if !m.closed {
		m.chol.Close()
		m.stopDownWorkers()
		m.closed = true
	}
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// New validates d, orders the terms, drops aliased columns of X and
// computes the sparsity pattern and cross-products once.
func New(d Data) (*Model, error) {
	n := len(d.Y)
	if n == 0 {
		return nil, errs.Invalidf("y", "no observations")
	}
	for i, v := range d.Y {
		if !finite(v) {
			return nil, errs.Invalidf("y", "element %d is %g", i, v)
		}
	}
	if d.P < 0 {
		return nil, errs.Invalidf("p", "negative number of columns %d", d.P)
	}
	if d.P > n {
		return nil, errs.Invalidf("X", "%d fixed effects for %d observations", d.P, n)
	}
	if len(d.X) != n*d.P {
		return nil, errs.Invalidf("X", "length %d, want n·p = %d·%d", len(d.X), n, d.P)
	}
	for i, v := range d.X {
		if !finite(v) {
			return nil, errs.Invalidf("X", "element (%d,%d) is %g", i%n, i/n, v)
		}
	}
	if d.XNames != nil && len(d.XNames) != d.P {
		return nil, errs.Invalidf("xnames", "%d names for %d columns", len(d.XNames), d.P)
	}
	sw := make([]float64, n) // √wᵢ
	ldW := 0.0
	if d.Weights != nil {
		if len(d.Weights) != n {
			return nil, errs.Invalidf("weights", "length %d, want %d", len(d.Weights), n)
		}
		for i, w := range d.Weights {
			if !finite(w) || !(w > 0) {
				return nil, errs.Invalidf("weights", "element %d is %g; weights must be positive and finite", i, w)
			}
			sw[i] = math.Sqrt(w)
			ldW += math.Log(w)
		}
	} else {
		for i := range sw {
			sw[i] = 1
		}
	}
	if len(d.Terms) == 0 {
		return nil, errs.Invalidf("terms", "at least one random-effects term is needed")
	}
	for t, tm := range d.Terms {
		if err := checkTerm(t, tm, n); err != nil {
			return nil, err
		}
	}

	m := &Model{n: n, pAll: d.P, ldW: ldW, xnames: slices.Clone(d.XNames)}

	// Terms by decreasing number of levels, ties in input order (lme4's order).
	order := make([]int, len(d.Terms))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return d.Terms[order[a]].NLevels > d.Terms[order[b]].NLevels })
	tail := 0
	for rank, oi := range order {
		tm := d.Terms[oi]
		ti := termInfo{name: tm.Name, orig: oi, nlevels: tm.NLevels, k: tm.K, q: tm.NLevels * tm.K, theta: m.ntheta}
		ti.codes = make([]int32, n)
		for i, c := range tm.Codes {
			ti.codes[i] = int32(c)
		}
		for c := 0; c < tm.K; c++ {
			for r := c; r < tm.K; r++ {
				if r == c {
					m.lower = append(m.lower, 0)
				} else {
					m.lower = append(m.lower, math.Inf(-1))
				}
			}
		}
		m.ntheta += tm.K * (tm.K + 1) / 2
		if rank > 0 {
			ti.tail = tail
			tail += ti.q
		}
		m.terms = append(m.terms, ti)
	}
	m.qT = tail

	// Weighted copies: √w·X (kept columns only, after the rank check), √w·y, √w·Z.
	xw := make([]float64, n*d.P)
	for j := 0; j < d.P; j++ {
		for i := 0; i < n; i++ {
			xw[j*n+i] = sw[i] * d.X[j*n+i]
		}
	}
	yw := make([]float64, n)
	for i := range yw {
		yw[i] = sw[i] * d.Y[i]
	}
	// The Gram matrix of [√w·X, √w·y]: the fast rank check and the X/y
	// block of the tail.
	cols := make([][]float64, d.P+1)
	for j := 0; j < d.P; j++ {
		cols[j] = xw[j*n : (j+1)*n]
	}
	cols[d.P] = yw
	gram := make([]float64, (d.P+1)*(d.P+1))
	dense.Gram(n, cols, gram)
	m.kept, m.dropped = independentColumnsGram(gram, d.P+1, d.P)
	if m.kept == nil {
		m.kept, m.dropped = independentColumns(xw, n, d.P)
	}
	m.p = len(m.kept)
	if n-m.p < 1 {
		return nil, errs.Invalidf("X", "rank %d leaves no residual degrees of freedom with %d observations", m.p, n)
	}
	m.s = m.qT + m.p + 1
	if m.s > MaxDense {
		return nil, errs.Invalidf("terms", "the terms after the first have %d random effects; at most %d are supported (the trailing block is dense)", m.qT, MaxDense-m.p-1)
	}
	zw := make([][]float64, len(m.terms))
	for r, t := range m.terms {
		src := d.Terms[t.orig].Z
		z := make([]float64, n*t.k)
		for c := 0; c < t.k; c++ {
			for i := 0; i < n; i++ {
				z[c*n+i] = sw[i] * src[c*n+i]
			}
		}
		zw[r] = z
	}
	m.build(xw, yw, zw, gram, d.P+1)
	return m, nil
}

// checkTerm validates term t of n observations.
func checkTerm(t int, tm Term, n int) error {
	arg := "terms"
	if tm.K < 1 {
		return errs.Invalidf(arg, "term %d has %d columns", t, tm.K)
	}
	if tm.NLevels < 2 {
		return errs.Invalidf(arg, "term %d: a grouping factor needs at least 2 levels, it has %d", t, tm.NLevels)
	}
	if tm.NLevels >= n {
		return errs.Invalidf(arg, "term %d: %d levels for %d observations; the number of levels must be less than the number of observations", t, tm.NLevels, n)
	}
	if tm.K > (n-1)/tm.NLevels {
		// lme4's check.nobs.vs.nRE: a term with as many random effects as
		// observations is unidentifiable (and a huge k would ask for k² memory).
		return errs.Invalidf("ncols", "term %d: %d levels × %d columns = %d random effects for %d observations; a term needs fewer random effects than observations", t, tm.NLevels, tm.K, tm.NLevels*tm.K, n)
	}
	if len(tm.Codes) != n {
		return errs.Invalidf("codes", "term %d: %d level codes for %d observations", t, len(tm.Codes), n)
	}
	used := make([]bool, tm.NLevels)
	for i, c := range tm.Codes {
		if c < 0 || c >= tm.NLevels {
			return errs.Invalidf("codes", "term %d: observation %d has level %d, outside 0..%d", t, i, c, tm.NLevels-1)
		}
		used[c] = true
	}
	for l, u := range used {
		if !u {
			return errs.Invalidf("codes", "term %d: level %d has no observations", t, l)
		}
	}
	if len(tm.Z) != n*tm.K {
		return errs.Invalidf("Z", "term %d: length %d, want n·k = %d·%d", t, len(tm.Z), n, tm.K)
	}
	for i, v := range tm.Z {
		if !finite(v) {
			return errs.Invalidf("Z", "term %d: element (%d,%d) is %g", t, i%n, i/n, v)
		}
	}
	return nil
}

// independentColumnsGram is the fast path of independentColumns: from the
// Cholesky factor of the Gram matrix g (order ld, the first p columns being
// X's), column j's part orthogonal to the columns before it has squared norm
// R_jj². When every R_jj² exceeds 1e-8·‖x_j‖² — far above both the 1e-14
// rule of independentColumns and the rounding error of the Gram route
// (~p·ε·‖x_j‖²) — no column is aliased and all are kept. Otherwise it
// returns nil and the caller decides by Gram–Schmidt.
func independentColumnsGram(g []float64, ld, p int) (kept, dropped []int) {
	if p == 0 {
		return []int{}, nil
	}
	a := make([]float64, p*p)
	for j := 0; j < p; j++ {
		for i := j; i < p; i++ {
			a[j*p+i] = g[j*ld+i]
		}
	}
	for j := 0; j < p; j++ {
		d := a[j*p+j]
		for l := 0; l < j; l++ {
			d -= a[l*p+j] * a[l*p+j]
		}
		if !(d > 1e-8*g[j*ld+j]) {
			return nil, nil
		}
		d = math.Sqrt(d)
		a[j*p+j] = d
		for i := j + 1; i < p; i++ {
			s := a[j*p+i]
			for l := 0; l < j; l++ {
				s -= a[l*p+i] * a[l*p+j]
			}
			a[j*p+i] = s / d
		}
	}
	kept = make([]int, p)
	for j := range kept {
		kept[j] = j
	}
	return kept, nil
}

// independentColumns returns the columns of the n×p matrix x that are
// linearly independent of the columns before them, and the others. A column
// is aliased when the part of it orthogonal to the kept columns has norm
// below 1e-7 of its own norm: the rule of R's qr() (LINPACK dqrdc2, tol
// 1e-7) that lme4 uses to drop columns. Modified Gram–Schmidt is repeated
// for a column only when it cancelled more than half its norm (Kahan and
// Parlett's "twice is enough"), which keeps the basis orthonormal to
// working precision.
func independentColumns(x []float64, n, p int) (kept, dropped []int) {
	const tol = 1e-7
	q := make([]float64, 0, n*p)
	v := make([]float64, n)
	for j := 0; j < p; j++ {
		copy(v, x[j*n:(j+1)*n])
		norm0 := norm2(v)
		before := norm0
		for pass := 0; pass < 2; pass++ {
			for c := 0; c*n < len(q); c++ {
				qc := q[c*n : (c+1)*n]
				dot := 0.0
				for i, qi := range qc {
					dot += qi * v[i]
				}
				if dot == 0 {
					continue
				}
				for i, qi := range qc {
					v[i] -= dot * qi
				}
			}
			after := norm2(v)
			if after > 0.5*before {
				break
			}
			before = after
		}
		nv := norm2(v)
		if norm0 == 0 || nv <= tol*norm0 {
			dropped = append(dropped, j)
			continue
		}
		for i := range v {
			v[i] /= nv
		}
		q = append(q, v...)
		kept = append(kept, j)
	}
	return kept, dropped
}

func norm2(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x * x
	}
	return math.Sqrt(s)
}
