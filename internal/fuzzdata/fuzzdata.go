// Package fuzzdata turns the bytes of a Go fuzz input into the arguments
// of glmmgo's entry points: small sizes (some invalid), indices (some out
// of range) and floats drawn from a palette of hostile values (NaN, ±Inf,
// ±0, subnormals, huge and tiny magnitudes) mixed with ordinary ones, so
// that the fuzzer reaches the interesting corners quickly. A Reader never
// fails: past the end of its input it returns zeros.
package fuzzdata

import (
	"encoding/binary"
	"math"
)

// Reader consumes a fuzz input.
type Reader struct {
	b []byte
}

// New returns a Reader of b.
func New(b []byte) *Reader { return &Reader{b: b} }

// Byte returns the next byte, or 0 at the end.
func (r *Reader) Byte() byte {
	if len(r.b) == 0 {
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

// Uint64 returns the next 8 bytes (fewer at the end, zero-padded).
func (r *Reader) Uint64() uint64 {
	var buf [8]byte
	n := copy(buf[:], r.b)
	r.b = r.b[n:]
	return binary.LittleEndian.Uint64(buf[:])
}

// Int returns an integer in [lo, hi] (hi >= lo).
func (r *Reader) Int(lo, hi int) int {
	span := uint64(hi - lo + 1)
	var v uint64
	if span <= 256 {
		v = uint64(r.Byte())
	} else {
		v = r.Uint64()
	}
	return lo + int(v%span)
}

// Bool returns true or false.
func (r *Reader) Bool() bool { return r.Byte()&1 == 1 }

// Hostile values the palette draws from.
var Hostile = []float64{
	math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1),
	5e-324, -5e-324, 2.2250738585072014e-308, 1e-300, 1e-160, 1e-20,
	1e20, 1e160, 1e300, math.MaxFloat64, -math.MaxFloat64,
	700, -700, 710, -710, 745, -745, 1e4, -1e4, 36, -36,
}

// Float returns, by a selector byte: an ordinary value in [-4, 4) (most
// often), a small integer, a palette value, or arbitrary bits.
func (r *Reader) Float() float64 {
	switch s := r.Byte(); {
	case s < 128:
		return float64(int(r.Byte())-128) / 32
	case s < 176:
		return float64(r.Byte() % 8)
	case s < 240:
		return Hostile[int(r.Byte())%len(Hostile)]
	default:
		return math.Float64frombits(r.Uint64())
	}
}

// Positive returns mostly ordinary positive values, sometimes hostile ones.
func (r *Reader) Positive() float64 {
	if s := r.Byte(); s < 200 {
		return 0.05 + float64(r.Byte())/32
	}
	return r.Float()
}

// Floats returns n values from Float.
func (r *Reader) Floats(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = r.Float()
	}
	return v
}

// Len returns want most of the time and sometimes a wrong length in
// [0, want+2], to exercise length checks.
func (r *Reader) Len(want int) int {
	if r.Byte() < 240 {
		return want
	}
	return r.Int(0, want+2)
}
