package lmm

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
)

// The magnitudes whose squares and products double precision represents
// (about 1e±308): the criterion sums weighted squares of y, X and Z. Data
// outside them overflow or underflow in the sums, which would only show as
// a non-finite or zero penalised residual sum of squares ("a perfect
// fit?"), far from its cause.
const (
	ScaleMax = 1e150
	ScaleMin = 1e-150
)

// CheckScale refuses data of a linear mixed model whose magnitudes the
// criterion cannot square: a response whose largest absolute value lies
// outside [ScaleMin, ScaleMax] (all zero is a perfect fit, reported when
// fitting), elements of X or Z above ScaleMax, weights outside [ScaleMin,
// ScaleMax]. It names the argument and says to rescale it. Callers fitting
// a user's data call it after New's checks (the GLMM engines' working
// responses are not a user's scale).
func CheckScale(d Data) error {
	if a := maxAbs(d.Y); a > ScaleMax || (a > 0 && a < ScaleMin) {
		return errs.Invalidf("y", "its largest absolute value is %g, outside [%g, %g] where its squares are finite and nonzero in double precision; rescale y", a, ScaleMin, ScaleMax)
	}
	if a := maxAbs(d.X); a > ScaleMax {
		return errs.Invalidf("X", "its largest absolute value is %g, above %g: its squares overflow in double precision; rescale X", a, ScaleMax)
	}
	for t, tm := range d.Terms {
		if a := maxAbs(tm.Z); a > ScaleMax {
			return errs.Invalidf("Z", "term %d: its largest absolute value is %g, above %g: its squares overflow in double precision; rescale Z", t, a, ScaleMax)
		}
	}
	for i, w := range d.Weights {
		if w > ScaleMax || w < ScaleMin {
			return errs.Invalidf("weights", "element %d is %g, outside [%g, %g]: the weighted squares would overflow or vanish in double precision; rescale the weights", i, w, ScaleMin, ScaleMax)
		}
	}
	return nil
}

func maxAbs(v []float64) float64 {
	a := 0.0
	for _, x := range v {
		a = math.Max(a, math.Abs(x))
	}
	return a
}
