// Package refdata reads the data sets and lme4 reference fits kept under
// testdata/lmm at the repository root, and builds the model matrices of the
// reference models the way R's model.matrix does (treatment contrasts, the
// first level as baseline, factor levels in the order of columns.json).
//
// It exists for tests and benchmarks only.
package refdata

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// Dir returns the absolute path of testdata/lmm, found from this source file
// so that tests in any package can use it.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "lmm")
}

// Frame is a data set read from CSV: numeric columns as float64, factor
// columns as 0-based level codes in the level order of columns.json.
type Frame struct {
	N       int
	Numeric map[string][]float64
	Codes   map[string][]int
	Levels  map[string][]string
}

type columnInfo struct {
	Type   string   `json:"type"`
	Levels []string `json:"levels"`
}

// Read loads testdata/lmm/<name>.csv with the column types of columns.json.
func Read(name string) (*Frame, error) { return readFrom(Dir(), name) }

// readFrom loads dir/<name>.csv with the column types of dir/columns.json.
func readFrom(dir, name string) (*Frame, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "columns.json"))
	if err != nil {
		return nil, err
	}
	var all map[string]map[string]columnInfo
	if err := json.Unmarshal(raw, &all); err != nil {
		return nil, err
	}
	info, ok := all[name]
	if !ok {
		return nil, fmt.Errorf("columns.json has no data set %q", name)
	}
	f, err := os.Open(filepath.Join(dir, name+".csv"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("%s.csv has no data rows", name)
	}
	header := rows[0]
	fr := &Frame{N: len(rows) - 1, Numeric: map[string][]float64{}, Codes: map[string][]int{}, Levels: map[string][]string{}}
	for j, col := range header {
		ci, ok := info[col]
		if !ok {
			return nil, fmt.Errorf("%s: column %q not in columns.json", name, col)
		}
		switch ci.Type {
		case "factor", "ordered":
			index := make(map[string]int, len(ci.Levels))
			for i, l := range ci.Levels {
				index[l] = i
			}
			codes := make([]int, fr.N)
			for i, r := range rows[1:] {
				c, ok := index[r[j]]
				if !ok {
					return nil, fmt.Errorf("%s row %d: level %q of %s not in columns.json", name, i+1, r[j], col)
				}
				codes[i] = c
			}
			fr.Codes[col] = codes
			fr.Levels[col] = ci.Levels
		default:
			v := make([]float64, fr.N)
			for i, r := range rows[1:] {
				x, err := strconv.ParseFloat(strings.TrimSpace(r[j]), 64)
				if err != nil {
					return nil, fmt.Errorf("%s row %d column %s: %v", name, i+1, col, err)
				}
				v[i] = x
			}
			fr.Numeric[col] = v
		}
	}
	return fr, nil
}

// Float is a JSON number that may also be written as the strings "Inf",
// "-Inf" or "NaN", as R's jsonlite writes them.
type Float float64

// UnmarshalJSON accepts numbers and the strings Inf, -Inf, NaN.
func (f *Float) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	switch s {
	case "Inf":
		*f = Float(math.Inf(1))
	case "-Inf":
		*f = Float(math.Inf(-1))
	case "NaN", "NA":
		*f = Float(math.NaN())
	default:
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return err
		}
		*f = Float(x)
	}
	return nil
}

// ObjectiveAt is one (θ, objective) pair of the reference deviance function.
type ObjectiveAt struct {
	Theta     []float64 `json:"theta"`
	Objective float64   `json:"objective"`
}

// Reference is one lme4 fit from lme4_reference.json.
type Reference struct {
	Name        string        `json:"name"`
	Dataset     string        `json:"dataset"`
	Formula     string        `json:"formula"`
	REML        bool          `json:"REML"`
	Objective   float64       `json:"objective"`
	Theta       []float64     `json:"theta"`
	ThetaLower  []Float       `json:"theta_lower"`
	Beta        []float64     `json:"beta"`
	BetaNames   []string      `json:"beta_names"`
	BetaSE      []float64     `json:"beta_se"`
	Sigma       float64       `json:"sigma"`
	ObjectiveAt []ObjectiveAt `json:"objective_at"`
	NObs        int           `json:"nobs"`
	NRandom     int           `json:"n_random"`
	Lme4Seconds float64       `json:"lme4_seconds"`
	Lme4Feval   int           `json:"lme4_feval"`
}

// References reads every model of lme4_reference.json.
func References() ([]Reference, error) {
	raw, err := os.ReadFile(filepath.Join(Dir(), "lme4_reference.json"))
	if err != nil {
		return nil, err
	}
	var doc struct {
		Models []Reference `json:"models"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	return doc.Models, nil
}
