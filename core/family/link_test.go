package family

import (
	"math"
	"testing"
)

// linkCases are the family and link pairs At serves.
var linkCases = []struct {
	fam  Code
	link Link
	n, r float64
}{
	{Bernoulli, Logit, 1, 0}, {Bernoulli, Probit, 1, 0}, {Bernoulli, CLogLog, 1, 0},
	{Binomial, DefaultLink, 5, 0}, {Binomial, Probit, 5, 0}, {Binomial, CLogLog, 5, 0},
	{Poisson, Log, 1, 0}, {NegBinomial, DefaultLink, 1, 2.5},
}

// TestAtDerivatives: the score is dℓ/dη by central differences, and the
// Fisher information is the expectation of −ℓ″ (by differences) over y's
// distribution at η, summed over the support (counts truncated where the
// tail is below 1e−14).
func TestAtDerivatives(t *testing.T) {
	for _, c := range linkCases {
		for _, eta := range []float64{-3, -0.4, 0, 0.8, 2.2} {
			mean := c.fam.At(c.link, 0, eta, c.n, c.r).Mean
			var fisher float64
			for y := 0.0; y <= 200; y++ {
				pr := prob(c.fam, y, mean, c.n, c.r)
				if c.fam.CheckResponse(y, c.n) != "" || pr == 0 {
					continue
				}
				pt := c.fam.At(c.link, y, eta, c.n, c.r)
				h := 1e-4
				lp := c.fam.At(c.link, y, eta+h, c.n, c.r).LogLik
				lm := c.fam.At(c.link, y, eta-h, c.n, c.r).LogLik
				if d := (lp - lm) / (2 * h); math.Abs(d-pt.Score) > 1e-6*math.Max(1, math.Abs(d)) {
					t.Errorf("%v/%v y=%g η=%g: score %g, difference %g", c.fam, c.link, y, eta, pt.Score, d)
				}
				fisher += pr * -(lp - 2*pt.LogLik + lm) / (h * h)
			}
			got := c.fam.At(c.link, 1, eta, c.n, c.r).Fisher
			if math.Abs(got-fisher) > 1e-5*math.Max(1, fisher) {
				t.Errorf("%v/%v η=%g: Fisher %g, expected −ℓ″ %g", c.fam, c.link, eta, got, fisher)
			}
		}
	}
}

// prob is P(Y = y) at mean μ, with its constant.
func prob(c Code, y, mu, n, r float64) float64 {
	switch c {
	case Bernoulli:
		return map[bool]float64{true: mu, false: 1 - mu}[y == 1]
	case Binomial:
		p := mu / n
		return math.Exp(c.LogConst(y, n) + y*math.Log(p) + (n-y)*math.Log1p(-p))
	case Poisson:
		return math.Exp(c.LogConst(y, 1) + y*math.Log(mu) - mu)
	}
	return math.Exp(LogConstNB(y, r) + y*math.Log(r) + r*math.Log(r/(r+mu)) + y*math.Log(mu/(r+mu)))
}

// TestAtMeans: the inverse links against their closed forms.
func TestAtMeans(t *testing.T) {
	for _, eta := range []float64{-2, 0, 1.5} {
		want := map[Link]float64{Logit: 1 / (1 + math.Exp(-eta)), Probit: 0.5 * math.Erfc(-eta/math.Sqrt2),
			CLogLog: 1 - math.Exp(-math.Exp(eta))}
		for l, w := range want {
			if got := Binomial.At(l, 1, eta, 4, 0).Mean; math.Abs(got-4*w) > 1e-14 {
				t.Errorf("%v η=%g: mean %g, want %g", l, eta, got, 4*w)
			}
		}
		if got := Poisson.At(Log, 1, eta, 1, 0).Mean; math.Abs(got-math.Exp(eta)) > 1e-14*math.Exp(eta) {
			t.Errorf("poisson η=%g: mean %g", eta, got)
		}
	}
}

// TestAtExtremes: no NaN, a finite or −∞ log-likelihood and a non-negative
// information however far η goes.
func TestAtExtremes(t *testing.T) {
	for _, c := range linkCases {
		for _, eta := range []float64{-1e4, -800, -40, -38, 38, 40, 800} {
			if c.fam == Poisson || c.fam == NegBinomial {
				if eta > 700 {
					continue // e^η overflows: a count model has no mean there
				}
			}
			for _, y := range []float64{0, 1} {
				pt := c.fam.At(c.link, y, eta, c.n, c.r)
				if math.IsNaN(pt.LogLik) || math.IsNaN(pt.Score) || math.IsNaN(pt.Fisher) || pt.Fisher < 0 || math.IsInf(pt.LogLik, 1) {
					t.Errorf("%v/%v y=%g η=%g: %+v", c.fam, c.link, y, eta, pt)
				}
			}
		}
	}
}

// TestSaturated: the saturated log-likelihood is the log-likelihood at the
// mean y, and the largest one.
func TestSaturated(t *testing.T) {
	for _, c := range linkCases {
		for _, y := range []float64{0, 1, 3} {
			if c.fam.CheckResponse(y, c.n) != "" {
				continue
			}
			s := c.fam.Saturated(y, c.n, c.r)
			for _, eta := range []float64{-2, 0, 1} {
				if l := c.fam.At(c.link, y, eta, c.n, c.r).LogLik; l > s+1e-12 {
					t.Errorf("%v y=%g: ℓ(%g) = %g above the saturated %g", c.fam, y, eta, l, s)
				}
			}
			if y > 0 && y < c.n || c.fam == Poisson || c.fam == NegBinomial {
				var eta float64
				switch c.fam.Resolve(c.link) {
				case Logit:
					eta = math.Log(y / (c.n - y))
				case Log:
					eta = math.Log(y)
				default:
					continue
				}
				if y == 0 {
					continue
				}
				if l := c.fam.At(c.link, y, eta, c.n, c.r).LogLik; math.Abs(l-s) > 1e-12*math.Max(1, math.Abs(s)) {
					t.Errorf("%v y=%g: ℓ at the mean y is %g, saturated %g", c.fam, y, l, s)
				}
			}
		}
	}
}

func TestCheckLink(t *testing.T) {
	for _, c := range linkCases {
		if msg := c.fam.CheckLink(c.link); msg != "" {
			t.Errorf("%v/%v: %s", c.fam, c.link, msg)
		}
	}
	for _, bad := range []struct {
		fam  Code
		link Link
	}{{Poisson, Logit}, {Bernoulli, Log}, {NegBinomial, Probit}, {Binomial, Link(9)}} {
		if msg := bad.fam.CheckLink(bad.link); msg == "" {
			t.Errorf("%v/%v accepted", bad.fam, bad.link)
		}
	}
}
