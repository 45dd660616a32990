package dense

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randomSPD returns an n×n column-major SPD matrix MᵀM + nI.
func randomSPD(n int, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 5))
	m := make([]float64, n*n)
	for i := range m {
		m[i] = r.NormFloat64()
	}
	a := make([]float64, n*n)
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			var t float64
			for k := 0; k < n; k++ {
				t += m[i*n+k] * m[j*n+k]
			}
			a[j*n+i] = t
		}
		a[j*n+j] += float64(n)
	}
	return a
}

func mulVec(n int, a, x []float64) []float64 {
	y := make([]float64, n)
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			y[i] += a[j*n+i] * x[j]
		}
	}
	return y
}

// checkInverse fails t unless A·inv is the identity to tol.
func checkInverse(t *testing.T, what string, n int, a, inv []float64, tol float64) {
	t.Helper()
	for j := 0; j < n; j++ {
		for i, v := range mulVec(n, a, inv[j*n:(j+1)*n]) {
			want := 0.0
			if i == j {
				want = 1
			}
			if math.Abs(v-want) > tol {
				t.Fatalf("%s, n=%d: (A·A⁻¹)[%d,%d] = %g", what, n, i, j, v)
			}
		}
	}
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

func TestSPDFactorSolveInverse(t *testing.T) {
	for _, n := range []int{1, 2, 7, 40} {
		a := randomSPD(n, uint64(n))
		var c SPD
		if !c.Factor(n, a) {
			t.Fatalf("n=%d: not positive definite", n)
		}
		// RᵀR = A.
		r := c.R()
		for j := 0; j < n; j++ {
			for i := 0; i <= j; i++ {
				var s float64
				for k := 0; k <= i; k++ {
					s += r[k*n+i] * r[k*n+j]
				}
				if !near(s, a[j*n+i], 1e-12) {
					t.Fatalf("n=%d: (RᵀR)[%d,%d] = %g, A = %g", n, i, j, s, a[j*n+i])
				}
			}
		}
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(i%3) - 0.7
		}
		b := mulVec(n, a, x)
		c.SolveVec(b)
		for i := range x {
			if !near(b[i], x[i], 1e-10) {
				t.Errorf("n=%d: SolveVec[%d] = %g, want %g", n, i, b[i], x[i])
			}
		}
		// Two right-hand sides stored row by row.
		rows := make([]float64, 2*n)
		ax := mulVec(n, a, x)
		for i := 0; i < n; i++ {
			rows[2*i], rows[2*i+1] = ax[i], 2*ax[i]
		}
		c.SolveRows(rows, 2)
		for i := range x {
			if !near(rows[2*i], x[i], 1e-10) || !near(rows[2*i+1], 2*x[i], 1e-10) {
				t.Errorf("n=%d: SolveRows row %d = %g, %g", n, i, rows[2*i], rows[2*i+1])
			}
		}
		inv := make([]float64, n*n)
		c.Inverse(inv)
		checkInverse(t, "SPD", n, a, inv, 1e-10)
		// log|A| from the product of the pivots of a fresh elimination.
		g := append([]float64(nil), a...)
		var logDet float64
		for k := 0; k < n; k++ {
			logDet += math.Log(g[k*n+k])
			for i := k + 1; i < n; i++ {
				f := g[k*n+i] / g[k*n+k]
				for j := k; j < n; j++ {
					g[j*n+i] -= f * g[j*n+k]
				}
			}
		}
		if !near(c.LogDet(), logDet, 1e-12) {
			t.Errorf("n=%d: LogDet %g, elimination %g", n, c.LogDet(), logDet)
		}
	}
}

// TestSPDSolveRAndQuadForm: R·(R⁻¹z) = z, and (u−m)ᵀA(u−m) agrees with the
// direct product.
func TestSPDSolveRAndQuadForm(t *testing.T) {
	n := 9
	a := randomSPD(n, 3)
	var c SPD
	c.Factor(n, a)
	z := make([]float64, n)
	for i := range z {
		z[i] = math.Sin(float64(i))
	}
	x := append([]float64(nil), z...)
	c.SolveR(x)
	r := c.R()
	for i := 0; i < n; i++ {
		var s float64
		for j := i; j < n; j++ {
			s += r[i*n+j] * x[j]
		}
		if !near(s, z[i], 1e-12) {
			t.Errorf("(R·R⁻¹z)[%d] = %g, want %g", i, s, z[i])
		}
	}
	u, m := make([]float64, n), make([]float64, n)
	for i := range u {
		u[i], m[i] = float64(i), 0.5*float64(i*i%5)
	}
	d := make([]float64, n)
	for i := range d {
		d[i] = u[i] - m[i]
	}
	var want float64
	for i, v := range mulVec(n, a, d) {
		want += d[i] * v
	}
	if got := c.QuadForm(u, m); !near(got, want, 1e-12) {
		t.Errorf("QuadForm %g, want %g", got, want)
	}
}

func TestSPDRejectsIndefinite(t *testing.T) {
	var c SPD
	if c.Factor(2, []float64{1, 2, 2, 1}) || c.N() != 0 {
		t.Error("indefinite matrix factored")
	}
	if c.Factor(1, []float64{math.NaN()}) {
		t.Error("NaN factored")
	}
}

// TestBorderedMatchesDense: the block elimination solves the whole system.
func TestBorderedMatchesDense(t *testing.T) {
	for _, pq := range [][2]int{{0, 5}, {1, 4}, {3, 11}} {
		p, q := pq[0], pq[1]
		n := p + q
		full := randomSPD(n, uint64(7*n+p))
		m := NewBordered(p, q)
		for i := 0; i < p; i++ {
			for j := i; j < p; j++ {
				m.ARows()[i*p+j] = full[j*n+i]
			}
		}
		for i := 0; i < q; i++ {
			for j := i; j < q; j++ {
				m.CRows()[i*q+j] = full[(p+j)*n+p+i]
			}
			for j := 0; j < p; j++ {
				m.BRows()[i*p+j] = full[j*n+p+i]
			}
		}
		sol := make([]float64, n)
		for i := range sol {
			sol[i] = float64(i) - 2.5
		}
		rhs := mulVec(n, full, sol)
		if ok, _ := m.Factor(); !ok {
			t.Fatalf("p=%d q=%d: not positive definite", p, q)
		}
		x, y := make([]float64, p), make([]float64, q)
		m.Solve(rhs[:p], rhs[p:], x, y)
		for i, v := range append(x, y...) {
			if !near(v, sol[i], 1e-10) {
				t.Errorf("p=%d q=%d: unknown %d = %g, want %g", p, q, i, v, sol[i])
			}
		}
		var c SPD
		cm := make([]float64, q*q)
		for j := 0; j < q; j++ {
			for i := 0; i < q; i++ {
				cm[j*q+i] = full[(p+j)*n+p+i]
			}
		}
		c.Factor(q, cm)
		if !near(m.LogDetC(), c.LogDet(), 1e-13) {
			t.Errorf("log|C| %g, want %g", m.LogDetC(), c.LogDet())
		}
	}
	// A singular A given C: the Schur complement is not positive definite.
	m := NewBordered(1, 1)
	m.ARows()[0], m.CRows()[0], m.BRows()[0] = 1, 1, 1
	if ok, schur := m.Factor(); ok || !schur {
		t.Errorf("singular Schur complement: ok %v schur %v", ok, schur)
	}
}

func TestInverses(t *testing.T) {
	n := 6
	a := randomSPD(n, 11)
	a[3*n+1] += 0.5 // not symmetric: a general matrix
	lu, ok := InverseLU(n, a)
	if !ok {
		t.Fatal("LU: singular")
	}
	gj := append([]float64(nil), a...)
	if !InvertGaussJordan(gj, n) {
		t.Fatal("Gauss-Jordan: singular")
	}
	checkInverse(t, "LU", n, a, lu, 1e-12)
	checkInverse(t, "Gauss-Jordan", n, a, gj, 1e-12)
	if _, ok := InverseLU(2, []float64{1, 2, 2, 4}); ok {
		t.Error("LU inverted a singular matrix")
	}
	if InvertGaussJordan([]float64{1, 2, 2, 4}, 2) {
		t.Error("Gauss-Jordan inverted a singular matrix")
	}
}

// TestSandwichPSD: B V Bᵀ by the eigen route equals the direct product, and
// a V with a tiny negative eigenvalue from rounding gives no negative
// diagonal.
func TestSandwichPSD(t *testing.T) {
	n := 5
	v := randomSPD(n, 13)
	b := randomSPD(n, 17)
	b[4] += 1 // not symmetric
	got, ok := SandwichPSD(n, b, v)
	if !ok {
		t.Fatal("eigendecomposition failed")
	}
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			var want float64
			for k := 0; k < n; k++ {
				for l := 0; l < n; l++ {
					want += b[k*n+i] * v[l*n+k] * b[l*n+j]
				}
			}
			if !near(got[j*n+i], want, 1e-10) {
				t.Errorf("[%d,%d] = %g, want %g", i, j, got[j*n+i], want)
			}
		}
	}
	// V = xxᵀ − 1e-18·I: rank one, one tiny negative eigenvalue.
	x := []float64{1, 2, 3, 4, 5}
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			v[j*n+i] = x[i] * x[j]
		}
		v[j*n+j] -= 1e-18
	}
	id := make([]float64, n*n)
	for i := 0; i < n; i++ {
		id[i*n+i] = 1
	}
	got, _ = SandwichPSD(n, id, v)
	for i := 0; i < n; i++ {
		if got[i*n+i] < 0 {
			t.Errorf("diagonal %d is %g", i, got[i*n+i])
		}
	}
}
