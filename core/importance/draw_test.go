package importance

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/parallel"
	"github.com/glmmgo/glmmgo/core/response"
	"github.com/glmmgo/glmmgo/core/sparse"
	"gonum.org/v1/gonum/mat"
)

func params(q int) Params {
	imp := Params{Zeta: 5, P: [3]float64{0.3, 0.3, 0.4}, UStar: make([]float64, q), DStar: make([]float64, q), SigmaInv: make([]float64, q*q)}
	for j := range q {
		imp.UStar[j] = 0.5 * float64(j%3-1)
		imp.DStar[j] = 0.5 + 0.25*float64(j%4)
		imp.SigmaInv[j*q+j] = 1/imp.DStar[j] + 1.5
		if j > 0 {
			imp.SigmaInv[j*q+j-1], imp.SigmaInv[(j-1)*q+j] = 0.6, 0.6
		}
	}
	return imp
}

// mixture returns a density of one random effect with probabilities p.
func mixture(t *testing.T, p [3]float64) *Density {
	t.Helper()
	imp := params(1)
	imp.P = p
	d, err := New(1, imp)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestCounts(t *testing.T) {
	const m = 100000
	p := [3]float64{0.2, 0.5, 0.3}
	d := mixture(t, p)
	m1, m2, m3 := d.Counts(m, 11, 2)
	if m1+m2+m3 != m {
		t.Fatal("counts do not add up")
	}
	for i, c := range []int{m1, m2, m3} {
		sd := math.Sqrt(m * p[i] * (1 - p[i]))
		if math.Abs(float64(c)-m*p[i]) > 5*sd {
			t.Errorf("count %d = %d, expected %g ± %g", i, c, m*p[i], sd)
		}
	}
	a1, a2, _ := d.Counts(m, 11, 2)
	b1, _, _ := d.Counts(m, 12, 1)
	if a1 != m1 || a2 != m2 || b1 == m1 {
		t.Error("counts are not a function of the seed")
	}
	if z1, z2, z3 := mixture(t, [3]float64{0.5, 0.5, 0}).Counts(50, 1, 0); z3 != 0 || z1+z2 != 50 {
		t.Error("p3 = 0 gave m3 > 0")
	}
}

// TestDrawAnyRange: rows do not depend on how the matrix is cut.
func TestDrawAnyRange(t *testing.T) {
	const q, m = 7, 3*parallel.BlockSize + 50
	s, err := New(q, params(q))
	if err != nil {
		t.Fatal(err)
	}
	whole := make([]float64, m*q)
	for b := range parallel.NumBlocks(m) {
		lo, hi := parallel.BlockRange(b, m)
		s.Draw(3, lo, hi, whole[lo*q:hi*q])
	}
	for _, r := range [][2]int{{0, m}, {5, 300}, {256, 257}, {700, m}} {
		part := make([]float64, (r[1]-r[0])*q)
		s.Draw(3, r[0], r[1], part)
		for i, v := range part {
			if v != whole[r[0]*q+i] {
				t.Fatalf("range %v differs at %d", r, i)
			}
		}
	}
}

// TestComponentMoments: each component's rows have the mean and covariance
// of their distribution.
func TestComponentMoments(t *testing.T) {
	const q, m = 4, 60000
	imp := params(q)
	s, err := New(q, imp)
	if err != nil {
		t.Fatal(err)
	}
	all := make([]float64, m*q)
	s.Draw(5, 0, m, all)
	comp := make([]int, m)
	s.Components(5, 0, m, comp)
	// Regroup the rows by component (they are interleaved).
	u := make([]float64, 0, m*q)
	var cnt [3]int
	for c := range 3 {
		for k := range m {
			if comp[k] == c {
				u = append(u, all[k*q:(k+1)*q]...)
				cnt[c]++
			}
		}
	}
	m1, m2, m3 := s.Counts(m, 5, 2)
	if cnt != [3]int{m1, m2, m3} {
		t.Fatalf("components %v, counts %d %d %d", cnt, m1, m2, m3)
	}
	sig := mat.NewDense(q, q, append([]float64(nil), imp.SigmaInv...))
	var sigma mat.Dense
	if err := sigma.Inverse(sig); err != nil {
		t.Fatal(err)
	}
	check := func(name string, lo, hi int, mean []float64, cov func(i, j int) float64) {
		n := float64(hi - lo)
		for i := range q {
			var mu float64
			for k := lo; k < hi; k++ {
				mu += u[k*q+i]
			}
			mu /= n
			if se := math.Sqrt(cov(i, i) / n); math.Abs(mu-mean[i]) > 5*se {
				t.Errorf("%s: mean[%d] = %g, want %g ± %g", name, i, mu, mean[i], se)
			}
			for j := range q {
				var c float64
				for k := lo; k < hi; k++ {
					c += (u[k*q+i] - mean[i]) * (u[k*q+j] - mean[j])
				}
				c /= n
				want := cov(i, j)
				tol := 6 * math.Sqrt((cov(i, i)*cov(j, j)+want*want)/n)
				if name == "t" {
					tol *= 3 // heavier tails, larger sampling error
				}
				if math.Abs(c-want) > tol {
					t.Errorf("%s: cov[%d,%d] = %g, want %g ± %g", name, i, j, c, want, tol)
				}
			}
		}
	}
	zero := make([]float64, q)
	tvar := imp.Zeta / (imp.Zeta - 2)
	diag := func(f float64) func(i, j int) float64 {
		return func(i, j int) float64 {
			if i != j {
				return 0
			}
			return f * imp.DStar[i]
		}
	}
	check("t", 0, m1, zero, diag(tvar))
	check("N(u*,D*)", m1, m1+m2, imp.UStar, diag(1))
	check("N(u*,Sigma)", m1+m2, m, imp.UStar, func(i, j int) float64 { return sigma.At(i, j) })
}

func TestGamma(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, a := range []float64{0.4, 1, 2.5, 9} {
		const n = 100000
		var s, s2 float64
		for range n {
			g := gamma(r, a)
			s += g
			s2 += g * g
		}
		mean := s / n
		v := s2/n - mean*mean
		if math.Abs(mean-a) > 5*math.Sqrt(a/n) || math.Abs(v-a) > 0.05*a {
			t.Errorf("Gamma(%g): mean %g var %g", a, mean, v)
		}
	}
}

func TestSigmaInv(t *testing.T) {
	z, _ := sparse.FromTriplets(3, 2, []int64{0, 1, 2, 2}, []int64{0, 1, 0, 1}, []float64{1, 2, 1, 1})
	c := response.Response{Family: family.Poisson, Y: []float64{1, 2, 0}, Weights: []float64{1, 2, 0.5}}
	eta := []float64{0, math.Log(2), math.Log(3)}
	s := SigmaInv(&c, z, eta, []float64{0.5, 4})
	// Z′WZ with W = w·e^η = (1, 4, 1.5).
	want := []float64{1 + 1.5 + 2, 1.5, 1.5, 4*4 + 1.5 + 0.25}
	for i, w := range want {
		if math.Abs(s[i]-w) > 1e-12 {
			t.Errorf("SigmaInv = %v, want %v", s, want)
			break
		}
	}
}

func TestNewRejects(t *testing.T) {
	imp := params(3)
	imp.P = [3]float64{0.5, 0.6, 0}
	if _, err := New(3, imp); err == nil {
		t.Error("p summing to 1.1 accepted")
	}
	imp = params(3)
	imp.SigmaInv[0] = -5
	if _, err := New(3, imp); err == nil {
		t.Error("indefinite Sigma inverse accepted")
	}
}

// TestDrawTAtUStar: the t rows centre at u* when asked.
func TestDrawTAtUStar(t *testing.T) {
	const q, m = 3, 20000
	imp := params(q)
	imp.P = [3]float64{1, 0, 0}
	imp.TAtUStar = true
	s, err := New(q, imp)
	if err != nil {
		t.Fatal(err)
	}
	u := make([]float64, m*q)
	s.Draw(8, 0, m, u)
	for j := range q {
		var mean float64
		for k := range m {
			mean += u[k*q+j] / m
		}
		se := math.Sqrt(imp.DStar[j] * imp.Zeta / (imp.Zeta - 2) / m)
		if math.Abs(mean-imp.UStar[j]) > 5*se {
			t.Errorf("column %d: mean %g, want u* = %g", j, mean, imp.UStar[j])
		}
	}
}
