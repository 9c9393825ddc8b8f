package records

import (
	"strings"
	"testing"

	"github.com/relais/relais/internal/policy"
)

func TestVIN(t *testing.T) {
	cases := []struct {
		vin, code string
	}{
		{"1M8GDM9AXKP042788", ""},
		{"1m8gdm9a-xkp042788", ""},
		{"1M8GDM9AXKP042789", "vin_check_digit"},
		{"WVWZZZ1JZXW000001", ""}, // Europe: no check digit
		{"1M8GDM9AXKP04278", "invalid_vin"},
		{"1M8GDM9AXKPO42788", "invalid_vin"},
		{"", "missing_vin"},
	}
	for _, c := range cases {
		err := ValidateVIN("vin", NormalizeVIN(c.vin))
		got := ""
		if err != nil {
			got = itemCode(err)
		}
		if got != c.code {
			t.Errorf("%q: %v, want %q", c.vin, err, c.code)
		}
	}
}

func itemCode(err error) string {
	le := lineError(0, err)
	return le.Code
}

func TestLineParser(t *testing.T) {
	p := NewLineParser(TravelDocuments, CSV, "FR", policy.Audience{})
	if err := p.Header([]byte("number,country,type,status,reported_at")); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ line, code string }{
		{`ab 12-34,FR,passport,stolen,2025-01-01`, ""},
		{`"AB,1234",FR,passport,stolen,`, "invalid_document_number"},
		{`"AB""1234",FR,passport,stolen,`, "invalid_document_number"},
		{`AB1234,FR,passport,stolen`, "wrong_column_count"},
		{`"AB1234,FR,passport,stolen,`, "invalid_csv"},
		{`AB1234,ZZ,passport,stolen,`, "invalid_country"},
		{"AB1234,FR,passport,stolen,\xff", "invalid_utf8"},
	}
	for _, c := range cases {
		_, err := p.Parse([]byte(c.line))
		got := ""
		if err != nil {
			got = itemCode(err)
		}
		if got != c.code {
			t.Errorf("%q: %v, want %q", c.line, err, c.code)
		}
	}
	if err := NewLineParser(Vehicles, CSV, "FR", policy.Audience{}).Header([]byte("vin,wheels")); err == nil || !strings.Contains(err.Error(), "wheels") {
		t.Errorf("unknown column: %v", err)
	}
}

// FuzzLineParsers feeds any bytes to the CSV and JSON-lines parsers of every
// kind: they must answer a record or an error, never panic, and a record
// they accept must be normalised (parsing its fields again changes nothing).
func FuzzLineParsers(f *testing.F) {
	f.Add([]byte(`AB1234,FR,passport,stolen,2025-01-01`))
	f.Add([]byte(`{"number":"AB1234","issuing_country":"FR","status":"lost"}`))
	f.Add([]byte(`{"id":"P-1","name":"Ahmed AL-MASRI","aliases":["x"],"birth_date":"1979","nationality":"EG","sex":"M"}`))
	f.Add([]byte(`"a""b",c,"d`))
	f.Add([]byte("\xff\xfe,\"\""))
	headers := map[Kind]string{
		Persons: "id,name,aliases,birth_date,nationality,sex", TravelDocuments: "number,issuing_country,type,status,reported_at",
		Vehicles: "vin,plate,make,model,colour,country", Artworks: "title,artist,object_type,period,dimensions,description,photos",
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		for _, k := range Kinds() {
			for _, format := range []Format{CSV, JSONLines} {
				p := NewLineParser(k, format, "FR", policy.Audience{})
				if format == CSV {
					if err := p.Header([]byte(headers[k])); err != nil {
						t.Fatal(err)
					}
				}
				rec, err := p.Parse(line)
				if err != nil || rec == nil {
					continue
				}
				if rec.Header().Owner != "FR" {
					t.Fatalf("owner %q", rec.Header().Owner)
				}
				if err := rec.normalize(); err != nil {
					t.Fatalf("accepted record fails its own check: %v", err)
				}
			}
		}
	})
}
