package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/relais/relais/internal/app/apptest"
	"github.com/relais/relais/internal/web"
)

// TestStolenPassportIsScreened reports a stolen passport as the German
// bureau, screens it as a German border officer (by number and by the
// passport's machine-readable zone) and has the bureau confirm the hit.
func TestStolenPassportIsScreened(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		bureau, border, us := newClient(t, s), newClient(t, s), newClient(t, s)
		bureau.signIn("en", "ncb-de")
		border.signIn("en", "border-de")
		us.signIn("en", "ncb-us")

		// A frontline officer screens but does not enter records (policy).
		if a := border.get("/en/workspace/records/travel-documents/new"); a.status != http.StatusForbidden {
			t.Errorf("border officer's report form: %d", a.status)
		}
		for _, lang := range web.Languages {
			checkPage(t, bureau.get("/"+lang+"/workspace/records/travel-documents/new"), lang, "/"+lang+"/workspace/records/travel-documents/new", 200)
			checkPage(t, border.get("/"+lang+"/workspace/screening"), lang, "/"+lang+"/workspace/screening", 200)
			checkPage(t, bureau.get("/"+lang+"/workspace/hits"), lang, "/"+lang+"/workspace/hits", 200)
		}
		// The country picker names countries in the interface language.
		if a := bureau.get("/es/workspace/records/travel-documents/new"); !strings.Contains(a.body, ">Alemania</option>") {
			t.Error("the Spanish picker does not name Germany in Spanish")
		}

		bureau.get("/en/workspace/records/travel-documents/new")
		a := bureau.post("/en/workspace/records/travel-documents", url.Values{"number": {""}, "issuing_country": {"DE"}, "type": {"passport"}, "status": {"stolen"}})
		if a.status != http.StatusBadRequest || strings.Contains(a.body, `id="number-error"></p>`) {
			t.Fatalf("empty number: %d\n%s", a.status, a.body)
		}
		a = bureau.post("/en/workspace/records/travel-documents", url.Values{"number": {"C01X00T47"}, "issuing_country": {"DE"}, "type": {"passport"}, "status": {"stolen"}})
		if a.status != http.StatusOK || !strings.Contains(a.body, "C01X00T47") || !strings.Contains(a.body, `class="flash"`) {
			t.Fatalf("report: %d\n%s", a.status, a.body)
		}
		checkPage(t, a, "en", "/en/workspace/records/travel-documents/new", 200)

		border.get("/en/workspace/screening")
		a = border.post("/en/workspace/screening", url.Values{"document_number": {"c01x00t47"}, "issuing_country": {"DE"}})
		if a.status != http.StatusOK || !strings.Contains(a.body, `class="match is-match"`) || !strings.Contains(a.body, "Stolen") {
			t.Fatalf("screen by number: %d\n%s", a.status, a.body)
		}
		// The same passport read from its machine-readable zone.
		mrz := "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<\nC01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4"
		a = border.post("/en/workspace/screening", url.Values{"mrz": {mrz}})
		if a.status != http.StatusOK || !strings.Contains(a.body, `class="match is-match"`) || !strings.Contains(a.body, "Read from the zone:") {
			t.Fatalf("screen by MRZ: %d\n%s", a.status, a.body)
		}
		// A number nobody reported finds nothing.
		us.get("/en/workspace/screening")
		if a := us.post("/en/workspace/screening", url.Values{"document_number": {"ZZ0000000"}}); !strings.Contains(a.body, "no-match") {
			t.Errorf("an unknown number:\n%s", a.body)
		}
		if a := border.post("/en/workspace/screening", url.Values{}); a.status != http.StatusBadRequest {
			t.Errorf("an empty query: %d", a.status)
		}

		// A manifest: one passenger with the stolen passport, one clean, one
		// query that cannot be read; each answered on its own.
		manifest := `{"qid":"p1","name":"Erika Mustermann","document_number":"C01X00T47","issuing_country":"DE"}
{"qid":"p2","document_number":"ZZ0000000"}
{"qid":"p3","seat":"12A"}`
		a = border.upload("/en/workspace/screening/manifest", "manifest", "flight.jsonl", []byte(manifest))
		if a.status != http.StatusOK || !strings.Contains(a.body, "Passengers screened: 3; with a possible match: 1") ||
			!strings.Contains(a.body, "unknown field") {
			t.Fatalf("manifest: %d\n%s", a.status, a.body)
		}
		checkPage(t, a, "en", "/en/workspace/screening", 200)
		for _, bad := range []string{"", "[1, 2", strings.Repeat(`{"qid":"x","document_number":"A1"}`+"\n", 1001)} {
			if a := border.upload("/en/workspace/screening/manifest", "manifest", "m.json", []byte(bad)); a.status != http.StatusBadRequest ||
				!strings.Contains(a.body, `id="manifest-error">`) {
				t.Errorf("manifest of %d bytes: %d", len(bad), a.status)
			}
		}

		if a := bureau.get("/en/workspace/"); !strings.Contains(a.body, "New hits to look at") {
			t.Errorf("the bureau's home does not show the new hit:\n%s", a.body)
		}
		// The owning bureau confirms the hit; the border officer may not.
		a = bureau.get("/en/workspace/hits?status=new")
		m := regexp.MustCompile(`action="/en/workspace/hits/(\d+)/confirmed"`).FindStringSubmatch(a.body)
		if m == nil {
			t.Fatalf("no hit to decide:\n%s", a.body)
		}
		if a := border.get("/en/workspace/hits"); strings.Contains(a.body, "/confirmed\"") {
			t.Error("the border officer is offered the decision")
		}
		if a := border.post("/en/workspace/hits/"+m[1]+"/confirmed", nil); a.status != http.StatusForbidden {
			t.Errorf("the border officer decides: %d", a.status)
		}
		if a := bureau.post("/en/workspace/hits/"+m[1]+"/confirmed", url.Values{"note": {"Passport seized."}}); a.status != http.StatusSeeOther {
			t.Fatalf("confirm: %d\n%s", a.status, a.body)
		}
		if a := border.get("/en/workspace/hits?status=confirmed"); !strings.Contains(a.body, "Passport seized.") {
			t.Error("the asking officer does not see the decision")
		}
	})
}
