// Package budget bounds the memory a single call may ask for, so that a
// size that is valid but cannot be met is refused with an error naming the
// argument and the bytes it needs, instead of Go's runtime aborting the
// whole host process ("fatal error: out of memory" cannot be recovered).
//
// Every allocation sized by a caller's counts is preceded by Need with the
// bytes it (and what it brings with it) will take. The limit is a fraction
// (DefaultFraction) of the memory the process may use — the smallest of
// physical memory, the cgroup's memory limit and the address-space and data
// rlimits — or what SetLimit sets. It bounds one request, not the sum of all
// live ones: its purpose is to refuse what cannot succeed, before anything
// is allocated or read, not to account for the host's other memory.
package budget

import (
	"fmt"
	"math"
	"sync"
	"sync/atomic"

	"github.com/glmmgo/glmmgo/core/errs"
)

// DefaultFraction of the memory available to the process is the default
// limit: room for the host's own data beside one large request.
const DefaultFraction = 0.75

// fallback is the available memory assumed where it cannot be read.
const fallback = 16 << 30

var (
	limit       atomic.Int64 // set by SetLimit; 0: the default
	defaultOnce sync.Once
	defaultVal  int64
)

// Available returns the memory the process may use, in bytes: the smallest
// of physical memory, the cgroup limit and the rlimits that apply.
func Available() int64 {
	if a := available(); a > 0 {
		return a
	}
	return fallback
}

// Default is DefaultFraction of Available, computed once.
func Default() int64 {
	defaultOnce.Do(func() { defaultVal = int64(DefaultFraction * float64(Available())) })
	return defaultVal
}

// Limit is the current limit in bytes.
func Limit() int64 {
	if l := limit.Load(); l > 0 {
		return l
	}
	return Default()
}

// SetLimit sets the limit to bytes; 0 restores the default. A negative
// limit is an Invalid error naming "bytes".
func SetLimit(bytes int64) error {
	if bytes < 0 {
		return errs.Invalidf("bytes", "is %d; the memory limit must be positive, or 0 for the default (%s)", bytes, Format(float64(Default())))
	}
	limit.Store(bytes)
	return nil
}

// Need returns nil when bytes fit within the limit, and otherwise a
// Resource error naming arg and saying what needs the memory ("the
// u-matrix of m·q = 1e8·120 doubles"). NaN or an infinite count never fits.
func Need(arg, what string, bytes float64) error {
	l := Limit()
	if bytes <= float64(l) {
		return nil
	}
	return &errs.Error{Kind: errs.Resource, Arg: arg, Msg: fmt.Sprintf(
		"%s needs %s, more than the memory limit of %s (%.0f%% of the %s this process may use; glmmgo_set_memory_limit changes it)",
		what, Format(bytes), Format(float64(l)), 100*float64(l)/float64(Available()), Format(float64(Available())))}
}

// Doubles is the size of n float64 (or int64) values in bytes, as a float64
// so that products of counts cannot overflow.
func Doubles(n ...int) float64 {
	b := 8.0
	for _, k := range n {
		b *= float64(k)
	}
	return b
}

// Format writes a byte count for people: "96.0 GB", "512 B".
func Format(b float64) string {
	switch {
	case math.IsNaN(b) || math.IsInf(b, 0):
		return fmt.Sprint(b, " B")
	case b >= 1e12:
		return fmt.Sprintf("%.1f TB", b/1e12)
	case b >= 1e9:
		return fmt.Sprintf("%.1f GB", b/1e9)
	case b >= 1e6:
		return fmt.Sprintf("%.1f MB", b/1e6)
	case b >= 1e3:
		return fmt.Sprintf("%.1f kB", b/1e3)
	}
	return fmt.Sprintf("%.0f B", b)
}
