//go:build race

package pql

// raceEnabled is true under the race detector.
const raceEnabled = true
