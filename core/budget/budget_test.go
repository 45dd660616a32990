package budget

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/glmmgo/glmmgo/core/errs"
)

func TestNeed(t *testing.T) {
	if err := SetLimit(1 << 20); err != nil {
		t.Fatal(err)
	}
	defer SetLimit(0)
	for _, tc := range []struct {
		bytes float64
		ok    bool
	}{{0, true}, {1 << 20, true}, {1<<20 + 1, false}, {math.Inf(1), false}, {math.NaN(), false}, {Doubles(1<<30, 1<<30), false}} {
		err := Need("m", "the u-matrix", tc.bytes)
		if (err == nil) != tc.ok {
			t.Errorf("Need(%g) = %v, want ok %v", tc.bytes, err, tc.ok)
			continue
		}
		var e *errs.Error
		if err != nil && (!errors.As(err, &e) || e.Kind != errs.Resource || e.Arg != "m" || !strings.Contains(e.Msg, "the u-matrix needs") ||
			!strings.Contains(e.Msg, "1.0 MB")) {
			t.Errorf("Need(%g): %v, want a Resource error naming m, what needs the memory and the limit", tc.bytes, err)
		}
	}
}

func TestLimit(t *testing.T) {
	if Available() <= 0 || Default() <= 0 || Default() > Available() {
		t.Fatalf("available %d, default %d", Available(), Default())
	}
	if err := SetLimit(-1); errs.KindOf(err) != errs.Invalid {
		t.Errorf("SetLimit(-1) = %v, want an invalid-argument error", err)
	}
	if err := SetLimit(12345); err != nil || Limit() != 12345 {
		t.Errorf("SetLimit(12345): %v, limit %d", err, Limit())
	}
	if err := SetLimit(0); err != nil || Limit() != Default() {
		t.Errorf("SetLimit(0): %v, limit %d, default %d", err, Limit(), Default())
	}
}

func TestFormat(t *testing.T) {
	for b, want := range map[float64]string{512: "512 B", 1500: "1.5 kB", 96e9: "96.0 GB", 4.4e12: "4.4 TB", math.Inf(1): "+Inf B"} {
		if got := Format(b); got != want {
			t.Errorf("Format(%g) = %q, want %q", b, got, want)
		}
	}
}
