package httpx_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/httpx"
)

func TestMiddlewareLogsNoSecretsAndRecovers(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	var observed []int
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ok", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	mux.HandleFunc("GET /panic", func(w http.ResponseWriter, r *http.Request) { panic("boom") })
	h := httpx.Middleware(logger, func(r *http.Request, pattern string, status int, _ time.Duration) {
		observed = append(observed, status)
	}, mux)

	req := httptest.NewRequest("GET", "/ok?name=Ahmed+Hassan+AL-MASRI", nil)
	req.Header.Set("Authorization", "Bearer relais_secret_token")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 || rec.Header().Get("X-Request-Id") == "" || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("ok: %d %v", rec.Code, rec.Header())
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/panic", nil))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), `"code":"internal"`) || strings.Contains(rec.Body.String(), "boom") {
		t.Fatalf("panic: %d %s", rec.Code, rec.Body)
	}
	out := logs.String()
	for _, secret := range []string{"relais_secret_token", "Ahmed", "MASRI"} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, `"path":"/ok"`) || !strings.Contains(out, `"status":500`) {
		t.Errorf("log lacks the request lines:\n%s", out)
	}
	if len(observed) != 2 || observed[0] != 200 || observed[1] != 500 {
		t.Errorf("observer saw %v", observed)
	}
}

// DecodeJSON and ReadJSON followed by Decode give the same answers.
func TestDecodeJSON(t *testing.T) {
	type body struct {
		Name string `json:"name"`
		Age  int    `json:"age"`
	}
	cases := []struct {
		name, ctype, in, code, field string
	}{
		{"valid", "application/json", `{"name":"x","age":3}`, "", ""},
		{"no content type", "", `{"name":"x"}`, "", ""},
		{"unknown field", "application/json", `{"nme":"x"}`, "unknown_field", "nme"},
		{"wrong type", "application/json", `{"age":"three"}`, "invalid_type", "age"},
		{"syntax", "application/json", `{"name":}`, "invalid_json", ""},
		{"empty", "application/json", ``, "invalid_json", ""},
		{"cut short", "application/json", `{"name":"x"`, "invalid_json", ""},
		{"trailing", "application/json", `{"name":"x"} []`, "invalid_json", ""},
		{"too large", "application/json", `{"name":"` + strings.Repeat("x", 200) + `"}`, "body_too_large", ""},
		{"syntax error before the limit", "application/json", `{"name":]` + strings.Repeat(" ", 200), "invalid_json", ""},
		{"white space past the limit", "application/json", `{"name":"x"}` + strings.Repeat(" ", 200), "invalid_json", ""},
		{"JSON sent with curl's default form type", "application/x-www-form-urlencoded", `{"name":"x"}`, "", ""},
		{"multipart", "multipart/form-data; boundary=x", `--x`, "unsupported_media_type", ""},
	}
	decoders := []struct {
		name   string
		decode func(w http.ResponseWriter, r *http.Request, v any) error
	}{
		{"DecodeJSON", func(w http.ResponseWriter, r *http.Request, v any) error { return httpx.DecodeJSON(w, r, 100, v) }},
		{"ReadJSON", func(w http.ResponseWriter, r *http.Request, v any) error {
			b, err := httpx.ReadJSON(w, r, 100)
			if err != nil {
				return err
			}
			return b.Decode(v)
		}},
	}
	for _, tc := range cases {
		for _, d := range decoders {
			t.Run(tc.name+"/"+d.name, func(t *testing.T) {
				req := httptest.NewRequest("POST", "/", strings.NewReader(tc.in))
				if tc.ctype != "" {
					req.Header.Set("Content-Type", tc.ctype)
				}
				var b body
				err := d.decode(httptest.NewRecorder(), req, &b)
				if tc.code == "" {
					if err != nil || b.Name != "x" {
						t.Fatalf("got %+v, %v", b, err)
					}
					return
				}
				status, eb := httpx.ErrorResponse(req, err)
				if eb.Error.Code != tc.code || eb.Error.Field != tc.field || status < 400 || status > 499 {
					t.Fatalf("got %d %+v, want code %s field %q", status, eb.Error, tc.code, tc.field)
				}
			})
		}
	}
}

func TestReadJSONText(t *testing.T) {
	cases := []struct {
		name, in string
		whole    bool
	}{
		{"within the limit", `[{"name":"x"}]`, true},
		{"at the limit", strings.Repeat(" ", 100), true},
		{"past the limit", strings.Repeat(" ", 101), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := httpx.ReadJSON(httptest.NewRecorder(), httptest.NewRequest("POST", "/", strings.NewReader(tc.in)), 100)
			if err != nil {
				t.Fatal(err)
			}
			want := ""
			if tc.whole {
				want = tc.in
			}
			if got := b.Text(); got != want {
				t.Fatalf("Text() = %q, want %q", got, want)
			}
		})
	}
}

// WriteAppendedJSON writes what its function appends, answer after answer
// from reused buffers, or the error when the function fails.
func TestWriteAppendedJSON(t *testing.T) {
	cases := []struct {
		name   string
		body   string
		err    error
		status int
		want   string
	}{
		{"large", strings.Repeat("[1,2,3]", 1000) + "\n", nil, 200, strings.Repeat("[1,2,3]", 1000) + "\n"},
		{"small after large", "[]\n", nil, 200, "[]\n"},
		{"created", `{"id":"1"}` + "\n", nil, 201, `{"id":"1"}` + "\n"},
		{"failed", "", fault.New(fault.Invalid, "invalid_score", "no score"), 400, `"code":"invalid_score"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			httpx.WriteAppendedJSON(rec, httptest.NewRequest("GET", "/", nil), tc.status, func(b []byte) ([]byte, error) {
				if len(b) != 0 {
					t.Errorf("the buffer holds %q", b)
				}
				if tc.err != nil {
					return nil, tc.err
				}
				return append(b, tc.body...), nil
			})
			got := rec.Body.String()
			if rec.Code != tc.status || rec.Header().Get("Content-Type") != "application/json; charset=utf-8" ||
				tc.err == nil && got != tc.want || tc.err != nil && !strings.Contains(got, tc.want) {
				t.Fatalf("got %d %s %q, want %d %q", rec.Code, rec.Header().Get("Content-Type"), got, tc.status, tc.want)
			}
		})
	}
}

func TestErrorResponseListsEveryField(t *testing.T) {
	cases := []struct {
		name   string
		err    error
		status int
		field  string
		fields []string
	}{
		{"one field", fault.InvalidField("name", "required", "give the name"), 400, "name", nil},
		{"several fields", fault.Fields(fault.InvalidField("name", "required", "give the name"),
			fault.InvalidField("age", "out_of_range", "give the age")), 400, "name", []string{"name", "age"}},
		{"not a field", fault.New(fault.Conflict, "stale_version", "read it again"), 409, "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, eb := httpx.ErrorResponse(httptest.NewRequest("GET", "/", nil), tc.err)
			var fields []string
			for _, e := range eb.Error.Errors {
				fields = append(fields, e.Field)
			}
			if status != tc.status || eb.Error.Field != tc.field || !slices.Equal(fields, tc.fields) {
				t.Fatalf("got %d field %q errors %v, want %d %q %v", status, eb.Error.Field, fields, tc.status, tc.field, tc.fields)
			}
		})
	}
}
