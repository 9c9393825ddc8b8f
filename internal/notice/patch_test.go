package notice

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestPatchTurnsOneRequestIntoTheOther applies the patch from cur to next
// to cur, as Update does, and expects next.
func TestPatchTurnsOneRequestIntoTheOther(t *testing.T) {
	base := func() Request {
		return Request{Data: Data{Type: Red,
			Subject: &Subject{Name: "Dupont", Forename: "Jean", Aliases: []string{"JD"}, Nationalities: []string{"FR", "BE"},
				IdentityDocuments: []Document{{Type: "passport", Number: "12AB34567", IssuingCountry: "FR"}}},
			ArrestWarrants: []Warrant{{IssuingCountry: "FR", Charge: "Robbery", MaxPenaltyYears: 10}},
			Description:    "Armed."}, Public: true, ExcludedCountries: []string{"DE"}}
	}
	tests := []struct {
		name   string
		change func(r *Request)
		want   string // the patch, as encoding/json writes it (keys sorted)
	}{
		{"nothing", func(r *Request) {}, `{}`},
		{"a cleared field is null", func(r *Request) { r.Description = "" }, `{"description":null}`},
		{"a nested field", func(r *Request) { r.Subject.Forename = "Jean-Marc" }, `{"subject":{"forename":"Jean-Marc"}}`},
		{"a cleared nested field", func(r *Request) { r.Subject.Aliases = nil }, `{"subject":{"aliases":null}}`},
		{"an array whole", func(r *Request) { r.ArrestWarrants[0].Charge = "Fraud" },
			`{"arrest_warrants":[{"charge":"Fraud","issuing_country":"FR","max_penalty_years":10}]}`},
		{"a new object", func(r *Request) { r.Subject = nil; r.Conviction = &Convicted{Charge: "Theft", SentenceYears: 2} },
			`{"conviction":{"charge":"Theft","issuing_country":"","sentence_years":2,"time_left_months":0},"subject":null}`},
		{"top-level values", func(r *Request) { r.Public = false; r.ExcludedCountries = nil }, `{"excluded_countries":null,"public":false}`},
	}
	for _, tt := range tests {
		cur, next := base(), base()
		tt.change(&next)
		patch, err := Patch(cur, next)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if string(patch) != tt.want {
			t.Errorf("%s: patch %s, want %s", tt.name, patch, tt.want)
		}
		merged, err := mergePatch(cur, patch)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		got, err := decodeRequest(merged)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		gotJSON, _ := json.Marshal(got)
		wantJSON, _ := json.Marshal(next)
		if !reflect.DeepEqual(gotJSON, wantJSON) {
			t.Errorf("%s: patched to\n%s\nwant\n%s", tt.name, gotJSON, wantJSON)
		}
	}
}
