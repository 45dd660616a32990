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
// block of an SPD matrix) run on packed panels through one tile kernel
// (AVX-512 or AVX2+FMA assembly on amd64), shared out among worker
// goroutines.
//
// The panels are grouped into outer blocks of outerPanels panels, as in
// the two-level blocking of Goto and van de Geijn ("Anatomy of
// high-performance matrix multiplication", ACM TOMS 34(3), 2008): inside
// an outer block the panels update only the block's own columns; the rest
// of the trailing matrix is then updated once by the whole block, each tile
// of it loaded once for outerPanels·nb multiply-adds instead of nb, which
// keeps a large factorisation from waiting on memory. That update still
// subtracts one nb-long sum per panel, in panel order, so every entry of
// the factor is computed by exactly the same operations as in the one-level
// algorithm: the grouping changes the speed, not the result.
package dense

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/glmmgo/glmmgo/core/errs"
)

// blockSize is nb, the panel width and the length of every sum the
// updates subtract: large enough that the tile kernel's loads of C are
// amortised over many flops, small enough that the unblocked diagonal
// factorisation stays cheap.
const blockSize = 96

// outerPanels is the number of panels in an outer block.
const outerPanels = 4

// outerSize is the width of an outer block.
const outerSize = outerPanels * blockSize

// parallelMin is the least flop count of a step worth splitting among
// workers; below it the hand-off costs more than it saves.
const parallelMin = 1 << 20

// l2Bytes is the share of the L2 cache a chunk of packed A panels may
// fill while the B panels stream past it.
const l2Bytes = 512 << 10

// l3Bytes is the share of the L3 cache a block of packed B panels may
// fill while the row chunks pass.
const l3Bytes = 4 << 20

// Factorizer holds the packing buffers and worker goroutines of the blocked
// factorisation. The zero value is ready to use with one worker per
// GOMAXPROCS. A Factorizer is not safe for concurrent use; Close stops its
// workers.
type Factorizer struct {
	// Workers caps the goroutines used by the factorisation (0 means
	// runtime.GOMAXPROCS(0)). Set it before the first Factor.
	Workers int

	packA  []float64 // the outer block's rows bk0.., mr-row panels of stride columns each
	packB  []float64 // the same rows in nr-row panels
	stride int       // columns of a packed panel: outerSize, or fewer for a narrow factorisation
	packL  []float64 // rows of L₁₁⁻¹, nr-row panels
	linv   []float64 // nb×nb inverse of the diagonal block, transposed (column-major L⁻ᵀ)
	rowj   []float64 // one row of the diagonal block

	// state of the current step, read by the workers
	op       step
	a        []float64
	lda, n   int          // rows of the matrix
	ncol     int          // columns to factor
	k0, kb   int          // the current panel
	bk0, bkb int          // the current outer block
	next     atomic.Int64 // the next task of the current step
	started  bool
	jobs     []chan int
	wg       sync.WaitGroup
	stopOnce sync.Once
}

// step names the parallel steps of the factorisation.
type step int

const (
	stepPanel    step = iota // solve the panel below the diagonal block, pack it
	stepInner                // update the outer block's later columns by the panel
	stepTrailing             // update the columns after the outer block by the block
)

// Factor overwrites the lower triangle of the n×n column-major matrix a
// (leading dimension lda) with its Cholesky factor L; the strict upper
// triangle is not referenced. It fails with a numeric error naming the
// column whose pivot is not positive (or not finite).
func (f *Factorizer) Factor(n int, a []float64, lda int) error {
	return f.FactorColumns(n, n, a, lda)
}

// FactorColumns factors the first ncol columns of the m×m symmetric
// matrix a (column-major, leading dimension lda, lower triangle read):
// with A = [A₁₁ ·; A₂₁ ·] split after ncol, it overwrites A₁₁ with L₁₁ =
// chol(A₁₁) and A₂₁ with L₂₁ = A₂₁·L₁₁⁻ᵀ, leaving the last m − ncol
// columns untouched (a supernode of a sparse factor). With ncol = m it is
// Factor.
func (f *Factorizer) FactorColumns(m, ncol int, a []float64, lda int) error {
	if m < 0 || ncol < 0 || ncol > m || lda < max(m, 1) || len(a) < (ncol-1)*lda+m && ncol > 0 {
		return errs.Invalidf("a", "m=%d, ncol=%d, lda=%d and len(a)=%d do not describe a matrix", m, ncol, lda, len(a))
	}
	f.stride = min(outerSize, roundUp(ncol, blockSize))
	f.grow(m)
	f.a, f.lda, f.n, f.ncol = a, lda, m, ncol
	defer f.release()
	for bk0 := 0; bk0 < ncol; bk0 += outerSize {
		f.bk0, f.bkb = bk0, min(outerSize, ncol-bk0)
		if err := f.factorBlock(); err != nil {
			return err
		}
		if r := bk0 + f.bkb; r < ncol {
			f.run(stepTrailing, float64(m-r)*float64(ncol-r)*float64(f.bkb))
		}
	}
	return nil
}

// release drops the reference to the caller's matrix.
func (f *Factorizer) release() { f.a = nil }

// factorBlock factors the columns of the current outer block, panel by
// panel, each panel updating the block's later columns only.
func (f *Factorizer) factorBlock() error {
	a, lda, n := f.a, f.lda, f.n
	end := f.bk0 + f.bkb
	for k0 := f.bk0; k0 < end; k0 += blockSize {
		kb := min(blockSize, end-k0)
		if err := unblocked(kb, a[k0*lda+k0:], lda, k0, f.rowj); err != nil {
			return err
		}
		r0 := k0 + kb
		if r0 == n {
			return nil
		}
		f.k0, f.kb = k0, kb
		f.invertDiagonal()
		f.run(stepPanel, float64(n-r0)*float64(kb)*float64(kb))
		if r0 < end {
			f.run(stepInner, float64(n-r0)*float64(end-r0)*float64(kb))
		}
	}
	return nil
}

// grow sizes the buffers for n rows.
func (f *Factorizer) grow(n int) {
	if na := roundUp(n, mr) * f.stride; len(f.packA) < na {
		f.packA = make([]float64, na)
	}
	if nb := roundUp(n, mr) * f.stride; len(f.packB) < nb {
		f.packB = make([]float64, nb)
	}
	if nl := roundUp(blockSize, nr) * blockSize; len(f.packL) < nl {
		f.packL = make([]float64, nl)
	}
	if len(f.linv) < blockSize*blockSize {
		f.linv = make([]float64, blockSize*blockSize)
		f.rowj = make([]float64, blockSize)
	}
}

func roundUp(x, m int) int { return (x + m - 1) / m * m }

// unblocked factors the kb×kb block at a (leading dimension lda) by the
// left-looking column algorithm: column j less the columns before it,
// weighted by row j (a matrix-vector product, x its scratch), then scaled
// by its pivot; off is the block's offset, for messages.
func unblocked(kb int, a []float64, lda, off int, x []float64) error {
	for j := 0; j < kb; j++ {
		cj := a[j*lda : j*lda+kb]
		for l := 0; l < j; l++ {
			x[l] = a[l*lda+j]
		}
		if j > 0 {
			subMulVec(kb-j, j, a[j:], lda, x, cj[j:])
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

// invertDiagonal forms L₁₁⁻¹ of the current panel's diagonal block and
// packs its rows as B panels: P[i,j] = Σ_l A[i,l]·L⁻¹[j,l]. Row r of L⁻¹
// is found from the rows before it, (e_r − Σ_{i<r} L_ri·(row i)) / L_rr, a
// matrix-vector product over the rows so far (held as the columns of
// linv, which is L⁻ᵀ).
func (f *Factorizer) invertDiagonal() {
	a, lda, k0, kb := f.a, f.lda, f.k0, f.kb
	y := f.linv[:kb*kb]
	x := f.rowj
	for r := 0; r < kb; r++ {
		yr := y[r*kb : r*kb+kb]
		clear(yr)
		yr[r] = 1
		for i := 0; i < r; i++ {
			x[i] = a[(k0+i)*lda+k0+r]
		}
		if r > 0 {
			subMulVec(r, r, y, kb, x, yr)
		}
		d := a[(k0+r)*lda+k0+r]
		for j := 0; j <= r; j++ {
			yr[j] /= d
		}
	}
	// B panels: panel jq holds rows jq·nr.. of L⁻¹, which are columns of y
	for jq := 0; jq*nr < kb; jq++ {
		p := f.packL[jq*nr*kb : (jq+1)*nr*kb]
		for t := 0; t < nr; t++ {
			r := jq*nr + t
			if r >= kb {
				for l := 0; l < kb; l++ {
					p[l*nr+t] = 0
				}
				continue
			}
			for l, v := range y[r*kb : (r+1)*kb] {
				p[l*nr+t] = v
			}
		}
	}
}

// run does step op, split among the workers when its flop count makes
// that worthwhile.
func (f *Factorizer) run(op step, flops float64) {
	f.op = op
	f.next.Store(0)
	nw := f.Workers
	if nw <= 0 {
		nw = runtime.GOMAXPROCS(0)
	}
	if nw <= 1 || flops < parallelMin {
		f.share()
		return
	}
	f.startWorkers(nw)
	f.wg.Add(nw - 1)
	for w := 1; w < nw; w++ {
		f.jobs[w-1] <- w
	}
	f.share()
	f.wg.Wait()
}

// share does a worker's part of the current step. The step's tasks
// (row panels, or tiles of a row chunk) are taken in order from a shared
// counter, so that a worker the scheduler holds back — the machine may be
// shared — delays the step by one task, not by its share. Each task is
// done by one worker alone, so the result does not depend on who does it.
func (f *Factorizer) share() {
	switch f.op {
	case stepPanel:
		f.panelShare()
	case stepInner:
		f.innerShare()
	case stepTrailing:
		f.trailingShare()
	}
}

// panelA returns the A panel of the outer block holding rows r.. (r−bk0 a
// multiple of mr), from column offset l0 of the block.
func (f *Factorizer) panelA(r, l0 int) []float64 {
	p := (r - f.bk0) / mr
	return f.packA[p*mr*f.stride+l0*mr : (p+1)*mr*f.stride]
}

// panelB is panelA for the nr-row panels.
func (f *Factorizer) panelB(r, l0 int) []float64 {
	p := (r - f.bk0) / nr
	return f.packB[p*nr*f.stride+l0*nr : (p+1)*nr*f.stride]
}

// panelShare solves the panel below the diagonal block, P = A₂₁·L₁₁⁻ᵀ, one
// row panel per task, writes P back into a and, unless no
// column is left to update, packs it as A and B panels of the outer block.
// (The last panel of a partial factorisation may end off the panels' row
// grid; it is then packed at slots counted from its first row, which
// nothing reads after it.)
func (f *Factorizer) panelShare() {
	a, lda, n, k0, kb := f.a, f.lda, f.n, f.k0, f.kb
	r0 := k0 + kb
	l0 := k0 - f.bk0
	last := r0 >= f.ncol
	var t tile
	for ip := f.task(); r0+ip*mr < n; ip = f.task() {
		i0 := r0 + ip*mr
		rows := min(mr, n-i0)
		var ap []float64
		if last {
			ap = f.packA[ip*mr*f.stride : (ip+1)*mr*f.stride]
		} else {
			ap = f.panelA(i0, l0)
		}
		packRows(ap, a[k0*lda:], lda, i0, rows, kb, mr, mr)
		for jq := 0; jq*nr < kb; jq++ {
			// rows jq·nr.. of L⁻¹ (lower) vanish past column jq·nr+nr−1
			kernel(min(kb, jq*nr+nr), ap, f.packL[jq*nr*kb:(jq+1)*nr*kb], &t)
			for j := 0; j < nr && jq*nr+j < kb; j++ {
				c0 := (k0+jq*nr+j)*lda + i0
				copy(a[c0:c0+rows], t[j*mr:j*mr+rows])
			}
		}
		if last {
			continue
		}
		packRows(ap, a[k0*lda:], lda, i0, rows, kb, mr, mr)
		for s := 0; s < mr; s += nr {
			splitPanel(f.panelB(i0+s, l0), ap[s:], kb)
		}
	}
}

// innerShare subtracts P·Pᵀ (P the current panel) from the outer block's
// columns after the panel, rows from each column down, one row panel per
// task.
func (f *Factorizer) innerShare() {
	r0 := f.k0 + f.kb
	end := f.bk0 + f.bkb
	l0 := f.k0 - f.bk0
	for ip := f.task(); r0+ip*mr < f.n; ip = f.task() {
		i0 := r0 + ip*mr
		ap := f.panelA(i0, l0)
		for c0 := r0; c0 < end && c0 <= i0+mr-1; c0 += nr {
			f.updateTile(ap, f.panelB(c0, l0), f.kb, i0, c0, end)
		}
	}
}

// trailingShare subtracts the outer block's product L_B·L_Bᵀ from the
// columns after it (to ncol), blocked for the caches as in Goto and van de
// Geijn's matrix product: the columns in blocks whose B panels fill about
// l3Bytes (they stay in the L3 cache while the rows pass), the rows in
// chunks whose A panels fill about l2Bytes (they stay in L2 while the
// block's column panels meet them). A task is one column panel of one
// chunk; the tasks are numbered block by block, chunk by chunk.
func (f *Factorizer) trailingShare() {
	kb := f.bkb
	r := f.bk0 + kb
	cur := trailingCursor{n: f.n, ncol: f.ncol, r: r, chunk: max(1, l2Bytes/(8*mr*kb)) * mr,
		block: max(1, l3Bytes/(8*nr*kb)) * nr}
	cur.start()
	for t := f.task(); ; t = f.task() {
		if !cur.seek(t) {
			return
		}
		c0 := cur.cs + (t-cur.base)*nr
		bp := f.panelB(c0, 0)
		i1c := min(cur.i0c+cur.chunk, f.n)
		for i0 := r + max(c0-r, cur.i0c-r)/mr*mr; i0 < i1c; i0 += mr {
			f.updateTile(f.panelA(i0, 0), bp, kb, i0, c0, f.ncol)
		}
	}
}

// trailingCursor walks the trailing update's tasks in order: column block
// [cs, cs+block), row chunk [i0c, i0c+chunk) (chunks counted from r), and
// the count of the chunk's tasks — the block's column panels with a
// column above the chunk's last row — numbered from base.
type trailingCursor struct {
	n, ncol, r, chunk, block int
	cs, i0c, base, count     int
}

// start puts the cursor at the first block's first chunk.
func (c *trailingCursor) start() {
	c.cs = c.r
	c.i0c = c.r
	c.count = c.tasks()
}

// tasks counts the current chunk's tasks.
func (c *trailingCursor) tasks() int {
	ce := min(c.cs+c.block, c.ncol)
	i1c := min(c.i0c+c.chunk, c.n)
	return min((ce-c.cs+nr-1)/nr, (i1c-c.cs+nr-1)/nr)
}

// seek moves the cursor forward to the chunk holding task t, reporting
// false past the last task.
func (c *trailingCursor) seek(t int) bool {
	for t >= c.base+c.count {
		if c.cs >= c.ncol {
			return false
		}
		c.base += c.count
		c.i0c += c.chunk
		if c.i0c >= c.n {
			c.cs += c.block
			if c.cs >= c.ncol {
				c.count = 0
				return false
			}
			c.i0c = c.r + (c.cs-c.r)/c.chunk*c.chunk
		}
		c.count = c.tasks()
	}
	return true
}

// task returns the next task of the current step.
func (f *Factorizer) task() int { return int(f.next.Add(1) - 1) }

// updateTile subtracts, from the tile of a at rows i0.. and columns c0..,
// the product of the A panel ap and the B panel bp over k columns, one
// blockSize-long sum at a time (the one-level algorithm's sums), keeping
// to the lower triangle, the rows before n and the columns before cEnd.
func (f *Factorizer) updateTile(ap, bp []float64, k, i0, c0, cEnd int) {
	a, lda, n := f.a, f.lda, f.n
	if i0 >= c0+nr-1 && i0+mr <= n && c0+nr <= cEnd {
		kernelSub(k, ap, bp, a[c0*lda+i0:], lda)
		return
	}
	var t tile
	for l := 0; l < k; l += blockSize {
		kernel(min(blockSize, k-l), ap[l*mr:], bp[l*nr:], &t)
		for j := 0; j < nr && c0+j < cEnd; j++ {
			cj := c0 + j
			col := a[cj*lda:]
			tj := t[j*mr : j*mr+mr]
			for i := max(i0, cj); i < min(i0+mr, n); i++ { // lower triangle only
				col[i] -= tj[i-i0]
			}
		}
	}
}

// packRows packs rows r0..r0+m of the column-major matrix src (leading
// dimension ld, k columns) into panels of h rows, panel p at dst[p·stride…]:
// for each column l, its h values contiguously; rows past m are zero. It
// reads each column contiguously (the writes stride over the panels
// instead).
func packRows(dst, src []float64, ld, r0, m, k, h, stride int) {
	np := (m + h - 1) / h
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

// splitPanel copies nr rows of an mr-row panel (from src, already offset
// to the first of them) into an nr-row panel, k columns.
func splitPanel(dst, src []float64, k int) {
	for l := 0; l < k; l++ {
		copy(dst[l*nr:l*nr+nr], src[l*mr:l*mr+nr])
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
			for range ch {
				f.share()
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
