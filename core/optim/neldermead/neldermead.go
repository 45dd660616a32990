// Package neldermead minimises a function of a few variables without
// derivatives by the simplex method of Nelder and Mead (1965), with the
// standard coefficients (reflection 1, expansion 2, contraction 1/2,
// shrink 1/2) in the ordering and tie-breaking of Lagarias, Reeds, Wright
// and Wright (SIAM J. Optim. 9, 1998).
//
// glmmgo uses it for PQL's outer problem over the standard deviations of the variance components,
// which is what glmm does (R's optim default). Unlike optim, the
// stopping rule asks for both a small spread of values and a small simplex,
// so that a flat stretch does not stop the search early.
package neldermead

import (
	"math"
	"sort"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/optim"
)

// Defaults of the Settings fields Minimize reads.
const (
	DefaultInitStep = 0.1   // simplex edge relative to max|start|
	DefaultFuncTol  = 1e-10 // spread of values relative to |f_best|
	DefaultStepTol  = 1e-7  // simplex diameter relative to 1 + max|x_best|
)

// Minimize minimises p.Func from start. f may return +Inf (a point to
// avoid; NaN counts as +Inf); an error from f stops the search and is
// returned. It reads Settings.InitStep (the initial simplex edge relative
// to max|startᵢ|, absolute if start = 0), FuncTol and StepTol (stop when
// the spread of values is at most FuncTol·(|f_best| + FuncTol) and the
// simplex diameter at most StepTol·(1 + max|x_best|): status
// StepConvergence), MaxEval (default 2000·len(start)) and Progress.
func Minimize(p optim.Problem, start []float64, set optim.Settings) (*optim.Result, error) {
	if p.Func == nil {
		return nil, errs.Invalidf("problem", "Nelder-Mead needs Func")
	}
	if err := optim.CheckStart(start); err != nil {
		return nil, err
	}
	set = withDefaults(set, len(start))
	s, err := newSimplex(p.Func, start, set.InitStep)
	if err != nil {
		return nil, err
	}
	status := optim.EvaluationLimit
	iter := 0
	for s.evals < set.MaxEval {
		s.sort()
		if s.small(set.FuncTol, set.StepTol) {
			status = optim.StepConvergence
			break
		}
		if err := s.iterate(); err != nil {
			return nil, err
		}
		iter++
		if set.Progress != nil && !set.Progress(iter, s.vals[s.best()], s.pts[s.best()]) {
			r := s.result(iter, optim.Cancelled)
			return r, errs.ErrCancelled
		}
	}
	return s.result(iter, status), nil
}

func withDefaults(set optim.Settings, k int) optim.Settings {
	if set.InitStep <= 0 {
		set.InitStep = DefaultInitStep
	}
	if set.FuncTol <= 0 {
		set.FuncTol = DefaultFuncTol
	}
	if set.StepTol <= 0 {
		set.StepTol = DefaultStepTol
	}
	if set.MaxEval <= 0 {
		set.MaxEval = 2000 * k
	}
	return set
}

// simplex is the search state: k+1 points, their values, their order
// (best first) and scratch for the trial points.
type simplex struct {
	f                    func([]float64) (float64, error)
	pts                  [][]float64
	vals                 []float64
	order                []int
	centroid, xr, xe, xc []float64
	evals                int
	diam                 float64
}

// newSimplex evaluates start and start + step·eᵢ, step relative to
// max|startᵢ| when start is not zero.
func newSimplex(f func([]float64) (float64, error), start []float64, rel float64) (*simplex, error) {
	k := len(start)
	s := &simplex{f: f, pts: make([][]float64, k+1), vals: make([]float64, k+1), order: make([]int, k+1),
		centroid: make([]float64, k), xr: make([]float64, k), xe: make([]float64, k), xc: make([]float64, k)}
	scale := 0.0
	for _, v := range start {
		scale = math.Max(scale, math.Abs(v))
	}
	step := rel
	if scale > 0 {
		step *= scale
	}
	for i := range s.pts {
		s.pts[i] = append([]float64(nil), start...)
		if i > 0 {
			s.pts[i][i-1] += step
		}
		v, err := s.eval(s.pts[i])
		if err != nil {
			return nil, err
		}
		s.vals[i] = v
	}
	return s, nil
}

// eval counts an evaluation and maps NaN to +Inf.
func (s *simplex) eval(x []float64) (float64, error) {
	s.evals++
	v, err := s.f(x)
	if math.IsNaN(v) {
		v = math.Inf(1)
	}
	return v, err
}

// sort orders the points by value, ties kept in index order.
func (s *simplex) sort() {
	for i := range s.order {
		s.order[i] = i
	}
	sort.SliceStable(s.order, func(a, b int) bool { return s.vals[s.order[a]] < s.vals[s.order[b]] })
}

// small is the stopping rule: a small spread of values and a small simplex.
func (s *simplex) small(ftol, xtol float64) bool {
	k := len(s.centroid)
	best, worst := s.order[0], s.order[k]
	spread := s.vals[worst] - s.vals[best]
	diam, size := 0.0, 0.0
	for _, i := range s.order[1:] {
		for j := range s.centroid {
			diam = math.Max(diam, math.Abs(s.pts[i][j]-s.pts[best][j]))
		}
	}
	for _, v := range s.pts[best] {
		size = math.Max(size, math.Abs(v))
	}
	s.diam = diam
	return spread <= ftol*(math.Abs(s.vals[best])+ftol) && diam <= xtol*(1+size)
}

// iterate replaces the worst point by a reflection, expansion or
// contraction of it through the centroid of the others, or shrinks the
// simplex towards the best point.
func (s *simplex) iterate() error {
	k := len(s.centroid)
	best, worst := s.order[0], s.order[k]
	clear(s.centroid)
	for _, i := range s.order[:k] {
		for j, v := range s.pts[i] {
			s.centroid[j] += v / float64(k)
		}
	}
	s.along(s.xr, 1)
	fr, err := s.eval(s.xr)
	if err != nil {
		return err
	}
	switch {
	case fr < s.vals[best]:
		return s.expand(fr)
	case fr < s.vals[s.order[k-1]]:
		s.replaceWorst(s.xr, fr)
		return nil
	case fr < s.vals[worst]: // outside contraction
		s.along(s.xc, 0.5)
	default: // inside contraction
		s.along(s.xc, -0.5)
	}
	fc, err := s.eval(s.xc)
	if err != nil {
		return err
	}
	if fc < math.Min(fr, s.vals[worst]) {
		s.replaceWorst(s.xc, fc)
		return nil
	}
	return s.shrink()
}

// along sets dst = centroid + t·(centroid − worst).
func (s *simplex) along(dst []float64, t float64) {
	w := s.pts[s.order[len(s.centroid)]]
	for j := range dst {
		dst[j] = s.centroid[j] + t*(s.centroid[j]-w[j])
	}
}

// expand tries twice the reflection (value fr) and keeps the better.
func (s *simplex) expand(fr float64) error {
	s.along(s.xe, 2)
	fe, err := s.eval(s.xe)
	if err != nil {
		return err
	}
	if fe < fr {
		s.replaceWorst(s.xe, fe)
	} else {
		s.replaceWorst(s.xr, fr)
	}
	return nil
}

func (s *simplex) replaceWorst(x []float64, f float64) {
	w := s.order[len(s.centroid)]
	copy(s.pts[w], x)
	s.vals[w] = f
}

// shrink halves every point's distance to the best one.
func (s *simplex) shrink() error {
	best := s.order[0]
	for _, i := range s.order[1:] {
		for j := range s.pts[i] {
			s.pts[i][j] = s.pts[best][j] + 0.5*(s.pts[i][j]-s.pts[best][j])
		}
		v, err := s.eval(s.pts[i])
		if err != nil {
			return err
		}
		s.vals[i] = v
	}
	return nil
}

// best is the index of the lowest value (the first of equals).
func (s *simplex) best() int {
	bi := 0
	for i, v := range s.vals {
		if v < s.vals[bi] {
			bi = i
		}
	}
	return bi
}

func (s *simplex) result(iter int, status optim.Status) *optim.Result {
	bi := s.best()
	return &optim.Result{X: append([]float64(nil), s.pts[bi]...), F: s.vals[bi], Iter: iter, Evals: s.evals, Step: s.diam, Status: status}
}
