package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/relais/relais/internal/app/apptest"
	"github.com/relais/relais/internal/storage"
)

// A manifest gets the same answers whether the screen handler reads it in
// one pass or through encoding/json, and the errors of a body that is no
// manifest.
func TestScreenManifest(t *testing.T) {
	s := apptest.New(t, storage.SQLite)
	if r := s.Do(t, "POST", "/api/v1/records/travel-documents", "ncb-fr",
		map[string]any{"number": "L898902C3", "issuing_country": "FR", "status": "stolen"}); r.Status != http.StatusCreated {
		t.Fatalf("enter the stolen passport: %d %s", r.Status, r.Body)
	}
	// The same number issued elsewhere is shown, not a hit: the answers
	// hold no hit id and can be compared byte for byte.
	usual := `[{"qid":"a<1>","document_number":"L898902C3","issuing_country":"DE"},{"qid":"b","name":"Ren\u00e9"},{"qid":"c","vin":"1M8GDM9AXKP042789"}]`
	cases := []struct {
		name, body string
		status     int
		code       string // of the error, or "" for the answers to usual
	}{
		{"usual", usual, 200, ""},
		{"spaced", "\n[ " + strings.ReplaceAll(usual[1:], ",{", " ,\n\t{"), 200, ""},
		{"another spelling of a field", strings.Replace(usual, `"qid":"b"`, `"QID":"b"`, 1), 200, ""},
		{"repeated zone", strings.Replace(usual, `{"qid":"c",`, `{"qid":"c","mrz":["x"],"mrz":null,`, 1), 200, ""},
		{"not an array", `{"qid":"a"}`, 400, "invalid_json"},
		{"syntax", `[{"qid":"a"},]`, 400, "invalid_json"},
		{"two arrays", `[][]`, 400, "invalid_json"},
		{"empty", ``, 400, "invalid_json"},
		{"too many", "[" + strings.Repeat(`{"qid":"x"},`, 1000) + `{"qid":"x"}]`, 400, "too_many_queries"},
		{"too many, one of them wrong", "[" + strings.Repeat(`{"qid":"x"},`, 1000) + `{"qid":5}]`, 400, "too_many_queries"},
	}
	var want string
	for _, tc := range cases {
		r := s.Do(t, "POST", "/api/v1/screen", "border-de", tc.body)
		switch {
		case r.Status != tc.status || r.ErrorCode() != tc.code:
			t.Errorf("%s: %d %s, want %d %s", tc.name, r.Status, r.Body, tc.status, tc.code)
		case tc.code == "" && want == "":
			want = string(r.Body)
			if !strings.Contains(want, `"qid":"a\u003c1\u003e","matches":[{`) || !strings.Contains(want, `"qid":"b","matches":[]`) ||
				!strings.Contains(want, `"code":"vin_check_digit"`) || !strings.HasSuffix(want, "}]\n") {
				t.Fatalf("%s: answers %s", tc.name, want)
			}
		case tc.code == "" && string(r.Body) != want:
			t.Errorf("%s: answers %s, want %s", tc.name, r.Body, want)
		}
	}
	r := s.Do(t, "POST", "/api/v1/screen", "border-de", `{"qid":"a"}`)
	if e, _ := r.JSON["error"].(map[string]any); e["message"] != "send the queries as a JSON array of objects" {
		t.Errorf("an object for a manifest: %s", r.Body)
	}
}

// BenchmarkScreenHTTP measures the server's side of one POST /api/v1/screen
// of 100 document checks, one of which hits a stolen passport (the batch of
// relais bench --http --batch 100), through the real handler on SQLite:
// middleware, authentication, decoding, screening, the hit written, the
// answer encoded. The client and the network are left out.
//
//	go test -run XXX -bench ScreenHTTP -benchmem -count 5 ./internal/api/
func BenchmarkScreenHTTP(b *testing.B) {
	s := apptest.New(b, storage.SQLite)
	if r := s.Do(b, "POST", "/api/v1/records/travel-documents", "ncb-fr",
		map[string]any{"number": "L898902C3", "issuing_country": "FR", "status": "stolen"}); r.Status != http.StatusCreated {
		b.Fatalf("enter the stolen passport: %d %s", r.Status, r.Body)
	}
	queries := make([]map[string]string, 100)
	for i := range queries {
		queries[i] = map[string]string{"qid": fmt.Sprint(i), "document_number": fmt.Sprintf("C%08d", 1000000+i), "issuing_country": "DEU"}
	}
	queries[3] = map[string]string{"qid": "3", "document_number": "L898902C3", "issuing_country": "FR"}
	body, err := json.Marshal(queries)
	if err != nil {
		b.Fatal(err)
	}
	authorization := "Bearer " + s.Token(b, "border-de")
	handler := s.Server("127.0.0.1:0").Handler()
	for b.Loop() {
		req := httptest.NewRequest("POST", "/api/v1/screen", bytes.NewReader(body))
		req.Header.Set("Authorization", authorization)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("POST /api/v1/screen: %d %s", rec.Code, rec.Body)
		}
	}
}
