package bobyqa

import (
	"errors"
	"fmt"
	"math"

	"github.com/glmmgo/glmmgo/core/dense"
	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/optim"
)

// optimizer is the state of one minimisation.
type optimizer struct {
	f            func(x []float64) (float64, error)
	set          settings
	n, npt       int
	lo, hi       []float64
	pt           [][]float64 // interpolation points (absolute)
	fv           []float64   // their values
	kopt         int         // index of the best point
	nf           int
	rho, delta   float64
	status       optim.Status
	xc           []float64 // model centre
	c            float64   // Q(xc)
	g            []float64 // ∇Q(xc)
	h            []float64 // ∇²Q, n×n
	omega        []float64 // inverse of the interpolation system at the current points
	sigma        float64   // the scale of that system
	xnew, s, tmp []float64
	x0           []float64
}

func newOptimizer(f func(x []float64) (float64, error), x0, lo, hi []float64, set settings) *optimizer {
	n := len(x0)
	o := &optimizer{f: f, set: set, n: n, npt: set.NPT, lo: lo, hi: hi,
		rho: set.Rhobeg, delta: set.Rhobeg,
		xc: make([]float64, n), g: make([]float64, n), h: make([]float64, n*n),
		xnew: make([]float64, n), s: make([]float64, n), tmp: make([]float64, n), x0: x0}
	return o
}

// eval evaluates f at x, counting and reporting.
func (o *optimizer) eval(x []float64) (float64, error) {
	o.nf++
	v, err := o.f(x)
	if err != nil {
		return v, err
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return v, errs.Numericf("f", "objective is %g at evaluation %d", v, o.nf)
	}
	if o.set.Progress != nil && !o.set.Progress(o.nf, v, x) {
		return v, errs.ErrCancelled
	}
	return v, nil
}

// initial builds Powell's initial set: x₀ (moved so that every bound is
// either on it or at least ρ away), x₀ ± ρeᵢ (both steps on the feasible
// side when x₀ is on a bound), then x₀ + ρ(±eᵢ ± eⱼ) pairs if npt > 2n+1.
func (o *optimizer) initial(x0 []float64) error {
	n, rho := o.n, o.rho
	base := make([]float64, n)
	dirs := make([][2]float64, n) // the two coordinate steps per variable
	for i := 0; i < n; i++ {
		x := math.Min(math.Max(x0[i], o.lo[i]), o.hi[i])
		switch {
		case x-o.lo[i] < rho && x-o.lo[i] <= rho/2:
			x = o.lo[i]
			dirs[i] = [2]float64{rho, 2 * rho}
		case x-o.lo[i] < rho:
			x = o.lo[i] + rho
			dirs[i] = [2]float64{rho, -rho}
		case o.hi[i]-x < rho && o.hi[i]-x <= rho/2:
			x = o.hi[i]
			dirs[i] = [2]float64{-rho, -2 * rho}
		case o.hi[i]-x < rho:
			x = o.hi[i] - rho
			dirs[i] = [2]float64{rho, -rho}
		default:
			dirs[i] = [2]float64{rho, -rho}
		}
		base[i] = x
	}
	add := func(p []float64) error {
		v, err := o.eval(p)
		o.pt = append(o.pt, p)
		o.fv = append(o.fv, v)
		if v < o.fv[o.kopt] {
			o.kopt = len(o.fv) - 1
		}
		return err
	}
	if err := add(base); err != nil {
		return atInitial(err, "the start")
	}
	for k := 1; k < o.npt; k++ {
		p := append([]float64(nil), base...)
		switch {
		case k <= n:
			p[k-1] += dirs[k-1][0]
		case k <= 2*n:
			p[k-n-1] += dirs[k-n-1][1]
		default:
			// pair (i, j) in the order Powell uses: i cycles fastest.
			m := k - 2*n - 1
			j := m/n + 1
			i := m%n + j
			if i >= n {
				i -= n
			}
			a, b := i, i-j
			if b < 0 {
				b += n
			}
			// step each coordinate the way that gave the lower value.
			for _, v := range []int{a, b} {
				st := dirs[v][0]
				if 2*n >= v+n+1 && o.fv[v+n+1] < o.fv[v+1] {
					st = dirs[v][1]
				}
				p[v] += st
			}
		}
		for i := range p { // guard rounding at the bounds
			p[i] = math.Min(math.Max(p[i], o.lo[i]), o.hi[i])
		}
		if err := add(p); err != nil {
			return atInitial(err, fmt.Sprintf("initial point %d (the start moved by rhobeg = %g)", k, rho))
		}
	}
	copy(o.xc, o.pt[o.kopt])
	o.c = o.fv[o.kopt]
	clear(o.g)
	clear(o.h)
	return o.rebuild()
}

// atInitial says where an evaluation of the initial set failed: the
// objective's own message (and argument) stays, so that the caller learns
// both what failed and which of its settings put the point there.
func atInitial(err error, where string) error {
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind == errs.Cancelled {
		return err
	}
	arg := "start"
	if where != "the start" {
		arg = "rhobeg"
	}
	return &errs.Error{Kind: e.Kind, Arg: arg, Msg: fmt.Sprintf("the objective cannot be evaluated at %s: %s", where, e.Error())}
}

// q evaluates the model at x.
func (o *optimizer) q(x []float64) float64 {
	n := o.n
	d := o.tmp
	for i := 0; i < n; i++ {
		d[i] = x[i] - o.xc[i]
	}
	v := o.c
	for i := 0; i < n; i++ {
		hd := 0.0
		for j := 0; j < n; j++ {
			hd += o.h[j*n+i] * d[j]
		}
		v += d[i] * (o.g[i] + 0.5*hd)
	}
	return v
}

// rebuild moves the model centre to the best point, forms and inverts the
// interpolation system there, and adds to Q the least-Frobenius-norm
// quadratic that makes it interpolate f at every point again.
func (o *optimizer) rebuild() error {
	n, npt := o.n, o.npt
	xo := o.pt[o.kopt]
	// residuals of the old model
	r := make([]float64, npt+n+1)
	for k := 0; k < npt; k++ {
		r[k] = o.fv[k] - o.q(o.pt[k])
	}
	// recentre: c and g at xo
	o.c = o.q(xo)
	for i := 0; i < n; i++ {
		gi := o.g[i]
		for j := 0; j < n; j++ {
			gi += o.h[j*n+i] * (xo[j] - o.xc[j])
		}
		o.tmp[i] = gi
	}
	copy(o.g, o.tmp)
	copy(o.xc, xo)
	if err := o.factorSystem(); err != nil {
		return err
	}
	coef := o.solve(r)
	sg := o.sigma
	y := make([]float64, n)
	for k := 0; k < npt; k++ {
		lam := coef[k] / (sg * sg)
		if lam == 0 {
			continue
		}
		for i := 0; i < n; i++ {
			y[i] = (o.pt[k][i] - xo[i]) / sg
		}
		for j := 0; j < n; j++ {
			for i := 0; i < n; i++ {
				o.h[j*n+i] += lam * y[i] * y[j]
			}
		}
	}
	o.c += coef[npt]
	for i := 0; i < n; i++ {
		o.g[i] += coef[npt+1+i] / sg
	}
	return nil
}

// factorSystem forms W = [A Eᵀ; E 0] with A_kj = ½(ỹₖ·ỹⱼ)², E = [1; ỹ],
// ỹ = (y − x_opt)/σ, σ the largest distance from x_opt, and inverts it.
func (o *optimizer) factorSystem() error {
	n, npt := o.n, o.npt
	N := npt + n + 1
	xo := o.pt[o.kopt]
	sg := 0.0
	for k := 0; k < npt; k++ {
		d := 0.0
		for i := 0; i < n; i++ {
			t := o.pt[k][i] - xo[i]
			d += t * t
		}
		sg = math.Max(sg, math.Sqrt(d))
	}
	if sg == 0 {
		return errs.Numericf("rhoend", "at ρ = %g the interpolation points coincide in floating point: rhoend = %g is too small for these variables", o.rho, o.set.Rhoend)
	}
	o.sigma = sg
	y := make([]float64, npt*n)
	for k := 0; k < npt; k++ {
		for i := 0; i < n; i++ {
			y[k*n+i] = (o.pt[k][i] - xo[i]) / sg
		}
	}
	w := make([]float64, N*N)
	for k := 0; k < npt; k++ {
		for j := 0; j < npt; j++ {
			d := 0.0
			for i := 0; i < n; i++ {
				d += y[k*n+i] * y[j*n+i]
			}
			w[j*N+k] = 0.5 * d * d
		}
		w[npt*N+k], w[k*N+npt] = 1, 1
		for i := 0; i < n; i++ {
			w[(npt+1+i)*N+k] = y[k*n+i]
			w[k*N+npt+1+i] = y[k*n+i]
		}
	}
	if !dense.InvertGaussJordan(w, N) {
		if o.rho < 1e-8*math.Max(1, maxAbs(xo)) {
			return errs.Numericf("rhoend", "at ρ = %g the interpolation points are degenerate in floating point: rhoend = %g is too small for these variables", o.rho, o.set.Rhoend)
		}
		return errs.Numericf("", "BOBYQA's interpolation points became degenerate at ρ = %g", o.rho)
	}
	o.omega = w
	return nil
}

func maxAbs(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m = math.Max(m, math.Abs(v))
	}
	return m
}

// solve returns Ω·[r; 0] (r has npt entries and room for n+1 more).
func (o *optimizer) solve(r []float64) []float64 {
	N := o.npt + o.n + 1
	out := make([]float64, N)
	for j := 0; j < o.npt; j++ {
		if r[j] == 0 {
			continue
		}
		col := o.omega[j*N : (j+1)*N]
		for i := range out {
			out[i] += col[i] * r[j]
		}
	}
	return out
}

// lagrange returns the values at x of all npt Lagrange functions.
func (o *optimizer) lagrange(x []float64) []float64 {
	n, npt := o.n, o.npt
	N := npt + n + 1
	xo := o.pt[o.kopt]
	sg := o.sigma
	phi := make([]float64, N)
	xs := make([]float64, n)
	for i := 0; i < n; i++ {
		xs[i] = (x[i] - xo[i]) / sg
	}
	for j := 0; j < npt; j++ {
		d := 0.0
		for i := 0; i < n; i++ {
			d += (o.pt[j][i] - xo[i]) / sg * xs[i]
		}
		phi[j] = 0.5 * d * d
	}
	phi[npt] = 1
	copy(phi[npt+1:], xs)
	l := make([]float64, npt)
	for k := 0; k < npt; k++ {
		col := o.omega[k*N : (k+1)*N]
		v := 0.0
		for i, p := range phi {
			v += col[i] * p
		}
		l[k] = v
	}
	return l
}
