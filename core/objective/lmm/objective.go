package lmm

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
)

// Objective returns the profiled ML deviance (reml false) or the REML
// criterion at θ (model order, see Lower). After the first call it
// allocates nothing. θ below a diagonal bound is a Domain error; a factor
// that is not positive definite (r² = 0, a perfect fit) a Numeric one.
func (m *Model) Objective(theta []float64, reml bool) (float64, error) {
	if err := m.Evaluate(theta); err != nil {
		return math.NaN(), err
	}
	v := m.criterion(reml)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		// θ so large that Λ′Z′ZΛ overflows: say so rather than return a
		// NaN or ∞ as if it were a value.
		return v, errs.Numericf("theta", "the criterion is %g at this θ: the factor overflows", v)
	}
	return v, nil
}

// criterion combines the pieces of the current factor.
func (m *Model) criterion(reml bool) float64 {
	n := float64(m.n)
	if !reml {
		return m.ldL2 + n*(1+math.Log(2*math.Pi*m.r2/n)) - m.ldW
	}
	nmp := n - float64(m.p)
	return m.ldL2 + m.ldRX2 + nmp*(1+math.Log(2*math.Pi*m.r2/nmp)) - m.ldW
}

// checkTheta validates θ against the model.
func (m *Model) checkTheta(theta []float64) error {
	if len(theta) != m.ntheta {
		return errs.Invalidf("theta", "length %d, want %d", len(theta), m.ntheta)
	}
	for i, v := range theta {
		if !finite(v) {
			return errs.Invalidf("theta", "element %d is %g", i, v)
		}
		if v < m.lower[i] {
			return errs.Domainf("theta", "element %d is %g, below its lower bound %g", i, v, m.lower[i])
		}
	}
	return nil
}

// Evaluate factors the blocked system at θ and keeps the factor for the
// criteria and the solution. It allocates nothing after the first call.
func (m *Model) Evaluate(theta []float64) error {
	if m.closed {
		return errs.Statef("the model is closed")
	}
	if err := m.checkTheta(theta); err != nil {
		return err
	}
	m.cur = false
	copy(m.theta, theta)
	m.setLambda(theta)
	m.factorFirst(!m.grp.on) // the grouped downdate does without W
	m.fillTail()
	m.downdate()
	s := m.s
	if err := m.chol.Factor(s, m.d, s); err != nil {
		if s-1 >= 0 && !(m.d[(s-1)*s+s-1] > 0) {
			return errs.Numericf("theta", "the penalised residual sum of squares is zero or not finite (a perfect fit?)")
		}
		return errs.Numericf("theta", "the blocked system is not positive definite at this θ: %v", err)
	}
	ld := 0.0
	for a := 0; a < m.l1; a++ {
		blk := m.l11[a*m.k1*m.k1:]
		for c := 0; c < m.k1; c++ {
			ld += math.Log(blk[c*m.k1+c])
		}
	}
	for i := 0; i < m.qT; i++ {
		ld += math.Log(m.d[i*s+i])
	}
	m.ldL2 = 2 * ld
	lr := 0.0
	for i := m.qT; i < m.qT+m.p; i++ {
		lr += math.Log(m.d[i*s+i])
	}
	m.ldRX2 = 2 * lr
	r := m.d[(s-1)*s+s-1]
	m.r2 = r * r
	m.cur = true
	return nil
}

// setLambda fills the k×k lower-triangular templates of Λ from θ (each
// template's lower triangle column by column) and, when every tail term is
// scalar, the per-row scale of the tail.
func (m *Model) setLambda(theta []float64) {
	for r, t := range m.terms {
		L := m.lam[m.lamOff[r] : m.lamOff[r]+t.k*t.k]
		clear(L)
		idx := t.theta
		for c := 0; c < t.k; c++ {
			for rr := c; rr < t.k; rr++ {
				L[c*t.k+rr] = theta[idx]
				idx++
			}
		}
	}
	if m.scalar {
		for r := 1; r < len(m.terms); r++ {
			t := m.terms[r]
			v := m.lam[m.lamOff[r]]
			for row := t.tail; row < t.tail+t.q; row++ {
				m.lamRow[row] = v
			}
		}
		for row := m.qT; row < m.s; row++ {
			m.lamRow[row] = 1
		}
	}
}

// factorFirst factors the first term's blocks Λ₁ᵀ Aₐ Λ₁ + I and, if withW
// (always when k₁ > 1), forms its off-diagonal block
// W = Λ_tᵀ A_t1 Λ₁ L₁₁⁻ᵀ, level by level.
func (m *Model) factorFirst(withW bool) {
	k1 := m.k1
	L1 := m.lam[:k1*k1]
	if k1 == 1 {
		lam := L1[0]
		lam2 := lam * lam
		for a := 0; a < m.l1; a++ {
			m.l11[a] = math.Sqrt(lam2*m.a11[a] + 1)
		}
		if !withW {
			return
		}
		for a := 0; a < m.l1; a++ {
			f := lam / m.l11[a]
			for p := m.colPtr[a]; p < m.colPtr[a+1]; p++ {
				m.wt1[p] = m.at1[p] * f
			}
		}
	} else {
		var tb [64]float64 // k1 ≤ 8 uses the stack; larger terms are rare
		var t []float64
		if k1*k1 <= len(tb) {
			t = tb[:k1*k1]
		} else {
			t = make([]float64, k1*k1)
		}
		for a := 0; a < m.l1; a++ {
			A := m.a11[a*k1*k1 : (a+1)*k1*k1]
			Lb := m.l11[a*k1*k1 : (a+1)*k1*k1]
			congruence(Lb, A, L1, t, k1)
			for c := 0; c < k1; c++ {
				Lb[c*k1+c]++
			}
			smallCholesky(Lb, k1)
			for p := m.colPtr[a]; p < m.colPtr[a+1]; p++ {
				w := m.wt1[p*k1 : (p+1)*k1]
				src := m.at1[p*k1 : (p+1)*k1]
				// w = src·Λ₁, then w ← w·L⁻ᵀ (solve L·wᵀ = wᵀ).
				for c := 0; c < k1; c++ {
					s := 0.0
					for r := c; r < k1; r++ {
						s += src[r] * L1[c*k1+r]
					}
					w[c] = s
				}
				for c := 0; c < k1; c++ {
					s := w[c]
					for r := 0; r < c; r++ {
						s -= Lb[r*k1+c] * w[r]
					}
					w[c] = s / Lb[c*k1+c]
				}
			}
		}
	}
	// Left factor Λ_tᵀ on the rows of W that belong to terms.
	if m.scalar {
		for p, row := range m.rows {
			if int(row) >= m.qT {
				continue
			}
			f := m.lamRow[row]
			w := m.wt1[p*k1 : (p+1)*k1]
			for c := range w {
				w[c] *= f
			}
		}
		return
	}
	for p := 0; p < len(m.rows); {
		row := m.rows[p]
		tr := m.rowTerm[row]
		if tr < 0 {
			p++
			continue
		}
		k := m.terms[tr].k
		L := m.lam[m.lamOff[tr] : m.lamOff[tr]+k*k]
		for c1 := 0; c1 < k1; c1++ {
			// new[c'] = Σ_{c ≥ c'} Λ[c,c']·old[c], in increasing c' so
			// every old[c] read is still unmodified.
			for cp := 0; cp < k; cp++ {
				s := 0.0
				for c := cp; c < k; c++ {
					s += L[cp*k+c] * m.wt1[(p+c)*k1+c1]
				}
				m.wt1[(p+cp)*k1+c1] = s
			}
		}
		p += k
	}
}

// congruence sets out = Λᵀ A Λ for k×k column-major A and lower Λ; t is k×k
// scratch.
func congruence(out, A, L, t []float64, k int) {
	for j := 0; j < k; j++ { // t = A·Λ
		for i := 0; i < k; i++ {
			s := 0.0
			for c := j; c < k; c++ {
				s += A[c*k+i] * L[j*k+c]
			}
			t[j*k+i] = s
		}
	}
	for j := 0; j < k; j++ { // out = Λᵀ·t
		for i := 0; i < k; i++ {
			s := 0.0
			for c := i; c < k; c++ {
				s += L[i*k+c] * t[j*k+c]
			}
			out[j*k+i] = s
		}
	}
}

// smallCholesky factors a k×k SPD block in place (lower); it cannot fail
// here because the block is a Gram matrix plus the identity.
func smallCholesky(a []float64, k int) {
	for j := 0; j < k; j++ {
		d := a[j*k+j]
		for l := 0; l < j; l++ {
			d -= a[l*k+j] * a[l*k+j]
		}
		d = math.Sqrt(d)
		a[j*k+j] = d
		for i := j + 1; i < k; i++ {
			s := a[j*k+i]
			for l := 0; l < j; l++ {
				s -= a[l*k+i] * a[l*k+j]
			}
			a[j*k+i] = s / d
		}
		for i := 0; i < j; i++ {
			a[j*k+i] = 0
		}
	}
}

// fillTail sets the lower triangle of d to Λ_tᵀ A_tt Λ_t + I (I on the
// term rows only).
func (m *Model) fillTail() {
	s := m.s
	if m.scalar {
		lr := m.lamRow
		for j := 0; j < s; j++ {
			lj := lr[j]
			src := m.att[j*s+j : (j+1)*s]
			dst := m.d[j*s+j : (j+1)*s]
			l := lr[j:s]
			for i := range dst {
				dst[i] = l[i] * src[i] * lj
			}
			if j < m.qT {
				dst[0]++
			}
		}
		return
	}
	for j := 0; j < s; j++ {
		// tmp = A·Λ[:, j] (column j of A·Λ_t)
		tmp := m.tmp
		tj := m.rowTerm[j]
		if tj < 0 {
			copy(tmp, m.att[j*s:(j+1)*s])
		} else {
			k := m.terms[tj].k
			g := int(m.rowGroup[j])
			cj := j - g
			L := m.lam[m.lamOff[tj] : m.lamOff[tj]+k*k]
			clear(tmp)
			for c := cj; c < k; c++ {
				f := L[cj*k+c]
				if f == 0 {
					continue
				}
				col := m.att[(g+c)*s : (g+c+1)*s]
				for i, v := range col {
					tmp[i] += v * f
				}
			}
		}
		dst := m.d[j*s : (j+1)*s]
		for i := j; i < s; i++ {
			ti := m.rowTerm[i]
			if ti < 0 {
				dst[i] = tmp[i]
				continue
			}
			k := m.terms[ti].k
			g := int(m.rowGroup[i])
			ci := i - g
			L := m.lam[m.lamOff[ti] : m.lamOff[ti]+k*k]
			sum := 0.0
			for c := ci; c < k; c++ {
				sum += L[ci*k+c] * tmp[g+c]
			}
			dst[i] = sum
		}
		if j < m.qT {
			dst[j]++
		}
	}
}
