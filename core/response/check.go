package response

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/family"
)

// Check runs every check of a response of n observations in the order
// below and returns the first failure, an invalid-argument error naming
// the argument (family, link, dispersion, y, ntrials, weights, offset).
func (r *Response) Check(n int) error {
	for _, check := range []func() error{
		r.CheckFamily, r.CheckLink, r.CheckDispersion, func() error { return r.CheckLengths(n) },
		r.CheckFinite, r.CheckWeights, r.CheckSupport, r.CheckTrials,
	} {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

// CheckFamily: the family code is one of package family's.
func (r *Response) CheckFamily() error {
	if !r.Family.Valid() {
		return errs.Invalidf("family", "is %d; use 1 (Bernoulli), 2 (Poisson), 3 (binomial) or 4 (negative binomial)", int32(r.Family))
	}
	return nil
}

// CheckLink: the link is one of the family's (package family's CheckLink).
func (r *Response) CheckLink() error {
	if msg := r.Family.CheckLink(r.Link); msg != "" {
		return errs.Invalidf("link", "%s", msg)
	}
	return nil
}

// CheckDefaultLink: the link is the family's default, the only one the
// engines that read LogLik (MCLA, its PQL and importance density) serve.
func (r *Response) CheckDefaultLink() error {
	if r.Family.Resolve(r.Link) != r.Family.Resolve(family.DefaultLink) {
		return errs.Invalidf("link", "%v: this engine serves only the %v family's default link (%v)", r.Link, r.Family, r.Family.Resolve(family.DefaultLink))
	}
	return nil
}

// CheckPositiveTrials: every binomial observation has at least one trial
// (an observation of zero trials carries no information: drop it).
func (r *Response) CheckPositiveTrials() error {
	for i, v := range r.Trials {
		if r.Family == family.Binomial && v < 1 {
			return errs.Invalidf("ntrials", "element %d is %g; every binomial observation needs at least one trial", i, v)
		}
	}
	return nil
}

// CheckDispersion: a positive, finite size for the negative binomial, 0
// for the other families.
func (r *Response) CheckDispersion() error {
	if msg := r.Family.CheckDispersion(r.Dispersion); msg != "" {
		return errs.Invalidf("dispersion", "%s", msg)
	}
	return nil
}

// CheckLengths: y has n elements, and so have trials, weights and offset
// where given.
func (r *Response) CheckLengths(n int) error {
	if len(r.Y) != n {
		return errs.Invalidf("y", "has length %d, want n = %d", len(r.Y), n)
	}
	for _, v := range []struct {
		arg string
		s   []float64
	}{{"ntrials", r.Trials}, {"weights", r.Weights}, {"offset", r.Offset}} {
		if v.s != nil && len(v.s) != n {
			return errs.Invalidf(v.arg, "has length %d, want n = %d", len(v.s), n)
		}
	}
	return nil
}

// CheckFinite: no NaN or infinity in trials, weights, y or offset.
func (r *Response) CheckFinite() error {
	for _, v := range []struct {
		arg string
		s   []float64
	}{{"ntrials", r.Trials}, {"weights", r.Weights}, {"y", r.Y}, {"offset", r.Offset}} {
		if err := CheckFinite(v.arg, v.s); err != nil {
			return err
		}
	}
	return nil
}

// CheckFinite reports the first NaN or infinite element of v, naming arg.
func CheckFinite(arg string, v []float64) error {
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return errs.Invalidf(arg, "element %d is %g; must be finite", i, x)
		}
	}
	return nil
}

// CheckWeights: weights are non-negative, not all zero, and their sum is
// at most MaxWeightSum.
func (r *Response) CheckWeights() error {
	if r.Weights == nil {
		return nil
	}
	var sum float64
	for i, v := range r.Weights {
		if v < 0 {
			return errs.Invalidf("weights", "element %d is %g; weights must be non-negative", i, v)
		}
		sum += v
	}
	if sum == 0 {
		return errs.Invalidf("weights", "are all zero")
	}
	if sum > MaxWeightSum {
		return errs.Invalidf("weights", "add up to %g, above %g: the weighted log-likelihood and its derivatives would overflow in double precision; rescale the weights", sum, MaxWeightSum)
	}
	return nil
}

// MaxWeightSum bounds Σwᵢ so that the weighted log-likelihood, its
// gradient and its Hessian (sums of wᵢ times per-observation terms) stay
// finite: a weight of 1e308 made the first evaluation +Inf.
const MaxWeightSum = 1e150

// CheckSupport: every yᵢ lies in the family's support given its trials
// (0/1 for Bernoulli, non-negative integers for counts, 0..Nᵢ for the
// binomial); a binomial Nᵢ that is not a non-negative integer is reported
// as the trials' fault.
func (r *Response) CheckSupport() error {
	for i, y := range r.Y {
		nt := r.Trial(i)
		if msg := r.Family.CheckResponse(y, nt); msg != "" {
			if r.Family == family.Binomial && (nt < 0 || nt != math.Trunc(nt)) {
				return errs.Invalidf("ntrials", "element %d is %g: %s", i, nt, msg)
			}
			return errs.Invalidf("y", "element %d is %g: %s", i, y, msg)
		}
	}
	return nil
}

// CheckTrials: only the binomial family has trials other than one.
func (r *Response) CheckTrials() error {
	if r.Family == family.Binomial {
		return nil
	}
	for i, v := range r.Trials {
		if v != 1 {
			return errs.Invalidf("ntrials", "element %d is %g; the %v family has one trial per observation (pass NULL)", i, v, r.Family)
		}
	}
	return nil
}
