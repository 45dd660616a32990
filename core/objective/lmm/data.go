package lmm

// Term is one random-effects term: a grouping factor with NLevels levels and
// K columns, e.g. K = 1 for (1|g), K = 2 for (1+x|g). Uncorrelated terms on
// the same factor, like (1|g) + (0+x|g), are separate Terms.
type Term struct {
	Name    string    // for messages and results; may be empty
	Codes   []int     // level of each observation, 0-based, length n
	NLevels int       // number of levels; each must occur at least once
	K       int       // columns of the term
	Z       []float64 // n×K model matrix of the term, column-major
}

// Data is the input of New. The model keeps copies, never these slices.
type Data struct {
	Y       []float64 // response, length n
	X       []float64 // fixed-effects model matrix, n×P column-major
	P       int       // columns of X
	XNames  []string  // optional names of X's columns
	Weights []float64 // optional positive observation weights (nil: all 1)
	Terms   []Term    // at least one
	// AllowN admits a term with as many levels, or random effects, as
	// observations, as lme4's glFormula does (allow.n = TRUE): an
	// observation-level random effect is identifiable in a GLMM, where the
	// response carries no separate residual variance, not in an LMM.
	AllowN bool

	// Factor chooses how the trailing block of the factor (the terms after
	// the first, X and y) is held: FactorAuto by the cost predicted from its
	// structure, or FactorDense or FactorSparse to force one.
	Factor FactorKind
	// MaxBytes bounds the memory of the trailing factor (0: the budget of
	// core/budget, three quarters of the memory the process may use by default).
	MaxBytes int64
}

// FactorKind names how the trailing block of the factor is held.
type FactorKind int

const (
	FactorAuto   FactorKind = iota // the cheaper of the two, by the predicted cost
	FactorDense                    // dense, factored by the blocked dense Cholesky
	FactorSparse                   // sparse, in a fill-reducing order, by the supernodal Cholesky
)

func (k FactorKind) String() string {
	switch k {
	case FactorAuto:
		return "auto"
	case FactorDense:
		return "dense"
	case FactorSparse:
		return "sparse"
	}
	return "unknown"
}
