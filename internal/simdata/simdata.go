// Package simdata simulates the mixed-model designs of glmmgo's tests and
// benchmarks of scale — random crossings, nesting, crossings within groups
// — from a fixed splitmix64 stream (S. Vigna), so that every run and every
// Go version builds the same data. It exists for tests and benchmarks only.
package simdata

import "math"

// Term is a random-effects term: level codes (0-based), K columns of Z.
type Term struct {
	Name    string
	Codes   []int
	NLevels int
	K       int
	Z       []float64 // n×K, column-major
}

// Data is a simulated model: y, the n×P fixed-effects matrix X
// (column-major: an intercept and one uniform covariate), the terms.
type Data struct {
	Y, X  []float64
	P     int
	Terms []Term
}

// rng is Vigna's splitmix64 generator.
type rng uint64

func (s *rng) next() uint64 {
	*s += 0x9e3779b97f4a7c15
	z := uint64(*s)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// unif is uniform on [0, 1).
func (s *rng) unif() float64 { return float64(s.next()>>11) / (1 << 53) }

// level draws a level of nl, the first nl observations covering every
// level once.
func (s *rng) level(i, nl int) int {
	if i < nl {
		return i
	}
	return int(s.next() % uint64(nl))
}

func intercept(name string, n, nl int) Term {
	t := Term{Name: name, NLevels: nl, K: 1, Codes: make([]int, n), Z: make([]float64, n)}
	for i := range t.Z {
		t.Z[i] = 1
	}
	return t
}

// newData allocates n observations with an intercept and a covariate x
// uniform on [−1, 1), y = 1 + 0.5·x + uniform noise (to which the caller
// adds the random effects).
func newData(r *rng, n int) (Data, []float64) {
	d := Data{Y: make([]float64, n), X: make([]float64, 2*n), P: 2}
	x := d.X[n:]
	for i := 0; i < n; i++ {
		d.X[i] = 1
		x[i] = 2*r.unif() - 1
		d.Y[i] = 1 + 0.5*x[i] + r.unif() - 0.5
	}
	return d, x
}

// Crossed is y ~ x + (1|g) + (1|h) with l1 levels of g and l2 of h drawn
// at random, perLevel observations per level of g: a random crossing,
// whose trailing block fills in completely.
func Crossed(seed uint64, l1, l2, perLevel int) Data {
	r := rng(seed)
	n := l1 * perLevel
	d, _ := newData(&r, n)
	g, h := intercept("g", n, l1), intercept("h", n, l2)
	for i := 0; i < n; i++ {
		g.Codes[i], h.Codes[i] = r.level(i, l1), r.level(i, l2)
		d.Y[i] += 0.3*math.Sin(float64(g.Codes[i])) + 0.3*math.Cos(float64(h.Codes[i]))
	}
	d.Terms = []Term{g, h}
	return d
}

// Nested is y ~ x + (1|pupil) + (1|class) with nobs observations per
// pupil and pupils nested in classes.
func Nested(seed uint64, pupils, classes, nobs int) Data {
	r := rng(seed)
	n := pupils * nobs
	d, _ := newData(&r, n)
	pt, ct := intercept("pupil", n, pupils), intercept("class", n, classes)
	for i := 0; i < n; i++ {
		p := i / nobs
		c := p % classes
		pt.Codes[i], ct.Codes[i] = p, c
		d.Y[i] += 0.4*math.Sin(float64(c)) + 0.3*math.Cos(float64(p))
	}
	d.Terms = []Term{pt, ct}
	return d
}

// LocallyCrossed is pupils (the first term) taught by teachers of their
// own school only: schools × teachersPer teachers and schools × pupilsPer
// pupils with obsPer observations each, every observation with a teacher
// of the pupil's school (every teacher teaching at least once). withSchool
// adds (1|school); slope makes the teacher term (1 + x | teacher).
func LocallyCrossed(seed uint64, schools, teachersPer, pupilsPer, obsPer int, withSchool, slope bool) Data {
	r := rng(seed)
	np := schools * pupilsPer
	n := np * obsPer
	d, x := newData(&r, n)
	pupil := intercept("pupil", n, np)
	teacher := intercept("teacher", n, schools*teachersPer)
	school := intercept("school", n, schools)
	te := make([]float64, teacher.NLevels)
	for i := range te {
		te[i] = r.unif() - 0.5
	}
	for i := 0; i < n; i++ {
		p := i / obsPer
		s := p / pupilsPer
		tch := s*teachersPer + int(r.next()%uint64(teachersPer))
		if slot := (p%pupilsPer)*obsPer + i%obsPer; slot < teachersPer {
			tch = s*teachersPer + slot
		}
		pupil.Codes[i], teacher.Codes[i], school.Codes[i] = p, tch, s
		d.Y[i] += te[tch] + 0.3*math.Sin(float64(p)) + 0.2*float64(s%3)
	}
	if slope {
		teacher.K = 2
		teacher.Z = append(teacher.Z, x...)
	}
	d.Terms = []Term{pupil, teacher}
	if withSchool {
		d.Terms = append(d.Terms, school)
	}
	return d
}

// Maximal is the "keep it maximal" design of psycholinguistics, y ~ 1 + a
// + b + c + (1 + a + b + c | subj) + (1 + a + b + c | item): every subject
// sees every item reps times, a, b, c are ±½ contrasts drawn per
// observation, and both terms have correlated random intercepts and slopes
// (20 covariance parameters).
func Maximal(seed uint64, subjects, items, reps int) Data {
	r := rng(seed)
	n := subjects * items * reps
	d := Data{Y: make([]float64, n), X: make([]float64, 4*n), P: 4}
	subj := Term{Name: "subj", NLevels: subjects, K: 4, Codes: make([]int, n), Z: make([]float64, 4*n)}
	item := Term{Name: "item", NLevels: items, K: 4, Codes: make([]int, n), Z: make([]float64, 4*n)}
	es, ei := effects(&r, subjects), effects(&r, items)
	for i := 0; i < n; i++ {
		s, it := i/(items*reps), (i/reps)%items
		subj.Codes[i], item.Codes[i] = s, it
		x := [4]float64{1, float64(r.next()%2) - 0.5, float64(r.next()%2) - 0.5, float64(r.next()%2) - 0.5}
		y := 1 + 0.3*x[1] - 0.2*x[2] + 0.1*x[3] + r.unif() - 0.5
		for c := 0; c < 4; c++ {
			d.X[c*n+i], subj.Z[c*n+i], item.Z[c*n+i] = x[c], x[c], x[c]
			y += x[c] * (es[s*4+c] + ei[it*4+c])
		}
		d.Y[i] = y
	}
	d.Terms = []Term{subj, item}
	return d
}

// effects draws correlated random intercepts and slopes for l levels: a
// shared factor makes the four columns correlated.
func effects(r *rng, l int) []float64 {
	e := make([]float64, 4*l)
	sd := [4]float64{0.5, 0.3, 0.2, 0.1}
	for j := 0; j < l; j++ {
		f := r.unif() - 0.5
		for c := 0; c < 4; c++ {
			e[j*4+c] = sd[c] * (f + 0.5*(r.unif()-0.5))
		}
	}
	return e
}
