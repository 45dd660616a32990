//go:build !amd64 || noasm

package dense

// kernel computes the tile a·bᵀ over k (see kernelGo).
func kernel(k int, a, b []float64, out *tile) { kernelGo(k, a, b, out) }

// kernelSub subtracts the tile a·bᵀ from C in place.
func kernelSub(k int, a, b, c []float64, ldc int) { kernelSubGo(k, a, b, c, ldc) }

// kernelName names the tile kernel in use.
func kernelName() string { return "go 12x4" }

// subMulVec is subMulVecGo.
func subMulVec(m, n int, a []float64, lda int, x, y []float64) { subMulVecGo(m, n, a, lda, x, y) }
