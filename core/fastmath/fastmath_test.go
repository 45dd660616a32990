package fastmath

import (
	"math"
	"math/rand/v2"
	"testing"
)

func ulps(got, want float64) float64 {
	if got == want {
		return 0
	}
	return math.Abs(got-want) / (math.Nextafter(math.Abs(want), math.Inf(1)) - math.Abs(want))
}

func TestExpAccuracy(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	worst := 0.0
	for i := 0; i < 2_000_000; i++ {
		x := (r.Float64()*2 - 1) * 720
		if i%2 == 0 {
			x = (r.Float64()*2 - 1) * 3
		}
		if u := ulps(Exp(x), math.Exp(x)); u > worst {
			worst = u
		}
	}
	t.Logf("largest difference from math.Exp: %.2f ulp", worst)
	if worst > 2 {
		t.Errorf("Exp differs from math.Exp by %.2f ulp", worst)
	}
	for _, x := range []float64{0, 1, -1, 708.9, -707.9, 709.5, 710, -745, -746, math.Inf(1), math.Inf(-1)} {
		if got, want := Exp(x), math.Exp(x); ulps(got, want) > 2 && !(got == want) {
			t.Errorf("Exp(%g) = %g, want %g", x, got, want)
		}
	}
	if !math.IsNaN(Exp(math.NaN())) {
		t.Error("Exp(NaN) is not NaN")
	}
}

func TestLogAccuracy(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	worst := 0.0
	for i := 0; i < 2_000_000; i++ {
		x := math.Exp((r.Float64()*2 - 1) * 700)
		if i%2 == 0 {
			x = 1 + r.Float64() // the range Log1pExp uses
		}
		want := math.Log(x)
		// Relative to max(|log x|, 1): the absolute accuracy the sums need.
		e := math.Abs(Log(x)-want) / math.Max(math.Abs(want), 1) / 0x1p-52
		if e > worst {
			worst = e
		}
	}
	t.Logf("largest error: %.2f ulp of max(|log x|, 1)", worst)
	if worst > 2 {
		t.Errorf("Log error %.2f ulp", worst)
	}
	// Near 1 the result is relatively accurate too (r = m − 1 exactly).
	for _, x := range []float64{1 + 1e-10, 1 + 1e-3, 1.0000001} {
		if u := ulps(Log(x), math.Log1p(x-1)); u > 2 {
			t.Errorf("Log(%v): %.1f ulp from log1p", x, u)
		}
	}
	if !math.IsNaN(Log(-1)) {
		t.Error("Log(-1) is not NaN")
	}
	for _, x := range []float64{0, math.Inf(1), math.SmallestNonzeroFloat64} {
		if got, want := Log(x), math.Log(x); got != want {
			t.Errorf("Log(%g) = %g, want %g", x, got, want)
		}
	}
}

func TestLogistic(t *testing.T) {
	for _, x := range []float64{-800, -40, -5, -0.1, 0, 0.3, 6, 50, 800} {
		l, p, pq := Logistic(x)
		if wpq := math.Exp(-math.Abs(x)) / math.Pow(1+math.Exp(-math.Abs(x)), 2); math.Abs(pq-wpq) > 4e-16*wpq {
			t.Errorf("p(1-p) at %g = %.17g, want %.17g", x, pq, wpq)
		}
		wl := math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x)))
		wp := 1 / (1 + math.Exp(-x))
		if math.Abs(l-wl) > 2e-16*math.Max(1, math.Abs(wl)) {
			t.Errorf("softplus(%g) = %.17g, want %.17g", x, l, wl)
		}
		if math.Abs(p-wp) > 4e-16*wp {
			t.Errorf("logistic(%g) = %.17g, want %.17g", x, p, wp)
		}
	}
}

var sink float64

func BenchmarkExp(b *testing.B) {
	s, x := 0.0, -0.5
	for b.Loop() {
		s += Exp(x)
		x -= 1e-9
	}
	sink = s
}

func BenchmarkMathExp(b *testing.B) {
	s, x := 0.0, -0.5
	for b.Loop() {
		s += math.Exp(x)
		x -= 1e-9
	}
	sink = s
}

func BenchmarkLogistic(b *testing.B) {
	s, x := 0.0, -0.5
	for b.Loop() {
		l, p, pq := Logistic(x)
		s += l + p + pq
		x += 1e-9
	}
	sink = s
}

func BenchmarkMathLog1pExp(b *testing.B) {
	s, x := 0.0, -0.5
	for b.Loop() {
		e := math.Exp(-math.Abs(x))
		s += math.Log1p(e) + 1/(1+e)
		x += 1e-9
	}
	sink = s
}

// Throughput over a vector, the way the objective calls it.
func benchVec(b *testing.B, f func(float64) float64) {
	xs := make([]float64, 1000)
	for i := range xs {
		xs[i] = float64(i)/100 - 5
	}
	out := make([]float64, len(xs))
	for b.Loop() {
		for i, x := range xs {
			out[i] = f(x)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(xs)), "ns/value")
	sink = out[7]
}

func BenchmarkVecExp(b *testing.B)     { benchVec(b, Exp) }
func BenchmarkVecMathExp(b *testing.B) { benchVec(b, math.Exp) }
func BenchmarkVecLog(b *testing.B)     { benchVec(b, func(x float64) float64 { return Log(x + 6) }) }
func BenchmarkVecMathLog1p(b *testing.B) {
	benchVec(b, func(x float64) float64 { return math.Log1p(x + 6) })
}
