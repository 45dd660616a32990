package dense

// The inner kernel of every dense operation here computes one mr×nr tile
//
//	out[j*mr+i] = Σ_l a[l*mr+i] · b[l*nr+j],  i < mr, j < nr, l < k,
//
// from an "A panel" (mr rows of a matrix packed so that each column's mr
// values are contiguous) and a "B panel" (nr rows packed the same way). The
// trailing updates C −= P·Pᵀ of the Cholesky factorisation, its panel solve
// P = A·L⁻ᵀ (with L⁻¹ formed explicitly for the small diagonal block) and
// the Gram matrices are all products of this A·Bᵀ form, so one fast tile
// kernel serves them all. The tile is 24×8 on amd64 with AVX-512 (24
// zmm accumulators), 12×4 on amd64 with AVX2 and FMA (12 ymm
// accumulators) and in the portable Go version below (build tag noasm, or
// other architectures). Each tile entry is one chain of multiply-adds over
// l in increasing order, whatever the tile shape, so the shape does not
// change any result; the portable kernel does not fuse the multiply-adds,
// so its last bits may differ.

// maxTile is the largest mr·nr of any kernel.
const maxTile = 24 * 8

// tile holds one kernel result, column-major with leading dimension mr.
type tile [maxTile]float64

// mr and nr are the tile shape of the kernel chosen for this CPU (set once
// at start-up, before any use).
var mr, nr = 12, 4

// Assembly reports whether the tile kernel runs in assembly: on amd64 with
// AVX-512, or AVX2 and FMA, built without the noasm tag.
func Assembly() bool { return kernelName() != "go 12x4" }

// kernelGo is the portable tile kernel.
func kernelGo(k int, a, b []float64, out *tile) {
	var c tile
	m, n := mr, nr
	a = a[:k*m]
	b = b[:k*n]
	for l := 0; l < k; l++ {
		al := a[l*m : l*m+m : l*m+m]
		bl := b[l*n : l*n+n : l*n+n]
		for j, bj := range bl {
			cj := c[j*m : j*m+m : j*m+m]
			for i, v := range al {
				cj[i] += v * bj
			}
		}
	}
	*out = c
}

// kernelSubGo is the portable C −= a·bᵀ on one tile (C column-major with
// leading dimension ldc): the sum over l is formed and subtracted one
// blockSize-long piece at a time, each piece accumulated from zero, the
// order of the blocked factorisation's panel updates.
func kernelSubGo(k int, a, b, c []float64, ldc int) {
	var t tile
	for l := 0; l < k; l += blockSize {
		kernelGo(min(blockSize, k-l), a[l*mr:], b[l*nr:], &t)
		for j := 0; j < nr; j++ {
			col := c[j*ldc : j*ldc+mr]
			for i := range col {
				col[i] -= t[j*mr+i]
			}
		}
	}
}
