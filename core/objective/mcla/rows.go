package mcla

import (
	"math"

	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/fastmath"
)

// rows is the per-observation work of one sample u: it forms
// ηᵢ = (o + Xβ)ᵢ + (Zu)ᵢ row by row (xb holds o + Xβ), sets dv[i] = wᵢc″(ηᵢ) and gBeta = X′r with
// rᵢ = wᵢ(yᵢ − c′(ηᵢ)), and returns log f(y|u) = Σ wᵢ(yᵢηᵢ − c(ηᵢ)).
//
// It is specialised per family so that the loop calls no interface and only
// the exp (and log) kernels, and fuses everything into one pass over the
// observations. For the unweighted Bernoulli family, by far the most common,
// Σ log(1 + e^{−|η|}) is the log of a running product (renormalised every 64
// factors, each in (1, 2]), so an observation costs one exp and no log; the
// product's rounding adds at most 64 ulp to each log. On amd64 with AVX2
// and FMA that loop (and the Poisson one) runs in assembly, four rows per
// vector (rows_amd64.s), handing back to the Go loop when some |η| is beyond
// the fast exp range; the noasm build tag leaves only the Go loops.
func (m *Model) rows(xb, u, dv, gBeta []float64, ws *workerScratch) float64 {
	clear(gBeta)
	switch {
	case m.fam == family.Bernoulli && m.unitWeights:
		if v, ok := m.rowsBernoulliUnitSIMD(xb, u, dv, gBeta, ws); ok {
			return v
		}
		clear(gBeta)
		return m.rowsBernoulliUnit(xb, u, dv, gBeta, ws)
	case m.fam == family.Poisson:
		if v, ok := m.rowsPoissonSIMD(xb, u, dv, gBeta, ws); ok {
			return v
		}
		clear(gBeta)
		return m.rowsPoisson(xb, u, dv, gBeta)
	case m.fam == family.NegBinomial && m.size > family.NegBinLargeSize:
		return m.rowsNegBinLarge(xb, u, dv, gBeta)
	default:
		return m.rowsLogistic(xb, u, dv, gBeta)
	}
}

// eta is row i of Xβ + Zu.
func (m *Model) eta(i int, xb, u []float64) float64 {
	w := m.z.Width
	e := xb[i]
	for k := i * w; k < i*w+w; k++ {
		e += m.z.Val[k] * u[m.z.Col[k]]
	}
	return e
}

// addScore adds r·xᵢ into gBeta.
func (m *Model) addScore(i int, r float64, gBeta []float64) {
	xi := m.xRows[i*m.p : i*m.p+m.p]
	for j, x := range xi {
		gBeta[j] += x * r
	}
}

func (m *Model) rowsBernoulliUnit(xb, u, dv, gBeta []float64, ws *workerScratch) float64 {
	// Pass 1: η and −|η|; pass 2: the exponentials, kernel inlined in a
	// slice loop; pass 3: everything else. All three stay in L1 cache.
	eta, ex := ws.eta, ws.ex
	far := false
	for i := range eta {
		e := m.eta(i, xb, u)
		eta[i] = e
		a := -math.Abs(e)
		if a <= fastmath.FastExpMin {
			far, a = true, 0
		}
		ex[i] = a
	}
	fastmath.ExpSlice(ex, ex)
	if far {
		for i, e := range eta {
			if -math.Abs(e) <= fastmath.FastExpMin {
				ex[i] = math.Exp(-math.Abs(e))
			}
		}
	}
	var lin, logProd float64
	prod := 1.0
	for i, e := range eta {
		x := ex[i] // e^{−|η|}
		s := 1 + x
		inv := 1 / s
		// The sign of η picks c′ = 1/s (η ≥ 0) or e^{−|η|}/s (η < 0) and
		// c = η⁺ + log s. Blending on the sign bit avoids a branch that
		// mispredicts half the time.
		neg := float64(int64(math.Float64bits(e) >> 63))
		mu := inv * (1 + neg*(x-1))
		y := m.y[i]
		lin += y*e - (1-neg)*e
		prod *= s
		if i&63 == 63 {
			logProd += fastmath.Log(prod)
			prod = 1
		}
		dv[i] = x * inv * inv // c″ = e^{−|η|}/(1+e^{−|η|})²
		m.addScore(i, y-mu, gBeta)
	}
	return lin - logProd - fastmath.Log(prod)
}

// rowsLogistic serves weighted Bernoulli, binomial and negative binomial
// responses (the last as a binomial kernel, see Model.etaOff).
func (m *Model) rowsLogistic(xb, u, dv, gBeta []float64) float64 {
	var logF float64
	for i := range dv {
		e := m.eta(i, xb, u)
		l, mu, v := fastmath.Logistic(e)
		wn, wy := m.wn[i], m.wy[i]
		logF += wy*e - wn*l
		dv[i] = wn * v
		m.addScore(i, wy-wn*mu, gBeta)
	}
	return logF
}

func (m *Model) rowsPoisson(xb, u, dv, gBeta []float64) float64 {
	var logF float64
	for i := range dv {
		e := m.eta(i, xb, u)
		mu := fastmath.Exp(e)
		w := m.w[i]
		logF += w * (m.y[i]*e - mu)
		dv[i] = w * mu
		m.addScore(i, w*(m.y[i]-mu), gBeta)
	}
	return logF
}
