package checkpoint

import (
	"runtime"
	"sync"
	"time"
)

// MakeFloats returns make([]float64, n), checking c while the runtime
// clears the memory: a large slice is zeroed in one go before make
// returns — a gigabyte of reused heap took 10–16 s on a loaded machine,
// with no chance to serve the host in between — so the allocation runs on
// another goroutine and the caller checks c every Interval/2 until it is
// done. The clearing goroutine and the collector's worker could then hold
// every processor (GOMAXPROCS) while the caller, coming back from the
// host's callback, waits for one; so one processor is added for the
// duration. If c stops, MakeFloats returns errs.ErrCancelled at once and
// the slice, when it arrives, is garbage. Without a checkpoint, or for
// small n, it is make.
func MakeFloats(n int, c *Checkpoint) ([]float64, error) {
	if c == nil || c.fn == nil || n < 1<<20 {
		return make([]float64, n), nil
	}
	done := make(chan []float64, 1) // buffered: the goroutine never waits for a caller that left
	extraProc.add()
	go func() {
		defer extraProc.drop()
		done <- make([]float64, n)
	}()
	tick := time.NewTicker(Interval / 2)
	defer tick.Stop()
	for {
		select {
		case b := <-done:
			return b, nil
		case <-tick.C:
			if err := c.Check(); err != nil {
				return nil, err
			}
		}
	}
}

// extraProc raises GOMAXPROCS by one while any large allocation runs and
// restores it after the last.
var extraProc procs

type procs struct {
	sync.Mutex
	n, base int
}

func (e *procs) add() {
	e.Lock()
	defer e.Unlock()
	if e.n == 0 {
		e.base = runtime.GOMAXPROCS(0)
		runtime.GOMAXPROCS(e.base + 1)
	}
	e.n++
}

func (e *procs) drop() {
	e.Lock()
	defer e.Unlock()
	if e.n--; e.n == 0 {
		runtime.GOMAXPROCS(e.base)
	}
}
