//go:build !noasm

package dense

import "golang.org/x/sys/cpu"

// useAVX2 is true when the CPU and OS support AVX2 and FMA (checked once).
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

//go:noescape
func kernelAVX2(k int, a, b *float64, out *[mr * nr]float64)

// kernel computes the 12×4 tile a·bᵀ over k (see kernelGo).
func kernel(k int, a, b []float64, out *[mr * nr]float64) {
	if useAVX2 && k > 0 {
		_ = a[k*mr-1]
		_ = b[k*nr-1]
		kernelAVX2(k, &a[0], &b[0], out)
		return
	}
	kernelGo(k, a, b, out)
}

//go:noescape
func kernelSubAVX2(k int, a, b, c *float64, ldc int)

// kernelSub subtracts the 12×4 tile a·bᵀ from C (column-major, leading
// dimension ldc) in place; c must hold 4 columns of at least 12 rows.
func kernelSub(k int, a, b, c []float64, ldc int) {
	if useAVX2 && k > 0 {
		_ = a[k*mr-1]
		_ = b[k*nr-1]
		_ = c[3*ldc+mr-1]
		kernelSubAVX2(k, &a[0], &b[0], &c[0], ldc)
		return
	}
	kernelSubGo(k, a, b, c, ldc)
}
