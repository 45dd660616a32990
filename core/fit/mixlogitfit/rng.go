package mixlogitfit

import (
	"math"
	"math/rand/v2"
)

// splitmix64 is the finaliser of Steele, Lea and Flood's SplitMix64
// (OOPSLA 2014): it scrambles a key so that nearby keys seed unrelated
// PCG states.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// subjectStream is the random stream of subject i in round r (the initial
// draw or an augmentation) of MCEM iteration iter. It depends on nothing
// else, so the draws do not depend on which worker makes them.
func subjectStream(seed uint64, iter, round, i int) *rand.Rand {
	key := uint64(iter)<<40 ^ uint64(round)<<32 ^ uint64(i)
	return rand.New(rand.NewPCG(splitmix64(seed), splitmix64(key^0x6d69786c6f676974)))
}

// studentT draws from the standard t distribution with nu degrees of
// freedom by Bailey's polar method (Math. Comp. 62:779–781, 1994): for
// (u, v) uniform on the unit disc, w = u² + v²,
// t = u·√(ν(w^{−2/ν} − 1)/w).
func studentT(r *rand.Rand, nu float64) float64 {
	for {
		u, v := 2*r.Float64()-1, 2*r.Float64()-1
		w := u*u + v*v
		if w > 0 && w < 1 {
			return u * math.Sqrt(nu*(math.Pow(w, -2/nu)-1)/w)
		}
	}
}

// tLogDensity is the log density of the standard t distribution with nu
// degrees of freedom, less its normalising constant tLogConst(nu).
func tLogDensity(t, nu float64) float64 { return -0.5 * (nu + 1) * math.Log1p(t*t/nu) }

func tLogConst(nu float64) float64 {
	a, _ := math.Lgamma(0.5 * (nu + 1))
	b, _ := math.Lgamma(0.5 * nu)
	return a - b - 0.5*math.Log(nu*math.Pi)
}
