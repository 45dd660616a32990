package lmm

import "math"

// Synthetic models for the paths the lme4 reference models do not reach:
// vector-valued terms after the first, a first term with three columns,
// observation weights, an aliased column of X, no fixed effects at all, and
// three crossed scalar terms. The data come from a fixed splitmix64 stream,
// so every run (and every Go version) builds the same models.

// splitmix is Vigna's splitmix64 generator.
type splitmix uint64

func (s *splitmix) next() uint64 {
	*s += 0x9e3779b97f4a7c15
	z := uint64(*s)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// unif is uniform on [0, 1).
func (s *splitmix) unif() float64 { return float64(s.next()>>11) / (1 << 53) }

// level draws a level of nl, making sure the first nl observations cover
// every level once.
func (s *splitmix) level(i, nl int) int {
	if i < nl {
		return i
	}
	return int(s.next() % uint64(nl))
}

// synthTerm describes one term of a synthetic model.
type synthTerm struct {
	nlevels, k int
}

// synthetic builds n observations with p fixed effects (intercept, then
// uniform covariates), the given terms (columns: 1, then the covariate x of
// the observation, then x²), a response with a random-effects signal, and
// weights in [0.5, 2) if weighted.
func synthetic(seed uint64, n, p int, terms []synthTerm, weighted bool) Data {
	r := splitmix(seed)
	d := Data{Y: make([]float64, n), X: make([]float64, n*p), P: p, Factor: testKind}
	x := make([]float64, n)
	for i := range x {
		x[i] = 2*r.unif() - 1
	}
	for j := 0; j < p; j++ {
		for i := 0; i < n; i++ {
			if j == 0 {
				d.X[i] = 1
			} else {
				d.X[j*n+i] = r.unif()
			}
		}
	}
	for i := range d.Y {
		d.Y[i] = 1 + 0.5*x[i] + r.unif() - 0.5
	}
	for t, st := range terms {
		tm := Term{Name: string(rune('a' + t)), NLevels: st.nlevels, K: st.k, Codes: make([]int, n), Z: make([]float64, n*st.k)}
		effect := make([]float64, st.nlevels*st.k)
		for i := range effect {
			effect[i] = 2*r.unif() - 1
		}
		for i := 0; i < n; i++ {
			l := r.level(i, st.nlevels)
			tm.Codes[i] = l
			for c := 0; c < st.k; c++ {
				z := math.Pow(x[i], float64(c))
				tm.Z[c*n+i] = z
				d.Y[i] += z * effect[l*st.k+c]
			}
		}
		d.Terms = append(d.Terms, tm)
	}
	if weighted {
		d.Weights = make([]float64, n)
		for i := range d.Weights {
			d.Weights[i] = 0.5 + 1.5*r.unif()
		}
	}
	return d
}

// syntheticModels returns the synthetic data sets by name.
func syntheticModels() map[string]Data {
	aliased := synthetic(5, 300, 3, []synthTerm{{30, 1}, {7, 1}}, true)
	aliased.X = append(aliased.X, make([]float64, 300)...)
	for i := 0; i < 300; i++ { // column 3 = column 1 − 2·column 2
		aliased.X[3*300+i] = aliased.X[300+i] - 2*aliased.X[600+i]
	}
	aliased.P = 4
	return map[string]Data{
		"vectortail": synthetic(1, 600, 3, []synthTerm{{60, 2}, {20, 2}, {8, 1}}, true),
		"scalar3":    synthetic(2, 500, 2, []synthTerm{{50, 1}, {30, 1}, {12, 1}}, true),
		"k3first":    synthetic(3, 400, 2, []synthTerm{{40, 3}, {10, 1}}, false),
		"k2both":     synthetic(4, 500, 1, []synthTerm{{25, 2}, {40, 2}}, false),
		"aliased":    aliased,
		"nofixed":    synthetic(6, 200, 0, []synthTerm{{20, 1}, {5, 2}}, true),
		"balanced":   synthetic(7, 480, 2, []synthTerm{{120, 1}, {6, 1}}, false),
	}
}

// syntheticThetas returns a few θ for a model: lme4's start, a point with
// small and negative elements, and one with a diagonal element at zero.
func syntheticThetas(lower []float64) [][]float64 {
	r := splitmix(99)
	out := make([][]float64, 3)
	for v := range out {
		th := make([]float64, len(lower))
		for i, lo := range lower {
			switch {
			case v == 0 && lo == 0:
				th[i] = 1
			case v == 0:
				th[i] = 0
			case lo == 0 && v == 2 && i == 0:
				th[i] = 0
			case lo == 0:
				th[i] = 0.1 + 1.5*r.unif()
			default:
				th[i] = r.unif() - 0.5
			}
		}
		out[v] = th
	}
	return out
}
