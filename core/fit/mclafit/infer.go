package mclafit

import (
	"math"

	"github.com/glmmgo/glmmgo/core/dense"
	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/objective/mcla"
)

// infer fills standard errors, mcvcov, MCSE and ESS at θ̂ = x.
func (f *Fit) infer(model sampleSet, x []float64, opt Options) error {
	dd := f.P + f.NVC
	h := make([]float64, dd*dd) // the Hessian, symmetrised
	negH := make([]float64, dd*dd)
	for j := 0; j < dd; j++ {
		for i := 0; i < dd; i++ {
			h[j*dd+i] = (f.Hessian[j*dd+i] + f.Hessian[i*dd+j]) / 2
			negH[j*dd+i] = -h[j*dd+i]
		}
	}
	var ch dense.SPD
	f.HessianNegDef = ch.Factor(dd, negH)
	hinv, ok := dense.InverseLU(dd, h)
	f.standardErrors(hinv, ok)
	var mo mcla.Moments
	if err := model.Moments(x, opt.Workers, &mo); err != nil {
		return err
	}
	f.ESS, f.JointESS = mo.ESS, mo.ESS
	f.ESSWarning = f.ESS < opt.ESSWarn
	if f.Blockwise {
		var r mcla.Result
		if err := model.Evaluate(x, opt.Workers, &r); err != nil {
			return err
		}
		f.JointESS = r.JointESS
	}
	jk, err := jackknife(model, x, opt.Workers)
	if err != nil {
		return err
	}
	f.Jackknife, f.MCVcov = jk, jk.Cov
	sqrtDiag(f.MCSE, f.MCVcov)
	if !ok {
		return nil
	}
	// H⁻¹VH⁻¹, glmm's mcvcov, as a sum of squares (dense.SandwichPSD): the
	// MC variances are never negative by cancellation when one parameter's
	// MC error is far below the others'.
	mc, ok := dense.SandwichPSD(dd, hinv, mo.V)
	if !ok {
		return errs.Numericf("mcvcov", "eigendecomposition of the score variance failed")
	}
	f.MCVcovGlmm = mc
	sqrtDiag(f.MCSEGlmm, mc)
	return nil
}

// sqrtDiag sets dst to the square roots of the diagonal of the d×d c.
func sqrtDiag(dst, c []float64) {
	d := len(dst)
	for j := range dst {
		dst[j] = math.Sqrt(c[j*d+j])
	}
}

// standardErrors sets Vcov = −H⁻¹ and SE = √diag(−H⁻¹) (NaN where the
// diagonal is negative) from hinv = H⁻¹; for a singular Hessian (ok false)
// the SEs are +Inf, as glmm makes them, and the covariances NaN.
func (f *Fit) standardErrors(hinv []float64, ok bool) {
	dd := f.P + f.NVC
	f.Vcov, f.SE = make([]float64, dd*dd), make([]float64, dd)
	f.MCVcovGlmm, f.MCSE, f.MCSEGlmm = make([]float64, dd*dd), make([]float64, dd), make([]float64, dd)
	if !ok {
		fill(f.SE, math.Inf(1))
		fill(f.MCSEGlmm, math.NaN())
		fill(f.Vcov, math.NaN())
		fill(f.MCVcovGlmm, math.NaN())
		return
	}
	for j := 0; j < dd; j++ {
		for i := 0; i < dd; i++ {
			f.Vcov[j*dd+i] = -hinv[j*dd+i]
		}
		f.SE[j] = math.Sqrt(-hinv[j*dd+j])
	}
}
