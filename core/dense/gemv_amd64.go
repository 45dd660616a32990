//go:build !noasm

package dense

//go:noescape
func subMulVecAVX512(m, n int, a *float64, lda int, x, y *float64)

//go:noescape
func subMulVecAVX2(m, n int, a *float64, lda int, x, y *float64)

// subMulVec is subMulVecGo with the rows in assembly, eight (AVX-512) or
// four (AVX2) at a time, the rest in Go.
func subMulVec(m, n int, a []float64, lda int, x, y []float64) {
	width := 0
	switch {
	case useAVX512:
		width = 8
	case useAVX2:
		width = 4
	}
	if width == 0 || n == 0 || m < width {
		subMulVecGo(m, n, a, lda, x, y)
		return
	}
	mv := m / width * width
	_ = a[(n-1)*lda+m-1]
	_ = x[n-1]
	_ = y[m-1]
	if useAVX512 {
		subMulVecAVX512(mv, n, &a[0], lda, &x[0], &y[0])
	} else {
		subMulVecAVX2(mv, n, &a[0], lda, &x[0], &y[0])
	}
	if mv < m {
		subMulVecGo(m-mv, n, a[mv:], lda, x, y[mv:])
	}
}
