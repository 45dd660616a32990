package amd

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// edges builds a Graph from an edge list (each edge listed once).
func edges(n int, e [][2]int) Graph {
	ptr := make([]int, n+1)
	for _, ed := range e {
		ptr[ed[0]+1]++
	}
	for i := 0; i < n; i++ {
		ptr[i+1] += ptr[i]
	}
	adj := make([]int32, len(e))
	next := slices.Clone(ptr[:n])
	for _, ed := range e {
		adj[next[ed[0]]] = int32(ed[1])
		next[ed[0]]++
	}
	return Graph{N: n, Ptr: ptr, Adj: adj}
}

// fill plays the elimination game on the graph in the order perm and
// returns nnz(L) counted in rows (weights), diagonal included: eliminating
// a vertex joins its remaining neighbours into a clique.
func fill(g Graph, perm []int32) int {
	n := g.N
	nb := make([]map[int]bool, n)
	for i := range nb {
		nb[i] = map[int]bool{}
	}
	for i := 0; i < n; i++ {
		for _, j := range g.Adj[g.Ptr[i]:g.Ptr[i+1]] {
			if int(j) != i {
				nb[i][int(j)] = true
				nb[j][i] = true
			}
		}
	}
	w := func(i int) int {
		if g.Weight == nil {
			return 1
		}
		return int(g.Weight[i])
	}
	done := make([]bool, n)
	total := 0
	for _, p32 := range perm {
		p := int(p32)
		var rest []int
		for j := range nb[p] {
			if !done[j] {
				rest = append(rest, j)
			}
		}
		// the column block of p: its w(p) columns, each with the rows below
		below := 0
		for _, j := range rest {
			below += w(j)
		}
		total += w(p)*(w(p)+1)/2 + w(p)*below
		for _, a := range rest {
			for _, b := range rest {
				if a != b {
					nb[a][b] = true
				}
			}
		}
		done[p] = true
	}
	return total
}

// exactMinimumDegree orders by the exact minimum degree (ties to the
// lowest index), by playing the elimination game: the oracle AMD
// approximates.
func exactMinimumDegree(g Graph) []int32 {
	n := g.N
	nb := make([]map[int]bool, n)
	for i := range nb {
		nb[i] = map[int]bool{}
	}
	for i := 0; i < n; i++ {
		for _, j := range g.Adj[g.Ptr[i]:g.Ptr[i+1]] {
			if int(j) != i {
				nb[i][int(j)] = true
				nb[j][i] = true
			}
		}
	}
	done := make([]bool, n)
	var perm []int32
	for len(perm) < n {
		best, bd := -1, n+1
		for i := 0; i < n; i++ {
			if !done[i] && len(nb[i]) < bd {
				best, bd = i, len(nb[i])
			}
		}
		rest := []int{}
		for j := range nb[best] {
			rest = append(rest, j)
		}
		for _, a := range rest {
			delete(nb[a], best)
			for _, b := range rest {
				if a != b {
					nb[a][b] = true
				}
			}
		}
		done[best] = true
		perm = append(perm, int32(best))
	}
	return perm
}

func natural(n int) []int32 {
	p := make([]int32, n)
	for i := range p {
		p[i] = int32(i)
	}
	return p
}

func isPermutation(p []int32, n int) bool {
	if len(p) != n {
		return false
	}
	seen := make([]bool, n)
	for _, v := range p {
		if v < 0 || int(v) >= n || seen[v] {
			return false
		}
		seen[v] = true
	}
	return true
}

func grid(k int) Graph {
	var e [][2]int
	for r := 0; r < k; r++ {
		for c := 0; c < k; c++ {
			v := r*k + c
			if c+1 < k {
				e = append(e, [2]int{v, v + 1})
			}
			if r+1 < k {
				e = append(e, [2]int{v, v + k})
			}
		}
	}
	return edges(k*k, e)
}

func randomGraph(n int, deg float64, seed uint64) Graph {
	r := rand.New(rand.NewPCG(seed, 3))
	var e [][2]int
	m := int(deg * float64(n) / 2)
	for len(e) < m {
		a, b := r.IntN(n), r.IntN(n)
		if a != b {
			e = append(e, [2]int{a, b})
		}
	}
	return edges(n, e)
}

// clusters is a locally crossed pattern: nc clusters of size cs, each a
// random sparse graph inside, plus a few edges to a shared hub vertex per
// cluster (like teachers of one school and the school).
func clusters(nc, cs int, seed uint64) Graph {
	r := rand.New(rand.NewPCG(seed, 5))
	n := nc * (cs + 1)
	var e [][2]int
	for c := 0; c < nc; c++ {
		base := c * (cs + 1)
		hub := base + cs
		for k := 0; k < 3*cs; k++ {
			a, b := base+r.IntN(cs), base+r.IntN(cs)
			if a != b {
				e = append(e, [2]int{a, b})
			}
		}
		for i := 0; i < cs; i++ {
			e = append(e, [2]int{base + i, hub})
		}
	}
	// shuffle the vertex numbers so that the natural order is no help
	perm := r.Perm(n)
	for i := range e {
		e[i] = [2]int{perm[e[i][0]], perm[e[i][1]]}
	}
	return edges(n, e)
}

func TestOrderIsPermutation(t *testing.T) {
	for name, g := range map[string]Graph{
		"empty":    {N: 0, Ptr: []int{0}},
		"single":   {N: 1, Ptr: []int{0, 0}},
		"isolated": {N: 5, Ptr: make([]int, 6)},
		"grid":     grid(12),
		"random":   randomGraph(300, 6, 1),
		"dense":    randomGraph(60, 40, 2),
		"clusters": clusters(20, 15, 3),
	} {
		p, err := Order(g, Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !isPermutation(p, g.N) {
			t.Fatalf("%s: %v is not a permutation of 0..%d", name, p, g.N-1)
		}
	}
}

// TestOrderFill: on graphs with a known best order AMD finds it, and on
// others its fill is close to the exact minimum degree's and far below
// the natural order's.
func TestOrderFill(t *testing.T) {
	// a path numbered from the middle out and a star with its hub first:
	// both can be eliminated with no fill at all.
	var path, star [][2]int
	for i := 0; i < 49; i++ {
		path = append(path, [2]int{(i * 7) % 50, ((i + 1) * 7) % 50})
		star = append(star, [2]int{0, i + 1})
	}
	for name, g := range map[string]Graph{"path": edges(50, path), "star": edges(50, star)} {
		p, _ := Order(g, Options{Dense: -1})
		if f, want := fill(g, p), g.N+len(g.Adj); f != want {
			t.Errorf("%s: nnz(L) %d, want %d (no fill)", name, f, want)
		}
	}
	for _, tc := range []struct {
		name  string
		g     Graph
		ratio float64 // AMD's fill at most ratio × exact minimum degree's
	}{
		{"grid", grid(15), 1.2},
		{"random", randomGraph(200, 4, 7), 1.2},
		{"clusters", clusters(15, 12, 8), 1.1},
	} {
		p, err := Order(tc.g, Options{})
		if err != nil {
			t.Fatal(err)
		}
		got := fill(tc.g, p)
		md := fill(tc.g, exactMinimumDegree(tc.g))
		nat := fill(tc.g, natural(tc.g.N))
		t.Logf("%s: nnz(L) AMD %d, exact minimum degree %d, natural %d", tc.name, got, md, nat)
		if float64(got) > tc.ratio*float64(md) {
			t.Errorf("%s: AMD fill %d exceeds %.1f × minimum degree's %d", tc.name, got, tc.ratio, md)
		}
		if got >= nat {
			t.Errorf("%s: AMD fill %d not below the natural order's %d", tc.name, got, nat)
		}
	}
}

// TestOrderWeights: weights count rows, so a heavy vertex is eliminated
// after light ones of the same pattern, and the fill counted in rows is
// no worse than ignoring the weights.
func TestOrderWeights(t *testing.T) {
	g := clusters(10, 10, 11)
	r := rand.New(rand.NewPCG(4, 4))
	g.Weight = make([]int32, g.N)
	for i := range g.Weight {
		g.Weight[i] = int32(1 + r.IntN(3))
	}
	p, err := Order(g, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !isPermutation(p, g.N) {
		t.Fatal("not a permutation")
	}
	unweighted := Graph{N: g.N, Ptr: g.Ptr, Adj: g.Adj}
	pu, _ := Order(unweighted, Options{})
	fw, fu := fill(g, p), fill(g, pu)
	t.Logf("nnz(L) in rows: weighted order %d, unweighted order %d", fw, fu)
	if float64(fw) > 1.05*float64(fu) {
		t.Errorf("the weighted order fills %d rows, more than the unweighted order's %d", fw, fu)
	}
}

// TestOrderDenseLast: a vertex joined to every other is set aside and
// ordered last.
func TestOrderDenseLast(t *testing.T) {
	n := 400
	var e [][2]int
	for i := 1; i < n; i++ {
		e = append(e, [2]int{0, i})
		if i+1 < n {
			e = append(e, [2]int{i, i + 1})
		}
	}
	p, err := Order(edges(n, e), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p[n-1] != 0 {
		t.Errorf("the dense vertex is at %d, want last", slices.Index(p, 0))
	}
}

func TestOrderDeterministic(t *testing.T) {
	g := randomGraph(500, 8, 9)
	a, _ := Order(g, Options{})
	b, _ := Order(g, Options{})
	if !slices.Equal(a, b) {
		t.Fatal("two runs give different orders")
	}
}

func TestOrderRejects(t *testing.T) {
	for name, g := range map[string]Graph{
		"ptr length":    {N: 2, Ptr: []int{0, 0}},
		"ptr decreases": {N: 2, Ptr: []int{0, 1, 0}, Adj: []int32{1}},
		"adj range":     {N: 2, Ptr: []int{0, 1, 1}, Adj: []int32{2}},
		"weight":        {N: 2, Ptr: []int{0, 0, 0}, Weight: []int32{1, 0}},
		"negative n":    {N: -1, Ptr: []int{0}},
	} {
		if _, err := Order(g, Options{}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestOrderFirst: eliminating an independent set first and ordering the
// rest from the elements it leaves gives the fill of ordering the Schur
// complement's explicit graph, within a few percent, and the set comes
// first in the order.
func TestOrderFirst(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 3))
	n1, n2 := 300, 120 // vertices 0..n1−1 independent, joined to 3–8 of the others
	var bip, schur [][2]int
	for a := 0; a < n1; a++ {
		k := 3 + r.IntN(6)
		nb := make([]int, k)
		for i := range nb {
			nb[i] = n1 + r.IntN(n2)
			bip = append(bip, [2]int{a, nb[i]})
		}
		for i := range nb {
			for j := i + 1; j < len(nb); j++ {
				if nb[i] != nb[j] {
					schur = append(schur, [2]int{nb[i] - n1, nb[j] - n1})
				}
			}
		}
	}
	first := make([]int32, n1)
	for i := range first {
		first[i] = int32(i)
	}
	p, err := Order(edges(n1+n2, bip), Options{First: first})
	if err != nil {
		t.Fatal(err)
	}
	if !isPermutation(p, n1+n2) || !slices.Equal(p[:n1], first) {
		t.Fatalf("the first vertices are not first: %v", p[:10])
	}
	rest := make([]int32, n2)
	for i, v := range p[n1:] {
		rest[i] = v - int32(n1)
	}
	sg := edges(n2, schur)
	direct, _ := Order(sg, Options{})
	fr, fd := fill(sg, rest), fill(sg, direct)
	t.Logf("Schur complement fill: from the elements %d, from its graph %d, natural %d", fr, fd, fill(sg, natural(n2)))
	if float64(fr) > 1.1*float64(fd) {
		t.Errorf("ordering from the elements fills %d, from the graph %d", fr, fd)
	}
	if _, err := Order(edges(3, [][2]int{{0, 1}}), Options{First: []int32{0, 1}}); err == nil {
		t.Error("joined first vertices accepted")
	}
}
