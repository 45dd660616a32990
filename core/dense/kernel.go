package dense

// The inner kernel of every dense operation here computes one 12×4 tile
//
//	out[j*12+i] = Σ_l a[l*12+i] · b[l*4+j],  i < 12, j < 4, l < k,
//
// from an "A panel" (12 rows of a matrix packed so that each column's 12 values
// are contiguous) and a "B panel" (4 rows packed the same way). Both the
// trailing update C −= P·Pᵀ of the Cholesky and the panel solve P = A·L⁻ᵀ
// (with L⁻¹ formed explicitly for the small diagonal block) are products of
// this A·Bᵀ form, so one fast tile kernel serves the whole factorisation.
// On amd64 with AVX2 and FMA the tile is computed by kernel_amd64.s (twelve
// 4-wide accumulators); elsewhere, or when built with the noasm tag, by the
// portable Go version below, which computes the same products (without
// fused multiply-adds, so its last bits may differ).

const (
	mr = 12 // rows of a tile (A panel height)
	nr = 4  // columns of a tile (B panel height)
)

// Assembly reports whether the tile kernel runs in assembly: on amd64 with
// AVX2 and FMA, built without the noasm tag.
func Assembly() bool { return useAVX2 }

// kernelGo is the portable 12×4 tile kernel.
func kernelGo(k int, a, b []float64, out *[mr * nr]float64) {
	var c [mr * nr]float64
	a = a[:k*mr]
	b = b[:k*nr]
	for l := 0; l < k; l++ {
		al := a[l*mr : l*mr+mr : l*mr+mr]
		bl := b[l*nr : l*nr+nr : l*nr+nr]
		for j := 0; j < nr; j++ {
			bj := bl[j]
			cj := c[j*mr : j*mr+mr : j*mr+mr]
			for i := 0; i < mr; i++ {
				cj[i] += al[i] * bj
			}
		}
	}
	*out = c
}

// kernelSubGo is the portable C −= a·bᵀ on one 12×4 tile.
func kernelSubGo(k int, a, b, c []float64, ldc int) {
	var t [mr * nr]float64
	kernelGo(k, a, b, &t)
	for j := 0; j < nr; j++ {
		col := c[j*ldc : j*ldc+mr]
		for i := range col {
			col[i] -= t[j*mr+i]
		}
	}
}
