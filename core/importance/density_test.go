package importance

import (
	"math"
	"testing"
)

// With q = 1 each component has a textbook density: Student's t scaled by
// √D*, and normals. Mixing them by hand checks the constants.
func TestOneDimensionalClosedForm(t *testing.T) {
	const zeta, dstar, ustar, sinv = 4.0, 2.0, 0.5, 3.0
	d, err := New(1, Params{Zeta: zeta, P: [3]float64{0.2, 0.3, 0.5}, UStar: []float64{ustar}, DStar: []float64{dstar}, SigmaInv: []float64{sinv}})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []float64{-3, -0.2, 0, 1.1, 7} {
		x := u / math.Sqrt(dstar)
		lg1, _ := math.Lgamma((zeta + 1) / 2)
		lg2, _ := math.Lgamma(zeta / 2)
		tdens := math.Exp(lg1-lg2) / math.Sqrt(zeta*math.Pi) * math.Pow(1+x*x/zeta, -(zeta+1)/2) / math.Sqrt(dstar)
		n1 := math.Exp(-(u-ustar)*(u-ustar)/(2*dstar)) / math.Sqrt(2*math.Pi*dstar)
		n2 := math.Exp(-(u-ustar)*(u-ustar)*sinv/2) * math.Sqrt(sinv/(2*math.Pi))
		want := math.Log(0.2*tdens + 0.3*n1 + 0.5*n2)
		if got := d.LogProb([]float64{u}); math.Abs(got-want) > 1e-13*math.Max(1, math.Abs(want)) {
			t.Errorf("u=%g: log f̃ = %.15g, closed form %.15g", u, got, want)
		}
	}
}

// Far in the tails every component underflows in linear scale; the log-space
// mixture must still be finite and dominated by the t.
func TestTailsStayFinite(t *testing.T) {
	d, err := New(2, Params{Zeta: 5, P: [3]float64{0.5, 0.5, 0}, UStar: []float64{0, 0}, DStar: []float64{1, 1}})
	if err != nil {
		t.Fatal(err)
	}
	got := d.LogProb([]float64{1e4, -1e4})
	if math.IsInf(got, 0) || math.IsNaN(got) || got > -30 {
		t.Errorf("log density in the far tail = %v", got)
	}
}

// TestSparseQuadMatchesFactor: the sparse evaluation of (u−u*)′Σ̃⁻¹(u−u*)
// agrees with the Cholesky-factor one.
func TestSparseQuadMatchesFactor(t *testing.T) {
	const q = 12
	p := Params{Zeta: 4, P: [3]float64{0.2, 0.3, 0.5}, UStar: make([]float64, q), DStar: make([]float64, q), SigmaInv: make([]float64, q*q)}
	for j := 0; j < q; j++ {
		p.UStar[j] = 0.1 * float64(j-5)
		p.DStar[j] = 1 + 0.1*float64(j)
		p.SigmaInv[j*q+j] = 3 + 0.2*float64(j)
		if j >= 3 {
			p.SigmaInv[j*q+j-3], p.SigmaInv[(j-3)*q+j] = -0.7, -0.7
		}
	}
	d, err := New(q, p)
	if err != nil {
		t.Fatal(err)
	}
	if d.sigInvSparse == nil {
		t.Fatal("a banded Sigma inverse was not stored sparse")
	}
	dense := *d
	dense.sigInvSparse = nil
	u := make([]float64, q)
	for k := 0; k < 20; k++ {
		for j := range u {
			u[j] = math.Sin(float64(k*q+j)) * 2
		}
		a, b := d.LogProb(u), dense.LogProb(u)
		if math.Abs(a-b) > 1e-12*math.Max(1, math.Abs(b)) {
			t.Errorf("sample %d: sparse %.15g, factor %.15g", k, a, b)
		}
	}
}

// TestTAtUStar: with TAtUStar the t component is centred at u*: at q = 1
// with p = (1, 0, 0) the density is the shifted t's.
func TestTAtUStar(t *testing.T) {
	p := Params{Zeta: 3, P: [3]float64{1, 0, 0}, UStar: []float64{0.7}, DStar: []float64{2}, TAtUStar: true}
	d, err := New(1, p)
	if err != nil {
		t.Fatal(err)
	}
	p.TAtUStar = false
	d0, _ := New(1, p)
	for _, u := range []float64{-2, 0, 0.7, 3} {
		if got, want := d.LogProb([]float64{u}), d0.LogProb([]float64{u - 0.7}); math.Abs(got-want) > 1e-14 {
			t.Errorf("u = %g: %v, want %v", u, got, want)
		}
	}
}

// TestLgammaDiffStable: log Γ(a+h) − log Γ(a) against the exact values for
// whole h (sums of logs) from tiny to the largest a, across the switch to
// Stirling's series; and the t density's constant stays finite for every
// finite ζ > 0.
func TestLgammaDiffStable(t *testing.T) {
	for _, a := range []float64{1e-3, 0.5, 3, 99.5, 100, 150.25, 9999.5, 1e4, 2e4, 1e6, 1e12, 1e100, 1e300, math.MaxFloat64 / 4} {
		for _, h := range []float64{1, 2, 3, 40} {
			var want float64
			for k := 0.0; k < h; k++ {
				want += math.Log(a + k)
			}
			got := lgammaDiff(a, h)
			if math.Abs(got-want) > 2e-13+1e-14*math.Abs(want) {
				t.Errorf("lgammaDiff(%g, %g) = %.17g, want %.17g", a, h, got, want)
			}
		}
	}
	for _, zeta := range []float64{5e-324, 1e-300, 1, 5, 1e8, 1e200, math.MaxFloat64} {
		d, err := New(2, Params{Zeta: zeta, P: [3]float64{1, 0, 0}, UStar: []float64{0, 0}, DStar: []float64{1, 2}})
		if err != nil {
			t.Fatalf("zeta %g: %v", zeta, err)
		}
		if lf := d.LogProb([]float64{0.5, -1}); math.IsNaN(lf) || math.IsInf(lf, 1) {
			t.Errorf("zeta %g: log density %g", zeta, lf)
		}
	}
	// ζ → ∞: the t density tends to the normal N(0, D*).
	d, _ := New(2, Params{Zeta: 1e12, P: [3]float64{1, 0, 0}, UStar: []float64{0, 0}, DStar: []float64{1, 2}})
	u := []float64{0.5, -1}
	normal := -math.Log(2*math.Pi) - 0.5*math.Log(2) - 0.5*(0.25+0.5)
	if got := d.LogProb(u); math.Abs(got-normal) > 1e-9 {
		t.Errorf("t with ζ = 1e12: log density %.15g, normal %.15g", got, normal)
	}
}
