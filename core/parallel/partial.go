package parallel

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
)

// Partial is the mergeable summary of a set of log-weighted samples: their
// count, the largest log-weight Max, S0 = Σ e^{b−Max}, S2 = Σ e^{2(b−Max)}
// (for the effective sample size) and Sums = Σ e^{b−Max} x. The zero
// Partial (with Max = −Inf, see Reset) is the empty set.
//
// A product estimator — one importance-sampling average per block of
// random effects, as the blockwise MCLA estimator — keeps one partial per
// block in Blocks, each with its own shift Max, so that every block's sum
// is exact however far its log-weights lie from the others'. Merge,
// Reset, Flatten and Unflatten act on the blocks too, in order; the
// top-level fields summarise whatever the caller weights there.
type Partial struct {
	Count  int64
	Max    float64
	S0     float64
	S2     float64
	Sums   []float64
	Blocks []*Partial
}

// NewBlockPartial returns an empty partial with top-level Sums of length
// dim and one block per element of blockDims, of that many sums.
func NewBlockPartial(dim int, blockDims []int) *Partial {
	p := NewPartial(dim)
	p.Blocks = make([]*Partial, len(blockDims))
	for b, n := range blockDims {
		p.Blocks[b] = NewPartial(n)
	}
	return p
}

// NewPartial returns an empty partial whose Sums has length dim.
func NewPartial(dim int) *Partial {
	p := &Partial{Sums: make([]float64, dim)}
	p.Reset()
	return p
}

// Reset empties p, keeping its storage.
func (p *Partial) Reset() {
	p.Count, p.Max, p.S0, p.S2 = 0, math.Inf(-1), 0, 0
	clear(p.Sums)
	for _, b := range p.Blocks {
		b.Reset()
	}
}

// Weight counts one sample with log-weight b and returns its scaled weight
// e^{b−Max}, rescaling what was accumulated if b is a new maximum. The caller
// adds weight·x into Sums itself, which lets it fuse that with its own loop.
// A sample with b = −Inf is counted with weight 0.
func (p *Partial) Weight(b float64) float64 {
	p.Count++
	if b == math.Inf(-1) {
		return 0
	}
	if b > p.Max {
		if p.S0 != 0 {
			s := math.Exp(p.Max - b)
			p.S0 *= s
			p.S2 *= s * s
			for i := range p.Sums {
				p.Sums[i] *= s
			}
		}
		p.Max = b
	}
	w := math.Exp(b - p.Max)
	p.S0 += w
	p.S2 += w * w
	return w
}

// Merge adds q into p (the two must have Sums of equal length, and
// blocks of equal lengths; p takes q's blocks' shape when it has none).
func (p *Partial) Merge(q *Partial) {
	if q.Blocks != nil && p.Blocks == nil {
		p.Blocks = make([]*Partial, len(q.Blocks))
		for b, qb := range q.Blocks {
			p.Blocks[b] = NewPartial(len(qb.Sums))
		}
	}
	for b, qb := range q.Blocks {
		p.Blocks[b].Merge(qb)
	}
	p.Count += q.Count
	if q.S0 == 0 {
		return
	}
	if p.S0 == 0 {
		p.Max, p.S0, p.S2 = q.Max, q.S0, q.S2
		copy(p.Sums, q.Sums)
		return
	}
	a := max(p.Max, q.Max)
	sp, sq := math.Exp(p.Max-a), math.Exp(q.Max-a)
	p.S0 = sp*p.S0 + sq*q.S0
	p.S2 = sp*sp*p.S2 + sq*sq*q.S2
	for i := range p.Sums {
		p.Sums[i] = sp*p.Sums[i] + sq*q.Sums[i]
	}
	p.Max = a
}

// LogMean is log((1/Count) Σ e^b), −Inf when every weight is zero.
func (p *Partial) LogMean() float64 {
	if p.S0 == 0 {
		return math.Inf(-1)
	}
	return p.Max + math.Log(p.S0/float64(p.Count))
}

// ESS is Kish's effective sample size (Σ e^b)²/Σ e^{2b} of the samples'
// weights, in [1, Count] (0 for an empty partial).
func (p *Partial) ESS() float64 {
	if p.S0 == 0 {
		return 0
	}
	return p.S0 * p.S0 / p.S2
}

// FlatLen is the length of a flattened partial with dim sums.
func FlatLen(dim int) int { return 4 + dim }

// FlatSize is the length of p flattened: FlatLen(len(Sums)) and each
// block's FlatSize.
func (p *Partial) FlatSize() int {
	n := FlatLen(len(p.Sums))
	for _, b := range p.Blocks {
		n += b.FlatSize()
	}
	return n
}

// Flatten writes p as [Count, Max, S0, S2, Sums..., blocks...] into dst
// (length FlatSize), the form in which partials travel between processes.
// −Inf (an empty partial) is written as is.
func (p *Partial) Flatten(dst []float64) {
	dst[0], dst[1], dst[2], dst[3] = float64(p.Count), p.Max, p.S0, p.S2
	copy(dst[4:], p.Sums)
	off := FlatLen(len(p.Sums))
	for _, b := range p.Blocks {
		b.Flatten(dst[off:])
		off += b.FlatSize()
	}
}

// Unflatten reads a flattened partial into p, validating it; arg names the
// caller's argument in errors.
// A partial with blocks reads them too, into its own shape.
func (p *Partial) Unflatten(src []float64, arg string) error {
	if len(src) != p.FlatSize() {
		return errs.Invalidf(arg, "has length %d, want %d", len(src), p.FlatSize())
	}
	off := FlatLen(len(p.Sums))
	for _, b := range p.Blocks {
		if err := b.Unflatten(src[off:off+b.FlatSize()], arg); err != nil {
			return err
		}
		off += b.FlatSize()
	}
	src = src[:FlatLen(len(p.Sums))]
	c, a, s0, s2 := src[0], src[1], src[2], src[3]
	if c < 0 || c != math.Trunc(c) || c > 1<<53 {
		return errs.Invalidf(arg, "count %g is not a non-negative integer", c)
	}
	if math.IsNaN(a) || math.IsInf(a, 1) || math.IsNaN(s0) || math.IsInf(s0, 0) || s0 < 0 {
		return errs.Invalidf(arg, "max %g and scaled sum %g are not a valid pair", a, s0)
	}
	if s0 > c {
		// Every scaled weight e^{b−max} is at most 1, so S0 never exceeds
		// the count; a larger S0 could overflow when partials merge.
		return errs.Invalidf(arg, "scaled sum %g exceeds the count %g", s0, c)
	}
	if (s0 == 0) != math.IsInf(a, -1) {
		return errs.Invalidf(arg, "max %g and scaled sum %g disagree: the sum is zero exactly when the max is -Inf", a, s0)
	}
	// The sample at the max contributes 1 to both sums, and w² ≤ w ≤ 1:
	// 1 ≤ S2 ≤ S0 ≤ S2·count (Cauchy–Schwarz), or both 0.
	if math.IsNaN(s2) || (s0 == 0) != (s2 == 0) || (s0 > 0 && !(s2 >= 1 && s2 <= s0*(1+1e-12) && s0*s0 <= s2*c*(1+1e-12))) {
		return errs.Invalidf(arg, "scaled sum of squares %g is not consistent with the scaled sum %g and count %g", s2, s0, c)
	}
	for i, v := range src[4:] {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errs.Invalidf(arg, "sum %d is %g", i, v)
		}
	}
	p.Count, p.Max, p.S0, p.S2 = int64(c), a, s0, s2
	copy(p.Sums, src[4:])
	return nil
}
