//go:build !race

package laplacefit

const raceEnabled = false
