package lmm

import (
	"errors"
	"fmt"

	"github.com/glmmgo/glmmgo/core/budget"
	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/sparse/cholesky"
)

// Choosing the trailing factor. The trailing block's structure is that of
// A₂₂ plus one clique per level of the first term (the later levels its
// observations fall in), the Schur complement of the first term's
// diagonal block. A fill-reducing order (approximate minimum degree, over
// the later terms' levels) and the symbolic analysis of the sparse factor
// predict its nonzeros and flops before any value is computed; the dense
// factor costs s³/3 flops and s² doubles. The sparse factor is chosen when
// it saves most of the work (nested factors, factors crossed only within
// groups); the dense one when the block fills in anyway (crossed factors),
// where its blocked kernel is several times faster per flop. Either must
// fit in the memory limit (core/budget), checked before anything of its size is
// allocated.

// FactorInfo describes the trailing factor New chose.
type FactorInfo struct {
	Kind        FactorKind // FactorDense or FactorSparse
	Order       int        // s, rows of the trailing block (terms after the first, X, y)
	NNZ         int64      // nonzeros of the trailing factor
	Flops       float64    // flops of one factorisation, Σ_j c_j² for column counts c_j (s³/3 dense)
	Bytes       int64      // memory of the trailing factor
	DenseBytes  int64      // memory a dense trailing factor needs
	SparseBytes int64      // memory the sparse one needs (0 if not analysed, or if it stopped early)
	Supernodes  int        // supernodes of the sparse factor
	Reason      string     // why this kind
}

// Factor reports the trailing factor chosen by New.
func (m *Model) Factor() FactorInfo { return m.plan }

// sparseShare is the largest ratio of the sparse factor's flops (and
// nonzeros) to the dense factor's at which the sparse factor is chosen:
// per flop, the sparse factor's small supernodes and scattered updates run
// several times slower than the dense kernel.
const sparseShare = 0.25

// minSparseOrder is the order below which the trailing block is held dense
// without analysis: it costs microseconds either way.
const minSparseOrder = 256

// tailPlan is the chosen trailing factor before it is built: the first
// row of every later level and, for a sparse factor, its structure.
type tailPlan struct {
	info  FactorInfo
	start [][]int32
	sym   *cholesky.Symbolic
}

// build allocates the chosen factor.
func (p *tailPlan) build(rows *tailRows, prod *tailProducts, workers int) tailFactor {
	if p.sym == nil {
		return newDenseTail(rows.s, rows.qT)
	}
	return newSparseTail(p.sym, rows, prod, workers)
}

// planTail chooses the trailing factor for kind (FactorAuto chooses) within
// maxBytes (0: the budget).
func (m *Model) planTail(qT int, kind FactorKind, maxBytes int64) (*tailPlan, error) {
	s := qT + m.p + 1
	maxB := maxBytes
	if maxB <= 0 {
		maxB = budget.Limit()
	}
	nf := float64(s)
	dense := &tailPlan{start: naturalStarts(m.terms), info: FactorInfo{Kind: FactorDense, Order: s,
		NNZ: int64(s) * int64(s+1) / 2, Flops: nf * nf * nf / 3, Bytes: denseTailBytes(s), DenseBytes: denseTailBytes(s)}}
	denseFits := dense.info.Bytes <= maxB
	if kind == FactorDense || (kind == FactorAuto && (s < minSparseOrder || len(m.terms) == 1)) {
		if !denseFits {
			return nil, overLimit(fmt.Sprintf("the dense trailing factor (order %d)", s), dense.info.Bytes, maxB)
		}
		dense.info.Reason = map[bool]string{true: "forced", false: "small"}[kind == FactorDense]
		return dense, nil
	}
	var limit int64
	if kind == FactorAuto && denseFits {
		limit = int64(sparseShare * float64(dense.info.NNZ))
	}
	sparse, err := m.planSparse(qT, limit, maxB)
	var tooDense *cholesky.TooDenseError
	switch {
	case err == nil:
		sparse.info.DenseBytes = dense.info.Bytes
		dense.info.SparseBytes = sparse.info.Bytes
	case errors.As(err, &tooDense):
		dense.info.SparseBytes = tooDense.Bytes
		if kind == FactorSparse || !denseFits {
			return nil, tooBig(s, dense.info.Bytes, tooDense, maxB)
		}
		dense.info.Reason = "the sparse factor would fill in: " + tooDense.Error()
		return dense, nil
	default:
		return nil, err
	}
	if kind == FactorSparse {
		sparse.info.Reason = "forced"
		return sparse, nil
	}
	if !denseFits || sparse.info.Flops <= sparseShare*dense.info.Flops {
		sparse.info.Reason = fmt.Sprintf("%.3g of the dense factor's flops", sparse.info.Flops/dense.info.Flops)
		if !denseFits {
			sparse.info.Reason = "the dense factor does not fit"
		}
		return sparse, nil
	}
	dense.info.Reason = fmt.Sprintf("the sparse factor would take %.3g of its flops", sparse.info.Flops/dense.info.Flops)
	return dense, nil
}

// overLimit is the Resource error of a factor that needs more than limit
// bytes (the memory limit of core/budget, or Data.MaxBytes).
func overLimit(what string, need, limit int64) error {
	return &errs.Error{Kind: errs.Resource, Arg: "terms", Msg: fmt.Sprintf("%s needs %s, more than the memory limit of %s",
		what, budget.Format(float64(need)), budget.Format(float64(limit)))}
}

// tooBig is the error when neither factor fits.
func tooBig(s int, denseBytes int64, td *cholesky.TooDenseError, limit int64) error {
	sp := fmt.Sprintf("more than %d nonzeros", td.NNZ)
	if td.Bytes > 0 {
		sp = budget.Format(float64(td.Bytes))
	}
	return &errs.Error{Kind: errs.Resource, Arg: "terms", Msg: fmt.Sprintf(
		"the trailing block of the factor (order %d: the random effects of the terms after the first, then X and y) does not fit: held dense it needs %s, sparse %s; the memory limit is %s",
		s, budget.Format(float64(denseBytes)), sp, budget.Format(float64(limit)))}
}

// planSparse orders the later levels, analyses the sparse factor of the
// trailing block in that order and returns its plan, or a
// *cholesky.TooDenseError when it has more than maxNNZ nonzeros (0: no
// limit) or needs more than limit bytes.
func (m *Model) planSparse(qT int, maxNNZ, limit int64) (*tailPlan, error) {
	lv := newLevelCliques(m.terms, &m.byLevel)
	if lb := lv.patternNNZ(m.p + 1); maxNNZ > 0 && lb > maxNNZ {
		return nil, &cholesky.TooDenseError{NNZ: lb}
	}
	order, err := lv.order()
	if err != nil {
		return nil, err
	}
	rowOf := lv.rowsInOrder(order)
	pat := lv.pattern(rowOf, qT, m.p+1)
	sym, err := cholesky.Analyse(pat, cholesky.Options{MaxNNZ: maxNNZ, MaxBytes: limit})
	if err != nil {
		return nil, err
	}
	start := lv.starts(rowOf, sym.Inv)
	return &tailPlan{start: start, sym: sym, info: FactorInfo{Kind: FactorSparse, Order: qT + m.p + 1, NNZ: sym.NNZ,
		Flops: sym.Flops, Bytes: sparseTailBytes(sym, qT), SparseBytes: sparseTailBytes(sym, qT), Supernodes: sym.Supernodes()}}, nil
}
