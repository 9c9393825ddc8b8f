package records

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/member"
	"github.com/relais/relais/internal/policy"
)

// NormalizeDocumentNumber writes a document number the way it is compared:
// upper case, without the spaces, dashes, dots, slashes and MRZ fillers
// ('<') that people and readers put in. It returns "" when nothing is left.
func NormalizeDocumentNumber(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z':
			b.WriteByte(c - 'a' + 'A')
		case c == ' ' || c == '-' || c == '<' || c == '.' || c == '/' || c == '\t':
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// maxDocumentNumber bounds a document number: ICAO numbers have at most 9
// characters in the MRZ field plus up to 14 more in TD1 optional data.
const maxDocumentNumber = 24

// ValidDocumentNumber checks a normalised document number.
func ValidDocumentNumber(field, n string) error {
	if n == "" {
		return fault.InvalidField(field, "missing_document_number", "give the document number")
	}
	if len(n) > maxDocumentNumber {
		return fault.InvalidField(field, "invalid_document_number", "a document number has at most %d letters and digits (got %d)", maxDocumentNumber, len(n))
	}
	for i := 0; i < len(n); i++ {
		if c := n[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return fault.InvalidField(field, "invalid_document_number", "a document number holds only letters A-Z and digits (found %q)", printable(n[i:]))
		}
	}
	return nil
}

// NormalizeCountry reads a country code as documents and people write it:
// an ISO 3166-1 alpha-2 code, a member's alpha-3 code, or the MRZ code of
// Germany ("D"). It answers the alpha-2 code, or "" when it knows none.
func NormalizeCountry(s string) string {
	s = strings.ToUpper(strings.Trim(s, " <"))
	switch {
	case s == "D":
		return "DE"
	case len(s) == 2 && member.IsISOCountry(s) && s != member.GeneralSecretariat:
		return s
	case len(s) == 3:
		if c, err := member.Normalize(s); err == nil {
			return c
		}
	}
	return ""
}

func country(field, s string, required bool) (string, error) {
	if strings.TrimSpace(s) == "" {
		if required {
			return "", fault.InvalidField(field, "missing_country", "give %s as an ISO 3166-1 alpha-2 code such as FR", field)
		}
		return "", nil
	}
	c := NormalizeCountry(s)
	if c == "" {
		return "", fault.InvalidField(field, "invalid_country", "unknown country code %q: use an ISO 3166-1 alpha-2 code such as FR (or a member's alpha-3 code)", printable(s))
	}
	return c, nil
}

// NormalizeOwner checks that code names a member country, the only kind of
// organisation that owns records.
func NormalizeOwner(code string) (string, error) {
	c, err := member.Normalize(code)
	if err != nil {
		return "", fault.InvalidField("owner", "invalid_owner", "%v", err)
	}
	return c, nil
}

// normalizeAudience checks the audience and sorts nothing: the order the
// owner gave is kept for display.
func normalizeAudience(au *policy.Audience) error {
	switch au.Mode {
	case "":
		au.Mode = policy.AllMembers
	case policy.AllMembers, policy.OnlyListed, policy.AllButListed:
	default:
		return fault.InvalidField("audience.mode", "invalid_audience", "audience mode is all, only or except (got %q)", printable(string(au.Mode)))
	}
	if au.Mode == policy.AllMembers && len(au.Countries) > 0 {
		return fault.InvalidField("audience.countries", "invalid_audience", "an audience of all members lists no countries; use mode only or except to list some")
	}
	if len(au.Countries) > 250 {
		return fault.InvalidField("audience.countries", "invalid_audience", "an audience lists at most 250 countries")
	}
	seen := map[string]bool{}
	out := au.Countries[:0]
	for _, c := range au.Countries {
		code, err := member.Normalize(c)
		if err != nil {
			return fault.InvalidField("audience.countries", "invalid_audience", "%v", err)
		}
		if !seen[code] {
			seen[code] = true
			out = append(out, code)
		}
	}
	au.Countries = out
	return nil
}

// joinCountries and splitCountries store an audience's list in one column.
func joinCountries(cs []string) string { return strings.Join(cs, ",") }

func splitCountries(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// DefaultReview is how long a record is kept before its owner must review it.
const DefaultReview = 5 // years

func reviewDate(field, s string, now time.Time) (string, error) {
	if s == "" {
		return now.AddDate(DefaultReview, 0, 0).Format(time.DateOnly), nil
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return "", fault.InvalidField(field, "invalid_date", "%s must be a date YYYY-MM-DD (got %q)", field, printable(s))
	}
	return s, nil
}

// partialDate accepts YYYY, YYYY-MM or YYYY-MM-DD: police records often know
// only the year of birth.
func partialDate(field, s string) error {
	layout := map[int]string{4: "2006", 7: "2006-01", 10: time.DateOnly}[len(s)]
	if layout == "" {
		return fault.InvalidField(field, "invalid_date", "%s must be YYYY-MM-DD, YYYY-MM or YYYY (got %q)", field, printable(s))
	}
	t, err := time.Parse(layout, s)
	if err != nil || t.Year() < 1850 {
		return fault.InvalidField(field, "invalid_date", "%s must be a real date YYYY-MM-DD, YYYY-MM or YYYY after 1850 (got %q)", field, printable(s))
	}
	return nil
}

// text checks a free-text field: valid UTF-8, no control characters other
// than line breaks and tabs, at most max characters.
func text(field, s string, max int, required bool) (string, error) {
	if !utf8.ValidString(s) {
		return "", fault.InvalidField(field, "invalid_utf8", "%s is not valid UTF-8 text", field)
	}
	s = strings.TrimSpace(s)
	if s == "" && required {
		return "", fault.InvalidField(field, "missing_"+field, "give the %s", strings.ReplaceAll(field, "_", " "))
	}
	if n := utf8.RuneCountInString(s); n > max {
		return "", fault.InvalidField(field, "too_long", "%s has %d characters; at most %d are allowed", field, n, max)
	}
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f {
			return "", fault.InvalidField(field, "invalid_character", "%s holds a control character (U+%04X)", field, r)
		}
	}
	return s, nil
}

// printable shortens and sanitises user input quoted back in a message.
func printable(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if utf8.RuneCountInString(s) > 40 {
		r := []rune(s)
		s = string(r[:40]) + "…"
	}
	return s
}

// VIN rules (ISO 3779 and, in North America, 49 CFR 565).

// vinValue is the value of each VIN character in the check-digit sum.
var vinValue = [256]int8{}

var vinWeights = [17]int{8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2}

func init() {
	for i := range vinValue {
		vinValue[i] = -1
	}
	for c := '0'; c <= '9'; c++ {
		vinValue[c] = int8(c - '0')
	}
	letters := "ABCDEFGHJKLMNPRSTUVWXYZ"
	values := []int8{1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9}
	for i := range len(letters) {
		vinValue[letters[i]] = values[i]
	}
}

// NormalizeVIN writes a VIN upper case without spaces and dashes.
func NormalizeVIN(s string) string {
	var b strings.Builder
	b.Grow(17)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z':
			b.WriteByte(c - 'a' + 'A')
		case c == ' ' || c == '-' || c == '\t':
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// VINCheckDigit computes the North-American check digit of a 17-character
// VIN of valid characters: '0'-'9' or 'X' for ten.
func VINCheckDigit(vin string) byte {
	sum := 0
	for i := range 17 {
		sum += int(vinValue[vin[i]]) * vinWeights[i]
	}
	if d := sum % 11; d < 10 {
		return byte('0' + d)
	}
	return 'X'
}

// ValidateVIN checks a normalised VIN: 17 characters of A-Z and 0-9 without
// I, O and Q (ISO 3779), and the check digit in position 9 for vehicles made
// for North America (first character 1 to 5), where it is mandatory.
func ValidateVIN(field, vin string) error {
	if vin == "" {
		return fault.InvalidField(field, "missing_vin", "give the vehicle identification number (VIN)")
	}
	if len(vin) != 17 {
		return fault.InvalidField(field, "invalid_vin", "a VIN has 17 characters (got %d)", utf8.RuneCountInString(vin))
	}
	for i := range 17 {
		c := vin[i]
		switch {
		case c == 'I' || c == 'O' || c == 'Q':
			return fault.InvalidField(field, "invalid_vin", "a VIN never holds the letters I, O or Q (found %c at position %d; did you mean %c?)", c, i+1, map[byte]byte{'I': '1', 'O': '0', 'Q': '0'}[c])
		case vinValue[c] < 0:
			return fault.InvalidField(field, "invalid_vin", "a VIN holds only letters and digits (found %q at position %d)", printable(vin[i:i+1]), i+1)
		}
	}
	if vin[0] >= '1' && vin[0] <= '5' {
		if want := VINCheckDigit(vin); vin[8] != want {
			return fault.InvalidField(field, "vin_check_digit", "the check digit of this North-American VIN (9th character) is %c but the other characters give %c: check the VIN for a typing error", vin[8], want)
		}
	}
	return nil
}

// NormalizePlate writes a registration plate upper case without spaces and dashes.
func NormalizePlate(s string) string { return NormalizeVIN(s) }
