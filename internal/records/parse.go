package records

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/policy"
)

// Format is the format of an import file.
type Format string

const (
	JSONLines Format = "jsonl"
	CSV       Format = "csv"
)

// DetectFormat tells JSON lines from CSV by the file name's extension and,
// failing that, by the first byte that is not a space: '{' starts JSON.
func DetectFormat(name string, head []byte) Format {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".tsv":
		return CSV
	case ".jsonl", ".ndjson", ".json":
		return JSONLines
	}
	if t := bytes.TrimLeft(head, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '{' {
		return JSONLines
	}
	return CSV
}

// csvColumns are the CSV columns of each kind, by header name.
var csvColumns = map[Kind][]string{
	Persons:         {"id", "name", "aliases", "birth_date", "nationality", "sex", "reason", "review_on"},
	TravelDocuments: {"number", "issuing_country", "type", "status", "reported_at", "serial_from", "serial_to", "review_on"},
	Vehicles:        {"vin", "plate", "make", "model", "colour", "country", "review_on"},
	Artworks:        {"title", "artist", "object_type", "period", "dimensions", "description", "photos", "review_on"},
}

// csvAliases are header names people also write.
var csvAliases = map[string]string{
	"document_number": "number", "color": "colour", "date_of_birth": "birth_date",
	"dob": "birth_date", "reported_on": "reported_at", "doc_type": "type", "document_type": "type",
}

// LineParser reads the lines of one import file into records of one kind
// for one owner. It is not safe for concurrent use.
type LineParser struct {
	kind     Kind
	format   Format
	owner    string
	audience policy.Audience
	columns  []string // CSV: the column of each field, from the header
	fields   []string // reused split buffer
}

// NewLineParser returns a parser of lines of kind in format. The owner and
// audience are given to every record read.
func NewLineParser(kind Kind, format Format, owner string, audience policy.Audience) *LineParser {
	return &LineParser{kind: kind, format: format, owner: owner, audience: audience}
}

// NeedsHeader reports whether the first line is a header (CSV).
func (p *LineParser) NeedsHeader() bool { return p.format == CSV && p.columns == nil }

// Header reads the CSV header line.
func (p *LineParser) Header(line []byte) error {
	fields, err := splitCSV(bytes.TrimPrefix(line, []byte("\ufeff")), nil)
	if err != nil {
		return err
	}
	known := csvColumns[p.kind]
	cols := make([]string, len(fields))
	for i, f := range fields {
		name := strings.ToLower(strings.TrimSpace(f))
		name = strings.ReplaceAll(name, " ", "_")
		if a, ok := csvAliases[name]; ok {
			name = a
		}
		if name == "country" && p.kind == TravelDocuments {
			name = "issuing_country"
		}
		if !slices.Contains(known, name) {
			return fault.InvalidField("header", "unknown_column", "unknown column %q: the columns of %s are %s", printable(f), p.kind, strings.Join(known, ", "))
		}
		if slices.Contains(cols[:i], name) {
			return fault.InvalidField("header", "duplicate_column", "column %q appears twice", name)
		}
		cols[i] = name
	}
	p.columns = cols
	return nil
}

// Parse reads one line (without its line break) into a checked record. A
// blank line gives (nil, nil).
func (p *LineParser) Parse(line []byte) (Record, error) {
	line = bytes.TrimRight(line, "\r")
	if len(bytes.TrimSpace(line)) == 0 {
		return nil, nil
	}
	if !utf8.Valid(line) {
		return nil, fault.New(fault.Invalid, "invalid_utf8", "the line is not valid UTF-8 text")
	}
	rec := New(p.kind)
	var err error
	if p.format == CSV {
		err = p.parseCSV(line, rec)
	} else {
		err = p.parseJSON(line, rec)
	}
	if err != nil {
		return nil, err
	}
	h := rec.Header()
	if h.Owner != "" && NormalizeCountry(h.Owner) != p.owner {
		return nil, fault.InvalidField("owner", "owner_mismatch", "the line's owner %q is not the owner of the import (%s)", printable(h.Owner), p.owner)
	}
	h.Owner = p.owner
	if h.Audience.Mode == "" {
		h.Audience = policy.Audience{Mode: p.audience.Mode, Countries: slices.Clone(p.audience.Countries)}
	}
	if err := normalizeAudience(&h.Audience); err != nil {
		return nil, err
	}
	if specs[p.kind].intID {
		if h.ID != "" {
			return nil, fault.InvalidField("id", "unexpected_id", "%s get their id from relais; leave id out", p.kind)
		}
	} else if h.ID, err = personID(h.ID); err != nil {
		return nil, err
	}
	if err := rec.normalize(); err != nil {
		return nil, err
	}
	return rec, nil
}

func (p *LineParser) parseJSON(line []byte, rec Record) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(rec); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return fault.InvalidField(typeErr.Field, "invalid_type", "%s must be a JSON %s", typeErr.Field, jsonKind(typeErr.Type.Kind().String()))
		}
		if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			f = strings.Trim(f, `"`)
			return fault.InvalidField(f, "unknown_field", "unknown field %q", printable(f))
		}
		return fault.New(fault.Invalid, "invalid_json", "the line is not a JSON object: %v", err)
	}
	if dec.More() {
		return fault.New(fault.Invalid, "invalid_json", "the line holds more than one JSON value")
	}
	return nil
}

func jsonKind(k string) string {
	switch k {
	case "slice":
		return "array"
	case "ptr":
		return "string or null"
	}
	return k
}

func (p *LineParser) parseCSV(line []byte, rec Record) error {
	var err error
	p.fields, err = splitCSV(line, p.fields[:0])
	if err != nil {
		return err
	}
	if len(p.fields) != len(p.columns) {
		return fault.New(fault.Invalid, "wrong_column_count", "the line has %d columns; the header has %d", len(p.fields), len(p.columns))
	}
	for i, col := range p.columns {
		v := strings.TrimSpace(p.fields[i])
		if col == "review_on" {
			rec.Header().ReviewOn = v
			continue
		}
		setCSVField(rec, col, v)
	}
	return nil
}

// setCSVField sets the field named by a known CSV column.
func setCSVField(rec Record, col, v string) {
	switch r := rec.(type) {
	case *Person:
		switch col {
		case "id":
			r.ID = v
		case "name":
			r.Name = v
		case "aliases":
			r.Aliases = splitList(v)
		case "birth_date":
			r.BirthDate = optional(v)
		case "nationality":
			r.Nationality = optional(v)
		case "sex":
			r.Sex = optional(v)
		case "reason":
			r.Reason = v
		}
	case *TravelDocument:
		switch col {
		case "number":
			r.Number = v
		case "issuing_country":
			r.IssuingCountry = v
		case "type":
			r.Type = v
		case "status":
			r.Status = v
		case "reported_at":
			r.ReportedAt = optional(v)
		case "serial_from":
			r.SerialFrom = optional(v)
		case "serial_to":
			r.SerialTo = optional(v)
		}
	case *Vehicle:
		switch col {
		case "vin":
			r.VIN = v
		case "plate":
			r.Plate = v
		case "make":
			r.Make = v
		case "model":
			r.Model = v
		case "colour":
			r.Colour = v
		case "country":
			r.Country = v
		}
	case *Artwork:
		switch col {
		case "title":
			r.Title = v
		case "artist":
			r.Artist = v
		case "object_type":
			r.ObjectType = v
		case "period":
			r.Period = v
		case "dimensions":
			r.Dimensions = v
		case "description":
			r.Description = v
		case "photos":
			r.Photos = splitList(v)
		}
	}
}

// splitList reads a list written in one CSV cell, separated by ';' or '|'.
func splitList(v string) []string {
	if v == "" {
		return nil
	}
	return strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == '|' })
}

// splitCSV splits one CSV line (RFC 4180 quoting, fields separated by commas
// or, when the line has no comma outside quotes, by tabs) into fields. A
// quoted field cannot span lines: each line of an import is one record, so
// that a broken line is reported with its own number.
func splitCSV(line []byte, out []string) ([]string, error) {
	sep := byte(',')
	if bytes.IndexByte(line, ',') < 0 && bytes.IndexByte(line, '\t') >= 0 {
		sep = '\t'
	}
	i := 0
	for {
		if i < len(line) && line[i] == '"' {
			var b strings.Builder
			i++
			for {
				j := bytes.IndexByte(line[i:], '"')
				if j < 0 {
					return nil, fault.New(fault.Invalid, "invalid_csv", "a quoted field is not closed (a field cannot span lines)")
				}
				b.Write(line[i : i+j])
				i += j + 1
				if i < len(line) && line[i] == '"' {
					b.WriteByte('"')
					i++
					continue
				}
				break
			}
			out = append(out, b.String())
			if i == len(line) {
				return out, nil
			}
			if line[i] != sep {
				return nil, fault.New(fault.Invalid, "invalid_csv", "unexpected %q after a closing quote at byte %d", printable(string(line[i:i+1])), i+1)
			}
			i++
			continue
		}
		j := bytes.IndexByte(line[i:], sep)
		field := line[i:]
		if j >= 0 {
			field = line[i : i+j]
		}
		if bytes.IndexByte(field, '"') >= 0 {
			return nil, fault.New(fault.Invalid, "invalid_csv", "a quote inside an unquoted field at byte %d: quote the whole field and double the quote", i+bytes.IndexByte(field, '"')+1)
		}
		out = append(out, string(field))
		if j < 0 {
			return out, nil
		}
		i += j + 1
	}
}

// LineError is one line of an import that was not imported.
type LineError struct {
	Line    int64  `json:"line"`
	Code    string `json:"code"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

func (e LineError) String() string {
	if e.Field != "" {
		return fmt.Sprintf("line %d: %s: %s", e.Line, e.Field, e.Message)
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Message)
}

func lineError(line int64, err error) LineError {
	if fe, ok := fault.As(err); ok {
		return LineError{Line: line, Code: fe.Code, Field: fe.Field, Message: fe.Message}
	}
	return LineError{Line: line, Code: "invalid_line", Message: err.Error()}
}
