package dense

// gramChunk is the number of rows packed at a time: mr columns of it (one
// A panel) stay in L1, all panels of a few dozen columns in L2.
const gramChunk = 256

// Gram sets the lower triangle of g (p×p, column-major, leading dimension
// p) to CᵀC for the n×p matrix C whose columns are cols (each of length at
// least n); the strict upper triangle is not referenced. It runs the tile
// kernel on chunks of rows, so it allocates O(p·gramChunk) scratch.
func Gram(n int, cols [][]float64, g []float64) { GramScaled(n, cols, nil, g) }

// GramScaled is Gram of the matrix whose row i is scaled by scale[i]
// (nil: 1), as for a weighted cross-product with scale = √w. The scaled
// values are formed while packing, each as the one product scale[i]·c_ij,
// so the result is the same as Gram of explicitly scaled columns.
func GramScaled(n int, cols [][]float64, scale []float64, g []float64) {
	p := len(cols)
	if p == 0 {
		return
	}
	_ = g[p*p-1]
	for j := 0; j < p; j++ {
		clear(g[j*p+j : j*p+p])
	}
	np := (p + mr - 1) / mr
	pa := make([]float64, np*mr*gramChunk)
	pb := make([]float64, np*mr*gramChunk)
	var t tile
	for r0 := 0; r0 < n; r0 += gramChunk {
		kc := min(gramChunk, n-r0)
		packChunk(pa, cols, scale, r0, kc)
		for q := 0; q*nr < roundUp(p, mr); q++ {
			splitPanel(pb[q*nr*kc:], pa[(q*nr/mr)*mr*kc+q*nr%mr:], kc)
		}
		for jq := 0; jq*nr < p; jq++ {
			bp := pb[jq*nr*kc : (jq+1)*nr*kc]
			c0 := jq * nr
			for ip := c0 / mr; ip*mr < p; ip++ {
				ap := pa[ip*mr*kc : (ip+1)*mr*kc]
				kernel(kc, ap, bp, &t)
				for j := 0; j < nr && c0+j < p; j++ {
					cj := c0 + j
					lo := max(ip*mr, cj)
					hi := min(ip*mr+mr, p)
					col := g[cj*p:]
					for i := lo; i < hi; i++ {
						col[i] += t[j*mr+i-ip*mr]
					}
				}
			}
		}
	}
}

// packChunk packs rows r0..r0+kc−1 of the columns cols, each row scaled by
// scale (nil: 1), into A panels: for each row l of the chunk, mr columns'
// values; columns past the last are zero.
func packChunk(pa []float64, cols [][]float64, scale []float64, r0, kc int) {
	p := len(cols)
	for ip := 0; ip*mr < p; ip++ {
		ap := pa[ip*mr*kc : (ip+1)*mr*kc]
		for ii := 0; ii < mr; ii++ {
			c := ip*mr + ii
			if c >= p {
				for l := 0; l < kc; l++ {
					ap[l*mr+ii] = 0
				}
				continue
			}
			src := cols[c][r0 : r0+kc]
			if scale == nil {
				for l, v := range src {
					ap[l*mr+ii] = v
				}
				continue
			}
			sc := scale[r0 : r0+kc]
			for l, v := range src {
				ap[l*mr+ii] = sc[l] * v
			}
		}
	}
}
