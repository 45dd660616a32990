// Package cholesky factors sparse symmetric positive definite matrices,
// A = L·Lᵀ, by a supernodal left-looking Cholesky factorisation, in two
// phases as every sparse direct solver does (T. A. Davis, Direct Methods
// for Sparse Linear Systems, SIAM, 2006, ch. 4; Bates et al. 2015, J. Stat.
// Softw. 67(1), sec. 3.7, for its use in mixed models): a symbolic phase
// that depends on the pattern only, done once, and a numeric phase, done
// for every new set of values in that pattern.
//
// The symbolic phase (Analyse) takes the pattern in the order the factor
// will use — a fill-reducing order, e.g. from package amd — as a union of
// cliques, the form in which it arises from Z′Z: every group of rows an
// observation (or an eliminated level) couples is a clique. Only the first
// row of each clique in that order matters for the structure of L, because
// all of a clique's rows lie on one path of the elimination tree (J. W. H.
// Liu, "The role of elimination trees in sparse factorization", SIAM J.
// Matrix Anal. Appl. 11(1), 1990). It finds the elimination tree,
// renumbers the rows in its postorder (which changes no fill and makes
// every supernode a run of consecutive columns), counts the nonzeros of
// each column of L by walking the row subtrees, and groups the columns
// into supernodes: runs of columns with the same structure below their
// diagonal block, stored as one dense block, relaxed by merging a child
// into its parent when that adds few explicit zeros (C. Ashcraft and R.
// Grimes, "The influence of relaxed supernode partitions on the
// multifrontal method", ACM Trans. Math. Softw. 15(4), 1989). The last
// Border rows may be dense (every column reaches them): the fixed effects
// and the response of a mixed model. Finally it lists, for every
// supernode, the earlier supernodes whose columns update it.
//
// The numeric phase (Factor.Factorize) visits the supernodes in order; for
// supernode J it subtracts each update L_K[rows, :]·L_K[J's columns, :]ᵀ
// (a dense product, scattered into J by a map of J's rows), then factors
// J's diagonal block and divides the rows below it by the block's factor,
// both dense (E. G. Ng and B. W. Peyton, "Block sparse Cholesky algorithms
// on advanced uniprocessor computers", SIAM J. Sci. Comput. 14(5), 1993).
// The dense work runs on core/dense, so a factor that is nearly dense
// costs little more than a dense one. The order of every sum is fixed by
// the symbolic phase, so the factor does not depend on the number of
// workers.
//
// The selected inverse (Factor.SelectedInverse) gives the entries of
// (L·Lᵀ)⁻¹ on the pattern of L by the recurrences of K. Takahashi, J.
// Fagan and M.-S. Chin ("Formation of a sparse bus impedance matrix and
// its application to short circuit study", Proc. 8th PICA Conf., 1973;
// A. M. Erisman and W. F. Tinney, Comm. ACM 18(3), 1975), supernode by
// supernode from the last: what conditional variances of random effects
// need without forming the whole inverse.
package cholesky
