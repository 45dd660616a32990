package importance

import (
	"math"
	"math/rand/v2"

	"github.com/glmmgo/glmmgo/core/checkpoint"
	"github.com/glmmgo/glmmgo/core/parallel"
)

// component returns the mixture component (0, 1, 2) that uniform u picks.
func component(u float64, p [3]float64) int {
	switch {
	case u < p[0]:
		return 0
	case u < p[0]+p[1]:
		return 1
	}
	return 2
}

// streams returns block b's generators: the draws' and the components'.
func streams(seed uint64, b int) (draws, comps *rand.Rand) {
	return rand.New(rand.NewPCG(seed, uint64(2*b))), rand.New(rand.NewPCG(seed, uint64(2*b+1)))
}

// Counts returns (m₁, m₂, m₃), the number of samples each component draws
// among the first m of the sample with seed, counting blocks in parallel on
// up to workers goroutines.
func (d *Density) Counts(m int, seed uint64, workers int) (m1, m2, m3 int) {
	m1, m2, m3, _ = d.CountsChecked(m, seed, workers, nil)
	return m1, m2, m3
}

// CountsChecked is Counts over workers goroutines, block by block (the
// counts are exact sums, the same for any workers), checking cp; it
// returns errs.ErrCancelled when cp stops.
func (d *Density) CountsChecked(m int, seed uint64, workers int, cp *checkpoint.Checkpoint) (m1, m2, m3 int, err error) {
	per := make([][3]int, parallel.NumBlocks(m))
	err = parallel.RunChecked(len(per), workers, cp, func(_, b int) error {
		lo, hi := parallel.BlockRange(b, m)
		_, r := streams(seed, b)
		for range hi - lo {
			per[b][component(r.Float64(), d.p)]++
		}
		return nil
	})
	var c [3]int
	for _, pb := range per {
		c[0], c[1], c[2] = c[0]+pb[0], c[1]+pb[1], c[2]+pb[2]
	}
	return c[0], c[1], c[2], err
}

// Draw writes samples lo..hi−1 of the sample with seed into dst
// (sample-major: sample k at dst[(k−lo)·q:(k−lo+1)·q]). Each block's
// streams are replayed from the block's first sample, so any range gives
// the same samples, whatever the sample size m ≥ hi; mcla.Model's
// SetSampler passes whole blocks.
func (d *Density) Draw(seed uint64, lo, hi int, dst []float64) {
	d.DrawTo(seed, lo, hi, dst, make([]float64, d.q))
}

// DrawTo is Draw with z (length q) as scratch, so that it allocates
// nothing: a model that redraws its samples at every evaluation calls it.
//
// z may be longer than q (a caller's scratch shared with Product); only
// its first q values are used.
func (d *Density) DrawTo(seed uint64, lo, hi int, dst, z []float64) {
	q := d.q
	z = z[:q]
	for b := lo / parallel.BlockSize; b*parallel.BlockSize < hi; b++ {
		blo := b * parallel.BlockSize
		bhi := min(blo+parallel.BlockSize, hi)
		r, rc := streams(seed, b)
		for k := blo; k < bhi; k++ {
			row := z // drawn and discarded to advance the streams
			if k >= lo {
				row = dst[(k-lo)*q : (k-lo+1)*q]
			}
			d.draw(component(rc.Float64(), d.p), r, row, z)
		}
	}
}

// Components writes the mixture component (0: t, 1: N(u*, D*),
// 2: N(u*, Σ̃)) of samples lo..hi−1 of the sample with seed into dst.
func (d *Density) Components(seed uint64, lo, hi int, dst []int) {
	for b := lo / parallel.BlockSize; b*parallel.BlockSize < hi; b++ {
		blo := b * parallel.BlockSize
		_, rc := streams(seed, b)
		for k := blo; k < min(blo+parallel.BlockSize, hi); k++ {
			c := component(rc.Float64(), d.p)
			if k >= lo {
				dst[k-lo] = c
			}
		}
	}
}

// draw writes one sample of component comp into row, with z as scratch
// (row may be z itself when the sample is discarded).
func (d *Density) draw(comp int, r *rand.Rand, row, z []float64) {
	switch comp {
	case 0:
		chi2 := 2 * gamma(r, d.zeta/2)
		scale := 1 / math.Sqrt(chi2/d.zeta)
		if d.tSigma {
			d.drawSigma(r, row, z, scale)
			return
		}
		for j := range row {
			row[j] = d.tCentre[j] + d.sd[j]*r.NormFloat64()*scale
		}
	case 1:
		for j := range row {
			row[j] = d.uStar[j] + d.sd[j]*r.NormFloat64()
		}
	default:
		d.drawSigma(r, row, z, 1)
	}
}

// drawSigma writes u* + scale·x with x = R⁻¹z ~ N(0, Σ̃) (on the sparse
// path x = P·L⁻ᵀz) into row; z may
// alias row only when the row is discarded, so it draws into the scratch
// first.
func (d *Density) drawSigma(r *rand.Rand, row, z []float64, scale float64) {
	for j := range z {
		z[j] = r.NormFloat64()
	}
	if d.chol != nil {
		d.solveSparse(z, row, d.uStar, scale)
		return
	}
	d.sigInv.SolveR(z)
	for j := range row {
		row[j] = d.uStar[j] + scale*z[j]
	}
}

// gamma draws Gamma(a, 1) by Marsaglia and Tsang's squeeze method.
func gamma(r *rand.Rand, a float64) float64 {
	if a < 1 {
		return gamma(r, a+1) * math.Pow(r.Float64(), 1/a)
	}
	d := a - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}
