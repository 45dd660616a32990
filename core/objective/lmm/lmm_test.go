package lmm

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/internal/refdata"
)

// newRef builds the Model of a reference fit.
func newRef(t testing.TB, ref refdata.Reference) *Model {
	t.Helper()
	m, err := New(buildData(t, ref))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	return m
}

func references(t testing.TB) []refdata.Reference {
	t.Helper()
	refs, err := refdata.References()
	if err != nil {
		t.Fatal(err)
	}
	if testSkipLarge {
		small := refs[:0]
		for _, r := range refs {
			if r.NObs <= 10000 {
				small = append(small, r)
			}
		}
		refs = small
	}
	return refs
}

// testSkipLarge leaves the large reference models (InstEval) out of
// references: TestEveryFactorKind sets it under the race detector and
// -short, where they cost minutes.
var testSkipLarge bool

// TestObjectiveAtReference checks the deviance function itself, free of any
// optimiser: every θ listed in objective_at, ML or REML as the fit was,
// within 1e-8 relative.
func TestObjectiveAtReference(t *testing.T) {
	for _, ref := range references(t) {
		t.Run(ref.Name, func(t *testing.T) {
			m := newRef(t, ref)
			if m.NTheta() != len(ref.Theta) {
				t.Fatalf("ntheta %d, want %d", m.NTheta(), len(ref.Theta))
			}
			if m.NRandom() != ref.NRandom {
				t.Errorf("random effects %d, want %d", m.NRandom(), ref.NRandom)
			}
			for _, oa := range ref.ObjectiveAt {
				got, err := m.Objective(oa.Theta, ref.REML)
				if err != nil {
					t.Fatalf("θ=%v: %v", oa.Theta, err)
				}
				rel := math.Abs(got-oa.Objective) / math.Abs(oa.Objective)
				t.Logf("θ=%v: rel %.2g", oa.Theta, rel)
				if rel > 1e-8 {
					t.Errorf("θ=%v: objective %.12g, lme4 %.12g (rel %.2g)", oa.Theta, got, oa.Objective, rel)
				}
			}
		})
	}
}

// testKind is the trailing factor the tests' models ask for:
// TestEveryFactorKind runs the reference tests again with each kind forced.
var testKind = FactorAuto

// buildData returns the Data of a reference model.
func buildData(t testing.TB, ref refdata.Reference) Data {
	t.Helper()
	md, err := refdata.Build(ref)
	if err != nil {
		t.Fatal(err)
	}
	d := Data{Y: md.Y, X: md.X, P: md.P, XNames: md.XNames, Factor: testKind}
	for _, tm := range md.Terms {
		d.Terms = append(d.Terms, Term{Name: tm.Name, Codes: tm.Codes, NLevels: tm.NLevels, K: tm.K, Z: tm.Z})
	}
	return d
}
