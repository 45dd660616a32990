// Package datasets holds small data sets for tests, benchmarks and demos,
// embedded so that programs need no files at run time, converted into the
// MCLA model's Data.
//
// Salamander: the mating experiment of McCullagh and Nelder (1989, §14.5),
// as shipped with glmm (its data frame salamander, as CSV). glmm's
// model is Mate ~ 0 + Cross with random effects ~0 + Female and ~0 + Male,
// two variance components: 360 Bernoulli responses, 4 fixed effects, 120
// random effects.
package datasets

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"sort"
	"strconv"

	"github.com/glmmgo/glmmgo/core/family"
	"github.com/glmmgo/glmmgo/core/objective/mcla"
	"github.com/glmmgo/glmmgo/core/response"
)

//go:embed salamander.csv
var salamanderCSV []byte

// Model is a data set in MCLA form with the names glmm prints.
type Model struct {
	Data      mcla.Data
	BetaNames []string
	VCNames   []string
}

// Salamander returns glmm's salamander model.
func Salamander() (*Model, error) {
	rows, err := csv.NewReader(bytes.NewReader(salamanderCSV)).ReadAll()
	if err != nil {
		return nil, err
	}
	rows = rows[1:] // header: Mate, Cross, Female, Male
	n := len(rows)
	levels := func(col int) map[string]int {
		set := map[string]bool{}
		for _, r := range rows {
			set[r[col]] = true
		}
		keys := make([]string, 0, len(set))
		for k := range set {
			keys = append(keys, k)
		}
		sort.Strings(keys) // R's factor levels: sorted strings
		idx := map[string]int{}
		for i, k := range keys {
			idx[k] = i
		}
		return idx
	}
	cross, fem, male := levels(1), levels(2), levels(3)
	p, qf := len(cross), len(fem)
	q := qf + len(male)
	d := mcla.Data{Response: response.Response{Family: family.Bernoulli, Y: make([]float64, n)}, N: n, P: p, Q: q, NVC: 2, X: make([]float64, n*p), VCOf: make([]int64, q)}
	for i, r := range rows {
		y, err := strconv.ParseFloat(r[0], 64)
		if err != nil {
			return nil, fmt.Errorf("salamander row %d: %v", i+1, err)
		}
		d.Y[i] = y
		d.X[cross[r[1]]*n+i] = 1
		d.ZRow = append(d.ZRow, int64(i), int64(i))
		d.ZCol = append(d.ZCol, int64(fem[r[2]]), int64(qf+male[r[3]]))
		d.ZVal = append(d.ZVal, 1, 1)
	}
	for j := qf; j < q; j++ {
		d.VCOf[j] = 1
	}
	names := make([]string, p)
	for k, i := range cross {
		names[i] = "Cross" + k
	}
	return &Model{Data: d, BetaNames: names, VCNames: []string{"F", "M"}}, nil
}
