package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/glmmgo/glmmgo/core/checkpoint"
)

// BlockSize is the number of samples in every block but the last. It is a
// constant, not a tuning knob: changing it changes results in the last bits.
const BlockSize = 256

// NumBlocks is the number of blocks that cover m samples.
func NumBlocks(m int) int { return (m + BlockSize - 1) / BlockSize }

// BlockRange returns the half-open sample range [lo, hi) of block b of m.
func BlockRange(b, m int) (lo, hi int) {
	lo = b * BlockSize
	hi = min(lo+BlockSize, m)
	return lo, hi
}

// Available is the number of CPUs this process may run on.
func Available() int { return min(runtime.NumCPU(), runtime.GOMAXPROCS(0)) }

// Workers resolves a requested worker count: 0 or less means all available
// CPUs; more than that is capped at that.
func Workers(requested int) int {
	a := Available()
	if requested <= 0 || requested > a {
		return a
	}
	return requested
}

// Run calls fn(worker, task) for every task in [0, ntasks) on up to workers
// goroutines (worker is in [0, workers) and lets fn use per-worker scratch).
// Tasks are handed out dynamically, so fn must write its result into a slot
// owned by the task, never into shared state. Run returns the error of the
// lowest-numbered failing task, so the error too is independent of the
// number of workers.
func Run(ntasks, workers int, fn func(worker, task int) error) error {
	return RunChecked(ntasks, workers, nil, fn)
}

// RunChecked is Run with a checkpoint: the calling goroutine checks cp at
// least every checkpoint.Interval while the tasks run (after each task
// when it runs them itself, on a timer while it waits for workers), and
// when cp stops, no new task starts and RunChecked returns
// errs.ErrCancelled once the running ones have finished. A nil cp is Run.
func RunChecked(ntasks, workers int, cp *checkpoint.Checkpoint, fn func(worker, task int) error) error {
	workers = min(Workers(workers), ntasks)
	if workers <= 1 {
		for t := 0; t < ntasks; t++ {
			if err := fn(0, t); err != nil {
				return err
			}
			if err := cp.Check(); err != nil {
				return err
			}
		}
		return nil
	}
	var next atomic.Int64
	var stop atomic.Bool
	var mu sync.Mutex
	firstTask, firstErr := ntasks, error(nil)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for !stop.Load() {
				t := int(next.Add(1) - 1)
				if t >= ntasks {
					return
				}
				if err := fn(w, t); err != nil {
					mu.Lock()
					if t < firstTask {
						firstTask, firstErr = t, err
					}
					mu.Unlock()
				}
			}
		}(w)
	}
	if err := wait(&wg, cp); err != nil {
		stop.Store(true)
		wg.Wait()
		return err
	}
	return firstErr
}

// wait waits for wg, checking cp on a timer meanwhile; it returns cp's
// error as soon as cp stops.
func wait(wg *sync.WaitGroup, cp *checkpoint.Checkpoint) error {
	if cp == nil {
		wg.Wait()
		return nil
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	tick := time.NewTicker(checkpoint.Interval)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return nil
		case <-tick.C:
			if err := cp.Check(); err != nil {
				return err
			}
		}
	}
}
