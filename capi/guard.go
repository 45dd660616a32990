package main

// Build flags for the fork guard (guard.c): hide every C symbol of the
// package unless glmmgo.h declares it, so the Go exports glmmgo_go_* that
// guard.c wraps are not callable from outside; and make argument
// mismatches between a wrapper and the Go export it calls compile errors.
// The linker flag sends the library's own calls of pthread_create (Go's
// runtime creating its threads) through threads.c, which immunises each
// new thread against the host's profiler signals; a c-archive carries no
// linker flags, so the R package's Makevars repeats it.

/*
#cgo CFLAGS: -fvisibility=hidden -Werror=incompatible-pointer-types -Werror=int-conversion -Werror=implicit-function-declaration
#cgo LDFLAGS: -Wl,--wrap=pthread_create
*/
import "C"
