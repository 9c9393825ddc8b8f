package web

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/relais/relais/internal/fault"
)

// TestFieldErrors checks the one way from a service error to the messages
// of a form: which errors a form explains, where each fault goes and which
// message a field keeps.
func TestFieldErrors(t *testing.T) {
	name := fault.InvalidField("subject.name", "required", "give the name")
	nameAgain := fault.InvalidField("subject.name", "too_long", "the name is too long")
	date := fault.InvalidField("subject.date_of_birth", "invalid_date", "the date is in the future")
	// A form whose fields are the service's without "subject.".
	trimSubject := func(field string) string {
		if field == "" {
			return "_"
		}
		return strings.TrimPrefix(field, "subject.")
	}
	code := func(fe *fault.Error) string { return fe.Code }
	tests := []struct {
		name      string
		err       error
		formField func(string) string
		want      map[string]string // nil: the form does not explain the error
	}{
		{"no error", nil, sameField, nil},
		{"not a service error", errors.New("disk full"), sameField, nil},
		{"not found", fault.NotFoundf("no such notice"), sameField, nil},
		{"forbidden", fault.New(fault.Forbidden, "forbidden", "not yours"), sameField, nil},
		{"one field", name, sameField, map[string]string{"subject.name": "required"}},
		{"no field", fault.New(fault.Invalid, "invalid_state", "not now"), sameField, map[string]string{"_": "invalid_state"}},
		{"conflict", fault.New(fault.Conflict, "stale_version", "changed meanwhile"), sameField, map[string]string{"_": "stale_version"}},
		{"wrapped", fmt.Errorf("create notice: %w", name), trimSubject, map[string]string{"name": "required"}},
		{"every field collected", fault.Fields(name, date), trimSubject,
			map[string]string{"name": "required", "date_of_birth": "invalid_date"}},
		{"the first fault of a field", fault.Fields(nameAgain, date, name), trimSubject,
			map[string]string{"name": "too_long", "date_of_birth": "invalid_date"}},
		{"all above the form", fault.Fields(date, name), aboveForm, map[string]string{"_": "invalid_date"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := fieldErrors(tt.err, tt.formField, code)
			if ok != (tt.want != nil) || !maps.Equal(got, tt.want) {
				t.Errorf("fieldErrors(%v) = %v, %v; want %v", tt.err, got, ok, tt.want)
			}
		})
	}
}
