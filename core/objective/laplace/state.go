package laplace

import "math"

// Tolerance controls PIRLS. Zero fields select the defaults.
type Tolerance struct {
	// Decrease: stop when a full step would lower the penalised deviance
	// by less than Decrease·(1 + its value); default 1e−24. The
	// approximation's log|L|² is not stationary at the mode, so an error δ
	// in ũ moves it by O(δ) while the penalised deviance moves by O(δ²):
	// the tight default keeps δ below about 1e−10, at the cost of about
	// one more step of a quadratically convergent iteration (Newton's, for
	// canonical links) and a few of a linearly convergent one (Fisher
	// scoring, for the others). Where rounding stops the decrease short of
	// it (a badly conditioned factor), the search also stops once a step
	// predicts less than 1e−16 relative and fails to halve the last one.
	Decrease float64
	// MaxIter bounds the steps per mode; default 100.
	MaxIter int
	// MaxHalvings bounds the halvings of one step; default 30.
	MaxHalvings int
}

// DefaultTolerance returns the defaults.
func DefaultTolerance() Tolerance { return Tolerance{}.withDefaults() }

func (t Tolerance) withDefaults() Tolerance {
	if !(t.Decrease > 0) {
		t.Decrease = 1e-24
	}
	if t.MaxIter <= 0 {
		t.MaxIter = 100
	}
	if t.MaxHalvings <= 0 {
		t.MaxHalvings = 30
	}
	return t
}

// workspace is the per-observation scratch of PIRLS.
type workspace struct {
	fixed   []float64 // o (fast fit) or o + Xβ (slow fit): the part of η outside the factor
	eta     []float64 // η at the current point
	trial   []float64 // η at a trial point
	dEta    []float64 // the full step's change of η
	work    []float64 // working response
	wt      []float64 // working weights at the current point
	score   []float64 // scores ℓᵢ′ at the current point
	wtT     []float64 // working weights at the trial point
	scoreT  []float64 // scores at the trial point
	fresh   bool      // wt and score hold the current point's (the accepted trial's)
	b       []float64 // Λu (q)
	du      []float64 // step in u (q)
	dBeta   []float64 // step in β (p)
	uTrial  []float64
	bTrial  []float64
	xbTrial []float64 // p, the trial β
}

func newWorkspace(n, p, q int) workspace {
	f := func(k int) []float64 { return make([]float64, k) }
	return workspace{fixed: f(n), eta: f(n), trial: f(n), dEta: f(n), work: f(n), wt: f(n), score: f(n), wtT: f(n), scoreT: f(n),
		b: f(q), du: f(q), dBeta: f(p), uTrial: f(q), bTrial: f(q), xbTrial: f(p)}
}

// modeState is one fit's mode: the last one found (the next search's
// start) and what the approximation needs from it.
type modeState struct {
	fast     bool      // β in PIRLS
	u        []float64 // ũ, model order, level by level
	beta     []float64 // β̃ (fast) or the β given (slow)
	theta    []float64
	valid    bool    // u, beta and the rest hold the mode of the last search
	started  bool    // u and beta hold a usable start (a mode, or a failed search's last point)
	pdev     float64 // −2 Σ wᵢ ℓᵢ (no constants) + ‖u‖² at the mode
	ussq     float64 // ‖ũ‖²
	logDet   float64 // log|L|² with the weights at the mode
	dec      float64 // the last step's predicted decrease
	iter     int     // PIRLS steps of the last search
	halvings int     // halvings of the last search
	total    int     // PIRLS steps of every search
}

func newModeState(fast bool, p, q int) modeState {
	return modeState{fast: fast, u: make([]float64, q), beta: make([]float64, p)}
}

// finite reports whether x is neither NaN nor infinite.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
