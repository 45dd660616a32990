// Package family holds the exponential-family responses of glmm's GLMMs in
// canonical form. With linear predictor η and trials N, the log-likelihood of
// one observation is, up to a constant that depends on y alone,
//
//	y·η − c(η)
//
// where c is the cumulant function:
//
//	Bernoulli  c(η) = log(1 + e^η)
//	binomial   c(η) = N·log(1 + e^η)
//	Poisson    c(η) = e^η
//
// c′(η) is the mean and c″(η) the variance. glmm (and so glmmgo's MCLA value)
// omits the constant (binomial coefficients, log y!); LogConst returns it for
// callers that want the full log-likelihood.
//
// Negative binomial (code 4, glmmgo's addition; the glmm parallel-computing
// paper lists it as future work) is not of this form with an unbounded
// linear predictor: its canonical parameter log(μ/(μ+r)) is negative, so
// glmmgo uses the log link η = log μ, the usual choice for count GLMMs. With
// a known dispersion (size) r > 0, Var y = μ + μ²/r, and
//
//	ℓ(η) = y·η − (y + r)·log(1 + e^η/r)
//
// which is the binomial kernel y·η′ − N′·log(1 + e^{η′}) at η′ = η − log r
// with N′ = y + r "trials", plus y·log r. ℓ′ = y − (y+r)p and
// −ℓ″ = (y+r)p(1−p) with p = μ/(μ+r) = logistic(η − log r): the curvature
// depends on y, so NB has no cumulant c(η); LogLik serves every family.
// The dispersion is never estimated silently: callers pass r explicitly.
package family

import (
	"fmt"
	"math"

	"github.com/glmmgo/glmmgo/core/fastmath"
)

// Code identifies a family across the C ABI.
type Code int32

// Family codes as the C header defines them.
const (
	Bernoulli Code = 1
	Poisson   Code = 2
	Binomial  Code = 3
	// NegBinomial is the negative binomial with log link and a known
	// dispersion r (see the package comment).
	NegBinomial Code = 4
)

func (c Code) String() string {
	switch c {
	case Bernoulli:
		return "bernoulli"
	case Poisson:
		return "poisson"
	case Binomial:
		return "binomial"
	case NegBinomial:
		return "negative binomial"
	}
	return fmt.Sprintf("family(%d)", int32(c))
}

// Valid reports whether c names a family.
func (c Code) Valid() bool { return c >= Bernoulli && c <= NegBinomial }

// NeedsDispersion reports whether the family has a dispersion parameter.
func (c Code) NeedsDispersion() bool { return c == NegBinomial }

// CheckDispersion reports why r is not a valid dispersion for the family, or
// "" when it is. Families without one require r = 0 (unused).
func (c Code) CheckDispersion(r float64) string {
	if c.NeedsDispersion() {
		if !(r > 0) || math.IsInf(r, 0) {
			return fmt.Sprintf("is %g; the %v family needs a positive, finite dispersion (size) r, Var y = mu + mu^2/r", r, c)
		}
		return ""
	}
	if r != 0 {
		return fmt.Sprintf("is %g; the %v family has no dispersion parameter (pass 0)", r, c)
	}
	return ""
}

// LogLik returns, for one observation with response y, trials n (binomial
// only) and dispersion r (negative binomial only) at linear predictor η,
// the log-likelihood without its constant (LogConst), its derivative ℓ′ and
// the curvature w = −ℓ″ ≥ 0. For the exponential families this is
// (y·η − c, y − c′, c″).
func (c Code) LogLik(y, eta, n, r float64) (l, d1, w float64) {
	if c == NegBinomial {
		lr := math.Log(r)
		l, tp, tpq := NegBinTerms(y, eta-lr, r, lr)
		return y*eta - l, y - tp, tpq
	}
	c0, c1, c2 := c.Cumulant(eta, n)
	return y*eta - c0, y - c1, c2
}

// Cumulant evaluates c, c′ and c″ at η for one observation with n trials (n
// is ignored by Bernoulli and Poisson). It is the innermost kernel of every
// objective, so it is a switch on a small integer rather than an interface.
// It is defined for the exponential families only: for NegBinomial, which
// has no cumulant (see the package comment), it returns NaNs; use LogLik.
func (c Code) Cumulant(eta, n float64) (c0, c1, c2 float64) {
	if c == NegBinomial {
		return math.NaN(), math.NaN(), math.NaN()
	}
	if c == Poisson {
		e := fastmath.Exp(eta)
		return e, e, e
	}
	l, p, pq := fastmath.Logistic(eta)
	if c == Binomial {
		return n * l, n * p, n * pq
	}
	return l, p, pq
}

// CheckResponse reports why y (with n trials) is outside the family's
// support, or "" when it is inside.
func (c Code) CheckResponse(y, n float64) string {
	switch c {
	case Bernoulli:
		if y != 0 && y != 1 {
			return "must be 0 or 1 for the Bernoulli family"
		}
	case Poisson, NegBinomial:
		if y < 0 || y != math.Trunc(y) {
			return "must be a non-negative integer for the " + c.String() + " family"
		}
	case Binomial:
		if n < 0 || n != math.Trunc(n) {
			return "trials must be a non-negative integer"
		}
		if y < 0 || y > n || y != math.Trunc(y) {
			return "must be an integer between 0 and the number of trials"
		}
	}
	return ""
}

// LogConst is the term of the log-likelihood glmm drops: log C(n, y) for
// binomial, −log y! for Poisson, 0 for Bernoulli. For the negative binomial
// use LogConstNB, which needs the dispersion.
func (c Code) LogConst(y, n float64) float64 {
	switch c {
	case Poisson:
		lg, _ := math.Lgamma(y + 1)
		return -lg
	case Binomial:
		a, _ := math.Lgamma(n + 1)
		b, _ := math.Lgamma(y + 1)
		d, _ := math.Lgamma(n - y + 1)
		return a - b - d
	}
	return 0
}

// LogConstNB is what LogLik omits from the negative binomial log-likelihood
// with dispersion r: log Γ(y+r) − log Γ(r) − log y! − y·log r. It does not
// depend on η, but it does on r, so it matters when comparing dispersions.
func LogConstNB(y, r float64) float64 {
	a, _ := math.Lgamma(y + r)
	b, _ := math.Lgamma(r)
	d, _ := math.Lgamma(y + 1)
	return a - b - d - y*math.Log(r)
}
