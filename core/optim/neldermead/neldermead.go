// Package neldermead minimises a function of a few variables without
// derivatives by the simplex method of Nelder and Mead (1965), with the
// standard coefficients (reflection 1, expansion 2, contraction 1/2,
// shrink 1/2) in the ordering and tie-breaking of Lagarias, Reeds, Wright
// and Wright (SIAM J. Optim. 9, 1998).
//
// glmmgo uses it for PQL's outer problem over the T standard deviations,
// which is what glmm does (R's optim default). Unlike optim, the
// stopping rule asks for both a small spread of values and a small simplex,
// so that a flat stretch does not stop the search early.
package neldermead

import (
	"math"
	"sort"

	"github.com/glmmgo/glmmgo/core/errs"
)

// Options control the search; zero values select the defaults.
type Options struct {
	Step    float64 // initial simplex edge relative to max|x0| (absolute if x0 = 0); default 0.1
	FTol    float64 // value spread ≤ FTol·(|f_best| + FTol); default 1e-10
	XTol    float64 // simplex diameter ≤ XTol·(1 + max|x_best|); default 1e-7
	MaxEval int     // default 2000·len(x0)
}

// Result is the best point found.
type Result struct {
	X         []float64
	F         float64
	Evals     int
	Converged bool
}

// Minimize minimises f from x0. f may return +Inf (a point to avoid); an
// error from f stops the search and is returned.
func Minimize(f func(x []float64) (float64, error), x0 []float64, opt Options) (Result, error) {
	k := len(x0)
	if k == 0 {
		return Result{}, errs.Invalidf("x0", "is empty")
	}
	if opt.Step <= 0 {
		opt.Step = 0.1
	}
	if opt.FTol <= 0 {
		opt.FTol = 1e-10
	}
	if opt.XTol <= 0 {
		opt.XTol = 1e-7
	}
	if opt.MaxEval <= 0 {
		opt.MaxEval = 2000 * k
	}
	evals := 0
	eval := func(x []float64) (float64, error) {
		evals++
		v, err := f(x)
		if math.IsNaN(v) {
			v = math.Inf(1)
		}
		return v, err
	}
	scale := 0.0
	for _, v := range x0 {
		scale = math.Max(scale, math.Abs(v))
	}
	step := opt.Step
	if scale > 0 {
		step *= scale
	}
	pts := make([][]float64, k+1)
	vals := make([]float64, k+1)
	for i := range pts {
		pts[i] = append([]float64(nil), x0...)
		if i > 0 {
			pts[i][i-1] += step
		}
		v, err := eval(pts[i])
		if err != nil {
			return Result{}, err
		}
		vals[i] = v
	}
	order := make([]int, k+1)
	centroid := make([]float64, k)
	xr, xe, xc := make([]float64, k), make([]float64, k), make([]float64, k)
	along := func(dst []float64, t float64) { // dst = centroid + t·(centroid − worst)
		w := pts[order[k]]
		for j := range dst {
			dst[j] = centroid[j] + t*(centroid[j]-w[j])
		}
	}
	converged := false
	for evals < opt.MaxEval {
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool { return vals[order[a]] < vals[order[b]] })
		best, worst := order[0], order[k]
		// Stopping rule: small spread of values and a small simplex.
		spread := vals[worst] - vals[best]
		diam, size := 0.0, 0.0
		for _, i := range order[1:] {
			for j := range centroid {
				diam = math.Max(diam, math.Abs(pts[i][j]-pts[best][j]))
			}
		}
		for _, v := range pts[best] {
			size = math.Max(size, math.Abs(v))
		}
		if spread <= opt.FTol*(math.Abs(vals[best])+opt.FTol) && diam <= opt.XTol*(1+size) {
			converged = true
			break
		}
		clear(centroid)
		for _, i := range order[:k] {
			for j, v := range pts[i] {
				centroid[j] += v / float64(k)
			}
		}
		along(xr, 1)
		fr, err := eval(xr)
		if err != nil {
			return Result{}, err
		}
		second := vals[order[k-1]]
		switch {
		case fr < vals[best]:
			along(xe, 2)
			fe, err := eval(xe)
			if err != nil {
				return Result{}, err
			}
			if fe < fr {
				copy(pts[worst], xe)
				vals[worst] = fe
			} else {
				copy(pts[worst], xr)
				vals[worst] = fr
			}
			continue
		case fr < second:
			copy(pts[worst], xr)
			vals[worst] = fr
			continue
		case fr < vals[worst]: // outside contraction
			along(xc, 0.5)
		default: // inside contraction
			along(xc, -0.5)
		}
		fc, err := eval(xc)
		if err != nil {
			return Result{}, err
		}
		if fc < math.Min(fr, vals[worst]) {
			copy(pts[worst], xc)
			vals[worst] = fc
			continue
		}
		// Shrink towards the best point.
		for _, i := range order[1:] {
			for j := range pts[i] {
				pts[i][j] = pts[best][j] + 0.5*(pts[i][j]-pts[best][j])
			}
			v, err := eval(pts[i])
			if err != nil {
				return Result{}, err
			}
			vals[i] = v
		}
	}
	bi := 0
	for i, v := range vals {
		if v < vals[bi] {
			bi = i
		}
	}
	return Result{X: append([]float64(nil), pts[bi]...), F: vals[bi], Evals: evals, Converged: converged}, nil
}
