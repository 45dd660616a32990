package projbfgs

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
)

// Armijo's sufficient-decrease constant and the backtracking limits.
const (
	armijo     = 1e-4
	maxBacktrk = 40
)

// step takes one projected quasi-Newton step; false when neither the BFGS
// direction nor steepest descent decreases f.
func (r *run) step() (bool, error) {
	for attempt := 0; attempt < 2; attempt++ {
		slope := r.direction()
		if slope >= 0 {
			r.resetH(1)
			continue
		}
		ok, err := r.lineSearch()
		if err != nil || ok {
			return ok, err
		}
		r.resetH(1)
	}
	return false, nil
}

// direction sets d = −H·g on the free variables (0 on the active ones)
// and returns the slope gᵀd. The first step is scaled to InitStep.
func (r *run) direction() float64 {
	n := r.n
	slope := 0.0
	for i := 0; i < n; i++ {
		r.d[i] = 0
		if r.active(i) {
			continue
		}
		v := 0.0
		for j := 0; j < n; j++ {
			if !r.active(j) {
				v -= r.h[j*n+i] * r.g[j]
			}
		}
		r.d[i] = v
		slope += v * r.g[i]
	}
	if r.iter == 1 {
		big := 0.0
		for _, v := range r.d {
			big = math.Max(big, math.Abs(v))
		}
		if big > r.s.InitStep {
			for i := range r.d {
				r.d[i] *= r.s.InitStep / big
			}
			slope *= r.s.InitStep / big
		}
	}
	return slope
}

// lineSearch backtracks along the projected path P(x + α·d) from α = 1
// until Armijo's condition f(x_α) ≤ f(x) + c·gᵀ(x_α − x) holds, then
// updates H with the step. A point where the function fails numerically
// (overflow far out) counts as too far; other errors stop the search.
func (r *run) lineSearch() (bool, error) {
	alpha := 1.0
	for k := 0; k < maxBacktrk && r.evals < r.s.MaxEval; k++ {
		moved, gs := false, 0.0
		for i := range r.x {
			r.xn[i] = math.Min(math.Max(r.x[i]+alpha*r.d[i], r.lo[i]), r.hi[i])
			if r.xn[i] != r.x[i] {
				moved = true
			}
			gs += r.g[i] * (r.xn[i] - r.x[i])
		}
		if !moved || gs >= 0 {
			return false, nil
		}
		fn, err := r.eval(r.xn, r.gn)
		if err != nil && errs.KindOf(err) != errs.Numeric {
			return false, err // a cancellation, or an error that no shorter step mends
		}
		if err == nil && fn <= r.f+armijo*gs {
			r.update()
			r.f = fn
			copy(r.x, r.xn)
			copy(r.g, r.gn)
			return true, nil
		}
		if err == nil && fn > r.f {
			// the minimiser of the quadratic through f, the slope and fn,
			// kept within [0.1, 0.5] of α
			q := -gs * alpha / (2 * (fn - r.f - gs))
			alpha = math.Min(0.5*alpha, math.Max(0.1*alpha, q))
		} else {
			alpha *= 0.5
		}
	}
	return false, nil
}

// resetH sets H to c·I.
func (r *run) resetH(c float64) {
	clear(r.h)
	for i := 0; i < r.n; i++ {
		r.h[i*r.n+i] = c
	}
	r.fresh = true
}

// update applies the BFGS update of the inverse Hessian for the step
// s = xn − x and y = gn − g (Nocedal and Wright 2006, eq. 6.17), after
// scaling a fresh H by yᵀs/yᵀy (their eq. 6.20). Skipped when yᵀs is not
// safely positive (the curvature condition fails on the projected path).
func (r *run) update() {
	n := r.n
	s, y := make([]float64, n), make([]float64, n)
	ys, yy, ss := 0.0, 0.0, 0.0
	for i := range s {
		s[i], y[i] = r.xn[i]-r.x[i], r.gn[i]-r.g[i]
		ys += y[i] * s[i]
		yy += y[i] * y[i]
		ss += s[i] * s[i]
	}
	if !(ys > 1e-10*math.Sqrt(ss*yy)) {
		return
	}
	if r.fresh {
		r.resetH(ys / yy)
		r.fresh = false
	}
	rho := 1 / ys
	hy := make([]float64, n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			hy[i] += r.h[j*n+i] * y[j]
		}
	}
	yhy := 0.0
	for i := range y {
		yhy += y[i] * hy[i]
	}
	// H ← H − ρ(Hy sᵀ + s yᵀH) + (ρ² yᵀHy + ρ) s sᵀ
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			r.h[j*n+i] += -rho*(hy[i]*s[j]+s[i]*hy[j]) + (rho*rho*yhy+rho)*s[i]*s[j]
		}
	}
}

// probeBounds tries, for each variable on a bound whose gradient is zero
// to the tolerance (and not tried before), a step of probeStep into the
// interior; it moves there, and reports true, at the first that lowers f.
func (r *run) probeBounds() (bool, error) {
	tol := r.s.GradTol * math.Max(1, math.Abs(r.f))
	for i := range r.x {
		if r.probed[i] || math.Abs(r.g[i]) > tol {
			continue
		}
		var to float64
		switch {
		case r.x[i] <= r.lo[i]:
			to = r.lo[i] + probeStep*math.Max(1, math.Abs(r.lo[i]))
		case r.x[i] >= r.hi[i]:
			to = r.hi[i] - probeStep*math.Max(1, math.Abs(r.hi[i]))
		default:
			continue
		}
		r.probed[i] = true
		copy(r.xn, r.x)
		r.xn[i] = to
		fn, err := r.eval(r.xn, r.gn)
		if err != nil {
			return false, err
		}
		if fn < r.f {
			r.f = fn
			copy(r.x, r.xn)
			copy(r.g, r.gn)
			r.resetH(1)
			return true, nil
		}
	}
	return false, nil
}
