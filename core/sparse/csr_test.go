package sparse

import (
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
)

func TestFromTripletsSumsDuplicatesAndMultiplies(t *testing.T) {
	// 3×2 with a duplicate (1,0) and rows given out of order.
	m, err := FromTriplets(3, 2, []int64{2, 1, 0, 1}, []int64{1, 0, 0, 0}, []float64{5, 2, 1, 3})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{1, 5, 0, 0, 0, 5} // column-major
	for i, v := range m.Dense() {
		if v != want[i] {
			t.Fatalf("dense = %v, want %v", m.Dense(), want)
		}
	}
	if m.NNZ() != 3 {
		t.Errorf("nnz = %d, want 3", m.NNZ())
	}
	dst := make([]float64, 3)
	m.MulVecAdd(dst, []float64{1, 1, 1}, []float64{2, 10})
	for i, w := range []float64{3, 11, 51} {
		if dst[i] != w {
			t.Errorf("Zu+b = %v", dst)
		}
	}
	if c := m.ColumnCounts(); c[0] != 2 || c[1] != 1 {
		t.Errorf("column counts %v", c)
	}
}

func TestFromTripletsRejects(t *testing.T) {
	nan := 0.0
	nan = nan / nan
	cases := []struct {
		name     string
		row, col []int64
		val      []float64
		arg      string
	}{
		{"row high", []int64{3}, []int64{0}, []float64{1}, "z_row"},
		{"row negative", []int64{-1}, []int64{0}, []float64{1}, "z_row"},
		{"col high", []int64{0}, []int64{2}, []float64{1}, "z_col"},
		{"nan", []int64{0}, []int64{0}, []float64{nan}, "z_val"},
		{"lengths", []int64{0, 1}, []int64{0}, []float64{1}, "nnz"},
	}
	for _, c := range cases {
		_, err := FromTriplets(3, 2, c.row, c.col, c.val)
		e, ok := err.(*errs.Error)
		if !ok || e.Arg != c.arg || e.Kind != errs.Invalid {
			t.Errorf("%s: got %v, want an invalid-argument error naming %s", c.name, err, c.arg)
		}
	}
}

func TestELLMatchesCSR(t *testing.T) {
	// Rows with 0, 2 and 1 entries: padding must not change products.
	m, err := FromTriplets(3, 3, []int64{1, 1, 2}, []int64{0, 2, 1}, []float64{2, 3, 4})
	if err != nil {
		t.Fatal(err)
	}
	e := m.ToELL()
	if e.Width != 2 {
		t.Fatalf("width %d", e.Width)
	}
	x := []float64{1, 10, 100}
	want := make([]float64, 3)
	m.MulVecAdd(want, make([]float64, 3), x)
	for i := range want {
		if got := e.RowDot(i, x); got != want[i] {
			t.Errorf("row %d: %v, want %v", i, got, want[i])
		}
	}
}
