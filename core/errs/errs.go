// Package errs defines the error values the core returns. Each carries a
// Kind, which the C ABI maps one-to-one onto a status code, and the name of
// the argument at fault, so that every message can say what to fix.
package errs

import (
	"errors"
	"fmt"
)

// Kind classifies an error the way the C ABI reports it.
type Kind int

// The kinds, in the order of the C status codes (GLMMGO_OK is 0).
const (
	Invalid   Kind = 1 // an argument is malformed: wrong size, NaN, out of range
	Domain    Kind = 2 // parameters outside the parameter space (e.g. a variance <= 0)
	Numeric   Kind = 3 // a numerical failure: not positive definite, overflow, no convergence
	Cancelled Kind = 4 // the caller's callback asked to stop
	Internal  Kind = 5 // a bug in glmmgo (a recovered panic)
	Handle    Kind = 6 // a handle that is unknown, freed, or of the wrong kind
	Busy      Kind = 7 // a handle used by two threads at once
	State     Kind = 8 // a call out of order (e.g. objective before samples are set)
	// 9 is the C interface's own GLMMGO_ERR_FORKED, decided before Go runs.
	Resource Kind = 10 // a valid request that needs more memory than the limit allows
)

func (k Kind) String() string {
	switch k {
	case Invalid:
		return "invalid argument"
	case Domain:
		return "outside the parameter space"
	case Numeric:
		return "numerical failure"
	case Cancelled:
		return "cancelled"
	case Internal:
		return "internal error"
	case Handle:
		return "invalid handle"
	case Busy:
		return "handle busy"
	case State:
		return "call out of order"
	case Resource:
		return "not enough memory"
	}
	return fmt.Sprintf("kind %d", int(k))
}

// Error is an error with a Kind and, when one argument is at fault, its name.
type Error struct {
	Kind Kind
	Arg  string // the argument at fault, or ""
	Msg  string
}

func (e *Error) Error() string {
	if e.Arg == "" {
		return e.Msg
	}
	return e.Arg + ": " + e.Msg
}

func newf(k Kind, arg, format string, a ...any) *Error {
	return &Error{Kind: k, Arg: arg, Msg: fmt.Sprintf(format, a...)}
}

// Invalidf reports a malformed argument.
func Invalidf(arg, format string, a ...any) error { return newf(Invalid, arg, format, a...) }

// Domainf reports parameters outside the parameter space.
func Domainf(arg, format string, a ...any) error { return newf(Domain, arg, format, a...) }

// Numericf reports a numerical failure.
func Numericf(arg, format string, a ...any) error { return newf(Numeric, arg, format, a...) }

// Statef reports a call made out of order.
func Statef(format string, a ...any) error { return newf(State, "", format, a...) }

// ErrCancelled is returned when a progress callback asks to stop.
var ErrCancelled error = &Error{Kind: Cancelled, Msg: "cancelled by the caller"}

// KindOf returns the Kind of err, Internal for errors not made here.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}
