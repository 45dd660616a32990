package lmm

import (
	"cmp"
	"math"
	"runtime"
	"testing"
)

// crossed returns a model with two crossed grouping factors, large enough
// that the downdate and the dense factorisation are split among workers:
// n = 40000, a first term of 2000 levels (with a slope when k1 = 2) and a
// second of 1000.
func crossed(t *testing.T, k1 int) *Model {
	t.Helper()
	const n, l1, l2 = 40000, 2000, 1000
	y, x := make([]float64, n), make([]float64, 2*n)
	c1, c2 := make([]int, n), make([]int, n)
	z1, z2 := make([]float64, k1*n), make([]float64, n)
	s := uint64(7)
	next := func() float64 {
		s ^= s << 13
		s ^= s >> 7
		s ^= s << 17
		return float64(s>>11)/(1<<53) - 0.5
	}
	for i := 0; i < n; i++ {
		c1[i], c2[i] = i%l1, int(s>>40)%l2
		next()
		x[i], x[n+i] = 1, next()
		z1[i], z2[i] = 1, 1
		if k1 == 2 {
			z1[n+i] = x[n+i]
		}
		y[i] = 1 + 0.5*x[n+i] + 0.3*math.Sin(float64(c1[i])) + 0.2*math.Cos(float64(c2[i])) + next()
	}
	m, err := New(Data{Y: y, X: x, P: 2, Terms: []Term{{Codes: c1, NLevels: l1, K: k1, Z: z1}, {Codes: c2, NLevels: l2, K: 1, Z: z2}}, Factor: testKind})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	return m
}

// TestSetWorkersSameBits: the criteria and the solution are bit-identical
// for 1, 3 and 4 workers, with the grouped downdate (scalar terms) and the
// level-by-level one (a slope in the first term); the split really changes.
func TestSetWorkersSameBits(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	for _, k1 := range []int{1, 2} {
		m := crossed(t, k1)
		theta := []float64{0.6, 0.4}
		if k1 == 2 {
			theta = []float64{0.6, 0.1, 0.3, 0.4}
		}
		splits := func() int {
			if m.grp.on {
				return len(m.grp.split) - 1
			}
			return len(m.index.split) - 1
		}
		if splits() != 4*tasksPerWorker {
			t.Fatalf("k1 = %d: the downdate is split %d ways with GOMAXPROCS 4: the model is too small for this test", k1, splits())
		}
		var ref []float64
		for _, w := range []int{0, 1, 3, 4, 0} {
			m.SetWorkers(w)
			want, have := max(w, 1), max(tailWorkers(m.tail), 1)
			if w == 0 {
				want, have = 4, cmp.Or(tailWorkers(m.tail), 4)
			}
			if have != want || splits() != want*tasksPerWorker {
				t.Fatalf("SetWorkers(%d): factoriser %d workers, downdate split %d ways", w, have, splits())
			}
			ml, err := m.Objective(theta, false)
			if err != nil {
				t.Fatal(err)
			}
			reml, err := m.Objective(theta, true)
			if err != nil {
				t.Fatal(err)
			}
			sol, err := m.Solve(theta, true)
			if err != nil {
				t.Fatal(err)
			}
			got := append([]float64{ml, reml, sol.Sigma}, sol.Beta...)
			got = append(got, sol.U...)
			if ref == nil {
				ref = got
				continue
			}
			for i := range ref {
				if math.Float64bits(got[i]) != math.Float64bits(ref[i]) {
					t.Fatalf("k1 = %d, %d workers: value %d is %.17g, with GOMAXPROCS workers %.17g", k1, w, i, got[i], ref[i])
				}
			}
		}
	}
}

// tailWorkers returns the worker count the trailing factor was given.
func tailWorkers(t tailFactor) int {
	switch x := t.(type) {
	case *denseTail:
		return x.chol.Workers
	case *sparseTail:
		return x.fac.Workers()
	}
	return -1
}
