package lmm

// ThetaElement places one element of θ: the term (model order) whose
// template Λₜ it belongs to, and its row and column in that k×k
// lower-triangular template. θ lists the templates one after another, each
// by the columns of its lower triangle (lme4's and MixedModels.jl's order),
// so the diagonal elements — the ones bounded below by 0 — are those with
// Row == Col.
type ThetaElement struct{ Term, Row, Col int }

// ThetaLayout returns the place of every element of θ. It is the one
// statement of θ's layout: VarCorr reads templates through it, and the C
// API reports it (GLMMGO_LMM_THETA_TERM, _ROW, _COL) so that R and Julia
// need not derive it again.
func (m *Model) ThetaLayout() []ThetaElement {
	out := make([]ThetaElement, 0, m.NTheta())
	for t := 0; t < m.NTerms(); t++ {
		_, _, k := m.TermInfo(t)
		for j := 0; j < k; j++ {
			for i := j; i < k; i++ {
				out = append(out, ThetaElement{Term: t, Row: i, Col: j})
			}
		}
	}
	return out
}
