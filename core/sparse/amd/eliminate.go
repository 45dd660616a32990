package amd

// eliminate eliminates the principal variable p: its elements and its
// remaining neighbours form the new element's pattern L_p, the degrees of
// the variables of L_p are updated, and indistinguishable ones merged.
func (s *state) eliminate(p int32) {
	s.eliminated += int(s.nv[p])
	lp := s.formPattern(p)
	s.emit(p)
	s.setExternalSizes(lp)
	lp = s.updateDegrees(p, lp)
	lp = s.mergeIndistinguishable(lp)
	s.finishElement(p, lp)
}

// formPattern builds L_p from p's elements (absorbing them into p) and
// p's neighbours, marks its variables and takes them off the degree lists.
func (s *state) formPattern(p int32) []int32 {
	s.stamp++
	s.mark[p] = s.stamp
	var lp []int32
	add := func(i int32) {
		if s.kind[i] != variable || s.nv[i] == 0 || s.mark[i] == s.stamp {
			return
		}
		s.mark[i] = s.stamp
		lp = append(lp, i)
		s.lists.remove(i, s.deg[i])
	}
	for _, e := range s.elem[p] {
		if s.kind[e] != element {
			continue
		}
		for _, i := range s.pat[e] {
			add(i)
		}
		s.kind[e] = absorbed
		s.pat[e] = nil
	}
	for _, i := range s.adj[p] {
		add(i)
	}
	s.adj[p], s.elem[p] = nil, nil
	s.kind[p] = element
	return lp
}

// setExternalSizes sets w[e] − wflg = |L_e \ L_p| (weighted) for every
// element e joined to a variable of L_p, in one pass over L_p.
func (s *state) setExternalSizes(lp []int32) {
	if s.wflg > 1<<60 {
		clear(s.w)
		s.wflg = 1
	}
	for _, i := range lp {
		for _, e := range s.elem[i] {
			if s.kind[e] != element {
				continue
			}
			if s.w[e] < s.wflg {
				s.w[e] = s.wflg + int(s.size[e])
			}
			s.w[e] -= int(s.nv[i])
		}
	}
}

// updateDegrees prunes the lists of each variable of L_p, absorbs the
// elements whose pattern lies inside L_p (aggressive absorption),
// eliminates with p the variables joined to nothing else (mass
// elimination), and sets each remaining variable's degree to its bound
// outside L_p. It returns L_p without the mass-eliminated variables.
func (s *state) updateDegrees(p int32, lp []int32) []int32 {
	kept := lp[:0]
	for _, i := range lp {
		hash := int(p)
		degE := int32(0)
		es := s.elem[i][:0]
		for _, e := range s.elem[i] {
			if s.kind[e] != element {
				continue
			}
			switch we := s.w[e] - s.wflg; {
			case we > 0:
				degE += int32(we)
				es = append(es, e)
				hash += int(e)
			case we == 0:
				s.kind[e] = absorbed
				s.pat[e] = nil
			}
		}
		s.elem[i] = append(es, p)
		degA := int32(0)
		as := s.adj[i][:0]
		for _, j := range s.adj[i] {
			if s.kind[j] != variable || s.nv[j] == 0 || s.mark[j] == s.stamp {
				continue
			}
			as = append(as, j)
			degA += s.nv[j]
			hash += int(j)
		}
		s.adj[i] = as
		if len(es) == 0 && len(as) == 0 {
			s.massEliminate(p, i)
			continue
		}
		s.deg[i] = min(s.deg[i], degA+degE)
		s.hashOf[i] = hash
		kept = append(kept, i)
	}
	return kept
}

// massEliminate eliminates i together with p.
func (s *state) massEliminate(p, i int32) {
	s.eliminated += int(s.nv[i])
	s.emit(i)
	s.kind[i] = absorbed
	s.nv[i] = 0
	s.adj[i], s.elem[i] = nil, nil
}

// mergeIndistinguishable merges the variables of L_p with the same
// elements and neighbours into supervariables (found by a hash of their
// lists, confirmed by comparing them) and returns L_p without the merged
// ones.
func (s *state) mergeIndistinguishable(lp []int32) []int32 {
	n := s.n
	for _, i := range lp {
		h := s.hashOf[i] % n
		s.hashNext[i] = s.hashHead[h]
		s.hashHead[h] = i
	}
	for _, i := range lp {
		h := s.hashOf[i] % n
		if s.hashHead[h] < 0 {
			continue
		}
		for a := s.hashHead[h]; a >= 0; a = s.hashNext[a] {
			if s.nv[a] == 0 {
				continue
			}
			for b := s.hashNext[a]; b >= 0; b = s.hashNext[b] {
				if s.nv[b] != 0 && s.hashOf[a] == s.hashOf[b] && s.sameLists(a, b) {
					s.merge(a, b)
				}
			}
		}
		s.hashHead[h] = -1
	}
	kept := lp[:0]
	for _, i := range lp {
		if s.nv[i] != 0 {
			kept = append(kept, i)
		}
	}
	return kept
}

// sameLists reports whether variables a and b have the same elements and
// the same neighbours.
func (s *state) sameLists(a, b int32) bool {
	if len(s.elem[a]) != len(s.elem[b]) || len(s.adj[a]) != len(s.adj[b]) {
		return false
	}
	s.stamp++
	for _, e := range s.elem[a] {
		s.mark[e] = s.stamp
	}
	for _, j := range s.adj[a] {
		s.mark[j] = s.stamp
	}
	for _, e := range s.elem[b] {
		if s.mark[e] != s.stamp {
			return false
		}
	}
	for _, j := range s.adj[b] {
		if s.mark[j] != s.stamp {
			return false
		}
	}
	return true
}

// merge makes b part of the supervariable a.
func (s *state) merge(a, b int32) {
	s.nv[a] += s.nv[b]
	s.nv[b] = 0
	s.kind[b] = absorbed
	s.deg[a] = min(s.deg[a], s.deg[b])
	s.adj[b], s.elem[b] = nil, nil
	s.join(a, b)
}

// finishElement stores L_p as element p's pattern and puts its variables
// back on the degree lists with their new degrees.
func (s *state) finishElement(p int32, lp []int32) {
	size := int32(0)
	for _, i := range lp {
		size += s.nv[i]
	}
	remaining := int32(s.live - s.eliminated)
	for _, i := range lp {
		d := min(s.deg[i]+size-s.nv[i], remaining-s.nv[i])
		s.deg[i] = d
		s.lists.insert(i, d)
	}
	s.size[p] = size
	if len(lp) == 0 {
		s.kind[p] = absorbed
		return
	}
	s.pat[p] = lp
	s.wflg += s.live + 1
}
