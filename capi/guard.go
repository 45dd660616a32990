package main

// Build flags for the fork guard (guard.c): hide every C symbol of the
// package unless glmmgo.h declares it, so the Go exports glmmgo_go_* that
// guard.c wraps are not callable from outside; and make argument
// mismatches between a wrapper and the Go export it calls compile errors.

/*
#cgo CFLAGS: -fvisibility=hidden -Werror=incompatible-pointer-types -Werror=int-conversion -Werror=implicit-function-declaration
*/
import "C"
