package mcla

import (
	"github.com/glmmgo/glmmgo/core/checkpoint"
	"github.com/glmmgo/glmmgo/core/parallel"
)

// Sampler draws samples lo..hi−1 of a fixed sequence into dst
// (sample-major, (hi−lo)·q values), giving every sample the same value
// whatever range it is asked for (importance.Density.DrawTo with a fixed
// seed does: each block of parallel.BlockSize samples has its own random
// streams). scratch has length 2q.
type Sampler func(lo, hi int, dst, scratch []float64)

// store holds a model's samples block by block (block b: samples
// b·BlockSize onwards), so that it grows by appending blocks and a block
// can be drawn, kept or redrawn on its own — by this process or, keyed by
// its index, by another. A store is never changed once set (Grow and
// SetDensity make new ones sharing the unchanged parts), so models may
// share it.
type store struct {
	m      int
	blocks []block
	draw   Sampler // nil for samples given as a u-matrix
	kept   bool    // every block's u is in memory (else redrawn at each pass)
}

// block is one block's samples and what each sample contributes that does
// not depend on (β, ν).
type block struct {
	u     []float64 // sample-major; nil when the samples are redrawn
	logFt []float64 // log f̃(u_k) at [k·nb + b], nb the estimator's blocks (joint: 1)
	ss    []float64 // sₜ(u_k) at [k·nvc + t] (joint estimator only)
}

// newStore makes the blocks of mrows samples, with room for u when kept;
// fill then draws and precomputes them.
// Making the blocks of a large sample takes long (a gigabyte for m = 10⁶,
// q = 120, cleared by the runtime): cp is checked every checkBlocks blocks,
// and a stop returns errs.ErrCancelled.
func newStore(mrows int, draw Sampler, kept bool, q, nlf, nss int, cp *checkpoint.Checkpoint) (*store, error) {
	s := &store{m: mrows, draw: draw, kept: kept, blocks: make([]block, parallel.NumBlocks(mrows))}
	for b := range s.blocks {
		if err := checkEvery(b, cp); err != nil {
			return nil, err
		}
		s.blocks[b] = newBlock(b, mrows, kept, q, nlf, nss)
	}
	return s, nil
}

// checkBlocks: newStore and grown check their checkpoint every this many
// blocks.
const checkBlocks = 64

func checkEvery(b int, cp *checkpoint.Checkpoint) error {
	if b%checkBlocks != 0 {
		return nil
	}
	return cp.Check()
}

// newBlock makes block b of mrows samples with nlf log densities and nss
// sums of squares per sample.
func newBlock(b, mrows int, kept bool, q, nlf, nss int) block {
	lo, hi := parallel.BlockRange(b, mrows)
	k := hi - lo
	blk := block{logFt: make([]float64, k*nlf), ss: make([]float64, k*nss)}
	if kept {
		blk.u = make([]float64, k*q)
	}
	return blk
}

// grown is s extended to mrows samples, and the number of leading blocks
// it shares with s: complete blocks are shared, the last partial block and
// the new ones are fresh (to be filled). When kept turns false, every
// block drops its u; when it turns true, no block is shared.
func (s *store) grown(mrows int, kept bool, q, nlf, nss int, cp *checkpoint.Checkpoint) (*store, int, error) {
	full := s.m / parallel.BlockSize
	if kept && !s.kept {
		full = 0
	}
	g := &store{m: mrows, draw: s.draw, kept: kept, blocks: make([]block, parallel.NumBlocks(mrows))}
	copy(g.blocks, s.blocks[:full])
	for b := range g.blocks {
		if err := checkEvery(b, cp); err != nil {
			return nil, 0, err
		}
		if b >= full {
			g.blocks[b] = newBlock(b, mrows, kept, q, nlf, nss)
		} else if !kept {
			g.blocks[b].u = nil
		}
	}
	return g, full, nil
}

// withOwnLogFt is s with fresh log f̃ slices (for a new density), sharing
// the samples and their sums of squares.
func (s *store) withOwnLogFt() *store {
	c := *s
	c.blocks = make([]block, len(s.blocks))
	for b, blk := range s.blocks {
		c.blocks[b] = block{u: blk.u, ss: blk.ss, logFt: make([]float64, len(blk.logFt))}
	}
	return &c
}
