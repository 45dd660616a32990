//go:build !race

package mclafit

const raceEnabled = false
