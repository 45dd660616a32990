package bobyqa

import (
	"math"

	"github.com/glmmgo/glmmgo/core/optim"
)

// run is the main loop: trust-region steps, point replacement, geometry
// steps and reductions of ρ.
func (o *optimizer) run() error {
	x0 := append([]float64(nil), o.pt0()...)
	o.pt = o.pt[:0]
	if err := o.initial(x0); err != nil {
		return err
	}
	n := o.n
	for {
		if o.nf >= o.set.MaxEval {
			o.status = optim.EvaluationLimit
			return nil
		}
		xo := o.pt[o.kopt]
		snorm := o.trsbox()
		if snorm < 0.5*o.rho {
			// The model predicts little within the resolution: improve the
			// geometry if a point is far, else refine ρ.
			if done, err := o.geometryOrReduce(); done || err != nil {
				return err
			}
			continue
		}
		for i := 0; i < n; i++ {
			o.xnew[i] = math.Min(math.Max(xo[i]+o.s[i], o.lo[i]), o.hi[i])
		}
		pred := o.fv[o.kopt] - o.q(o.xnew)
		fnew, err := o.eval(append([]float64(nil), o.xnew...))
		if err != nil {
			return err
		}
		ratio := -1.0
		if pred > 0 {
			ratio = (o.fv[o.kopt] - fnew) / pred
		}
		switch {
		case ratio <= 0.1:
			o.delta = math.Min(0.5*o.delta, snorm)
		case ratio <= 0.7:
			o.delta = math.Max(0.5*o.delta, snorm)
		default:
			o.delta = math.Max(0.5*o.delta, 2*snorm)
		}
		if o.delta <= 1.5*o.rho {
			o.delta = o.rho
		}
		// Replace the point whose Lagrange function is largest at xnew,
		// weighted towards points far from the best.
		knew := o.choose(o.xnew, fnew < o.fv[o.kopt])
		if knew >= 0 {
			o.replace(knew, o.xnew, fnew)
			if err := o.rebuild(); err != nil {
				return err
			}
		}
		if ratio >= 0.1 {
			continue
		}
		if done, err := o.geometryOrReduce(); done || err != nil {
			return err
		}
	}
}

// pt0 returns the start point held in pt before initial() runs.
func (o *optimizer) pt0() []float64 { return o.x0 }

// choose picks the point to replace by xnew: the largest weighted ℓₖ(xnew)²
// with weight max(1, (dₖ/Δ)⁴), dₖ the distance from the best point; the
// best point itself only when xnew improves on it.
func (o *optimizer) choose(xnew []float64, better bool) int {
	l := o.lagrange(xnew)
	xo := o.pt[o.kopt]
	best, kbest := 0.0, -1
	for k := 0; k < o.npt; k++ {
		if k == o.kopt && !better {
			continue
		}
		d2 := dist2(o.pt[k], xo)
		w := math.Max(1, d2*d2/(o.delta*o.delta*o.delta*o.delta))
		if v := w * l[k] * l[k]; v > best {
			best, kbest = v, k
		}
	}
	return kbest
}

func (o *optimizer) replace(k int, x []float64, f float64) {
	o.pt[k] = append(o.pt[k][:0], x...)
	o.fv[k] = f
	if f < o.fv[o.kopt] {
		o.kopt = k
	}
}

func dist2(a, b []float64) float64 {
	d := 0.0
	for i := range a {
		t := a[i] - b[i]
		d += t * t
	}
	return d
}

// geometryOrReduce replaces the farthest point by a well-placed one if it
// lies beyond max(Δ, 2ρ) from the best point; otherwise, once Δ is down to
// ρ, it lowers ρ on Powell's schedule. It reports done when ρ has reached
// Rhoend.
func (o *optimizer) geometryOrReduce() (bool, error) {
	xo := o.pt[o.kopt]
	lim := math.Max(o.delta*o.delta, 4*o.rho*o.rho)
	kfar, dfar := -1, lim
	for k := 0; k < o.npt; k++ {
		if d := dist2(o.pt[k], xo); d > dfar {
			kfar, dfar = k, d
		}
	}
	if kfar >= 0 {
		step := math.Max(math.Min(0.1*math.Sqrt(dfar), o.delta), o.rho)
		x := o.geometryStep(kfar, step)
		if o.nf >= o.set.MaxEval {
			o.status = optim.EvaluationLimit
			return true, nil
		}
		f, err := o.eval(append([]float64(nil), x...))
		if err != nil {
			return true, err
		}
		o.replace(kfar, x, f)
		return false, o.rebuild()
	}
	if o.delta > o.rho {
		o.delta = math.Max(0.5*o.delta, o.rho)
		return false, nil
	}
	if o.rho <= o.set.Rhoend {
		o.status = optim.StepConvergence
		return true, nil
	}
	old := o.rho
	r := o.rho / o.set.Rhoend
	switch {
	case r <= 16:
		o.rho = o.set.Rhoend
	case r <= 250:
		o.rho = math.Sqrt(r) * o.set.Rhoend
	default:
		o.rho *= 0.1
	}
	o.delta = math.Max(0.5*old, o.rho)
	return false, nil
}

// geometryStep returns a feasible point within step of the best point
// where the Lagrange function of point k is large in modulus: the best of
// the lines through the other points and the line of ℓₖ's gradient, each
// searched at its ends and at its stationary point (Powell's ALTMOV uses
// the same two families of candidates).
func (o *optimizer) geometryStep(k int, step float64) []float64 {
	n := o.n
	xo := o.pt[o.kopt]
	best := -1.0
	out := append([]float64(nil), xo...)
	try := func(dir []float64) {
		nd := math.Sqrt(dist2(dir, make([]float64, n)))
		if nd == 0 {
			return
		}
		u := make([]float64, n)
		for i := range u {
			u[i] = dir[i] / nd
		}
		// feasible range of t along u
		tlo, thi := -step, step
		for i := 0; i < n; i++ {
			if u[i] > 0 {
				thi = math.Min(thi, (o.hi[i]-xo[i])/u[i])
				tlo = math.Max(tlo, (o.lo[i]-xo[i])/u[i])
			} else if u[i] < 0 {
				thi = math.Min(thi, (o.lo[i]-xo[i])/u[i])
				tlo = math.Max(tlo, (o.hi[i]-xo[i])/u[i])
			}
		}
		// ℓₖ(xo + t u) is a quadratic in t with ℓₖ(xo) = 0 (k ≠ kopt).
		at := func(t float64) (float64, []float64) {
			x := make([]float64, n)
			for i := range x {
				x[i] = math.Min(math.Max(xo[i]+t*u[i], o.lo[i]), o.hi[i])
			}
			return math.Abs(o.lagrange(x)[k]), x
		}
		cands := []float64{tlo, thi}
		h := 1e-3 * step
		// stationary point from three values: ℓ(0)=0, ℓ(h), ℓ(−h)
		xp := make([]float64, n)
		xm := make([]float64, n)
		for i := range xp {
			xp[i] = xo[i] + h*u[i]
			xm[i] = xo[i] - h*u[i]
		}
		vp, vm := o.lagrange(xp)[k], o.lagrange(xm)[k]
		a := (vp - vm) / (2 * h)
		b := (vp + vm) / (2 * h * h)
		if b != 0 {
			if ts := -a / (2 * b); ts > tlo && ts < thi {
				cands = append(cands, ts)
			}
		}
		for _, t := range cands {
			if math.Abs(t) < 1e-3*step {
				continue
			}
			if v, x := at(t); v > best {
				best = v
				copy(out, x)
			}
		}
	}
	for j := 0; j < o.npt; j++ {
		if j == o.kopt {
			continue
		}
		d := make([]float64, n)
		for i := range d {
			d[i] = o.pt[j][i] - xo[i]
		}
		try(d)
	}
	// gradient of ℓₖ at xo, by central differences of the quadratic (exact)
	g := make([]float64, n)
	h := 1e-3 * step
	for i := 0; i < n; i++ {
		xp := append([]float64(nil), xo...)
		xm := append([]float64(nil), xo...)
		xp[i] += h
		xm[i] -= h
		g[i] = (o.lagrange(xp)[k] - o.lagrange(xm)[k]) / (2 * h)
	}
	// project onto the free directions at active bounds
	for i := 0; i < n; i++ {
		if (xo[i] <= o.lo[i] && g[i] < 0) || (xo[i] >= o.hi[i] && g[i] > 0) {
			g[i] = 0
		}
	}
	try(g)
	for i := 0; i < n; i++ {
		g[i] = -g[i]
	}
	try(g)
	if best <= 0 { // fall back to a feasible step along the first coordinate
		if xo[0]+step <= o.hi[0] {
			out[0] += step
		} else {
			out[0] -= step
		}
	}
	return out
}

// trsbox sets o.s to an approximate minimiser of Q(x_opt + s) subject to
// ‖s‖ ≤ Δ and the bounds: conjugate gradients on the free variables,
// fixing a variable when the step reaches its bound and restarting, and
// stopping at the trust-region boundary (Powell's TRSBOX without its
// final rotations on the boundary). It returns ‖s‖.
func (o *optimizer) trsbox() float64 {
	n := o.n
	xo := o.pt[o.kopt]
	s := o.s
	clear(s)
	// gradient of Q at xo (the model centre is xo after rebuild)
	g0 := make([]float64, n)
	for i := 0; i < n; i++ {
		v := o.g[i]
		for j := 0; j < n; j++ {
			v += o.h[j*n+i] * (xo[j] - o.xc[j])
		}
		g0[i] = v
	}
	free := make([]bool, n)
	for i := 0; i < n; i++ {
		free[i] = !((xo[i] <= o.lo[i] && g0[i] >= 0) || (xo[i] >= o.hi[i] && g0[i] <= 0))
	}
	hv := func(v, out []float64) {
		for i := 0; i < n; i++ {
			t := 0.0
			for j := 0; j < n; j++ {
				t += o.h[j*n+i] * v[j]
			}
			out[i] = t
		}
	}
	r := make([]float64, n)
	d := make([]float64, n)
	hd := make([]float64, n)
	hs := make([]float64, n)
	delta2 := o.delta * o.delta
	for restart := 0; restart <= n; restart++ {
		hv(s, hs)
		rr := 0.0
		for i := 0; i < n; i++ {
			if free[i] {
				r[i] = -(g0[i] + hs[i])
			} else {
				r[i] = 0
			}
			d[i] = r[i]
			rr += r[i] * r[i]
		}
		if rr == 0 {
			break
		}
		rr0 := rr
		hitBound := false
		for it := 0; it < n; it++ {
			hv(d, hd)
			dhd, sd, dd, ss := 0.0, 0.0, 0.0, 0.0
			for i := 0; i < n; i++ {
				dhd += d[i] * hd[i]
				sd += s[i] * d[i]
				dd += d[i] * d[i]
				ss += s[i] * s[i]
			}
			if dd == 0 {
				break
			}
			// distance to the trust-region boundary along d
			disc := sd*sd + dd*(delta2-ss)
			atr := (math.Sqrt(math.Max(disc, 0)) - sd) / dd
			// distance to the first bound along d
			ab, ib := math.Inf(1), -1
			for i := 0; i < n; i++ {
				if !free[i] || d[i] == 0 {
					continue
				}
				var t float64
				if d[i] > 0 {
					t = (o.hi[i] - xo[i] - s[i]) / d[i]
				} else {
					t = (o.lo[i] - xo[i] - s[i]) / d[i]
				}
				if t < ab {
					ab, ib = t, i
				}
			}
			acg := math.Inf(1)
			if dhd > 0 {
				acg = rr / dhd
			}
			a := math.Min(acg, math.Min(atr, ab))
			a = math.Max(a, 0)
			for i := 0; i < n; i++ {
				s[i] += a * d[i]
			}
			if a == ab && ib >= 0 && ab <= math.Min(acg, atr) {
				// clamp exactly onto the bound and restart without it
				if d[ib] > 0 {
					s[ib] = o.hi[ib] - xo[ib]
				} else {
					s[ib] = o.lo[ib] - xo[ib]
				}
				free[ib] = false
				hitBound = true
				break
			}
			if a == atr && atr <= acg {
				return norm(s)
			}
			rrNew := 0.0
			for i := 0; i < n; i++ {
				if free[i] {
					r[i] -= a * hd[i]
				}
				rrNew += r[i] * r[i]
			}
			if rrNew <= 1e-20*rr0 {
				return norm(s)
			}
			beta := rrNew / rr
			rr = rrNew
			for i := 0; i < n; i++ {
				d[i] = r[i] + beta*d[i]
			}
		}
		if !hitBound {
			break
		}
	}
	return norm(s)
}

func norm(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x * x
	}
	return math.Sqrt(s)
}
