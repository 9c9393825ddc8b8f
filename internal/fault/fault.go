// Package fault classifies the errors that domain services return, so that
// every interface (HTTP, CLI) can tell the person what went wrong and what to
// fix without knowing the service's internals.
package fault

import (
	"errors"
	"fmt"
	"strings"
)

// Kind is the class of a failure.
type Kind int

const (
	Invalid      Kind = iota + 1 // the input is wrong; the message says what to fix
	NotFound                     // no such thing, or one the actor may not know of
	Forbidden                    // the actor may know of it but not do this
	Conflict                     // the thing's current state does not allow this
	Unauthorized                 // who is asking is not established
	TooMany                      // throttled: try again later
	Precondition                 // a condition the request set (If-Match) does not hold
)

// Error is a classified failure with a message meant for the person asking.
type Error struct {
	Kind    Kind
	Code    string // stable, machine-readable, e.g. "invalid_country"
	Field   string // the input field at fault, when there is one
	Message string
	// Errors are every field at fault, this one first, when a check
	// collected them all so that the person can fix them at once.
	Errors []*Error
}

func (e *Error) Error() string {
	if len(e.Errors) > 1 {
		msgs := make([]string, len(e.Errors))
		for i, fe := range e.Errors {
			msgs[i] = fe.single()
		}
		return strings.Join(msgs, "; ")
	}
	return e.single()
}

func (e *Error) single() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message
	}
	return e.Message
}

// New makes a classified error.
func New(kind Kind, code, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Message: fmt.Sprintf(format, args...)}
}

// InvalidField reports a wrong input field.
func InvalidField(field, code, format string, args ...any) *Error {
	return &Error{Kind: Invalid, Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Fields gathers the faults of several input fields into one Invalid error
// that reads as the first of them and lists them all in Errors. It is nil
// when there is none.
func Fields(errs ...*Error) error {
	if len(errs) == 0 {
		return nil
	}
	first := *errs[0]
	first.Kind = Invalid
	first.Errors = errs
	return &first
}

// NotFoundf reports that a thing does not exist for the asker.
func NotFoundf(format string, args ...any) *Error {
	return &Error{Kind: NotFound, Code: "not_found", Message: fmt.Sprintf(format, args...)}
}

// As finds the classified error in err's chain.
func As(err error) (*Error, bool) {
	var fe *Error
	ok := errors.As(err, &fe)
	return fe, ok
}

// Is reports whether err carries a classified error of the given kind.
func Is(err error, kind Kind) bool {
	fe, ok := As(err)
	return ok && fe.Kind == kind
}
