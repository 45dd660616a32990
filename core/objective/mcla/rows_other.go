//go:build !amd64 || noasm

package mcla

// useAVX2 is false off amd64: the Go row loops always run.
var useAVX2 = false

type simdRows struct{}

func newSIMDRows(*Model) *simdRows { return nil }

func laneLen(int) int { return 0 }

func (m *Model) rowsBernoulliUnitSIMD(xb, u, dv, gBeta []float64, ws *workerScratch) (float64, bool) {
	return 0, false
}

// addScaled sets y[i] += a·x[i].
func addScaled(y []float64, a float64, x []float64) {
	x = x[:len(y)]
	for i, v := range x {
		y[i] += float64(a * v)
	}
}

func (m *Model) rowsPoissonSIMD(xb, u, dv, gBeta []float64, ws *workerScratch) (float64, bool) {
	return 0, false
}
