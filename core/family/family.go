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
)

func (c Code) String() string {
	switch c {
	case Bernoulli:
		return "bernoulli"
	case Poisson:
		return "poisson"
	case Binomial:
		return "binomial"
	}
	return fmt.Sprintf("family(%d)", int32(c))
}

// Valid reports whether c names a family.
func (c Code) Valid() bool { return c == Bernoulli || c == Poisson || c == Binomial }

// Cumulant evaluates c, c′ and c″ at η for one observation with n trials (n
// is ignored by Bernoulli and Poisson). It is the innermost kernel of every
// objective, so it is a switch on a small integer rather than an interface.
func (c Code) Cumulant(eta, n float64) (c0, c1, c2 float64) {
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
	case Poisson:
		if y < 0 || y != math.Trunc(y) {
			return "must be a non-negative integer for the Poisson family"
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
// binomial, −log y! for Poisson, 0 for Bernoulli.
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
