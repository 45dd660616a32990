package lmm

import (
	"math"
	"testing"
)

// The values in recorded_values_test.go were computed by the model code as
// it stood before the blocked factor was rewritten as block types
// (commit f202cf6): the objective at the reference θ and every objective_at
// θ of each lme4 reference model, and at three θ of each synthetic model,
// ML and REML, with the solution there. The rewrite changes where the
// arithmetic lives, not what it computes, so the objective must agree to
// 1e-12 relative and the solution to 1e-10.

type recordedObjective struct {
	model     string
	theta     []float64
	reml      bool
	objective float64
}

type recordedSolution struct {
	model    string
	theta    []float64
	reml     bool
	beta, se []float64
	sigma    float64
	sumU     float64 // Σ ũ
	sumAbsU  float64 // Σ |ũ|
	sumB     float64 // Σ b̃
	traceCV  float64 // Σ of the diagonals of the conditional covariances
}

// recordedModels returns every model of the recorded values by name.
func recordedModels(t *testing.T) map[string]Data {
	out := syntheticModels()
	for _, ref := range references(t) {
		out[ref.Name] = buildData(t, ref)
	}
	return out
}

func TestObjectiveMatchesRecorded(t *testing.T) {
	data := recordedModels(t)
	models := map[string]*Model{}
	model := func(name string) *Model {
		if m, ok := models[name]; ok {
			return m
		}
		m, err := New(data[name])
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		t.Cleanup(m.Close)
		models[name] = m
		return m
	}
	for _, r := range recordedObjectives {
		if _, ok := data[r.model]; !ok {
			continue // a large model left out (testSkipLarge)
		}
		got, err := model(r.model).Objective(r.theta, r.reml)
		if err != nil {
			t.Fatalf("%s θ=%v: %v", r.model, r.theta, err)
		}
		if rel := math.Abs(got-r.objective) / math.Abs(r.objective); rel > 1e-12 {
			t.Errorf("%s θ=%v reml=%v: objective %.17g, recorded %.17g (rel %.2g)", r.model, r.theta, r.reml, got, r.objective, rel)
		}
	}
	for _, r := range recordedSolutions {
		if _, ok := data[r.model]; !ok {
			continue
		}
		m := model(r.model)
		sol, err := m.Solve(r.theta, r.reml)
		if err != nil {
			t.Fatalf("%s θ=%v: %v", r.model, r.theta, err)
		}
		cv, err := m.CondVar(r.theta, sol.Sigma)
		if err != nil {
			t.Fatalf("%s θ=%v: %v", r.model, r.theta, err)
		}
		check := func(what string, got, want, scale float64) {
			t.Helper()
			if d := math.Abs(got - want); d > 1e-10*scale {
				t.Errorf("%s θ=%v reml=%v: %s = %.17g, recorded %.17g", r.model, r.theta, r.reml, what, got, want)
			}
		}
		for i := range r.beta {
			check("β", sol.Beta[i], r.beta[i], math.Abs(r.beta[i])+r.se[i])
			check("se", sol.SE[i], r.se[i], r.se[i])
		}
		check("σ", sol.Sigma, r.sigma, r.sigma)
		su, sau, sb, tcv := 0.0, 0.0, 0.0, 0.0
		for i := range sol.U {
			su += sol.U[i]
			sau += math.Abs(sol.U[i])
			sb += sol.B[i]
		}
		for term, blocks := range cv {
			_, _, k := m.TermInfo(term)
			for l := 0; l*k*k < len(blocks); l++ {
				for c := 0; c < k; c++ {
					tcv += blocks[l*k*k+c*k+c]
				}
			}
		}
		check("Σ|ũ|", sau, r.sumAbsU, r.sumAbsU)
		check("Σũ", su, r.sumU, r.sumAbsU)
		maxTheta := 0.0
		for _, v := range r.theta {
			maxTheta = math.Max(maxTheta, math.Abs(v))
		}
		check("Σb̃", sb, r.sumB, r.sumAbsU*(1+maxTheta)) // |b̃| ≤ |Λ|·|ũ|
		check("trace condVar", tcv, r.traceCV, r.traceCV)
	}
}
