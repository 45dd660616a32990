package mixlogitfit

import (
	"math"
	"time"

	"github.com/glmmgo/glmmgo/core/mixlogit"
)

// P is the number of parameters, mixlogit.NumParams.
const P = mixlogit.NumParams

// Result is a finished fit. Parameter vectors and matrices are indexed by
// mixlogit.Beta1 … mixlogit.Pi1 (matrices P×P, column-major), under the
// labelling β₁ < β₂.
type Result struct {
	Method   Method
	Estimate mixlogit.Params
	Vcov     [P * P]float64 // inverse observed information (Louis' for MCEM)
	SE       mixlogit.Params
	// InfoPosDef: the observed information is positive definite; if not,
	// Vcov and SE are NaN.
	InfoPosDef bool

	// LogLik is the exact log-likelihood at Estimate and Gradient its
	// gradient, whichever method found the estimate (for MCEM they measure
	// how far the Monte Carlo estimate is from the maximum).
	LogLik   float64
	Gradient [P]float64
	// Posterior holds P(class c | y_i) at Estimate, exact: column-major n×2.
	Posterior []float64

	Converged  bool
	Iterations int // MCEM or trust-region iterations
	Start      mixlogit.Params

	// Monte Carlo (MCEM; NaN or zero for the quadrature fit).
	MCVcov      [P * P]float64  // Monte Carlo covariance of Estimate
	MCSE        mixlogit.Params // √diag(MCVcov)
	LogLikMC    float64         // importance-sampling estimate of LogLik from the last sample
	LogLikMCSE  float64         // its Monte Carlo standard error
	SampleSize  int             // draws per subject in the last sample
	TotalDraws  int64           // draws over all iterations and subjects
	NewtonSteps int             // final stage: Newton steps on its samples (louis.go)
	FinalRounds int             // final stage: fresh samples drawn (louis.go) (1: MCEM's last sample sufficed)
	ScoreTest   float64         // final stage: score statistic at the last sampling point
	ESSMean     float64         // last sample: mean over subjects of Kish's ESS / draws
	ESSMin      float64         // and its minimum

	Trace []Iteration
	Time  Timings
}

// Iteration is one row of the trace. For the quadrature fit only Iter,
// Estimate and LogLik are set (the rest NaN or zero).
type Iteration struct {
	Iter     int
	Estimate mixlogit.Params // after the iteration
	LogLik   float64         // quadrature: exact ℓ; MCEM: NaN
	// MCEM: draws per subject after augmentation, number of augmentations,
	// ΔQ with its asymptotic standard error and the bounds ΔQ − z_α·ASE and
	// ΔQ + z_γ·ASE, and the sample's mean and smallest relative ESS.
	SampleSize    int
	Augmentations int
	DeltaQ, ASE   float64
	Lower, Upper  float64
	ESSMean       float64
	ESSMin        float64
	Elapsed       time.Duration // since the start of the fit
}

// Timings of the stages of a fit.
type Timings struct {
	Start     time.Duration // starting values
	Fit       time.Duration // MCEM iterations or the trust-region search
	EStep     time.Duration // MCEM: drawing and weighting (part of Fit)
	MStep     time.Duration // MCEM: M-steps and ascent checks (part of Fit)
	Inference time.Duration // standard errors, exact log-likelihood, posterior
	Total     time.Duration
}

// TraceColumns names the columns of TraceTable.
var TraceColumns = []string{"iter", "beta1", "beta2", "sigma1", "sigma2", "pi1", "loglik",
	"sample_size", "augmentations", "delta_q", "ase", "lower", "upper", "ess_mean", "ess_min", "seconds"}

// TraceTable returns the trace as a column-major len(Trace)×len(TraceColumns)
// matrix, the shape the C ABI and R hand out.
func (r *Result) TraceTable() []float64 {
	n := len(r.Trace)
	out := make([]float64, n*len(TraceColumns))
	for i, it := range r.Trace {
		row := []float64{float64(it.Iter)}
		row = append(row, it.Estimate[:]...)
		row = append(row, it.LogLik, float64(it.SampleSize), float64(it.Augmentations),
			it.DeltaQ, it.ASE, it.Lower, it.Upper, it.ESSMean, it.ESSMin, it.Elapsed.Seconds())
		for j, v := range row {
			out[i+n*j] = v
		}
	}
	return out
}

func nanParams() mixlogit.Params {
	var p mixlogit.Params
	for k := range p {
		p[k] = math.NaN()
	}
	return p
}
