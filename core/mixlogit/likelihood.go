package mixlogit

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
)

// Likelihood evaluates the exact observed-data log-likelihood ℓ(Ω) by the
// mode-centred trapezoidal rule (see the package documentation). It holds
// no state that an evaluation changes, so one Likelihood may serve
// concurrent callers.
type Likelihood struct {
	m       *Model
	workers int
}

// Likelihood returns an evaluator that sums over subjects on up to workers
// goroutines (0 = all CPUs).
func (m *Model) Likelihood(workers int) (*Likelihood, error) {
	if workers < 0 {
		return nil, errs.Invalidf("workers", "is %d; must be 0 (all CPUs) or positive", workers)
	}
	return &Likelihood{m: m, workers: workers}, nil
}

// The quadrature rule: step h = StepFraction·min(s, MaxStep/StepFraction)
// and nodes taken outwards from the mode until the integrand falls below
// e^{−Cutoff} of its value at the mode.
const (
	StepFraction = 0.5
	MaxStep      = 0.5
	Cutoff       = 40.0
	// maxNodesPerSide stops a runaway rule: g is concave with curvature at
	// least 1/σ², so a side needs at most σ√(2·Cutoff)/h nodes, which
	// exceeds this only for σ beyond about 10⁴.
	maxNodesPerSide = 100000
)

// classIntegral is I_ic = ∫ φ(z; 0, σ_c²) e^{h_i(β_c, z)} dz with its
// derivatives in θ_c = (β_c, σ_c): LogI = log I, D = ∇ log I, and
// D2 = ∇²I / I stored as (ββ, βσ, σσ). Nodes is the number of nodes used.
type classIntegral struct {
	LogI  float64
	D     [2]float64
	D2    [3]float64
	Nodes int
}

// integrate evaluates I_ic for subject i with slope beta and standard
// deviation sigma. The sums are taken relative to the integrand at the
// mode, its largest value, so no term overflows and none needs storing.
func (l *Likelihood) integrate(i int, beta, sigma float64) (classIntegral, error) {
	m := l.m
	mode := m.ConditionalMode(i, beta, sigma)
	_, x := m.Subject(i)
	prec := 1 / (sigma * sigma)
	logNorm := -0.5 * math.Log(2*math.Pi*sigma*sigma)
	step := StepFraction * math.Min(mode.S, MaxStep/StepFraction)
	// node returns log f(z) and d(z), ∇d(z) for f(z) = φ(z; 0, σ²) e^{h_i(β, z)}.
	node := func(z float64) (g, a, b, aa, bb float64) {
		sp, spx, spqxx := nodeSums(beta, z, x)
		g = logNorm - 0.5*z*z*prec + beta*m.sumXY[i] + z*m.sumY[i] - sp
		return g, m.sumXY[i] - spx, (z*z*prec - 1) / sigma, -spqxx, (1 - 3*z*z*prec) * prec
	}
	var s0, sa, sb, saa, sab, sbb float64
	var g0 float64
	add := func(z float64) float64 {
		g, a, b, aa, bb := node(z)
		v := math.Exp(g - g0)
		s0 += v
		sa += v * a
		sb += v * b
		saa += v * (aa + a*a)
		sab += v * a * b
		sbb += v * (bb + b*b)
		return g - g0
	}
	g0, _, _, _, _ = node(mode.Z)
	add(mode.Z)
	nodes := 1
	for _, dir := range []float64{-1, 1} {
		for k := 1; ; k++ {
			if k > maxNodesPerSide {
				return classIntegral{}, errs.Numericf("par", "the integrand of subject %d is too wide for the quadrature rule (sigma = %g)", i, sigma)
			}
			nodes++
			if add(mode.Z+dir*float64(k)*step) < -Cutoff {
				break
			}
		}
	}
	return classIntegral{
		LogI:  g0 + math.Log(step*s0),
		D:     [2]float64{sa / s0, sb / s0},
		D2:    [3]float64{saa / s0, sab / s0, sbb / s0},
		Nodes: nodes,
	}, nil
}

// subject evaluates log L_i, the posterior class probabilities r_ic and,
// if derivs, adds the subject's gradient and Hessian into grad (length
// NumParams) and hess (column-major NumParams², full).
func (l *Likelihood) subject(i int, p Params, derivs bool, grad, hess []float64) (logL float64, r [2]float64, err error) {
	var ci [2]classIntegral
	var lc [2]float64
	for c := range 2 {
		if ci[c], err = l.integrate(i, p.Beta(c), p.Sigma(c)); err != nil {
			return 0, r, err
		}
		lc[c] = math.Log(p.Pi(c)) + ci[c].LogI
	}
	mx := math.Max(lc[0], lc[1])
	logL = mx + math.Log(math.Exp(lc[0]-mx)+math.Exp(lc[1]-mx))
	r = [2]float64{math.Exp(lc[0] - logL), math.Exp(lc[1] - logL)}
	if !derivs {
		return logL, r, nil
	}
	var g [NumParams]float64
	for c := range 2 {
		g[Beta1+c] = r[c] * ci[c].D[0]
		g[Sigma1+c] = r[c] * ci[c].D[1]
	}
	g[Pi1] = r[0]/p.Pi(0) - r[1]/p.Pi(1)
	for k := range NumParams {
		grad[k] += g[k]
	}
	add := func(a, b int, v float64) {
		hess[a+NumParams*b] += v
		if a != b {
			hess[b+NumParams*a] += v
		}
	}
	for c := range 2 {
		bc, sc := Beta1+c, Sigma1+c
		add(bc, bc, r[c]*ci[c].D2[0])
		add(bc, sc, r[c]*ci[c].D2[1])
		add(sc, sc, r[c]*ci[c].D2[2])
		sign := 1.0
		if c == 1 {
			sign = -1
		}
		add(bc, Pi1, sign*r[c]*ci[c].D[0]/p.Pi(c))
		add(sc, Pi1, sign*r[c]*ci[c].D[1]/p.Pi(c))
	}
	for a := range NumParams {
		for b := range NumParams {
			hess[a+NumParams*b] -= g[a] * g[b]
		}
	}
	return logL, r, nil
}

// Eval returns ℓ(p). If grad (length NumParams) and hess (length
// NumParams², column-major) are not nil, they receive ∇ℓ and ∇²ℓ in Ω.
func (l *Likelihood) Eval(p Params, grad, hess []float64) (float64, error) {
	if err := p.Check("par"); err != nil {
		return 0, err
	}
	derivs := grad != nil || hess != nil
	if derivs && (len(grad) != NumParams || len(hess) != NumParams*NumParams) {
		return 0, errs.Invalidf("grad", "grad and hess have lengths %d and %d, want %d and %d", len(grad), len(hess), NumParams, NumParams*NumParams)
	}
	width := 1
	if derivs {
		width += NumParams + NumParams*NumParams
	}
	tot, err := l.m.SumSubjects(l.workers, width, func(_, i int, acc []float64) error {
		var g, h []float64
		if derivs {
			g, h = acc[1:1+NumParams], acc[1+NumParams:]
		}
		logL, _, err := l.subject(i, p, derivs, g, h)
		acc[0] += logL
		return err
	})
	if err != nil {
		return 0, err
	}
	if derivs {
		copy(grad, tot[1:1+NumParams])
		copy(hess, tot[1+NumParams:])
	}
	for _, v := range tot {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return tot[0], errs.Numericf("par", "the log-likelihood or its derivatives are not finite at %v", p)
		}
	}
	return tot[0], nil
}

// Posterior returns the posterior class probabilities r_ic = P(class c |
// y_i) at p as a column-major n×2 matrix.
func (l *Likelihood) Posterior(p Params) ([]float64, error) {
	if err := p.Check("par"); err != nil {
		return nil, err
	}
	n := l.m.n
	post := make([]float64, 2*n)
	err := l.m.ForSubjects(l.workers, func(_, i int) error {
		_, r, err := l.subject(i, p, false, nil, nil)
		post[i], post[i+n] = r[0], r[1]
		return err
	})
	return post, err
}
