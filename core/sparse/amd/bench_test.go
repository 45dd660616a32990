package amd

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// cliqueGraph is the pattern of the Schur complement of a random crossed
// design: ncl cliques of size cs over n vertices (the levels of one
// factor that a level of the other touches).
func cliqueGraph(n, ncl, cs int, seed uint64) Graph {
	r := rand.New(rand.NewPCG(seed, 1))
	var e [][2]int
	for c := 0; c < ncl; c++ {
		m := make([]int, cs)
		for i := range m {
			m[i] = r.IntN(n)
		}
		for a := 0; a < cs; a++ {
			for b := a + 1; b < cs; b++ {
				if m[a] != m[b] {
					e = append(e, [2]int{m[a], m[b]})
				}
			}
		}
	}
	return edges(n, e)
}

// BenchmarkOrderCrossed orders the Schur complement of random crossed
// designs with ~10 observations per level.
func BenchmarkOrderCrossed(b *testing.B) {
	for _, n := range []int{2000, 10000} {
		g := cliqueGraph(n, n, 10, 1)
		b.Run(fmt.Sprintf("levels=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Order(g, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
