package lmm

import (
	"math"

	"github.com/glmmgo/glmmgo/core/dense"
)

// diagBlock is L₁₁, the first term's diagonal block of the factor: block
// diagonal with one k×k block per level, because the first term's levels
// never share an observation (MixedModels.jl's Diagonal for k = 1,
// UniformBlockDiagonal otherwise). Its factor is one small Cholesky per
// level.
type diagBlock struct {
	k, l int
	a    []float64 // Z₁′WZ₁, one k×k block per level (θ-free)
	f    []float64 // Λ₁′Z₁′WZ₁Λ₁ + I, then its factor L₁₁, at the current θ
	work []float64 // k×k scratch
}

func newDiagBlock(k, l int) diagBlock {
	return diagBlock{k: k, l: l, a: make([]float64, l*k*k), f: make([]float64, l*k*k), work: make([]float64, k*k)}
}

// level returns level a's block of the factor.
func (b *diagBlock) level(a int) []float64 {
	kk := b.k * b.k
	return b.f[a*kk : (a+1)*kk]
}

// fill sets a to the level blocks of Z₁′WZ₁ from zw = √w·Z₁ (n×k).
func (b *diagBlock) fill(zw []float64, codes []int32) {
	clear(b.a)
	k, n := b.k, len(codes)
	for i, c := range codes {
		blk := b.a[int(c)*k*k:]
		for cc := 0; cc < k; cc++ {
			for r := 0; r < k; r++ {
				blk[cc*k+r] += zw[r*n+i] * zw[cc*n+i]
			}
		}
	}
}

// scaleInflate sets f = Λ₁′·a·Λ₁ + I level by level (MixedModels.jl's
// copyscaleinflate!) for Λ₁'s template lam.
func (b *diagBlock) scaleInflate(lam []float64) {
	k := b.k
	if k == 1 {
		lam2 := lam[0] * lam[0]
		for a, v := range b.a {
			b.f[a] = lam2*v + 1
		}
		return
	}
	for a := 0; a < b.l; a++ {
		Lb := b.level(a)
		dense.Congruence(Lb, b.a[a*k*k:(a+1)*k*k], lam, b.work, k)
		for c := 0; c < k; c++ {
			Lb[c*k+c]++
		}
	}
}

// cholUnblocked factors every level's block in place (MixedModels.jl's
// cholUnblocked!). The blocks are Gram matrices plus I, so positive
// definite unless θ is so large that they overflow, which the criterion
// then reports.
func (b *diagBlock) cholUnblocked() {
	if b.k == 1 {
		for a, v := range b.f {
			b.f[a] = math.Sqrt(v)
		}
		return
	}
	for a := 0; a < b.l; a++ {
		dense.SmallCholesky(b.level(a), b.k)
	}
}

// addLogDiag returns acc + Σ log of the factor's diagonal, half of
// log|L₁₁|².
func (b *diagBlock) addLogDiag(acc float64) float64 {
	for a := 0; a < b.l; a++ {
		blk := b.level(a)
		for c := 0; c < b.k; c++ {
			acc += math.Log(blk[c*b.k+c])
		}
	}
	return acc
}
