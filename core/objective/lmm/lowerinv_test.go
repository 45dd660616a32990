package lmm

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/dense"
)

// TestLowerInverter: the blocked inverse equals dense.LowerInverse's plain
// loops (to rounding) on sizes around the leaf and its multiples.
func TestLowerInverter(t *testing.T) {
	r := splitmix(5)
	for _, n := range []int{1, 63, 64, 65, 130, 257} {
		lda := n + 3
		a := make([]float64, lda*n)
		for c := 0; c < n; c++ {
			a[c*lda+c] = 1 + r.unif()
			for i := c + 1; i < n; i++ {
				a[c*lda+i] = (r.unif() - 0.5) / math.Sqrt(float64(n))
			}
		}
		want := make([]float64, n*n)
		dense.LowerInverse(want, a, lda, n)
		got := make([]float64, n*n)
		var v lowerInverter
		v.invert(got, a, lda, n)
		for i := range got {
			if math.Abs(got[i]-want[i]) > 1e-12*math.Max(1, math.Abs(want[i])) {
				t.Fatalf("n=%d: element %d = %g, plain loops %g", n, i, got[i], want[i])
			}
		}
	}
}
