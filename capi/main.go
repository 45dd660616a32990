// Command capi is libglmmgo, glmmgo's C interface, built with
//
//	go build -buildmode=c-shared -o build/libglmmgo.so ./capi
//
// It converts and validates C arguments, keeps models behind integer
// handles, and maps core errors to the status codes and messages of
// include/glmmgo.h. It holds no mathematics: that is in core/.
//
// Every public function is a C wrapper in guard.c that refuses to enter Go
// in a child forked after the library was loaded (Go could hang there
// before running a statement) and calls the hidden Go export
// glmmgo_go_<name>. Every export (1) checks the process id again, (2)
// recovers any panic into GLMMGO_ERR_INTERNAL, so none crosses into the
// host process, and (3) writes a message naming the argument at fault. The prototypes are those of include/glmmgo.h, which every file's
// preamble includes, so cgo's compilation of the generated export header
// fails if an export and its documented prototype ever disagree.
package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "cgo.h"
*/
import "C"

func main() {}
