package simdata

import "testing"

// TestDesigns: every level is used, the shapes are as documented, and the
// same seed gives the same data.
func TestDesigns(t *testing.T) {
	for name, d := range map[string]Data{
		"crossed": Crossed(1, 50, 40, 5),
		"nested":  Nested(2, 60, 20, 3),
		"locally": LocallyCrossed(3, 4, 6, 10, 3, true, true),
	} {
		n := len(d.Y)
		if len(d.X) != n*d.P {
			t.Fatalf("%s: X has %d values for n=%d, p=%d", name, len(d.X), n, d.P)
		}
		for _, tm := range d.Terms {
			used := make([]bool, tm.NLevels)
			for _, c := range tm.Codes {
				used[c] = true
			}
			for l, u := range used {
				if !u {
					t.Errorf("%s: term %s: level %d unused", name, tm.Name, l)
				}
			}
			if len(tm.Z) != n*tm.K {
				t.Errorf("%s: term %s: Z has %d values", name, tm.Name, len(tm.Z))
			}
		}
	}
	a, b := LocallyCrossed(9, 3, 4, 5, 2, true, false), LocallyCrossed(9, 3, 4, 5, 2, true, false)
	for i := range a.Y {
		if a.Y[i] != b.Y[i] || a.Terms[1].Codes[i] != b.Terms[1].Codes[i] {
			t.Fatal("the same seed gave different data")
		}
	}
	d := Nested(4, 30, 10, 2)
	for i, c := range d.Terms[1].Codes {
		if p := d.Terms[0].Codes[i]; p%10 != c {
			t.Fatalf("pupil %d in class %d", p, c)
		}
	}
}
