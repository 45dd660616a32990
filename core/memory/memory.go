// Package memory holds the engine's memory budget: how many bytes a single
// large structure (a factor, a sample) may take. Go ends the whole process
// when an allocation fails — inside R or Julia, the user's session — so
// every allocation sized by the caller's data is checked against the
// budget first, and refused with the number of bytes it would need.
package memory

import (
	"fmt"
	"sync/atomic"

	"github.com/glmmgo/glmmgo/core/errs"
)

// budget is the current budget in bytes; 0 means the default.
var budget atomic.Int64

// Physical returns the machine's physical memory in bytes (16 GiB where
// the operating system does not say).
func Physical() int64 {
	if b := physical(); b > 0 {
		return b
	}
	return 16 << 30
}

// Budget returns the bytes one structure may take: the value set by
// SetBudget, else three quarters of the physical memory.
func Budget() int64 {
	if b := budget.Load(); b > 0 {
		return b
	}
	return Physical() / 4 * 3
}

// SetBudget sets the budget in bytes; 0 restores the default.
func SetBudget(bytes int64) error {
	if bytes < 0 {
		return errs.Invalidf("bytes", "a memory budget of %d bytes", bytes)
	}
	budget.Store(bytes)
	return nil
}

// Check returns an Invalid error naming arg when need bytes exceed limit
// (limit 0: the budget), saying what needs them.
func Check(arg, what string, need, limit int64) error {
	if limit <= 0 {
		limit = Budget()
	}
	if need > limit {
		return errs.Invalidf(arg, "%s needs %s, more than the memory budget of %s", what, Format(need), Format(limit))
	}
	return nil
}

// Format writes a byte count with its binary unit.
func Format(b int64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GiB (%d bytes)", float64(b)/(1<<30), b)
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB (%d bytes)", float64(b)/(1<<20), b)
	}
	return fmt.Sprintf("%d bytes", b)
}
