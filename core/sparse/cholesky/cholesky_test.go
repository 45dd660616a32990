package cholesky

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/glmmgo/glmmgo/core/dense"
)

// problem is a random sparse SPD matrix with a known clique pattern:
// A = M·Mᵀ + I, each column of M nonzero on one clique plus the border
// rows.
type problem struct {
	p Pattern
	a []float64 // dense n×n, column-major
}

func newProblem(n, border, ncl, size int, seed uint64) problem {
	r := rand.New(rand.NewPCG(seed, 7))
	n0 := n - border
	p := Pattern{N: n, Border: border, Ptr: []int{0}}
	a := make([]float64, n*n)
	for i := 0; i < n; i++ {
		a[i*n+i] = 1
	}
	v := make([]float64, n)
	for c := 0; c < ncl; c++ {
		clear(v)
		k := 1 + r.IntN(size)
		for t := 0; t < k; t++ {
			row := r.IntN(n0)
			p.Rows = append(p.Rows, int32(row))
			v[row] = r.NormFloat64()
		}
		for b := n0; b < n; b++ {
			v[b] = r.NormFloat64()
		}
		p.Ptr = append(p.Ptr, len(p.Rows))
		for j := 0; j < n; j++ {
			if v[j] == 0 {
				continue
			}
			for i := 0; i < n; i++ {
				a[j*n+i] += v[i] * v[j]
			}
		}
	}
	if border > 0 && ncl == 0 {
		for b := n0; b < n; b++ {
			for j := 0; j < n; j++ {
				if j != b {
					a[j*n+b] += 0.01
					a[b*n+j] += 0.01
				}
			}
		}
	}
	return problem{p: p, a: a}
}

// fill writes A's lower triangle, in the factor's order, into a factor.
func (pr problem) fill(f *Factor) {
	s := f.S
	n := s.N
	for j := 0; j < n; j++ {
		col, rows := s.Column(f.Val, j)
		for k, i := range rows {
			col[k] = pr.a[int(s.Perm[j])*n+int(s.Perm[i])]
		}
	}
}

// denseFactor returns the Cholesky factor of A permuted to the factor's
// order, and A so permuted.
func (pr problem) denseFactor(t *testing.T, s *Symbolic) (l, ap []float64) {
	n := s.N
	ap = make([]float64, n*n)
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			ap[j*n+i] = pr.a[int(s.Perm[j])*n+int(s.Perm[i])]
		}
	}
	l = append([]float64(nil), ap...)
	var fz dense.Factorizer
	defer fz.Close()
	if err := fz.Factor(n, l, n); err != nil {
		t.Fatal(err)
	}
	return l, ap
}

var shapes = []struct {
	name                 string
	n, border, ncl, size int
}{
	{"tiny", 5, 0, 3, 2},
	{"no cliques", 20, 0, 0, 1},
	{"border only", 6, 6, 0, 1},
	{"nested", 200, 3, 150, 2},
	{"locally crossed", 300, 4, 400, 6},
	{"dense-ish", 120, 2, 300, 12},
	{"big cliques", 400, 5, 60, 40},
}

// TestFactorMatchesDense: the supernodal factor equals the dense factor of
// the permuted matrix entry by entry, the dense factor has no nonzero
// outside the symbolic pattern, and the counts agree with it.
func TestFactorMatchesDense(t *testing.T) {
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			pr := newProblem(sh.n, sh.border, sh.ncl, sh.size, uint64(sh.n))
			s, err := Analyse(pr.p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkPerm(t, s)
			f := NewFactor(s)
			defer f.Close()
			pr.fill(f)
			if err := f.Factorize(); err != nil {
				t.Fatal(err)
			}
			l, _ := pr.denseFactor(t, s)
			n := s.N
			nnz := int64(0)
			for j := 0; j < n; j++ {
				for i := j; i < n; i++ {
					want := l[j*n+i]
					got := s.Entry(f.Val, i, j)
					if !inPattern(s, i, j) {
						if math.Abs(want) > 1e-12 {
							t.Fatalf("L[%d,%d] = %g lies outside the symbolic pattern", i, j, want)
						}
						continue
					}
					nnz++
					if math.Abs(got-want) > 1e-10*(1+math.Abs(want)) {
						t.Fatalf("L[%d,%d] = %.15g, dense %.15g", i, j, got, want)
					}
				}
			}
			if nnz < s.NNZ { // relaxed supernodes store some zeros too
				t.Errorf("the pattern has %d entries, fewer than NNZ's %d", nnz, s.NNZ)
			}
			t.Logf("n=%d nnz(L)=%d supernodes=%d", n, s.NNZ, s.Supernodes())
		})
	}
}

// TestCountsMatchElimination: nnz(L) equals the fill of the elimination
// game on the pattern in the factor's order.
func TestCountsMatchElimination(t *testing.T) {
	for _, sh := range shapes {
		pr := newProblem(sh.n, sh.border, sh.ncl, sh.size, uint64(sh.n)+1)
		s, err := Analyse(pr.p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if want := eliminationGame(pr.p, s); want != s.NNZ {
			t.Errorf("%s: NNZ %d, elimination game %d", sh.name, s.NNZ, want)
		}
	}
}

// eliminationGame counts nnz(L) by eliminating the rows in the factor's
// order, joining each row's remaining neighbours.
func eliminationGame(p Pattern, s *Symbolic) int64 {
	n, n0 := p.N, p.N-p.Border
	nb := make([]map[int]bool, n)
	for i := range nb {
		nb[i] = map[int]bool{}
	}
	link := func(a, b int) {
		if a != b {
			nb[a][b] = true
			nb[b][a] = true
		}
	}
	for c := 0; c+1 < len(p.Ptr); c++ {
		cl := p.Rows[p.Ptr[c]:p.Ptr[c+1]]
		for _, a := range cl {
			for _, b := range cl {
				link(int(s.Inv[a]), int(s.Inv[b]))
			}
		}
	}
	for b := n0; b < n; b++ {
		for j := 0; j < n; j++ {
			link(b, j)
		}
	}
	total := int64(0)
	for k := 0; k < n; k++ {
		var later []int
		for j := range nb[k] {
			if j > k {
				later = append(later, j)
			}
		}
		total += int64(1 + len(later))
		for _, a := range later {
			for _, b := range later {
				link(a, b)
			}
		}
	}
	return total
}

func inPattern(s *Symbolic, i, j int) bool {
	rows := s.ColumnRows(j)
	k := rowsBefore(rows, i)
	return k < len(rows) && int(rows[k]) == i && i >= j
}

func checkPerm(t *testing.T, s *Symbolic) {
	t.Helper()
	seen := make([]bool, s.N)
	for k, r := range s.Perm {
		if seen[r] || s.Inv[r] != int32(k) {
			t.Fatalf("Perm/Inv are not inverse permutations at %d", k)
		}
		seen[r] = true
	}
	for b := s.N - s.Border; b < s.N; b++ {
		if s.Perm[b] != int32(b) {
			t.Fatalf("border row %d moved to %d", b, s.Perm[b])
		}
	}
}

// TestSolvesAndRows: the leading solves and the border row agree with the
// dense factor.
func TestSolvesAndRows(t *testing.T) {
	pr := newProblem(250, 3, 300, 5, 42)
	s, err := Analyse(pr.p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := NewFactor(s)
	pr.fill(f)
	if err := f.Factorize(); err != nil {
		t.Fatal(err)
	}
	l, _ := pr.denseFactor(t, s)
	n := s.N
	m := n - 1
	r := rand.New(rand.NewPCG(1, 1))
	b := make([]float64, n)
	for i := range b {
		b[i] = r.NormFloat64()
	}
	x := append([]float64(nil), b...)
	f.SolveLeading(x, m)
	for i := 0; i < m; i++ { // L_m·x = b
		v := 0.0
		for j := 0; j <= i; j++ {
			v += l[j*n+i] * x[j]
		}
		if math.Abs(v-b[i]) > 1e-9 {
			t.Fatalf("forward solve: row %d gives %g, want %g", i, v, b[i])
		}
	}
	x = append(x[:0], b...)
	f.SolveLeadingT(x, m)
	for i := 0; i < m; i++ { // L_mᵀ·x = b
		v := 0.0
		for j := i; j < m; j++ {
			v += l[i*n+j] * x[j]
		}
		if math.Abs(v-b[i]) > 1e-9 {
			t.Fatalf("back solve: row %d gives %g, want %g", i, v, b[i])
		}
	}
	row := make([]float64, n)
	f.Row(n-1, row)
	for j := 0; j < n-1; j++ {
		if math.Abs(row[j]-l[j*n+n-1]) > 1e-10 {
			t.Fatalf("Row: L[%d,%d] = %g, dense %g", n-1, j, row[j], l[j*n+n-1])
		}
	}
	bb := f.Border()
	for j := 0; j < 3; j++ {
		for i := j; i < 3; i++ {
			if math.Abs(bb[j*3+i]-l[(n-3+j)*n+n-3+i]) > 1e-10 {
				t.Fatalf("Border: entry (%d,%d) %g, dense %g", i, j, bb[j*3+i], l[(n-3+j)*n+n-3+i])
			}
		}
	}
}

// TestSelectedInverse: Z on the pattern equals the dense inverse of the
// non-border block.
func TestSelectedInverse(t *testing.T) {
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			pr := newProblem(sh.n, sh.border, sh.ncl, sh.size, uint64(sh.n)+5)
			s, err := Analyse(pr.p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			f := NewFactor(s)
			pr.fill(f)
			if err := f.Factorize(); err != nil {
				t.Fatal(err)
			}
			_, ap := pr.denseFactor(t, s)
			n, n0 := s.N, s.N-s.Border
			if n0 == 0 {
				return
			}
			// the inverse of L₀L₀ᵀ, A's leading n0×n0 block
			a0 := make([]float64, n0*n0)
			for j := 0; j < n0; j++ {
				copy(a0[j*n0:(j+1)*n0], ap[j*n:j*n+n0])
			}
			var fz dense.Factorizer
			if err := fz.Factor(n0, a0, n0); err != nil {
				t.Fatal(err)
			}
			linv := make([]float64, n0*n0)
			dense.LowerInverse(linv, a0, n0, n0)
			inv := make([]float64, n0*n0)
			dense.LowerCrossprod(inv, linv, n0)
			z := f.SelectedInverse()
			for j := 0; j < n0; j++ {
				for i := j; i < n0; i++ {
					if !inPattern(s, i, j) {
						continue
					}
					if got, want := s.Entry(z, i, j), inv[j*n0+i]; math.Abs(got-want) > 1e-9*(1+math.Abs(want)) {
						t.Fatalf("Z[%d,%d] = %g, dense inverse %g", i, j, got, want)
					}
				}
			}
		})
	}
}

func TestLimits(t *testing.T) {
	pr := newProblem(400, 5, 60, 40, 3)
	s, err := Analyse(pr.p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Analyse(pr.p, Options{MaxNNZ: s.NNZ / 2})
	var td *TooDenseError
	if !errors.As(err, &td) || td.NNZ <= s.NNZ/2 {
		t.Fatalf("MaxNNZ: got %v", err)
	}
	_, err = Analyse(pr.p, Options{MaxBytes: 1000})
	if !errors.As(err, &td) || td.Bytes <= 1000 {
		t.Fatalf("MaxBytes: got %v", err)
	}
	if _, err := Analyse(Pattern{N: 3, Ptr: []int{0, 1}, Rows: []int32{5}}, Options{}); err == nil {
		t.Fatal("row out of range accepted")
	}
}

// TestNotPositiveDefinite: a factorisation that meets a nonpositive pivot
// says so.
func TestNotPositiveDefinite(t *testing.T) {
	pr := newProblem(50, 2, 40, 4, 9)
	s, _ := Analyse(pr.p, Options{})
	f := NewFactor(s)
	pr.fill(f)
	col, _ := s.Column(f.Val, 10)
	_, first := s.Supernode(10)
	col[10-first] = -1
	if err := f.Factorize(); err == nil {
		t.Fatal("want an error")
	}
}

// TestFullSolveT: with no border and m = N, SolveLeadingT is the whole
// back substitution Lᵀx = b (what a draw u = P·L⁻ᵀz from N(0, A⁻¹) needs),
// against the dense factor, on every shape.
func TestFullSolveT(t *testing.T) {
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			pr := newProblem(sh.n, 0, sh.ncl, sh.size, uint64(sh.n)+9)
			s, err := Analyse(pr.p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			f := NewFactor(s)
			defer f.Close()
			pr.fill(f)
			if err := f.Factorize(); err != nil {
				t.Fatal(err)
			}
			l, _ := pr.denseFactor(t, s)
			n := s.N
			r := rand.New(rand.NewPCG(2, 3))
			b := make([]float64, n)
			for i := range b {
				b[i] = r.NormFloat64()
			}
			x := append([]float64(nil), b...)
			f.SolveLeadingT(x, n)
			for i := 0; i < n; i++ {
				v := 0.0
				for j := i; j < n; j++ {
					v += l[i*n+j] * x[j]
				}
				if math.Abs(v-b[i]) > 1e-9*(1+math.Abs(b[i])) {
					t.Fatalf("row %d of Lᵀx is %g, want %g", i, v, b[i])
				}
			}
		})
	}
}
