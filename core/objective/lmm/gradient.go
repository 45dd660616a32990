package lmm

import (
	"math"

	"github.com/glmmgo/glmmgo/core/dense"
	"github.com/glmmgo/glmmgo/core/errs"
)

// gradientWork is the scratch of the gradient.
type gradientWork struct {
	gLD, gR2 []float64 // ∂ log-determinant part and ∂r² (θ order)
	G, R     [][]float64
	zt, zeta [][]float64 // per term: √w·z of the observation and Λ′ of it
	g        [][]float64 // per term: the observation's row of A⁻¹·φ
	pos      []int       // per later term: the level's position in L₂₁'s column
	x        []float64   // scratch of the solves, length s
	c, d     []float64   // REML: C = A⁻¹Λ′Z′WX and D = C·(R_X R_Xᵀ)⁻¹, q×p row-major
	cb       []float64   // one column of C
	ex       []float64   // REML: √w·(X − ZΛC) of one observation
	sol      []float64   // the solution over the trailing rows before y
	u, b     []float64   // ũ and b̃ = Λũ
	rinv, si []float64   // REML: R_X⁻¹ and (R_X R_Xᵀ)⁻¹
	layout   []ThetaElement
}

func (m *Model) gradientWork() *gradientWork {
	if m.grad != nil {
		return m.grad
	}
	nt := len(m.terms)
	w := &gradientWork{gLD: make([]float64, m.NTheta()), gR2: make([]float64, m.NTheta()),
		G: make([][]float64, nt), R: make([][]float64, nt), zt: make([][]float64, nt), zeta: make([][]float64, nt),
		g: make([][]float64, nt), pos: make([]int, nt), x: make([]float64, m.rows.s), ex: make([]float64, m.p)}
	for r, t := range m.terms {
		w.G[r], w.R[r] = make([]float64, t.k*t.k), make([]float64, t.k*t.k)
		w.zt[r], w.zeta[r], w.g[r] = make([]float64, t.k), make([]float64, t.k), make([]float64, t.k)
	}
	q := m.NRandom()
	w.c, w.d, w.cb = make([]float64, q*m.p), make([]float64, q*m.p), make([]float64, q)
	w.sol, w.u, w.b = make([]float64, m.rows.s-1), make([]float64, q), make([]float64, q)
	w.rinv, w.si = make([]float64, m.p*m.p), make([]float64, m.p*m.p)
	w.layout = m.ThetaLayout()
	m.grad = w
	return w
}

// Gradient sets grad (length NTheta) to the gradient with respect to θ of
// the criterion Objective returns — the profiled ML deviance or REML
// criterion, β and σ profiled out — and returns the criterion. The
// gradient of the σ-fixed deviance (σ held at σ̂(θ)) is the same vector;
// only the Hessians differ (Hessian). See the package documentation for
// the formulas. After the first call on a model it allocates nothing.
func (m *Model) Gradient(theta []float64, reml bool, grad []float64) (float64, error) {
	if len(grad) != m.NTheta() {
		return math.NaN(), errs.Invalidf("grad", "length %d, want %d", len(grad), m.NTheta())
	}
	v, err := m.Objective(theta, reml)
	if err != nil {
		return v, err
	}
	w := m.gradientParts(reml)
	df := m.df(reml)
	for i := range grad {
		grad[i] = w.gLD[i] + df/m.r2*w.gR2[i]
	}
	return v, nil
}

// df is n for ML, n − p for REML: the degrees of freedom of σ̂².
func (m *Model) df(reml bool) float64 {
	if reml {
		return float64(m.n - m.p)
	}
	return float64(m.n)
}

// gradientParts computes, for the current factor, the derivatives of the
// log-determinant part (log|L_Z|², plus log|R_X|² for REML) and of r².
func (m *Model) gradientParts(reml bool) *gradientWork {
	if !m.l21 {
		m.updateL21()
	}
	w := m.gradientWork()
	z := m.selectedInverse()
	m.tail.solveTInto(w.sol)
	qT := m.rows.qT
	beta := w.sol[qT : qT+m.p]
	u, b := w.u, w.b
	m.modesInto(w.sol, u)
	m.lam.mulModes(b, u, m.terms)
	if reml {
		m.fixedSolutions(w)
	}
	for r := range m.terms {
		clear(w.G[r])
		clear(w.R[r])
	}
	for i := 0; i < m.n; i++ {
		m.observationTerms(w, i)
		m.inverseRow(w, z, i)
		if reml {
			m.subtractFixed(w, i)
		}
		e := m.obs.sw[i] * m.residual(i, beta, b)
		for r, t := range m.terms {
			lv := int(t.codes[i])
			ut := u[m.termOffset(r)+lv*t.k:]
			for c := 0; c < t.k; c++ {
				for rr := 0; rr < t.k; rr++ {
					w.G[r][c*t.k+rr] += w.zt[r][rr] * w.g[r][c]
					w.R[r][c*t.k+rr] += e * w.zt[r][rr] * ut[c]
				}
			}
		}
	}
	for p, el := range w.layout {
		k := m.terms[el.Term].k
		w.gLD[p] = 2 * w.G[el.Term][el.Col*k+el.Row]
		w.gR2[p] = -2 * w.R[el.Term][el.Col*k+el.Row]
	}
	return w
}

// termOffset returns the offset of term r's modes in the layout of ũ.
func (m *Model) termOffset(r int) int {
	if r == 0 {
		return 0
	}
	return m.terms[0].q + m.terms[r].tail
}

// residual returns yᵢ − xᵢβ − Σₜ zₜᵢ′bₜ for observation i.
func (m *Model) residual(i int, beta, b []float64) float64 {
	n := m.n
	e := m.obs.y[i]
	for j, bj := range beta {
		e -= m.obs.x[j*n+i] * bj
	}
	for r, t := range m.terms {
		bt := b[m.termOffset(r)+int(t.codes[i])*t.k:]
		for c := 0; c < t.k; c++ {
			e -= t.z[c*n+i] * bt[c]
		}
	}
	return e
}

// observationTerms sets, for observation i, every term's √w·z, its Λ′·√w·z
// (the observation's row of ZΛ), and the later terms' positions in the
// first term's column of L₂₁.
func (m *Model) observationTerms(w *gradientWork, i int) {
	n, a := m.n, int(m.terms[0].codes[i])
	for r, t := range m.terms {
		for c := 0; c < t.k; c++ {
			w.zt[r][c] = m.obs.sw[i] * t.z[c*n+i]
		}
		copy(w.zeta[r], w.zt[r])
		dense.LowerTMulVec(m.lam.template(r), t.k, w.zeta[r], 1)
		if r > 0 {
			w.pos[r] = m.offPosition(a, m.rows.levelRow(r, int(t.codes[i])))
		}
	}
}

// inverseRow sets w.g[t] to term t's block of A⁻¹·φᵢ, φᵢ = Λ′Z′ᵢ√wᵢ the
// observation's column of Λ′Z′W^½, from the selected inverse: the entries
// of A⁻¹ between the random effects the observation touches.
func (m *Model) inverseRow(w *gradientWork, z *selectedInverse, i int) {
	k, a := m.first.k, int(m.terms[0].codes[i])
	z11 := z.z11[a*k*k : (a+1)*k*k]
	g0 := w.g[0]
	for c := 0; c < k; c++ {
		v := 0.0
		for c2 := 0; c2 < k; c2++ {
			v += z11[c2*k+c] * w.zeta[0][c2]
		}
		g0[c] = v
	}
	for s := 1; s < len(m.terms); s++ {
		ks := m.terms[s].k
		gs := m.rows.levelRow(s, int(m.terms[s].codes[i]))
		for cs := 0; cs < ks; cs++ {
			z21 := z.z21[(w.pos[s]+cs)*k : (w.pos[s]+cs+1)*k]
			v := 0.0
			for c := 0; c < k; c++ {
				g0[c] += z21[c] * w.zeta[s][cs]
				v += z21[c] * w.zeta[0][c]
			}
			for s2 := 1; s2 < len(m.terms); s2++ {
				g2 := m.rows.levelRow(s2, int(m.terms[s2].codes[i]))
				for c2 := range w.zeta[s2] {
					v += z.tailEntry(gs+cs, g2+c2) * w.zeta[s2][c2]
				}
			}
			w.g[s][cs] = v
		}
	}
}

// subtractFixed turns A⁻¹·φᵢ into the random-effects block of M⁻¹·[φᵢ; √wᵢxᵢ],
// M the system with the fixed effects (REML's log|L_Z|² + log|R_X|² =
// log|M|): subtract D·Eᵢ, Eᵢ = √wᵢ(xᵢ − (ZΛC)ᵢ).
func (m *Model) subtractFixed(w *gradientWork, i int) {
	n, p := m.n, m.p
	for j := 0; j < p; j++ {
		w.ex[j] = m.obs.sw[i] * m.obs.x[j*n+i]
	}
	for r, t := range m.terms {
		base := m.termOffset(r) + int(t.codes[i])*t.k
		for j := 0; j < p; j++ {
			s := 0.0
			for c := 0; c < t.k; c++ { // √w·zᵀΛc = (Λ′√w·z)ᵀc
				s += w.zeta[r][c] * w.c[(base+c)*p+j]
			}
			w.ex[j] -= s
		}
	}
	for r, t := range m.terms {
		base := m.termOffset(r) + int(t.codes[i])*t.k
		for c := 0; c < t.k; c++ {
			d := w.d[(base+c)*p : (base+c+1)*p]
			s := 0.0
			for j, e := range w.ex {
				s += d[j] * e
			}
			w.g[r][c] -= s
		}
	}
}

// fixedSolutions sets C = A⁻¹Λ′Z′WX (column j from X_j's row of the factor,
// L_Z⁻ᵀ applied to it) and D = C·(R_X R_Xᵀ)⁻¹.
func (m *Model) fixedSolutions(w *gradientWork) {
	p, qT := m.p, m.rows.qT
	q := len(w.cb)
	for j := 0; j < p; j++ {
		m.solveRandom(qT+j, w.x, w.cb)
		for i, v := range w.cb {
			w.c[i*p+j] = v
		}
	}
	rx, ld := m.tail.fixedBlock()
	rinv, sinv := w.rinv, w.si
	dense.LowerInverse(rinv, rx, ld, p)
	dense.LowerCrossprod(sinv, rinv, p)
	for i := 0; i < q; i++ {
		ci, di := w.c[i*p:(i+1)*p], w.d[i*p:(i+1)*p]
		for j := 0; j < p; j++ {
			s := 0.0
			for l, v := range ci {
				s += v * sinv[j*p+l]
			}
			di[j] = s
		}
	}
}

// solveRandom sets u (layout of ũ) to A⁻¹·Λ′Z′W·v, v the column of the
// trailing row row (an X column): L_Z⁻ᵀ applied to that row of the factor.
func (m *Model) solveRandom(row int, x, u []float64) {
	qT := m.rows.qT
	clear(x)
	switch t := m.tail.(type) {
	case *denseTail:
		s := t.s
		for i := 0; i < qT; i++ {
			x[i] = t.f[i*s+row]
		}
		for i := qT - 1; i >= 0; i-- {
			col := t.f[i*s : i*s+qT]
			v := x[i]
			for r := i + 1; r < qT; r++ {
				v -= col[r] * x[r]
			}
			x[i] = v / col[i]
		}
	case *sparseTail:
		t.fac.Row(row, x)
		clear(x[qT:])
		t.fac.SolveLeadingT(x, qT)
	}
	k, q1 := m.first.k, m.terms[0].q
	for r := 1; r < len(m.terms); r++ {
		tm := m.terms[r]
		for l := 0; l < tm.nlevels; l++ {
			g := m.rows.levelRow(r, l)
			copy(u[q1+tm.tail+l*tm.k:q1+tm.tail+(l+1)*tm.k], x[g:g+tm.k])
		}
	}
	for a := 0; a < m.first.l; a++ {
		ua := u[a*k : (a+1)*k]
		m.off.residualRHS(a, x, row, ua)
		dense.LowerTSolve(m.first.level(a), k, ua)
	}
}
