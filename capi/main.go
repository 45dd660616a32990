// Command capi is libglmmgo, glmmgo's C interface, built with
//
//	go build -buildmode=c-shared -o build/libglmmgo.so ./capi
//
// It converts and validates C arguments, keeps models and fits behind
// integer handles, and maps core errors to the status codes and messages
// of include/glmmgo.h. It holds no mathematics: that is in core/.
//
// The layers of one call: the public function is a C wrapper in guard.c,
// generated from the header, that refuses to enter Go in a child forked
// after the library was loaded (Go could hang there before running a
// statement) and calls the hidden Go export glmmgo_go_<name>. Every Go
// export runs its body through call (or withHandle, which adds the handle
// lookup), which recovers any panic into GLMMGO_ERR_INTERNAL, so none
// crosses into the host process, and writes a message naming the argument
// at fault. Results of every handle kind go through one table per kind
// (results.go); options structs through one reader (options.go); progress
// callbacks through one trampoline (progress.go).
package main

//go:generate go run ../internal/genguard
//go:generate go run ../internal/genjulia
//go:generate go run ../internal/genr

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "cgo.h"
*/
import "C"

func main() {}
