// Package fastmath has the exp and log kernels of the MCLA inner loop, which
// evaluates one exp and one log per observation per Monte Carlo sample.
// Go's math.Exp and math.Log1p take 12–16 ns here; these take a few.
//
// Both are table-driven (Tang's method; J. Tang, "Table-driven implementation
// of the exponential function in IEEE floating-point arithmetic", ACM TOMS
// 15(2), 1989, and the analogous table method for log):
//
//	exp(x) = 2^k · 2^{j/32} · exp(r),  x = (32k + j)·ln2/32 + r, |r| ≤ ln2/64,
//	log(x) = e·ln2 + log(c_j) + log(1 + r),  x = 2^e·m, c_j = 1 + j/128 ≤ m,
//	                                          r = (m − c_j)/c_j ∈ [0, 1/128),
//
// with short Taylor polynomials for exp(r) (degree 6, truncation < 4e-18)
// and log(1+r) (degree 8, truncation < 2e-19). Exp is within 2 ulp of
// math.Exp; Log's error is within 1 ulp of max(|log x|, 1), an absolute
// accuracy that is what the log-likelihood sums can use (the tests measure
// both bounds). Arguments
// outside the fast range (overflow, underflow to subnormals, non-finite
// values) fall back to the math package, so results are always defined.
package fastmath

import "math"

const (
	expTableBits = 5
	expTableSize = 1 << expTableBits
	logTableBits = 7
	logTableSize = 1 << logTableBits
	// ln2Hi has its low bits zero, so k·ln2Hi/32 is exact for |k| < 2^20.
	ln2Hi = 6.93147180369123816490e-01
	ln2Lo = 1.90821492927058770002e-10
	// shifter rounds to an integer held in the low mantissa bits.
	shifter = 0x1.8p52
)

var (
	exp2Table [expTableSize]float64 // 2^{j/32}
	logC      [logTableSize]float64 // log(c_j)
	cTable    [logTableSize]float64 // c_j
	invC      [logTableSize]float64 // 1/c_j
)

func init() {
	for j := range exp2Table {
		exp2Table[j] = math.Exp2(float64(j) / expTableSize)
	}
	for j := range logC {
		c := 1 + float64(j)/logTableSize
		cTable[j] = c
		logC[j] = math.Log(c)
		invC[j] = 1 / c
	}
}

// Exp returns e^x.
func Exp(x float64) float64 {
	if !(x > -708 && x < 709) {
		return math.Exp(x)
	}
	return ExpKernel(x)
}

// FastExpMin and FastExpMax bound the arguments ExpKernel accepts.
const (
	FastExpMin = -708
	FastExpMax = 709
)

// ExpKernel is Exp for FastExpMin < x < FastExpMax; the caller checks the
// range. It calls nothing, so it needs no stack frame, which is a third of
// the cost of Exp in a loop.
func ExpKernel(x float64) float64 {
	r, t := expReduce(x)
	return t + t*expm1Poly(r)
}

// ExpSlice sets dst[i] = e^{src[i]} for FastExpMin < src[i] < FastExpMax
// (the caller checks). In a loop over a slice the kernel is inlined: no call
// per element.
func ExpSlice(dst, src []float64) {
	dst = dst[:len(src)]
	for i, x := range src {
		r, t := expReduce(x)
		dst[i] = t + t*expm1Poly(r)
	}
}

// expReduce splits x = (32k + j)·ln2/32 + r and returns r and 2^k·2^{j/32}.
func expReduce(x float64) (r, t float64) {
	kf := x*(expTableSize/math.Ln2) + shifter
	kb := math.Float64bits(kf)
	kf -= shifter
	r = x - kf*(ln2Hi/expTableSize) - kf*(ln2Lo/expTableSize)
	k := int64(kb<<13) >> 13 // the rounded integer, sign-extended from 51 bits
	return r, exp2Table[k&(expTableSize-1)] * math.Float64frombits(uint64((k>>expTableBits)+1023)<<52)
}

// expm1Poly is e^r − 1 for |r| ≤ ln2/64, in Estrin's scheme (shorter
// dependency chains than Horner's rule). Adding it to the table value last
// keeps the rounding to about 1 ulp.
func expm1Poly(r float64) float64 {
	r2 := r * r
	return r + r2*((1.0/2+r*(1.0/6))+r2*((1.0/24+r*(1.0/120))+r2*(1.0/720)))
}

// Log returns the natural logarithm of x.
func Log(x float64) float64 {
	b := math.Float64bits(x)
	if b-0x0010000000000000 >= 0x7ff0000000000000-0x0010000000000000 {
		return math.Log(x) // zero, subnormal, negative, Inf or NaN
	}
	return logKernel(b)
}

// logKernel is Log for the bits b of a positive normal number.
func logKernel(b uint64) float64 {
	e := float64(int64(b>>52) - 1023)
	m := math.Float64frombits(b&(1<<52-1) | 1023<<52)
	j := (b >> (52 - logTableBits)) & (logTableSize - 1)
	r := (m - cTable[j]) * invC[j]
	r2 := r * r
	r4 := r2 * r2
	p := r + r2*((-1.0/2+r*(1.0/3))+r2*(-1.0/4+r*(1.0/5))) + r4*r2*((-1.0/6+r*(1.0/7))+r2*(-1.0/8))
	return e*ln2Hi + (e*ln2Lo + logC[j] + p)
}

// Logistic returns, sharing one exponential, the softplus log(1 + e^x), the
// logistic function p = 1/(1 + e^{−x}) and p(1 − p): the Bernoulli cumulant
// c(η) and its first two derivatives. p(1 − p) is formed as e^{−|x|}/(1 +
// e^{−|x|})², which keeps full relative precision where p is close to 1.
func Logistic(x float64) (softplus, p, pq float64) {
	ax := math.Abs(x)
	var e float64 // e^{−|x|} in [0, 1]
	if ax < -FastExpMin {
		e = ExpKernel(-ax)
	} else {
		e = math.Exp(-ax)
	}
	s := 1 + e
	inv := 1 / s
	// log(fl(1+e)) has absolute error ≤ 1.2e-16, which is all the sum
	// Σ wᵢ(yᵢηᵢ − c(ηᵢ)) can use; p and pq are computed without the log.
	softplus = logKernel(math.Float64bits(s))
	pq = e * inv * inv
	if x >= 0 {
		return x + softplus, inv, pq
	}
	return softplus, e * inv, pq
}
