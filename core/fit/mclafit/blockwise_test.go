package mclafit

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/objective/mcla"
	"github.com/glmmgo/glmmgo/core/response"
	"github.com/glmmgo/glmmgo/internal/refdata"
)

// TestBlockwiseAgainstQuadrature: on the quadrature test's model (24
// groups, one scalar random intercept each: 24 blocks), the blockwise
// l_m at the estimate lies within four Monte Carlo standard errors of the
// exact log-likelihood (its variance Σ_b (1/ESS_b − 1/m) by the delta
// method, each block's ESS from its own weights), and the estimate within
// four MCSEs of the exact MLE.
func TestBlockwiseAgainstQuadrature(t *testing.T) {
	d := simulate(family.Bernoulli, 24, 6, []float64{0.3, 1.2}, 1.5, 0, 5)
	m := 20000
	if raceEnabled {
		m = 4096
	}
	f, samples, err := run(d, Options{M: m, Stages: 2, PilotM: 4096, Seed: 3, Workers: 2, Estimator: EstimatorBlockwise}, newHeartbeat(nil))
	if err != nil {
		t.Fatal(err)
	}
	if !f.Blockwise || f.Blocks != 24 {
		t.Fatalf("blockwise %v with %d blocks, want 24", f.Blockwise, f.Blocks)
	}
	x := f.Par()
	parts, err := samples.BatchPartials(x, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	tot := samples.NewPartial()
	for _, p := range parts {
		tot.Merge(p)
	}
	var v float64
	for _, b := range tot.Blocks {
		v += 1/b.ESS() - 1/float64(m)
	}
	exact := quadratureLogLik(d, x[:2], x[2])
	se := math.Sqrt(v)
	t.Logf("l_m %.6f, exact %.6f, MC SE %.2g; smallest block ESS %.0f, joint ESS %.1f", f.Value, exact, se, f.ESS, f.JointESS)
	if math.Abs(f.Value-exact) > 4*se {
		t.Errorf("l_m(θ̂) = %.6f, exact %.6f: differ by more than 4 MC SEs (%.2g)", f.Value, exact, se)
	}
	mle := quadratureMLE(t, d)
	for i, name := range []string{"β₀", "β₁", "ν"} {
		t.Logf("%s: estimate %.5f, exact MLE %.5f, MCSE %.2g, SE %.3f", name, x[i], mle[i], f.MCSE[i], f.SE[i])
		if math.Abs(x[i]-mle[i]) > 4*f.MCSE[i]+1e-3*f.SE[i] {
			t.Errorf("%s: estimate %.5f, exact MLE %.5f: more than 4 MCSEs (%.2g) apart", name, x[i], mle[i], f.MCSE[i])
		}
	}
	if !(f.ESS > 5*f.JointESS) {
		t.Errorf("the smallest block's ESS %.1f is not 5 times the joint weights' %.1f", f.ESS, f.JointESS)
	}
}

// TestEstimatorChoice: auto is blockwise with m = "auto" on a design of
// several blocks, joint with a given m and on a one-block design (a
// second factor crossing the groups); joint and blockwise can be asked
// for (salamander: its six 10×10 crosses of females and males are six
// blocks); an invalid value is an error naming the option.
func TestEstimatorChoice(t *testing.T) {
	nested := simulate(family.Bernoulli, 12, 6, []float64{0.3, 1.2}, 1.5, 0, 5)
	crossed := simulate(family.Bernoulli, 12, 6, []float64{0.3, 1.2}, 1.5, 0, 5)
	for i := range crossed.N { // a factor of 6 levels crossing the 12 groups
		crossed.ZRow, crossed.ZCol, crossed.ZVal = append(crossed.ZRow, int64(i)), append(crossed.ZCol, int64(12+i%6)), append(crossed.ZVal, 1)
	}
	crossed.Q, crossed.NVC = 18, 2
	for range 6 {
		crossed.VCOf = append(crossed.VCOf, 1)
	}
	cases := []struct {
		d      mcla.Data
		opt    Options
		want   bool
		blocks int
	}{
		{nested, Options{Auto: true, PilotM: 512, MMax: 512, Stages: 1}, true, 12},
		{nested, Options{Auto: true, PilotM: 512, MMax: 512, Stages: 1, Estimator: EstimatorJoint}, false, 12},
		{nested, Options{M: 512, Stages: 1}, false, 12},
		{nested, Options{M: 512, Stages: 1, Estimator: EstimatorBlockwise}, true, 12},
		{crossed, Options{Auto: true, PilotM: 512, MMax: 512, Stages: 1}, false, 1},
		{crossed, Options{M: 256, Stages: 1, Estimator: EstimatorBlockwise}, false, 1},
		{salamander(t), Options{M: 256, Stages: 1, Estimator: EstimatorBlockwise}, true, 6},
	}
	for i, c := range cases {
		c.opt.Seed, c.opt.Workers = 1, 2
		f, err := Run(c.d, c.opt)
		if err != nil {
			t.Fatal(err)
		}
		if f.Blockwise != c.want || f.Blocks != c.blocks {
			t.Errorf("case %d (estimator %v, auto %v): blockwise %v with %d blocks, want %v with %d", i, c.opt.Estimator, c.opt.Auto, f.Blockwise, f.Blocks, c.want, c.blocks)
		}
		if !f.Blockwise && f.JointESS != f.ESS {
			t.Errorf("case %d: joint fit with ESS %g and joint ESS %g", i, f.ESS, f.JointESS)
		}
	}
	if _, err := Run(nested, Options{M: 64, Estimator: 7}); err == nil {
		t.Error("estimator 7: no error")
	}
}

// TestBlockwiseWorkersBitIdentical: a blockwise fit with stages and an
// automatic m is the same bit for bit for one and two workers.
func TestBlockwiseWorkersBitIdentical(t *testing.T) {
	d := simulate(family.Poisson, 16, 5, []float64{0.2, 0.5}, 0.8, 0, 9)
	var fits [2]*Fit
	for w := range 2 {
		f, err := Run(d, Options{Auto: true, PilotM: 512, MMax: 4096, ESSTarget: 2000, Stages: 2, Seed: 5, Workers: w + 1})
		if err != nil {
			t.Fatal(err)
		}
		if !f.Blockwise {
			t.Fatal("the automatic fit is not blockwise")
		}
		fits[w] = f
	}
	a, b := fits[0], fits[1]
	same := a.M == b.M && a.Value == b.Value && a.ESS == b.ESS && a.JointESS == b.JointESS
	for i := range a.Par() {
		same = same && a.Par()[i] == b.Par()[i] && a.MCSE[i] == b.MCSE[i] && a.SE[i] == b.SE[i]
	}
	if !same {
		t.Errorf("2 workers differ from 1: m %d vs %d, %v vs %v, MCSE %v vs %v", b.M, a.M, b.Par(), a.Par(), b.MCSE, a.MCSE)
	}
}

// grouseticks is the seed study's grouseticks model: TICKS ~ YEAR +
// cHEIGHT with random intercepts for BROOD and LOCATION (broods nested in
// locations: 63 blocks).
func grouseticks(t testing.TB) mcla.Data {
	g, err := refdata.BuildGLMM("grouseticks")
	if err != nil {
		t.Fatal(err)
	}
	d := mcla.Data{Response: response.Response{Family: family.Poisson, Y: g.Y}, N: g.N, P: g.P, X: g.X, NVC: 2}
	for vc, term := range g.Terms[1:] { // BROOD, LOCATION
		q0 := d.Q
		for i, c := range term.Codes {
			d.ZRow, d.ZCol, d.ZVal = append(d.ZRow, int64(i)), append(d.ZCol, int64(q0+c)), append(d.ZVal, 1)
		}
		for range term.NLevels {
			d.VCOf = append(d.VCOf, int64(vc))
			d.Q++
		}
	}
	return d
}

// TestGrouseticksBlockESS: on grouseticks at m = 10⁴ with the staged
// densities, the smallest block's ESS is far above the ESS of the joint
// estimator's weights, on the same samples and in a joint fit.
func TestGrouseticksBlockESS(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("two grouseticks fits at m = 10^4 (skipped with -short or -race)")
	}
	d := grouseticks(t)
	opt := Options{M: 10000, PilotM: 10000, Stages: 3, Seed: 1, Workers: 2}
	joint, err := Run(d, opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.Estimator = EstimatorBlockwise
	block, err := Run(d, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("grouseticks m = 10^4, %d blocks: joint fit ESS %.1f; blockwise fit: smallest block ESS %.0f, joint weights on its samples ESS %.1f",
		block.Blocks, joint.ESS, block.ESS, block.JointESS)
	t.Logf("joint estimate %.4f MCSE %.3g; blockwise %.4f MCSE %.3g", joint.Par(), joint.MCSE, block.Par(), block.MCSE)
	if block.Blocks != 63 || !block.Blockwise {
		t.Fatalf("%d blocks (blockwise %v), want 63", block.Blocks, block.Blockwise)
	}
	if !(block.ESS > 20*joint.ESS) || !(block.ESS > 20*block.JointESS) {
		t.Errorf("the smallest block's ESS %.0f is not 20 times the joint ones (%.1f, %.1f)", block.ESS, joint.ESS, block.JointESS)
	}
}
