package lmm

import (
	"testing"

	"github.com/glmmgo/glmmgo/internal/refdata"
)

func instEval(b *testing.B) (*Model, refdata.Reference) {
	for _, ref := range references(b) {
		if ref.Name == "insteval_ml" {
			return newRef(b, ref), ref
		}
	}
	b.Fatal("no insteval_ml reference")
	return nil, refdata.Reference{}
}

// BenchmarkInstEvalObjective is the per-θ cost of the ML deviance of
// y ~ service*dept + (1|s) + (1|d) on InstEval (lme4: 58 ms here), with
// the trailing factor New chooses and with each kind forced.
func BenchmarkInstEvalObjective(b *testing.B) {
	_, ref := instEval(b)
	for _, kind := range []FactorKind{FactorAuto, FactorDense, FactorSparse} {
		b.Run(kind.String(), func(b *testing.B) {
			d := buildData(b, ref)
			d.Factor = kind
			m, err := New(d)
			if err != nil {
				b.Fatal(err)
			}
			defer m.Close()
			th := ref.ObjectiveAt[1].Theta
			if _, err := m.Objective(th, false); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := m.Objective(th, false); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkInstEvalNew is the one-off cost of analysing the structure.
func BenchmarkInstEvalNew(b *testing.B) {
	var ref refdata.Reference
	for _, r := range references(b) {
		if r.Name == "insteval_ml" {
			ref = r
		}
	}
	d := buildData(b, ref)
	b.ReportAllocs()
	for b.Loop() {
		m, err := New(d)
		if err != nil {
			b.Fatal(err)
		}
		m.Close()
	}
}

// BenchmarkInstEvalRefill is the cost of one PIRLS-style refill of the
// cross-products with new weights and response (grouped downdate off).
func BenchmarkInstEvalRefill(b *testing.B) {
	m, _ := instEval(b)
	d := Data{Y: make([]float64, m.N())}
	copy(d.Y, m.obs.y)
	w, y := newWeightsAndResponse(d, 14)
	b.ReportAllocs()
	for b.Loop() {
		if err := m.Refill(y, w); err != nil {
			b.Fatal(err)
		}
	}
}
