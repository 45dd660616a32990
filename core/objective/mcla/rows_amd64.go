//go:build !noasm

package mcla

import (
	"math"

	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/fastmath"
	"golang.org/x/sys/cpu"
)

// useAVX2 is true when the CPU and OS support AVX2 and FMA (checked once).
// Tests clear it to force the Go row loops.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// bernUnitAVX2 runs the unweighted Bernoulli row loop over nb blocks of 4
// rows (Z packed as in simdRows). It stores dv and y − c′ (in rbuf) for
// those rows and writes to out the lanes of Σ yη − η⁺ (out[0:4]), of the
// renormalised product of the 1 + e^{−|η|} (out[4:8], each in [1, 2)) and of
// the sums of their biased exponents (out[8:12], int64 bits). It reports bad
// when some |η| is beyond the fast exp range or NaN; nothing it computed may
// then be used.
//
//go:noescape
func bernUnitAVX2(nb, w int, xb, y, zv *float64, zc *int32, u, dv, rbuf, out, cst *float64) (bad bool)

// poisAVX2 is the Poisson row loop: dv = wμ, rbuf = w(y − μ), out[0:4] the
// lanes of Σ w(yη − μ), with y and w packed in yw (per block 4 y, 4 w). It
// reports bad when some η is outside (FastExpMin, FastExpMax) or NaN.
//
//go:noescape
func poisAVX2(nb, w int, xb, yw, zv *float64, zc *int32, u, dv, rbuf, out, cst *float64) (bad bool)

// xtrAVX2 sets acc[4j:4j+4] to the lanes of X′r over the first 4·nb rows,
// for X column-major with n rows and p columns.
//
//go:noescape
func xtrAVX2(nb, p, n int, x, r, acc *float64)

// simdRows holds Z packed in blocks of 4 rows for the kernel: block b, entry
// k is zc/zv[(b*w+k)*4 : (b*w+k)*4+4]. Rows past the last whole block are
// left to Go.
type simdRows struct {
	nb int
	zc []int32
	zv []float64
	yw []float64 // Poisson only: per block y then w
}

// laneLen is the length of workerScratch.lanes: 4 lanes of X′r per column
// of X, then the kernel's 12 outputs.
func laneLen(p int) int { return 4*p + 12 }

func newSIMDRows(m *Model) *simdRows {
	nb := m.n / 4
	if nb == 0 {
		return nil
	}
	w := m.z.Width
	s := &simdRows{nb: nb, zc: make([]int32, nb*w*4), zv: make([]float64, nb*w*4)}
	for b := 0; b < nb; b++ {
		for l := 0; l < 4; l++ {
			i := 4*b + l
			for k := 0; k < w; k++ {
				s.zc[(b*w+k)*4+l] = m.z.Col[i*w+k]
				s.zv[(b*w+k)*4+l] = m.z.Val[i*w+k]
			}
		}
	}
	if m.fam == family.Poisson {
		s.yw = make([]float64, nb*8)
		for i := 0; i < 4*nb; i++ {
			s.yw[8*(i/4)+i%4] = m.y[i]
			s.yw[8*(i/4)+4+i%4] = m.w[i]
		}
	}
	return s
}

// Vector constants of the kernel (32 bytes each, offsets in rows_amd64.s),
// then the table 2^{j/32} of fastmath's exp.
var bernConst = func() (c [16*4 + 32]float64) {
	vals := [...]float64{
		math.Float64frombits(1 << 63),    // 0 sign bit
		fastmath.FastExpMin,              // 32
		32 / math.Ln2,                    // 64
		0x1.8p52,                         // 96 shifter
		6.93147180369123816490e-01 / 32,  // 128 ln2Hi/32
		1.90821492927058770002e-10 / 32,  // 160 ln2Lo/32
		math.Float64frombits(31),         // 192 table index mask
		math.Float64frombits(1023 << 52), // 224 exponent bias
		1.0 / 6,                          // 256
		1.0 / 2,                          // 288
		1.0 / 120,                        // 320
		1.0 / 24,                         // 352
		1.0 / 720,                        // 384
		1,                                // 416
		math.Float64frombits(1<<52 - 1),  // 448 mantissa mask
		fastmath.FastExpMax,              // 480
	}
	var _ [len(vals) - 16]int // the asm's offsets assume 16 constants
	var _ [16 - len(vals)]int
	for i, v := range vals {
		for l := 0; l < 4; l++ {
			c[4*i+l] = v
		}
	}
	for j := 0; j < 32; j++ {
		c[64+j] = math.Exp2(float64(j) / 32) // as fastmath's table
	}
	return c
}()

const (
	ln2Hi = 6.93147180369123816490e-01
	ln2Lo = 1.90821492927058770002e-10
)

// rowsBernoulliUnitSIMD is rowsBernoulliUnit with the whole blocks of 4 rows
// done by the AVX2 kernel and the remaining n mod 4 rows here. It reports
// false, having left gBeta dirty, when the kernel is not available or some
// η is beyond the fast exp range; the caller then clears gBeta and runs the
// Go loop.
func (m *Model) rowsBernoulliUnitSIMD(xb, u, dv, gBeta []float64, ws *workerScratch) (float64, bool) {
	s := m.simd
	if !useAVX2 || s == nil || len(u) == 0 {
		return 0, false
	}
	p, nb := m.p, s.nb
	lanes := ws.lanes[:4*p+12]
	acc, out := lanes[:4*p], lanes[4*p:]
	_ = xb[4*nb-1]
	_ = m.y[4*nb-1]
	_ = dv[4*nb-1]
	_ = ws.ex[4*nb-1]
	if bernUnitAVX2(nb, m.z.Width, &xb[0], &m.y[0], &s.zv[0], &s.zc[0], &u[0], &dv[0], &ws.ex[0], &out[0], &bernConst[0]) {
		return 0, false
	}
	m.xtr(nb, ws.ex, acc, gBeta)
	lin := (out[0] + out[1]) + (out[2] + out[3])
	prod := (out[4] * out[5]) * (out[6] * out[7]) // in [1, 16)
	var ex int64
	for l := 8; l < 12; l++ {
		ex += int64(math.Float64bits(out[l]))
	}
	ex -= 4 * 1023 * int64(nb)
	for i := 4 * nb; i < m.n; i++ {
		e := m.eta(i, xb, u)
		a := -math.Abs(e)
		var x float64
		if a > fastmath.FastExpMin {
			x = fastmath.ExpKernel(a)
		} else if a <= fastmath.FastExpMin {
			x = math.Exp(a)
		} else {
			return 0, false // NaN: let the Go loop produce it
		}
		s := 1 + x
		inv := 1 / s
		mu := inv
		if math.Signbit(e) {
			mu = x * inv
		}
		y := m.y[i]
		lin += y*e - max(e, 0)
		prod *= s // at most 3 factors in (1, 2]
		dv[i] = x * inv * inv
		m.addScore(i, y-mu, gBeta)
	}
	fe := float64(ex)
	return lin - (fastmath.Log(prod) + (fe*ln2Hi + fe*ln2Lo)), true
}

// xtr sets gBeta to X′r over the first 4·nb rows, r in rbuf.
func (m *Model) xtr(nb int, rbuf, acc, gBeta []float64) {
	p := m.p
	if p == 0 {
		return
	}
	_ = m.x[(p-1)*m.n+4*nb-1]
	_ = rbuf[4*nb-1]
	xtrAVX2(nb, p, m.n, &m.x[0], &rbuf[0], &acc[0])
	for j := range gBeta {
		a := acc[4*j : 4*j+4]
		gBeta[j] = (a[0] + a[1]) + (a[2] + a[3])
	}
}

// rowsPoissonSIMD is rowsPoisson with the whole blocks of 4 rows done by the
// AVX2 kernel; it reports false, gBeta dirty, when the kernel is not
// available or some η is outside the fast exp range.
func (m *Model) rowsPoissonSIMD(xb, u, dv, gBeta []float64, ws *workerScratch) (float64, bool) {
	s := m.simd
	if !useAVX2 || s == nil || s.yw == nil || len(u) == 0 {
		return 0, false
	}
	p, nb := m.p, s.nb
	lanes := ws.lanes[:4*p+12]
	acc, out := lanes[:4*p], lanes[4*p:]
	_ = xb[4*nb-1]
	_ = dv[4*nb-1]
	_ = ws.ex[4*nb-1]
	_ = s.yw[8*nb-1]
	if poisAVX2(nb, m.z.Width, &xb[0], &s.yw[0], &s.zv[0], &s.zc[0], &u[0], &dv[0], &ws.ex[0], &out[0], &bernConst[0]) {
		return 0, false
	}
	m.xtr(nb, ws.ex, acc, gBeta)
	logF := (out[0] + out[1]) + (out[2] + out[3])
	for i := 4 * nb; i < m.n; i++ {
		e := m.eta(i, xb, u)
		mu := fastmath.Exp(e)
		w := m.w[i]
		logF += w * (m.y[i]*e - mu)
		dv[i] = w * mu
		m.addScore(i, w*(m.y[i]-mu), gBeta)
	}
	return logF, true
}

//go:noescape
func axpyAVX2(n int, a float64, x, y *float64)

// addScaled sets y[i] += a·x[i], rounding as the plain loop does (a product,
// then a sum), so its result does not depend on the CPU.
func addScaled(y []float64, a float64, x []float64) {
	x = x[:len(y)]
	n8 := 0
	if useAVX2 {
		n8 = len(y) &^ 7
		if n8 > 0 {
			axpyAVX2(n8, a, &x[0], &y[0])
		}
	}
	for i := n8; i < len(y); i++ {
		y[i] += float64(a * x[i]) // rounded: no FMA under GOAMD64=v3
	}
}
