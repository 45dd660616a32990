package dense

// Multiplier holds the packing buffers of MulABt. The zero value is ready
// to use; it is not safe for concurrent use.
type Multiplier struct {
	packA, packB []float64
}

// smallProduct is the flop count below which MulABt multiplies directly:
// packing would cost more than it saves.
const smallProduct = 1 << 12

// MulABt sets the m×n matrix C = A·Bᵀ for the m×k matrix A and the n×k
// matrix B (all column-major, leading dimensions lda, ldb, ldc). Each
// entry is one sum over l in increasing order.
func (p *Multiplier) MulABt(m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		for j := 0; j < n; j++ {
			clear(c[j*ldc : j*ldc+m])
		}
		return
	}
	if m*n*k < smallProduct {
		mulABtDirect(m, n, k, a, lda, b, ldb, c, ldc)
		return
	}
	if na := roundUp(m, mr) * k; len(p.packA) < na {
		p.packA = make([]float64, na)
	}
	if nb := roundUp(n, nr) * k; len(p.packB) < nb {
		p.packB = make([]float64, nb)
	}
	packRows(p.packA, a, lda, 0, m, k, mr, mr*k)
	packRows(p.packB, b, ldb, 0, n, k, nr, nr*k)
	var t tile
	for jq := 0; jq*nr < n; jq++ {
		bp := p.packB[jq*nr*k : (jq+1)*nr*k]
		cols := min(nr, n-jq*nr)
		for ip := 0; ip*mr < m; ip++ {
			kernel(k, p.packA[ip*mr*k:(ip+1)*mr*k], bp, &t)
			rows := min(mr, m-ip*mr)
			for j := 0; j < cols; j++ {
				c0 := (jq*nr+j)*ldc + ip*mr
				copy(c[c0:c0+rows], t[j*mr:j*mr+rows])
			}
		}
	}
}

// mulABtDirect is MulABt by plain loops, for small products.
func mulABtDirect(m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
	for j := 0; j < n; j++ {
		cj := c[j*ldc : j*ldc+m]
		clear(cj)
		for l := 0; l < k; l++ {
			v := b[l*ldb+j]
			if v == 0 {
				continue
			}
			al := a[l*lda : l*lda+m]
			for i, x := range al {
				cj[i] += x * v
			}
		}
	}
}
