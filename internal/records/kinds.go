package records

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/policy"
)

// Kind names a kind of record as the API and the import command write it.
type Kind string

const (
	Persons         Kind = "persons"
	TravelDocuments Kind = "travel-documents"
	Vehicles        Kind = "vehicles"
	Artworks        Kind = "artworks"
)

// Kinds lists every kind of record.
func Kinds() []Kind { return []Kind{Persons, TravelDocuments, Vehicles, Artworks} }

// ParseKind reads a kind as written in a URL or on the command line.
func ParseKind(s string) (Kind, error) {
	k := Kind(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(Kinds(), k) {
		return k, nil
	}
	return "", fault.InvalidField("kind", "invalid_kind", "unknown kind of record %q: use persons, travel-documents, vehicles or artworks", printable(s))
}

// Change-feed kinds of the records.
const (
	ChangePerson         = "person"
	ChangeTravelDocument = "travel_document"
	ChangeVehicle        = "vehicle"
	ChangeArtwork        = "artwork"
)

// spec is what the service needs to know about a kind's table.
type spec struct {
	kind   Kind
	change string // change-feed and audit resource kind
	table  string
	intID  bool     // ids are assigned by the database; persons keep the owner's reference
	cols   []string // the kind's own columns, in the order of values() and targets()
	// filter is the column that the list's q parameter looks in, and how.
	filter      string
	filterExact bool
	newRecord   func() Record
}

var specs = map[Kind]*spec{
	Persons: {kind: Persons, change: ChangePerson, table: "persons",
		cols:   []string{"name", "aliases", "birth_date", "nationality", "sex", "details", "reason"},
		filter: "name", newRecord: func() Record { return &Person{} }},
	TravelDocuments: {kind: TravelDocuments, change: ChangeTravelDocument, table: "travel_documents", intID: true,
		cols:   []string{"number", "issuing_country", "doc_type", "status", "reported_on", "serial_from", "serial_to"},
		filter: "number", filterExact: true, newRecord: func() Record { return &TravelDocument{} }},
	Vehicles: {kind: Vehicles, change: ChangeVehicle, table: "vehicles", intID: true,
		cols:   []string{"vin", "plate", "make", "model", "colour", "country"},
		filter: "vin", filterExact: true, newRecord: func() Record { return &Vehicle{} }},
	Artworks: {kind: Artworks, change: ChangeArtwork, table: "artworks", intID: true,
		cols:   []string{"title", "artist", "object_type", "period", "dimensions", "description", "photos"},
		filter: "title", newRecord: func() Record { return &Artwork{} }},
}

// ChangeKind returns the change-feed kind of records of kind k.
func (k Kind) ChangeKind() string { return specs[k].change }

// New returns an empty record of kind k.
func New(k Kind) Record { return specs[k].newRecord() }

// Head is what every record has: its id, its owner, who else may see it and
// when it must be reviewed.
type Head struct {
	ID        string          `json:"id"`
	Owner     string          `json:"owner"`
	Audience  policy.Audience `json:"audience"`
	ReviewOn  string          `json:"review_on"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
}

// Record is a record of any kind.
type Record interface {
	Header() *Head
	Kind() Kind
	// normalize checks the kind's own fields and writes them the way they are
	// stored and compared.
	normalize() error
	values() []any
	targets() []any
}

// Resource is the record as policy sees it.
func Resource(r Record) policy.Resource {
	h := r.Header()
	return policy.Resource{Kind: r.Kind().ChangeKind(), ID: h.ID, Owner: h.Owner, Audience: h.Audience}
}

// Person is nominal data: the fields of a person notice and the reason the
// owner records the person.
type Person struct {
	Head
	Name        string          `json:"name"`
	Aliases     []string        `json:"aliases"`
	BirthDate   *string         `json:"birth_date"`
	Nationality *string         `json:"nationality"`
	Sex         *string         `json:"sex"`
	Details     json.RawMessage `json:"details,omitempty"`
	Reason      string          `json:"reason"`
}

func (p *Person) Header() *Head { return &p.Head }
func (p *Person) Kind() Kind    { return Persons }

const (
	maxName    = 300
	maxAliases = 50
	maxDetails = 64 << 10
)

func (p *Person) normalize() error {
	var err error
	if p.Name, err = text("name", p.Name, maxName, true); err != nil {
		return err
	}
	if len(p.Aliases) > maxAliases {
		return fault.InvalidField("aliases", "too_many_aliases", "a person has at most %d aliases (got %d)", maxAliases, len(p.Aliases))
	}
	aliases := make([]string, 0, len(p.Aliases))
	for _, a := range p.Aliases {
		a, err := text("aliases", a, maxName, false)
		if err != nil {
			return err
		}
		if a != "" && !slices.Contains(aliases, a) {
			aliases = append(aliases, a)
		}
	}
	p.Aliases = aliases
	if p.BirthDate != nil {
		if *p.BirthDate = strings.TrimSpace(*p.BirthDate); *p.BirthDate == "" {
			p.BirthDate = nil
		} else if err := partialDate("birth_date", *p.BirthDate); err != nil {
			return err
		}
	}
	if p.Nationality != nil {
		c, err := country("nationality", *p.Nationality, false)
		if err != nil {
			return err
		}
		p.Nationality = optional(c)
	}
	if p.Sex != nil {
		s := strings.ToUpper(strings.TrimSpace(*p.Sex))
		switch s {
		case "", "U":
			p.Sex = nil
		case "M", "F", "X":
			p.Sex = &s
		default:
			return fault.InvalidField("sex", "invalid_sex", "sex is M, F or X (got %q)", printable(*p.Sex))
		}
	}
	if len(p.Details) > 0 {
		if len(p.Details) > maxDetails {
			return fault.InvalidField("details", "too_long", "details hold at most %d bytes of JSON", maxDetails)
		}
		var obj map[string]any
		if err := json.Unmarshal(p.Details, &obj); err != nil || obj == nil {
			return fault.InvalidField("details", "invalid_details", "details must be a JSON object")
		}
		if len(obj) == 0 {
			p.Details = nil
		}
	}
	p.Reason, err = text("reason", p.Reason, 2000, false)
	return err
}

func (p *Person) values() []any {
	details := "{}"
	if len(p.Details) > 0 {
		details = string(p.Details)
	}
	return []any{p.Name, jsonText(p.Aliases), p.BirthDate, p.Nationality, p.Sex, details, p.Reason}
}

func (p *Person) targets() []any {
	return []any{&p.Name, jsonColumn{&p.Aliases}, &p.BirthDate, &p.Nationality, &p.Sex, rawColumn{&p.Details}, &p.Reason}
}

// Document types and statuses.
var (
	DocumentTypes    = []string{"passport", "id-card", "visa", "residence-permit", "travel-document", "diplomatic-passport", "service-passport", "seafarer-id", "other"}
	DocumentStatuses = []string{"stolen", "lost", "revoked", "stolen-blank"}
)

// TravelDocument is a stolen, lost or revoked travel document, or a range of
// stolen blank documents.
type TravelDocument struct {
	Head
	Number         string  `json:"number"`
	IssuingCountry string  `json:"issuing_country"`
	Type           string  `json:"type"`
	Status         string  `json:"status"`
	ReportedAt     *string `json:"reported_at"`
	SerialFrom     *string `json:"serial_from,omitempty"`
	SerialTo       *string `json:"serial_to,omitempty"`
}

func (d *TravelDocument) Header() *Head { return &d.Head }
func (d *TravelDocument) Kind() Kind    { return TravelDocuments }

func (d *TravelDocument) normalize() error {
	var err error
	if d.IssuingCountry, err = country("issuing_country", d.IssuingCountry, true); err != nil {
		return err
	}
	d.Type = strings.ToLower(strings.TrimSpace(d.Type))
	if d.Type == "" {
		d.Type = "passport"
	}
	if !slices.Contains(DocumentTypes, d.Type) {
		return fault.InvalidField("type", "invalid_type", "document type is one of %s (got %q)", strings.Join(DocumentTypes, ", "), printable(d.Type))
	}
	d.Status = strings.ToLower(strings.TrimSpace(d.Status))
	if !slices.Contains(DocumentStatuses, d.Status) {
		return fault.InvalidField("status", "invalid_status", "document status is one of %s (got %q)", strings.Join(DocumentStatuses, ", "), printable(d.Status))
	}
	if d.ReportedAt != nil {
		if *d.ReportedAt = strings.TrimSpace(*d.ReportedAt); *d.ReportedAt == "" {
			d.ReportedAt = nil
		} else if _, err := time.Parse(time.DateOnly, *d.ReportedAt); err != nil {
			return fault.InvalidField("reported_at", "invalid_date", "reported_at must be a date YYYY-MM-DD (got %q)", printable(*d.ReportedAt))
		}
	}
	from, to := normalizeOptional(d.SerialFrom), normalizeOptional(d.SerialTo)
	d.SerialFrom, d.SerialTo = optional(from), optional(to)
	if d.Status == "stolen-blank" {
		if from == "" || to == "" {
			return fault.InvalidField("serial_from", "missing_serial_range", "a stolen-blank report gives the first and last serial numbers stolen (serial_from, serial_to)")
		}
		if _, _, _, err := SerialRange(from, to); err != nil {
			return err
		}
		if d.Number == "" {
			d.Number = from
		}
	} else if from != "" || to != "" {
		return fault.InvalidField("serial_from", "unexpected_serial_range", "only stolen-blank reports give a serial range")
	}
	d.Number = NormalizeDocumentNumber(d.Number)
	return ValidDocumentNumber("number", d.Number)
}

// SerialRange checks a range of blank-document serials: both ends have the
// same letters followed by digits, and the first is not after the last. It
// returns the letters and the two numbers.
func SerialRange(from, to string) (prefix string, lo, hi uint64, err error) {
	p1, n1, ok1 := splitSerial(from)
	p2, n2, ok2 := splitSerial(to)
	if !ok1 || !ok2 || p1 != p2 {
		return "", 0, 0, fault.InvalidField("serial_to", "invalid_serial_range", "the serials of a range have the same letters followed by at most 18 digits, e.g. AB1000 to AB1999")
	}
	if n1 > n2 {
		return "", 0, 0, fault.InvalidField("serial_to", "invalid_serial_range", "the first serial %s is after the last %s", from, to)
	}
	return p1, n1, n2, nil
}

// splitSerial cuts a normalised number into its letters and trailing digits.
func splitSerial(s string) (prefix string, n uint64, ok bool) {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	digits := s[i:]
	if digits == "" || len(digits) > 18 {
		return "", 0, false
	}
	for _, c := range digits {
		n = n*10 + uint64(c-'0')
	}
	return s[:i], n, ValidDocumentNumber("serial", s) == nil
}

func normalizeOptional(p *string) string {
	if p == nil {
		return ""
	}
	return NormalizeDocumentNumber(*p)
}

func (d *TravelDocument) values() []any {
	return []any{d.Number, d.IssuingCountry, d.Type, d.Status, d.ReportedAt, d.SerialFrom, d.SerialTo}
}

func (d *TravelDocument) targets() []any {
	return []any{&d.Number, &d.IssuingCountry, &d.Type, &d.Status, &d.ReportedAt, &d.SerialFrom, &d.SerialTo}
}

// Vehicle is a stolen motor vehicle.
type Vehicle struct {
	Head
	VIN     string `json:"vin"`
	Plate   string `json:"plate"`
	Make    string `json:"make"`
	Model   string `json:"model"`
	Colour  string `json:"colour"`
	Country string `json:"country"`
}

func (v *Vehicle) Header() *Head { return &v.Head }
func (v *Vehicle) Kind() Kind    { return Vehicles }

func (v *Vehicle) normalize() error {
	v.VIN = NormalizeVIN(v.VIN)
	if err := ValidateVIN("vin", v.VIN); err != nil {
		return err
	}
	v.Plate = NormalizePlate(v.Plate)
	var err error
	if v.Plate, err = text("plate", v.Plate, 20, false); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		p    *string
	}{{"make", &v.Make}, {"model", &v.Model}, {"colour", &v.Colour}} {
		if *f.p, err = text(f.name, *f.p, 100, false); err != nil {
			return err
		}
	}
	v.Country, err = country("country", v.Country, false)
	return err
}

func (v *Vehicle) values() []any {
	return []any{v.VIN, v.Plate, v.Make, v.Model, v.Colour, v.Country}
}

func (v *Vehicle) targets() []any {
	return []any{&v.VIN, &v.Plate, &v.Make, &v.Model, &v.Colour, &v.Country}
}

// Artwork is a stolen work of art or cultural property.
type Artwork struct {
	Head
	Title       string   `json:"title"`
	Artist      string   `json:"artist"`
	ObjectType  string   `json:"object_type"`
	Period      string   `json:"period"`
	Dimensions  string   `json:"dimensions"`
	Description string   `json:"description"`
	Photos      []string `json:"photos"`
}

func (a *Artwork) Header() *Head { return &a.Head }
func (a *Artwork) Kind() Kind    { return Artworks }

func (a *Artwork) normalize() error {
	var err error
	for _, f := range []struct {
		name     string
		p        *string
		max      int
		required bool
	}{{"title", &a.Title, 500, true}, {"artist", &a.Artist, 300, false}, {"object_type", &a.ObjectType, 100, false},
		{"period", &a.Period, 100, false}, {"dimensions", &a.Dimensions, 200, false}, {"description", &a.Description, 10000, false}} {
		if *f.p, err = text(f.name, *f.p, f.max, f.required); err != nil {
			return err
		}
	}
	if len(a.Photos) > 20 {
		return fault.InvalidField("photos", "too_many_photos", "a work of art has at most 20 photographs (got %d)", len(a.Photos))
	}
	photos := make([]string, 0, len(a.Photos))
	for _, p := range a.Photos {
		p, err := text("photos", p, 2048, false)
		if err != nil {
			return err
		}
		if p != "" {
			photos = append(photos, p)
		}
	}
	a.Photos = photos
	return nil
}

func (a *Artwork) values() []any {
	return []any{a.Title, a.Artist, a.ObjectType, a.Period, a.Dimensions, a.Description, jsonText(a.Photos)}
}

func (a *Artwork) targets() []any {
	return []any{&a.Title, &a.Artist, &a.ObjectType, &a.Period, &a.Dimensions, &a.Description, jsonColumn{&a.Photos}}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// jsonText stores a list as a JSON array, never as null.
func jsonText(v []string) string {
	if len(v) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(v) // a []string always encodes
	return string(b)
}

// jsonColumn scans a JSON array column into a []string.
type jsonColumn struct{ dst *[]string }

func (c jsonColumn) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	case nil:
		*c.dst = []string{}
		return nil
	default:
		return fmt.Errorf("JSON column holds %T", src)
	}
	*c.dst = []string{}
	return json.Unmarshal(b, c.dst)
}

// rawColumn scans a JSON object column, leaving an empty object out.
type rawColumn struct{ dst *json.RawMessage }

func (c rawColumn) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case string:
		s = v
	case []byte:
		s = string(v)
	}
	if s == "" || s == "{}" {
		*c.dst = nil
	} else {
		*c.dst = json.RawMessage(s)
	}
	return nil
}
