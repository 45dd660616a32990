package refdata

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
)

// GLMMDir returns the absolute path of testdata/glmm.
func GLMMDir() string { return filepath.Join(Dir(), "..", "glmm") }

// ReadGLMM loads testdata/glmm/<name>.csv with the column types of its
// columns.json.
func ReadGLMM(name string) (*Frame, error) { return readFrom(GLMMDir(), name) }

// GLMM holds the data of one GLMM reference model: the response (with
// binomial trials and an offset where the model has them), X by R's
// model.matrix conventions and the random-effects terms in formula order.
type GLMM struct {
	Name   string
	Family string // "bernoulli", "binomial" or "poisson"
	N      int
	Y      []float64 // successes for the binomial
	Trials []float64 // binomial trials, nil otherwise
	Offset []float64 // nil if none
	X      []float64
	P      int
	XNames []string
	Terms  []Term
}

// glmmBuilders make each model of lme4_glmer.json (and binarised
// InstEval) from its data set.
var glmmBuilders = map[string]func() (*GLMM, error){
	"cbpp":           cbppModel,
	"grouseticks":    grouseticksModel,
	"VerbAgg":        verbAggModel,
	"Contraception":  contraceptionModel,
	"Mmmec":          mmmecModel,
	"InstEvalBinary": instEvalBinaryModel,
}

// BuildGLMM returns the data of the named GLMM: cbpp, grouseticks,
// VerbAgg, Contraception, Mmmec (the models of lme4_glmer.R) or
// InstEvalBinary, I(y > 3) ~ service + (1|s) + (1|d) on InstEval.
func BuildGLMM(name string) (*GLMM, error) {
	b, ok := glmmBuilders[name]
	if !ok {
		return nil, fmt.Errorf("no GLMM builder for %q", name)
	}
	return b()
}

// design accumulates the columns of X.
type design struct {
	n     int
	x     []float64
	names []string
}

func newDesign(n int) *design { return &design{n: n, x: ones(n), names: []string{"(Intercept)"}} }

func (d *design) numeric(name string, v []float64) {
	d.x = append(d.x, v...)
	d.names = append(d.names, name)
}

// factor adds treatment-contrast dummies for every level but the first.
func (d *design) factor(name string, codes []int, levels []string) {
	for l := 1; l < len(levels); l++ {
		col := make([]float64, d.n)
		for i, c := range codes {
			col[i] = b2f(c == l)
		}
		d.numeric(name+levels[l], col)
	}
}

func (d *design) into(g *GLMM) { g.X, g.P, g.XNames = d.x, len(d.names), d.names }

func cbppModel() (*GLMM, error) {
	fr, err := ReadGLMM("cbpp")
	if err != nil {
		return nil, err
	}
	g := &GLMM{Name: "cbpp", Family: "binomial", N: fr.N, Y: fr.Numeric["incidence"], Trials: fr.Numeric["size"]}
	d := newDesign(fr.N)
	d.factor("period", fr.Codes["period"], fr.Levels["period"])
	d.into(g)
	g.Terms = []Term{interceptTerm(fr, "herd")}
	return g, nil
}

func grouseticksModel() (*GLMM, error) {
	fr, err := ReadGLMM("grouseticks")
	if err != nil {
		return nil, err
	}
	g := &GLMM{Name: "grouseticks", Family: "poisson", N: fr.N, Y: fr.Numeric["TICKS"]}
	d := newDesign(fr.N)
	d.factor("YEAR", fr.Codes["YEAR"], fr.Levels["YEAR"])
	d.numeric("cHEIGHT", fr.Numeric["cHEIGHT"])
	d.into(g)
	g.Terms = []Term{interceptTerm(fr, "INDEX"), interceptTerm(fr, "BROOD"), interceptTerm(fr, "LOCATION")}
	return g, nil
}

func verbAggModel() (*GLMM, error) {
	fr, err := ReadGLMM("VerbAgg")
	if err != nil {
		return nil, err
	}
	y := make([]float64, fr.N)
	for i, c := range fr.Codes["r2"] {
		y[i] = float64(c) // levels N, Y
	}
	g := &GLMM{Name: "VerbAgg", Family: "bernoulli", N: fr.N, Y: y}
	d := newDesign(fr.N)
	d.numeric("Anger", fr.Numeric["Anger"])
	d.factor("Gender", fr.Codes["Gender"], fr.Levels["Gender"])
	d.factor("btype", fr.Codes["btype"], fr.Levels["btype"])
	d.factor("situ", fr.Codes["situ"], fr.Levels["situ"])
	d.into(g)
	g.Terms = []Term{interceptTerm(fr, "id"), interceptTerm(fr, "item")}
	return g, nil
}

func contraceptionModel() (*GLMM, error) {
	fr, err := ReadGLMM("Contraception")
	if err != nil {
		return nil, err
	}
	y := make([]float64, fr.N)
	for i, c := range fr.Codes["use"] {
		y[i] = float64(c) // levels N, Y
	}
	g := &GLMM{Name: "Contraception", Family: "bernoulli", N: fr.N, Y: y}
	d := newDesign(fr.N)
	age := fr.Numeric["age"]
	age2 := make([]float64, fr.N)
	for i, a := range age {
		age2[i] = a * a
	}
	d.numeric("age", age)
	d.numeric("I(age^2)", age2)
	d.factor("urban", fr.Codes["urban"], fr.Levels["urban"])
	d.factor("livch", fr.Codes["livch"], fr.Levels["livch"])
	d.into(g)
	g.Terms = []Term{interaction(fr.N, "urban:district", fr.Codes["urban"], fr.Codes["district"])}
	return g, nil
}

// interaction is the term (1|a:b): one level per combination that occurs,
// in increasing (a, b) order.
func interaction(n int, name string, a, b []int) Term {
	keys := map[[2]int]int{}
	var list [][2]int
	for i := range a {
		k := [2]int{a[i], b[i]}
		if _, ok := keys[k]; !ok {
			keys[k] = 0
			list = append(list, k)
		}
	}
	sort.Slice(list, func(i, j int) bool {
		return list[i][0] < list[j][0] || list[i][0] == list[j][0] && list[i][1] < list[j][1]
	})
	for l, k := range list {
		keys[k] = l
	}
	codes := make([]int, n)
	for i := range a {
		codes[i] = keys[[2]int{a[i], b[i]}]
	}
	return Term{Name: name, Codes: codes, NLevels: len(list), K: 1, Z: ones(n)}
}

func mmmecModel() (*GLMM, error) {
	fr, err := ReadGLMM("Mmmec")
	if err != nil {
		return nil, err
	}
	off := make([]float64, fr.N)
	for i, e := range fr.Numeric["expected"] {
		off[i] = math.Log(e)
	}
	g := &GLMM{Name: "Mmmec", Family: "poisson", N: fr.N, Y: fr.Numeric["deaths"], Offset: off}
	d := newDesign(fr.N)
	d.numeric("uvb", fr.Numeric["uvb"])
	d.into(g)
	g.Terms = []Term{interceptTerm(fr, "region")}
	return g, nil
}

func instEvalBinaryModel() (*GLMM, error) {
	fr, err := Read("InstEval")
	if err != nil {
		return nil, err
	}
	y := make([]float64, fr.N)
	for i, v := range fr.Numeric["y"] {
		y[i] = b2f(v > 3)
	}
	g := &GLMM{Name: "InstEvalBinary", Family: "bernoulli", N: fr.N, Y: y}
	d := newDesign(fr.N)
	d.factor("service", fr.Codes["service"], fr.Levels["service"])
	d.into(g)
	g.Terms = []Term{interceptTerm(fr, "s"), interceptTerm(fr, "d")}
	return g, nil
}

// DevfunAt is lme4's deviance function at one parameter vector: θ then β
// (θ alone for nAGQ = 0).
type DevfunAt struct {
	Par   []float64 `json:"par"`
	Value float64   `json:"value"`
}

// GLMMReference is one glmer fit of lme4_glmer.json (see lme4_glmer.R).
type GLMMReference struct {
	Name            string      `json:"name"`
	Formula         string      `json:"formula"`
	Family          string      `json:"family"`
	NAGQ            int         `json:"nAGQ"`
	Theta           []float64   `json:"theta"`
	Beta            []float64   `json:"beta"`
	BetaNames       []string    `json:"beta_names"`
	BetaSE          []float64   `json:"beta_se"`
	MinusTwoLogLik  float64     `json:"minus_two_loglik"`
	SaturatedLogLik float64     `json:"saturated_loglik"`
	NObs            int         `json:"nobs"`
	DevfunAt        []DevfunAt  `json:"devfun_at"`
	Feval           int         `json:"feval"`
	Lme4Seconds     float64     `json:"lme4_seconds"`
	Results         Lme4Results `json:"results"`
	SETight         []float64   `json:"se_tight"` // β's SEs from an accurate Hessian (Laplace fits)
}

// Lme4Results are lme4's results at its optimum (see lme4_glmer.R):
// fitted values and residuals of the first observations, the first
// term's conditional modes and variances sorted, their sums, vcov (β's,
// column-major), AIC, BIC, logLik and the random-effect SDs.
type Lme4Results struct {
	Fitted        []float64          `json:"fitted"`
	Pearson       []float64          `json:"pearson"`
	Deviance      []float64          `json:"deviance"`
	Response      []float64          `json:"response"`
	BSorted       []float64          `json:"b_sorted"`
	CondVarSorted []float64          `json:"condvar_sorted"`
	Sums          map[string]float64 `json:"sums"`
	Vcov          []float64          `json:"vcov"`
	AIC           float64            `json:"aic"`
	BIC           float64            `json:"bic"`
	LogLik        float64            `json:"loglik"`
	SD            []float64          `json:"sd"`
}

// GLMMReferences reads every fit of lme4_glmer.json.
func GLMMReferences() ([]GLMMReference, error) {
	raw, err := os.ReadFile(filepath.Join(GLMMDir(), "lme4_glmer.json"))
	if err != nil {
		return nil, err
	}
	var doc struct {
		Models []GLMMReference `json:"models"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	return doc.Models, nil
}
