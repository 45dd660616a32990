package mixlogitfit

import (
	"math"
	"sort"

	"github.com/glmmgo/glmmgo/core/mixlogit"
)

// The data-driven start. Each subject's own logistic regression of y_ij on
// (1, x_ij), with N(0, ridgeVar) priors on both coefficients so that it
// exists when a subject's responses are separable, gives an intercept a_i
// (an estimate of z_i) and a slope b_i (of β_c). Two candidate partitions
// of the subjects into classes follow: two-means on b_i (classes that
// differ in slope) and two-means on |a_i| (classes that differ in σ). Each
// partition gives β_c = mean of b_i, σ_c = root mean square of a_i and π₁ =
// the share of class 1; the candidate with the larger Laplace-approximate
// log-likelihood is the start.
const (
	ridgeVar  = 4.0
	minShare  = 0.05 // each candidate class holds at least this share of subjects
	minSigma  = 0.1
	maxSigma  = 10.0
	ridgeIter = 30
)

// subjectFits returns each subject's ridge-penalised (a_i, b_i).
func subjectFits(m *mixlogit.Model) (a, b []float64) {
	n := m.N()
	a, b = make([]float64, n), make([]float64, n)
	for i := range n {
		a[i], b[i] = ridgeLogistic(m.Subject(i))
	}
	return a, b
}

// ridgeLogistic maximises Σ_j log p(y_j | a + b x_j) − (a² + b²)/(2·ridgeVar)
// by Newton's method, which converges from 0 because the objective is
// strictly concave with a curvature bounded below by 1/ridgeVar.
func ridgeLogistic(y, x []float64) (a, b float64) {
	lam := 1 / ridgeVar
	for range ridgeIter {
		ga, gb := -lam*a, -lam*b
		haa, hab, hbb := lam, 0.0, lam
		for j := range y {
			p := 1 / (1 + math.Exp(-(a + b*x[j])))
			w := p * (1 - p)
			ga += y[j] - p
			gb += (y[j] - p) * x[j]
			haa += w
			hab += w * x[j]
			hbb += w * x[j] * x[j]
		}
		det := haa*hbb - hab*hab
		da, db := (hbb*ga-hab*gb)/det, (haa*gb-hab*ga)/det
		// Damped to a unit step: far from the optimum the quadratic model
		// overshoots where the logistic saturates.
		if s := math.Hypot(da, db); s > 1 {
			da, db = da/s, db/s
		}
		a, b = a+da, b+db
		if math.Abs(da)+math.Abs(db) < 1e-10 {
			break
		}
	}
	return a, b
}

// twoMeans splits the values v into a low and a high group minimising the
// within-group sum of squares, each group holding at least minShare of
// them; it returns whether each element is in the low group.
func twoMeans(v []float64) []bool {
	n := len(v)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return v[idx[a]] < v[idx[b]] })
	pre, pre2 := make([]float64, n+1), make([]float64, n+1)
	for k, i := range idx {
		pre[k+1], pre2[k+1] = pre[k]+v[i], pre2[k]+v[i]*v[i]
	}
	ss := func(lo, hi int) float64 { // within SS of sorted [lo, hi)
		s, s2, c := pre[hi]-pre[lo], pre2[hi]-pre2[lo], float64(hi-lo)
		return s2 - s*s/c
	}
	lo := max(2, int(math.Ceil(minShare*float64(n))))
	best, bestK := math.Inf(1), n/2
	for k := lo; k <= n-lo; k++ {
		if s := ss(0, k) + ss(k, n); s < best {
			best, bestK = s, k
		}
	}
	low := make([]bool, n)
	for _, i := range idx[:bestK] {
		low[i] = true
	}
	return low
}

// classStart turns a partition (inClass1) into parameters, labelled so
// that β₁ ≤ β₂.
func classStart(a, b []float64, inClass1 []bool) mixlogit.Params {
	var cnt, sb, sa2 [2]float64
	for i, in := range inClass1 {
		c := 1
		if in {
			c = 0
		}
		cnt[c]++
		sb[c] += b[i]
		sa2[c] += a[i] * a[i]
	}
	var p mixlogit.Params
	for c := range 2 {
		p[mixlogit.Beta1+c] = sb[c] / cnt[c]
		p[mixlogit.Sigma1+c] = math.Min(maxSigma, math.Max(minSigma, math.Sqrt(sa2[c]/cnt[c])))
	}
	p[mixlogit.Pi1] = cnt[0] / (cnt[0] + cnt[1])
	p, _ = p.Ordered()
	return p
}

// laplaceLogLik is Σ_i log Σ_c π_c Î_ic with Î_ic the Laplace
// approximation: cheap, and enough to rank candidate starts.
func laplaceLogLik(m *mixlogit.Model, p mixlogit.Params, workers int) float64 {
	tot, _ := m.SumSubjects(workers, 1, func(_, i int, acc []float64) error {
		var lc [2]float64
		for c := range 2 {
			lc[c] = math.Log(p.Pi(c)) + m.ConditionalMode(i, p.Beta(c), p.Sigma(c)).LogLaplace
		}
		mx := math.Max(lc[0], lc[1])
		acc[0] += mx + math.Log(math.Exp(lc[0]-mx)+math.Exp(lc[1]-mx))
		return nil
	})
	return tot[0]
}

// DataStart returns the data-driven starting values described above.
func DataStart(m *mixlogit.Model, workers int) mixlogit.Params {
	a, b := subjectFits(m)
	absA := make([]float64, len(a))
	for i, v := range a {
		absA[i] = math.Abs(v)
	}
	cands := []mixlogit.Params{classStart(a, b, twoMeans(b)), classStart(a, b, twoMeans(absA))}
	best, bestLL := cands[0], math.Inf(-1)
	for _, p := range cands {
		if ll := laplaceLogLik(m, p, workers); ll > bestLL {
			best, bestLL = p, ll
		}
	}
	return best
}
