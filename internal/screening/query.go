package screening

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/mrz"
	"github.com/relais/relais/internal/names"
	"github.com/relais/relais/internal/policy"
	"github.com/relais/relais/internal/records"
)

// Query is one screening question: a person (name, with birth date,
// nationality and sex when known), a travel document (number, with the
// issuing country when known), a vehicle (VIN) or a machine-readable zone,
// which asks both about the document and about its holder. A passenger
// query may give a name and a document together.
type Query struct {
	QID            string   `json:"qid"`
	Name           string   `json:"name,omitempty"`
	BirthDate      *string  `json:"birth_date,omitempty"`
	Nationality    *string  `json:"nationality,omitempty"`
	Sex            *string  `json:"sex,omitempty"`
	DocumentNumber string   `json:"document_number,omitempty"`
	IssuingCountry *string  `json:"issuing_country,omitempty"`
	VIN            string   `json:"vin,omitempty"`
	MRZ            []string `json:"mrz,omitempty"`
}

// ItemError says why one query of a batch was not answered.
type ItemError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// Match is one record found for a query.
type Match struct {
	ID           string             `json:"id"`
	Score        float64            `json:"score"`
	Match        bool               `json:"match"`
	Kind         string             `json:"kind"`
	Owner        string             `json:"owner"`
	Status       string             `json:"status,omitempty"`        // documents
	DocumentType string             `json:"document_type,omitempty"` // documents
	Name         string             `json:"name,omitempty"`          // persons: the listed name
	Why          string             `json:"why,omitempty"`
	Explanation  *names.Explanation `json:"explanation,omitempty"`
	HitID        int64              `json:"hit_id,omitempty"`
}

// Answer is the answer to one query: its matches, or why it has none.
type Answer struct {
	QID     string
	Matches []Match
	MRZ     *MRZSummary
	Error   *ItemError
}

// MRZSummary tells what was read from a machine-readable zone.
type MRZSummary struct {
	Format         string      `json:"format"`
	DocumentNumber string      `json:"document_number"`
	IssuingState   string      `json:"issuing_state"`
	Name           string      `json:"name"`
	Valid          bool        `json:"valid"`
	Errors         []mrz.Issue `json:"errors,omitempty"`
}

// MarshalJSON writes {"qid","matches":[...]} or {"qid","error":{...}}.
func (a Answer) MarshalJSON() ([]byte, error) {
	return a.appendJSON(nil)
}

// AppendAnswers appends answers as the JSON array, with a newline, that
// json.Encoder writes for them without HTML escaping, and without going
// through reflection for every answer: an answer's JSON is compact and
// escapes HTML, which such an encoder leaves as it is.
func AppendAnswers(b []byte, answers []Answer) ([]byte, error) {
	b = append(b, '[')
	for i := range answers {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = answers[i].appendJSON(b); err != nil {
			return nil, err
		}
	}
	return append(b, "]\n"...), nil
}

// appendJSON appends the bytes json.Marshal gives for the answer as the
// struct {qid, error} or {qid, matches, mrz (omitted when nil)}. Answers
// without matches, most of them, are written here; matches and zones go
// through json.Marshal.
func (a *Answer) appendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"qid":`...)
	b = appendJSONString(b, a.QID)
	if a.Error != nil {
		b = append(b, `,"error":{"code":`...)
		b = appendJSONString(b, a.Error.Code)
		b = append(b, `,"message":`...)
		b = appendJSONString(b, a.Error.Message)
		if a.Error.Field != "" {
			b = append(b, `,"field":`...)
			b = appendJSONString(b, a.Error.Field)
		}
		return append(b, "}}"...), nil
	}
	b = append(b, `,"matches":`...)
	if len(a.Matches) == 0 {
		b = append(b, "[]"...)
	} else {
		m, err := json.Marshal(a.Matches)
		if err != nil {
			return nil, err
		}
		b = append(b, m...)
	}
	if a.MRZ != nil {
		m, err := json.Marshal(a.MRZ)
		if err != nil {
			return nil, err
		}
		b = append(b, `,"mrz":`...)
		b = append(b, m...)
	}
	return append(b, '}'), nil
}

// appendJSONString appends s as json.Marshal writes it: as it is when it
// holds only printable ASCII that needs no escape, HTML's <, > and &
// included, and through json.Marshal otherwise.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always encodes
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// Limits of one query.
const (
	MaxQueryBytes = 16 << 10
	maxNameRunes  = 300
)

// ParseQuery reads one query from JSON. It returns the query id it could
// read even when the query is wrong, so that the error answer carries it.
func ParseQuery(raw []byte) (Query, *ItemError) {
	var q Query
	if len(raw) > MaxQueryBytes {
		return q, &ItemError{Code: "query_too_large", Message: "a query is at most " + strconv.Itoa(MaxQueryBytes) + " bytes of JSON"}
	}
	if !utf8.Valid(raw) {
		q.QID = peekQID(raw)
		return q, &ItemError{Code: "invalid_utf8", Message: "the query is not valid UTF-8 text"}
	}
	if q, _, ok := readQuery(string(raw), 0); ok {
		return q, nil
	}
	return decodeQuery(raw)
}

// decodeQuery reads a query with encoding/json, whose answers (the error
// of a wrong query, the value of an unusual one) are those ParseQuery gives.
func decodeQuery(raw []byte) (Query, *ItemError) {
	var q Query
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&q); err != nil {
		q = Query{QID: peekQID(raw)}
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &typeErr) && typeErr.Field != "":
			return q, &ItemError{Code: "invalid_type", Field: typeErr.Field, Message: typeErr.Field + " has the wrong JSON type"}
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return q, &ItemError{Code: "unknown_field", Field: f, Message: "unknown field " + strconv.Quote(f) + ": a query has qid, name, birth_date, nationality, sex, document_number, issuing_country, vin or mrz"}
		default:
			return q, &ItemError{Code: "invalid_json", Message: "the query is not a JSON object"}
		}
	}
	return q, nil
}

// peekQID reads the qid of a query that cannot be decoded, if it can.
func peekQID(raw []byte) string {
	var v struct {
		QID string `json:"qid"`
	}
	_ = json.Unmarshal(bytes.ToValidUTF8(raw, []byte("\uFFFD")), &v)
	if len(v.QID) > 200 {
		return v.QID[:200]
	}
	return v.QID
}

// checked is a query made ready for the indexes.
type checked struct {
	person  *names.Query
	number  string
	country string
	vin     string
	mrz     *MRZSummary
	fromMRZ bool
}

func itemErr(err error) *ItemError {
	if fe, ok := fault.As(err); ok {
		return &ItemError{Code: fe.Code, Message: fe.Message, Field: fe.Field}
	}
	return &ItemError{Code: "invalid_query", Message: err.Error()}
}

// check validates a query and normalises what the indexes compare.
func check(q *Query) (checked, *ItemError) {
	var c checked
	if len(q.QID) > 200 {
		return c, &ItemError{Code: "invalid_qid", Field: "qid", Message: "a qid has at most 200 characters"}
	}
	if len(q.MRZ) > 0 {
		if q.Name != "" || q.DocumentNumber != "" || q.VIN != "" {
			return c, &ItemError{Code: "invalid_query", Message: "an MRZ query gives the zone alone: the document and the holder are read from it"}
		}
		return checkMRZ(q.MRZ)
	}
	if strings.TrimSpace(q.Name) == "" && strings.TrimSpace(q.DocumentNumber) == "" && strings.TrimSpace(q.VIN) == "" {
		return c, &ItemError{Code: "empty_query", Message: "the query asks nothing: give a name, a document_number, a vin or an mrz"}
	}
	if strings.TrimSpace(q.Name) != "" {
		nq, ierr := checkPerson(q.Name, deref(q.BirthDate), deref(q.Nationality), deref(q.Sex))
		if ierr != nil {
			return c, ierr
		}
		c.person = nq
	} else if q.BirthDate != nil || q.Nationality != nil || q.Sex != nil {
		return c, &ItemError{Code: "missing_name", Field: "name", Message: "birth_date, nationality and sex go with a name; give the name"}
	}
	if q.DocumentNumber != "" || q.IssuingCountry != nil {
		c.number = records.NormalizeDocumentNumber(q.DocumentNumber)
		if err := records.ValidDocumentNumber("document_number", c.number); err != nil {
			return c, itemErr(err)
		}
		if s := deref(q.IssuingCountry); strings.TrimSpace(s) != "" {
			if c.country = records.NormalizeCountry(s); c.country == "" {
				return c, &ItemError{Code: "invalid_country", Field: "issuing_country", Message: "unknown issuing country " + strconv.Quote(short(s)) + ": use an ISO 3166-1 alpha-2 or alpha-3 code"}
			}
		}
	}
	if q.VIN != "" {
		c.vin = records.NormalizeVIN(q.VIN)
		if err := records.ValidateVIN("vin", c.vin); err != nil {
			return c, itemErr(err)
		}
	}
	return c, nil
}

func checkPerson(name, birth, nationality, sex string) (*names.Query, *ItemError) {
	name = strings.TrimSpace(name)
	if n := utf8.RuneCountInString(name); n > maxNameRunes {
		return nil, &ItemError{Code: "name_too_long", Field: "name", Message: "the name has " + strconv.Itoa(n) + " characters; a name to screen has at most " + strconv.Itoa(maxNameRunes)}
	}
	if strings.IndexFunc(name, unicode.IsLetter) < 0 {
		return nil, &ItemError{Code: "invalid_name", Field: "name", Message: "the name holds no letter"}
	}
	nq := &names.Query{Name: name}
	if birth = strings.TrimSpace(birth); birth != "" {
		if !validPartialDate(birth) {
			return nil, &ItemError{Code: "invalid_date", Field: "birth_date", Message: "birth_date is YYYY-MM-DD, YYYY-MM or YYYY"}
		}
		nq.BirthDate = birth
	}
	if nationality = strings.TrimSpace(nationality); nationality != "" {
		if nq.Nationality = records.NormalizeCountry(nationality); nq.Nationality == "" {
			return nil, &ItemError{Code: "invalid_country", Field: "nationality", Message: "unknown nationality " + strconv.Quote(short(nationality)) + ": use an ISO 3166-1 alpha-2 code"}
		}
	}
	switch s := strings.ToUpper(strings.TrimSpace(sex)); s {
	case "", "U", "<":
	case "M", "F", "X":
		nq.Sex = s
	default:
		return nil, &ItemError{Code: "invalid_sex", Field: "sex", Message: "sex is M, F or X"}
	}
	return nq, nil
}

func validPartialDate(s string) bool {
	for i, layout := range map[int]string{4: "2006", 7: "2006-01", 10: "2006-01-02"} {
		if len(s) == i {
			_, err := time.Parse(layout, s)
			return err == nil
		}
	}
	return false
}

// checkMRZ reads the document and its holder from a machine-readable zone.
// A zone that parses but fails a check digit is still screened (a reader's
// error must not hide a listed document) and says what is wrong.
func checkMRZ(lines []string) (checked, *ItemError) {
	var c checked
	for _, l := range lines {
		if !utf8.ValidString(l) || len(l) > 100 {
			return c, &ItemError{Code: "invalid_mrz", Field: "mrz", Message: "an MRZ line has at most 44 characters A-Z, 0-9 and <"}
		}
	}
	r, err := mrz.Parse(lines)
	if err != nil {
		code := "invalid_mrz"
		var pe *mrz.ParseError
		if errors.As(err, &pe) && pe.Reason != "" {
			code = "invalid_mrz_" + pe.Reason
		}
		return c, &ItemError{Code: code, Field: "mrz", Message: err.Error()}
	}
	c.fromMRZ = true
	name := strings.TrimSpace(r.GivenNames + " " + r.Surname)
	c.mrz = &MRZSummary{Format: r.Format, DocumentNumber: r.DocumentNumber, IssuingState: r.IssuingState, Name: name, Valid: r.Valid, Errors: r.Errors}
	c.number = records.NormalizeDocumentNumber(r.DocumentNumber)
	if records.ValidDocumentNumber("document_number", c.number) != nil {
		c.number = ""
	}
	// An issuing state that is no country code (a test state such as UTO)
	// still says which state issued the document: it matches no stored
	// document exactly, and documents with the same number elsewhere are
	// shown as such.
	if c.country = records.NormalizeCountry(r.IssuingState); c.country == "" && r.IssuingState != "" {
		c.country = "?" + r.IssuingState
	}
	if name != "" {
		nq := &names.Query{Name: name, BirthDate: deref(r.BirthDate), Sex: deref(r.Sex)}
		nq.Nationality = records.NormalizeCountry(r.Nationality)
		c.person = nq
	}
	if c.number == "" && c.person == nil {
		return c, &ItemError{Code: "invalid_mrz", Field: "mrz", Message: "the zone holds neither a document number nor a name"}
	}
	return c, nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func short(s string) string {
	if len(s) > 40 {
		return strings.ToValidUTF8(s[:40], "") + "…"
	}
	return s
}

// visible reports whether the actor may be shown a record.
func visible(a policy.Actor, act policy.Action, kind, id, owner string, au policy.Audience) bool {
	return policy.Can(a, act, policy.Resource{Kind: kind, ID: id, Owner: owner, Audience: au}).Allowed
}

// ParseManifest reads a manifest, a JSON array of queries, in one pass when
// every query has the usual shape that ParseQuery reads without
// encoding/json. ok is false for any other array and for anything that is
// not a whole array of queries: the caller then decodes the manifest with
// encoding/json and parses each query with ParseQuery, which gives the same
// items for the manifests this reads. The queries' strings are slices of s.
func ParseManifest(s string) (items []Item, ok bool) {
	if len(s) > MaxBatch*MaxQueryBytes || !utf8.ValidString(s) {
		return nil, false
	}
	i := skipSpace(s, 0)
	if i == len(s) || s[i] != '[' {
		return nil, false
	}
	// Room for as many queries as there are braces, up to a batch.
	items = make([]Item, 0, min(strings.Count(s, "{"), MaxBatch))
	if i = skipSpace(s, i+1); i < len(s) && s[i] == ']' {
		return wholeArray(s, i, items)
	}
	for {
		start := skipSpace(s, i)
		q, end, ok := readQuery(s, start)
		if !ok || end-start > MaxQueryBytes {
			return nil, false
		}
		items = append(items, Item{Query: q})
		if i = skipSpace(s, end); i == len(s) {
			return nil, false
		}
		switch s[i] {
		case ',':
			i++
		case ']':
			return wholeArray(s, i, items)
		default:
			return nil, false
		}
	}
}

// wholeArray returns the items of the array that s[end] closes when only
// white space follows.
func wholeArray(s string, end int, items []Item) ([]Item, bool) {
	if skipSpace(s, end+1) != len(s) {
		return nil, false
	}
	return items, true
}

// readQuery reads the JSON object at s[i:] (after white space) as a query
// and returns the offset after its closing brace. It reads what clients
// send: the fields by their exact names, with strings, nulls and, for mrz,
// one array of strings. ok is false for anything else (another spelling
// of a field name, another type, a syntax error, an unknown field, a
// repeated mrz), which encoding/json then reads or explains. The string s
// must be valid UTF-8.
func readQuery(s string, i int) (q Query, end int, ok bool) {
	if i = skipSpace(s, i); i == len(s) || s[i] != '{' {
		return q, 0, false
	}
	if i = skipSpace(s, i+1); i < len(s) && s[i] == '}' {
		return q, i + 1, true
	}
	seenMRZ := false
	for {
		if i == len(s) || s[i] != '"' {
			return q, 0, false
		}
		keyEnd := strings.IndexByte(s[i+1:], '"')
		if keyEnd < 0 {
			return q, 0, false
		}
		key := s[i+1 : i+1+keyEnd]
		if i = skipSpace(s, i+keyEnd+2); i == len(s) || s[i] != ':' {
			return q, 0, false
		}
		i = skipSpace(s, i+1)
		switch key {
		case "qid":
			i, ok = readStringField(s, i, &q.QID)
		case "name":
			i, ok = readStringField(s, i, &q.Name)
		case "document_number":
			i, ok = readStringField(s, i, &q.DocumentNumber)
		case "vin":
			i, ok = readStringField(s, i, &q.VIN)
		case "birth_date":
			i, ok = readOptionalField(s, i, &q.BirthDate)
		case "nationality":
			i, ok = readOptionalField(s, i, &q.Nationality)
		case "sex":
			i, ok = readOptionalField(s, i, &q.Sex)
		case "issuing_country":
			i, ok = readOptionalField(s, i, &q.IssuingCountry)
		case "mrz":
			// encoding/json decodes a repeated array into the slice
			// already there, which this does not imitate.
			if seenMRZ {
				return q, 0, false
			}
			seenMRZ = true
			q.MRZ, i, ok = readStrings(s, i)
		default:
			// Unknown, escaped or differently cased names.
			return q, 0, false
		}
		if !ok {
			return q, 0, false
		}
		if i = skipSpace(s, i); i == len(s) {
			return q, 0, false
		}
		switch s[i] {
		case ',':
			i = skipSpace(s, i+1)
		case '}':
			return q, i + 1, true
		default:
			return q, 0, false
		}
	}
}

// readStringField reads a string or null into a string field: like
// encoding/json, null leaves the field as it is.
func readStringField(s string, i int, field *string) (int, bool) {
	if strings.HasPrefix(s[i:], "null") {
		return i + len("null"), true
	}
	v, i, ok := readString(s, i)
	*field = v
	return i, ok
}

// readOptionalField reads a string or null into a field that tells a
// given empty string from no value.
func readOptionalField(s string, i int, field **string) (int, bool) {
	if strings.HasPrefix(s[i:], "null") {
		*field = nil
		return i + len("null"), true
	}
	v, i, ok := readString(s, i)
	*field = &v
	return i, ok
}

// readStrings reads null or an array of strings; like encoding/json, it
// makes an empty array an empty slice, not nil.
func readStrings(s string, i int) ([]string, int, bool) {
	if strings.HasPrefix(s[i:], "null") {
		return nil, i + len("null"), true
	}
	if i == len(s) || s[i] != '[' {
		return nil, 0, false
	}
	out := []string{}
	if i = skipSpace(s, i+1); i < len(s) && s[i] == ']' {
		return out, i + 1, true
	}
	for {
		v, next, ok := readString(s, skipSpace(s, i))
		if !ok {
			return nil, 0, false
		}
		out = append(out, v)
		if i = skipSpace(s, next); i == len(s) {
			return nil, 0, false
		}
		switch s[i] {
		case ',':
			i++
		case ']':
			return out, i + 1, true
		default:
			return nil, 0, false
		}
	}
}

// readString reads the JSON string at s[i] and returns its value and the
// offset after it. A string without escapes is a slice of s; one with
// escapes is left to encoding/json once its end is found.
func readString(s string, i int) (string, int, bool) {
	if i == len(s) || s[i] != '"' {
		return "", 0, false
	}
	escaped := false
	for j := i + 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == '"' && !escaped:
			return s[i+1 : j], j + 1, true
		case c == '"':
			var v string
			if json.Unmarshal([]byte(s[i:j+1]), &v) != nil {
				return "", 0, false
			}
			return v, j + 1, true
		case c == '\\':
			escaped = true
			j++ // the escaped byte cannot end the string
		case c < 0x20:
			return "", 0, false
		}
	}
	return "", 0, false
}

// skipSpace returns the offset of the first byte from i on that is not
// JSON white space.
func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}
