package lmm

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestSolveAtReferenceTheta checks β̂, σ̂ and the standard errors at lme4's
// own optimum θ, which isolates them from the optimiser: they must agree
// to 1e-6 relative (lme4's values are printed to 15 digits; the residual
// differences come from lme4's own convergence of σ and β given θ).
func TestSolveAtReferenceTheta(t *testing.T) {
	for _, ref := range references(t) {
		t.Run(ref.Name, func(t *testing.T) {
			m := newRef(t, ref)
			sol, err := m.Solve(ref.Theta, ref.REML)
			if err != nil {
				t.Fatal(err)
			}
			check := func(what string, got, want float64) {
				t.Helper()
				if d := math.Abs(got-want) / math.Max(math.Abs(want), 1e-3); d > 1e-6 {
					t.Errorf("%s = %.10g, lme4 %.10g (rel %.2g)", what, got, want, d)
				}
			}
			check("sigma", sol.Sigma, ref.Sigma)
			for i := range ref.Beta {
				check("beta "+ref.BetaNames[i], sol.Beta[i], ref.Beta[i])
				check("se "+ref.BetaNames[i], sol.SE[i], ref.BetaSE[i])
			}
			if names := m.XNames(); names[0] != ref.BetaNames[0] || names[len(names)-1] != ref.BetaNames[len(names)-1] {
				t.Errorf("names %v, want %v", names, ref.BetaNames)
			}
		})
	}
}

// denseSystem builds Z (n×q), Λ (q×q) in the model's term order, with
// plain loops, for the dense oracle.
func denseSystem(m *Model, terms []Term, theta []float64) (Z, Lam *mat.Dense) {
	q := m.NRandom()
	Z = mat.NewDense(m.n, q, nil)
	Lam = mat.NewDense(q, q, nil)
	m.lam.set(theta)
	off := 0
	for r, ti := range m.terms {
		tm := terms[ti.orig]
		for i := 0; i < m.n; i++ {
			for c := 0; c < tm.K; c++ {
				Z.Set(i, off+tm.Codes[i]*tm.K+c, tm.Z[c*m.n+i])
			}
		}
		L := m.lam.template(r)
		for l := 0; l < ti.nlevels; l++ {
			for c := 0; c < ti.k; c++ {
				for rr := c; rr < ti.k; rr++ {
					Lam.Set(off+l*ti.k+rr, off+l*ti.k+c, L[c*ti.k+rr])
				}
			}
		}
		off += ti.q
	}
	return Z, Lam
}

// TestSolveMatchesDenseOracle solves the penalised least squares problem
// densely (normal equations of [ZΛ X; I 0]) and compares ũ, β̂, and the
// conditional variances σ² Λ (ΛᵀZᵀZΛ + I)⁻¹ Λᵀ with the blocked results,
// on models with a vector-valued term, crossed and nested factors.
func TestSolveMatchesDenseOracle(t *testing.T) {
	for _, ref := range references(t) {
		if ref.NObs > 1000 {
			continue
		}
		t.Run(ref.Name, func(t *testing.T) {
			m := newRef(t, ref)
			theta := ref.ObjectiveAt[2].Theta
			sol, err := m.Solve(theta, ref.REML)
			if err != nil {
				t.Fatal(err)
			}
			cv, err := m.CondVar(theta, sol.Sigma)
			if err != nil {
				t.Fatal(err)
			}
			md := buildData(t, ref)
			Z, Lam := denseSystem(m, md.Terms, theta)
			n, q, p := m.n, m.NRandom(), m.p
			X := mat.NewDense(n, p, nil) // gonum is row-major; md.X column-major
			for j := 0; j < p; j++ {
				for i := 0; i < n; i++ {
					X.Set(i, j, md.X[j*n+i])
				}
			}
			y := mat.NewVecDense(n, md.Y)
			var ZL mat.Dense
			ZL.Mul(Z, Lam)
			A := mat.NewDense(q+p, q+p, nil)
			var blk mat.Dense
			blk.Mul(ZL.T(), &ZL)
			for i := 0; i < q; i++ {
				for j := 0; j < q; j++ {
					v := blk.At(i, j)
					if i == j {
						v++
					}
					A.Set(i, j, v)
				}
			}
			var zx, xx mat.Dense
			zx.Mul(ZL.T(), X)
			xx.Mul(X.T(), X)
			for i := 0; i < q; i++ {
				for j := 0; j < p; j++ {
					A.Set(i, q+j, zx.At(i, j))
					A.Set(q+j, i, zx.At(i, j))
				}
			}
			for i := 0; i < p; i++ {
				for j := 0; j < p; j++ {
					A.Set(q+i, q+j, xx.At(i, j))
				}
			}
			var zy, xy mat.VecDense
			zy.MulVec(ZL.T(), y)
			xy.MulVec(X.T(), y)
			rhs := mat.NewVecDense(q+p, append(append([]float64{}, zy.RawVector().Data...), xy.RawVector().Data...))
			var sx mat.VecDense
			if err := sx.SolveVec(A, rhs); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < q; i++ {
				if d := math.Abs(sx.AtVec(i) - sol.U[i]); d > 1e-8*(1+math.Abs(sx.AtVec(i))) {
					t.Fatalf("u[%d] = %.12g, dense %.12g", i, sol.U[i], sx.AtVec(i))
				}
			}
			for j := 0; j < p; j++ {
				if d := math.Abs(sx.AtVec(q+j) - sol.Beta[j]); d > 1e-8*(1+math.Abs(sol.Beta[j])) {
					t.Fatalf("beta[%d] = %.12g, dense %.12g", j, sol.Beta[j], sx.AtVec(q+j))
				}
			}
			// Conditional variances.
			var zz mat.Dense
			zz.CloneFrom(&blk)
			for i := 0; i < q; i++ {
				zz.Set(i, i, zz.At(i, i)+1)
			}
			var inv, tmp, cvd mat.Dense
			if err := inv.Inverse(&zz); err != nil {
				t.Fatal(err)
			}
			tmp.Mul(Lam, &inv)
			cvd.Mul(&tmp, Lam.T())
			off := 0
			s2 := sol.Sigma * sol.Sigma
			for r, ti := range m.terms {
				for l := 0; l < ti.nlevels; l++ {
					for j := 0; j < ti.k; j++ {
						for i := 0; i < ti.k; i++ {
							want := s2 * cvd.At(off+l*ti.k+i, off+l*ti.k+j)
							got := cv[r][l*ti.k*ti.k+j*ti.k+i]
							if math.Abs(got-want) > 1e-8*(1+math.Abs(want)) {
								t.Fatalf("condVar term %d level %d (%d,%d) = %.12g, dense %.12g", r, l, i, j, got, want)
							}
						}
					}
				}
				off += ti.q
			}
		})
	}
}
