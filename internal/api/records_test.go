package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/relais/relais/internal/app/apptest"
)

// jsonArray decodes an answer that is a JSON array.
func jsonArray(t *testing.T, r apptest.Response) []any {
	t.Helper()
	var out []any
	if err := json.Unmarshal(r.Body, &out); err != nil {
		t.Fatalf("answer is not a JSON array: %s", r.Body)
	}
	return out
}

func TestRecordsCRUDAndVisibility(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		doc := map[string]any{"number": "12ab-345 67", "issuing_country": "FR", "type": "passport", "status": "stolen",
			"reported_at": "2025-01-02", "audience": map[string]any{"mode": "only", "countries": []string{"DE"}}}
		r := s.Do(t, "POST", "/api/v1/records/travel-documents", "ncb-fr", doc)
		if r.Status != http.StatusCreated || r.JSON["number"] != "12AB34567" || r.JSON["owner"] != "FR" {
			t.Fatalf("create document: %d %s", r.Status, r.Body)
		}
		id := r.JSON["id"].(string)
		path := "/api/v1/records/travel-documents/" + id
		cases := []struct {
			name, method, path, as string
			body                   any
			status                 int
			code                   string
		}{
			{"owner reads", "GET", path, "ncb-fr", nil, 200, ""},
			{"listed country reads", "GET", path, "ncb-de", nil, 200, ""},
			{"unlisted country gets 404", "GET", path, "ncb-us", nil, 404, "not_found"},
			{"unlisted country cannot learn by patching", "PATCH", path, "ncb-us", map[string]any{"status": "lost"}, 404, "not_found"},
			{"listed reader may not patch", "PATCH", path, "ncb-de", map[string]any{"status": "lost"}, 403, "forbidden"},
			{"owner patches", "PATCH", path, "ncb-fr", map[string]any{"status": "lost"}, 200, ""},
			{"owner cannot change owner", "PATCH", path, "ncb-fr", map[string]any{"owner": "DE"}, 400, "read_only"},
			{"bad status", "PATCH", path, "ncb-fr", map[string]any{"status": "misplaced"}, 400, "invalid_status"},
			{"press sees nothing", "GET", path, "press", nil, 404, "not_found"},
			{"GS reads", "GET", path, "admin", nil, 200, ""},
			{"cannot create for another country", "POST", "/api/v1/records/travel-documents", "ncb-de",
				map[string]any{"number": "X1", "issuing_country": "FR", "status": "lost", "owner": "FR"}, 403, "forbidden"},
			{"frontline cannot create", "POST", "/api/v1/records/vehicles", "border-fr", map[string]any{"vin": "WVWZZZ1JZXW000001"}, 403, "forbidden"},
			{"wrong VIN check digit", "POST", "/api/v1/records/vehicles", "ncb-us", map[string]any{"vin": "1M8GDM9AXKP042789"}, 400, "vin_check_digit"},
			{"VIN with O", "POST", "/api/v1/records/vehicles", "ncb-us", map[string]any{"vin": "1M8GDM9AOKP042788"}, 400, "invalid_vin"},
			{"VIN too short", "POST", "/api/v1/records/vehicles", "ncb-us", map[string]any{"vin": "1M8GDM9A"}, 400, "invalid_vin"},
			{"valid North-American VIN", "POST", "/api/v1/records/vehicles", "ncb-us", map[string]any{"vin": "1m8gdm9a-xkp042788", "plate": "abc 123", "make": "Motor Coach"}, 201, ""},
			{"European VIN has no check digit", "POST", "/api/v1/records/vehicles", "ncb-de", map[string]any{"vin": "WVWZZZ1JZXW000001", "country": "DE"}, 201, ""},
			{"unknown kind", "GET", "/api/v1/records/boats", "ncb-fr", nil, 404, "not_found"},
			{"person", "POST", "/api/v1/records/persons", "ncb-fr", map[string]any{"id": "FR-2025-1", "name": "Jean Dupont", "birth_date": "1970-05-01",
				"nationality": "FRA", "sex": "m", "reason": "wanted for fraud", "details": map[string]any{"eye_color": "blue"}}, 201, ""},
			{"person id taken", "POST", "/api/v1/records/persons", "ncb-fr", map[string]any{"id": "FR-2025-1", "name": "Jean Dupont"}, 409, "duplicate_id"},
			{"person without name", "POST", "/api/v1/records/persons", "ncb-fr", map[string]any{"id": "FR-2025-2"}, 400, "missing_name"},
			{"bad birth date", "POST", "/api/v1/records/persons", "ncb-fr", map[string]any{"name": "A B", "birth_date": "1970-13-01"}, 400, "invalid_date"},
			{"artwork", "POST", "/api/v1/records/artworks", "ncb-fr", map[string]any{"title": "La Joconde", "artist": "Leonardo", "photos": []string{"https://example.org/1.jpg"}}, 201, ""},
			{"unknown field", "POST", "/api/v1/records/artworks", "ncb-fr", map[string]any{"title": "X", "colour": "red"}, 400, "unknown_field"},
			{"blank range", "POST", "/api/v1/records/travel-documents", "ncb-fr", map[string]any{"issuing_country": "FR", "status": "stolen-blank", "serial_from": "AB1000", "serial_to": "AB1999"}, 201, ""},
			{"blank range reversed", "POST", "/api/v1/records/travel-documents", "ncb-fr", map[string]any{"issuing_country": "FR", "status": "stolen-blank", "serial_from": "AB2000", "serial_to": "AB1999"}, 400, "invalid_serial_range"},
		}
		for _, c := range cases {
			r := s.Do(t, c.method, c.path, c.as, c.body)
			if r.Status != c.status || (c.code != "" && r.ErrorCode() != c.code) {
				t.Errorf("%s: %d %s, want %d %s", c.name, r.Status, r.Body, c.status, c.code)
			}
		}
		// Lists show only what the asker may see.
		for as, want := range map[string]int{"ncb-fr": 2, "ncb-de": 2, "ncb-us": 1} { // the blank range is shared with all
			r := s.Do(t, "GET", "/api/v1/records/travel-documents", as, nil)
			if got := len(r.JSON["records"].([]any)); got != want {
				t.Errorf("%s lists %d documents, want %d: %s", as, got, want, r.Body)
			}
		}
		r = s.Do(t, "GET", "/api/v1/records/travel-documents?q=12AB34567", "ncb-fr", nil)
		if recs := r.JSON["records"].([]any); len(recs) != 1 || recs[0].(map[string]any)["status"] != "lost" {
			t.Fatalf("filter by number: %s", r.Body)
		}
		if r := s.Do(t, "DELETE", path, "ncb-de", nil); r.Status != 403 {
			t.Fatalf("reader deletes: %d", r.Status)
		}
		if r := s.Do(t, "DELETE", path, "ncb-fr", nil); r.Status != 204 {
			t.Fatalf("owner deletes: %d %s", r.Status, r.Body)
		}
		if r := s.Do(t, "GET", path, "ncb-fr", nil); r.Status != 404 {
			t.Fatalf("deleted record: %d", r.Status)
		}
	})
}

func TestRecordsImportAPI(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		body := strings.Join([]string{
			`{"id":"P-1","name":"Ahmed Hassan AL-MASRI","aliases":["Ahmed al-Masri"],"birth_date":"1979-03-14","nationality":"EG","sex":"M"}`,
			`{"id":"P-2","name":"Jane Roe","birth_date":"1980-02-30"}`,
			`not json`,
			``,
			`{"id":"P-1","name":"Someone Else"}`,
			`{"id":"P-3","name":"Wang Wei","nationality":"CN"}`,
		}, "\n")
		r := s.Do(t, "POST", "/api/v1/records/persons/import", "ncb-fr", body)
		if r.Status != 200 || r.JSON["imported"] != 2.0 || r.JSON["failed"] != 3.0 {
			t.Fatalf("import: %d %s", r.Status, r.Body)
		}
		errs := r.JSON["errors"].([]any)
		lines := []float64{}
		for _, e := range errs {
			lines = append(lines, e.(map[string]any)["line"].(float64))
		}
		if fmt.Sprint(lines) != "[2 3 5]" {
			t.Fatalf("failed lines %v, want [2 3 5]: %s", lines, r.Body)
		}
		if r := s.Do(t, "GET", "/api/v1/records/persons/P-3", "ncb-fr", nil); r.Status != 200 || r.JSON["nationality"] != "CN" {
			t.Fatalf("imported person: %d %s", r.Status, r.Body)
		}
		if r := s.Do(t, "POST", "/api/v1/records/persons/import", "border-fr", body); r.Status != 403 {
			t.Fatalf("frontline import: %d %s", r.Status, r.Body)
		}
	})
}

func TestScreeningAndHits(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		must := func(r apptest.Response, status int) apptest.Response {
			t.Helper()
			if r.Status != status {
				t.Fatalf("%d %s, want %d", r.Status, r.Body, status)
			}
			return r
		}
		must(s.Do(t, "POST", "/api/v1/records/travel-documents", "ncb-fr", map[string]any{
			"number": "L898902C3", "issuing_country": "UTO", "status": "stolen"}), 400) // not a country
		doc := must(s.Do(t, "POST", "/api/v1/records/travel-documents", "ncb-fr", map[string]any{
			"number": "L898902C3", "issuing_country": "FR", "status": "stolen",
			"audience": map[string]any{"mode": "except", "countries": []string{"US"}}}), 201)
		must(s.Do(t, "POST", "/api/v1/records/travel-documents", "ncb-fr", map[string]any{
			"issuing_country": "FR", "status": "stolen-blank", "serial_from": "BL100", "serial_to": "BL199"}), 201)
		must(s.Do(t, "POST", "/api/v1/records/vehicles", "ncb-de", map[string]any{"vin": "WVWZZZ1JZXW000001"}), 201)
		must(s.Do(t, "POST", "/api/v1/records/persons", "ncb-fr", map[string]any{
			"id": "FR-W-1", "name": "Anna Maria ERIKSSON", "birth_date": "1974-08-12", "nationality": "SE", "sex": "F"}), 201)
		must(s.Do(t, "POST", "/api/v1/records/persons", "ncb-fr", map[string]any{
			"id": "FR-W-2", "name": "Ahmed Hassan AL-MASRI", "birth_date": "1979-03-14", "nationality": "EG"}), 201)

		queries := []any{
			map[string]any{"qid": "doc", "document_number": "l89 8902-c3", "issuing_country": "FRA"},
			map[string]any{"qid": "doc-other-country", "document_number": "L898902C3", "issuing_country": "DE"},
			map[string]any{"qid": "doc-no-country", "document_number": "L898902C3"},
			map[string]any{"qid": "blank", "document_number": "BL150", "issuing_country": "FR"},
			map[string]any{"qid": "clean", "document_number": "ZZ0000000", "issuing_country": "FR"},
			map[string]any{"qid": "vin", "vin": "wvwzzz1jzxw000001"},
			map[string]any{"qid": "vin-bad", "vin": "1M8GDM9AXKP042789"},
			map[string]any{"qid": "person", "name": "Ahmad Hasan Almasri", "birth_date": "1979-03-14", "nationality": "EG"},
			map[string]any{"qid": "mrz", "mrz": []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"}},
			map[string]any{"qid": "mrz-garbage", "mrz": []string{"hello", "world"}},
			map[string]any{"qid": "long", "name": strings.Repeat("a", 10000)},
			map[string]any{"qid": "empty"},
			map[string]any{"qid": "unknown", "colour": "red"},
		}
		r := must(s.Do(t, "POST", "/api/v1/screen", "border-de", queries), 200)
		// One more query with invalid UTF-8, sent raw.
		raw := `[{"qid":"utf8","name":"` + "\xff\xfe" + `"},{"qid":"ok","document_number":"L898902C3","issuing_country":"FR"}]`
		r2 := must(s.Do(t, "POST", "/api/v1/screen", "border-de", raw), 200)

		var answers []map[string]any
		for _, a := range append(jsonArray(t, r), jsonArray(t, r2)...) {
			answers = append(answers, a.(map[string]any))
		}
		byQID := map[string]map[string]any{}
		for _, a := range answers {
			byQID[a["qid"].(string)] = a
		}
		matched := func(qid, kind string) []map[string]any {
			var out []map[string]any
			ms, _ := byQID[qid]["matches"].([]any)
			for _, m := range ms {
				m := m.(map[string]any)
				if m["match"] == true && m["kind"] == kind {
					out = append(out, m)
				}
			}
			return out
		}
		errCode := func(qid string) string {
			e, _ := byQID[qid]["error"].(map[string]any)
			c, _ := e["code"].(string)
			return c
		}
		checks := []struct {
			name string
			ok   bool
		}{
			{"document hit", len(matched("doc", "travel_document")) == 1 && matched("doc", "travel_document")[0]["id"] == doc.JSON["id"]},
			{"same number other country is not a match", len(matched("doc-other-country", "travel_document")) == 0 && len(byQID["doc-other-country"]["matches"].([]any)) == 1},
			{"number alone matches", len(matched("doc-no-country", "travel_document")) == 1},
			{"blank range", len(matched("blank", "travel_document")) == 1},
			{"clean document", len(byQID["clean"]["matches"].([]any)) == 0},
			{"vehicle hit", len(matched("vin", "vehicle")) == 1},
			{"wrong check digit", errCode("vin-bad") == "vin_check_digit"},
			{"person hit", len(matched("person", "person")) == 1 && matched("person", "person")[0]["id"] == "FR-W-2"},
			{"mrz document", len(matched("mrz", "travel_document")) == 0 && len(byQID["mrz"]["matches"].([]any)) == 2}, // issued by UTO: not the French passport, shown as the same number elsewhere
			{"mrz person", len(matched("mrz", "person")) == 1 && matched("mrz", "person")[0]["id"] == "FR-W-1"},
			{"garbage mrz", strings.HasPrefix(errCode("mrz-garbage"), "invalid_mrz")},
			{"long name", errCode("long") == "name_too_long"},
			{"empty", errCode("empty") == "empty_query"},
			{"unknown field", errCode("unknown") == "unknown_field"},
			{"invalid utf-8", errCode("utf8") == "invalid_utf8"},
			{"rest of the batch answered", len(matched("ok", "travel_document")) == 1},
		}
		for _, c := range checks {
			if !c.ok {
				t.Errorf("%s: answers %s %s", c.name, r.Body, r2.Body)
			}
		}
		// The US is excluded from the document's audience: it sees no match.
		r = must(s.Do(t, "POST", "/api/v1/screen", "ncb-us", []any{map[string]any{"qid": "us", "document_number": "L898902C3", "issuing_country": "FR"}}), 200)
		if ms := jsonArray(t, r)[0].(map[string]any)["matches"].([]any); len(ms) != 0 {
			t.Fatalf("excluded country sees %v", ms)
		}
		// Over the limit.
		many := make([]any, 1001)
		for i := range many {
			many[i] = map[string]any{"qid": fmt.Sprint(i), "document_number": "A1"}
		}
		if r := s.Do(t, "POST", "/api/v1/screen", "border-de", many); r.Status != 400 || r.ErrorCode() != "too_many_queries" {
			t.Fatalf("over the limit: %d %s", r.Status, r.Body)
		}
		if r := s.Do(t, "POST", "/api/v1/screen", "press", []any{}); r.Status != 403 {
			t.Fatalf("press screens: %d", r.Status)
		}

		// Hits: the asker (DE) and the owner (FR) see them, a third country does not.
		hits := must(s.Do(t, "GET", "/api/v1/hits", "ncb-fr", nil), 200).JSON["hits"].([]any)
		var hitID string
		for _, h := range hits {
			h := h.(map[string]any)
			if h["record_id"] == doc.JSON["id"] && h["qid"] == "doc" {
				hitID = fmt.Sprint(h["id"])
				if h["asker_org"] != "DE" || h["asker"] != "border-de" || h["status"] != "new" {
					t.Fatalf("hit: %v", h)
				}
			}
		}
		if hitID == "" {
			t.Fatalf("owner does not see the hit: %v", hits)
		}
		if hs := must(s.Do(t, "GET", "/api/v1/hits", "ncb-us", nil), 200).JSON["hits"].([]any); len(hs) != 0 {
			t.Fatalf("third country sees hits: %v", hs)
		}
		must(s.Do(t, "GET", "/api/v1/hits/"+hitID, "border-de", nil), 200)
		must(s.Do(t, "GET", "/api/v1/hits/"+hitID, "ncb-us", nil), 404)
		must(s.Do(t, "POST", "/api/v1/hits/"+hitID+"/confirm", "ncb-us", nil), 404)
		must(s.Do(t, "POST", "/api/v1/hits/"+hitID+"/confirm", "ncb-de", nil), 403)
		h := must(s.Do(t, "POST", "/api/v1/hits/"+hitID+"/confirm", "ncb-fr", map[string]any{"note": "holder detained"}), 200)
		if h.JSON["status"] != "confirmed" || h.JSON["decided_by"] != "ncb-fr" {
			t.Fatalf("confirmed hit: %s", h.Body)
		}
		must(s.Do(t, "POST", "/api/v1/hits/"+hitID+"/reject", "ncb-fr", nil), 409)
		// Another hit rejected as a false positive.
		for _, hh := range hits {
			hh := hh.(map[string]any)
			if id := fmt.Sprint(hh["id"]); id != hitID && hh["record_owner"] == "FR" {
				if r := must(s.Do(t, "POST", "/api/v1/hits/"+id+"/reject", "ncb-fr", nil), 200); r.JSON["status"] != "false_positive" {
					t.Fatalf("rejected hit: %s", r.Body)
				}
				break
			}
		}
		// A deleted record is no longer found.
		must(s.Do(t, "DELETE", "/api/v1/records/travel-documents/"+doc.JSON["id"].(string), "ncb-fr", nil), 204)
		r = must(s.Do(t, "POST", "/api/v1/screen", "border-de", []any{map[string]any{"qid": "gone", "document_number": "L898902C3", "issuing_country": "FR"}}), 200)
		if ms := jsonArray(t, r)[0].(map[string]any)["matches"].([]any); len(ms) != 0 {
			t.Fatalf("deleted document still found: %v", ms)
		}
	})
}
