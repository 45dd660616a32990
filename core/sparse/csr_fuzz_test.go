package sparse

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/internal/fuzzdata"
)

// FuzzFromTriplets: any triplets are rejected with an invalid-argument
// error or give a matrix equal to the dense sum of the triplets (in their
// order, so duplicates add exactly as documented), whose column counts
// and ELL form agree with it.
//
//	go test -run XXX -fuzz ^FuzzFromTriplets$ -fuzztime 60s ./core/sparse
func FuzzFromTriplets(f *testing.F) {
	f.Add([]byte{3, 2, 4, 0, 0, 1, 1, 2, 0, 0, 1})
	f.Add([]byte{1, 1, 9, 0, 0, 0, 0, 0, 0, 200, 5})
	f.Fuzz(func(t *testing.T, b []byte) {
		rd := fuzzdata.New(b)
		r, c := rd.Int(1, 6), rd.Int(1, 6)
		nnz := rd.Int(0, 16)
		row, col := make([]int64, rd.Len(nnz)), make([]int64, rd.Len(nnz))
		val := make([]float64, rd.Len(nnz))
		for k := range row {
			row[k] = int64(rd.Int(-1, r))
		}
		for k := range col {
			col[k] = int64(rd.Int(-1, c))
		}
		for k := range val {
			val[k] = rd.Float()
		}
		m, err := FromTriplets(r, c, row, col, val)
		if err != nil {
			if errs.KindOf(err) != errs.Invalid {
				t.Fatalf("FromTriplets: %v", err)
			}
			return
		}
		want := make([]float64, r*c)
		for k := range row {
			want[int(col[k])*r+int(row[k])] += val[k]
		}
		got := m.Dense()
		for i := range want {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) && !(got[i] == 0 && want[i] == 0) {
				t.Fatalf("dense %v, want %v (triplets %v %v %v)", got, want, row, col, val)
			}
		}
		cnt := m.ColumnCounts()
		for j := 0; j < c; j++ {
			nz := 0
			for i := 0; i < r; i++ {
				if want[j*r+i] != 0 {
					nz++
				}
			}
			if cnt[j] != nz {
				t.Fatalf("column %d: count %d, want %d", j, cnt[j], nz)
			}
		}
		e := m.ToELL()
		x := make([]float64, c)
		for j := range x {
			x[j] = float64(j + 1)
		}
		for i := 0; i < r; i++ {
			var s float64
			for k := m.RowPtr[i]; k < m.RowPtr[i+1]; k++ {
				s += m.Val[k] * x[m.Col[k]]
			}
			if got := e.RowDot(i, x); math.Float64bits(got) != math.Float64bits(s) && !(got == 0 && s == 0) {
				t.Fatalf("ELL row %d: %g, CSR %g", i, got, s)
			}
		}
	})
}
