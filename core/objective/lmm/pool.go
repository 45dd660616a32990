package lmm

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// pool runs ntasks tasks on nw goroutines at once — goroutine 0 the
// calling one, the others persistent, started on first use — so that a
// parallel step per θ costs two channel operations per worker and no
// allocation. The goroutines take the tasks in order from a shared
// counter: one the scheduler holds back (the machine may be shared) delays
// the step by one task, not by a fixed share. share(g, task) must depend
// on g only for scratch space.
type pool struct {
	share func(g, task int)
	jobs  []chan int
	wg    sync.WaitGroup
	next  atomic.Int64
	tasks int
}

// run does tasks 0..ntasks−1 on nw goroutines and returns when all are
// done.
func (p *pool) run(nw, ntasks int) {
	p.next.Store(0)
	p.tasks = ntasks
	if nw <= 1 || ntasks <= 1 {
		p.work(0)
		return
	}
	for len(p.jobs) < nw-1 {
		ch := make(chan int, 1)
		p.jobs = append(p.jobs, ch)
		go func() {
			for g := range ch {
				p.work(g)
				p.wg.Done()
			}
		}()
	}
	p.wg.Add(nw - 1)
	for g := 1; g < nw; g++ {
		p.jobs[g-1] <- g
	}
	p.work(0)
	p.wg.Wait()
}

// work does tasks on goroutine g until none is left.
func (p *pool) work(g int) {
	for t := int(p.next.Add(1) - 1); t < p.tasks; t = int(p.next.Add(1) - 1) {
		p.share(g, t)
	}
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

// tasksPerWorker is how many column ranges of equal work the downdate is
// cut into per worker, so that the ranges can be shared out as they are
// done.
const tasksPerWorker = 4
