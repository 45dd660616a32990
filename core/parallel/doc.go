// Package parallel runs Monte Carlo work over fixed blocks of samples and
// recombines the results exactly.
//
// The MCLA objective is an importance-weighted average over samples k = 1..m
// with log-weights b_k. Following S. Benson (Generalized Linear Mixed Models
// and Parallel Computing in R, University of St. Thomas, eqs 1–3 and
// Appendix A), a block of samples is summarised by a Partial
//
//	(count j, a = max_k b_k, S₀ = Σ_k e^{b_k−a}, S = Σ_k e^{b_k−a} x_k)
//
// for any vector x_k the caller wants averaged (gradient, outer products,
// curvature terms). Two partials merge exactly by rescaling to the larger
// max: with A = max(a₁, a₂), S₀ = e^{a₁−A} S₀₁ + e^{a₂−A} S₀₂ and the same for
// S. The whole then gives log((1/m) Σ e^{b_k}) = a + log(S₀/m) and the
// normalised weighted means S/S₀, free of overflow however large the b_k.
//
// Determinism: block boundaries depend on m alone (BlockSize samples each),
// each block is accumulated sequentially, and blocks are merged in block
// order. Floating-point results are therefore bit-identical whatever the
// number of workers, and a partial can be computed by another process.
//
// Batches: consecutive blocks are grouped into at most MaxBatches batches
// (BatchBlocks blocks each, a power of two fixed by m). A batch's partial
// is its blocks' partials merged in block order, and the whole is the
// batches' partials merged in batch order; with one block per batch
// (m ≤ MaxBatches·BlockSize) that is the plain merge in block order. Batch
// partials are what a process owning whole batches sends to the one that
// merges, and, being independent replicates of the sample, what the
// Monte Carlo error of the MCLA estimate is measured from.
package parallel
