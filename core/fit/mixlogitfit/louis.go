package mixlogitfit

import (
	"math"

	"github.com/glmmgo/glmmgo/core/mixlogit"
)

// The final stage. MCEM's last iterate θ_T falls short of the fixed point
// of EM on its sample by about J(I − J)⁻¹ times its last step (J the rate
// matrix of EM), and its Monte Carlo error mixes the errors of all
// iterations. The estimate is therefore taken as a fixed point itself: the
// maximiser on one sample of the importance-sampling log-likelihood
//
//	ℓ̃(θ) = Σ_i log Σ_c (1/n_ic) Σ_{k∈c} p(y_i, z_k, c | θ) / q_ic(z_k),
//
// which is where the EM map on that sample, with the weights recomputed at
// θ (which the proposal's fixed draws allow: Levine and Casella,
// J. Comput. Graph. Stat. 10:422–439, 2001), stops moving. It is reached by
// Newton steps with step halving (Monte Carlo Newton–Raphson, McCulloch,
// J. Am. Stat. Assoc. 92:162–170, 1997). By Fisher's identity ∇ℓ̃ is the
// weighted mean S̃ of the complete-data scores, and −∇²ℓ̃ is exactly Louis'
// observed information (J. R. Stat. Soc. B 44:226–233, 1982) computed with
// the weights:
//
//	Ĩ = Σ_i ( E_w[−∇² log p(y_i, z, c | θ)] − Var_w[∇ log p(y_i, z, c | θ)] ),
//
// which gives the standard errors, Vcov = Ĩ⁻¹. The estimate solves
// S̃(θ̂) = 0, so its Monte Carlo covariance is Ĩ⁻¹ V Ĩ⁻¹ with V the
// Monte Carlo covariance of S̃ (subjects independent; within a subject the
// stratified delta-method variance of a ratio, as in ascent.go).
//
// ℓ̃ is accurate only near the point θ_s where its sample was drawn, and
// MCEM's stopping rule bounds the increase of Q per iteration, which in a
// direction where EM converges slowly (a flat likelihood, as for a large σ_c)
// can be small far from the maximum. So the stage draws a fresh sample at
// θ_s = θ_T (MCEM's last sample is the one that made the stopping rule
// fire, so its noise is not independent of the decision) and checks θ_s
// itself: the score statistic S̃(θ_s)′ V⁻¹ S̃(θ_s) is χ²₅ if θ_s is a
// stationary point and S̃ has only its Monte Carlo error (more precisely
// about twice that, since θ_s carries the error of the sample it came
// from; hence the 1 % level). If it exceeds χ²₅'s 99 % point, or if θ̂ lies
// more than half a standard error from θ_s in some parameter (so that ℓ̃
// was trusted far from its sample), the stage is repeated from θ_s = θ̂
// with a fresh sample, up to finalRounds times. Where the likelihood is
// nearly quadratic the first round suffices: θ̂ then moves from θ_T by
// about its Monte Carlo error, a tenth of a standard error.
const (
	finalNewtonIter = 20
	finalDecrement  = 1e-10 // Newton decrement S̃′Ĩ⁻¹S̃ at which θ̂ is found
	finalHalvings   = 30
	finalRounds     = 20
	finalChi2       = 15.086272469388987 // χ²₅ 99 % point
	finalMove       = 0.5                // largest move from θ_s, in standard errors
)

// mcSummary is ℓ̃ and its derivatives on the last sample at one θ.
type mcSummary struct {
	theta     mixlogit.Params
	logLik    float64        // ℓ̃(θ)
	logLikVar float64        // Monte Carlo variance of ℓ̃(θ)
	score     [P]float64     // S̃ = ∇ℓ̃
	info      [P * P]float64 // Ĩ = −∇²ℓ̃ (Louis)
	scoreVar  [P * P]float64 // V
}

const summaryWidth = 2 + P + 2*P*P

// summarize evaluates the summary at theta, leaving every draw's weight at
// theta and every subject's ESS.
func (e *mcem) summarize(theta mixlogit.Params) (mcSummary, error) {
	sums, err := e.m.SumSubjects(e.opt.Workers, summaryWidth, func(_, i int, acc []float64) error {
		e.subjectSummary(i, theta, acc)
		return nil
	})
	if err != nil {
		return mcSummary{}, err
	}
	s := mcSummary{theta: theta, logLik: sums[0], logLikVar: sums[1]}
	copy(s.score[:], sums[2:2+P])
	copy(s.info[:], sums[2+P:2+P+P*P])
	copy(s.scoreVar[:], sums[2+P+P*P:])
	return s, nil
}

// completeScore returns the gradient s and the diagonal of the Hessian of
// log p(y_i, z, c | θ) in Ω given h's β-derivatives dh and d2h. The
// Hessian is diagonal: given z and c, β_c, σ_c and π₁ enter separate terms.
func completeScore(theta mixlogit.Params, c int, z, dh, d2h float64) (s, hd [P]float64) {
	sig := theta.Sigma(c)
	prec := 1 / (sig * sig)
	s[mixlogit.Beta1+c], hd[mixlogit.Beta1+c] = dh, d2h
	s[mixlogit.Sigma1+c], hd[mixlogit.Sigma1+c] = (z*z*prec-1)/sig, (1-3*z*z*prec)*prec
	pi := theta.Pi(c)
	sign := 1.0
	if c == 1 {
		sign = -1
	}
	s[mixlogit.Pi1], hd[mixlogit.Pi1] = sign/pi, -1/(pi*pi)
	return s, hd
}

// subjectSummary adds subject i's terms of the summary into acc.
func (e *mcem) subjectSummary(i int, theta mixlogit.Params, acc []float64) {
	sd := &e.subj[i]
	lc := newCompleteLog(theta)
	// Log weights and the β-derivatives of h at theta.
	mx := math.Inf(-1)
	for c := range 2 {
		d := &sd.cls[c]
		ln := math.Log(float64(len(d.z)))
		for k, z := range d.z {
			d.hNew[k], d.dh[k], d.d2h[k] = e.m.LogCondBeta(i, theta.Beta(c), z)
			d.w[k] = lc.at(c, z, d.hNew[k]) - d.logq[k] - ln
			mx = math.Max(mx, d.w[k])
		}
	}
	var sum float64
	for c := range 2 {
		for k, v := range sd.cls[c].w {
			sd.cls[c].w[k] = math.Exp(v - mx)
			sum += sd.cls[c].w[k]
		}
	}
	acc[0] += mx + math.Log(sum) - 0.5*math.Log(2*math.Pi)
	// Normalised weights; weighted score, Hessian and score outer products.
	var si, negHess [P]float64
	var ess2 float64
	var ss [P * P]float64
	for c := range 2 {
		d := &sd.cls[c]
		for k, z := range d.z {
			w := d.w[k] / sum
			d.w[k] = w
			ess2 += w * w
			s, hd := completeScore(theta, c, z, d.dh[k], d.d2h[k])
			for a := range P {
				si[a] += w * s[a]
				negHess[a] -= w * hd[a]
				for b := range P {
					ss[a+P*b] += w * s[a] * s[b]
				}
			}
		}
	}
	sd.ess = 1 / ess2
	score, info, sv := acc[2:2+P], acc[2+P:2+P+P*P], acc[2+P+P*P:]
	for a := range P {
		score[a] += si[a]
		info[a+P*a] += negHess[a]
		for b := range P {
			info[a+P*b] -= ss[a+P*b] - si[a]*si[b]
		}
	}
	// Monte Carlo variances, stratum by stratum.
	for c := range 2 {
		d := &sd.cls[c]
		n := len(d.z)
		acc[1] += stratumVariance(n, func(k int) float64 { return d.w[k] })
		addStratumCovariance(sv, n, func(k int) [P]float64 {
			s, _ := completeScore(theta, c, d.z[k], d.dh[k], d.d2h[k])
			for a := range P {
				s[a] = d.w[k] * (s[a] - si[a])
			}
			return s
		})
	}
}

// addStratumCovariance adds n/(n − 1) Σ_k (a_k − ā)(a_k − ā)′ over the n
// vectors a(k) of one stratum into the column-major P×P matrix v.
func addStratumCovariance(v []float64, n int, a func(k int) [P]float64) {
	if n < 2 {
		return
	}
	var mean [P]float64
	for k := range n {
		ak := a(k)
		for j := range P {
			mean[j] += ak[j] / float64(n)
		}
	}
	f := float64(n) / float64(n-1)
	for k := range n {
		ak := a(k)
		for x := range P {
			for y := range P {
				v[x+P*y] += f * (ak[x] - mean[x]) * (ak[y] - mean[y])
			}
		}
	}
}

// finalStage runs the final stage from theta with samples of size draws
// per subject and fills the estimate, Louis' covariance and the Monte
// Carlo errors.
func (e *mcem) finalStage(theta mixlogit.Params, size int) error {
	res := e.res
	var cur mcSummary
	for round := range finalRounds {
		// A fresh sample at θ_s, on streams no MCEM iteration uses.
		e.theta, e.iter = theta, e.opt.MaxIter+1+round
		if err := e.estep(size); err != nil {
			return err
		}
		at, err := e.summarize(theta)
		if err != nil {
			return err
		}
		stat := scoreStatistic(at)
		var found bool
		cur, found, err = e.newtonOnSample(at)
		if err != nil {
			return err
		}
		res.FinalRounds, res.ScoreTest = round+1, stat
		res.TotalDraws = e.draws
		if stat <= finalChi2 && nearSamplingPoint(theta, cur) {
			res.Converged = res.Converged && found
			break
		}
		if round == finalRounds-1 {
			res.Converged = false
		}
		theta = cur.theta
	}
	res.Estimate = cur.theta
	res.SampleSize = e.subj[0].size()
	res.LogLikMC, res.LogLikMCSE = cur.logLik, math.Sqrt(cur.logLikVar)
	res.ESSMean, res.ESSMin = e.essSummary()
	setVcov(res, cur.info[:])
	setMCVcov(res, cur.scoreVar[:])
	return nil
}

// nearSamplingPoint reports whether θ̂ = cur.theta lies within
// finalMove standard errors (Louis', at θ̂) of the sampling point theta in
// every parameter, so that ℓ̃ was used only where its sample is good.
func nearSamplingPoint(theta mixlogit.Params, cur mcSummary) bool {
	inv, ok := invertSPD(cur.info[:])
	if !ok {
		return false
	}
	for k := range P {
		if math.Abs(cur.theta[k]-theta[k]) > finalMove*math.Sqrt(inv[k+P*k]) {
			return false
		}
	}
	return true
}

// scoreStatistic is S̃′V⁻¹S̃, or Σ_k S̃_k²/V_kk if V is singular.
func scoreStatistic(s mcSummary) float64 {
	inv, ok := invertSPD(s.scoreVar[:])
	var t float64
	for a := range P {
		if !ok {
			t += s.score[a] * s.score[a] / s.scoreVar[a+P*a]
			continue
		}
		for b := range P {
			t += s.score[a] * inv[a+P*b] * s.score[b]
		}
	}
	return t
}

// newtonOnSample maximises ℓ̃ on the current sample from cur.theta; found
// reports that the Newton decrement fell below finalDecrement.
func (e *mcem) newtonOnSample(cur mcSummary) (mcSummary, bool, error) {
	for range finalNewtonIter {
		inv, ok := invertSPD(cur.info[:])
		if !ok {
			return cur, false, nil
		}
		var delta mixlogit.Params
		var dec float64
		for a := range P {
			for b := range P {
				delta[a] += inv[a+P*b] * cur.score[b]
			}
			dec += delta[a] * cur.score[a]
		}
		if dec < finalDecrement {
			return cur, true, nil
		}
		next, ok, err := e.lineSearch(cur, delta)
		if err != nil || !ok {
			return cur, false, err
		}
		cur = next
		e.res.NewtonSteps++
	}
	return cur, false, nil
}

// lineSearch tries θ + tδ for t = 1, ½, ¼, … until ℓ̃ does not decrease
// (beyond rounding) at a point inside the parameter space.
func (e *mcem) lineSearch(cur mcSummary, delta mixlogit.Params) (mcSummary, bool, error) {
	t := 1.0
	for range finalHalvings {
		var trial mixlogit.Params
		for a := range P {
			trial[a] = cur.theta[a] + t*delta[a]
		}
		t /= 2
		if trial.Check("par") != nil {
			continue
		}
		next, err := e.summarize(trial)
		if err != nil {
			return cur, false, err
		}
		if next.logLik >= cur.logLik-1e-12*(1+math.Abs(cur.logLik)) {
			return next, true, nil
		}
	}
	// The weights were last computed at a rejected trial: restore them.
	_, err := e.summarize(cur.theta)
	return cur, false, err
}

// setMCVcov sets MCVcov = Vcov·V·Vcov and MCSE (NaN if Vcov is).
func setMCVcov(res *Result, v []float64) {
	for a := range P {
		for b := range P {
			var s float64
			for x := range P {
				for y := range P {
					s += res.Vcov[a+P*x] * v[x+P*y] * res.Vcov[y+P*b]
				}
			}
			res.MCVcov[a+P*b] = s
		}
	}
	for k := range P {
		res.MCSE[k] = math.Sqrt(res.MCVcov[k+P*k])
	}
}
