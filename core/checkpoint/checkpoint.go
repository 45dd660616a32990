// Package checkpoint gives the caller of a long computation a regular
// chance to act on the calling goroutine — to serve the host's signals,
// report progress or stop the computation — at least every Interval of
// work, in every phase of it, including phases that have no iterations to
// report (PQL's inner solves, drawing a sample, inference).
//
// A computation calls Check at points where it could stop: after a block
// of samples, a Newton step, an evaluation. Check is cheap when no
// Interval has passed (one clock read); when one has, it calls the
// caller's function, which returns false to stop. Work spread over
// goroutines is checked by the goroutine that waits for it
// (parallel.RunChecked), so the function always runs on the calling
// goroutine — in a C host, on the caller's own thread.
//
// Stopping never changes a result: a computation either finishes with the
// result it would have had or returns errs.ErrCancelled.
package checkpoint

import (
	"sync/atomic"
	"time"

	"github.com/glmmgo/glmmgo/core/errs"
)

// Interval is the most work between two calls of the caller's function.
const Interval = 20 * time.Millisecond

// A Checkpoint calls a function at least every Interval of a computation.
// The zero value and nil never call anything and never stop.
type Checkpoint struct {
	fn      func() bool
	last    time.Time
	stopped atomic.Bool
}

// New returns a Checkpoint calling fn, which returns false to stop.
func New(fn func() bool) *Checkpoint { return &Checkpoint{fn: fn, last: time.Now()} }

// Check calls the function if an Interval has passed since the last call
// and returns errs.ErrCancelled once it has asked to stop. Only the
// goroutine that owns the computation may call it.
func (c *Checkpoint) Check() error {
	if c == nil || c.fn == nil {
		return nil
	}
	if c.stopped.Load() {
		return errs.ErrCancelled
	}
	if now := time.Now(); now.Sub(c.last) >= Interval {
		c.last = now
		if !c.fn() {
			c.stopped.Store(true)
			return errs.ErrCancelled
		}
	}
	return nil
}

// Now calls the function at once (a new phase begins, say) and returns
// errs.ErrCancelled if it asks to stop. Only the owning goroutine may call
// it.
func (c *Checkpoint) Now() error {
	if c == nil || c.fn == nil {
		return nil
	}
	c.last = time.Time{}
	return c.Check()
}

// Stopped reports whether the function asked to stop; any goroutine may
// ask.
func (c *Checkpoint) Stopped() bool { return c != nil && c.stopped.Load() }
