package notice_test

import (
	"encoding/json"
	"testing"

	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/notice"
)

// FuzzValidate feeds arbitrary JSON to the decoding and validation of a
// notice: it must never panic, must answer a classified "invalid" error
// with a field (or accept), and what it accepts must validate again
// unchanged (normalisation is stable).
func FuzzValidate(f *testing.F) {
	seeds := []string{
		`{"type":"red","subject":{"name":"Dupont","forename":"Jean","date_of_birth":"1979-02-29","nationalities":["FR"]},"arrest_warrants":[{"issuing_country":"FR","charge":"x","max_penalty_years":2}]}`,
		`{"type":"yellow","subject":{"forename":"Ana"},"disappearance":{"date":"2025-01","country":"br"}}`,
		`{"type":"un","un":{"reference":"QDe.1","resolution":"1267"},"entity":{"name":"Front","aliases":["F"]}}`,
		`{"type":"red","subject":{"name":"X"},"conviction":{"issuing_country":"DE","charge":"y","sentence_years":1e308,"time_left_months":-1}}`,
		`{"type":"purple","description":"\u0000"}`,
		`{"type":"black","subject":{"name":"?","date_of_birth":"9999-12-31"},"discovery":{"date":"2020"}}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		d, err := notice.DecodeData(raw)
		if err != nil {
			return
		}
		err = d.Validate(now)
		if err != nil {
			fe, ok := fault.As(err)
			if !ok || fe.Kind != fault.Invalid || fe.Field == "" || fe.Message == "" {
				t.Fatalf("unclassified error %v for %s", err, raw)
			}
			return
		}
		first, _ := json.Marshal(d)
		again, err := notice.DecodeData(first)
		if err != nil {
			t.Fatalf("accepted data does not decode again: %v\n%s", err, first)
		}
		if err := again.Validate(now); err != nil {
			t.Fatalf("accepted data fails validation again: %v\n%s", err, first)
		}
		if second, _ := json.Marshal(again); string(second) != string(first) {
			t.Fatalf("normalisation is not stable:\n%s\n%s", first, second)
		}
		_ = notice.Precheck(d, notice.History{})
	})
}
