package checkpoint

import (
	"errors"
	"testing"
	"time"

	"github.com/glmmgo/glmmgo/core/errs"
)

func TestCheck(t *testing.T) {
	var nilCP *Checkpoint
	if nilCP.Check() != nil || nilCP.Stopped() {
		t.Fatal("a nil checkpoint must neither call nor stop")
	}
	calls := 0
	c := New(func() bool { calls++; return calls < 3 })
	if err := c.Check(); err != nil || calls != 0 {
		t.Fatalf("called before an interval passed: %v, %d calls", err, calls)
	}
	for calls < 3 {
		time.Sleep(Interval)
		err := c.Check()
		if calls < 3 && err != nil {
			t.Fatalf("stopped after %d calls: %v", calls, err)
		}
		if calls == 3 && !errors.Is(err, errs.ErrCancelled) {
			t.Fatalf("the third call asked to stop; got %v", err)
		}
	}
	if !c.Stopped() || c.Check() == nil || c.Now() == nil || calls != 3 {
		t.Fatalf("a stopped checkpoint must stay stopped without calling again (%d calls)", calls)
	}
	calls = 0
	c = New(func() bool { calls++; return true })
	if err := c.Now(); err != nil || calls != 1 {
		t.Fatalf("Now: %v after %d calls, want one call", err, calls)
	}
	if err := c.Check(); err != nil || calls != 1 {
		t.Fatalf("Check right after Now called again (%d calls)", calls)
	}
}

// TestMakeFloats: the slice is made (zeroed, of the length asked) with or
// without a checkpoint, and a checkpoint that stops makes it return
// ErrCancelled.
func TestMakeFloats(t *testing.T) {
	for _, c := range []*Checkpoint{nil, New(func() bool { return true })} {
		b, err := MakeFloats(3<<20, c)
		if err != nil || len(b) != 3<<20 || b[len(b)-1] != 0 {
			t.Fatalf("MakeFloats: %v, length %d", err, len(b))
		}
	}
	c := New(func() bool { return false })
	c.last = time.Time{}
	if _, err := MakeFloats(64<<20, c); !errors.Is(err, errs.ErrCancelled) {
		// the allocation may win the race on a fast machine; it must not fail otherwise
		if err != nil {
			t.Fatalf("MakeFloats with a stopping checkpoint: %v", err)
		}
	}
}
