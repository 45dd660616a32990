package sparse

import (
	"math"
	"testing"
)

func TestFromDenseAndQuadForm(t *testing.T) {
	a := []float64{ // 3×3 column-major, symmetric
		2, 0, -1,
		0, 3, 0.5,
		-1, 0.5, 4,
	}
	m := FromDense(3, 3, a)
	if len(m.Val) != 7 || m.RowPtr[3] != 7 {
		t.Fatalf("%d nonzeros, want 7", len(m.Val))
	}
	u, c := []float64{1, -2, 0.5}, []float64{0.5, 0, 1}
	var want float64
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			want += (u[i] - c[i]) * a[j*3+i] * (u[j] - c[j])
		}
	}
	if got := m.QuadForm(u, c); math.Abs(got-want) > 1e-14 {
		t.Errorf("QuadForm %g, want %g", got, want)
	}
}
