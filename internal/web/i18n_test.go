package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"text/template/parse"
	"unicode"
)

var verb = regexp.MustCompile(`%[-+# 0-9.*\[\]]*[a-zA-Z%]`)

// TestCataloguesAreComplete fails on any text missing, empty or with other
// placeholders in one of the four languages.
func TestCataloguesAreComplete(t *testing.T) {
	en := locales["en"]
	for _, code := range Languages {
		l := locales[code]
		for _, k := range en.keys() {
			v, ok := l.texts[k]
			switch {
			case !ok:
				t.Errorf("%s: no text for %q", code, k)
			case strings.TrimSpace(v) == "":
				t.Errorf("%s: empty text for %q", code, k)
			case strings.Join(verb.FindAllString(v, -1), " ") != strings.Join(verb.FindAllString(en.texts[k], -1), " "):
				t.Errorf("%s: %q has placeholders %v, English has %v", code, k, verb.FindAllString(v, -1), verb.FindAllString(en.texts[k], -1))
			}
		}
		for _, k := range l.keys() {
			if !en.Has(k) {
				t.Errorf("%s: text %q is not in the English catalogue", code, k)
			}
		}
	}
	if got := locales["fr"].T("no.such.key"); got != missingPrefix+"no.such.key" {
		t.Errorf("a missing key reads %q", got)
	}
}

var (
	tagRE    = regexp.MustCompile(`(?s)<[^>]*>`)
	entityRE = regexp.MustCompile(`&[a-zA-Z]+;|&#[0-9]+;`)
	// Attributes that people read or hear: their values must come from the
	// catalogue too.
	attrRE = regexp.MustCompile(`\s(?:alt|title|placeholder|aria-label|value)="([^"{]*)"`)
)

// TestTemplatesTakeTextFromTheCatalogue walks every template and fails on
// words written into the template instead of taken from the catalogue, and
// on catalogue keys that do not exist.
func TestTemplatesTakeTextFromTheCatalogue(t *testing.T) {
	files, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	pages, _ := fs.Glob(templateFiles, "templates/pages/*.html")
	files = append(files, pages...)
	for _, f := range files {
		src, err := fs.ReadFile(templateFiles, f)
		if err != nil {
			t.Fatal(err)
		}
		trees, err := parse.Parse(f, string(src), "{{", "}}", builtins)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, tree := range trees {
			// The template as a document, each action replaced by a mark
			// without letters, so that tags cut by actions are whole again.
			var doc strings.Builder
			flatten(tree.Root, &doc)
			text := doc.String()
			for _, m := range attrRE.FindAllStringSubmatch(text, -1) {
				if hasLetters(m[1]) {
					t.Errorf("%s: attribute text %q is not from the catalogue", f, m[1])
				}
			}
			visible := entityRE.ReplaceAllString(tagRE.ReplaceAllString(text, " "), " ")
			for _, line := range strings.Split(visible, "\n") {
				if hasLetters(line) {
					t.Errorf("%s: text %q is not from the catalogue", f, strings.TrimSpace(line))
				}
			}
			walk(tree.Root, func(n parse.Node) {
				// {{.T "key" ...}} and {{$.T "key"}}: the key must exist.
				if n, ok := n.(*parse.CommandNode); ok && len(n.Args) >= 2 && isT(n.Args[0]) {
					if s, ok := n.Args[1].(*parse.StringNode); ok && !locales["en"].Has(s.Text) {
						t.Errorf("%s: no catalogue text %q", f, s.Text)
					}
				}
			})
		}
	}
}

// flatten writes the text of a template with every action as "§".
func flatten(n parse.Node, b *strings.Builder) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n != nil {
			for _, c := range n.Nodes {
				flatten(c, b)
			}
		}
	case *parse.TextNode:
		b.Write(n.Text)
	case *parse.IfNode:
		flatten(n.List, b)
		flatten(n.ElseList, b)
	case *parse.RangeNode:
		flatten(n.List, b)
		flatten(n.ElseList, b)
	case *parse.WithNode:
		flatten(n.List, b)
		flatten(n.ElseList, b)
	default:
		b.WriteString("§")
	}
}

func isT(n parse.Node) bool {
	switch n := n.(type) {
	case *parse.FieldNode:
		return len(n.Ident) == 1 && n.Ident[0] == "T"
	case *parse.VariableNode:
		return len(n.Ident) == 2 && n.Ident[1] == "T"
	}
	return false
}

func hasLetters(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

func walk(n parse.Node, fn func(parse.Node)) {
	if n == nil {
		return
	}
	fn(n)
	switch n := n.(type) {
	case *parse.ListNode:
		if n != nil {
			for _, c := range n.Nodes {
				walk(c, fn)
			}
		}
	case *parse.ActionNode:
		walk(n.Pipe, fn)
	case *parse.PipeNode:
		if n != nil {
			for _, c := range n.Cmds {
				walk(c, fn)
			}
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			walk(a, fn)
		}
	case *parse.IfNode:
		walk(n.Pipe, fn)
		walk(n.List, fn)
		walk(n.ElseList, fn)
	case *parse.RangeNode:
		walk(n.Pipe, fn)
		walk(n.List, fn)
		walk(n.ElseList, fn)
	case *parse.WithNode:
		walk(n.Pipe, fn)
		walk(n.List, fn)
		walk(n.ElseList, fn)
	case *parse.TemplateNode:
		walk(n.Pipe, fn)
	}
}

// TestTheCheckCatchesHardCodedText makes sure the template check above can
// fail: English written into a template is caught.
func TestTheCheckCatchesHardCodedText(t *testing.T) {
	for _, tc := range []struct {
		text string
		bad  bool
	}{
		{`<p class="lead">`, false},
		{`<p>Sign in</p>`, true},
		{`<img alt="Logo" src="x">`, true},
		{` · `, false},
		{`<a href="/x">&nbsp;`, false},
	} {
		visible := entityRE.ReplaceAllString(tagRE.ReplaceAllString(tc.text, " "), " ")
		bad := hasLetters(visible)
		for _, m := range attrRE.FindAllStringSubmatch(tc.text, -1) {
			bad = bad || hasLetters(m[1])
		}
		if bad != tc.bad {
			t.Errorf("%q: flagged %v, want %v", tc.text, bad, tc.bad)
		}
	}
}

// builtins names html/template's functions for the parser, which only
// checks that they exist.
var builtins = map[string]any{"printf": true, "len": true, "index": true, "eq": true, "ne": true,
	"not": true, "and": true, "or": true, "gt": true, "lt": true}
