package web_test

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/relais/relais/internal/app/apptest"
	"github.com/relais/relais/internal/web"
)

// uploadRecords posts the upload form with fields and a file.
func (c *client) uploadRecords(path string, fields url.Values, name string, data []byte) answer {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf", c.csrf)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// uploadStream posts the upload form as browsers send it, the CSRF token
// first, with a CSV file of size bytes made as it is sent; declared says
// whether the request declares its length. It returns the answer and how
// many bytes of the body the server took before answering.
func (c *client) uploadStream(csrf string, fields url.Values, size int64, declared bool) (answer, int64) {
	c.t.Helper()
	var head bytes.Buffer
	mw := multipart.NewWriter(&head)
	_ = mw.WriteField("csrf", csrf)
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		for _, v := range fields[k] {
			_ = mw.WriteField(k, v)
		}
	}
	_, _ = mw.CreateFormFile("file", "fleet.csv")
	n := head.Len()
	_ = mw.Close()
	tail := bytes.Clone(head.Bytes()[n:])
	head.Truncate(n)
	body := &countingReader{r: io.MultiReader(&head, io.LimitReader(&csvLines{line: "WVWZZZ1JZXW000001,Volkswagen,Golf,blue\n"}, size), bytes.NewReader(tail))}
	req, _ := http.NewRequest("POST", c.base+"/en/workspace/imports", body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if declared {
		req.ContentLength = int64(n) + size + int64(len(tail))
	}
	a := c.do(req)
	return a, body.n.Load()
}

// csvLines reads the same line over and over.
type csvLines struct {
	line string
	off  int
}

func (l *csvLines) Read(b []byte) (int, error) {
	n := 0
	for n < len(b) {
		k := copy(b[n:], l.line[l.off:])
		n += k
		l.off = (l.off + k) % len(l.line)
	}
	return n, nil
}

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n.Add(int64(n))
	return n, err
}

// created follows the redirect of a record just saved to its page.
func created(t *testing.T, c *client, a answer) (string, answer) {
	t.Helper()
	loc := a.header.Get("Location")
	if a.status != http.StatusSeeOther || !strings.Contains(loc, "?done=record_created") {
		t.Fatalf("save: %d %q\n%s", a.status, loc, a.body)
	}
	path := strings.TrimSuffix(loc, "?done=record_created")
	return path, c.get(loc)
}

// TestRecordsAreSharedAsTheOwnerChose enters a person as the French bureau
// for Germany only, and checks who finds it, who may change it and that
// another country does not learn it exists.
func TestRecordsAreSharedAsTheOwnerChose(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		fr, de, us, border := newClient(t, s), newClient(t, s), newClient(t, s), newClient(t, s)
		fr.signIn("en", "ncb-fr")
		de.signIn("en", "ncb-de")
		us.signIn("en", "ncb-us")
		border.signIn("en", "border-fr")

		for _, lang := range web.Languages {
			checkPage(t, fr.get("/"+lang+"/workspace/records"), lang, "/"+lang+"/workspace/records", 200)
			for _, kind := range []string{"persons", "vehicles", "artworks"} {
				path := "/" + lang + "/workspace/records/" + kind + "/new"
				checkPage(t, fr.get(path), lang, path, 200)
			}
			checkPage(t, fr.get("/"+lang+"/workspace/imports"), lang, "/"+lang+"/workspace/imports", 200)
		}
		if a := fr.get("/ar/workspace/records/persons/new"); !strings.Contains(a.body, ">ألمانيا</option>") {
			t.Error("the Arabic audience picker does not name Germany in Arabic")
		}
		if a := border.get("/en/workspace/records/persons/new"); a.status != http.StatusForbidden {
			t.Errorf("a frontline officer's person form: %d", a.status)
		}

		fr.get("/en/workspace/records/persons/new")
		a := fr.post("/en/workspace/records/persons", url.Values{"name": {""}, "audience_mode": {"all"}})
		if a.status != http.StatusBadRequest || !strings.Contains(a.body, `id="name-error" aria-live="polite">Give the person’s name.</p>`) {
			t.Fatalf("a person without a name: %d\n%s", a.status, a.body)
		}
		a = fr.post("/en/workspace/records/persons", url.Values{"name": {"Jean Valjean"}, "aliases": {"Monsieur Madeleine\nUltime Fauchelevent"},
			"birth_date": {"1969"}, "nationality": {"FR"}, "sex": {"M"}, "reason": {"Escaped convict"},
			"audience_mode": {"only"}, "audience_countries": {"DE"}})
		path, a := created(t, fr, a)
		checkPage(t, a, "en", path, 200)
		if !strings.Contains(a.body, "Jean Valjean") || !strings.Contains(a.body, "Only: Germany") || !strings.Contains(a.body, `class="flash"`) {
			t.Fatalf("the new person's page:\n%s", a.body)
		}
		if !strings.Contains(a.body, `action="`+path+`"`) || !strings.Contains(a.body, `action="`+path+`/delete"`) {
			t.Error("the owner is not offered to change and delete the record")
		}
		for _, lang := range web.Languages {
			p := "/" + lang + strings.TrimPrefix(path, "/en")
			checkPage(t, fr.get(p), lang, p, 200)
		}

		list := "/en/workspace/records?kind=persons&q=valjean"
		if a := fr.get(list); !strings.Contains(a.body, "Jean Valjean") {
			t.Error("France does not find its record")
		}
		if a := de.get(list); !strings.Contains(a.body, "Jean Valjean") {
			t.Error("Germany, in the audience, does not find the record")
		}
		if a := us.get(list); strings.Contains(a.body, "Jean Valjean") || a.status != http.StatusOK {
			t.Errorf("the United States, outside the audience, list it: %d", a.status)
		}
		if a := fr.get("/en/workspace/records?kind=vehicles&after=x"); a.status != http.StatusBadRequest || !strings.Contains(a.body, `class="error-summary"`) {
			t.Errorf("a list after a wrong id: %d", a.status)
		}
		if a := us.get(path); a.status != http.StatusNotFound || strings.Contains(a.body, "Valjean") {
			t.Errorf("the United States read the record: %d", a.status)
		}
		a = de.get(path)
		if a.status != http.StatusOK || strings.Contains(a.body, `action="`+path+`"`) {
			t.Errorf("Germany reads the record: %d, and is offered to change it: %v", a.status, strings.Contains(a.body, `action="`+path+`"`))
		}
		if a := de.post(path, url.Values{"name": {"Javert"}, "audience_mode": {"all"}}); a.status != http.StatusForbidden {
			t.Errorf("Germany changes France's record: %d", a.status)
		}
		if a := us.post(path+"/delete", nil); a.status != http.StatusNotFound {
			t.Errorf("the United States delete a record they may not see: %d", a.status)
		}

		// The owner changes the record: the audience grows to the United States.
		fr.get(path)
		a = fr.post(path, url.Values{"name": {"Jean Valjean"}, "birth_date": {"1969"}, "nationality": {"FR"},
			"audience_mode": {"only"}, "audience_countries": {"DE", "US"}, "review_on": {"2031-01-01"}})
		if a.status != http.StatusSeeOther || a.header.Get("Location") != path+"?done=record_updated" {
			t.Fatalf("update: %d %q\n%s", a.status, a.header.Get("Location"), a.body)
		}
		if a := us.get(path); a.status != http.StatusOK || !strings.Contains(a.body, "1 January 2031") {
			t.Errorf("after the change, the United States read: %d", a.status)
		}
		a = fr.post(path, url.Values{"name": {"Jean Valjean"}, "birth_date": {"17690"}, "audience_mode": {"all"}})
		if a.status != http.StatusBadRequest || !strings.Contains(a.body, `id="birth_date-error" aria-live="polite">Enter a date`) {
			t.Errorf("a wrong date of birth: %d\n%s", a.status, a.body)
		}

		if a := fr.post(path+"/delete", nil); a.status != http.StatusSeeOther {
			t.Fatalf("delete: %d", a.status)
		}
		if a := fr.get(path); a.status != http.StatusNotFound {
			t.Errorf("a deleted record: %d", a.status)
		}
	})
}

// TestVehicleAndArtworkForms checks the explanations of a wrong VIN next to
// the field, in the interface language, and enters a work of art.
func TestVehicleAndArtworkForms(t *testing.T) {
	s := apptest.New(t, "sqlite")
	fr := newClient(t, s)
	fr.signIn("en", "ncb-fr")
	tests := []struct{ lang, vin, want string }{
		{"en", "1HGCM82643A004352", "Wrong check digit: the 9th character of this North-American VIN is 4, but the other characters give 3."},
		{"fr", "1HGCM82643A004352", "Chiffre de contrôle erroné : le 9e caractère de ce NIV nord-américain est 4, mais les autres caractères donnent 3."},
		{"en", "1HGCM82633A00435", "A VIN has 17 characters; this one has 16."},
		{"en", "1HGCM8263OA004352", "the letters I, O or Q: O at position 10"},
		{"es", "", "Indique el número de identificación del vehículo (NIV)."},
	}
	for _, tt := range tests {
		fr.get("/" + tt.lang + "/workspace/records/vehicles/new")
		a := fr.post("/"+tt.lang+"/workspace/records/vehicles", url.Values{"vin": {tt.vin}, "make": {"Honda"}, "audience_mode": {"all"}})
		m := regexp.MustCompile(`id="vin-error" aria-live="polite">([^<]*)<`).FindStringSubmatch(a.body)
		if a.status != http.StatusBadRequest || m == nil || !strings.Contains(m[1], htmlEscape(tt.want)) {
			t.Errorf("%s VIN %q: %d, error %q, want %q", tt.lang, tt.vin, a.status, m, tt.want)
		}
		if !strings.Contains(a.body, `value="`+tt.vin+`"`) {
			t.Errorf("VIN %q: the form does not keep what was typed", tt.vin)
		}
	}
	a := fr.post("/en/workspace/records/vehicles", url.Values{"vin": {"1hgcm8263-3a004352"}, "make": {"Honda"}, "country": {"FR"}, "audience_mode": {"all"}})
	if _, a := created(t, fr, a); !strings.Contains(a.body, "1HGCM82633A004352") {
		t.Errorf("the vehicle's page:\n%s", a.body)
	}
	a = fr.post("/en/workspace/records/artworks", url.Values{"title": {"La Joconde"}, "artist": {"Léonard de Vinci"},
		"photos": {"https://example.org/1.jpg\nhttps://example.org/2.jpg"}, "audience_mode": {"except"}, "audience_countries": {"US"}})
	if _, a := created(t, fr, a); !strings.Contains(a.body, "La Joconde") || !strings.Contains(a.body, "All member countries but: United States") {
		t.Errorf("the work of art's page:\n%s", a.body)
	}
	if a := fr.get("/en/workspace/records?kind=artworks"); !strings.Contains(a.body, "La Joconde") {
		t.Error("the list of works of art does not show the new one")
	}
}

func htmlEscape(s string) string {
	return strings.NewReplacer("'", "&#39;", `"`, "&#34;", "&", "&amp;").Replace(s)
}

// TestUploadReportsRejectedLines uploads a CSV of vehicles with one broken
// line: the others are imported and the report names the broken line.
func TestUploadReportsRejectedLines(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		fr, de := newClient(t, s), newClient(t, s)
		fr.signIn("en", "ncb-fr")
		de.signIn("en", "ncb-de")
		csv := "vin,make,model,colour\n" +
			"1HGCM82633A004352,Honda,Accord,grey\n" +
			"1HGCM82634A004352,Honda,Accord,red\n" +
			"WVWZZZ1JZXW000001,Volkswagen,Golf,blue\n"
		fr.get("/en/workspace/imports")
		a := fr.uploadRecords("/en/workspace/imports", url.Values{"kind": {"vehicles"}, "audience_mode": {"all"}}, "stolen.csv", []byte(csv))
		loc := a.header.Get("Location")
		if a.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/en/workspace/imports/") {
			t.Fatalf("upload: %d %q\n%s", a.status, loc, a.body)
		}
		var status answer
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if status = fr.get(loc); !strings.Contains(status.body, `hx-trigger="every 1s"`) {
				break
			}
		}
		checkPage(t, status, "en", loc, 200)
		for _, want := range []string{"The import is finished.", "<dt>Lines read</dt><dd>4</dd>", "<dt>Records imported</dt><dd>2</dd>",
			"<dt>Lines rejected</dt><dd>1</dd>", `<td class="line">3</td>`, "Wrong check digit"} {
			if !strings.Contains(status.body, want) {
				t.Errorf("the report does not say %q:\n%s", want, status.body)
			}
		}
		if a := de.get(loc); a.status != http.StatusNotFound {
			t.Errorf("another user reads the report: %d", a.status)
		}
		if a := fr.get("/en/workspace/records?kind=vehicles"); !strings.Contains(a.body, "WVWZZZ1JZXW000001") || strings.Contains(a.body, "1HGCM82634A004352") {
			t.Errorf("the list after the upload:\n%s", a.body)
		}

		bad := []struct{ name, data, want string }{
			{"stolen.xlsx", csv, "Choose a UTF-8 text file"},
			{"stolen.csv", "PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "Choose a UTF-8 text file"},
			{"stolen.csv", "", "The file is empty."},
		}
		for _, b := range bad {
			a := fr.uploadRecords("/en/workspace/imports", url.Values{"kind": {"vehicles"}, "audience_mode": {"all"}}, b.name, []byte(b.data))
			if a.status != http.StatusBadRequest || !strings.Contains(a.body, `id="file-error">`+b.want) {
				t.Errorf("upload of %s (%d bytes): %d\n%s", b.name, len(b.data), a.status, a.body)
			}
		}
		border := newClient(t, s)
		border.signIn("en", "border-fr")
		border.get("/en/workspace/imports")
		if a := border.uploadRecords("/en/workspace/imports", url.Values{"kind": {"vehicles"}}, "stolen.csv", []byte(csv)); a.status != http.StatusForbidden {
			t.Errorf("a frontline officer uploads: %d", a.status)
		}
	})
}

// TestUploadOwner: only an actor the policy lets load any country's
// records chooses the owner; a bureau naming another owner is refused.
func TestUploadOwner(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		csv := "vin,make,model,colour\n1HGCM82633A004352,Honda,Accord,grey\n"
		for _, tt := range []struct {
			user   string
			picker bool
		}{{"admin", true}, {"gs-reviewer", false}, {"ncb-fr", false}} {
			c := newClient(t, s)
			c.signIn("en", tt.user)
			if got := strings.Contains(c.get("/en/workspace/imports").body, `name="owner"`); got != tt.picker {
				t.Errorf("%s is offered the owner: %v, want %v", tt.user, got, tt.picker)
			}
		}
		fr := newClient(t, s)
		fr.signIn("en", "ncb-fr")
		fr.get("/en/workspace/imports")
		if a := fr.uploadRecords("/en/workspace/imports", url.Values{"kind": {"vehicles"}, "owner": {"DE"}, "audience_mode": {"all"}}, "stolen.csv", []byte(csv)); a.status != http.StatusForbidden {
			t.Errorf("ncb-fr uploads records owned by DE: %d", a.status)
		}
	})
}

// TestReviewDue lists the records whose review date is near: the data
// protection officer sees every country's, a bureau its own, a frontline
// officer is refused.
func TestReviewDue(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		fr, de, dpo, border := newClient(t, s), newClient(t, s), newClient(t, s), newClient(t, s)
		fr.signIn("en", "ncb-fr")
		de.signIn("en", "ncb-de")
		dpo.signIn("en", "dpo")
		border.signIn("en", "border-fr")
		soon := time.Now().UTC().AddDate(0, 0, 10).Format(time.DateOnly)
		later := time.Now().UTC().AddDate(1, 0, 0).Format(time.DateOnly)
		fr.get("/en/workspace/records/persons/new")
		for name, day := range map[string]string{"Thénardier": soon, "Cosette": later} {
			created(t, fr, fr.post("/en/workspace/records/persons", url.Values{"name": {name}, "review_on": {day}, "audience_mode": {"all"}}))
		}
		created(t, fr, fr.post("/en/workspace/records/artworks", url.Values{"title": {"Le Radeau de la Méduse"}, "review_on": {"2020-01-01"}, "audience_mode": {"all"}}))

		for _, lang := range web.Languages {
			checkPage(t, dpo.get("/"+lang+"/workspace/review-due"), lang, "/"+lang+"/workspace/review-due", 200)
		}
		a := dpo.get("/en/workspace/review-due")
		if !strings.Contains(a.body, "Thénardier") || !strings.Contains(a.body, "Le Radeau de la Méduse") || strings.Contains(a.body, "Cosette") {
			t.Errorf("the DPO's list:\n%s", a.body)
		}
		if strings.Index(a.body, "Le Radeau") > strings.Index(a.body, "Thénardier") || !strings.Contains(a.body, "Overdue") {
			t.Error("the overdue record does not come first, marked")
		}
		if !strings.Contains(a.body, ">Review due</a>") {
			t.Error("the DPO's navigation has no link to the list")
		}
		if a := fr.get("/en/workspace/review-due"); a.status != http.StatusOK || !strings.Contains(a.body, "Thénardier") {
			t.Errorf("the French bureau's list: %d", a.status)
		}
		if a := de.get("/en/workspace/review-due"); a.status != http.StatusOK || strings.Contains(a.body, "Thénardier") {
			t.Errorf("the German bureau's list: %d", a.status)
		}
		if a := border.get("/en/workspace/review-due"); a.status != http.StatusForbidden || strings.Contains(a.body, ">Review due</a>") {
			t.Errorf("a frontline officer's list: %d", a.status)
		}
	})
}

// TestLargeUploadShowsProgress uploads a file larger than the bound of other
// uploads and follows its progress as htmx does, then without JavaScript.
func TestLargeUploadShowsProgress(t *testing.T) {
	s := apptest.New(t, "sqlite")
	fr := newClient(t, s)
	fr.signIn("en", "ncb-fr")
	// Long lines: many bytes for few records, so that the test is quick.
	const n = 45000
	long := strings.Repeat("x", 85)
	var file bytes.Buffer
	file.WriteString("vin,make,model,colour,plate\n")
	for i := range n {
		fmt.Fprintf(&file, "WVWZZZ1JZ%08d,Volkswagen %s,Golf %s,blue %s,AB-%06d-CD\n", i, long, long, long, i)
	}
	if file.Len() <= 12<<20 {
		t.Fatalf("the file has %d bytes: too small to pass the bound of photo uploads", file.Len())
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	release := web.HoldImports(t)
	fr.get("/en/workspace/imports")
	a := fr.uploadRecords("/en/workspace/imports", url.Values{"kind": {"vehicles"}, "audience_mode": {"all"}}, "fleet.csv", file.Bytes())
	loc := a.header.Get("Location")
	if a.status != http.StatusSeeOther {
		t.Fatalf("upload: %d\n%s", a.status, a.body)
	}
	running := fr.get(loc)
	for _, want := range []string{"Importing…", `hx-get="` + loc + `"`, `hx-trigger="every 1s"`, `hx-select="#import-status"`, `<progress max="100"`, `href="` + loc + `">Refresh the progress</a>`} {
		if !strings.Contains(running.body, want) {
			t.Errorf("the page of an import under way has no %s", want)
		}
	}

	// A second upload meanwhile is refused before its file is read.
	fr.get("/en/workspace/imports")
	a, sent := fr.uploadStream(fr.csrf, url.Values{"kind": {"vehicles"}, "audience_mode": {"all"}}, 40<<20, true)
	if a.status != http.StatusBadRequest || !strings.Contains(a.body, "Your previous upload is still being imported") {
		t.Errorf("a second upload during the first: %d\n%s", a.status, a.body)
	}
	if sent > 16<<20 {
		t.Errorf("the refused upload was read: %d of its %d bytes sent", sent, 40<<20)
	}
	if kept, _ := filepath.Glob(filepath.Join(tmp, "*")); len(kept) != 1 {
		t.Errorf("files kept during one import: %v", kept)
	}
	release()

	var done answer
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if done = fr.get(loc); strings.Contains(done.body, "The import is finished.") {
			break
		}
	}
	if !strings.Contains(done.body, "<dt>Records imported</dt><dd>45,000</dd>") || strings.Contains(done.body, "hx-trigger") {
		t.Errorf("the finished import:\n%s", done.body)
	}
}

// TestUploadOverTheLimit sends files over the bound of uploads: each is
// refused with the form again, saying how large a file may be, and nothing
// is kept; a file sent without the session's token is refused as before.
func TestUploadOverTheLimit(t *testing.T) {
	s := apptest.New(t, "sqlite")
	fr := newClient(t, s)
	fr.signIn("en", "ncb-fr")
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	fields := url.Values{"kind": {"vehicles"}, "audience_mode": {"all"}}
	tests := []struct {
		name     string
		size     int64
		declared bool
		maxSent  int64 // how much of the body the server may take; 0: all
	}{
		{"declared over the bound of the body", 65<<20 + 1, true, 16 << 20},
		{"a file just over the bound", 64<<20 + 1, true, 0},
		{"undeclared length", 66 << 20, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fr.get("/en/workspace/imports")
			a, sent := fr.uploadStream(fr.csrf, fields, tt.size, tt.declared)
			if a.status != http.StatusRequestEntityTooLarge || !strings.Contains(a.body, `id="file-error">The file is larger than 64 MiB`) {
				t.Errorf("upload of %d bytes: %d\n%s", tt.size, a.status, a.body)
			}
			if !strings.Contains(a.body, `name="csrf" value="`) || !strings.Contains(a.body, `action="/en/workspace/imports"`) {
				t.Error("the answer does not offer the form again")
			}
			if tt.maxSent > 0 && sent > tt.maxSent {
				t.Errorf("the server took %d bytes of a body it refuses", sent)
			}
			if kept, _ := filepath.Glob(filepath.Join(tmp, "*")); len(kept) > 0 {
				t.Errorf("kept after the refusal: %v", kept)
			}
		})
	}

	csv := []byte("vin,make\nWVWZZZ1JZXW000001,Volkswagen\n")
	fr.get("/en/workspace/imports")
	forged := &client{t: t, base: fr.base, http: fr.http, csrf: "forged"}
	if a := forged.uploadRecords("/en/workspace/imports", fields, "stolen.csv", csv); a.status != http.StatusForbidden || !strings.Contains(a.body, "This form has expired") {
		t.Errorf("an upload with a forged token: %d\n%s", a.status, a.body)
	}
	// The token must come before the file: the file is read only after it.
	var late bytes.Buffer
	mw := multipart.NewWriter(&late)
	_ = mw.WriteField("kind", "vehicles")
	fw, _ := mw.CreateFormFile("file", "stolen.csv")
	_, _ = fw.Write(csv)
	_ = mw.WriteField("csrf", fr.csrf)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", fr.base+"/en/workspace/imports", &late)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if a := fr.do(req); a.status != http.StatusForbidden {
		t.Errorf("an upload with its token after the file: %d\n%s", a.status, a.body)
	}
	if a := fr.get("/en/workspace/records?kind=vehicles"); strings.Contains(a.body, "WVWZZZ1JZXW000001") {
		t.Error("an upload refused for its token was imported")
	}

	// Other upload forms have a smaller bound, said on the error page.
	border := newClient(t, s)
	border.signIn("en", "border-fr")
	border.get("/en/workspace/screening")
	if a := border.upload("/en/workspace/screening/manifest", "manifest", "flight.jsonl", bytes.Repeat([]byte("{}\n"), 6<<20)); a.status != http.StatusRequestEntityTooLarge ||
		!strings.Contains(a.body, "What you sent is too large.") {
		t.Errorf("a manifest over the bound: %d\n%s", a.status, a.body)
	}
}
