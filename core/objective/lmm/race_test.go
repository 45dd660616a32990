//go:build race

package lmm

// raceEnabled is true under the race detector.
const raceEnabled = true
