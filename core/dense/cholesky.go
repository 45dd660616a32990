// Package dense holds glmmgo's dense linear algebra: the one place where
// dense matrices are factored, solved and multiplied (column-major storage,
// as everywhere in glmmgo).
//
// Its centre is the blocked Cholesky factorisation of dense symmetric
// positive definite matrices, A = L·Lᵀ with L lower triangular, in place and
// without allocating once its workspace has grown to the problem size.
//
// The factorisation is the right-looking blocked algorithm of LAPACK's
// dpotrf (Golub & Van Loan, Matrix Computations, 4th ed., Alg. 4.2.4): for
// each panel of nb columns, factor the nb×nb diagonal block unblocked, solve
// the panel below it, P = A₂₁·L₁₁⁻ᵀ, and update the trailing matrix
// A₂₂ −= P·Pᵀ. The update holds almost all of the n³/3 flops; it and the
// panel solve (done as a product with the explicitly inverted nb×nb block,
// which is well conditioned because it is a Cholesky factor of a diagonal
// block of an SPD matrix) run on packed panels through one 12×4 tile kernel
// (AVX2+FMA assembly on amd64), and the tiles of the update are shared out
// among worker goroutines.
package dense

import (
	"math"
	"runtime"
	"sync"

	"github.com/glmmgo/glmmgo/core/errs"
)

// blockSize is nb, the panel width: large enough that the tile kernel's
// loads of C are amortised over many flops, small enough that the unblocked
// diagonal factorisation stays cheap.
const blockSize = 96

// parallelMin is the least trailing-update flop count worth splitting
// among workers; below it the hand-off costs more than it saves.
const parallelMin = 1 << 21

// Factorizer holds the packing buffers and worker goroutines of the blocked
// factorisation. The zero value is ready to use with one worker per
// GOMAXPROCS. A Factorizer is not safe for concurrent use; Close stops its
// workers.
type Factorizer struct {
	// Workers caps the goroutines used by the trailing update (0 means
	// runtime.GOMAXPROCS(0)). Set it before the first Factor.
	Workers int

	packA []float64 // the current panel, 12-row packed
	packB []float64 // the current panel (or L⁻¹), 4-row packed
	linv  []float64 // nb×nb inverse of the diagonal block, column-major

	// state of the current parallel step, read by the workers
	a        []float64
	lda      int
	r0, m, k int
	jp       int // number of 4-column panels
	nw       int
	started  bool
	jobs     []chan int
	wg       sync.WaitGroup
	stopOnce sync.Once
}

// Factor overwrites the lower triangle of the n×n column-major matrix a
// (leading dimension lda) with its Cholesky factor L; the strict upper
// triangle is not referenced. It fails with a numeric error naming the
// column whose pivot is not positive (or not finite).
func (f *Factorizer) Factor(n int, a []float64, lda int) error {
	if n < 0 || lda < max(n, 1) || len(a) < (n-1)*lda+n && n > 0 {
		return errs.Invalidf("a", "n=%d, lda=%d and len(a)=%d do not describe a matrix", n, lda, len(a))
	}
	nb := blockSize
	f.grow(n, nb)
	for k0 := 0; k0 < n; k0 += nb {
		kb := min(nb, n-k0)
		if err := unblocked(kb, a[k0*lda+k0:], lda, k0); err != nil {
			return err
		}
		r0 := k0 + kb
		m := n - r0
		if m == 0 {
			break
		}
		f.panelSolve(a, lda, k0, kb, r0, m)
		f.update(a, lda, k0, kb, r0, m)
	}
	return nil
}

// grow sizes the buffers for order n and panel width nb.
func (f *Factorizer) grow(n, nb int) {
	na := roundUp(n, mr) * nb
	if len(f.packA) < na {
		f.packA = make([]float64, na)
	}
	nbB := roundUp(max(n, nb), nr) * nb
	if len(f.packB) < nbB {
		f.packB = make([]float64, nbB)
	}
	if len(f.linv) < nb*nb {
		f.linv = make([]float64, nb*nb)
	}
}

func roundUp(x, m int) int { return (x + m - 1) / m * m }

// unblocked factors the kb×kb block at a (leading dimension lda) by the
// left-looking column algorithm; off is the block's offset, for messages.
func unblocked(kb int, a []float64, lda, off int) error {
	for j := 0; j < kb; j++ {
		cj := a[j*lda : j*lda+kb]
		for l := 0; l < j; l++ {
			cl := a[l*lda : l*lda+kb]
			s := cl[j]
			if s == 0 {
				continue
			}
			axpyNeg(s, cl[j:kb], cj[j:kb])
		}
		d := cj[j]
		if !(d > 0) || math.IsInf(d, 1) {
			return errs.Numericf("a", "matrix is not positive definite: pivot %d is %g", off+j, d)
		}
		d = math.Sqrt(d)
		cj[j] = d
		inv := 1 / d
		for i, v := range cj[j+1 : kb] {
			cj[j+1+i] = v * inv
		}
	}
	return nil
}

// panelSolve replaces the m×kb panel below the diagonal block at (k0,k0),
// rows r0.., by P = A₂₁·L₁₁⁻ᵀ, then packs P for the update.
func (f *Factorizer) panelSolve(a []float64, lda, k0, kb, r0, m int) {
	// L₁₁⁻¹ by column-oriented forward substitution, into linv (kb×kb).
	li := f.linv[:kb*kb]
	clear(li)
	for j := 0; j < kb; j++ {
		// column j of L⁻¹ solves L x = e_j.
		x := li[j*kb : j*kb+kb]
		x[j] = 1
		for i := j; i < kb; i++ {
			xi := x[i] / a[(k0+i)*lda+k0+i]
			x[i] = xi
			if xi == 0 {
				continue
			}
			col := a[(k0+i)*lda+k0 : (k0+i)*lda+k0+kb]
			axpyNeg(xi, col[i+1:kb], x[i+1:kb])
		}
	}
	// B panels: rows of L⁻¹ (P[i,j] = Σ_l A[i,l]·L⁻¹[j,l]).
	packRows(f.packB, li, kb, 0, kb, kb, nr)
	// A panels: the rows of A₂₁.
	packRows(f.packA, a[k0*lda:], lda, r0, m, kb, mr)
	var t [mr * nr]float64
	for ip := 0; ip*mr < m; ip++ {
		ap := f.packA[ip*mr*kb : (ip+1)*mr*kb]
		for jq := 0; jq*nr < kb; jq++ {
			bp := f.packB[jq*nr*kb : (jq+1)*nr*kb]
			// rows jq·nr.. of L⁻¹ (lower) vanish past column jq·nr+nr−1
			kernel(min(kb, jq*nr+nr), ap, bp, &t)
			rows := min(mr, m-ip*mr)
			for j := 0; j < nr && jq*nr+j < kb; j++ {
				c0 := (k0+jq*nr+j)*lda + r0 + ip*mr
				copy(a[c0:c0+rows], t[j*mr:j*mr+rows])
			}
		}
	}
	packRows(f.packA, a[k0*lda:], lda, r0, m, kb, mr)
	splitPanels(f.packB, f.packA, m, kb)
}

// packRows packs rows r0..r0+m of the column-major matrix src (leading
// dimension ld, k columns) into panels of h rows: panel p holds, for each
// column l, its h values contiguously; rows past m are zero. It reads each
// column contiguously (the writes stride over the panels instead).
func packRows(dst, src []float64, ld, r0, m, k, h int) {
	np := (m + h - 1) / h
	stride := h * k
	for l := 0; l < k; l++ {
		s := src[l*ld+r0 : l*ld+r0+m]
		d := dst[l*h:]
		full := m / h
		for p := 0; p < full; p++ {
			copy(d[p*stride:p*stride+h], s[p*h:p*h+h])
		}
		if full < np {
			dl := d[full*stride : full*stride+h]
			rows := m - full*h
			copy(dl, s[full*h:])
			clear(dl[rows:])
		}
	}
}

// splitPanels derives 4-row panels from mr-row panels (k columns, m rows).
func splitPanels(dst4, src []float64, m, k int) {
	const per = mr / nr
	for p := 0; p*nr < m; p++ {
		s := src[(p/per)*mr*k:]
		off := (p % per) * nr
		d := dst4[p*nr*k : (p+1)*nr*k]
		for l := 0; l < k; l++ {
			copy(d[l*nr:l*nr+nr], s[l*mr+off:l*mr+off+nr])
		}
	}
}

// update subtracts P·Pᵀ from the lower triangle of the trailing m×m matrix
// at (r0,r0), sharing the 4-column panels among workers.
func (f *Factorizer) update(a []float64, lda, k0, kb, r0, m int) {
	f.a, f.lda, f.r0, f.m, f.k = a, lda, r0, m, kb
	f.jp = (m + nr - 1) / nr
	nw := f.Workers
	if nw <= 0 {
		nw = runtime.GOMAXPROCS(0)
	}
	if nw > 1 && float64(m)*float64(m)*float64(kb) >= parallelMin {
		f.startWorkers(nw)
		f.nw = nw
		f.wg.Add(nw - 1)
		for w := 1; w < nw; w++ {
			f.jobs[w-1] <- w
		}
		f.updateShare(0, nw)
		f.wg.Wait()
	} else {
		f.updateShare(0, 1)
	}
	f.a = nil
}

// updateShare does the column panels jq with jq%nw == w: interleaving
// balances the triangle's uneven columns. The rows go in chunks of
// chunkRows so that a chunk of the packed panel stays in the L2 cache while
// every column panel meets it.
func (f *Factorizer) updateShare(w, nw int) {
	a, lda, r0, m, kb := f.a, f.lda, f.r0, f.m, f.k
	var t [mr * nr]float64
	// rows per chunk: about 192 KiB of packed panel
	chunk := max(1, (192<<10)/(8*mr*max(kb, 1))) * mr
	for i0c := 0; i0c < m; i0c += chunk {
		i1c := min(i0c+chunk, m)
		for jq := w; jq < f.jp; jq += nw {
			c0 := jq * nr // first column of the panel, relative to r0
			if c0 >= i1c {
				break
			}
			bp := f.packB[jq*nr*kb : (jq+1)*nr*kb]
			for ip := max(c0, i0c) / mr; ip*mr < i1c; ip++ {
				ap := f.packA[ip*mr*kb : (ip+1)*mr*kb]
				i0 := ip * mr
				if i0 >= c0+nr-1 && i0+mr <= m && c0+nr <= m {
					// a full tile below the diagonal: update C in place
					kernelSub(kb, ap, bp, a[(r0+c0)*lda+r0+i0:], lda)
					continue
				}
				kernel(kb, ap, bp, &t)
				for j := 0; j < nr && c0+j < m; j++ {
					cj := c0 + j
					col := a[(r0+cj)*lda+r0:]
					lo := max(i0, cj) // lower triangle only
					hi := min(i0+mr, m)
					tj := t[j*mr : j*mr+mr]
					for i := lo; i < hi; i++ {
						col[i] -= tj[i-i0]
					}
				}
			}
		}
	}
}

// startWorkers launches nw−1 persistent workers on first use.
func (f *Factorizer) startWorkers(nw int) {
	if f.started && len(f.jobs) >= nw-1 {
		return
	}
	for w := len(f.jobs) + 1; w < nw; w++ {
		ch := make(chan int, 1)
		f.jobs = append(f.jobs, ch)
		go func() {
			for w := range ch {
				f.updateShare(w, f.nw)
				f.wg.Done()
			}
		}()
	}
	f.started = true
}

// Close stops the worker goroutines. The Factorizer must not be used after.
func (f *Factorizer) Close() {
	f.stopOnce.Do(func() {
		for _, ch := range f.jobs {
			close(ch)
		}
		f.jobs = nil
	})
}

// axpyNeg sets y −= s·x (len(y) ≥ len(x)), four at a time.
func axpyNeg(s float64, x, y []float64) {
	y = y[:len(x)]
	i := 0
	for ; i+4 <= len(x); i += 4 {
		xs := x[i : i+4 : i+4]
		ys := y[i : i+4 : i+4]
		ys[0] -= s * xs[0]
		ys[1] -= s * xs[1]
		ys[2] -= s * xs[2]
		ys[3] -= s * xs[3]
	}
	for ; i < len(x); i++ {
		y[i] -= s * x[i]
	}
}
