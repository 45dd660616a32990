package lmm

import (
	"runtime"
	"sync"
)

// pool runs share(w) for w = 0..nw−1 at once, share 0 on the calling
// goroutine and the others on persistent goroutines started on first use,
// so that a parallel step per θ costs two channel operations per worker
// and no allocation.
type pool struct {
	share func(w int)
	jobs  []chan int
	wg    sync.WaitGroup
}

// run calls share(0..nw−1) and returns when all have finished.
func (p *pool) run(nw int) {
	if nw <= 1 {
		p.share(0)
		return
	}
	for len(p.jobs) < nw-1 {
		ch := make(chan int, 1)
		p.jobs = append(p.jobs, ch)
		go func() {
			for w := range ch {
				p.share(w)
				p.wg.Done()
			}
		}()
	}
	p.wg.Add(nw - 1)
	for w := 1; w < nw; w++ {
		p.jobs[w-1] <- w
	}
	p.share(0)
	p.wg.Wait()
}

// close stops the goroutines.
func (p *pool) close() {
	for _, ch := range p.jobs {
		close(ch)
	}
	p.jobs = nil
}

// maxWorkers is the number of goroutines a parallel step may use.
func maxWorkers() int { return runtime.GOMAXPROCS(0) }
