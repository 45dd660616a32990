package mixlogitfit

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/mixlogit"
)

// Method selects the fitting algorithm.
type Method int

const (
	// MCEM is ascent-based Monte Carlo EM with importance sampling.
	MCEM Method = iota
	// Quadrature maximises the exact likelihood by a trust-region method.
	Quadrature
)

func (m Method) String() string {
	switch m {
	case MCEM:
		return "mcem"
	case Quadrature:
		return "quadrature"
	}
	return "unknown"
}

// Options of a fit. DefaultOptions gives every default; a zero field of a
// literal Options also selects its default (Method MCEM, Seed 0 and Start
// nil included).
type Options struct {
	Method  Method
	Start   []float64 // β₁, β₂, σ₁, σ₂, π₁; nil: the data-driven start (see Start)
	Seed    uint64    // MCEM: the sample is a function of (data, options, Seed)
	Workers int       // 0 = all CPUs; results do not depend on it
	MaxIter int       // MCEM iterations or trust-region iterations

	// MCEM only.
	InitialSamples int     // draws per subject at the first iteration
	MaxSamples     int     // largest number of draws per subject
	Alpha          float64 // one-sided level of the ascent check (lower bound of ΔQ)
	Beta           float64 // type II error of the next sample size's ascent check
	Gamma          float64 // one-sided level of the stopping check (upper bound of ΔQ)
	AugmentDivisor float64 // k: a sample that cannot show ascent grows by m/k draws
	Tol            float64 // ε: stop when the upper bound of ΔQ is below it
	DF             float64 // degrees of freedom of the t proposal

	// Progress, if not nil, is called after every iteration with the
	// iteration number, the log-likelihood (exact for the quadrature fit,
	// the Monte Carlo change ΔQ for MCEM) and Ω (valid during the call
	// only); returning false cancels the fit (errs.ErrCancelled).
	Progress func(iter int, value float64, par []float64) bool
}

// DefaultOptions returns the defaults: MCEM, seed 0, all CPUs, 200
// iterations, 50 initial and at most 5000 draws per subject, α = β = 0.25,
// γ = 0.1, k = 3, ε = 0.01, t₁₀ proposals.
func DefaultOptions() Options {
	return Options{
		Method:         MCEM,
		MaxIter:        200,
		InitialSamples: 50,
		MaxSamples:     5000,
		Alpha:          0.25,
		Beta:           0.25,
		Gamma:          0.1,
		AugmentDivisor: 3,
		Tol:            0.01,
		DF:             10,
	}
}

// minSamples is the fewest draws per subject: two per class, so that each
// stratum's Monte Carlo variance can be estimated.
const minSamples = 4

// MaxDraws bounds n·MaxSamples, the largest sample MCEM may hold (each draw
// takes 64 bytes, so 2 GiB).
const MaxDraws = 1 << 25

// checkMemory refuses a MaxSamples whose sample could not be held.
func (o *Options) checkMemory(n int) error {
	if o.Method == MCEM && o.MaxSamples > MaxDraws/n {
		return errs.Invalidf("max_samples", "is %d; with n = %d subjects the sample could reach %d draws (%d bytes each), more than the %d allowed: use max_samples <= %d",
			o.MaxSamples, n, int64(o.MaxSamples)*int64(n), bytesPerDraw, MaxDraws, MaxDraws/n)
	}
	return nil
}

// bytesPerDraw is the storage of one draw: z, log q, h and its two
// β-derivatives, h at the M-step's β, Λ and the weight.
const bytesPerDraw = 64

// resolve fills zero fields with defaults and checks the rest.
func (o *Options) resolve() error {
	d := DefaultOptions()
	setInt := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	setFloat := func(v *float64, def float64) {
		if *v == 0 {
			*v = def
		}
	}
	setInt(&o.MaxIter, d.MaxIter)
	setInt(&o.InitialSamples, d.InitialSamples)
	setInt(&o.MaxSamples, d.MaxSamples)
	setFloat(&o.Alpha, d.Alpha)
	setFloat(&o.Beta, d.Beta)
	setFloat(&o.Gamma, d.Gamma)
	setFloat(&o.AugmentDivisor, d.AugmentDivisor)
	setFloat(&o.Tol, d.Tol)
	setFloat(&o.DF, d.DF)
	return o.check()
}

func (o *Options) check() error {
	if o.Method != MCEM && o.Method != Quadrature {
		return errs.Invalidf("method", "is %d; use 0 (mcem) or 1 (quadrature)", int(o.Method))
	}
	if o.Workers < 0 {
		return errs.Invalidf("workers", "is %d; must be 0 (all CPUs) or positive", o.Workers)
	}
	if o.MaxIter < 1 {
		return errs.Invalidf("max_iter", "is %d; must be positive", o.MaxIter)
	}
	if o.InitialSamples < minSamples {
		return errs.Invalidf("initial_samples", "is %d; need at least %d draws per subject", o.InitialSamples, minSamples)
	}
	if o.MaxSamples < o.InitialSamples {
		return errs.Invalidf("max_samples", "is %d; must be at least initial_samples = %d", o.MaxSamples, o.InitialSamples)
	}
	for _, l := range []struct {
		name string
		v    float64
	}{{"alpha", o.Alpha}, {"beta", o.Beta}, {"gamma", o.Gamma}} {
		if !(l.v > 0 && l.v < 0.5) {
			return errs.Invalidf(l.name, "is %g; must lie in (0, 0.5)", l.v)
		}
	}
	if !(o.AugmentDivisor >= 1) || math.IsInf(o.AugmentDivisor, 0) {
		return errs.Invalidf("augment_divisor", "is %g; must be finite and at least 1", o.AugmentDivisor)
	}
	if !(o.Tol > 0) || math.IsInf(o.Tol, 0) {
		return errs.Invalidf("tol", "is %g; must be positive and finite", o.Tol)
	}
	if !(o.DF >= 1) || math.IsInf(o.DF, 0) {
		return errs.Invalidf("df", "is %g; the t proposal needs finite degrees of freedom of at least 1", o.DF)
	}
	if o.Start != nil {
		if _, err := mixlogit.ParamsFrom("start", o.Start); err != nil {
			return err
		}
	}
	return nil
}
