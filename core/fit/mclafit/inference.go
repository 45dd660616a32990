package mclafit

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/objective/mcla"
	"github.com/glmmgo/glmmgo/core/parallel"
	"gonum.org/v1/gonum/stat/distuv"
)

// ZTests returns z = θ̂/SE for every parameter and p-values as glmm's
// summary reports them: two-sided for β (Pr(>|z|)) and one-sided for ν
// (Pr(>|z|)/2, the test of ν = 0 against ν > 0 on the boundary).
func (f *Fit) ZTests() (z, p []float64) {
	par := f.Par()
	z, p = make([]float64, len(par)), make([]float64, len(par))
	for i, v := range par {
		z[i] = v / f.SE[i]
		tail := upperTail(math.Abs(z[i]))
		if i < f.P {
			p[i] = 2 * tail
		} else {
			p[i] = tail
		}
	}
	return z, p
}

// upperTail is P(N(0,1) > x), accurate far into the tail.
func upperTail(x float64) float64 { return math.Erfc(x/math.Sqrt2) / 2 }

// ConfInt returns Wald intervals θ̂ ± z_{(1+level)/2}·SE. (glmm's confint
// multiplies the SE by the probability (1−level)/2 instead of the normal
// quantile; this uses the quantile.)
func (f *Fit) ConfInt(level float64) (lo, hi []float64, err error) {
	if !(level > 0 && level < 1) {
		return nil, nil, errs.Invalidf("level", "is %g; must lie strictly between 0 and 1", level)
	}
	q := distuv.UnitNormal.Quantile((1 + level) / 2)
	par := f.Par()
	lo, hi = make([]float64, len(par)), make([]float64, len(par))
	for i, v := range par {
		lo[i], hi[i] = v-q*f.SE[i], v+q*f.SE[i]
	}
	return lo, hi, nil
}

// UMatrix writes the u-matrix, M×Q column-major (row k is sample k, glmm's
// layout), into dst (length M·Q). The samples are regenerated from their
// per-block streams, so the fit need not keep them.
func (f *Fit) UMatrix(dst []float64) error {
	if len(dst) != f.M*f.Q {
		return errs.Invalidf("umat", "has length %d, want m*q = %d", len(dst), f.M*f.Q)
	}
	row, z := make([]float64, parallel.BlockSize*f.Q), make([]float64, 2*f.Q)
	for lo := 0; lo < f.M; lo += parallel.BlockSize {
		hi := min(lo+parallel.BlockSize, f.M)
		f.draw(lo, hi, row[:(hi-lo)*f.Q], z)
		for k := lo; k < hi; k++ {
			for j := 0; j < f.Q; j++ {
				dst[j*f.M+k] = row[(k-lo)*f.Q+j]
			}
		}
	}
	return nil
}

// SampleOn sets on model (of the same data) the fit's final importance
// density and its M samples, drawn again from the fit's seed and kept in
// memory or redrawn at every evaluation as the fit had them.
func (f *Fit) SampleOn(model *mcla.Model, workers int) error {
	_, p, q, nvc := model.Dims()
	if p != f.P || q != f.Q || nvc != f.NVC {
		return errs.Invalidf("fit", "is a fit of a model with p = %d, q = %d, nvc = %d; this model has p = %d, q = %d, nvc = %d", f.P, f.Q, f.NVC, p, q, nvc)
	}
	if err := f.setOn(model, workers); err != nil {
		return err
	}
	model.SetSampleMemory(f.sampleMemory)
	return model.SetSampler(f.M, f.draw, workers)
}
