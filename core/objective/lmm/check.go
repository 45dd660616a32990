package lmm

import (
	"fmt"
	"math"

	"github.com/glmmgo/glmmgo/core/budget"
	"github.com/glmmgo/glmmgo/core/errs"
)

// The checks of New and Refill, one per rule, in the order New applies
// them (as lme4's checkNlevels, checkZdims, … are named functions). Each
// names the argument at fault; none allocates anything sized by a count
// before that count is checked.

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// DataBytes is the memory a model takes for its copies of data with n
// observations, p columns of X and nterms terms of zcols columns in all:
// X and its weighted copy, the terms' level codes and model matrices (and
// their weighted copies), and per-observation vectors. The blocked factor
// comes on top and is checked when its structure is known.
func DataBytes(n, p, nterms, zcols int) float64 {
	return budget.Doubles(n, 3*p+3*zcols+2*nterms+6)
}

// NeedData checks DataBytes against the memory limit, naming n.
func NeedData(n, p, nterms, zcols int) error {
	return budget.Need("n", fmt.Sprintf("the model's copy of the data (n = %d observations, p = %d, %d terms with %d columns)", n, p, nterms, zcols),
		DataBytes(n, p, nterms, zcols))
}

// checkResponse: at least one observation, every response finite.
func checkResponse(y []float64) error {
	if len(y) == 0 {
		return errs.Invalidf("y", "no observations")
	}
	for i, v := range y {
		if !finite(v) {
			return errs.Invalidf("y", "element %d is %g", i, v)
		}
	}
	return nil
}

// checkFixed: X is n×p with 0 ≤ p ≤ n, finite, with p names if named.
func checkFixed(x []float64, p, n int, names []string) error {
	if p < 0 {
		return errs.Invalidf("p", "negative number of columns %d", p)
	}
	if p > n {
		return errs.Invalidf("X", "%d fixed effects for %d observations", p, n)
	}
	if len(x) != n*p {
		return errs.Invalidf("X", "length %d, want n·p = %d·%d", len(x), n, p)
	}
	for i, v := range x {
		if !finite(v) {
			return errs.Invalidf("X", "element (%d,%d) is %g", i%n, i/n, v)
		}
	}
	if names != nil && len(names) != p {
		return errs.Invalidf("xnames", "%d names for %d columns", len(names), p)
	}
	return nil
}

// checkWeights: nil, or n positive finite weights.
func checkWeights(w []float64, n int) error {
	if w == nil {
		return nil
	}
	if len(w) != n {
		return errs.Invalidf("weights", "length %d, want %d", len(w), n)
	}
	for i, v := range w {
		if !finite(v) || !(v > 0) {
			return errs.Invalidf("weights", "element %d is %g; weights must be positive and finite", i, v)
		}
	}
	return nil
}

// checkTerms: at least one term, each valid for n observations; allowN
// admits a term with as many levels or random effects as observations.
func checkTerms(terms []Term, n int, allowN bool) error {
	if len(terms) == 0 {
		return errs.Invalidf("terms", "at least one random-effects term is needed")
	}
	for t, tm := range terms {
		if err := checkTerm(t, tm, n, allowN); err != nil {
			return err
		}
	}
	return nil
}

// checkTerm validates term t of n observations.
func checkTerm(t int, tm Term, n int, allowN bool) error {
	if err := checkNcol(t, tm, n); err != nil {
		return err
	}
	if err := checkNlevels(t, tm, n, allowN); err != nil {
		return err
	}
	if err := checkNobsVsNRE(t, tm, n, allowN); err != nil {
		return err
	}
	if err := checkCodes(t, tm, n); err != nil {
		return err
	}
	return checkZ(t, tm, n)
}

// checkNcol: a term has at least one column.
func checkNcol(t int, tm Term, _ int) error {
	if tm.K < 1 {
		return errs.Invalidf("terms", "term %d has %d columns", t, tm.K)
	}
	return nil
}

// checkNlevels is lme4's checkNlevels (its check.nlev.gtr.1 and
// check.nobs.vs.nlev rules): a grouping factor needs 2 ≤ levels < n, or
// ≤ n with allowN (glmer's allow.n).
func checkNlevels(t int, tm Term, n int, allowN bool) error {
	if tm.NLevels < 2 {
		return errs.Invalidf("terms", "term %d: a grouping factor needs at least 2 levels, it has %d", t, tm.NLevels)
	}
	if allowN && tm.NLevels > n {
		return errs.Invalidf("terms", "term %d: %d levels for %d observations; the number of levels must not exceed the number of observations", t, tm.NLevels, n)
	}
	if !allowN && tm.NLevels >= n {
		return errs.Invalidf("terms", "term %d: %d levels for %d observations; the number of levels must be less than the number of observations", t, tm.NLevels, n)
	}
	return nil
}

// checkNobsVsNRE is lme4's check.nobs.vs.nRE: a term with as many random
// effects as observations is unidentifiable (and a huge k would ask for k²
// memory); with allowN (glmer's allow.n) as many are allowed, not more.
func checkNobsVsNRE(t int, tm Term, n int, allowN bool) error {
	if allowN && tm.K > n/tm.NLevels {
		return errs.Invalidf("ncols", "term %d: %d levels × %d columns = %d random effects for %d observations; a term needs at most as many random effects as observations", t, tm.NLevels, tm.K, tm.NLevels*tm.K, n)
	}
	if !allowN && tm.K > (n-1)/tm.NLevels {
		return errs.Invalidf("ncols", "term %d: %d levels × %d columns = %d random effects for %d observations; a term needs fewer random effects than observations", t, tm.NLevels, tm.K, tm.NLevels*tm.K, n)
	}
	return nil
}

// checkCodes: n level codes, each in range, every level used (an unused
// level is a coding error: R drops unused levels before lme4 sees them).
func checkCodes(t int, tm Term, n int) error {
	if len(tm.Codes) != n {
		return errs.Invalidf("codes", "term %d: %d level codes for %d observations", t, len(tm.Codes), n)
	}
	used := make([]bool, tm.NLevels) // NLevels < n, checked above
	for i, c := range tm.Codes {
		if c < 0 || c >= tm.NLevels {
			return errs.Invalidf("codes", "term %d: observation %d has level %d, outside 0..%d", t, i, c, tm.NLevels-1)
		}
		used[c] = true
	}
	for l, u := range used {
		if !u {
			return errs.Invalidf("codes", "term %d: level %d has no observations", t, l)
		}
	}
	return nil
}

// checkZ: Z is n×K and finite.
func checkZ(t int, tm Term, n int) error {
	if len(tm.Z) != n*tm.K {
		return errs.Invalidf("Z", "term %d: length %d, want n·k = %d·%d", t, len(tm.Z), n, tm.K)
	}
	for i, v := range tm.Z {
		if !finite(v) {
			return errs.Invalidf("Z", "term %d: element (%d,%d) is %g", t, i%n, i/n, v)
		}
	}
	return nil
}

// checkFactorChoice: a known factor kind and a memory bound that is not
// negative.
func checkFactorChoice(kind FactorKind, maxBytes int64) error {
	if kind < FactorAuto || kind > FactorSparse {
		return errs.Invalidf("factor", "unknown kind %d (auto 0, dense 1, sparse 2)", int(kind))
	}
	if maxBytes < 0 {
		return errs.Invalidf("max_bytes", "%d is negative", maxBytes)
	}
	return nil
}

// checkResidualDF: the kept columns of X leave at least one residual
// degree of freedom.
func checkResidualDF(p, n int) error {
	if n-p < 1 {
		return errs.Invalidf("X", "rank %d leaves no residual degrees of freedom with %d observations", p, n)
	}
	return nil
}
