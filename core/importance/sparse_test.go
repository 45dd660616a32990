package importance

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/glmmgo/glmmgo/core/budget"
	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/parallel"
	"github.com/glmmgo/glmmgo/core/response"
	"github.com/glmmgo/glmmgo/core/sparse"
	"gonum.org/v1/gonum/mat"
)

// crossedSigmaInv returns the importance parameters of a Poisson model
// with two crossed factors of qa and qb levels and n observations (every
// level used), Σ̃⁻¹ = Z′WZ + D*⁻¹ at a random η, both dense and in rows.
func crossedSigmaInv(t testing.TB, n, qa, qb int, seed uint64) (Params, *sparse.CSR) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 5))
	q := qa + qb
	row, col, val := make([]int64, 0, 2*n), make([]int64, 0, 2*n), make([]float64, 0, 2*n)
	y, eta := make([]float64, n), make([]float64, n)
	for i := range n {
		ia, ib := r.IntN(qa), r.IntN(qb)
		if i < qa {
			ia = i
		}
		if i < qb {
			ib = i
		}
		row, col, val = append(row, int64(i), int64(i)), append(col, int64(ia), int64(qa+ib)), append(val, 1, 0.5+r.Float64())
		y[i] = float64(r.IntN(4))
		eta[i] = 0.3 * r.NormFloat64()
	}
	z, err := sparse.FromTriplets(n, q, row, col, val)
	if err != nil {
		t.Fatal(err)
	}
	resp := response.Response{Family: family.Poisson, Y: y}
	p := Params{Zeta: 5, P: [3]float64{0.2, 0.3, 0.5}, UStar: make([]float64, q), DStar: make([]float64, q)}
	for j := range q {
		p.UStar[j] = 0.4 * r.NormFloat64()
		p.DStar[j] = 0.3 + r.Float64()
	}
	s := SigmaInvSparse(&resp, z, eta, p.DStar)
	dense := SigmaInv(&resp, z, eta, p.DStar)
	for k, v := range s.Dense() {
		if v != dense[k] {
			t.Fatalf("SigmaInvSparse entry %d = %v, SigmaInv %v", k, v, dense[k])
		}
	}
	p.SigmaInv = dense
	return p, s
}

// TestSparseMatchesDense: on a model where both paths run, the sparse
// density's log density equals the dense one's to 1e-10 relative (its
// log|Σ̃⁻¹| from the sparse factor), with glmm's t and with t_ζ(u*, Σ̃),
// and SigmaInvSparse equals SigmaInv bit for bit (crossedSigmaInv).
func TestSparseMatchesDense(t *testing.T) {
	for _, tc := range []struct {
		name       string
		n, qa, qb  int
		tSigma     bool
		wantSparse bool // by the package's rule
	}{
		{"q=400 unbalanced", 1500, 350, 50, false, true},
		{"q=400 unbalanced, t with Sigma", 1500, 350, 50, true, true},
		{"q=600 balanced", 2000, 300, 300, false, true},
		{"q=300 balanced, dense fill", 3000, 150, 150, false, false},
		{"q=150 small", 600, 100, 50, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, s := crossedSigmaInv(t, tc.n, tc.qa, tc.qb, 3)
			p.TSigma = tc.tSigma
			q := tc.qa + tc.qb
			dd, err := New(q, p)
			if err != nil {
				t.Fatal(err)
			}
			denseSig := p.SigmaInv
			p.SigmaInv, p.SigmaInvCSR = nil, s
			byRule, err := New(q, p)
			if err != nil {
				t.Fatal(err)
			}
			if sp, nnz := byRule.SparseFactor(); sp != tc.wantSparse {
				t.Fatalf("sparse path %v (factor nnz %d of q(q+1)/2 = %d), want %v", sp, nnz, q*(q+1)/2, tc.wantSparse)
			}
			forced, err := newDensity(q, p, 0)
			if err != nil {
				t.Fatal(err)
			}
			if sp, nnz := forced.SparseFactor(); !sp {
				t.Fatal("the forced density is not sparse")
			} else {
				t.Logf("q = %d: sparse factor %d nonzeros (%.3f of the dense triangle); by the rule sparse %v", q, nnz, float64(nnz)/float64(q*(q+1)/2), tc.wantSparse)
			}
			if math.Abs(forced.logDetSigInv-dd.logDetSigInv) > 1e-10*math.Abs(dd.logDetSigInv) {
				t.Errorf("log|Sigma inverse|: sparse %.15g, dense %.15g", forced.logDetSigInv, dd.logDetSigInv)
			}
			const m = 300
			u := make([]float64, m*q)
			dd.Draw(7, 0, m, u)
			if !tc.wantSparse {
				// The dense path from rows is the dense path: the same
				// matrix, draws and log density, bit for bit.
				if !slices.Equal(byRule.DenseSigmaInv(), denseSig) {
					t.Fatal("the expanded Sigma inverse differs from SigmaInv")
				}
				v := make([]float64, m*q)
				byRule.Draw(7, 0, m, v)
				if !slices.Equal(u, v) {
					t.Fatal("draws differ from the dense path's")
				}
				for k := range m {
					if a, b := byRule.LogProb(u[k*q:(k+1)*q]), dd.LogProb(u[k*q:(k+1)*q]); a != b {
						t.Fatalf("sample %d: log density %v, dense path %v", k, a, b)
					}
				}
			}
			for k := range m {
				row := u[k*q : (k+1)*q]
				a, b, c := forced.LogProb(row), dd.LogProb(row), byRule.LogProb(row)
				if math.Abs(a-b) > 1e-10*math.Abs(b) || math.Abs(c-b) > 1e-10*math.Abs(b) {
					t.Fatalf("sample %d: log density sparse %.15g, by the rule %.15g, dense %.15g", k, a, c, b)
				}
			}
		})
	}
}

// lTransposeTimes returns Lᵀy for the sparse factor L.
func lTransposeTimes(d *Density, y []float64) []float64 {
	s := d.chol.S
	out := make([]float64, len(y))
	for j := range y {
		col, rows := s.Column(d.chol.Val, j)
		for k, i := range rows {
			if int(i) >= j {
				out[j] += col[k] * y[i]
			}
		}
	}
	return out
}

// TestSparseDrawRecoversNormals: a N(u*, Σ̃) draw of the sparse path is
// u = u* + P·L⁻ᵀz, so Lᵀ·P′(u − u*) gives back the block's standard
// normals z, replayed from its stream; and P′Σ̃⁻¹P = LLᵀ.
func TestSparseDrawRecoversNormals(t *testing.T) {
	p, s := crossedSigmaInv(t, 1500, 350, 50, 4)
	q := 400
	p.SigmaInv, p.SigmaInvCSR, p.P = nil, s, [3]float64{0, 0, 1}
	d, err := New(q, p)
	if err != nil {
		t.Fatal(err)
	}
	if sp, _ := d.SparseFactor(); !sp {
		t.Fatal("not sparse")
	}
	const m = 20
	u := make([]float64, m*q)
	d.Draw(11, 0, m, u)
	r, _ := streams(11, 0)
	y := make([]float64, q)
	for k := range m {
		for i, v := range d.perm {
			y[i] = u[k*q+v] - p.UStar[v]
		}
		got := lTransposeTimes(d, y)
		for i := range q {
			if z := r.NormFloat64(); math.Abs(got[i]-z) > 1e-10*(1+math.Abs(z)) {
				t.Fatalf("sample %d: (Lᵀ P′(u−u*))[%d] = %.15g, z = %.15g", k, i, got[i], z)
			}
		}
	}
	// LLᵀ reproduces P′Σ̃⁻¹P on a few columns.
	dense := p.SigmaInvCSR.Dense()
	e := make([]float64, q)
	for _, j := range []int{0, 17, q / 2, q - 1} {
		clear(e)
		e[j] = 1
		lt := lTransposeTimes(d, e) // column j of Lᵀ = row j of L
		for i := range q {
			var v float64
			for k := range lt {
				v += d.chol.S.Entry(d.chol.Val, max(i, k), min(i, k)) * lt[k] * b2f(i >= k)
			}
			want := dense[d.perm[j]*q+d.perm[i]]
			if math.Abs(v-want) > 1e-10*(1+math.Abs(want)) {
				t.Fatalf("(LLᵀ)[%d,%d] = %g, P′Σ̃⁻¹P %g", i, j, v, want)
			}
		}
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// TestSparseDrawMoments: on a small model forced onto the sparse path,
// the N(u*, Σ̃) draws have mean u* and covariance Σ̃.
func TestSparseDrawMoments(t *testing.T) {
	const q, m = 5, 60000
	imp := params(q)
	imp.P = [3]float64{0, 0, 1}
	sig := mat.NewDense(q, q, append([]float64(nil), imp.SigmaInv...))
	var sigma mat.Dense
	if err := sigma.Inverse(sig); err != nil {
		t.Fatal(err)
	}
	imp.SigmaInvCSR, imp.SigmaInv = sparse.FromDense(q, q, imp.SigmaInv), nil
	d, err := newDensity(q, imp, 0)
	if err != nil {
		t.Fatal(err)
	}
	if sp, _ := d.SparseFactor(); !sp {
		t.Fatal("not sparse")
	}
	u := make([]float64, m*q)
	d.Draw(5, 0, m, u)
	for i := range q {
		var mu float64
		for k := range m {
			mu += u[k*q+i] / m
		}
		if se := math.Sqrt(sigma.At(i, i) / m); math.Abs(mu-imp.UStar[i]) > 5*se {
			t.Errorf("mean[%d] = %g, want %g ± %g", i, mu, imp.UStar[i], se)
		}
		for j := range q {
			var c float64
			for k := range m {
				c += (u[k*q+i] - imp.UStar[i]) * (u[k*q+j] - imp.UStar[j]) / m
			}
			want := sigma.At(i, j)
			if tol := 6 * math.Sqrt((sigma.At(i, i)*sigma.At(j, j)+want*want)/m); math.Abs(c-want) > tol {
				t.Errorf("cov[%d,%d] = %g, want %g ± %g", i, j, c, want, tol)
			}
		}
	}
}

// TestSparseDrawsAnyWorkers: the blocks of a sparse density drawn by 1 or
// 2 goroutines, in any order, are the same bit for bit (every block has its
// own streams, and the factor's solves only read it).
func TestSparseDrawsAnyWorkers(t *testing.T) {
	p, s := crossedSigmaInv(t, 1500, 350, 50, 6)
	q := 400
	p.SigmaInv, p.SigmaInvCSR, p.TSigma = nil, s, true
	d, err := New(q, p)
	if err != nil {
		t.Fatal(err)
	}
	m := 3*parallel.BlockSize + 17
	var got [2][]float64
	for w := 1; w <= 2; w++ {
		u := make([]float64, m*q)
		err := parallel.Run(parallel.NumBlocks(m), w, func(_, b int) error {
			lo, hi := parallel.BlockRange(b, m)
			d.Draw(9, lo, hi, u[lo*q:hi*q])
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got[w-1] = u
	}
	for k := range got[0] {
		if got[0][k] != got[1][k] {
			t.Fatalf("entry %d: 1 worker %v, 2 workers %v", k, got[0][k], got[1][k])
		}
	}
}

// TestSigmaInvCSRRejects: a malformed or asymmetric Σ̃⁻¹ in rows, or one
// given twice, is an error naming sigma_inv.
func TestSigmaInvCSRRejects(t *testing.T) {
	base := params(3)
	good := sparse.FromDense(3, 3, base.SigmaInv)
	for _, tc := range []struct {
		name string
		edit func(p *Params)
	}{
		{"both", func(p *Params) { p.SigmaInvCSR = good }},
		{"wrong size", func(p *Params) { p.SigmaInv, p.SigmaInvCSR = nil, sparse.FromDense(2, 2, []float64{1, 0, 0, 1}) }},
		{"asymmetric", func(p *Params) {
			a := append([]float64(nil), base.SigmaInv...)
			a[1] += 0.1
			p.SigmaInv, p.SigmaInvCSR = nil, sparse.FromDense(3, 3, a)
		}},
		{"not positive definite", func(p *Params) {
			a := append([]float64(nil), base.SigmaInv...)
			a[0] = -1
			p.SigmaInv, p.SigmaInvCSR = nil, sparse.FromDense(3, 3, a)
		}},
		{"NaN", func(p *Params) {
			a := append([]float64(nil), base.SigmaInv...)
			a[4] = math.NaN()
			p.SigmaInv, p.SigmaInvCSR = nil, sparse.FromDense(3, 3, a)
		}},
	} {
		for _, minQ := range []int{0, SparseMinQ} {
			p := params(3)
			tc.edit(&p)
			if _, err := newDensity(3, p, minQ); err == nil {
				t.Errorf("%s (minQ %d): accepted", tc.name, minQ)
			}
		}
	}
}

// TestPlanFor: the plan for Z's Σ̃⁻¹ is dense below SparseMinQ, sparse for
// nested and for sparsely crossed groups, dense for a pattern too full for
// the sparse factor, and dense — not an error — when even the pattern
// would exceed the memory limit; its bytes are the path's.
func TestPlanFor(t *testing.T) {
	// zOf builds an n×q Z whose row i has the columns cols(i).
	zOf := func(n, q int, cols func(i int) []int) *sparse.CSR {
		var row, col []int64
		var val []float64
		for i := range n {
			for _, c := range cols(i) {
				row, col, val = append(row, int64(i)), append(col, int64(c)), append(val, 1)
			}
		}
		z, err := sparse.FromTriplets(n, q, row, col, val)
		if err != nil {
			t.Fatal(err)
		}
		return z
	}
	r := rand.New(rand.NewPCG(1, 1))
	for _, tc := range []struct {
		name       string
		z          *sparse.CSR
		limit      int64
		wantSparse bool
	}{
		{"q=150 nested", zOf(300, 150, func(i int) []int { return []int{i % 150} }), 0, false},
		{"q=3000 nested", zOf(6000, 3000, func(i int) []int { return []int{i % 3000} }), 0, true},
		{"q=3000 nested, pattern over a 100 kB limit", zOf(6000, 3000, func(i int) []int { return []int{i % 3000} }), 100 << 10, false},
		{"q=1000 crossed 950 x 50", zOf(4000, 1000, func(i int) []int { return []int{i % 950, 950 + r.IntN(50)} }), 0, true},
		{"q=300 crossed 150 x 150, 20 per level", zOf(3000, 300, func(i int) []int { return []int{i % 150, 150 + r.IntN(150)} }), 0, false},
		{"q=400, rows of 200 under a 1 MB limit", zOf(400, 400, func(i int) []int {
			out := make([]int, 200)
			for k := range out {
				out[k] = (i + 2*k) % 400
			}
			return out
		}), 1 << 20, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.limit > 0 {
				old := budget.Limit()
				budget.SetLimit(tc.limit)
				defer budget.SetLimit(old)
			}
			pl, err := PlanFor(tc.z)
			if err != nil {
				t.Fatal(err)
			}
			q := tc.z.Cols
			if pl.Sparse != tc.wantSparse {
				t.Fatalf("sparse %v (factor nnz %d), want %v", pl.Sparse, pl.FactorNNZ, tc.wantSparse)
			}
			if !pl.Sparse && pl.Bytes != 2*budget.Doubles(q, q) {
				t.Errorf("dense plan needs %g bytes, want two q×q matrices", pl.Bytes)
			}
			if pl.Sparse && !(pl.Bytes < 2*budget.Doubles(q, q)) {
				t.Errorf("sparse plan needs %g bytes, more than dense", pl.Bytes)
			}
		})
	}
}
