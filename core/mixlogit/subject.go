package mixlogit

import "math"

// LogCond is h_i(β, z) = log p(y_i | z, class with slope β)
// = Σ_j [y_ij(βx_ij + z) − log(1 + e^{βx_ij+z})].
func (m *Model) LogCond(i int, beta, z float64) float64 {
	_, x := m.Subject(i)
	return beta*m.sumXY[i] + z*m.sumY[i] - softplusSum(beta, z, x)
}

// Mode describes the conditional density of z given y_i and a class with
// parameters (β, σ), f(z) ∝ φ(z; 0, σ²) e^{h_i(β, z)}, by its mode Z, the
// scale S = (−∂²/∂z² log f(Z))^{−1/2} there, and the Laplace approximation
// LogLaplace of log ∫ φ(z; 0, σ²) e^{h_i(β, z)} dz.
type Mode struct {
	Z, S, LogLaplace float64
}

// modeTol is the Newton step below which the mode is taken as found; the
// step that meets it is still taken, so the mode is accurate to about
// modeTol², far below what the quadrature can see.
const modeTol = 1e-9

// ConditionalMode finds the mode of the conditional density of z for
// subject i in a class with slope beta and standard deviation sigma by
// Newton's method safeguarded by bisection. log f is strictly concave with
// f′ decreasing at least at rate 1/σ², so the root lies between 0 and
// σ²·(log f)′(0), which brackets it from the start. The iteration starts at
// 0 whatever was computed before, so the result is a function of its
// arguments alone.
func (m *Model) ConditionalMode(i int, beta, sigma float64) Mode {
	_, x := m.Subject(i)
	prec := 1 / (sigma * sigma)
	grad := func(z float64) (g, h float64) {
		sp, spq := modeSums(beta, z, x)
		return m.sumY[i] - z*prec - sp, -prec - spq
	}
	z := 0.0
	g, h := grad(z)
	lo, hi := math.Min(0, g/prec), math.Max(0, g/prec)
	for iter := 0; iter < 200; iter++ {
		if g > 0 {
			lo = z
		} else {
			hi = z
		}
		zn := z - g/h
		if !(zn > lo && zn < hi) {
			zn = 0.5 * (lo + hi)
		}
		step := zn - z
		z = zn
		g, h = grad(z)
		if math.Abs(step) <= modeTol*(1+math.Abs(z)) || hi-lo <= modeTol*(1+math.Abs(z)) {
			break
		}
	}
	s := 1 / math.Sqrt(-h)
	logf := -0.5*math.Log(2*math.Pi/prec) - 0.5*z*z*prec + m.LogCond(i, beta, z)
	return Mode{Z: z, S: s, LogLaplace: logf + 0.5*math.Log(2*math.Pi) + math.Log(s)}
}

// LogCondBeta returns h_i(β, z) with its first and second derivatives in
// β, Σ_j (y_ij − p_ij) x_ij and −Σ_j p_ij(1 − p_ij) x_ij²: what an M-step
// for β needs of one draw of z.
func (m *Model) LogCondBeta(i int, beta, z float64) (h, dh, d2h float64) {
	_, x := m.Subject(i)
	sp, spx, spqxx := nodeSums(beta, z, x)
	return beta*m.sumXY[i] + z*m.sumY[i] - sp, m.sumXY[i] - spx, -spqxx
}
