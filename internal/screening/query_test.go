package screening_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/relais/relais/internal/mrz"
	"github.com/relais/relais/internal/names"
	"github.com/relais/relais/internal/screening"
)

// decodeQuery is how ParseQuery read every query with encoding/json before
// it read the usual ones itself: the reference its answers are held to.
func decodeQuery(raw []byte) (screening.Query, *screening.ItemError) {
	var q screening.Query
	if len(raw) > screening.MaxQueryBytes {
		return q, &screening.ItemError{Code: "query_too_large", Message: "a query is at most " + strconv.Itoa(screening.MaxQueryBytes) + " bytes of JSON"}
	}
	peekQID := func() string {
		var v struct {
			QID string `json:"qid"`
		}
		_ = json.Unmarshal(bytes.ToValidUTF8(raw, []byte("\uFFFD")), &v)
		if len(v.QID) > 200 {
			return v.QID[:200]
		}
		return v.QID
	}
	if !utf8.Valid(raw) {
		q.QID = peekQID()
		return q, &screening.ItemError{Code: "invalid_utf8", Message: "the query is not valid UTF-8 text"}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&q); err != nil {
		q = screening.Query{QID: peekQID()}
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &typeErr) && typeErr.Field != "":
			return q, &screening.ItemError{Code: "invalid_type", Field: typeErr.Field, Message: typeErr.Field + " has the wrong JSON type"}
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return q, &screening.ItemError{Code: "unknown_field", Field: f, Message: "unknown field " + strconv.Quote(f) + ": a query has qid, name, birth_date, nationality, sex, document_number, issuing_country, vin or mrz"}
		default:
			return q, &screening.ItemError{Code: "invalid_json", Message: "the query is not a JSON object"}
		}
	}
	return q, nil
}

func ptr(s string) *string { return &s }

func TestParseQuery(t *testing.T) {
	cases := []struct {
		name, in string
		want     screening.Query
		code     string // of the error, if any
		field    string
	}{
		{"usual document check", `{"qid":"7","document_number":"L898902C3","issuing_country":"FRA"}`,
			screening.Query{QID: "7", DocumentNumber: "L898902C3", IssuingCountry: ptr("FRA")}, "", ""},
		{"passenger", ` { "qid" : "p1" , "name" : "Anna Maria Eriksson", "birth_date":"1974-08-12","nationality":"SE","sex":"F",` + "\n\t\r" + `"vin":"" } `,
			screening.Query{QID: "p1", Name: "Anna Maria Eriksson", BirthDate: ptr("1974-08-12"), Nationality: ptr("SE"), Sex: ptr("F")}, "", ""},
		{"zone", `{"qid":"z","mrz":["P<UTOERIKSSON<<ANNA<MARIA", "L898902C36UTO"]}`,
			screening.Query{QID: "z", MRZ: []string{"P<UTOERIKSSON<<ANNA<MARIA", "L898902C36UTO"}}, "", ""},
		{"empty zone", `{"mrz":[]}`, screening.Query{MRZ: []string{}}, "", ""},
		{"null zone", `{"mrz":null}`, screening.Query{}, "", ""},
		{"empty object", `{}`, screening.Query{}, "", ""},
		{"null", `null`, screening.Query{}, "", ""},
		{"non-ASCII", `{"name":"Ахмед Хасан","qid":"ü"}`, screening.Query{QID: "ü", Name: "Ахмед Хасан"}, "", ""},
		{"escapes", `{"name":"Ren\u00e9 \"Le\" Gall\/\\\b\f\n\r\t","qid":"\ud83d\ude00"}`,
			screening.Query{QID: "😀", Name: "René \"Le\" Gall/\\\b\f\n\r\t"}, "", ""},
		{"lone surrogate", `{"qid":"\ud800x"}`, screening.Query{QID: "\uFFFDx"}, "", ""},
		{"reversed surrogates", `{"qid":"\udc00\ud800"}`, screening.Query{QID: "\uFFFD\uFFFD"}, "", ""},
		{"high surrogate then another escape", `{"qid":"\ud800\u0041"}`, screening.Query{QID: "\uFFFDA"}, "", ""},
		{"null keeps a string", `{"qid":"a","qid":null}`, screening.Query{QID: "a"}, "", ""},
		{"null clears an optional field", `{"sex":"M","sex":null}`, screening.Query{}, "", ""},
		{"repeated field, last wins", `{"qid":"a","qid":"b"}`, screening.Query{QID: "b"}, "", ""},
		{"repeated zone", `{"mrz":["a","b"],"mrz":["c"]}`, screening.Query{MRZ: []string{"c"}}, "", ""},
		{"other case of a name", `{"QID":"a","Name":"b"}`, screening.Query{QID: "a", Name: "b"}, "", ""},
		{"escaped name", `{"q\u0069d":"a"}`, screening.Query{QID: "a"}, "", ""},
		{"what follows the object", `{"qid":"a"} x`, screening.Query{QID: "a"}, "", ""},
		{"unknown field", `{"qid":"u","colour":"red"}`, screening.Query{QID: "u"}, "unknown_field", "colour"},
		{"first error wins", `{"qid":"u","colour":1,"name":2}`, screening.Query{QID: "u"}, "unknown_field", "colour"},
		{"wrong type", `{"qid":"t","name":5}`, screening.Query{QID: "t"}, "invalid_type", "name"},
		{"zone not an array", `{"mrz":"x"}`, screening.Query{}, "invalid_type", "mrz"},
		{"number in a zone", `{"mrz":["x",1]}`, screening.Query{}, "invalid_type", "mrz"},
		{"wrong type of qid", `{"qid":5,"qid":"z"}`, screening.Query{QID: "z"}, "invalid_type", "qid"},
		{"array", `[1]`, screening.Query{}, "invalid_json", ""},
		{"string", `"x"`, screening.Query{}, "invalid_json", ""},
		{"syntax", `{"qid":"s",}`, screening.Query{QID: ""}, "invalid_json", ""},
		{"control character", "{\"qid\":\"a\tb\"}", screening.Query{}, "invalid_json", ""},
		{"bad escape", `{"qid":"\x"}`, screening.Query{}, "invalid_json", ""},
		{"short escape", `{"qid":"\u12"}`, screening.Query{}, "invalid_json", ""},
		{"cut short", `{"qid":"a"`, screening.Query{}, "invalid_json", ""},
		{"empty", ``, screening.Query{}, "invalid_json", ""},
		{"invalid UTF-8", `{"qid":"b","name":"` + "\xff" + `"}`, screening.Query{QID: "b"}, "invalid_utf8", ""},
		{"too large", `{"qid":"big","name":"` + strings.Repeat("a", screening.MaxQueryBytes) + `"}`, screening.Query{}, "query_too_large", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q, ierr := screening.ParseQuery([]byte(tc.in))
			code, field := "", ""
			if ierr != nil {
				code, field = ierr.Code, ierr.Field
			}
			if !reflect.DeepEqual(q, tc.want) || code != tc.code || field != tc.field {
				t.Fatalf("got %+v, %+v; want %+v, code %q field %q", q, ierr, tc.want, tc.code, tc.field)
			}
			wq, werr := decodeQuery([]byte(tc.in))
			if !reflect.DeepEqual(q, wq) || !reflect.DeepEqual(ierr, werr) {
				t.Fatalf("got %+v, %+v; encoding/json reads %+v, %+v", q, ierr, wq, werr)
			}
		})
	}
}

// FuzzParseQuery holds ParseQuery to encoding/json's reading of every query,
// and a query that parses to itself once encoded again.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{
		`{"qid":"7","document_number":"L898902C3","issuing_country":"FRA"}`,
		`{"qid":"p","name":"Ren\u00e9","birth_date":null,"nationality":"SE","sex":"F","vin":"x"}`,
		`{"mrz":["P<UTO","L89"],"qid":"\ud800"}`,
		`{"QID":"a","colour":1}`, `{"qid":"a","name":5}`, `null`, `[1]`, `{"mrz":[null]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		q, ierr := screening.ParseQuery(raw)
		wq, werr := decodeQuery(raw)
		if !reflect.DeepEqual(q, wq) || !reflect.DeepEqual(ierr, werr) {
			t.Fatalf("%q: got %+v, %+v; encoding/json reads %+v, %+v", raw, q, ierr, wq, werr)
		}
		if ierr != nil {
			return
		}
		again, err := json.Marshal(q)
		if err != nil {
			t.Fatal(err)
		}
		q2, ierr := screening.ParseQuery(again)
		if len(q.MRZ) == 0 {
			q.MRZ = nil // an empty zone is left out
		}
		if ierr != nil || !reflect.DeepEqual(q, q2) {
			t.Fatalf("%q parses to %+v, encoded %s, which parses to %+v, %+v", raw, q, again, q2, ierr)
		}
	})
}

// decodeManifest is how the API reads a manifest that ParseManifest leaves
// to encoding/json.
func decodeManifest(body []byte) ([]screening.Item, bool) {
	var raw []json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		return nil, false
	}
	items := make([]screening.Item, len(raw))
	for i, q := range raw {
		items[i].Query, items[i].Err = screening.ParseQuery(q)
	}
	return items, true
}

func TestParseManifest(t *testing.T) {
	cases := []struct {
		name, in string
		ok       bool
	}{
		{"usual", `[{"qid":"1","document_number":"A1"},{"qid":"2","vin":"WVWZZZ1JZXW000001"}]`, true},
		{"white space", " \n[ {\"qid\":\"1\"} ,\t{} ]\r\n", true},
		{"empty", `[]`, true},
		{"empty with space", ` [ ] `, true},
		{"wrong query", `[{"qid":"1"},{"qid":"2","colour":"red"}]`, false},
		{"null query", `[null]`, false},
		{"not an array", `{"qid":"1"}`, false},
		{"null", `null`, false},
		{"trailing comma", `[{"qid":"1"},]`, false},
		{"what follows the array", `[{"qid":"1"}] x`, false},
		{"two arrays", `[][]`, false},
		{"cut short", `[{"qid":"1"}`, false},
		{"invalid UTF-8", `[{"qid":"1","name":"` + "\xff" + `"}]`, false},
		{"query too large", `[{"name":"` + strings.Repeat("a", screening.MaxQueryBytes) + `"}]`, false},
		{"nothing", ``, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			items, ok := screening.ParseManifest(tc.in)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if !ok {
				return
			}
			want, _ := decodeManifest([]byte(tc.in))
			if !reflect.DeepEqual(items, want) {
				t.Fatalf("got %+v, encoding/json reads %+v", items, want)
			}
		})
	}
}

// FuzzParseManifest holds ParseManifest to the items read by encoding/json
// and ParseQuery.
func FuzzParseManifest(f *testing.F) {
	for _, s := range []string{`[{"qid":"1","document_number":"A1","issuing_country":"FR"},{"mrz":["x"]}]`, `[]`, `[{}]`, `[null]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		items, ok := screening.ParseManifest(body)
		if !ok {
			return
		}
		want, ok := decodeManifest([]byte(body))
		if !ok || !reflect.DeepEqual(items, want) {
			t.Fatalf("%q: got %+v, encoding/json reads %+v (%v)", body, items, want, ok)
		}
		for _, it := range items {
			if it.Err != nil {
				t.Fatalf("%q: ParseManifest read a wrong query: %+v", body, it.Err)
			}
		}
	})
}

// oldAnswer encodes an answer as Answer.MarshalJSON did through
// json.Marshal: the reference of AppendAnswers' bytes.
type oldAnswer screening.Answer

func (a oldAnswer) MarshalJSON() ([]byte, error) {
	if a.Error != nil {
		return json.Marshal(struct {
			QID   string               `json:"qid"`
			Error *screening.ItemError `json:"error"`
		}{a.QID, a.Error})
	}
	m := a.Matches
	if m == nil {
		m = []screening.Match{}
	}
	return json.Marshal(struct {
		QID     string                `json:"qid"`
		Matches []screening.Match     `json:"matches"`
		MRZ     *screening.MRZSummary `json:"mrz,omitempty"`
	}{a.QID, m, a.MRZ})
}

func TestAppendAnswers(t *testing.T) {
	answers := []screening.Answer{
		{QID: "1"},
		{QID: "2", Matches: []screening.Match{}},
		{QID: `say "hi"`}, {QID: `back\slash`}, {QID: "tab\t"}, {QID: "a&b"}, {QID: "a>b"}, {QID: "é"},
		{QID: "<b>&amp;\"quoted\"\\ \u2028\u2029 \x01\x1f\t\n é 😀 \x7f", Matches: nil},
		{QID: "invalid \xff UTF-8", Error: &screening.ItemError{Code: "invalid_utf8", Message: "the query is not <valid> UTF-8 text"}},
		{QID: "e", Error: &screening.ItemError{Code: "unknown_field", Message: `unknown field "a&b"`, Field: "a&b"}},
		{QID: "m", Matches: []screening.Match{
			{ID: "42", Score: 1, Match: true, Kind: "travel_document", Owner: "FR", Status: "stolen", DocumentType: "passport"},
			{ID: "FR-W-1", Score: 0.8734567, Match: true, Kind: "person", Owner: "FR", Name: "Anna <Eriksson>", Explanation: &names.Explanation{NameSource: "alias", AliasIndex: 1, MatchedName: "Anna <Eriksson>", NameScore: 0.9}, HitID: 7},
			{ID: "43", Score: 1e-7, Kind: "travel_document", Owner: "DE", Why: "same number, another issuing country"},
		}},
		{QID: "z", Matches: []screening.Match{}, MRZ: &screening.MRZSummary{Format: "TD3", DocumentNumber: "L898902C3", IssuingState: "UTO", Name: "ANNA ERIKSSON",
			Errors: []mrz.Issue{{Field: "birth_date", Code: "check_digit", Message: "the check digit <7> is wrong"}}}},
	}
	for n := range len(answers) + 1 {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			var want bytes.Buffer
			enc := json.NewEncoder(&want) // as the API wrote them
			enc.SetEscapeHTML(false)
			old := make([]oldAnswer, n)
			for i := range old {
				old[i] = oldAnswer(answers[i])
			}
			if err := enc.Encode(old); err != nil {
				t.Fatal(err)
			}
			got, err := screening.AppendAnswers(nil, answers[:n])
			if err != nil || string(got) != want.String() {
				t.Fatalf("got %s (%v)\nwant %s", got, err, want.Bytes())
			}
			for i := range n {
				one, err := json.Marshal(answers[i])
				if wantOne, _ := old[i].MarshalJSON(); err != nil || string(one) != string(wantOne) {
					t.Fatalf("MarshalJSON: got %s (%v)\nwant %s", one, err, wantOne)
				}
			}
		})
	}
}
