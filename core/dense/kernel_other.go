//go:build !amd64 || noasm

package dense

// useAVX2 is false: this build has no assembly kernels.
var useAVX2 = false

// kernel computes the 12×4 tile a·bᵀ over k (see kernelGo).
func kernel(k int, a, b []float64, out *[mr * nr]float64) { kernelGo(k, a, b, out) }

// kernelSub subtracts the 12×4 tile a·bᵀ from C in place.
func kernelSub(k int, a, b, c []float64, ldc int) { kernelSubGo(k, a, b, c, ldc) }
