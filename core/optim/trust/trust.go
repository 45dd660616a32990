// Package trust maximises a twice-differentiable function with exact
// Hessians by the trust-region method of Geyer's R package trust, which glmm
// uses for its MCLA fits (rinit = 10, rmax = 1000, iterlim = 1000 there).
//
// Each iteration works on the quadratic model m(p) = f + g′p + ½p′Bp of the
// function to minimise (−objective), with B = Q Λ Q′ from one symmetric
// eigendecomposition (Nocedal and Wright, Numerical Optimization, §4.3;
// Fletcher, Practical Methods of Optimization, §5.1):
//
//   - Newton: if B is positive definite and ‖B⁻¹g‖ ≤ r, p = −B⁻¹g.
//   - Otherwise p(β) = −Q (Λ − λ_min + β)⁻¹ Q′g with β ≥ 0 chosen so that
//     ‖p(β)‖ = r (Moré and Sorensen's secular equation, solved for
//     1/‖p(β)‖ = 1/r, which is nearly linear in β, by safeguarded Newton).
//     In the hard case (g has no component along the eigenvectors of λ_min
//     and β = 0 leaves the step inside) a multiple of such an eigenvector
//     takes the step to the boundary.
//
// The trial point's actual change is compared with the predicted change
// m(p) − f: with ratio ρ < 1/4 the step is rejected and r ← r/4; otherwise
// it is accepted and, when ρ > 3/4 and the step was not a Newton step,
// r ← min(2r, rmax). A trial point outside the parameter space (the
// objective reports a Domain error, glmm's −∞) counts as ρ = −∞. The search
// stops when a trial changes the value by less than FTerm or the predicted
// change is below MTerm (both √ε by default, absolute, as in trust).
package trust

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
	"gonum.org/v1/gonum/mat"
)

// Objective computes the value at x and writes the gradient into g and the
// Hessian (column-major d×d) into h. An error of kind errs.Domain or
// errs.Numeric means x is outside the region where the function is finite:
// the value is then taken to be −∞. Any other error stops the search.
type Objective func(x, g, h []float64) (float64, error)

// Options of Maximize. Zero values select trust's and glmm's defaults.
type Options struct {
	RInit   float64 // initial radius, default 10 (glmm's)
	RMax    float64 // largest radius, default 1000 (glmm's)
	IterLim int     // iterations, default 1000 (glmm's)
	FTerm   float64 // default √ε
	MTerm   float64 // default √ε
	// Progress, if not nil, is called after every iteration with the
	// iteration number, the current (accepted) value and point (valid only
	// during the call); returning false cancels the search, which then
	// returns errs.ErrCancelled with the current point in the Result.
	Progress func(iter int, value float64, x []float64) bool
}

// StepType classifies an iteration's subproblem solution.
type StepType int

const (
	Newton   StepType = iota // unconstrained Newton step
	Boundary                 // on the boundary, found by the secular equation
	Hard                     // hard case: eigenvector completion
)

// Result of Maximize. Value, Gradient and Hessian are at X, the last
// accepted point.
type Result struct {
	X         []float64
	Value     float64
	Gradient  []float64
	Hessian   []float64
	Converged bool
	Iter      int // iterations (trial points) used
	Evals     int // objective evaluations, including the first
	Radius    float64
	Rejected  int // trial points rejected (ρ < 1/4 or outside the domain)
}

// Maximize maximises obj from x0.
func Maximize(obj Objective, x0 []float64, opt Options) (*Result, error) {
	d := len(x0)
	if d == 0 {
		return nil, errs.Invalidf("par_init", "is empty")
	}
	for i, v := range x0 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, errs.Invalidf("par_init", "element %d is %g; must be finite", i, v)
		}
	}
	if opt.RInit == 0 {
		opt.RInit = 10
	}
	if opt.RMax == 0 {
		opt.RMax = 1000
	}
	if opt.IterLim == 0 {
		opt.IterLim = 1000
	}
	if opt.FTerm == 0 {
		opt.FTerm = math.Sqrt(0x1p-52)
	}
	if opt.MTerm == 0 {
		opt.MTerm = math.Sqrt(0x1p-52)
	}
	if !(opt.RInit > 0) || !(opt.RMax >= opt.RInit) || math.IsInf(opt.RMax, 0) {
		return nil, errs.Invalidf("rmax", "radii rinit = %g, rmax = %g: need 0 < rinit <= rmax < Inf", opt.RInit, opt.RMax)
	}
	if opt.IterLim < 0 {
		return nil, errs.Invalidf("iterlim", "is %d; must be positive", opt.IterLim)
	}
	if !(opt.FTerm > 0) || !(opt.MTerm > 0) {
		return nil, errs.Invalidf("fterm", "tolerances must be positive")
	}
	res := &Result{X: append([]float64(nil), x0...), Gradient: make([]float64, d), Hessian: make([]float64, d*d)}
	f, err := obj(res.X, res.Gradient, res.Hessian)
	res.Evals = 1
	if err != nil {
		if k := errs.KindOf(err); k == errs.Domain || k == errs.Numeric {
			return nil, &errs.Error{Kind: k, Arg: "par_init", Msg: "the starting values are not feasible: " + err.Error()}
		}
		return nil, err
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, errs.Numericf("par_init", "the objective at the starting values is %g", f)
	}
	if err := finiteDerivs(res.Gradient, res.Hessian); err != nil {
		return nil, err
	}
	res.Value = f
	r := opt.RInit
	xt, gt, ht := make([]float64, d), make([]float64, d), make([]float64, d*d)
	var sub subproblem
	sub.init(d)
	accept := true
	for iter := 1; iter <= opt.IterLim; iter++ {
		res.Iter = iter
		if accept {
			// Minimisation form: B = −H, g = −∇.
			if err := sub.setModel(res.Gradient, res.Hessian); err != nil {
				return res, err
			}
		}
		p, isNewton := sub.solve(r)
		// Predicted change of the minimised function: g′p + ½p′Bp.
		pred := sub.predicted(p)
		for i := range xt {
			xt[i] = res.X[i] + p[i]
		}
		ft, err := obj(xt, gt, ht)
		res.Evals++
		if err != nil {
			if k := errs.KindOf(err); k != errs.Domain && k != errs.Numeric {
				return res, err
			}
			ft = math.Inf(-1)
		} else if math.IsNaN(ft) {
			ft = math.Inf(-1)
		} else if !math.IsInf(ft, -1) {
			if err := finiteDerivs(gt, ht); err != nil {
				ft = math.Inf(-1)
			}
		}
		// In minimisation terms f_try − f = −(ft − Value).
		diff := -(ft - res.Value)
		rho := diff / pred
		terminate := false
		if !math.IsInf(ft, -1) {
			terminate = math.Abs(diff) < opt.FTerm || math.Abs(pred) < opt.MTerm
		} else {
			rho = math.Inf(-1)
		}
		if terminate {
			accept = ft > res.Value
		} else if rho < 0.25 {
			accept = false
			r /= 4
		} else {
			accept = true
			if rho > 0.75 && !isNewton {
				r = math.Min(2*r, opt.RMax)
			}
		}
		if accept {
			copy(res.X, xt)
			copy(res.Gradient, gt)
			copy(res.Hessian, ht)
			res.Value = ft
		} else {
			res.Rejected++
		}
		res.Radius = r
		if terminate {
			res.Converged = true
			break
		}
		if opt.Progress != nil && !opt.Progress(iter, res.Value, res.X) {
			return res, errs.ErrCancelled
		}
	}
	return res, nil
}

func finiteDerivs(g, h []float64) error {
	for i, v := range g {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errs.Numericf("gradient", "element %d is %g", i, v)
		}
	}
	for i, v := range h {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errs.Numericf("hessian", "element %d is %g", i, v)
		}
	}
	return nil
}

// subproblem holds the eigendecomposition of B and Q′g for the current
// accepted point.
type subproblem struct {
	d      int
	b      []float64 // B column-major
	g      []float64 // gradient of the minimised function
	lambda []float64 // eigenvalues, ascending
	vecs   *mat.Dense
	gq     []float64
	p, w   []float64
	eig    mat.EigenSym
}

func (s *subproblem) init(d int) {
	s.d = d
	s.b, s.g = make([]float64, d*d), make([]float64, d)
	s.gq, s.p, s.w, s.lambda = make([]float64, d), make([]float64, d), make([]float64, d), make([]float64, d)
	s.vecs = mat.NewDense(d, d, nil)
}

func (s *subproblem) setModel(grad, hess []float64) error {
	d := s.d
	sym := mat.NewSymDense(d, nil)
	for j := 0; j < d; j++ {
		s.g[j] = -grad[j]
		for i := 0; i < d; i++ {
			s.b[j*d+i] = -hess[j*d+i]
		}
	}
	for j := 0; j < d; j++ {
		for i := 0; i <= j; i++ {
			// Symmetrise: the Monte Carlo Hessian is symmetric up to rounding.
			sym.SetSym(i, j, (s.b[j*d+i]+s.b[i*d+j])/2)
		}
	}
	if !s.eig.Factorize(sym, true) {
		return errs.Numericf("hessian", "eigendecomposition failed")
	}
	s.eig.Values(s.lambda)
	s.eig.VectorsTo(s.vecs)
	for k := 0; k < d; k++ {
		var t float64
		for i := 0; i < d; i++ {
			t += s.vecs.At(i, k) * s.g[i]
		}
		s.gq[k] = t
	}
	return nil
}

// step sets p = −Q w.
func (s *subproblem) step() []float64 {
	for i := range s.p {
		var t float64
		for k, wk := range s.w {
			t += s.vecs.At(i, k) * wk
		}
		s.p[i] = -t
	}
	return s.p
}

func norm(v []float64) float64 {
	var t float64
	for _, x := range v {
		t += x * x
	}
	return math.Sqrt(t)
}

// solve returns the step for radius r and whether it is a Newton step.
func (s *subproblem) solve(r float64) ([]float64, bool) {
	lmin := s.lambda[0]
	if lmin > 0 {
		for k := range s.w {
			s.w[k] = s.gq[k] / s.lambda[k]
		}
		if norm(s.w) <= r { // ‖p‖ = ‖w‖: Q is orthogonal
			return s.step(), true
		}
	}
	// beta_k = λ_k − λ_min ≥ 0; "imin" are the k with beta_k == 0.
	var c1, c2, c3 float64
	for k, l := range s.lambda {
		bk := l - lmin
		g2 := s.gq[k] * s.gq[k]
		c3 += g2
		if bk == 0 {
			c2 += g2
		} else {
			c1 += g2 / (bk * bk)
		}
	}
	if c2 > 0 || c1 > r*r {
		// φ(β) = 1/‖w(β)‖ − 1/r is increasing; find its root in [0, βup].
		up := math.Sqrt(c3) / r
		phi := func(beta float64) (float64, float64) {
			if beta == 0 && c2 > 0 {
				return -1 / r, math.Inf(1)
			}
			var s2, s3 float64
			for k, l := range s.lambda {
				den := l - lmin + beta
				if den == 0 {
					continue
				}
				t := s.gq[k] / den
				s2 += t * t
				s3 += t * t / den
			}
			nw := math.Sqrt(s2)
			return 1/nw - 1/r, s3 / (nw * nw * nw)
		}
		var beta float64
		if v, _ := phi(up); v <= 0 {
			beta = up
		} else {
			lo, hi := 0.0, up
			beta = 0
			if c2 > 0 {
				beta = up / 2
			}
			for it := 0; it < 200; it++ {
				v, dv := phi(beta)
				if v == 0 {
					break
				}
				if v < 0 {
					lo = beta
				} else {
					hi = beta
				}
				next := beta - v/dv
				if !(next > lo && next < hi) || math.IsInf(dv, 0) {
					next = (lo + hi) / 2
				}
				if math.Abs(next-beta) <= 1e-15*math.Max(1, beta) || hi-lo <= 1e-15*math.Max(1, hi) {
					beta = next
					break
				}
				beta = next
			}
		}
		for k, l := range s.lambda {
			den := l - lmin + beta
			if den == 0 {
				s.w[k] = 0
			} else {
				s.w[k] = s.gq[k] / den
			}
		}
		return s.step(), false
	}
	// Hard case: g ⟂ the λ_min eigenspace and β = 0 leaves the step short.
	for k, l := range s.lambda {
		if l-lmin == 0 {
			s.w[k] = 0
		} else {
			s.w[k] = s.gq[k] / (l - lmin)
		}
	}
	p := s.step()
	if u := r - norm(p); u > 0 {
		for i := range p {
			p[i] += u * s.vecs.At(i, 0) // a unit vector of the λ_min eigenspace
		}
	}
	return p, false
}

// predicted returns g′p + ½p′Bp.
func (s *subproblem) predicted(p []float64) float64 {
	d := s.d
	var t float64
	for j := 0; j < d; j++ {
		var bp float64
		for i := 0; i < d; i++ {
			bp += s.b[j*d+i] * p[i]
		}
		t += p[j] * (s.g[j] + bp/2)
	}
	return t
}
