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
