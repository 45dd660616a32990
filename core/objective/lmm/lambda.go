package lmm

import "github.com/glmmgo/glmmgo/core/dense"

// lambda is the relative covariance factor Λ_θ (Bates et al. 2015, sec.
// 2.2): block diagonal, one k×k lower-triangular template per term,
// repeated over the term's levels. θ lists each template's lower triangle
// column by column.
type lambda struct {
	k     []int     // columns of each term (model order)
	theta []int     // offset of each term's θ
	off   []int     // offset of each term's template in tmpl
	tmpl  []float64 // the templates at the current θ, column-major
}

func newLambda(terms []termInfo) lambda {
	l := lambda{k: make([]int, len(terms)), theta: make([]int, len(terms)), off: make([]int, len(terms))}
	size := 0
	for r, t := range terms {
		l.k[r], l.theta[r], l.off[r] = t.k, t.theta, size
		size += t.k * t.k
	}
	l.tmpl = make([]float64, size)
	return l
}

// set fills the templates from θ.
func (l *lambda) set(theta []float64) {
	for r, k := range l.k {
		L := l.template(r)
		clear(L)
		idx := l.theta[r]
		for c := 0; c < k; c++ {
			for rr := c; rr < k; rr++ {
				L[c*k+rr] = theta[idx]
				idx++
			}
		}
	}
}

// template returns term r's k×k template.
func (l *lambda) template(r int) []float64 {
	k := l.k[r]
	return l.tmpl[l.off[r] : l.off[r]+k*k]
}

// mulModes sets b = Λ·u for the random effects of every term, laid out
// term by term (model order), level by level, k values each.
func (l *lambda) mulModes(b, u []float64, terms []termInfo) {
	copy(b, u)
	off := 0
	for r, t := range terms {
		L := l.template(r)
		for lv := 0; lv < t.nlevels; lv++ {
			dense.LowerMulVec(L, t.k, b[off+lv*t.k:off+(lv+1)*t.k], 1)
		}
		off += t.q
	}
}
