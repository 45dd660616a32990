package main

import (
	"runtime/debug"
	"runtime/metrics"
)

// ReturnThreshold is the heap allocation during one call above which the
// call gives the Go heap's free memory back to the operating system before
// it returns. Go's collector would otherwise keep a large fit's dead
// u-matrix resident for minutes (its periodic GC runs every two minutes
// and the scavenger returns pages slowly), a host's own collector (R's
// gc()) cannot reach it, and a second large fit started meanwhile holds
// two; a collection after a call that allocated this much costs little
// beside it.
const ReturnThreshold = 64 << 20

var allocsMetric = []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}

// allocated is the cumulative heap allocation of the process.
func allocated() uint64 {
	s := []metrics.Sample{allocsMetric[0]}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// returnMemory frees the heap's unused memory to the operating system if
// at least ReturnThreshold bytes were allocated since mark (allocated()),
// by this call or by others running at the same time.
func returnMemory(mark uint64) {
	if allocated()-mark >= ReturnThreshold {
		debug.FreeOSMemory()
	}
}
