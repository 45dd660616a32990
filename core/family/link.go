package family

import (
	"fmt"
	"math"

	"github.com/glmmgo/glmmgo/core/fastmath"
)

// Link is the link function g of a generalised linear model, η = g(p),
// where p is the success probability (Bernoulli, binomial) or the mean
// (Poisson, negative binomial). DefaultLink selects the family's usual link:
// logit for the Bernoulli and binomial families, log for the counts; for
// all but the negative binomial that is the canonical link.
type Link int32

// Link codes as the C header defines them.
const (
	DefaultLink Link = 0
	Logit       Link = 1
	Probit      Link = 2
	CLogLog     Link = 3
	Log         Link = 4
)

func (l Link) String() string {
	switch l {
	case DefaultLink:
		return "default"
	case Logit:
		return "logit"
	case Probit:
		return "probit"
	case CLogLog:
		return "cloglog"
	case Log:
		return "log"
	}
	return fmt.Sprintf("link(%d)", int32(l))
}

// Resolve returns the link l stands for in family c: DefaultLink becomes
// the family's usual link, other links are returned unchanged.
func (c Code) Resolve(l Link) Link {
	if l != DefaultLink {
		return l
	}
	if c == Bernoulli || c == Binomial {
		return Logit
	}
	return Log
}

// CheckLink reports why l is not a link of family c, or "" when it is:
// logit, probit and cloglog for the Bernoulli and binomial families, log
// for the counts.
func (c Code) CheckLink(l Link) string {
	switch c.Resolve(l) {
	case Logit, Probit, CLogLog:
		if c == Bernoulli || c == Binomial {
			return ""
		}
	case Log:
		if c == Poisson || c == NegBinomial {
			return ""
		}
	default:
		return fmt.Sprintf("is %d; use 0 (the family's default), 1 (logit), 2 (probit), 3 (cloglog) or 4 (log)", int32(l))
	}
	return fmt.Sprintf("%v is not a link of the %v family (binomial and Bernoulli: logit, probit, cloglog; counts: log)", l, c)
}

// Point is one observation's log-likelihood at a linear predictor η under
// a family and link, with what Fisher scoring needs.
type Point struct {
	LogLik float64 // ℓ(η) without the constant LogConst omits
	Score  float64 // dℓ/dη
	Fisher float64 // E[−d²ℓ/dη²] = (dμ/dη)²/Var y ≥ 0, the working weight of Fisher scoring; −ℓ″ itself for canonical links
	Mean   float64 // E y: N·p for the binomial, p for Bernoulli, the mean for counts
}

// At evaluates observation y (with n trials for the binomial and
// dispersion r for the negative binomial) at η under link l (a valid link
// of c, see CheckLink). For the default links of Bernoulli, binomial and
// Poisson the three numbers are LogLik's; for the negative binomial Fisher
// is the expected information r·p, p = μ/(μ+r), where LogLik returns the
// observed (y+r)·p·(1−p).
func (c Code) At(l Link, y, eta, n, r float64) Point {
	switch c.Resolve(l) {
	case Probit:
		return binomialAt(probit(eta), y, c.trials(n))
	case CLogLog:
		return binomialAt(cloglog(eta), y, c.trials(n))
	}
	ll, d1, w := c.LogLik(y, eta, n, r)
	pt := Point{LogLik: ll, Score: d1, Fisher: w}
	switch c {
	case NegBinomial:
		_, p, _ := fastmath.Logistic(eta - math.Log(r))
		pt.Fisher, pt.Mean = r*p, fastmath.Exp(eta)
	case Poisson:
		pt.Mean = w
	case Bernoulli, Binomial:
		_, p, _ := fastmath.Logistic(eta)
		pt.Mean = c.trials(n) * p
	}
	return pt
}

// trials is n for the binomial family and 1 for Bernoulli.
func (c Code) trials(n float64) float64 {
	if c == Binomial {
		return n
	}
	return 1
}

// binaryLink is an inverse link for a success probability at one η: log p
// and log(1−p), and the ratios (dp/dη)/p and (dp/dη)/(1−p), each computed
// without forming a vanishing p or 1−p first.
type binaryLink struct {
	logP, logQ float64
	dOverP     float64
	dOverQ     float64
}

// binomialAt is the binomial log-likelihood y·log p + (n−y)·log(1−p) with
// its score and Fisher information n·(dp/dη)²/(p(1−p)), for any link.
func binomialAt(b binaryLink, y, n float64) Point {
	pt := Point{Mean: n * math.Exp(b.logP)}
	if y > 0 {
		pt.LogLik += y * b.logP
		pt.Score += y * b.dOverP
	}
	if n-y > 0 {
		pt.LogLik += (n - y) * b.logQ
		pt.Score -= (n - y) * b.dOverQ
	}
	if b.dOverP != 0 && b.dOverQ != 0 { // 0·∞ at the extremes is a zero information
		pt.Fisher = n * b.dOverP * b.dOverQ
	}
	return pt
}

// probit is p = Φ(η). The ratios φ/Φ at ±η are Mills ratios.
func probit(eta float64) binaryLink {
	return binaryLink{logP: logPhi(eta), logQ: logPhi(-eta), dOverP: millsRatio(eta), dOverQ: millsRatio(-eta)}
}

// probitTail is where Φ(x) is computed from its asymptotic series rather
// than erfc: Φ(−37) ≈ 5.7e−300 is still a normal double.
const probitTail = -37.0

// logPhi is log Φ(x).
func logPhi(x float64) float64 {
	if x >= probitTail {
		return math.Log(0.5 * math.Erfc(-x/math.Sqrt2))
	}
	return -x*x/2 - 0.5*math.Log(2*math.Pi) - math.Log(millsRatio(x))
}

// millsRatio is φ(x)/Φ(x); below probitTail from the asymptotic expansion
// Φ(x) ≈ φ(x)/(−x)·(1 − 1/x² + 3/x⁴ − 15/x⁶) (Abramowitz and Stegun
// 26.2.12), whose error there is below 1e−11 relative.
func millsRatio(x float64) float64 {
	if x >= probitTail {
		phi := math.Exp(-x*x/2) / math.Sqrt(2*math.Pi)
		return phi / (0.5 * math.Erfc(-x/math.Sqrt2))
	}
	x2 := 1 / (x * x)
	return -x / (1 - x2 + 3*x2*x2 - 15*x2*x2*x2)
}

// cloglog is p = 1 − exp(−e^η): log(1−p) = −e^η, dp/dη = e^η·(1−p), so
// (dp/dη)/(1−p) = e^η and (dp/dη)/p = e^η/(e^{e^η} − 1).
// At the extremes the ratio takes its limits: 1 as e^η → 0, 0 once
// e^{e^η} overflows.
func cloglog(eta float64) binaryLink {
	e := math.Exp(eta)
	b := binaryLink{logP: math.Log(-math.Expm1(-e)), logQ: -e, dOverQ: e}
	switch {
	case e == 0:
		b.dOverP = 1
	case e > 700:
		b.dOverP = 0
	default:
		b.dOverP = e / math.Expm1(e)
	}
	return b
}

// Saturated is an observation's ℓ (without LogConst's constant) at the
// saturated fit, the mean equal to y: y·log(y/n) + (n−y)·log(1−y/n) for
// the binomial, y·log y − y for Poisson, y·log y − (y+r)·log((y+r)/r) for
// the negative binomial (0·log 0 = 0). It does not depend on the link.
// 2·(Saturated − LogLik) is the observation's deviance.
func (c Code) Saturated(y, n, r float64) float64 {
	switch c {
	case Bernoulli:
		return 0
	case Binomial:
		return xlogx(y/n)*n + xlogx((n-y)/n)*n
	case Poisson:
		return xlogx(y) - y
	case NegBinomial:
		return xlogx(y) - (y+r)*math.Log1p(y/r)
	}
	return math.NaN()
}

// xlogx is x·log x, 0 at x = 0.
func xlogx(x float64) float64 {
	if x == 0 {
		return 0
	}
	return x * math.Log(x)
}

// Variance is Var y at mean μ (N·p for the binomial): μ(N−μ)/N for the
// binomial and Bernoulli, μ for Poisson, μ + μ²/r for the negative
// binomial.
func (c Code) Variance(mu, n, r float64) float64 {
	switch c {
	case Bernoulli:
		return mu * (1 - mu)
	case Binomial:
		return mu * (n - mu) / n
	case Poisson:
		return mu
	case NegBinomial:
		return mu + mu*mu/r
	}
	return math.NaN()
}
