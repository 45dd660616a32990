package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
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
	workers = min(Workers(workers), ntasks)
	if workers <= 1 {
		for t := 0; t < ntasks; t++ {
			if err := fn(0, t); err != nil {
				return err
			}
		}
		return nil
	}
	var next atomic.Int64
	var mu sync.Mutex
	firstTask, firstErr := ntasks, error(nil)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for {
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
	wg.Wait()
	return firstErr
}
