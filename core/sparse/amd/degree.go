package amd

// degreeLists holds the principal variables in doubly linked lists by
// approximate degree, so that a variable of least degree is found, and a
// variable moved, in constant time (amortised over the search for the
// least nonempty list).
type degreeLists struct {
	head       []int32 // first variable of each degree, −1 if none
	next, prev []int32
	min        int32 // no list below min is nonempty
}

func newDegreeLists(n, maxDeg int) degreeLists {
	l := degreeLists{head: make([]int32, maxDeg+1), next: make([]int32, n), prev: make([]int32, n)}
	for d := range l.head {
		l.head[d] = -1
	}
	return l
}

// insert puts i at the front of list d.
func (l *degreeLists) insert(i, d int32) {
	h := l.head[d]
	l.next[i], l.prev[i] = h, -1
	if h >= 0 {
		l.prev[h] = i
	}
	l.head[d] = i
	l.min = min(l.min, d)
}

// remove takes i off list d.
func (l *degreeLists) remove(i, d int32) {
	if l.prev[i] >= 0 {
		l.next[l.prev[i]] = l.next[i]
	} else {
		l.head[d] = l.next[i]
	}
	if l.next[i] >= 0 {
		l.prev[l.next[i]] = l.prev[i]
	}
}

// popMin removes and returns a variable of least degree; some list must
// be nonempty.
func (l *degreeLists) popMin() int32 {
	for l.head[l.min] < 0 {
		l.min++
	}
	i := l.head[l.min]
	l.remove(i, l.min)
	return i
}
