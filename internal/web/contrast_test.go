package web_test

import (
	"fmt"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// stylesheet is the top-level rules of a CSS file: selector → property →
// value, later rules overriding earlier ones. Rules inside @media blocks
// (phones, print) are left out: they change sizes, not the screen colours.
type stylesheet map[string]map[string]string

var cssComment = regexp.MustCompile(`(?s)/\*.*?\*/`)

func readStylesheet(t *testing.T) stylesheet {
	t.Helper()
	raw, err := os.ReadFile("static/style.css")
	if err != nil {
		t.Fatal(err)
	}
	css := cssComment.ReplaceAllString(string(raw), "")
	sheet := stylesheet{}
	depth, start := 0, 0
	selector := ""
	for i, r := range css {
		switch r {
		case '{':
			if depth == 0 {
				selector = strings.TrimSpace(css[start:i])
				start = i + 1
			}
			depth++
		case '}':
			depth--
			if depth == 0 {
				if !strings.HasPrefix(selector, "@") {
					for _, sel := range strings.Split(selector, ",") {
						sel = strings.Join(strings.Fields(sel), " ")
						if sheet[sel] == nil {
							sheet[sel] = map[string]string{}
						}
						for _, decl := range strings.Split(css[start:i], ";") {
							name, value, ok := strings.Cut(decl, ":")
							if ok {
								sheet[sel][strings.TrimSpace(name)] = strings.TrimSpace(value)
							}
						}
					}
				}
				start = i + 1
			}
		}
	}
	return sheet
}

var hexColour = regexp.MustCompile(`#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b`)

// colour is the colour that selector's property sets, with var(--x)
// resolved from :root; for a shorthand (border, outline) the colour among
// its parts.
func (s stylesheet) colour(selector, property string) (string, error) {
	v, ok := s[selector][property]
	if !ok {
		return "", fmt.Errorf("style.css sets no %s for %q", property, selector)
	}
	for range 5 {
		i := strings.Index(v, "var(--")
		if i < 0 {
			break
		}
		j := strings.Index(v[i:], ")")
		name := v[i+4 : i+j]
		def, ok := s[":root"][name]
		if !ok {
			return "", fmt.Errorf("style.css does not define %s", name)
		}
		v = v[:i] + def + v[i+j+1:]
	}
	c := hexColour.FindString(v)
	if c == "" {
		return "", fmt.Errorf("%s of %q is %q, not a colour this test reads", property, selector, v)
	}
	if len(c) == 4 {
		c = "#" + strings.Repeat(c[1:2], 2) + strings.Repeat(c[2:3], 2) + strings.Repeat(c[3:4], 2)
	}
	return strings.ToLower(c), nil
}

// luminance is the WCAG 2.1 relative luminance of a #rrggbb colour.
func luminance(hex string) float64 {
	var l float64
	for i, weight := range []float64{0.2126, 0.7152, 0.0722} {
		n, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		c := float64(n) / 255
		if c <= 0.04045 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		l += weight * c
	}
	return l
}

// contrast is the WCAG 2.1 contrast ratio of two colours.
func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

func TestContrastFormula(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"#000000", "#ffffff", 21},
		{"#ffffff", "#ffffff", 1},
		{"#767676", "#ffffff", 4.54}, // the lightest grey that passes AA on white
		{"#777777", "#ffffff", 4.48},
	}
	for _, tt := range tests {
		if got := contrast(tt.a, tt.b); math.Abs(got-tt.want) > 0.01 {
			t.Errorf("contrast(%s, %s) = %.2f, want %.2f", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestColoursContrast checks the text and background pairs the pages use
// against WCAG 2.1 AA: 4.5:1 for text, 3:1 for large text and for what
// marks a control (borders, focus rings).
func TestColoursContrast(t *testing.T) {
	const text, ui = 4.5, 3.0
	type ref struct{ selector, property string }
	paper := ref{":root", "background"}
	tests := []struct {
		what   string
		fg, bg ref
		min    float64
	}{
		{"body text", ref{":root", "color"}, paper, text},
		{"headings", ref{"h1", "color"}, paper, text},
		{"links", ref{"a", "color"}, paper, text},
		{"links on hover", ref{"a:hover", "color"}, paper, text},
		{"muted text", ref{".muted", "color"}, paper, text},
		{"hints", ref{".hint", "color"}, paper, text},
		{"hints in a filter bar", ref{".hint", "color"}, ref{".filters", "background"}, text},
		{"lead paragraph", ref{".lead", "color"}, paper, text},
		{"captions", ref{"figcaption", "color"}, paper, text},
		{"terms of a fact list", ref{".facts dt", "color"}, paper, text},
		{"legends", ref{"legend", "color"}, paper, text},
		{"table headings", ref{"thead th", "color"}, ref{"thead th", "background"}, text},
		{"footer text", ref{".site-footer", "color"}, ref{".site-footer", "background"}, text},
		{"footer links", ref{".site-footer a", "color"}, ref{".site-footer", "background"}, text},
		{"header links", ref{".site-header a", "color"}, ref{".site-header", "background"}, text},
		{"current language", ref{".languages a[aria-current]", "color"}, ref{".languages a[aria-current]", "background"}, text},
		{"skip link", ref{".skip-link", "color"}, ref{".skip-link", "background"}, text},
		{"buttons", ref{"button", "color"}, ref{"button", "background"}, text},
		{"buttons on hover", ref{"button:hover", "color"}, ref{"button:hover", "background"}, text},
		{"primary buttons", ref{"button.primary", "color"}, ref{"button.primary", "background"}, text},
		{"primary buttons on hover", ref{"button.primary:hover", "color"}, ref{"button.primary:hover", "background"}, text},
		{"current tab", ref{".tabs a[aria-current]", "color"}, ref{".tabs a[aria-current]", "background"}, text},
		{"field errors", ref{".field-error", "color"}, paper, text},
		{"error summary", ref{".error-summary", "color"}, ref{".error-summary", "background"}, text},
		{"confirmation", ref{":root", "color"}, ref{".flash", "background"}, text},
		{"badges", ref{".badge", "color"}, ref{".badge", "background"}, text},
		{"published", ref{".state-published", "color"}, ref{".state-published", "background"}, text},
		{"draft", ref{".state-draft", "color"}, ref{".state-draft", "background"}, text},
		{"withdrawn", ref{".state-withdrawn", "color"}, ref{".state-withdrawn", "background"}, text},
		{"submitted", ref{".state-submitted", "color"}, ref{".state-submitted", "background"}, text},
		{"refused", ref{".state-refused", "color"}, ref{".state-refused", "background"}, text},
		{"red notice type", ref{".type-red", "color"}, paper, text},
		{"yellow notice type", ref{".type-yellow", "color"}, paper, text},
		{"ok status", ref{".status.ok", "color"}, paper, text},
		{"warning badge", ref{".badge.warn", "color"}, ref{".badge", "background"}, text},
		{"print header", ref{".print-org", "color"}, paper, text},
		{"field borders", ref{"input", "border"}, ref{"input", "background"}, ui},
		{"invalid field borders", ref{".field.invalid input", "border-color"}, paper, ui},
		{"focus ring", ref{":focus-visible", "outline"}, paper, ui},
		{"focus ring on the wash", ref{":focus-visible", "outline"}, ref{".filters", "background"}, ui},
		{"focus ring in the header", ref{".site-header :focus-visible", "outline-color"}, ref{".site-header", "background"}, ui},
		{"primary button edge", ref{"button.primary", "background"}, paper, ui},
	}
	sheet := readStylesheet(t)
	for _, tt := range tests {
		fg, err := sheet.colour(tt.fg.selector, tt.fg.property)
		if err != nil {
			t.Errorf("%s: %v", tt.what, err)
			continue
		}
		bg, err := sheet.colour(tt.bg.selector, tt.bg.property)
		if err != nil {
			t.Errorf("%s: %v", tt.what, err)
			continue
		}
		if r := contrast(fg, bg); r < tt.min {
			t.Errorf("%s: %s on %s is %.2f:1, want at least %.1f:1", tt.what, fg, bg, r, tt.min)
		}
	}
}

// TestKeyboardFocusIsVisible checks what keyboard users rely on: a focus
// ring on everything that takes focus, and a skip link that shows when
// focused.
func TestKeyboardFocusIsVisible(t *testing.T) {
	sheet := readStylesheet(t)
	ring := regexp.MustCompile(`^([2-9]|\d{2,})px solid `)
	tests := []struct {
		what, selector, property string
		ok                       func(string) bool
	}{
		{"a focus ring on every focusable element", ":focus-visible", "outline", ring.MatchString},
		{"the ring stands off the element", ":focus-visible", "outline-offset", func(v string) bool { return v != "" && v != "0" }},
		{"the skip link waits above the page", ".skip-link", "inset-block-start", func(v string) bool { return strings.HasPrefix(v, "-") }},
		{"the skip link comes into view when focused", ".skip-link:focus", "inset-block-start", func(v string) bool { return !strings.HasPrefix(v, "-") }},
	}
	for _, tt := range tests {
		if v, ok := sheet[tt.selector][tt.property]; !ok || !tt.ok(v) {
			t.Errorf("%s: %s { %s: %q }", tt.what, tt.selector, tt.property, v)
		}
	}
	// Only the main element, which is focused by the skip link and not by
	// the keyboard, may hide its ring.
	for sel, props := range sheet {
		if props["outline"] == "none" || props["outline"] == "0" {
			if sel != "main:focus" {
				t.Errorf("%s { outline: %s } hides the focus ring", sel, props["outline"])
			}
		}
	}
	layout, err := os.ReadFile("templates/layout.html")
	if err != nil {
		t.Fatal(err)
	}
	body := string(layout)[strings.Index(string(layout), "<body"):]
	if first := strings.Index(body, "<a "); first < 0 || !strings.HasPrefix(body[first:], `<a class="skip-link" href="#main">`) {
		t.Error("the first link of the layout is not the skip link to #main")
	}
	if !strings.Contains(body, `<main id="main" tabindex="-1">`) {
		t.Error("the skip link's target is not the focusable main element")
	}
}
