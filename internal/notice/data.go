// Package notice is the notice system: a bureau asks every other member to
// find, warn about or identify someone or something, and the General
// Secretariat checks that the request is lawful before it circulates. It
// also carries diffusions, which go from a bureau straight to chosen
// countries without prior review.
//
// Every write goes through the journal (rows + audit entry + change of kind
// "notice" or "diffusion" in one transaction); every decision through the
// policy package.
package notice

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/member"
)

// Type is a kind of notice.
type Type string

const (
	Red    Type = "red"    // wanted for prosecution or to serve a sentence
	Yellow Type = "yellow" // missing person, or person unable to identify themselves
	Blue   Type = "blue"   // information on identity, location or activities
	Black  Type = "black"  // unidentified body
	Green  Type = "green"  // warning about a person's criminal activities
	Orange Type = "orange" // serious and imminent threat
	Purple Type = "purple" // modus operandi, objects, devices, concealment
	Silver Type = "silver" // assets linked to crime
	UN     Type = "un"     // UN Security Council Special Notice
)

// Types lists every notice type.
func Types() []Type { return []Type{Red, Yellow, Blue, Black, Green, Orange, Purple, Silver, UN} }

// ParseType accepts a type name in any case.
func ParseType(s string) (Type, bool) {
	t := Type(strings.ToLower(strings.TrimSpace(s)))
	return t, slices.Contains(Types(), t)
}

// personTypes must be about a person; orange/purple/silver may describe an
// object, method or assets instead, and UN may be about an entity.
var personTypes = map[Type]bool{Red: true, Yellow: true, Blue: true, Black: true, Green: true}

// AboutPerson reports whether a notice of type t must be about a person
// (have a subject).
func (t Type) AboutPerson() bool { return personTypes[t] }

// Data is a notice's content, as the requesting bureau sends it and as it is
// kept (one JSON document per version).
type Data struct {
	Type           Type       `json:"type"`
	Subject        *Subject   `json:"subject,omitempty"`
	ArrestWarrants []Warrant  `json:"arrest_warrants,omitempty"`
	Conviction     *Convicted `json:"conviction,omitempty"`
	Disappearance  *Event     `json:"disappearance,omitempty"` // yellow
	Discovery      *Event     `json:"discovery,omitempty"`     // black
	Description    string     `json:"description,omitempty"`   // orange, purple, silver; optional elsewhere
	UN             *UNInfo    `json:"un,omitempty"`
	Entity         *Entity    `json:"entity,omitempty"` // un: an entity instead of a person
}

// Subject is the person a notice is about.
type Subject struct {
	Name                string     `json:"name"`     // family name(s)
	Forename            string     `json:"forename"` // forename(s)
	BirthName           string     `json:"birth_name,omitempty"`
	Aliases             []string   `json:"aliases,omitempty"`
	OriginalScriptNames []string   `json:"original_script_names,omitempty"`
	DateOfBirth         string     `json:"date_of_birth,omitempty"` // YYYY, YYYY-MM or YYYY-MM-DD
	PlaceOfBirth        string     `json:"place_of_birth,omitempty"`
	CountryOfBirth      string     `json:"country_of_birth,omitempty"`
	Sex                 string     `json:"sex,omitempty"` // M, F or U
	Nationalities       []string   `json:"nationalities,omitempty"`
	Languages           []string   `json:"languages,omitempty"` // ISO 639-2 codes: ENG, FRE, ARA
	HeightCM            int        `json:"height_cm,omitempty"`
	WeightKG            int        `json:"weight_kg,omitempty"`
	Eyes                string     `json:"eyes,omitempty"` // a colour code of EyeColours
	Hair                string     `json:"hair,omitempty"` // a colour code of HairColours
	DistinguishingMarks string     `json:"distinguishing_marks,omitempty"`
	IdentityDocuments   []Document `json:"identity_documents,omitempty"`
	FatherName          string     `json:"father_name,omitempty"`
	FatherForename      string     `json:"father_forename,omitempty"`
	MotherName          string     `json:"mother_name,omitempty"`
	MotherForename      string     `json:"mother_forename,omitempty"`
	// RefugeeStatus says the requesting bureau knows the person holds
	// refugee status somewhere: the review must then ask whether the request
	// comes from the country the person fled.
	RefugeeStatus bool `json:"refugee_status,omitempty"`
}

// Document is an identity document of the subject.
type Document struct {
	Type           string `json:"type"` // passport, id_card, driving_licence, other
	Number         string `json:"number"`
	IssuingCountry string `json:"issuing_country"`
}

// Warrant is an arrest warrant behind a red notice.
type Warrant struct {
	IssuingCountry    string  `json:"issuing_country"`
	Charge            string  `json:"charge"`
	ChargeTranslation string  `json:"charge_translation,omitempty"`
	Reference         string  `json:"reference,omitempty"`
	Date              string  `json:"date,omitempty"` // YYYY-MM-DD
	MaxPenaltyYears   float64 `json:"max_penalty_years"`
}

// Convicted is the judgment behind a red notice to serve a sentence.
type Convicted struct {
	IssuingCountry    string  `json:"issuing_country"`
	Charge            string  `json:"charge"`
	ChargeTranslation string  `json:"charge_translation,omitempty"`
	Court             string  `json:"court,omitempty"`
	Date              string  `json:"date,omitempty"` // YYYY-MM-DD
	SentenceYears     float64 `json:"sentence_years"`
	TimeLeftMonths    float64 `json:"time_left_months"`
}

// Event is a disappearance (yellow) or a discovery (black).
type Event struct {
	Date                   string   `json:"date"` // YYYY, YYYY-MM or YYYY-MM-DD
	Place                  string   `json:"place,omitempty"`
	Country                string   `json:"country,omitempty"`
	LikelyToVisitCountries []string `json:"countries_likely_to_be_visited,omitempty"`
}

// UNInfo ties a UN Security Council Special Notice to the sanctions list.
type UNInfo struct {
	Reference  string `json:"reference"`  // e.g. QDi.001
	Resolution string `json:"resolution"` // e.g. 1267
	Committee  string `json:"committee,omitempty"`
}

// Entity is a group or undertaking under UN sanctions.
type Entity struct {
	Name      string   `json:"name"`
	Aliases   []string `json:"aliases,omitempty"`
	Addresses []string `json:"addresses,omitempty"`
	Country   string   `json:"country,omitempty"`
}

// EyeColours and HairColours are the colour codes the organisation's public
// notices use.
var (
	EyeColours  = []string{"BLA", "BLU", "BRO", "GRE", "GRY", "HAZ", "OTHD"}
	HairColours = []string{"BLA", "BRO", "BLO", "RED", "GRY", "WHI", "BALD", "OTHD"}
	sexes       = []string{"M", "F", "U"}
	docTypes    = []string{"passport", "id_card", "driving_licence", "residence_permit", "other"}
)

// Limits on free text, so that one notice cannot fill the store.
const (
	maxName        = 200
	maxText        = 4000
	maxList        = 50
	maxDescription = 20000
)

var (
	languagePattern = regexp.MustCompile(`^[A-Z]{3}$`)
	datePattern     = regexp.MustCompile(`^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$`)
)

// PartialDate is a date of which only the year, or the year and month, may be known.
type PartialDate struct {
	Year, Month, Day int // Month and Day are 0 when unknown
}

// String writes the date as YYYY, YYYY-MM or YYYY-MM-DD.
func (d PartialDate) String() string {
	switch {
	case d.Month == 0:
		return fmt.Sprintf("%04d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	default:
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
	}
}

// Slashed writes the date as the public notices API does: YYYY/MM/DD, YYYY/MM or YYYY.
func (d PartialDate) Slashed() string { return strings.ReplaceAll(d.String(), "-", "/") }

// earliest returns the first day the date may mean.
func (d PartialDate) earliest() time.Time {
	m, day := max(d.Month, 1), max(d.Day, 1)
	return time.Date(d.Year, time.Month(m), day, 0, 0, 0, 0, time.UTC)
}

// ParsePartialDate reads YYYY, YYYY-MM or YYYY-MM-DD and checks that the day
// exists (no 29 February in a common year).
func ParsePartialDate(s string) (PartialDate, error) {
	m := datePattern.FindStringSubmatch(s)
	if m == nil {
		return PartialDate{}, fmt.Errorf("write the date as YYYY-MM-DD, YYYY-MM or YYYY (got %q)", s)
	}
	var d PartialDate
	d.Year, _ = strconv.Atoi(m[1])
	if d.Year < 1850 {
		return d, fmt.Errorf("the year %d is too early", d.Year)
	}
	if m[2] != "" {
		d.Month, _ = strconv.Atoi(m[2])
		if d.Month < 1 || d.Month > 12 {
			return d, fmt.Errorf("there is no month %s", m[2])
		}
	}
	if m[3] != "" {
		d.Day, _ = strconv.Atoi(m[3])
		t := time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
		if d.Day < 1 || t.Day() != d.Day {
			return d, fmt.Errorf("%s does not exist: %s %d has %d days", s, time.Month(d.Month), d.Year, daysIn(d.Year, d.Month))
		}
	}
	return d, nil
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Validate checks a notice's data and normalises it in place: trimmed text,
// upper-case codes, alpha-2 country codes. The error names every field at
// fault, each as a path such as "subject.date_of_birth" or
// "arrest_warrants[0].issuing_country", so that all of them can be fixed at
// once; it reads as the first. now is the time the dates are checked
// against (no birth in the future).
func (d *Data) Validate(now time.Time) error {
	var fs faults
	d.validate(now, &fs)
	return fs.err()
}

// faults collects the field errors of a check.
type faults []*fault.Error

// add records err, the fault of one field or of several, if any.
func (fs *faults) add(err error) {
	if err == nil {
		return
	}
	fe, ok := fault.As(err)
	switch {
	case !ok:
		*fs = append(*fs, fault.InvalidField("", "invalid", "%v", err))
	case len(fe.Errors) > 0:
		*fs = append(*fs, fe.Errors...)
	default:
		*fs = append(*fs, fe)
	}
}

func (fs faults) err() error { return fault.Fields(fs...) }

func (d *Data) validate(now time.Time, fs *faults) {
	t, ok := ParseType(string(d.Type))
	if !ok {
		// Which fields a notice needs depends on its type: nothing else
		// can be checked.
		fs.add(fault.InvalidField("type", "invalid_type", "unknown notice type %q: use one of %s", d.Type, typeList()))
		return
	}
	d.Type = t
	d.Description = strings.TrimSpace(d.Description)
	fs.add(checkText("description", d.Description, maxDescription))
	if t == UN {
		d.validateUN(fs)
	} else {
		if d.UN != nil {
			fs.add(fault.InvalidField("un", "not_allowed", "only a UN Security Council Special Notice has UN sanctions data"))
		}
		if d.Entity != nil {
			fs.add(fault.InvalidField("entity", "not_allowed", "only a UN Security Council Special Notice may be about an entity"))
		}
	}
	if personTypes[t] && d.Subject == nil {
		fs.add(fault.InvalidField("subject", "required", "a %s notice is about a person: give the subject", t))
	}
	if (t == Orange || t == Purple || t == Silver) && d.Subject == nil && d.Description == "" {
		fs.add(fault.InvalidField("description", "required", "describe the object, method or assets (or give a subject)"))
	}
	if d.Subject != nil {
		d.Subject.validate("subject", now, fs)
	}
	if t == Red {
		d.validateRed(now, fs)
	} else {
		if len(d.ArrestWarrants) > 0 {
			fs.add(fault.InvalidField("arrest_warrants", "not_allowed", "only a red notice carries arrest warrants"))
		}
		if d.Conviction != nil {
			fs.add(fault.InvalidField("conviction", "not_allowed", "only a red notice carries a conviction"))
		}
	}
	d.validateEvent(t, Yellow, "disappearance", &d.Disappearance, now, fs)
	d.validateEvent(t, Black, "discovery", &d.Discovery, now, fs)
}

func typeList() string {
	s := make([]string, 0, len(Types()))
	for _, t := range Types() {
		s = append(s, string(t))
	}
	return strings.Join(s, ", ")
}

func (d *Data) validateUN(fs *faults) {
	if d.UN == nil {
		fs.add(fault.InvalidField("un", "required", "give the UN reference and resolution of the sanctions listing"))
	} else {
		u := d.UN
		u.Reference, u.Resolution, u.Committee = strings.TrimSpace(u.Reference), strings.TrimSpace(u.Resolution), strings.TrimSpace(u.Committee)
		if u.Reference == "" {
			fs.add(fault.InvalidField("un.reference", "required", "give the UN reference, such as QDi.001"))
		}
		if u.Resolution == "" {
			fs.add(fault.InvalidField("un.resolution", "required", "give the Security Council resolution, such as 1267"))
		}
		fs.add(checkText("un.reference", u.Reference, maxName))
		fs.add(checkText("un.resolution", u.Resolution, maxName))
		fs.add(checkText("un.committee", u.Committee, maxName))
	}
	switch {
	case d.Subject == nil && d.Entity == nil:
		fs.add(fault.InvalidField("subject", "required", "a UN Security Council Special Notice is about a person (subject) or an entity (entity)"))
	case d.Subject != nil && d.Entity != nil:
		fs.add(fault.InvalidField("entity", "not_allowed", "give either a subject (person) or an entity, not both"))
	case d.Entity != nil:
		e := d.Entity
		e.Name = strings.TrimSpace(e.Name)
		if e.Name == "" {
			fs.add(fault.InvalidField("entity.name", "required", "give the entity's name"))
		}
		fs.add(checkText("entity.name", e.Name, maxName))
		var err error
		e.Aliases, err = cleanList("entity.aliases", e.Aliases, maxName)
		fs.add(err)
		e.Addresses, err = cleanList("entity.addresses", e.Addresses, maxText)
		fs.add(err)
		if e.Country != "" {
			e.Country, err = isoCountry("entity.country", e.Country)
			fs.add(err)
		}
	}
}

func (d *Data) validateRed(now time.Time, fs *faults) {
	if len(d.ArrestWarrants) == 0 && d.Conviction == nil {
		fs.add(fault.InvalidField("arrest_warrants", "required", "a red notice needs an arrest warrant or a conviction"))
	}
	if len(d.ArrestWarrants) > maxList {
		fs.add(fault.InvalidField("arrest_warrants", "too_many", "at most %d arrest warrants", maxList))
	} else {
		for i := range d.ArrestWarrants {
			d.ArrestWarrants[i].validate(fmt.Sprintf("arrest_warrants[%d]", i), now, fs)
		}
	}
	if c := d.Conviction; c != nil {
		var err error
		c.IssuingCountry, err = memberCountry("conviction.issuing_country", c.IssuingCountry)
		fs.add(err)
		c.Charge, err = requiredText("conviction.charge", c.Charge, maxText, "give the offence of the conviction")
		fs.add(err)
		c.ChargeTranslation, c.Court = strings.TrimSpace(c.ChargeTranslation), strings.TrimSpace(c.Court)
		fs.add(checkText("conviction.charge_translation", c.ChargeTranslation, maxText))
		fs.add(checkText("conviction.court", c.Court, maxName))
		if c.Date != "" {
			fs.add(pastFullDate("conviction.date", c.Date, now))
		}
		if !finite(c.SentenceYears) || c.SentenceYears <= 0 || c.SentenceYears > 1000 {
			fs.add(fault.InvalidField("conviction.sentence_years", "invalid_sentence", "give the sentence in years (more than 0)"))
		} else if !finite(c.TimeLeftMonths) || c.TimeLeftMonths < 0 || c.TimeLeftMonths > c.SentenceYears*12 {
			fs.add(fault.InvalidField("conviction.time_left_months", "invalid_sentence", "give the months of the sentence still to serve (0 to the whole sentence)"))
		}
	}
}

func (w *Warrant) validate(f string, now time.Time, fs *faults) {
	var err error
	w.IssuingCountry, err = memberCountry(f+".issuing_country", w.IssuingCountry)
	fs.add(err)
	w.Charge, err = requiredText(f+".charge", w.Charge, maxText, "give the charge")
	fs.add(err)
	w.ChargeTranslation, w.Reference = strings.TrimSpace(w.ChargeTranslation), strings.TrimSpace(w.Reference)
	fs.add(checkText(f+".charge_translation", w.ChargeTranslation, maxText))
	fs.add(checkText(f+".reference", w.Reference, maxName))
	if w.Date != "" {
		fs.add(pastFullDate(f+".date", w.Date, now))
	}
	if !finite(w.MaxPenaltyYears) || w.MaxPenaltyYears <= 0 || w.MaxPenaltyYears > 1000 {
		fs.add(fault.InvalidField(f+".max_penalty_years", "invalid_penalty", "give the maximum penalty in years (more than 0; 999 for life)"))
	}
}

func (d *Data) validateEvent(t, owner Type, field string, ev **Event, now time.Time, fs *faults) {
	if t != owner {
		if *ev != nil {
			fs.add(fault.InvalidField(field, "not_allowed", "only a %s notice has a %s", owner, field))
		}
		return
	}
	e := *ev
	if e == nil {
		return
	}
	if e.Date != "" {
		pd, err := ParsePartialDate(e.Date)
		switch {
		case err != nil:
			fs.add(fault.InvalidField(field+".date", "invalid_date", "%v", err))
		case pd.earliest().After(now):
			fs.add(fault.InvalidField(field+".date", "invalid_date", "the date %s is in the future", e.Date))
		default:
			e.Date = pd.String()
		}
	}
	e.Place = strings.TrimSpace(e.Place)
	fs.add(checkText(field+".place", e.Place, maxName))
	var err error
	if e.Country != "" {
		e.Country, err = isoCountry(field+".country", e.Country)
		fs.add(err)
	}
	for i, c := range e.LikelyToVisitCountries {
		e.LikelyToVisitCountries[i], err = isoCountry(fmt.Sprintf("%s.countries_likely_to_be_visited[%d]", field, i), c)
		fs.add(err)
	}
}

func (s *Subject) validate(p string, now time.Time, fs *faults) {
	var err error
	s.Name, s.Forename = strings.TrimSpace(s.Name), strings.TrimSpace(s.Forename)
	if s.Name == "" && s.Forename == "" {
		fs.add(fault.InvalidField(p+".name", "required", "give the family name, the forename or both"))
	}
	texts := []struct {
		field string
		v     *string
		limit int
	}{
		{"name", &s.Name, maxName}, {"forename", &s.Forename, maxName}, {"birth_name", &s.BirthName, maxName},
		{"place_of_birth", &s.PlaceOfBirth, maxName}, {"distinguishing_marks", &s.DistinguishingMarks, maxText},
		{"father_name", &s.FatherName, maxName}, {"father_forename", &s.FatherForename, maxName},
		{"mother_name", &s.MotherName, maxName}, {"mother_forename", &s.MotherForename, maxName},
	}
	for _, tx := range texts {
		*tx.v = strings.TrimSpace(*tx.v)
		fs.add(checkText(p+"."+tx.field, *tx.v, tx.limit))
	}
	s.Aliases, err = cleanList(p+".aliases", s.Aliases, maxName)
	fs.add(err)
	s.OriginalScriptNames, err = cleanList(p+".original_script_names", s.OriginalScriptNames, maxName)
	fs.add(err)
	if s.DateOfBirth != "" {
		pd, err := ParsePartialDate(s.DateOfBirth)
		switch {
		case err != nil:
			fs.add(fault.InvalidField(p+".date_of_birth", "invalid_date", "%v", err))
		case pd.earliest().After(now):
			fs.add(fault.InvalidField(p+".date_of_birth", "invalid_date", "the date of birth %s is in the future", s.DateOfBirth))
		default:
			s.DateOfBirth = pd.String()
		}
	}
	if s.CountryOfBirth != "" {
		s.CountryOfBirth, err = isoCountry(p+".country_of_birth", s.CountryOfBirth)
		fs.add(err)
	}
	if s.Sex != "" {
		s.Sex = strings.ToUpper(strings.TrimSpace(s.Sex))
		if !slices.Contains(sexes, s.Sex) {
			fs.add(fault.InvalidField(p+".sex", "invalid_sex", "sex is M, F or U (unknown)"))
		}
	}
	if len(s.Nationalities) > maxList {
		fs.add(fault.InvalidField(p+".nationalities", "too_many", "at most %d nationalities", maxList))
	} else {
		for i, c := range s.Nationalities {
			s.Nationalities[i], err = isoCountry(fmt.Sprintf("%s.nationalities[%d]", p, i), c)
			fs.add(err)
		}
		s.Nationalities = dedupe(s.Nationalities)
	}
	if len(s.Languages) > maxList {
		fs.add(fault.InvalidField(p+".languages", "too_many", "at most %d languages", maxList))
	} else {
		for i, l := range s.Languages {
			l = strings.ToUpper(strings.TrimSpace(l))
			if !languagePattern.MatchString(l) {
				fs.add(fault.InvalidField(fmt.Sprintf("%s.languages[%d]", p, i), "invalid_language", "give languages as ISO 639-2 three-letter codes such as ENG, FRE, ARA (got %q)", s.Languages[i]))
				continue
			}
			s.Languages[i] = l
		}
	}
	if s.HeightCM < 0 || s.HeightCM > 280 {
		fs.add(fault.InvalidField(p+".height_cm", "out_of_range", "give the height in centimetres, from 1 to 280"))
	}
	if s.WeightKG < 0 || s.WeightKG > 500 {
		fs.add(fault.InvalidField(p+".weight_kg", "out_of_range", "give the weight in kilograms, from 1 to 500"))
	}
	if s.Eyes != "" {
		s.Eyes, err = code(p+".eyes", s.Eyes, EyeColours)
		fs.add(err)
	}
	if s.Hair != "" {
		s.Hair, err = code(p+".hair", s.Hair, HairColours)
		fs.add(err)
	}
	if len(s.IdentityDocuments) > maxList {
		fs.add(fault.InvalidField(p+".identity_documents", "too_many", "at most %d identity documents", maxList))
		return
	}
	for i := range s.IdentityDocuments {
		doc := &s.IdentityDocuments[i]
		f := fmt.Sprintf("%s.identity_documents[%d]", p, i)
		doc.Type = strings.ToLower(strings.TrimSpace(doc.Type))
		if !slices.Contains(docTypes, doc.Type) {
			fs.add(fault.InvalidField(f+".type", "invalid_document_type", "a document type is one of %s", strings.Join(docTypes, ", ")))
		}
		doc.Number, err = requiredText(f+".number", doc.Number, 64, "give the document number")
		fs.add(err)
		doc.IssuingCountry, err = isoCountry(f+".issuing_country", doc.IssuingCountry)
		fs.add(err)
	}
}

func code(field, v string, allowed []string) (string, error) {
	v = strings.ToUpper(strings.TrimSpace(v))
	if !slices.Contains(allowed, v) {
		return "", fault.InvalidField(field, "invalid_code", "use one of %s", strings.Join(allowed, ", "))
	}
	return v, nil
}

// memberCountry is a member's alpha-2 code: warrants come from bureaus.
func memberCountry(field, v string) (string, error) {
	if strings.TrimSpace(v) == "" {
		return "", fault.InvalidField(field, "required", "give the country as an ISO 3166-1 code")
	}
	c, err := member.Normalize(v)
	if err != nil {
		return "", fault.InvalidField(field, "invalid_country", "%v", err)
	}
	return c, nil
}

// isoCountry accepts any ISO 3166-1 country: a nationality or place need not
// be a member's.
func isoCountry(field, v string) (string, error) {
	c := strings.ToUpper(strings.TrimSpace(v))
	if m, err := member.Normalize(c); err == nil {
		return m, nil
	}
	if len(c) == 2 && member.IsISOCountry(c) && c != member.GeneralSecretariat {
		return c, nil
	}
	return "", fault.InvalidField(field, "invalid_country", "unknown country code %q: use an ISO 3166-1 alpha-2 code such as FR", strings.TrimSpace(v))
}

func requiredText(field, v string, limit int, what string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", fault.InvalidField(field, "required", "%s", what)
	}
	return v, checkText(field, v, limit)
}

func checkText(field, v string, limit int) error {
	if !utf8.ValidString(v) {
		return fault.InvalidField(field, "invalid_text", "the text is not valid UTF-8")
	}
	if utf8.RuneCountInString(v) > limit {
		return fault.InvalidField(field, "too_long", "at most %d characters", limit)
	}
	for _, r := range v {
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' {
			return fault.InvalidField(field, "invalid_text", "the text holds control characters")
		}
	}
	return nil
}

func cleanList(field string, vs []string, limit int) ([]string, error) {
	if len(vs) > maxList {
		return nil, fault.InvalidField(field, "too_many", "at most %d entries", maxList)
	}
	out := vs[:0]
	for i, v := range vs {
		v = strings.TrimSpace(v)
		if err := checkText(fmt.Sprintf("%s[%d]", field, i), v, limit); err != nil {
			return nil, err
		}
		if v != "" {
			out = append(out, v)
		}
	}
	return dedupe(out), nil
}

func dedupe(vs []string) []string {
	seen := map[string]bool{}
	out := vs[:0]
	for _, v := range vs {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

func pastFullDate(field, s string, now time.Time) error {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		if pd, perr := ParsePartialDate(s); perr != nil {
			return fault.InvalidField(field, "invalid_date", "%v", perr)
		} else if pd.Day == 0 {
			return fault.InvalidField(field, "invalid_date", "give the full date, YYYY-MM-DD")
		}
		return fault.InvalidField(field, "invalid_date", "write the date as YYYY-MM-DD")
	}
	if t.After(now) {
		return fault.InvalidField(field, "invalid_date", "the date %s is in the future", s)
	}
	return nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// DecodeData reads a notice's data from JSON, refusing unknown fields.
func DecodeData(raw []byte) (Data, error) {
	var d Data
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return d, fmt.Errorf("decode notice data: %w", err)
	}
	return d, nil
}

// legalBasis is the part of the data that a reviewer checked for
// lawfulness: the type, the warrants or conviction, the UN listing and who
// the subject is. Changing it sends a published notice back to review.
func (d Data) legalBasis() string {
	type identity struct {
		Name, Forename, BirthName, DateOfBirth string
		Nationalities                          []string
	}
	b := struct {
		Type           Type
		ArrestWarrants []Warrant
		Conviction     *Convicted
		UN             *UNInfo
		Entity         string
		Subject        *identity
	}{Type: d.Type, ArrestWarrants: d.ArrestWarrants, Conviction: d.Conviction, UN: d.UN}
	if d.Entity != nil {
		b.Entity = d.Entity.Name
	}
	if s := d.Subject; s != nil {
		b.Subject = &identity{s.Name, s.Forename, s.BirthName, s.DateOfBirth, s.Nationalities}
	}
	out, _ := json.Marshal(b) // plain values always encode
	return string(out)
}

// changedFields lists the top-level fields whose content differs.
func changedFields(a, b Data) []string {
	ma, mb := topLevel(a), topLevel(b)
	var out []string
	for _, k := range []string{"type", "subject", "arrest_warrants", "conviction", "disappearance", "discovery", "description", "un", "entity"} {
		if string(ma[k]) != string(mb[k]) {
			out = append(out, k)
		}
	}
	return out
}

func topLevel(d Data) map[string]json.RawMessage {
	raw, _ := json.Marshal(d)
	m := map[string]json.RawMessage{}
	_ = json.Unmarshal(raw, &m)
	return m
}
