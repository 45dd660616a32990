package parallel

// MaxBatches is the largest number of batches the blocks of a sample are
// grouped into. Batches are the units whose partials are merged into the
// whole (and the groups of the delete-a-batch jackknife of Monte Carlo
// error, which needs a few dozen of them for a stable variance estimate);
// 64 keeps the merged partials small whatever m is.
const MaxBatches = 64

// BatchBlocks is the number of blocks in every batch but the last, for m
// samples: the smallest power of two that makes at most MaxBatches
// batches. Powers of two nest: when m doubles, each new batch is two old
// ones.
func BatchBlocks(m int) int {
	s, nb := 1, NumBlocks(m)
	for nb > s*MaxBatches {
		s *= 2
	}
	return s
}

// NumBatches is the number of batches that cover m samples.
func NumBatches(m int) int {
	s := BatchBlocks(m)
	return (NumBlocks(m) + s - 1) / s
}

// BatchBlockRange returns the half-open range [b0, b1) of the blocks in
// batch g of m samples.
func BatchBlockRange(g, m int) (b0, b1 int) {
	s := BatchBlocks(m)
	b0 = g * s
	b1 = min(b0+s, NumBlocks(m))
	return b0, b1
}

// BatchRange returns the half-open sample range [lo, hi) of batch g of m.
func BatchRange(g, m int) (lo, hi int) {
	b0, b1 := BatchBlockRange(g, m)
	lo, _ = BlockRange(b0, m)
	_, hi = BlockRange(b1-1, m)
	return lo, hi
}
