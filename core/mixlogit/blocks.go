package mixlogit

import "github.com/glmmgo/glmmgo/core/parallel"

// blockSubjects is the number of subjects in every block of a parallel
// sum but the last. It is fixed, not tuned to the number of workers:
// changing it changes sums in the last bits.
const blockSubjects = 16

func (m *Model) numBlocks() int { return (m.n + blockSubjects - 1) / blockSubjects }

func (m *Model) blockRange(b int) (lo, hi int) {
	lo = b * blockSubjects
	return lo, min(lo+blockSubjects, m.n)
}

// SumSubjects returns Σ_i of the contributions that fn adds into acc (of
// length width) for each subject i. Each fixed block of subjects is summed
// in subject order by one goroutine and the block sums are added in block
// order, so the result is bit-identical for any number of workers. fn gets
// the worker index (in [0, workers)) for per-worker scratch; the error of
// the lowest-numbered failing block is returned.
func (m *Model) SumSubjects(workers, width int, fn func(worker, i int, acc []float64) error) ([]float64, error) {
	nb := m.numBlocks()
	part := make([]float64, nb*width)
	err := parallel.Run(nb, workers, func(w, b int) error {
		acc := part[b*width : (b+1)*width]
		lo, hi := m.blockRange(b)
		for i := lo; i < hi; i++ {
			if err := fn(w, i, acc); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	tot := make([]float64, width)
	for b := range nb {
		for k, v := range part[b*width : (b+1)*width] {
			tot[k] += v
		}
	}
	return tot, nil
}

// ForSubjects calls fn for every subject on up to workers goroutines; fn
// must write only into state owned by subject i.
func (m *Model) ForSubjects(workers int, fn func(worker, i int) error) error {
	return parallel.Run(m.numBlocks(), workers, func(w, b int) error {
		lo, hi := m.blockRange(b)
		for i := lo; i < hi; i++ {
			if err := fn(w, i); err != nil {
				return err
			}
		}
		return nil
	})
}

// Workers is the number of goroutines a request for workers (0 = all
// CPUs) gives.
func Workers(workers int) int { return parallel.Workers(workers) }
