package response

import (
	"math"
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/family"
)

func good() Response {
	return Response{Family: family.Binomial, Y: []float64{0, 2, 3}, Trials: []float64{1, 4, 3},
		Weights: []float64{1, 0.5, 2}, Offset: []float64{0, -1, 0.25}}
}

// TestChecks: every fault gets an invalid-argument error naming its
// argument; a good response passes.
func TestChecks(t *testing.T) {
	if r := good(); r.Check(3) != nil {
		t.Fatalf("good response rejected: %v", r.Check(3))
	}
	cases := []struct {
		name string
		edit func(*Response)
		arg  string
	}{
		{"family", func(r *Response) { r.Family = 9 }, "family"},
		{"dispersion for binomial", func(r *Response) { r.Dispersion = 1 }, "dispersion"},
		{"nb without dispersion", func(r *Response) { r.Family = family.NegBinomial; r.Trials = nil }, "dispersion"},
		{"y length", func(r *Response) { r.Y = r.Y[:2] }, "y"},
		{"trials length", func(r *Response) { r.Trials = r.Trials[:2] }, "ntrials"},
		{"weights length", func(r *Response) { r.Weights = append(r.Weights, 1) }, "weights"},
		{"offset length", func(r *Response) { r.Offset = r.Offset[:1] }, "offset"},
		{"trials NaN", func(r *Response) { r.Trials[1] = math.NaN() }, "ntrials"},
		{"weights Inf", func(r *Response) { r.Weights[0] = math.Inf(1) }, "weights"},
		{"y NaN", func(r *Response) { r.Y[2] = math.NaN() }, "y"},
		{"offset Inf", func(r *Response) { r.Offset[2] = math.Inf(-1) }, "offset"},
		{"negative weight", func(r *Response) { r.Weights[1] = -1 }, "weights"},
		{"zero weights", func(r *Response) { r.Weights = []float64{0, 0, 0} }, "weights"},
		{"weights overflowing", func(r *Response) { r.Weights[2] = 1e308 }, "weights"},
		{"y above trials", func(r *Response) { r.Y[1] = 5 }, "y"},
		{"fractional trials", func(r *Response) { r.Trials[0] = 1.5 }, "ntrials"},
		{"bernoulli 2", func(r *Response) { r.Family, r.Trials = family.Bernoulli, nil }, "y"},
		{"poisson trials", func(r *Response) { r.Family = family.Poisson }, "ntrials"},
		{"poisson fractional", func(r *Response) { r.Family, r.Trials, r.Y[0] = family.Poisson, nil, 0.5 }, "y"},
		{"poisson logit", func(r *Response) { r.Family, r.Trials, r.Link = family.Poisson, nil, family.Logit }, "link"},
		{"unknown link", func(r *Response) { r.Link = 7 }, "link"},
	}
	for _, c := range cases {
		r := good()
		c.edit(&r)
		err := r.Check(3)
		if e, ok := err.(*errs.Error); !ok || e.Kind != errs.Invalid || e.Arg != c.arg {
			t.Errorf("%s: got %v, want an invalid-argument error naming %s", c.name, err, c.arg)
		}
	}
}

// TestLogLik: the weighted quantities are the family's times the weight,
// with the trials; weight 0 gives zeros even where the family's are not
// finite.
func TestLogLik(t *testing.T) {
	r := good()
	for i := range r.Y {
		eta := 0.3 * float64(i)
		l, d1, w := r.LogLik(i, eta)
		fl, fd, fw := family.Binomial.LogLik(r.Y[i], eta, r.Trials[i], 0)
		if l != r.Weights[i]*fl || d1 != r.Weights[i]*fd || w != r.Weights[i]*fw {
			t.Errorf("obs %d: (%g, %g, %g) vs family (%g, %g, %g) × %g", i, l, d1, w, fl, fd, fw, r.Weights[i])
		}
	}
	z := Response{Family: family.Poisson, Y: []float64{1}, Weights: []float64{0}}
	if l, d1, w := z.LogLik(0, 1000); l != 0 || d1 != 0 || w != 0 {
		t.Errorf("weight 0: %g %g %g", l, d1, w)
	}
	u := Response{Family: family.Bernoulli, Y: []float64{1, 0}}
	if u.Trial(1) != 1 || u.Weight(1) != 1 || u.OffsetAt(1) != 0 || u.N() != 2 {
		t.Error("nil slices are not ones and zeros")
	}
}

// TestAt: the weighted point is the family's times the weight under the
// response's link; weight 0 keeps only the mean.
func TestAt(t *testing.T) {
	r := good()
	r.Link = family.Probit
	for i := range r.Y {
		eta := 0.3*float64(i) - 0.2
		got := r.At(i, eta)
		f := family.Binomial.At(family.Probit, r.Y[i], eta, r.Trials[i], 0)
		w := r.Weights[i]
		if got.LogLik != w*f.LogLik || got.Score != w*f.Score || got.Fisher != w*f.Fisher || got.Mean != f.Mean {
			t.Errorf("obs %d: %+v vs family %+v × %g", i, got, f, w)
		}
	}
	z := Response{Family: family.Poisson, Y: []float64{1}, Weights: []float64{0}}
	if pt := z.At(0, 2); pt.LogLik != 0 || pt.Score != 0 || pt.Fisher != 0 || pt.Mean != math.Exp(2) {
		t.Errorf("weight 0: %+v", pt)
	}
}

// TestSaturated: the weighted sum of the family's saturated values; with
// LogConst, the saturated binomial log-likelihood log C(4,2) + 4·log ½.
func TestSaturated(t *testing.T) {
	b := Response{Family: family.Binomial, Y: []float64{2, 0}, Trials: []float64{4, 3}, Weights: []float64{3, 1}}
	if got, want := b.Saturated()+b.LogConst(), 3*(math.Log(6)+4*math.Log(0.5)); math.Abs(got-want) > 1e-13 {
		t.Errorf("binomial: %g, want %g", got, want)
	}
}

// TestLinkChecks: the default-link and positive-trials checks name their
// arguments.
func TestLinkChecks(t *testing.T) {
	r := good()
	if r.CheckDefaultLink() != nil || r.CheckPositiveTrials() != nil {
		t.Fatal("good response rejected")
	}
	r.Link = family.Logit
	if r.CheckDefaultLink() != nil {
		t.Error("logit is the binomial default")
	}
	r.Link = family.CLogLog
	if e, ok := r.CheckDefaultLink().(*errs.Error); !ok || e.Arg != "link" {
		t.Errorf("cloglog: %v", r.CheckDefaultLink())
	}
	r.Trials[0], r.Y[0] = 0, 0
	if e, ok := r.CheckPositiveTrials().(*errs.Error); !ok || e.Arg != "ntrials" {
		t.Errorf("zero trials: %v", r.CheckPositiveTrials())
	}
}

// TestLogConst: the omitted constants against closed forms.
func TestLogConst(t *testing.T) {
	b := Response{Family: family.Binomial, Y: []float64{2}, Trials: []float64{4}, Weights: []float64{3}}
	if got, want := b.LogConst(), 3*math.Log(6); math.Abs(got-want) > 1e-14 {
		t.Errorf("binomial: %g, want %g", got, want)
	}
	p := Response{Family: family.Poisson, Y: []float64{3, 0}}
	if got, want := p.LogConst(), -math.Log(6); math.Abs(got-want) > 1e-14 {
		t.Errorf("poisson: %g, want %g", got, want)
	}
	// NB with r = 1 is geometric: C = log Γ(y+1) − log Γ(1) − log y! = 0.
	g := Response{Family: family.NegBinomial, Y: []float64{4}, Dispersion: 1}
	if got := g.LogConst(); math.Abs(got) > 1e-14 {
		t.Errorf("geometric: %g, want 0", got)
	}
}

func TestCopy(t *testing.T) {
	r := good()
	c := r.Copy()
	c.Y[0], c.Trials[0], c.Weights[0], c.Offset[0] = 9, 9, 9, 9
	if r.Y[0] == 9 || r.Trials[0] == 9 || r.Weights[0] == 9 || r.Offset[0] == 9 {
		t.Error("copy shares storage")
	}
	if n := (&Response{Y: []float64{1}}).Copy(); n.Trials != nil || n.Offset != nil {
		t.Error("nil slices not kept nil")
	}
}
