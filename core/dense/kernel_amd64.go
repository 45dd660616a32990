//go:build !noasm

package dense

import "golang.org/x/sys/cpu"

// The kernel is chosen once: AVX-512 (24×8 tiles) where the CPU and OS
// support it, else AVX2 with FMA (12×4), else the portable Go kernel.
var (
	useAVX512 = cpu.X86.HasAVX512F
	useAVX2   = cpu.X86.HasAVX2 && cpu.X86.HasFMA
)

func init() {
	if useAVX512 {
		mr, nr = 24, 8
	}
}

//go:noescape
func kernelAVX2(k int, a, b *float64, out *tile)

//go:noescape
func kernelSubAVX2(k int, a, b, c *float64, ldc int)

//go:noescape
func kernelAVX512(k int, a, b *float64, out *tile)

//go:noescape
func kernelSubAVX512(k, kc int, a, b, c *float64, ldc int)

// kernel computes the tile a·bᵀ over k (see kernelGo).
func kernel(k int, a, b []float64, out *tile) {
	if k > 0 && (useAVX512 || useAVX2) {
		_ = a[k*mr-1]
		_ = b[k*nr-1]
		if useAVX512 {
			kernelAVX512(k, &a[0], &b[0], out)
		} else {
			kernelAVX2(k, &a[0], &b[0], out)
		}
		return
	}
	kernelGo(k, a, b, out)
}

// kernelSub subtracts the tile a·bᵀ from C (column-major, leading
// dimension ldc) in place, one blockSize-long sum at a time (see
// kernelSubGo); c must hold nr columns of at least mr rows.
func kernelSub(k int, a, b, c []float64, ldc int) {
	if k > 0 && (useAVX512 || useAVX2) {
		_ = a[k*mr-1]
		_ = b[k*nr-1]
		_ = c[(nr-1)*ldc+mr-1]
		if useAVX512 {
			kernelSubAVX512(k, blockSize, &a[0], &b[0], &c[0], ldc)
			return
		}
		for l := 0; l < k; l += blockSize {
			kernelSubAVX2(min(blockSize, k-l), &a[l*mr], &b[l*nr], &c[0], ldc)
		}
		return
	}
	kernelSubGo(k, a, b, c, ldc)
}

// kernelName names the tile kernel in use.
func kernelName() string {
	switch {
	case useAVX512:
		return "avx512 24x8"
	case useAVX2:
		return "avx2 12x4"
	}
	return "go 12x4"
}
