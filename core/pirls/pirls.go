// Package pirls solves the penalised likelihood problem at the heart of PQL
// and of the Laplace approximation of a GLMM: for fixed per-column scales a
// (A = diag(a)), with linear predictor
//
//	η = o + Xβ + Z A s,
//
// find (β̃, s̃) maximising the penalised log-likelihood
//
//	P(β, s) = Σᵢ wᵢ ℓ(yᵢ; ηᵢ) − ‖s‖²/2,
//
// where ℓ is the family's log-likelihood without constants (package
// response: y·η − c(η) for the exponential families). This is Breslow and
// Clayton's (1993, J. Am. Stat. Assoc. 88) penalised quasi-likelihood step
// with spherical random effects s, u = As, as glmm's PQL (its
// fn.inner.trust) and lme4/MixedModels.jl's PIRLS pose it (Bates et al.
// 2015, J. Stat. Softw. 67(1), §5).
//
// Method: Newton's method with step halving. With W = diag(wᵢ·(−ℓ″(ηᵢ)))
// and r = (wᵢ ℓ′(ηᵢ)), the negative Hessian and the gradient are
//
//	H = [ X′WX    X′WZA      ]     g = [ X′r        ]
//	    [ AZ′WX   AZ′WZA + I ]         [ AZ′r − s   ]
//
// H is positive definite for the concave families here (C = AZ′WZA + I ⪰ I),
// and is solved by block elimination (dense.Bordered): factor C, then the
// p×p Schur complement X′WX − B′C⁻¹B with B = AZ′WX. C is assembled from the
// sparse rows of Z (a row with k nonzeros adds k² terms), so nothing costs
// n·q; C itself is held dense, which suits up to a few thousand random
// effects (larger problems need the blocked sparse factor of the LMM
// engine). The same factorisation yields log|C| = log|AZ′WZA + I|, which
// PQL's outer objective and the Laplace approximation both need.
package pirls

import (
	"math"

	"github.com/glmmgo/glmmgo/core/checkpoint"
	"github.com/glmmgo/glmmgo/core/dense"
	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/response"
	"github.com/glmmgo/glmmgo/core/sparse"
)

// Problem is the fixed part of a penalised problem. Slices are kept, not
// copied: callers must not change them while a Solver uses them.
type Problem struct {
	response.Response             // y, trials, weights, offset, family, dispersion (length N)
	N, P, Q           int         // observations, fixed effects, random effects
	X                 []float64   // N×P column-major
	Z                 *sparse.CSR // N×Q
}

// Result is a solution. Beta and S are the maximiser; Eta the linear
// predictor there; LogLik = Σ wᵢ ℓ(yᵢ; ηᵢ) (no constants); Penalised =
// LogLik − ‖s‖²/2; LogDet = log|AZ′WZA + I| with W at the solution; Iter the
// number of Newton steps taken.
type Result struct {
	Beta, S   []float64
	Eta       []float64
	LogLik    float64
	Penalised float64
	LogDet    float64
	Iter      int
}

// Options tune the iteration. Zero values select the defaults.
type Options struct {
	// Checkpoint, if not nil, is checked after every Newton step: a solve
	// stops with errs.ErrCancelled when it stops.
	Checkpoint *checkpoint.Checkpoint
	MaxIter    int // Newton steps, default 100
	// Stop when the Newton decrement g′H⁻¹g/2 < Tol·(1+|P|); default 1e-20.
	// The tolerance is tight because PQL's outer objective includes
	// log|AZ′WZA + I|, which is not stationary at the solution: an error δ
	// in (β, s) moves it by O(δ) while P moves by O(δ²). Newton's quadratic
	// convergence makes the last digits cheap (one or two more steps).
	Tol float64
}

func (o Options) withDefaults() Options {
	if o.MaxIter <= 0 {
		o.MaxIter = 100
	}
	if o.Tol <= 0 {
		o.Tol = 1e-20
	}
	return o
}

// Solver holds the Newton system and scratch for repeated solves of one
// Problem. It is not safe for concurrent use.
type Solver struct {
	pr       Problem
	r, w     []float64 // wℓ′ and w(−ℓ″) at the current point
	sys      *dense.Bordered
	gb, gs   []float64 // gradient
	db, ds   []float64 // Newton step
	tb, ts   []float64 // trial point
	trialEta []float64
}

// New validates the shapes of pr (values are the caller's concern: the MCLA
// model validates responses) and returns a Solver.
func New(pr Problem) (*Solver, error) {
	if pr.N < 1 || pr.Q < 1 || pr.P < 0 {
		return nil, errs.Invalidf("n", "dimensions n=%d p=%d q=%d are not usable", pr.N, pr.P, pr.Q)
	}
	if err := pr.CheckLengths(pr.N); err != nil {
		return nil, err
	}
	if len(pr.X) != pr.N*pr.P {
		return nil, errs.Invalidf("x", "has length %d, want %d", len(pr.X), pr.N*pr.P)
	}
	if pr.Z == nil || pr.Z.Rows != pr.N || pr.Z.Cols != pr.Q {
		return nil, errs.Invalidf("z", "must be an n×q = %d×%d sparse matrix", pr.N, pr.Q)
	}
	if err := pr.CheckDispersion(); err != nil {
		return nil, err
	}
	n, p, q := pr.N, pr.P, pr.Q
	return &Solver{pr: pr, r: make([]float64, n), w: make([]float64, n), sys: dense.NewBordered(p, q),
		gb: make([]float64, p), gs: make([]float64, q), db: make([]float64, p), ds: make([]float64, q),
		tb: make([]float64, p), ts: make([]float64, q), trialEta: make([]float64, n)}, nil
}

// Solve maximises P(β, s) for scales a (length Q, any sign), starting from
// beta0 (length P) and s0 (length Q); nil starts mean zeros. res's slices are
// allocated if nil.
func (s *Solver) Solve(a, beta0, s0 []float64, opt Options, res *Result) error {
	if err := s.checkScales(a); err != nil {
		return err
	}
	opt = opt.withDefaults()
	s.start(beta0, s0, res)
	beta, sv := res.Beta, res.S
	s.linpred(a, beta, sv, res.Eta)
	obj := s.loglik(res.Eta, true) - penalty(sv)
	if math.IsNaN(obj) || math.IsInf(obj, 0) {
		return errs.Numericf("start", "the penalised log-likelihood at the starting values is %g", obj)
	}
	res.Iter = 0
	prevObj := math.Inf(-1)
	for it := 0; ; it++ {
		dec, err := s.newton(a, sv, res)
		if err != nil {
			return err
		}
		if dec/2 < opt.Tol*(1+math.Abs(obj)) {
			break
		}
		if it >= opt.MaxIter {
			return errs.Numericf("pirls", "no convergence in %d Newton steps (decrement %g)", opt.MaxIter, dec)
		}
		step, accepted := s.halve(a, beta, sv, obj)
		if !accepted || (step == 1 && dec < 1e-12*(1+math.Abs(obj)) && res.Iter > 0 && obj <= prevObj) {
			// No step increases P: the maximum is reached to rounding.
			if accepted {
				obj = s.move(res)
				if ok, schur := s.factor(a); !ok && !schur {
					return errNotPD()
				}
				res.LogDet = s.sys.LogDetC()
			}
			break
		}
		prevObj = obj
		obj = s.move(res)
		res.Iter++
		if err := opt.Checkpoint.Check(); err != nil {
			return err
		}
	}
	res.Penalised = obj
	res.LogLik = obj + penalty(sv)
	return nil
}

func errNotPD() error {
	return errs.Numericf("a", "the penalised system is not positive definite (non-finite curvature)")
}

// checkScales: a has one finite scale per random effect.
func (s *Solver) checkScales(a []float64) error {
	if len(a) != s.pr.Q {
		return errs.Invalidf("a", "has length %d, want q = %d", len(a), s.pr.Q)
	}
	for j, v := range a {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errs.Invalidf("a", "element %d is %g; scales must be finite", j, v)
		}
	}
	return nil
}

// start allocates res's slices if needed and sets the starting point.
func (s *Solver) start(beta0, s0 []float64, res *Result) {
	if res.Beta == nil {
		res.Beta = make([]float64, s.pr.P)
	}
	if res.S == nil {
		res.S = make([]float64, s.pr.Q)
	}
	if res.Eta == nil {
		res.Eta = make([]float64, s.pr.N)
	}
	clear(res.Beta)
	clear(res.S)
	copy(res.Beta, beta0)
	copy(res.S, s0)
}

func penalty(v []float64) float64 {
	var t float64
	for _, x := range v {
		t += x * x
	}
	return t / 2
}

// newton computes the gradient at the current point, factors H (setting
// res.LogDet) and solves H·(δβ, δs) = g into (db, ds); it returns the
// Newton decrement g′H⁻¹g.
func (s *Solver) newton(a, sv []float64, res *Result) (float64, error) {
	s.gradient(a, sv)
	ok, schur := s.factor(a)
	if !ok && schur {
		return 0, errs.Numericf("x", "the fixed-effects information X′WX (given the random effects) is singular: are columns of X collinear?")
	}
	if !ok {
		return 0, errNotPD()
	}
	res.LogDet = s.sys.LogDetC()
	s.sys.Solve(s.gb, s.gs, s.db, s.ds)
	var dec float64
	for j, g := range s.gb {
		dec += g * s.db[j]
	}
	for j, g := range s.gs {
		dec += g * s.ds[j]
	}
	return dec, nil
}

// halve tries the Newton step, halving it until P does not decrease beyond
// rounding; the trial point is left in (tb, ts, trialEta).
func (s *Solver) halve(a, beta, sv []float64, obj float64) (step float64, accepted bool) {
	step = 1.0
	for h := 0; h < 40; h++ {
		for j := range s.tb {
			s.tb[j] = beta[j] + step*s.db[j]
		}
		for j := range s.ts {
			s.ts[j] = sv[j] + step*s.ds[j]
		}
		s.linpred(a, s.tb, s.ts, s.trialEta)
		tobj := s.loglik(s.trialEta, false) - penalty(s.ts)
		if tobj >= obj-1e-12*(1+math.Abs(obj)) && !math.IsNaN(tobj) {
			return step, true
		}
		step /= 2
	}
	return step, false
}

// move makes the trial point current and returns P there (with r and w
// updated).
func (s *Solver) move(res *Result) float64 {
	copy(res.Beta, s.tb)
	copy(res.S, s.ts)
	copy(res.Eta, s.trialEta)
	return s.loglik(res.Eta, true) - penalty(res.S)
}
