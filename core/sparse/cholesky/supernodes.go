package cholesky

// Relaxed amalgamation (Ashcraft and Grimes 1989): a supernode is merged
// with its parent when the merged block has at most relaxCols[0] columns,
// or at most relaxCols[i] columns and a share of explicit zeros below
// relaxZeros[i−1], or any size and a share below relaxZeros[2]. The
// thresholds are those of CHOLMOD's defaults (T. A. Davis, CHOLMOD user
// guide, 2006–2023).
var (
	relaxCols  = [3]int{4, 16, 48}
	relaxZeros = [3]float64{0.8, 0.1, 0.05}
)

// supernode is a run of consecutive columns [first, first+ncols) whose
// dense block holds nrows rows (its own columns first), with the count of
// entries it stores in its lower trapezoid that are structurally zero.
type supernode struct {
	first, ncols, nrows int
	nnz                 int64 // structural nonzeros of its columns
	parent              int   // supernode of the parent of its last column, −1 for a root
}

// fundamentalSupernodes groups the non-border columns into fundamental
// supernodes: column j+1 joins j's when it is j's parent, its only child,
// and has one nonzero fewer. border is added to every column's rows.
func fundamentalSupernodes(parent, count []int32, border int) []supernode {
	n0 := len(parent)
	children := make([]int32, n0)
	for _, p := range parent {
		if p >= 0 {
			children[p]++
		}
	}
	var sn []supernode
	for j := 0; j < n0; j++ {
		if j > 0 && parent[j-1] == int32(j) && children[j] == 1 && count[j-1] == count[j]+1 {
			s := &sn[len(sn)-1]
			s.ncols++
			s.nnz += int64(count[j]) + int64(border)
			continue
		}
		sn = append(sn, supernode{first: j, ncols: 1, nrows: int(count[j]) + border, nnz: int64(count[j]) + int64(border)})
	}
	colSuper := make([]int32, n0)
	for s := range sn {
		for c := sn[s].first; c < sn[s].first+sn[s].ncols; c++ {
			colSuper[c] = int32(s)
		}
	}
	for s := range sn {
		last := sn[s].first + sn[s].ncols - 1
		sn[s].parent = -1
		if p := parent[last]; p >= 0 {
			sn[s].parent = int(colSuper[p])
		}
	}
	return sn
}

// trapezoid is the number of entries a block of ncols columns and nrows
// rows stores on and below its diagonal.
func trapezoid(ncols, nrows int) int64 {
	return int64(ncols)*int64(nrows) - int64(ncols)*int64(ncols-1)/2
}

// relax merges each supernode into its parent when it is the parent's last
// child (its columns end where the parent's begin) and the relaxation rule
// allows, children first, and returns the merged partition.
func relax(sn []supernode) []supernode {
	ns := len(sn)
	into := make([]int, ns) // the supernode s was merged into (itself if none)
	for s := range into {
		into[s] = s
	}
	find := func(s int) int {
		for into[s] != s {
			into[s] = into[into[s]]
			s = into[s]
		}
		return s
	}
	for s := 0; s < ns; s++ {
		if into[s] != s || sn[s].parent < 0 {
			continue
		}
		c, p := &sn[s], &sn[find(sn[s].parent)]
		if c.first+c.ncols != p.first {
			continue
		}
		ncols, nrows := c.ncols+p.ncols, p.nrows+c.ncols
		nnz := c.nnz + p.nnz
		if !relaxOK(ncols, trapezoid(ncols, nrows), nnz) {
			continue
		}
		p.first, p.ncols, p.nrows, p.nnz = c.first, ncols, nrows, nnz
		into[s] = find(sn[s].parent)
	}
	var out []supernode
	newIndex := make([]int, ns)
	for s := 0; s < ns; s++ {
		if into[s] == s {
			newIndex[s] = len(out)
			out = append(out, sn[s])
		}
	}
	for i := range out {
		if out[i].parent >= 0 {
			out[i].parent = newIndex[find(out[i].parent)]
		}
	}
	return out
}

// relaxOK applies the relaxation rule to a merged block.
func relaxOK(ncols int, stored, nnz int64) bool {
	zeros := float64(stored-nnz) / float64(stored)
	switch {
	case stored == nnz || ncols <= relaxCols[0]:
		return true
	case ncols <= relaxCols[1]:
		return zeros < relaxZeros[0]
	case ncols <= relaxCols[2]:
		return zeros < relaxZeros[1]
	}
	return zeros < relaxZeros[2]
}
