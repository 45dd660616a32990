// Package refcase reads the MCLA reference cases in testdata/mcla: glmm
// 1.4.5's objective (value, gradient, Hessian) on a fixed u-matrix, stored
// as JSON. Tests of the core, the C ABI and the bindings share it.
package refcase

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"sort"
)

// Case is one reference case; field names follow the JSON.
type Case struct {
	Name    string    `json:"name"`
	Family  string    `json:"family"`
	N       int       `json:"n"`
	P       int       `json:"p"`
	Q       int       `json:"q"`
	NVC     int       `json:"T"` // variance components (glmm's T)
	M       int       `json:"m"`
	Y       []float64 `json:"y"`
	NTrials []float64 `json:"ntrials"`
	Weights []float64 `json:"weights"`
	X       []float64 `json:"X"`
	Z       struct {
		Row []int64   `json:"row"`
		Col []int64   `json:"col"`
		Val []float64 `json:"val"`
	} `json:"Z"`
	NRandom  []int     `json:"nrandom"`
	Zeta     float64   `json:"zeta"`
	PMix     []float64 `json:"p_mix"`
	BetaPQL  []float64 `json:"beta_pql"`
	NuPQL    []float64 `json:"nu_pql"`
	UStar    []float64 `json:"u_star"`
	DStar    []float64 `json:"D_star"`
	SigmaInv []float64 `json:"Sigmuh_inv"`
	UMat     []float64 `json:"umat"`
	Par      []float64 `json:"par"`
	Value    float64   `json:"value"`
	Gradient []float64 `json:"gradient"`
	Hessian  []float64 `json:"hessian"`
	MCVCov   []float64 `json:"mcvcov"`
	MCSE     []float64 `json:"mcse"`
	SE       []float64 `json:"se"`
}

// VCOf maps each column of Z to its variance component, from NRandom.
func (c *Case) VCOf() []int64 {
	v := make([]int64, 0, c.Q)
	for t, k := range c.NRandom {
		for range k {
			v = append(v, int64(t))
		}
	}
	return v
}

// Dir is the absolute path of testdata/mcla in this module.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "mcla")
}

// Load reads one case file.
func Load(path string) (*Case, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c Case
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// All loads every case in Dir, in file-name order.
func All() ([]*Case, error) {
	files, err := filepath.Glob(filepath.Join(Dir(), "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var cs []*Case
	for _, f := range files {
		c, err := Load(f)
		if err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	return cs, nil
}
