package family

import (
	"math"
	"testing"
)

// Derivatives checked against central differences of c itself, and c against
// the naive formula where that formula is exact enough.
func TestCumulantDerivatives(t *testing.T) {
	for _, fam := range []Code{Bernoulli, Poisson, Binomial} {
		for _, eta := range []float64{-30, -5, -0.3, 0, 0.7, 4, 25} {
			n := 7.0
			c0, c1, c2 := fam.Cumulant(eta, n)
			h := 1e-5
			p0, p1, _ := fam.Cumulant(eta+h, n)
			m0, m1, _ := fam.Cumulant(eta-h, n)
			if d := (p0 - m0) / (2 * h); math.Abs(d-c1) > 1e-6*math.Max(1, math.Abs(c1)) {
				t.Errorf("%v η=%g: c′=%g, finite difference %g", fam, eta, c1, d)
			}
			if d := (p1 - m1) / (2 * h); math.Abs(d-c2) > 1e-6*math.Max(1, math.Abs(c2)) {
				t.Errorf("%v η=%g: c″=%g, finite difference %g", fam, eta, c2, d)
			}
			var naive float64
			switch fam {
			case Poisson:
				naive = math.Exp(eta)
			case Bernoulli:
				naive = math.Log(1 + math.Exp(eta))
			case Binomial:
				naive = n * math.Log(1+math.Exp(eta))
			}
			if math.Abs(eta) < 20 && math.Abs(naive-c0) > 1e-12*math.Max(1, math.Abs(naive)) {
				t.Errorf("%v η=%g: c=%g, naive %g", fam, eta, c0, naive)
			}
		}
	}
}

func TestCumulantExtremes(t *testing.T) {
	for _, eta := range []float64{-800, 800, -1e300, 1e300} {
		c0, c1, c2 := Bernoulli.Cumulant(eta, 1)
		if math.IsNaN(c0) || math.IsNaN(c1) || math.IsNaN(c2) || c0 < 0 || c1 < 0 || c1 > 1 || c2 < 0 {
			t.Errorf("η=%g: c=%g c′=%g c″=%g", eta, c0, c1, c2)
		}
	}
}

func TestCheckResponse(t *testing.T) {
	cases := []struct {
		fam  Code
		y, n float64
		ok   bool
	}{
		{Bernoulli, 0, 1, true}, {Bernoulli, 1, 1, true}, {Bernoulli, 0.5, 1, false}, {Bernoulli, 2, 1, false},
		{Poisson, 0, 1, true}, {Poisson, 17, 1, true}, {Poisson, -1, 1, false}, {Poisson, 1.5, 1, false},
		{Binomial, 3, 5, true}, {Binomial, 6, 5, false}, {Binomial, 2, 2.5, false}, {Binomial, -1, 5, false},
	}
	for _, c := range cases {
		if got := c.fam.CheckResponse(c.y, c.n) == ""; got != c.ok {
			t.Errorf("%v y=%g n=%g: ok=%v, want %v", c.fam, c.y, c.n, got, c.ok)
		}
	}
}

func TestLogConst(t *testing.T) {
	if got, want := Binomial.LogConst(2, 5), math.Log(10); math.Abs(got-want) > 1e-12 {
		t.Errorf("binomial: %g want %g", got, want)
	}
	if got, want := Poisson.LogConst(3, 1), -math.Log(6); math.Abs(got-want) > 1e-12 {
		t.Errorf("poisson: %g want %g", got, want)
	}
}

// LogLik's derivatives match finite differences for every family, agree
// with the cumulant for the exponential families, and the negative
// binomial's LogLik + LogConstNB is its log probability.
func TestLogLik(t *testing.T) {
	for _, fam := range []Code{Bernoulli, Poisson, Binomial, NegBinomial} {
		r := 0.0
		if fam == NegBinomial {
			r = 1.7
		}
		for _, eta := range []float64{-20, -2, 0, 0.4, 3, 15} {
			y, n := 1.0, 4.0
			if fam == Poisson || fam == NegBinomial {
				y = 3
			}
			l, d1, w := fam.LogLik(y, eta, n, r)
			h := 1e-5
			lp, d1p, _ := fam.LogLik(y, eta+h, n, r)
			lm, d1m, _ := fam.LogLik(y, eta-h, n, r)
			if fd := (lp - lm) / (2 * h); math.Abs(fd-d1) > 1e-6*math.Max(1, math.Abs(d1)) {
				t.Errorf("%v η=%g: ℓ′=%g, finite difference %g", fam, eta, d1, fd)
			}
			if fd := -(d1p - d1m) / (2 * h); math.Abs(fd-w) > 1e-6*math.Max(1, math.Abs(w)) {
				t.Errorf("%v η=%g: −ℓ″=%g, finite difference %g", fam, eta, w, fd)
			}
			if w < 0 || math.IsNaN(l) {
				t.Errorf("%v η=%g: ℓ=%g −ℓ″=%g", fam, eta, l, w)
			}
			if fam != NegBinomial {
				c0, c1, c2 := fam.Cumulant(eta, n)
				if l != y*eta-c0 || d1 != y-c1 || w != c2 {
					t.Errorf("%v: LogLik disagrees with Cumulant", fam)
				}
			}
		}
	}
	// Negative binomial pmf: Γ(y+r)/(Γ(r) y!) (r/(r+μ))^r (μ/(r+μ))^y.
	for _, c := range []struct{ y, mu, r float64 }{{0, 2, 1.5}, {4, 2, 1.5}, {17, 9.3, 0.4}, {2, 0.01, 50}} {
		l, _, _ := NegBinomial.LogLik(c.y, math.Log(c.mu), 1, c.r)
		got := l + LogConstNB(c.y, c.r)
		a, _ := math.Lgamma(c.y + c.r)
		b, _ := math.Lgamma(c.r)
		d, _ := math.Lgamma(c.y + 1)
		want := a - b - d + c.r*math.Log(c.r/(c.r+c.mu)) + c.y*math.Log(c.mu/(c.r+c.mu))
		if math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
			t.Errorf("NB log pmf y=%g μ=%g r=%g: %.15g, want %.15g", c.y, c.mu, c.r, got, want)
		}
	}
	if NegBinomial.CheckDispersion(0) == "" || NegBinomial.CheckDispersion(math.Inf(1)) == "" || NegBinomial.CheckDispersion(2) != "" {
		t.Error("NB dispersion check")
	}
	if Poisson.CheckDispersion(1) == "" || Poisson.CheckDispersion(0) != "" {
		t.Error("Poisson dispersion check")
	}
	if NegBinomial.CheckResponse(2.5, 1) == "" || NegBinomial.CheckResponse(3, 1) != "" {
		t.Error("NB response check")
	}
	if c0, _, _ := NegBinomial.Cumulant(0, 1); !math.IsNaN(c0) {
		t.Error("NB cumulant should be NaN")
	}
}
