package dense

// Bordered solves the symmetric positive definite system
//
//	[ A   Bᵀ ] [x]   [f]
//	[ B   C  ] [y] = [g]
//
// with C q×q (the random effects of a penalised problem, q large) and A p×p
// (the fixed effects, p small), by block elimination: C = R_CᵀR_C, the
// Schur complement S = A − BᵀC⁻¹B = R_SᵀR_S, then
//
//	x = S⁻¹(f − BᵀC⁻¹g),   y = C⁻¹g − (C⁻¹B)x.
//
// The caller fills the upper triangles of A and C row by row (CRows and
// ARows) and B (q×p, row by row, BRows), then calls Factor. log|C| and the
// factors stay available until the next Factor.
type Bordered struct {
	p, q int
	c, s SPD
	cm   []float64 // C, then R_C
	am   []float64 // A, then S, then R_S
	b    []float64 // B, q×p row by row
	cb   []float64 // C⁻¹B
}

// NewBordered allocates the storage for p fixed and q random unknowns.
func NewBordered(p, q int) *Bordered {
	return &Bordered{p: p, q: q, cm: make([]float64, q*q), am: make([]float64, p*p),
		b: make([]float64, q*max(p, 1)), cb: make([]float64, q*max(p, 1))}
}

// CRows is C's storage: C[i][j] (i ≤ j) at [i*q+j]. Factor overwrites it.
func (m *Bordered) CRows() []float64 { return m.cm }

// ARows is A's storage: A[i][j] (i ≤ j) at [i*p+j]. Factor overwrites it.
func (m *Bordered) ARows() []float64 { return m.am }

// BRows is B's storage: B[l][j] at [l*p+j] (l < q, j < p).
func (m *Bordered) BRows() []float64 { return m.b[:m.q*m.p] }

// Factor factors C and, if p > 0, the Schur complement. It reports which
// block is not positive definite: ok is false with schur false when C is
// not, with schur true when S is not (A singular given the random effects).
func (m *Bordered) Factor() (ok, schur bool) {
	if !m.c.FactorInPlace(m.q, m.cm) {
		return false, false
	}
	if m.p == 0 {
		return true, false
	}
	copy(m.cb, m.b)
	m.c.SolveRows(m.cb[:m.q*m.p], m.p)
	p, q := m.p, m.q
	for j := 0; j < p; j++ {
		for k := j; k < p; k++ {
			t := m.am[j*p+k]
			for l := 0; l < q; l++ {
				t -= m.b[l*p+j] * m.cb[l*p+k]
			}
			m.am[j*p+k] = t
		}
	}
	if !m.s.FactorInPlace(p, m.am) {
		return false, true
	}
	return true, false
}

// LogDetC is log|C|.
func (m *Bordered) LogDetC() float64 { return m.c.LogDet() }

// Solve sets x (length p) and y (length q) to the solution for the
// right-hand side (f, g); f and g are not modified.
func (m *Bordered) Solve(f, g, x, y []float64) {
	p, q := m.p, m.q
	copy(y, g)
	m.c.SolveVec(y) // C⁻¹g for now
	if p == 0 {
		return
	}
	for j := 0; j < p; j++ {
		t := f[j]
		for l := 0; l < q; l++ {
			t -= m.b[l*p+j] * y[l]
		}
		x[j] = t
	}
	m.s.SolveVec(x)
	for l := 0; l < q; l++ {
		var t float64
		for j := 0; j < p; j++ {
			t += m.cb[l*p+j] * x[j]
		}
		y[l] -= t
	}
}
