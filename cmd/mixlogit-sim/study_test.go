package main

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// TestRunSmall runs a two-replicate study on small data sets, so that the
// program (which is run by hand) keeps working.
func TestRunSmall(t *testing.T) {
	c := defaultConfig()
	c.n, c.t, c.reps, c.workers = 60, 10, 2, 2
	if err := c.parse("-1,1.5,1,2,0.6", "quadrature,mcem"); err != nil {
		t.Fatal(err)
	}
	var out, csv bytes.Buffer
	if err := run(&out, io.Discard, &csv, c); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"quadrature\n", "mcem\n", "| beta2 ", "time per fit"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if lines := strings.Count(csv.String(), "\n"); lines != 1+2*2*5 {
		t.Errorf("CSV has %d lines, want %d", lines, 1+2*2*5)
	}
}

// TestMixingSmall runs the sampler comparison on a small data set.
func TestMixingSmall(t *testing.T) {
	c := defaultConfig()
	c.n, c.t, c.workers = 40, 10, 1
	var out bytes.Buffer
	if err := mixing(&out, c); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"acceptance", "Kish ESS"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
