package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include "cgo.h"
*/
import "C"

import (
	"reflect"
	"unsafe"

	"github.com/glmmgo/glmmgo/core/errs"
)

// Growable structs (options and glmmgo_dims) start with size_t size, the
// bytes of the caller's struct, which may be shorter (an older header)
// than the library's. Only fields lying wholly within size are read or
// written; reading takes the defaults for the rest.

// structSize checks the size a caller gave for a struct of type T.
func structSize[T any](size C.size_t, name string) (uintptr, error) {
	var v T
	lim := unsafe.Sizeof(v)
	if uintptr(size) < unsafe.Sizeof(C.size_t(0)) || uintptr(size) > lim {
		return 0, errs.Invalidf("size", "is %d bytes; a %s has between %d and %d (pass sizeof the struct; a larger struct comes from a header newer than this library, %s)",
			uint64(size), name, unsafe.Sizeof(C.size_t(0)), lim, C.GLMMGO_VERSION_STRING)
	}
	return uintptr(size), nil
}

// copyFields copies from src to dst the fields of T that lie wholly within
// the first size bytes; neither side is touched beyond them.
func copyFields[T any](dst, src *T, size uintptr) {
	t := reflect.TypeFor[T]()
	d := unsafe.Slice((*byte)(unsafe.Pointer(dst)), size)
	s := unsafe.Slice((*byte)(unsafe.Pointer(src)), size)
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if end := f.Offset + f.Type.Size(); end <= size {
			copy(d[f.Offset:end], s[f.Offset:end])
		}
	}
}

// writeDefaults is glmmgo_E_options_default: def's fields within size go
// to *opt, whose size becomes size.
func writeDefaults[T any](opt *T, size C.size_t, def T, name string) error {
	if opt == nil {
		return errs.Invalidf("opt", "is NULL; pass the address of a %s", name)
	}
	n, err := structSize[T](size, name)
	if err != nil {
		return err
	}
	copyFields(opt, &def, n)
	*(*C.size_t)(unsafe.Pointer(opt)) = size
	return nil
}

// readOptions returns the caller's options: the fields within opt->size,
// defaults for the rest.
func readOptions[T any](opt *T, def T, name, defaults string) (T, error) {
	if opt == nil {
		return def, errs.Invalidf("opt", "is NULL; fill a %s with %s", name, defaults)
	}
	n, err := structSize[T](*(*C.size_t)(unsafe.Pointer(opt)), name)
	if err != nil {
		return def, err
	}
	o := def
	copyFields(&o, opt, n)
	return o, nil
}
