//go:build race

package laplacefit

// raceEnabled: the race detector slows the numerical loops ten-fold, so the
// long statistical tests shrink (they check numbers, the race run checks
// concurrency).
const raceEnabled = true
