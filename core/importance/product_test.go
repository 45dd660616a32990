package importance

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/sparse"
)

// allColumns is the partition of 0..q−1 into one block.
func allColumns(q int) [][]int {
	c := make([]int, q)
	for j := range c {
		c[j] = j
	}
	return [][]int{c}
}

// TestProductOneBlock: the product of one block of all columns is the
// joint density bit for bit: the same draws, dense or sparse Σ̃⁻¹, and the
// same log density.
func TestProductOneBlock(t *testing.T) {
	const q, m = 7, 300
	dense := params(q)
	csr := dense
	csr.SigmaInv, csr.SigmaInvCSR = nil, sparse.FromDense(q, q, dense.SigmaInv)
	for name, p := range map[string]Params{"dense": dense, "csr": csr} {
		joint, err := New(q, p)
		if err != nil {
			t.Fatal(err)
		}
		prod, err := NewProduct(q, p, allColumns(q))
		if err != nil {
			t.Fatal(err)
		}
		a, b := make([]float64, m*q), make([]float64, m*q)
		joint.Draw(9, 0, m, a)
		prod.Draw(9, 0, m, b)
		lp := make([]float64, 1)
		for k := range m {
			for j := range q {
				if a[k*q+j] != b[k*q+j] {
					t.Fatalf("%s: sample %d element %d: joint %v, product %v", name, k, j, a[k*q+j], b[k*q+j])
				}
			}
			prod.LogProbs(b[k*q:(k+1)*q], lp, make([]float64, prod.ScratchLen()))
			if want := joint.LogProb(a[k*q : (k+1)*q]); lp[0] != want {
				t.Fatalf("%s: sample %d: log density %v, joint %v", name, k, lp[0], want)
			}
		}
	}
}

// mixture1 is the closed-form density of glmm's mixture in one dimension:
// p₁ t_ζ(u; 0, d) + p₂ N(u; u*, d) + p₃ N(u; u*, 1/s).
func mixture1(u, ustar, d, s, zeta float64, p [3]float64) float64 {
	lg1, _ := math.Lgamma((zeta + 1) / 2)
	lg0, _ := math.Lgamma(zeta / 2)
	t := math.Exp(lg1-lg0) / math.Sqrt(zeta*math.Pi*d) * math.Pow(1+u*u/(d*zeta), -(zeta+1)/2)
	n := func(v float64) float64 { return math.Exp(-(u-ustar)*(u-ustar)/(2*v)) / math.Sqrt(2*math.Pi*v) }
	return p[0]*t + p[1]*n(d) + p[2]*n(1/s)
}

// TestProductBlocks: with blocks of single columns (Σ̃⁻¹ diagonal), the
// product's log density is the sum of the closed-form one-dimensional
// mixtures; any range of samples is the same samples; and each column's
// draws have the mixture's mean and variance.
func TestProductBlocks(t *testing.T) {
	const q, m = 3, 60000
	p := params(q)
	for j := range q { // diagonal Σ̃⁻¹: the blocks are independent
		for i := range q {
			if i != j {
				p.SigmaInv[j*q+i] = 0
			}
		}
	}
	cols := [][]int{{0}, {1}, {2}}
	prod, err := NewProduct(q, p, cols)
	if err != nil {
		t.Fatal(err)
	}
	u := make([]float64, m*q)
	prod.Draw(3, 0, m, u)
	sub := make([]float64, 40*q)
	prod.Draw(3, 1000, 1040, sub)
	for i, v := range sub {
		if u[1000*q+i] != v {
			t.Fatalf("the range [1000, 1040) differs from the whole sample at %d", i)
		}
	}
	for k := range 5 {
		x := u[k*q : (k+1)*q]
		want := 0.0
		for j := range q {
			want += math.Log(mixture1(x[j], p.UStar[j], p.DStar[j], p.SigmaInv[j*q+j], p.Zeta, p.P))
		}
		if got := prod.LogProb(x); math.Abs(got-want) > 1e-12*math.Abs(want) {
			t.Errorf("sample %d: log density %v, closed form %v", k, got, want)
		}
	}
	for j := range q {
		var s, s2 float64
		for k := range m {
			s += u[k*q+j]
			s2 += u[k*q+j] * u[k*q+j]
		}
		mean := s / m
		d, v3 := p.DStar[j], 1/p.SigmaInv[j*q+j]
		ex2 := p.P[0]*d*p.Zeta/(p.Zeta-2) + p.P[1]*(d+p.UStar[j]*p.UStar[j]) + p.P[2]*(v3+p.UStar[j]*p.UStar[j])
		wantMean := (p.P[1] + p.P[2]) * p.UStar[j]
		sd := math.Sqrt((ex2 - wantMean*wantMean) / m)
		if math.Abs(mean-wantMean) > 5*sd {
			t.Errorf("column %d: mean %g, want %g ± %g", j, mean, wantMean, sd)
		}
	}
}

// TestProductInvalid: the blocks must partition the columns.
func TestProductInvalid(t *testing.T) {
	p := params(3)
	for _, cols := range [][][]int{nil, {{0, 1}}, {{0, 1}, {1, 2}}, {{1, 0}, {2}}, {{0}, {}, {1, 2}}, {{0, 1, 3}}} {
		if _, err := NewProduct(3, p, cols); err == nil {
			t.Errorf("blocks %v: no error", cols)
		}
	}
}
