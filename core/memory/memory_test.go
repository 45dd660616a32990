package memory

import (
	"strings"
	"testing"
)

func TestBudget(t *testing.T) {
	if p := Physical(); p < 1<<28 {
		t.Fatalf("physical memory %d bytes", p)
	}
	if Budget() != Physical()/4*3 {
		t.Fatalf("default budget %d", Budget())
	}
	if err := SetBudget(1 << 20); err != nil {
		t.Fatal(err)
	}
	defer SetBudget(0)
	if Budget() != 1<<20 {
		t.Fatalf("budget %d after SetBudget", Budget())
	}
	err := Check("terms", "the factor", 3<<20, 0)
	if err == nil || !strings.Contains(err.Error(), "3145728 bytes") || !strings.HasPrefix(err.Error(), "terms: ") {
		t.Fatalf("Check: %v", err)
	}
	if Check("terms", "the factor", 1000, 0) != nil {
		t.Fatal("a small need refused")
	}
	if SetBudget(-1) == nil {
		t.Fatal("a negative budget accepted")
	}
}
