package cholesky

// eliminationTree returns the parent of each of the n0 non-border columns
// in the elimination tree of the star form (−1 for a root), by Liu's
// algorithm with path compression: row k's entries j < k hang the root of
// j's current subtree under k.
func eliminationTree(s *stars) []int32 {
	n0 := s.n0
	parent := make([]int32, n0)
	ancestor := make([]int32, n0)
	for k := 0; k < n0; k++ {
		parent[k], ancestor[k] = -1, -1
		for _, j := range s.row(k) {
			for j != -1 && int(j) < k {
				next := ancestor[j]
				ancestor[j] = int32(k)
				if next == -1 {
					parent[j] = int32(k)
				}
				j = next
			}
		}
	}
	return parent
}

// postorder returns a postorder of the forest (post[k] = the node placed
// k-th), children visited in increasing order, so that a chain of
// consecutive nodes (a level of a vector-valued term) stays consecutive.
func postorder(parent []int32) []int32 {
	n := len(parent)
	head := make([]int32, n)
	next := make([]int32, n)
	for i := range head {
		head[i] = -1
	}
	// push children in decreasing order so the lists come out increasing
	for j := n - 1; j >= 0; j-- {
		if p := parent[j]; p >= 0 {
			next[j] = head[p]
			head[p] = int32(j)
		}
	}
	post := make([]int32, 0, n)
	stack := make([]int32, 0, 64)
	for root := 0; root < n; root++ {
		if parent[root] != -1 {
			continue
		}
		stack = append(stack, int32(root))
		for len(stack) > 0 {
			top := stack[len(stack)-1]
			if c := head[top]; c >= 0 {
				head[top] = next[c]
				stack = append(stack, c)
				continue
			}
			stack = stack[:len(stack)-1]
			post = append(post, top)
		}
	}
	return post
}

// columnCounts returns the number of nonzeros of each non-border column of
// L below and on the diagonal, border rows excluded, by walking each row's
// subtree (its entries' paths up the tree to the row); it stops and
// reports false as soon as the total passes limit (0: no limit).
func columnCounts(s *stars, parent []int32, limit int64) ([]int32, int64, bool) {
	n0 := s.n0
	count := make([]int32, n0)
	stamp := make([]int32, n0)
	for i := range stamp {
		stamp[i] = -1
	}
	total := int64(n0)
	for k := 0; k < n0; k++ {
		count[k]++
		stamp[k] = int32(k)
		for _, j := range s.row(k) {
			for stamp[j] != int32(k) {
				stamp[j] = int32(k)
				count[j]++
				total++
				j = parent[j]
			}
		}
		if limit > 0 && total > limit {
			return nil, total, false
		}
	}
	return count, total, true
}
