package mixlogit

import (
	"fmt"
	"math"

	"github.com/glmmgo/glmmgo/core/budget"
	"github.com/glmmgo/glmmgo/core/errs"
)

// Data are the responses and covariate of n subjects on T occasions, as the
// caller holds them: column-major n×T matrices (element (i, j), subject i
// on occasion j, at index i + n·j), as R's matrix(y, n, T).
type Data struct {
	N, T int
	Y    []float64 // 0 or 1
	X    []float64 // finite
}

// MinSubjects is the smallest n accepted: two per parameter. With fewer
// subjects the two classes' slopes and variances cannot all be estimated.
const MinSubjects = 2 * NumParams

// Model is a validated copy of Data, stored subject by subject (row-major)
// because every computation runs over one subject's T occasions.
type Model struct {
	n, t  int
	y, x  []float64 // y[i*t+j], x[i*t+j]
	sumY  []float64 // Σ_j y_ij
	sumXY []float64 // Σ_j x_ij y_ij
}

// New checks d and returns the model. Nothing sized by d.N or d.T is
// allocated before the sizes are checked against the slices.
func New(d Data) (*Model, error) {
	if err := checkDims(d); err != nil {
		return nil, err
	}
	if err := checkBinary(d); err != nil {
		return nil, err
	}
	if err := checkFinite(d); err != nil {
		return nil, err
	}
	if err := checkVariation(d); err != nil {
		return nil, err
	}
	return newModel(d), nil
}

// checkDims: n ≥ MinSubjects, T ≥ 1, and both matrices n×T.
func checkDims(d Data) error {
	if d.T < 1 {
		return errs.Invalidf("T", "is %d; each subject needs at least one occasion", d.T)
	}
	if d.N < MinSubjects {
		return errs.Invalidf("n", "is %d; need at least %d subjects to estimate the 5 parameters of a two-class mixture", d.N, MinSubjects)
	}
	if d.N > math.MaxInt/d.T {
		return errs.Invalidf("n", "n*T = %d*%d overflows", d.N, d.T)
	}
	if len(d.Y) != d.N*d.T {
		return errs.Invalidf("y", "has length %d, want n*T = %d*%d = %d", len(d.Y), d.N, d.T, d.N*d.T)
	}
	if len(d.X) != d.N*d.T {
		return errs.Invalidf("x", "has length %d, want n*T = %d*%d = %d (the same shape as y)", len(d.X), d.N, d.T, d.N*d.T)
	}
	// The model's copies of y and x and its two sums per subject, checked
	// before any element is read.
	return budget.Need("n", fmt.Sprintf("the model's copy of the data (n*T = %d*%d)", d.N, d.T), budget.Doubles(d.N, 2*d.T+2))
}

// checkBinary: every response is exactly 0 or 1.
func checkBinary(d Data) error {
	for k, v := range d.Y {
		if v != 0 && v != 1 {
			return errs.Invalidf("y", "element [%d, %d] (0-based subject, occasion) is %g; responses must be 0 or 1", k%d.N, k/d.N, v)
		}
	}
	return nil
}

// checkFinite: no NaN or infinite covariate.
func checkFinite(d Data) error {
	for k, v := range d.X {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errs.Invalidf("x", "element [%d, %d] (0-based subject, occasion) is %g; covariates must be finite", k%d.N, k/d.N, v)
		}
	}
	return nil
}

// checkVariation: the maximum likelihood estimate exists only if both
// responses occur (else σ or |β| runs to infinity), and the slopes are
// identified only if x is not identically zero.
func checkVariation(d Data) error {
	var ones int
	for _, v := range d.Y {
		if v == 1 {
			ones++
		}
	}
	if ones == 0 || ones == len(d.Y) {
		return errs.Invalidf("y", "all %d responses are %g; both 0 and 1 must occur", len(d.Y), d.Y[0])
	}
	for _, v := range d.X {
		if v != 0 {
			return nil
		}
	}
	return errs.Invalidf("x", "is zero everywhere; the slopes beta1 and beta2 are not identifiable")
}

func newModel(d Data) *Model {
	n, t := d.N, d.T
	m := &Model{n: n, t: t, y: make([]float64, n*t), x: make([]float64, n*t),
		sumY: make([]float64, n), sumXY: make([]float64, n)}
	for i := range n {
		for j := range t {
			y, x := d.Y[i+n*j], d.X[i+n*j]
			m.y[i*t+j], m.x[i*t+j] = y, x
			m.sumY[i] += y
			m.sumXY[i] += x * y
		}
	}
	return m
}

// N is the number of subjects.
func (m *Model) N() int { return m.n }

// T is the number of occasions per subject.
func (m *Model) T() int { return m.t }

// Subject returns subject i's responses and covariates (length T; do not
// modify them).
func (m *Model) Subject(i int) (y, x []float64) {
	return m.y[i*m.t : (i+1)*m.t], m.x[i*m.t : (i+1)*m.t]
}

// SumY is Σ_j y_ij, the sufficient statistic of z in h_i.
func (m *Model) SumY(i int) float64 { return m.sumY[i] }

// SumXY is Σ_j x_ij y_ij, the sufficient statistic of β in h_i.
func (m *Model) SumXY(i int) float64 { return m.sumXY[i] }
