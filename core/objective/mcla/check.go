package mcla

import (
	"fmt"
	"math"

	"github.com/glmmgo/glmmgo/core/budget"
	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/response"
	"github.com/glmmgo/glmmgo/core/sparse"
)

// check runs the checks of d that need no allocation sized by its counts,
// in order: family, link and dispersion, dimensions, lengths, finite values,
// weights, the response's support and trials.
func (d *Data) check() error {
	if err := d.CheckFamily(); err != nil {
		return err
	}
	if err := d.CheckDefaultLink(); err != nil {
		return err
	}
	if err := d.CheckDispersion(); err != nil {
		return err
	}
	if err := d.checkDims(); err != nil {
		return err
	}
	if err := d.CheckLengths(d.N); err != nil {
		return err
	}
	if len(d.X) != d.N*d.P {
		return errs.Invalidf("x", "has length %d, want n*p = %d", len(d.X), d.N*d.P)
	}
	if err := d.needMemory(); err != nil {
		return err
	}
	for _, check := range []func() error{
		d.CheckFinite, func() error { return response.CheckFinite("x", d.X) },
		d.CheckWeights, d.CheckSupport, d.CheckTrials,
	} {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

// needMemory checks the memory a model of d takes against the limit, before
// any value is read: X twice (by columns and by rows), eight vectors over the
// observations, Z as triplets, compressed rows and padded rows (ELL, whose
// width is the longest row: at most nnz per row, counted as nnz), and the
// per-column maps. (The caller's arrays are not counted: they exist.)
func (d *Data) needMemory() error {
	nnz := len(d.ZVal)
	bytes := budget.Doubles(d.N, 2*d.P+8) + budget.Doubles(nnz, 6) + budget.Doubles(d.Q, 3)
	return budget.Need("n", fmt.Sprintf("the model (n = %d observations, p = %d, q = %d, nnz = %d)", d.N, d.P, d.Q, nnz), bytes)
}

// checkDims: at least one observation and one random effect, 1 ≤ nvc ≤ q,
// and n·p representable.
func (d *Data) checkDims() error {
	if d.N < 1 {
		return errs.Invalidf("n", "is %d; need at least one observation", d.N)
	}
	if d.P < 0 {
		return errs.Invalidf("p", "is %d; must be non-negative", d.P)
	}
	if d.Q < 1 {
		return errs.Invalidf("q", "is %d; need at least one random effect", d.Q)
	}
	if d.NVC < 1 || d.NVC > d.Q {
		return errs.Invalidf("nvc", "is %d; must be between 1 and q = %d", d.NVC, d.Q)
	}
	if d.P > 0 && d.N > math.MaxInt/d.P {
		return errs.Invalidf("p", "n*p = %d*%d overflows", d.N, d.P)
	}
	return nil
}

// checkColumns: every column of Z has a nonzero entry.
func checkColumns(z *sparse.CSR) error {
	for j, c := range z.ColumnCounts() {
		if c == 0 {
			return errs.Invalidf("z_col", "column %d of Z has no nonzero entry; its random effect is not in the model", j)
		}
	}
	return nil
}

// components checks the map from columns of Z to variance components
// (every column in 0..nvc−1, every component with a column) and returns it
// with the number of columns per component.
func components(q, nvc int, vcOf []int64) ([]int, []float64, error) {
	if len(vcOf) != q {
		return nil, nil, errs.Invalidf("vc_of_column", "has length %d, want q = %d", len(vcOf), q)
	}
	out := make([]int, q)
	qt := make([]float64, nvc)
	for j, t := range vcOf {
		if t < 0 || t >= int64(nvc) {
			return nil, nil, errs.Invalidf("vc_of_column", "element %d is %d, outside 0..%d", j, t, nvc-1)
		}
		out[j] = int(t)
		qt[t]++
	}
	for t, c := range qt {
		if c == 0 {
			return nil, nil, errs.Invalidf("vc_of_column", "variance component %d has no column of Z", t)
		}
	}
	return out, qt, nil
}
