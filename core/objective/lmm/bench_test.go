package lmm

import (
	"testing"

	"github.com/glmmgo/glmmgo/internal/refdata"
	"github.com/glmmgo/glmmgo/internal/simdata"
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

// derivativeModels are the models of the gradient benchmarks: sleepstudy,
// InstEval (ML, dense and sparse trailing factor as New chooses) and the
// maximal crossed design with 20 θ.
func derivativeModels(b *testing.B) map[string]struct {
	d     Data
	theta []float64
} {
	out := map[string]struct {
		d     Data
		theta []float64
	}{}
	for _, ref := range references(b) {
		if ref.Name == "sleepstudy_ml" || ref.Name == "insteval_ml" {
			out[ref.Name] = struct {
				d     Data
				theta []float64
			}{buildData(b, ref), ref.ObjectiveAt[1].Theta}
		}
	}
	mx := fromSim(simdata.Maximal(1, 60, 40, 1))
	th := make([]float64, 20)
	for _, i := range []int{0, 4, 7, 9, 10, 14, 17, 19} { // the diagonals
		th[i] = 0.5
	}
	out["maximal20"] = struct {
		d     Data
		theta []float64
	}{mx, th}
	return out
}

// BenchmarkGradient compares the cost of one gradient with one objective
// evaluation per model (the ratio is what the optimiser's choice weighs).
func BenchmarkGradient(b *testing.B) {
	for name, c := range derivativeModels(b) {
		m, err := New(c.d)
		if err != nil {
			b.Fatal(err)
		}
		g := make([]float64, m.NTheta())
		b.Run(name+"/objective", func(b *testing.B) {
			for b.Loop() {
				if _, err := m.Objective(c.theta, false); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/gradient", func(b *testing.B) {
			for b.Loop() {
				if _, err := m.Gradient(c.theta, false, g); err != nil {
					b.Fatal(err)
				}
			}
		})
		m.Close()
	}
}
