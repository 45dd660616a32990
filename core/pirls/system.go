package pirls

// linpred sets eta = o + Xβ + Z diag(a) s.
func (s *Solver) linpred(a, beta, sv, eta []float64) {
	pr := &s.pr
	if pr.Offset != nil {
		copy(eta, pr.Offset)
	} else {
		clear(eta)
	}
	for j, bj := range beta {
		col := pr.X[j*pr.N : (j+1)*pr.N]
		for i, x := range col {
			eta[i] += x * bj
		}
	}
	z := pr.Z
	for i := 0; i < pr.N; i++ {
		for k := z.RowPtr[i]; k < z.RowPtr[i+1]; k++ {
			j := z.Col[k]
			eta[i] += z.Val[k] * a[j] * sv[j]
		}
	}
}

// loglik returns Σ wᵢ ℓ(ηᵢ) and, if withDeriv, fills r = wℓ′ and w = w(−ℓ″).
func (s *Solver) loglik(eta []float64, withDeriv bool) float64 {
	var l float64
	for i, e := range eta {
		li, d1, cw := s.pr.LogLik(i, e)
		l += li
		if withDeriv {
			s.r[i], s.w[i] = d1, cw
		}
	}
	return l
}

// gradient sets gb = X′r and gs = AZ′r − s.
func (s *Solver) gradient(a, sv []float64) {
	pr := &s.pr
	n := pr.N
	for j := range s.gb {
		col := pr.X[j*n : (j+1)*n]
		var t float64
		for i, x := range col {
			t += x * s.r[i]
		}
		s.gb[j] = t
	}
	for j := range s.gs {
		s.gs[j] = -sv[j]
	}
	z := pr.Z
	for i := 0; i < n; i++ {
		for k := z.RowPtr[i]; k < z.RowPtr[i+1]; k++ {
			j := z.Col[k]
			s.gs[j] += a[j] * z.Val[k] * s.r[i]
		}
	}
}

// factor assembles the blocks of H from the current w — C = AZ′WZA + I and
// B = AZ′WX from the sparse rows of Z, and X′WX — and factors them (see
// dense.Bordered.Factor for ok and schur).
func (s *Solver) factor(a []float64) (ok, schur bool) {
	pr := &s.pr
	z := pr.Z
	q, p := pr.Q, pr.P
	c, b := s.sys.CRows(), s.sys.BRows()
	clear(c)
	for j := 0; j < q; j++ {
		c[j*q+j] = 1
	}
	clear(b)
	for i := 0; i < pr.N; i++ {
		wi := s.w[i]
		if wi == 0 {
			continue
		}
		lo, hi := z.RowPtr[i], z.RowPtr[i+1]
		for k1 := lo; k1 < hi; k1++ {
			j1 := z.Col[k1]
			v1 := z.Val[k1] * a[j1] * wi
			for k2 := k1; k2 < hi; k2++ { // columns increase along a row: j1 ≤ j2
				j2 := z.Col[k2]
				c[j1*q+j2] += v1 * z.Val[k2] * a[j2]
			}
			brow := b[j1*p : j1*p+p]
			for j := range brow {
				brow[j] += v1 * pr.X[j*pr.N+i]
			}
		}
	}
	s.crossX()
	return s.sys.Factor()
}

// crossX sets the upper triangle of the system's A block to X′WX.
func (s *Solver) crossX() {
	pr := &s.pr
	p, n := pr.P, pr.N
	am := s.sys.ARows()
	for j := 0; j < p; j++ {
		xj := pr.X[j*n : (j+1)*n]
		for k := j; k < p; k++ {
			xk := pr.X[k*n : (k+1)*n]
			var t float64
			for i, w := range s.w {
				t += xj[i] * w * xk[i]
			}
			am[j*p+k] = t
		}
	}
}
