// Package amd orders the rows and columns of a sparse symmetric matrix to
// reduce the fill of its Cholesky factor, by the approximate minimum degree
// algorithm of P. R. Amestoy, T. A. Davis and I. S. Duff ("An approximate
// minimum degree ordering algorithm", SIAM J. Matrix Anal. Appl. 17(4),
// 886–905, 1996; "Algorithm 837: AMD", ACM Trans. Math. Softw. 30(3),
// 381–388, 2004).
//
// Eliminating a variable of a symmetric matrix joins its neighbours into a
// clique; minimum degree eliminates, at each step, a variable with the
// fewest neighbours. Working on the graph itself would cost as much as the
// fill it predicts, so the algorithm works on the quotient graph (George
// and Liu): each eliminated variable becomes an element, the clique of its
// neighbours stored as a list, and each remaining variable i keeps the
// elements E_i it touches and the variables A_i it is still joined to by
// an original edge. Its neighbours are A_i ∪ ⋃_{e∈E_i} L_e, whose exact
// size is expensive; the approximate degree
//
//	d_i = min(n − k, d_i + |L_p \ i|, |A_i \ i| + |L_p \ i| + Σ_{e∈E_i\p} |L_e \ L_p|)
//
// after the elimination of p (k variables eliminated so far) is an upper
// bound that costs no more than scanning the lists once, because every
// |L_e \ L_p| is found in one pass over the variables of L_p. Three devices
// keep the graph small: element absorption (the elements of p, and any
// element whose pattern lies inside L_p, are absorbed into p),
// indistinguishable variables (those with the same elements and
// neighbours) merged into one supervariable with a weight, and mass
// elimination (a variable of L_p touching nothing else is eliminated with
// p). Variables with very many neighbours (dense rows) are set aside and
// ordered last, where they do the least harm.
//
// A vertex may stand for several rows (Graph.Weight): a level of a
// random-effects term with k columns is k rows with one pattern. Degrees
// then count rows, and the ordering is of the vertices.
package amd
