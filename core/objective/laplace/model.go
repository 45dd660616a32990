package laplace

import (
	"github.com/glmmgo/glmmgo/core/checkpoint"
	"slices"

	"github.com/glmmgo/glmmgo/core/errs"
	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/objective/lmm"
	"github.com/glmmgo/glmmgo/core/response"
)

// Data is a GLMM: its response and the fixed- and random-effects design
// in the linear mixed model engine's form. New copies what it keeps.
type Data struct {
	response.Response            // family, link, y, trials, weights, offset, dispersion
	X                 []float64  // n×P fixed-effects model matrix, column-major
	P                 int        // columns of X
	XNames            []string   // optional names of X's columns
	Terms             []lmm.Term // random-effects terms, at least one
	// Observed makes PIRLS weigh by the observed curvature −ℓ″ instead of
	// the expected information: glmm's PQL does, for the default links
	// only. The two agree for canonical links; lme4 and MixedModels.jl use
	// the expected information (Fisher scoring), the default.
	Observed bool
}

// term is a random-effects term in the model's order (decreasing number of
// levels, as package lmm orders them), with what the linear predictor
// needs.
type term struct {
	name    string
	nlevels int
	k       int
	uOff    int          // first element of the term's u
	tmpl    []thetaPlace // the template's elements in θ
	codes   []int32      // level of each observation
	z       []float64    // n×k, column-major
}

// thetaPlace is one element of a term's template: its row and column, and
// its index in θ.
type thetaPlace struct{ row, col, idx int }

// Model is a GLMM ready for the Laplace and adaptive Gauss–Hermite
// approximations at any θ (and β). A Model is not safe for concurrent
// use: it keeps the last mode of each fit as the next one's start, which
// makes a fit's evaluations depend on their order (deterministically).
// Close releases its worker goroutines.
type Model struct {
	resp      response.Response
	observed  bool
	canonical bool    // observed, or a canonical link: LogLik's curvature is the working weight
	kern      kernel  // the pass over the observations
	od        obsData // the response's slices for it
	n, p, q   int
	x         []float64 // n×p, X's kept columns
	xnames    []string
	kept      []int
	dropped   []int
	terms     []term
	lower     []float64
	logConst  float64 // Σ wᵢ·(the constant of log f(yᵢ|u))
	satur     float64 // Σ wᵢ·log f(yᵢ | μ = yᵢ) without constants

	withX *lmm.Model // the factor with X: β in PIRLS (the fast fit)
	noX   *lmm.Model // the factor without X: β fixed (the slow fit); built on first use
	lmmIn lmm.Data   // the terms as given, for noX
	ws    workspace
	fast  modeState // β and u in PIRLS
	slow  modeState // u in PIRLS, β given
	byLvl *levelIndex
	tol   Tolerance
	nwork int
	cp    *checkpoint.Checkpoint // checked at every PIRLS step (SetCheckpoint)
}

// New validates d and builds the model: the response's checks (and, unless
// Observed, at least one trial per binomial observation), X and the terms by the
// linear mixed model engine's checks (as glmer, a term may have one level
// per observation), aliased columns of X dropped as lme4 drops them.
func New(d Data) (*Model, error) {
	n := len(d.Y)
	if n == 0 {
		return nil, errs.Invalidf("y", "no observations")
	}
	if err := checkResponse(&d.Response, n, d.Observed); err != nil {
		return nil, err
	}
	in := lmm.Data{Y: make([]float64, n), X: d.X, P: d.P, XNames: d.XNames, Terms: d.Terms, AllowN: true}
	withX, err := lmm.New(in)
	if err != nil {
		return nil, err
	}
	m := &Model{resp: d.Response.Copy(), observed: d.Observed, n: n, p: withX.P(), q: withX.NRandom(),
		xnames: withX.XNames(), kept: withX.Kept(), dropped: withX.Dropped(), lower: withX.Lower(),
		withX: withX, tol: DefaultTolerance()}
	in.X, in.P, in.XNames = nil, 0, nil
	m.lmmIn = in
	m.x = make([]float64, n*m.p)
	for jj, j := range m.kept {
		copy(m.x[jj*n:(jj+1)*n], d.X[j*n:(j+1)*n])
	}
	m.terms = newTerms(d.Terms, withX)
	m.logConst, m.satur = m.resp.LogConst(), m.resp.Saturated()
	m.canonical = m.observed || m.resp.Family != family.NegBinomial && m.resp.Family.Resolve(m.resp.Link) == m.resp.Family.Resolve(family.DefaultLink)
	m.kern, m.od = m.chooseKernel(), newObsData(m)
	m.ws = newWorkspace(n, m.p, m.q)
	m.fast = newModeState(true, m.p, m.q)
	m.slow = newModeState(false, m.p, m.q)
	if len(m.terms) == 1 && m.terms[0].k == 1 {
		m.byLvl = newLevelIndex(m.terms[0].codes, m.terms[0].nlevels)
	}
	return m, nil
}

// checkResponse runs the response's checks for n observations; Observed
// curvature needs a default link.
func checkResponse(r *response.Response, n int, observed bool) error {
	if err := r.Check(n); err != nil {
		return err
	}
	if observed { // glmm's definition, which allows zero trials
		return r.CheckDefaultLink()
	}
	return r.CheckPositiveTrials()
}

// newTerms copies the terms in the model's order, lays out u and places
// each template's elements in θ by the engine's layout.
func newTerms(in []lmm.Term, lm *lmm.Model) []term {
	out := make([]term, 0, len(in))
	uOff := 0
	for _, oi := range lm.TermOrder() {
		t := in[oi]
		tm := term{name: t.Name, nlevels: t.NLevels, k: t.K, uOff: uOff,
			codes: make([]int32, len(t.Codes)), z: slices.Clone(t.Z)}
		for i, c := range t.Codes {
			tm.codes[i] = int32(c)
		}
		out = append(out, tm)
		uOff += t.NLevels * t.K
	}
	for idx, e := range lm.ThetaLayout() {
		out[e.Term].tmpl = append(out[e.Term].tmpl, thetaPlace{row: e.Row, col: e.Col, idx: idx})
	}
	return out
}

// noXModel returns the factor without X, building it on first use.
func (m *Model) noXModel() (*lmm.Model, error) {
	if m.noX != nil {
		return m.noX, nil
	}
	lm, err := lmm.New(m.lmmIn)
	if err != nil {
		return nil, err
	}
	if m.nwork != 0 {
		lm.SetWorkers(m.nwork)
	}
	m.noX = lm
	return lm, nil
}

// SetWorkers sets the goroutines of the factorisations (see
// lmm.Model.SetWorkers); results do not depend on it.
func (m *Model) SetWorkers(w int) {
	m.nwork = w
	m.withX.SetWorkers(w)
	if m.noX != nil {
		m.noX.SetWorkers(w)
	}
}

// Close stops the factorisations' worker goroutines.
func (m *Model) Close() {
	m.withX.Close()
	if m.noX != nil {
		m.noX.Close()
	}
}

// SetTolerance replaces the PIRLS settings (zero fields keep the
// defaults).
func (m *Model) SetTolerance(t Tolerance) { m.tol = t.withDefaults() }

// N is the number of observations.
func (m *Model) N() int { return m.n }

// P is the number of fixed effects kept.
func (m *Model) P() int { return m.p }

// Q is the number of random effects.
func (m *Model) Q() int { return m.q }

// Kept returns the indices of X's kept columns.
func (m *Model) Kept() []int { return slices.Clone(m.kept) }

// Dropped returns the indices of X's columns dropped as aliased with the
// ones before them, as lme4 drops them.
func (m *Model) Dropped() []int { return slices.Clone(m.dropped) }

// XNames are the names of the kept columns.
func (m *Model) XNames() []string { return slices.Clone(m.xnames) }

// NTheta is the length of θ.
func (m *Model) NTheta() int { return len(m.lower) }

// Lower returns θ's lower bounds: 0 for the diagonal of each term's
// template, −Inf below it.
func (m *Model) Lower() []float64 { return slices.Clone(m.lower) }

// NTerms is the number of random-effects terms.
func (m *Model) NTerms() int { return len(m.terms) }

// TermOrder returns, for each term in the model's order (decreasing
// number of levels), its index in Data.Terms.
func (m *Model) TermOrder() []int { return m.withX.TermOrder() }

// ThetaLayout places every element of θ (see lmm.Model.ThetaLayout).
func (m *Model) ThetaLayout() []lmm.ThetaElement { return m.withX.ThetaLayout() }

// Response returns the model's copy of the response (not to be changed).
func (m *Model) Response() *response.Response { return &m.resp }

// TermInfo returns the name, levels and columns of term i (model order).
func (m *Model) TermInfo(i int) (name string, nlevels, k int) {
	t := m.terms[i]
	return t.name, t.nlevels, t.k
}

// LogConst is Σ wᵢ·(the constant of log f(yᵢ|u)): binomial coefficients,
// −log y!, … (package response).
func (m *Model) LogConst() float64 { return m.logConst }

// Saturated is the saturated fit's Σ wᵢ log f(yᵢ | μ = yᵢ) without
// LogConst: −2 log L and MixedModels.jl's deviance differ by
// −2·(LogConst + Saturated).
func (m *Model) Saturated() float64 { return m.satur }

// VarCorr returns the standard deviations and correlations of every term's
// random effects at θ (the dispersion is 1).
func (m *Model) VarCorr(theta []float64) ([]lmm.TermVarCorr, error) {
	return m.withX.VarCorr(theta, 1)
}
