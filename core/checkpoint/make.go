package checkpoint

import "time"

// MakeFloats returns make([]float64, n), checking c while the runtime
// clears the memory: a large slice is zeroed in one go before make
// returns — a gigabyte can take seconds on a loaded machine, with no
// chance to serve the host in between — so the allocation runs on another
// goroutine and the caller checks c every Interval/2 until it is done. If
// c stops, MakeFloats returns errs.ErrCancelled at once and the slice,
// when it arrives, is garbage. Without a checkpoint it is make.
func MakeFloats(n int, c *Checkpoint) ([]float64, error) {
	if c == nil || c.fn == nil || n < 1<<20 {
		return make([]float64, n), nil
	}
	done := make(chan []float64, 1) // buffered: the goroutine never waits for a caller that left
	go func() { done <- make([]float64, n) }()
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
