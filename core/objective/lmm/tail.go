package lmm

import (
	"math"

	"github.com/glmmgo/glmmgo/core/dense"
	"github.com/glmmgo/glmmgo/core/errs"
)

// tailFactor is L₂₂, the trailing block of the factor: the terms after the
// first, then X, then y, s = qT + p + 1 rows in the factor's order. It is
// the Schur complement of the first term's block,
// Λ_t′A₂₂Λ_t + I − L₂₁L₂₁′, which fills in wherever two levels of later
// terms share a level of the first. Two kinds hold it: denseTail where it
// is dense anyway (crossed factors), sparseTail where a fill-reducing
// order keeps it sparse (nested and partially nested factors); New picks
// one by the predicted cost. Both have MixedModels.jl's steps as methods.
type tailFactor interface {
	downdateTarget
	// scaleInflate sets the block to Λ_t′A₂₂Λ_t + I (copyscaleinflate!).
	scaleInflate(p *tailProducts, lam *lambda, rows *tailRows)
	// cholUnblocked factors the block in place, after the downdate.
	cholUnblocked() error
	// addLogDiag returns acc + Σ log of the factor's diagonal over rows [r0, r1).
	addLogDiag(acc float64, r0, r1 int) float64
	// residual returns the last diagonal element r: r² is the penalised
	// weighted residual sum of squares.
	residual() float64
	// solveT returns x solving L′x = c over the rows before y, c being y's
	// row of the factor: the later terms' modes (factor order), then β̂.
	solveT() []float64
	// solveTInto is solveT into x (length s − 1).
	solveTInto(x []float64)
	// fixedBlock returns R_X, the fixed-effects block of the factor (lower,
	// p×p), with its leading dimension.
	fixedBlock() ([]float64, int)
	// setWorkers sets the goroutines of the factorisation.
	setWorkers(w int)
	close()
}

// downdateTarget is the trailing block as the downdate L₂₂ −= L₂₁L₂₁′
// writes it: column j's values in the lower triangle and, for a sparse
// block, the positions of their rows (nil: indexed by row). Worker w owns
// the columns it asks for.
type downdateTarget interface {
	column(w, j int) (col []float64, pos []int32)
}

// denseTail holds the trailing block dense and factors it with the blocked
// Cholesky of core/dense, near the machine's peak.
type denseTail struct {
	s, qT int
	f     []float64 // s×s lower: Λ_t′A₂₂Λ_t + I, downdated, then factored, at the current θ
	chol  dense.Factorizer
}

func newDenseTail(s, qT int) *denseTail {
	return &denseTail{s: s, qT: qT, f: make([]float64, s*s)}
}

// denseTailBytes is the memory of a dense trailing block of order s: the
// matrix and the factorisation's packed panels.
func denseTailBytes(s int) int64 {
	return 8*int64(s)*int64(s) + 2*8*int64(s+24)*384
}

func (t *denseTail) scaleInflate(p *tailProducts, lam *lambda, rows *tailRows) {
	p.scaleInflateDense(t.f, lam, rows)
}

func (t *denseTail) column(_, j int) ([]float64, []int32) { return t.f[j*t.s : (j+1)*t.s], nil }

// cholUnblocked factors f in place (MixedModels.jl's cholUnblocked!, here
// blocked: core/dense). A zero last pivot is y lying in the span of Z and
// X — a perfect fit — and is said so.
func (t *denseTail) cholUnblocked() error {
	s := t.s
	if err := t.chol.Factor(s, t.f, s); err != nil {
		if r2 := t.f[(s-1)*s+s-1]; !(r2 > 0) {
			return errPerfectFit(r2)
		}
		return errs.Numericf("theta", "the blocked system is not positive definite at this θ: %v", err)
	}
	return nil
}

// errPerfectFit explains a last pivot r² of the factor that is not
// positive: not finite (the data or θ overflow) or zero (a perfect fit).
func errPerfectFit(r2 float64) error {
	if math.IsNaN(r2) || math.IsInf(r2, 0) {
		return errs.Numericf("theta", "the penalised residual sum of squares is not finite at this θ: the data or θ are too large for double precision")
	}
	return errs.Numericf("theta", "the penalised residual sum of squares is zero (a perfect fit?)")
}

func (t *denseTail) addLogDiag(acc float64, r0, r1 int) float64 {
	for i := r0; i < r1; i++ {
		acc += math.Log(t.f[i*t.s+i])
	}
	return acc
}

func (t *denseTail) residual() float64 { return t.f[(t.s-1)*t.s+t.s-1] }

func (t *denseTail) solveT() []float64 {
	x := make([]float64, t.s-1)
	t.solveTInto(x)
	return x
}

func (t *denseTail) solveTInto(x []float64) {
	s := t.s
	for i := range x {
		x[i] = t.f[i*s+s-1]
	}
	for i := s - 2; i >= 0; i-- {
		col := t.f[i*s : (i+1)*s]
		v := x[i]
		for r := i + 1; r < s-1; r++ {
			v -= col[r] * x[r]
		}
		x[i] = v / col[i]
	}
}

func (t *denseTail) fixedBlock() ([]float64, int) { return t.f[t.qT*t.s+t.qT:], t.s }

func (t *denseTail) setWorkers(w int) { t.chol.Workers = w }

func (t *denseTail) close() { t.chol.Close() }
