package importance

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/glmmgo/glmmgo/core/budget"
	"github.com/glmmgo/glmmgo/core/sparse"
	"github.com/glmmgo/glmmgo/core/sparse/amd"
	"github.com/glmmgo/glmmgo/core/sparse/cholesky"
)

// SparseMinQ is the fewest random effects for which a density given Σ̃⁻¹
// in compressed rows factors it sparse (see the package comment). Below it
// the dense factor is as fast and the draws stay those of the dense
// factor, glmm's.
const SparseMinQ = 200

// sparseMaxFill is the largest share of the q(q+1)/2 entries of a dense
// triangle that the sparse factor may hold: beyond it the dense factor's
// contiguous triangular solve is as fast as the sparse one's indirect one.
const sparseMaxFill = 0.25

// Plan is how a density factors Σ̃⁻¹ of a given pattern: sparse, in a
// fill-reducing order (approximate minimum degree), or dense.
type Plan struct {
	Sparse    bool
	FactorNNZ int64   // nonzeros of the sparse factor (0 on the dense path)
	Bytes     float64 // memory Σ̃⁻¹ and its factor take on this path
	order     []int32 // order[k]: the random effect eliminated k-th
	sym       *cholesky.Symbolic
}

// PlanFor returns the plan of the density whose Σ̃⁻¹ = Z′WZ + D*⁻¹ has
// the pattern of Z′Z + I: it depends on Z's pattern only, so a fit knows
// the memory its densities need before it builds any, and builds Σ̃⁻¹ in
// compressed rows (SigmaInvSparse) for the sparse path, q×q (SigmaInv)
// for the dense one. Below SparseMinQ the plan is dense without looking
// at the pattern. The pattern has at most min(q + Σᵢ wᵢ², q²) entries (wᵢ
// the nonzeros of row i of Z); when it and its ordering's and analysis's
// working copies (planBytesPerEntry each) would exceed the memory limit,
// the plan is dense too (a pattern that large is too full for the sparse
// path anyway).
func PlanFor(z *sparse.CSR) (*Plan, error) {
	q := z.Cols
	dense := &Plan{Bytes: 2 * budget.Doubles(q, q)}
	if q < SparseMinQ {
		return dense, nil
	}
	bound := float64(q)
	for i := 0; i < z.Rows; i++ {
		w := float64(z.RowPtr[i+1] - z.RowPtr[i])
		bound += w * w
	}
	bound = min(bound, float64(q)*float64(q))
	if planBytesPerEntry*bound > float64(budget.Limit()) {
		return dense, nil
	}
	return planOf(sigmaInvPattern(z), SparseMinQ)
}

// planBytesPerEntry bounds the memory per entry of Σ̃⁻¹'s pattern while a
// plan is made: the pattern's columns and values (16), AMD's copy of the
// graph (4, and its elbow room), the cliques for the symbolic analysis
// (12).
const planBytesPerEntry = 40

// planOf chooses the path for the pattern of s: sparse when q ≥ minQ and
// the factor in AMD order holds at most sparseMaxFill of a dense triangle;
// minQ = 0 forces the sparse path (for tests).
func planOf(s *sparse.CSR, minQ int) (*Plan, error) {
	q := s.Rows
	dense := &Plan{Bytes: 2 * budget.Doubles(q, q)}
	if q < minQ {
		return dense, nil
	}
	adj := make([]int32, len(s.Col))
	for k, c := range s.Col {
		adj[k] = int32(c)
	}
	order, err := amd.Order(amd.Graph{N: q, Ptr: s.RowPtr, Adj: adj}, amd.Options{})
	if err != nil {
		return nil, err
	}
	pos := make([]int32, q)
	for k, v := range order {
		pos[v] = int32(k)
	}
	// Each off-diagonal pair is a clique of two rows, in AMD's order.
	pat := cholesky.Pattern{N: q, Ptr: []int{0}}
	for i := 0; i < q; i++ {
		for k := s.RowPtr[i]; k < s.RowPtr[i+1]; k++ {
			if c := s.Col[k]; c > i {
				pat.Rows = append(pat.Rows, pos[i], pos[c])
				pat.Ptr = append(pat.Ptr, len(pat.Rows))
			}
		}
	}
	// The count stops at the rule's fill or at what the memory limit could
	// hold, whichever comes first: a factor past either takes the dense
	// path (refused there if too large).
	limit := int64(min(sparseMaxFill*float64(q)*float64(q+1)/2, float64(budget.Limit())/8))
	if minQ == 0 {
		limit = 0
	}
	sym, err := cholesky.Analyse(pat, cholesky.Options{MaxNNZ: limit, MaxBytes: budget.Limit()})
	var td *cholesky.TooDenseError
	if errors.As(err, &td) {
		return dense, nil
	}
	if err != nil {
		return nil, err
	}
	csr := 16*float64(len(s.Col)) + 8*float64(q+1)
	return &Plan{Sparse: true, FactorNNZ: sym.NNZ, Bytes: float64(sym.Bytes()) + csr + 8*float64(q), order: order, sym: sym}, nil
}

// setSigmaInvCSR validates Σ̃⁻¹ given in compressed rows and factors it
// by the path planOf chooses: dense as setSigmaInv (the matrix expanded to
// q×q, which the density keeps: DenseSigmaInv), or sparse.
func (d *Density) setSigmaInvCSR(s *sparse.CSR, minQ int) error {
	q := d.q
	if err := checkSigmaInvCSR(q, s); err != nil {
		return err
	}
	pl, err := planOf(s, minQ)
	if err != nil {
		return err
	}
	if !pl.Sparse {
		if err := budget.Need("sigma_inv", fmt.Sprintf("Σ̃⁻¹ and its dense Cholesky factor (2·q·q = 2·%d·%d doubles)", q, q), pl.Bytes); err != nil {
			return err
		}
		d.sigInvDense = s.Dense()
		return d.setSigmaInv(d.sigInvDense)
	}
	if err := budget.Need("sigma_inv", fmt.Sprintf("the sparse Cholesky factor of Σ̃⁻¹ (q = %d, %d nonzeros)", q, pl.FactorNNZ), pl.Bytes); err != nil {
		return err
	}
	return d.setSparseFactor(s, pl)
}

// setSparseFactor factors P′Σ̃⁻¹P = LLᵀ in the plan's order, row k of the
// factor being random effect perm[k], and keeps L, the order, log|Σ̃⁻¹| =
// 2 Σ log L_kk and Σ̃⁻¹'s rows (for the quadratic form).
func (d *Density) setSparseFactor(s *sparse.CSR, pl *Plan) error {
	q, sym := d.q, pl.sym
	perm, inv := make([]int, q), make([]int, q)
	for k := range perm {
		perm[k] = int(pl.order[sym.Perm[k]])
		inv[perm[k]] = k
	}
	f := cholesky.NewFactor(sym)
	f.SetWorkers(1) // the factor does not depend on the workers; one is enough for a factor built once
	defer f.Close()
	for k, v := range perm {
		for e := s.RowPtr[v]; e < s.RowPtr[v+1]; e++ {
			if i := inv[s.Col[e]]; i >= k {
				f.Val[sym.Position(i, k)] = s.Val[e]
			}
		}
	}
	if err := f.Factorize(); err != nil {
		return errNotPD()
	}
	d.chol, d.perm = f, perm
	d.logDetSigInv = 2 * f.LogDiag(0, q)
	d.nConst2 = -float64(q)/2*math.Log(2*math.Pi) + d.logDetSigInv/2
	d.sigInvSparse = &sparse.CSR{Rows: q, Cols: q, RowPtr: slices.Clone(s.RowPtr), Col: slices.Clone(s.Col), Val: slices.Clone(s.Val)}
	return nil
}

// solveSparse overwrites z with x = P·L⁻ᵀz, x ~ N(0, Σ̃) for z standard
// normal (Cov = P(LLᵀ)⁻¹P′ = Σ̃), writing x into row at the random effects'
// own positions: row[perm[k]] = centre[perm[k]] + scale·(L⁻ᵀz)_k. One sparse
// triangular solve, O(nnz(L)).
func (d *Density) solveSparse(z, row, centre []float64, scale float64) {
	d.chol.SolveLeadingT(z, d.q)
	for k, v := range d.perm {
		row[v] = centre[v] + scale*z[k]
	}
}
