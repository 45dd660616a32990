package dense

// subMulVecGo sets y[0:m] −= A[0:m, 0:n]·x[0:n] for the column-major A
// (leading dimension lda), one column at a time: each y_i has a_il·x_l
// subtracted for l = 0, 1, …, n−1 in turn, the product rounded before the
// subtraction (no fused multiply-add) — the arithmetic of n axpys, which
// the unblocked factorisation and the inversion of its diagonal blocks
// were written as.
func subMulVecGo(m, n int, a []float64, lda int, x, y []float64) {
	y = y[:m]
	for l := 0; l < n; l++ {
		s := x[l]
		if s == 0 {
			continue
		}
		col := a[l*lda : l*lda+m]
		i := 0
		for ; i+4 <= m; i += 4 {
			cs := col[i : i+4 : i+4]
			ys := y[i : i+4 : i+4]
			ys[0] -= s * cs[0]
			ys[1] -= s * cs[1]
			ys[2] -= s * cs[2]
			ys[3] -= s * cs[3]
		}
		for ; i < m; i++ {
			y[i] -= s * col[i]
		}
	}
}
