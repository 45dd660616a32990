package sparse

// FromDense returns the nonzeros of the r×c column-major matrix a in CSR
// form (columns increasing along each row).
func FromDense(r, c int, a []float64) *CSR {
	m := &CSR{Rows: r, Cols: c, RowPtr: make([]int, r+1)}
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if v := a[j*r+i]; v != 0 {
				m.Col = append(m.Col, j)
				m.Val = append(m.Val, v)
			}
		}
		m.RowPtr[i+1] = len(m.Val)
	}
	return m
}

// QuadForm returns (u−c)ᵀA(u−c) = Σᵢ (uᵢ−cᵢ) Σⱼ Aᵢⱼ(uⱼ−cⱼ) for a square A,
// at the cost of its nonzeros. It does not allocate.
func (m *CSR) QuadForm(u, c []float64) float64 {
	u, c = u[:m.Cols], c[:m.Cols]
	var s float64
	for i := 0; i < m.Rows; i++ {
		var t float64
		for k := m.RowPtr[i]; k < m.RowPtr[i+1]; k++ {
			j := m.Col[k]
			t += m.Val[k] * (u[j] - c[j])
		}
		s += (u[i] - c[i]) * t
	}
	return s
}
