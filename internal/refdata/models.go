package refdata

import "fmt"

// Term is one random-effects term: a grouping factor and its k columns.
type Term struct {
	Name    string
	Codes   []int     // 0-based level of each observation
	NLevels int       // number of levels of the grouping factor
	K       int       // columns of the term
	Z       []float64 // n×K column-major model matrix of the term
}

// Model holds the data of one reference model.
type Model struct {
	N      int
	Y      []float64
	X      []float64 // n×P column-major
	P      int
	XNames []string
	Terms  []Term // in formula order
}

// ones returns a column of n ones.
func ones(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = 1
	}
	return v
}

// interceptTerm is (1|g).
func interceptTerm(fr *Frame, g string) Term {
	return Term{Name: g, Codes: fr.Codes[g], NLevels: len(fr.Levels[g]), K: 1, Z: ones(fr.N)}
}

// Build returns the data of a reference model, with X built by R's
// model.matrix conventions.
func Build(ref Reference) (*Model, error) {
	fr, err := Read(ref.Dataset)
	if err != nil {
		return nil, err
	}
	n := fr.N
	m := &Model{N: n}
	key := ref.Dataset + ": " + ref.Formula
	switch key {
	case "Dyestuff: Yield ~ 1 + (1|Batch)", "Dyestuff2: Yield ~ 1 + (1|Batch)":
		m.Y = fr.Numeric["Yield"]
		m.X, m.P, m.XNames = ones(n), 1, []string{"(Intercept)"}
		m.Terms = []Term{interceptTerm(fr, "Batch")}
	case "sleepstudy: Reaction ~ 1 + Days + (1 + Days|Subject)":
		m.Y = fr.Numeric["Reaction"]
		days := fr.Numeric["Days"]
		m.X = append(ones(n), days...)
		m.P, m.XNames = 2, []string{"(Intercept)", "Days"}
		m.Terms = []Term{{Name: "Subject", Codes: fr.Codes["Subject"], NLevels: len(fr.Levels["Subject"]), K: 2, Z: append(ones(n), days...)}}
	case "Penicillin: diameter ~ 1 + (1|plate) + (1|sample)":
		m.Y = fr.Numeric["diameter"]
		m.X, m.P, m.XNames = ones(n), 1, []string{"(Intercept)"}
		m.Terms = []Term{interceptTerm(fr, "plate"), interceptTerm(fr, "sample")}
	case "Pastes: strength ~ 1 + (1|batch) + (1|batch:cask)":
		m.Y = fr.Numeric["strength"]
		m.X, m.P, m.XNames = ones(n), 1, []string{"(Intercept)"}
		// batch:cask is the column sample ("A:a", ...): every combination occurs.
		bc := interceptTerm(fr, "sample")
		bc.Name = "batch:cask"
		m.Terms = []Term{interceptTerm(fr, "batch"), bc}
	case "InstEval: y ~ service*dept + (1|s) + (1|d)":
		m.Y = fr.Numeric["y"]
		m.X, m.P, m.XNames = ServiceDept(fr)
		m.Terms = []Term{interceptTerm(fr, "s"), interceptTerm(fr, "d")}
	default:
		return nil, fmt.Errorf("no model builder for %q", key)
	}
	return m, nil
}

// ServiceDept builds the model matrix of service*dept with treatment
// contrasts: (Intercept), service1, dept<l> for every non-baseline level l,
// then service1:dept<l>, in R's column order.
func ServiceDept(fr *Frame) (x []float64, p int, names []string) {
	n := fr.N
	svc, dept := fr.Codes["service"], fr.Codes["dept"]
	sl, dl := fr.Levels["service"], fr.Levels["dept"]
	names = append(names, "(Intercept)")
	x = append(x, ones(n)...)
	for l := 1; l < len(sl); l++ {
		names = append(names, "service"+sl[l])
		for i := 0; i < n; i++ {
			x = append(x, b2f(svc[i] == l))
		}
	}
	for l := 1; l < len(dl); l++ {
		names = append(names, "dept"+dl[l])
		for i := 0; i < n; i++ {
			x = append(x, b2f(dept[i] == l))
		}
	}
	for s := 1; s < len(sl); s++ {
		for l := 1; l < len(dl); l++ {
			names = append(names, "service"+sl[s]+":dept"+dl[l])
			for i := 0; i < n; i++ {
				x = append(x, b2f(svc[i] == s && dept[i] == l))
			}
		}
	}
	return x, len(names), names
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
