package amd

import (
	"math"

	"github.com/glmmgo/glmmgo/core/errs"
)

// Graph is the pattern of a symmetric matrix with N rows and columns: the
// neighbours of vertex i are Adj[Ptr[i]:Ptr[i+1]]. Each edge may be listed
// from one end or both; self loops and repeated edges are ignored.
type Graph struct {
	N      int
	Ptr    []int
	Adj    []int32
	Weight []int32 // rows each vertex stands for (nil: 1 each)
}

// Options control Order. The zero value gives the defaults.
type Options struct {
	// Dense sets aside as dense the vertices with more than
	// max(16, Dense·√N) neighbours, ordered last (default 10, AMD's; a
	// negative value sets nothing aside).
	Dense float64
	// First lists vertices to eliminate before all others, in this order;
	// no two of them may be joined (an independent set, like the levels of
	// one grouping factor). Their elimination turns them into elements,
	// the cliques of their neighbours, without forming those cliques'
	// edges: a matrix's Schur complement is ordered from the pattern of the
	// block eliminated, at the cost of that pattern.
	First []int32
}

// Order returns a fill-reducing elimination order of the graph's vertices:
// perm[k] is the vertex eliminated k-th.
func Order(g Graph, opt Options) ([]int32, error) {
	if err := check(g); err != nil {
		return nil, err
	}
	if g.N == 0 {
		return []int32{}, nil
	}
	if err := checkFirst(g, opt.First); err != nil {
		return nil, err
	}
	s := newState(g, opt)
	s.eliminateFirst(opt.First)
	for s.eliminated < s.live {
		s.eliminate(s.pivot())
	}
	return s.finish(), nil
}

// checkFirst validates Options.First: distinct vertices, no two joined.
func checkFirst(g Graph, first []int32) error {
	if len(first) == 0 {
		return nil
	}
	in := make([]bool, g.N)
	for k, v := range first {
		if v < 0 || int(v) >= g.N || in[v] {
			return errs.Invalidf("first", "entry %d is %d: not a vertex, or repeated", k, v)
		}
		in[v] = true
	}
	for _, v := range first {
		for _, j := range g.Adj[g.Ptr[v]:g.Ptr[v+1]] {
			if in[j] && j != v {
				return errs.Invalidf("first", "vertices %d and %d are joined; the vertices eliminated first must be independent", v, j)
			}
		}
	}
	return nil
}

// check validates the graph.
func check(g Graph) error {
	if g.N < 0 || g.N > math.MaxInt32 {
		return errs.Invalidf("n", "%d vertices", g.N)
	}
	if len(g.Ptr) != g.N+1 || g.Ptr[0] != 0 || g.Ptr[g.N] != len(g.Adj) {
		return errs.Invalidf("ptr", "length %d and ends %v do not describe %d vertices and %d edges", len(g.Ptr), g.Ptr[:min(1, len(g.Ptr))], g.N, len(g.Adj))
	}
	for i := 0; i < g.N; i++ {
		if g.Ptr[i+1] < g.Ptr[i] {
			return errs.Invalidf("ptr", "decreases at vertex %d", i)
		}
	}
	for k, j := range g.Adj {
		if j < 0 || int(j) >= g.N {
			return errs.Invalidf("adj", "entry %d is %d, outside 0..%d", k, j, g.N-1)
		}
	}
	if g.Weight != nil {
		if len(g.Weight) != g.N {
			return errs.Invalidf("weight", "length %d, want %d", len(g.Weight), g.N)
		}
		total := 0
		for i, w := range g.Weight {
			if w < 1 {
				return errs.Invalidf("weight", "vertex %d has weight %d", i, w)
			}
			total += int(w)
		}
		if total > math.MaxInt32 {
			return errs.Invalidf("weight", "the weights sum to %d", total)
		}
	}
	return nil
}

// The kinds of node in the quotient graph.
const (
	variable = iota // a principal variable, not yet eliminated
	element         // an eliminated variable, standing for the clique of its pattern
	absorbed        // an element absorbed into another, or a variable merged or eliminated with one
	dense           // a dense variable, set aside
)

// state is the quotient graph and the bookkeeping of the elimination.
type state struct {
	n    int
	kind []uint8
	nv   []int32   // weight of a principal variable (rows), 0 once merged
	deg  []int32   // approximate external degree of a variable (rows)
	adj  [][]int32 // A_i: variables still joined to i by an original edge
	elem [][]int32 // E_i: elements joined to variable i
	pat  [][]int32 // L_e: the variables of element e
	size []int32   // weighted |L_e| of element e

	w    []int // w[e] − wflg = |L_e \ L_p| while p is eliminated
	wflg int

	mark  []int32 // mark[i] == stamp: i is in the current L_p
	stamp int32

	lists degreeLists

	chainNext []int32 // variables merged into a principal, then those eliminated with it
	chainLast []int32
	hashOf    []int
	hashHead  []int32
	hashNext  []int32

	order      []int32
	live       int // weight of the variables to eliminate (dense ones excluded)
	eliminated int // weight eliminated so far
}

func newState(g Graph, opt Options) *state {
	n := g.N
	s := &state{n: n, kind: make([]uint8, n), nv: make([]int32, n), deg: make([]int32, n),
		adj: make([][]int32, n), elem: make([][]int32, n), pat: make([][]int32, n), size: make([]int32, n),
		w: make([]int, n), wflg: 1, mark: make([]int32, n), chainNext: make([]int32, n), chainLast: make([]int32, n),
		hashOf: make([]int, n), hashHead: make([]int32, n), hashNext: make([]int32, n), order: make([]int32, 0, n)}
	for i := range s.nv {
		s.nv[i] = 1
		if g.Weight != nil {
			s.nv[i] = g.Weight[i]
		}
		s.chainNext[i], s.chainLast[i], s.hashHead[i] = -1, int32(i), -1
	}
	s.buildAdjacency(g)
	s.setAsideDense(opt)
	for _, v := range opt.First {
		s.kind[v] = variable // never set aside: eliminated first
	}
	total := 0
	for i := 0; i < n; i++ {
		if s.kind[i] == variable {
			total += int(s.nv[i])
		}
	}
	s.live = total
	s.lists = newDegreeLists(n, total)
	for i := 0; i < n; i++ {
		if s.kind[i] == variable {
			s.deg[i] = s.initialDegree(i)
			s.lists.insert(int32(i), s.deg[i])
		}
	}
	return s
}

// buildAdjacency sets A_i to the neighbours of i listed from either end,
// without self loops or repeats.
func (s *state) buildAdjacency(g Graph) {
	n := s.n
	cnt := make([]int, n+1)
	for i := 0; i < n; i++ {
		for _, j := range g.Adj[g.Ptr[i]:g.Ptr[i+1]] {
			if int(j) != i {
				cnt[i+1]++
				cnt[j+1]++
			}
		}
	}
	for i := 0; i < n; i++ {
		cnt[i+1] += cnt[i]
	}
	all := make([]int32, cnt[n])
	next := make([]int, n)
	copy(next, cnt[:n])
	for i := 0; i < n; i++ {
		for _, j := range g.Adj[g.Ptr[i]:g.Ptr[i+1]] {
			if int(j) != i {
				all[next[i]] = j
				next[i]++
				all[next[j]] = int32(i)
				next[j]++
			}
		}
	}
	for i := 0; i < n; i++ {
		s.stamp++
		s.mark[i] = s.stamp
		list := all[cnt[i]:cnt[i]:cnt[i+1]]
		for _, j := range all[cnt[i]:cnt[i+1]] {
			if s.mark[j] != s.stamp {
				s.mark[j] = s.stamp
				list = append(list, j)
			}
		}
		s.adj[i] = list
	}
}

// setAsideDense marks as dense the vertices with more than
// max(16, Dense·√n) neighbours.
func (s *state) setAsideDense(opt Options) {
	alpha := opt.Dense
	if alpha == 0 {
		alpha = 10
	}
	if alpha < 0 {
		return
	}
	limit := max(16, int(alpha*math.Sqrt(float64(s.n))))
	for i := 0; i < s.n; i++ {
		if len(s.adj[i]) > limit {
			s.kind[i] = dense
		}
	}
}

// initialDegree is the weight of i's neighbours that are not dense.
func (s *state) initialDegree(i int) int32 {
	d := int32(0)
	for _, j := range s.adj[i] {
		if s.kind[j] == variable {
			d += s.nv[j]
		}
	}
	return d
}

// pivot removes and returns a variable of least approximate degree.
func (s *state) pivot() int32 {
	p := s.lists.popMin()
	return p
}

// finish appends the dense variables and returns the order.
func (s *state) finish() []int32 {
	for i := 0; i < s.n; i++ {
		if s.kind[i] == dense {
			s.order = append(s.order, int32(i))
		}
	}
	return s.order
}

// emit appends principal i and the variables merged into it to the order.
func (s *state) emit(i int32) {
	for v := i; v >= 0; v = s.chainNext[v] {
		s.order = append(s.order, v)
	}
}

// join appends j's chain to i's (j merged into, or eliminated with, i).
func (s *state) join(i, j int32) {
	s.chainNext[s.chainLast[i]] = j
	s.chainLast[i] = s.chainLast[j]
}

// eliminateFirst eliminates the independent vertices first all at once:
// none is a neighbour of another, so eliminating one leaves the others'
// neighbourhoods as they were, and the degrees of the remaining variables
// can be set once, after all, and exactly: the weight of the union of
// their elements' patterns and their neighbours.
func (s *state) eliminateFirst(first []int32) {
	for _, p := range first {
		s.lists.remove(p, s.deg[p])
		s.eliminated += int(s.nv[p])
		s.stamp++
		s.mark[p] = s.stamp
		var lp []int32
		size := int32(0)
		for _, i := range s.adj[p] {
			if s.kind[i] == variable && s.mark[i] != s.stamp {
				s.mark[i] = s.stamp
				lp = append(lp, i)
				size += s.nv[i]
				s.elem[i] = append(s.elem[i], p)
			}
		}
		s.adj[p] = nil
		s.kind[p] = element
		s.pat[p], s.size[p] = lp, size
		s.emit(p)
		if len(lp) == 0 {
			s.kind[p] = absorbed
		}
	}
	if len(first) == 0 {
		return
	}
	for i := 0; i < s.n; i++ {
		if s.kind[i] != variable || len(s.elem[i]) == 0 {
			continue
		}
		s.lists.remove(int32(i), s.deg[i])
		s.deg[i] = s.exactDegree(int32(i))
		s.lists.insert(int32(i), s.deg[i])
	}
}

// exactDegree is the weight of variable i's neighbours: the variables of
// its elements and its own, i excepted.
func (s *state) exactDegree(i int32) int32 {
	s.stamp++
	s.mark[i] = s.stamp
	d := int32(0)
	add := func(j int32) {
		if s.kind[j] == variable && s.mark[j] != s.stamp {
			s.mark[j] = s.stamp
			d += s.nv[j]
		}
	}
	for _, e := range s.elem[i] {
		for _, j := range s.pat[e] {
			add(j)
		}
	}
	for _, j := range s.adj[i] {
		add(j)
	}
	return d
}
