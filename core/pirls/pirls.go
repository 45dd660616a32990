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
// where ℓ is the family's log-likelihood without constants (package family:
// y·η − c(η) for the exponential families). This is Breslow and Clayton's
// (1993) penalised quasi-likelihood step with spherical random effects s,
// u = As, as glmm's PQL (its fn.inner.trust) and lme4/MixedModels.jl's PIRLS
// pose it.
//
// Method: Newton's method with step halving. With W = diag(wᵢ·(−ℓ″(ηᵢ)))
// and r = (wᵢ ℓ′(ηᵢ)), the negative Hessian and the gradient are
//
//	H = [ X′WX    X′WZA      ]     g = [ X′r        ]
//	    [ AZ′WX   AZ′WZA + I ]         [ AZ′r − s   ]
//
// H is positive definite for the concave families here (C = AZ′WZA + I ⪰ I),
// and is solved by block elimination: factor C (Cholesky), then the p×p
// Schur complement X′WX − B′C⁻¹B with B = AZ′WX. C is assembled from the
// sparse rows of Z (a row with k nonzeros adds k² terms), so nothing costs
// n·q; C itself is held dense, which suits up to a few thousand random
// effects (a sparse or blocked factorisation is the Laplace issue's
// concern). The same factorisation yields log|C| = log|AZ′WZA + I|, which
// PQL's outer objective and the Laplace approximation both need.
package pirls

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/sparse"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
)

// Problem is the fixed part of a penalised problem. Slices are kept, not
// copied: callers must not change them while a Solver uses them.
type Problem struct {
	Family     family.Code
	N, P, Q    int
	Y          []float64   // length N
	Trials     []float64   // length N, or nil for all ones
	Weights    []float64   // length N, or nil for all ones
	Offset     []float64   // length N, or nil for zeros
	Dispersion float64     // negative binomial size r; 0 otherwise
	X          []float64   // N×P column-major
	Z          *sparse.CSR // N×Q
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
	MaxIter int // Newton steps, default 100
	// Stop when the Newton decrement g′H⁻¹g/2 < Tol·(1+|P|); default 1e-20.
	// The tolerance is tight because PQL's outer objective includes
	// log|AZ′WZA + I|, which is not stationary at the solution: an error δ
	// in (β, s) moves it by O(δ) while P moves by O(δ²). Newton's quadratic
	// convergence makes the last digits cheap (one or two more steps).
	Tol float64
}

// Solver holds scratch for repeated solves of one Problem.
type Solver struct {
	pr        Problem
	ones      []float64
	zeros     []float64
	eta, r, w []float64
	// C = AZ′WZA + I (upper triangle, overwritten by its Cholesky factor),
	// B = AZ′WX (q×p row-major) and C⁻¹B, as raw LAPACK storage: gonum's
	// mat.Cholesky also estimates a condition number on every
	// factorisation, which cost more than the factorisation itself here.
	c      blas64.Symmetric
	cf     blas64.Triangular
	b, cb  blas64.General
	logDet float64
}

// New validates the shapes of pr (values are the caller's concern: the MCLA
// model validates responses) and returns a Solver.
func New(pr Problem) (*Solver, error) {
	if pr.N < 1 || pr.Q < 1 || pr.P < 0 {
		return nil, errs.Invalidf("n", "dimensions n=%d p=%d q=%d are not usable", pr.N, pr.P, pr.Q)
	}
	if len(pr.Y) != pr.N {
		return nil, errs.Invalidf("y", "has length %d, want %d", len(pr.Y), pr.N)
	}
	if len(pr.X) != pr.N*pr.P {
		return nil, errs.Invalidf("x", "has length %d, want %d", len(pr.X), pr.N*pr.P)
	}
	if pr.Z == nil || pr.Z.Rows != pr.N || pr.Z.Cols != pr.Q {
		return nil, errs.Invalidf("z", "must be an n×q = %d×%d sparse matrix", pr.N, pr.Q)
	}
	for _, v := range []struct {
		s   []float64
		arg string
	}{{pr.Trials, "ntrials"}, {pr.Weights, "weights"}, {pr.Offset, "offset"}} {
		if v.s != nil && len(v.s) != pr.N {
			return nil, errs.Invalidf(v.arg, "has length %d, want %d", len(v.s), pr.N)
		}
	}
	if msg := pr.Family.CheckDispersion(pr.Dispersion); msg != "" {
		return nil, errs.Invalidf("dispersion", "%s", msg)
	}
	s := &Solver{pr: pr, eta: make([]float64, pr.N), r: make([]float64, pr.N), w: make([]float64, pr.N),
		c:  blas64.Symmetric{Uplo: blas.Upper, N: pr.Q, Stride: pr.Q, Data: make([]float64, pr.Q*pr.Q)},
		b:  blas64.General{Rows: pr.Q, Cols: pr.P, Stride: max(pr.P, 1), Data: make([]float64, pr.Q*max(pr.P, 1))},
		cb: blas64.General{Rows: pr.Q, Cols: pr.P, Stride: max(pr.P, 1), Data: make([]float64, pr.Q*max(pr.P, 1))}}
	s.ones = make([]float64, pr.N)
	for i := range s.ones {
		s.ones[i] = 1
	}
	s.zeros = make([]float64, pr.N)
	return s, nil
}

func (s *Solver) trials() []float64 {
	if s.pr.Trials == nil {
		return s.ones
	}
	return s.pr.Trials
}

func (s *Solver) weights() []float64 {
	if s.pr.Weights == nil {
		return s.ones
	}
	return s.pr.Weights
}

func (s *Solver) offset() []float64 {
	if s.pr.Offset == nil {
		return s.zeros
	}
	return s.pr.Offset
}

// linpred sets eta = o + Xβ + Z diag(a) s.
func (s *Solver) linpred(a, beta, sv, eta []float64) {
	pr := &s.pr
	copy(eta, s.offset())
	for j, bj := range beta {
		col := pr.X[j*pr.N : (j+1)*pr.N]
		for i, x := range col {
			eta[i] += x * bj
		}
	}
	z := pr.Z
	for i := 0; i < pr.N; i++ {
		for k := z.RowPtr[i]; k < z.RowPtr[i+1]; k++ {
			j := z.Col[k]
			eta[i] += z.Val[k] * a[j] * sv[j]
		}
	}
}

// loglik returns Σ wᵢ ℓ(ηᵢ) and, if withDeriv, fills r = wℓ′ and w = w(−ℓ″).
func (s *Solver) loglik(eta []float64, withDeriv bool) float64 {
	pr := &s.pr
	nt, wt := s.trials(), s.weights()
	var l float64
	for i, e := range eta {
		if wt[i] == 0 {
			if withDeriv {
				s.r[i], s.w[i] = 0, 0
			}
			continue
		}
		li, d1, cw := pr.Family.LogLik(pr.Y[i], e, nt[i], pr.Dispersion)
		l += wt[i] * li
		if withDeriv {
			s.r[i], s.w[i] = wt[i]*d1, wt[i]*cw
		}
	}
	return l
}

// factor assembles C = AZ′WZA + I and B = AZ′WX from the current w,
// factors C and sets log|C|. It returns false if C is not positive definite
// (only possible with non-finite values).
func (s *Solver) factor(a []float64) bool {
	pr := &s.pr
	z := pr.Z
	q, p := pr.Q, pr.P
	data := s.c.Data
	clear(data)
	for j := 0; j < q; j++ {
		data[j*q+j] = 1
	}
	clear(s.b.Data)
	for i := 0; i < pr.N; i++ {
		wi := s.w[i]
		if wi == 0 {
			continue
		}
		lo, hi := z.RowPtr[i], z.RowPtr[i+1]
		for k1 := lo; k1 < hi; k1++ {
			j1 := z.Col[k1]
			v1 := z.Val[k1] * a[j1] * wi
			for k2 := k1; k2 < hi; k2++ { // columns increase along a row: j1 ≤ j2
				j2 := z.Col[k2]
				data[j1*q+j2] += v1 * z.Val[k2] * a[j2]
			}
			brow := s.b.Data[j1*s.b.Stride : j1*s.b.Stride+p]
			for j := range brow {
				brow[j] += v1 * pr.X[j*pr.N+i]
			}
		}
	}
	t, ok := lapack64.Potrf(s.c)
	if !ok {
		return false
	}
	s.cf = t
	s.logDet = 0
	for j := 0; j < q; j++ {
		s.logDet += 2 * math.Log(data[j*q+j])
	}
	return true
}

// solveC overwrites the q-vector v with C⁻¹v.
func (s *Solver) solveC(v []float64) {
	x := blas64.Vector{N: len(v), Inc: 1, Data: v}
	blas64.Trsv(blas.Trans, s.cf, x)
	blas64.Trsv(blas.NoTrans, s.cf, x)
}

// Solve maximises P(β, s) for scales a (length Q, any sign), starting from
// beta0 (length P) and s0 (length Q); nil starts mean zeros. res's slices are
// allocated if nil.
func (s *Solver) Solve(a, beta0, s0 []float64, opt Options, res *Result) error {
	pr := &s.pr
	p, q, n := pr.P, pr.Q, pr.N
	if len(a) != q {
		return errs.Invalidf("a", "has length %d, want q = %d", len(a), q)
	}
	for j, v := range a {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errs.Invalidf("a", "element %d is %g; scales must be finite", j, v)
		}
	}
	if opt.MaxIter <= 0 {
		opt.MaxIter = 100
	}
	if opt.Tol <= 0 {
		opt.Tol = 1e-20
	}
	if res.Beta == nil {
		res.Beta = make([]float64, p)
	}
	if res.S == nil {
		res.S = make([]float64, q)
	}
	if res.Eta == nil {
		res.Eta = make([]float64, n)
	}
	beta, sv := res.Beta, res.S
	clear(beta)
	clear(sv)
	if beta0 != nil {
		copy(beta, beta0)
	}
	if s0 != nil {
		copy(sv, s0)
	}
	penalty := func(v []float64) float64 {
		var t float64
		for _, x := range v {
			t += x * x
		}
		return t / 2
	}
	s.linpred(a, beta, sv, res.Eta)
	obj := s.loglik(res.Eta, true) - penalty(sv)
	if math.IsNaN(obj) || math.IsInf(obj, 0) {
		return errs.Numericf("start", "the penalised log-likelihood at the starting values is %g", obj)
	}
	gb, gs := make([]float64, p), make([]float64, q)
	db, ds := make([]float64, p), make([]float64, q)
	tb, ts := make([]float64, p), make([]float64, q)
	trialEta := make([]float64, n)
	schur := blas64.Symmetric{Uplo: blas.Upper, N: p, Stride: max(p, 1), Data: make([]float64, p*max(p, 1))}
	rhs := make([]float64, p)
	res.Iter = 0
	prevObj := math.Inf(-1)
	for it := 0; ; it++ {
		// Gradient at the current point (r was set by loglik).
		for j := range gb {
			col := pr.X[j*n : (j+1)*n]
			var t float64
			for i, x := range col {
				t += x * s.r[i]
			}
			gb[j] = t
		}
		for j := range gs {
			gs[j] = -sv[j]
		}
		z := pr.Z
		for i := 0; i < n; i++ {
			for k := z.RowPtr[i]; k < z.RowPtr[i+1]; k++ {
				j := z.Col[k]
				gs[j] += a[j] * z.Val[k] * s.r[i]
			}
		}
		if !s.factor(a) {
			return errs.Numericf("a", "the penalised system is not positive definite (non-finite curvature)")
		}
		res.LogDet = s.logDet
		// δβ = S⁻¹(gβ − B′C⁻¹gs), δs = C⁻¹(gs − Bδβ), S = X′WX − B′C⁻¹B.
		copy(ds, gs)
		s.solveC(ds) // C⁻¹gs for now
		if p > 0 {
			copy(s.cb.Data, s.b.Data)
			lapack64.Potrs(s.cf, s.cb) // C⁻¹B
			for j := 0; j < p; j++ {
				xj := pr.X[j*n : (j+1)*n]
				for k := j; k < p; k++ {
					xk := pr.X[k*n : (k+1)*n]
					var t float64
					for i, w := range s.w {
						t += xj[i] * w * xk[i]
					}
					for l := 0; l < q; l++ {
						t -= s.b.Data[l*s.b.Stride+j] * s.cb.Data[l*s.cb.Stride+k]
					}
					schur.Data[j*schur.Stride+k] = t
				}
				t := gb[j]
				for l := 0; l < q; l++ {
					t -= s.b.Data[l*s.b.Stride+j] * ds[l]
				}
				rhs[j] = t
			}
			st, ok := lapack64.Potrf(schur)
			if !ok {
				return errs.Numericf("x", "the fixed-effects information X′WX (given the random effects) is singular: are columns of X collinear?")
			}
			copy(db, rhs)
			x := blas64.Vector{N: p, Inc: 1, Data: db}
			blas64.Trsv(blas.Trans, st, x)
			blas64.Trsv(blas.NoTrans, st, x)
			// δs = C⁻¹gs − (C⁻¹B)δβ.
			for l := 0; l < q; l++ {
				var t float64
				for j := 0; j < p; j++ {
					t += s.cb.Data[l*s.cb.Stride+j] * db[j]
				}
				ds[l] -= t
			}
		}
		// Newton decrement g′H⁻¹g.
		var dec float64
		for j := 0; j < p; j++ {
			dec += gb[j] * db[j]
		}
		for j := 0; j < q; j++ {
			dec += gs[j] * ds[j]
		}
		if dec/2 < opt.Tol*(1+math.Abs(obj)) {
			break
		}
		if it >= opt.MaxIter {
			return errs.Numericf("pirls", "no convergence in %d Newton steps (decrement %g)", opt.MaxIter, dec)
		}
		// Step halving: accept the first step that does not decrease P
		// beyond rounding.
		step := 1.0
		accepted := false
		for h := 0; h < 40; h++ {
			for j := 0; j < p; j++ {
				tb[j] = beta[j] + step*db[j]
			}
			for j := 0; j < q; j++ {
				ts[j] = sv[j] + step*ds[j]
			}
			s.linpred(a, tb, ts, trialEta)
			tobj := s.loglik(trialEta, false) - penalty(ts)
			if tobj >= obj-1e-12*(1+math.Abs(obj)) && !math.IsNaN(tobj) {
				accepted = true
				break
			}
			step /= 2
		}
		if !accepted || (step == 1 && dec < 1e-12*(1+math.Abs(obj)) && res.Iter > 0 && obj <= prevObj) {
			// No step increases P: the maximum is reached to rounding.
			if accepted {
				copy(beta, tb)
				copy(sv, ts)
				copy(res.Eta, trialEta)
				obj = s.loglik(res.Eta, true) - penalty(sv)
				if !s.factor(a) {
					return errs.Numericf("a", "the penalised system is not positive definite (non-finite curvature)")
				}
				res.LogDet = s.logDet
			}
			break
		}
		prevObj = obj
		copy(beta, tb)
		copy(sv, ts)
		copy(res.Eta, trialEta)
		obj = s.loglik(res.Eta, true) - penalty(sv)
		res.Iter++
	}
	res.Penalised = obj
	res.LogLik = obj + penalty(sv)
	return nil
}

// Curvature returns w = wᵢ·(−ℓ″(ηᵢ)) at the last point Solve reached (do
// not modify): the W of Σ̃⁻¹ = Z′WZ + D⁻¹.
func (s *Solver) Curvature() []float64 { return s.w }
