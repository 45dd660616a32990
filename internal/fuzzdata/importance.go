package fuzzdata

import "math"

// Importance holds the fields of importance.Params (this package imports
// no core package, so that every core package's tests can use it).
type Importance struct {
	Zeta     float64
	P        [3]float64
	UStar    []float64
	DStar    []float64
	SigmaInv []float64
}

// Importance decodes importance parameters for q random effects: ζ, one of
// a few mixtures or three arbitrary probabilities, u*, D* (lengths
// sometimes wrong) and, most of the time, a Σ̃⁻¹ that is mostly diagonally
// dominant and symmetric, then sometimes disturbed.
func (r *Reader) Importance(q int) Importance {
	p := Importance{Zeta: r.Positive()}
	switch r.Int(0, 3) {
	case 0:
		p.P = [3]float64{0.2, 0.4, 0.4}
	case 1:
		p.P = [3]float64{1, 0, 0}
	case 2:
		p.P = [3]float64{0, 1, 0}
	default:
		p.P = [3]float64{r.Float(), r.Float(), r.Float()}
	}
	p.UStar = r.Floats(r.Len(q))
	p.DStar = make([]float64, r.Len(q))
	for j := range p.DStar {
		p.DStar[j] = r.Positive()
	}
	if r.Byte() < 200 {
		p.SigmaInv = r.sigmaInv(q)
	}
	return p
}

// sigmaInv decodes a q×q matrix (length sometimes wrong).
func (r *Reader) sigmaInv(q int) []float64 {
	s := make([]float64, r.Len(q*q))
	if len(s) != q*q {
		for k := range s {
			s[k] = r.Float()
		}
		return s
	}
	for i := 0; i < q; i++ {
		for j := 0; j <= i; j++ {
			v := r.Float()
			if i == j {
				v = float64(q) + r.Positive()
			} else if r.Byte() < 220 {
				v = math.Mod(v, 1)
			}
			s[j*q+i], s[i*q+j] = v, v
		}
	}
	if r.Byte() > 240 {
		s[r.Int(0, q*q-1)] = r.Float()
	}
	return s
}
