package sparse

// ELL stores a matrix with the same number of slots in every row (ELLPACK):
// row i's entries are Val[i*Width : (i+1)*Width] in columns Col[...], shorter
// rows padded with zeros in column 0. A GLMM's Z, built from factor
// indicators, has exactly one nonzero per random term in every row, so ELL
// holds it without padding, and a row's product needs no row-pointer loads:
// the MCLA loop computes ηᵢ = (Xβ)ᵢ + Σ_k Val[i,k]·u[Col[i,k]] inline.
type ELL struct {
	Rows, Cols, Width int
	Col               []int32
	Val               []float64
}

// ToELL converts m; Width is the largest number of entries in a row.
func (m *CSR) ToELL() *ELL {
	w := 0
	for i := 0; i < m.Rows; i++ {
		w = max(w, m.RowPtr[i+1]-m.RowPtr[i])
	}
	e := &ELL{Rows: m.Rows, Cols: m.Cols, Width: w, Col: make([]int32, m.Rows*w), Val: make([]float64, m.Rows*w)}
	for i := 0; i < m.Rows; i++ {
		for k := m.RowPtr[i]; k < m.RowPtr[i+1]; k++ {
			s := i*w + k - m.RowPtr[i]
			e.Col[s] = int32(m.Col[k])
			e.Val[s] = m.Val[k]
		}
	}
	return e
}

// RowDot returns Σ_k Val[i,k]·x[Col[i,k]], row i of M·x.
func (e *ELL) RowDot(i int, x []float64) float64 {
	var s float64
	base := i * e.Width
	for k, c := range e.Col[base : base+e.Width] {
		s += e.Val[base+k] * x[c]
	}
	return s
}
