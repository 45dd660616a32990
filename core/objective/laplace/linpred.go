package laplace

// lambdaTimes sets b = Λ_θ·u: for each term, its k×k lower-triangular
// template (filled from θ by the engine's layout, lmm.ThetaLayout) times
// each level's k values.
func (m *Model) lambdaTimes(b, theta, u []float64) {
	for _, t := range m.terms {
		if t.k == 1 {
			lam := theta[t.tmpl[0].idx]
			for j, v := range u[t.uOff : t.uOff+t.nlevels] {
				b[t.uOff+j] = lam * v
			}
			continue
		}
		k := t.k
		for l := 0; l < t.nlevels; l++ {
			ul, bl := u[t.uOff+l*k:t.uOff+(l+1)*k], b[t.uOff+l*k:t.uOff+(l+1)*k]
			clear(bl)
			for _, e := range t.tmpl {
				bl[e.row] += theta[e.idx] * ul[e.col]
			}
		}
	}
}

// addZb adds Z·b to dst.
func (m *Model) addZb(dst, b []float64) {
	n := m.n
	for _, t := range m.terms {
		bt := b[t.uOff : t.uOff+t.nlevels*t.k]
		for c := 0; c < t.k; c++ {
			z := t.z[c*n : (c+1)*n]
			for i, code := range t.codes {
				dst[i] += z[i] * bt[int(code)*t.k+c]
			}
		}
	}
}

// addXb adds X·β to dst.
func (m *Model) addXb(dst, beta []float64) {
	n := m.n
	for j, bj := range beta {
		if bj == 0 {
			continue
		}
		for i, x := range m.x[j*n : (j+1)*n] {
			dst[i] += x * bj
		}
	}
}

// setFixed sets ws.fixed to the part of η outside the factor: the offset,
// plus Xβ when β is held fixed.
func (m *Model) setFixed(s *modeState, beta []float64) {
	f := m.ws.fixed
	if m.resp.Offset != nil {
		copy(f, m.resp.Offset)
	} else {
		clear(f)
	}
	if !s.fast {
		m.addXb(f, beta)
	}
}

// fixedPart sets dst = η at (β, u = 0): ws.fixed, plus Xβ for the fast
// fit.
func (m *Model) fixedPart(dst []float64, s *modeState, beta []float64) {
	copy(dst, m.ws.fixed)
	if s.fast {
		m.addXb(dst, beta)
	}
}

// linpred sets dst = η at (β, u): the fixed part plus ZΛu; b receives Λu.
func (m *Model) linpred(dst []float64, s *modeState, theta, beta, u, b []float64) {
	m.fixedPart(dst, s, beta)
	m.lambdaTimes(b, theta, u)
	m.addZb(dst, b)
}
