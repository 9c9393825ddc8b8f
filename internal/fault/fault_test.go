package fault_test

import (
	"fmt"
	"testing"

	"github.com/relais/relais/internal/fault"
)

func TestFields(t *testing.T) {
	name := fault.InvalidField("subject.name", "required", "give the name")
	date := fault.InvalidField("subject.date_of_birth", "invalid_date", "the date is in the future")
	cases := []struct {
		name      string
		errs      []*fault.Error
		wantNil   bool
		field     string
		count     int
		wantError string
	}{
		{"none", nil, true, "", 0, ""},
		{"one", []*fault.Error{name}, false, "subject.name", 1, "subject.name: give the name"},
		{"two", []*fault.Error{name, date}, false, "subject.name", 2,
			"subject.name: give the name; subject.date_of_birth: the date is in the future"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := fault.Fields(tc.errs...)
			if tc.wantNil {
				if err != nil {
					t.Fatalf("Fields() = %v, want nil", err)
				}
				return
			}
			fe, ok := fault.As(fmt.Errorf("create notice: %w", err))
			if !ok || fe.Kind != fault.Invalid || fe.Field != tc.field || len(fe.Errors) != tc.count {
				t.Fatalf("Fields = %+v, want invalid %s with %d errors", fe, tc.field, tc.count)
			}
			if err.Error() != tc.wantError {
				t.Errorf("Error() = %q, want %q", err.Error(), tc.wantError)
			}
		})
	}
}
