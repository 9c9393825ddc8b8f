package publicnotices_test

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/relais/relais/internal/app/apptest"
)

func must(t *testing.T, r apptest.Response, status int, what string) apptest.Response {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: got %d %s, want %d", what, r.Status, r.Body, status)
	}
	return r
}

func keys(m map[string]any) string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

func publish(t *testing.T, s *apptest.Server, as, reviewer string, body map[string]any, photo bool) (id, ref string) {
	t.Helper()
	r := must(t, s.Do(t, "POST", "/api/v1/notices", as, body), 201, "create")
	id, ref = fmt.Sprint(int64(r.JSON["id"].(float64))), r.JSON["reference"].(string)
	if photo {
		img := image.NewGray(image.Rect(0, 0, 4, 4))
		var b bytes.Buffer
		_ = jpeg.Encode(&b, img, nil)
		must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/photos", as, b.String()), 201, "photo")
	}
	must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/submit", as, nil), 200, "submit")
	must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/start-review", reviewer, nil), 200, "start review")
	cl := map[string]bool{"art2": true, "art3": true, "identifiers": true}
	if body["type"] == "red" {
		cl["serious_offence"] = true
	}
	must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/approve", reviewer, map[string]any{"checklist": cl}), 200, "approve")
	return id, ref
}

func TestPublicRedShape(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		red := map[string]any{
			"type": "red", "public": true,
			"subject": map[string]any{
				"name": "ZEBULON-FICTIF", "forename": "Anatole", "date_of_birth": "1979-03", "sex": "M",
				"nationalities": []string{"FR", "BE"}, "height_cm": 178, "weight_kg": 75, "eyes": "BLU", "hair": "BRO",
				"languages": []string{"FRE"}, "place_of_birth": "Nantes", "country_of_birth": "FR", "distinguishing_marks": "Tattoo on the neck",
				"identity_documents": []map[string]any{{"type": "passport", "number": "12AB34567", "issuing_country": "FR"}},
			},
			"arrest_warrants": []map[string]any{{"issuing_country": "FR", "charge": "Murder", "charge_translation": "Meurtre", "max_penalty_years": 30}},
		}
		_, ref := publish(t, s, "ncb-fr", "gs-reviewer", red, true)
		private := red
		private["public"] = false
		private["subject"] = map[string]any{"name": "ZEBULON-PRIVE", "forename": "Anatole", "nationalities": []string{"FR"}}
		publish(t, s, "ncb-fr", "gs-reviewer", private, false)

		l := must(t, s.Do(t, "GET", "/notices/v1/red?name=zebulon&nationality=be&resultPerPage=1", "", nil), 200, "list")
		if got := keys(l.JSON); got != "_embedded,_links,query,total" {
			t.Fatalf("list keys: %s", got)
		}
		if l.JSON["total"] != 1.0 {
			t.Fatalf("total: %s (the notice without consent must not be public)", l.Body)
		}
		q := l.JSON["query"].(map[string]any)
		if q["page"] != 1.0 || q["resultPerPage"] != 1.0 || q["name"] != "zebulon" || q["nationality"] != "BE" {
			t.Fatalf("query echo: %v", q)
		}
		links := l.JSON["_links"].(map[string]any)
		if got := keys(links); got != "first,last,self" {
			t.Fatalf("list links: %s", got)
		}
		if href := links["self"].(map[string]any)["href"].(string); !strings.HasPrefix(href, s.URL+"/notices/v1/red?") || !strings.Contains(href, "page=1") {
			t.Fatalf("self link is not absolute: %s", href)
		}
		items := l.JSON["_embedded"].(map[string]any)["notices"].([]any)
		it := items[0].(map[string]any)
		if got := keys(it); got != "_links,date_of_birth,entity_id,forename,name,nationalities" {
			t.Fatalf("list item keys: %s", got)
		}
		dash := strings.ReplaceAll(ref, "/", "-")
		self := s.URL + "/notices/v1/red/" + dash
		il := it["_links"].(map[string]any)
		if it["entity_id"] != ref || it["date_of_birth"] != "1979/03" || it["name"] != "ZEBULON-FICTIF" || it["forename"] != "Anatole" ||
			fmt.Sprint(it["nationalities"]) != "[FR BE]" || il["self"].(map[string]any)["href"] != self ||
			il["images"].(map[string]any)["href"] != self+"/images" || !strings.HasPrefix(il["thumbnail"].(map[string]any)["href"].(string), self+"/images/") {
			t.Fatalf("list item: %v", it)
		}

		d := must(t, s.Do(t, "GET", "/notices/v1/red/"+dash, "", nil), 200, "detail").JSON
		want := "_embedded,_links,arrest_warrants,country_of_birth_id,date_of_birth,distinguishing_marks,entity_id,eyes_colors_id,forename,hairs_id,height,languages_spoken_ids,name,nationalities,place_of_birth,sex_id,weight"
		if got := keys(d); got != want {
			t.Fatalf("detail keys:\n got %s\nwant %s", got, want)
		}
		aw := d["arrest_warrants"].([]any)[0].(map[string]any)
		if keys(aw) != "charge,charge_translation,issuing_country_id" || aw["issuing_country_id"] != "FR" || aw["charge"] != "Murder" || aw["charge_translation"] != "Meurtre" {
			t.Fatalf("arrest warrant: %v", aw)
		}
		checks := map[string]any{
			"sex_id": "M", "country_of_birth_id": "FR", "place_of_birth": "Nantes", "weight": 75.0, "height": 1.78,
			"eyes_colors_id": "[BLU]", "hairs_id": "[BRO]", "distinguishing_marks": "Tattoo on the neck",
			"languages_spoken_ids": "[FRE]", "entity_id": ref, "date_of_birth": "1979/03",
		}
		for k, v := range checks {
			got := d[k]
			if s, ok := v.(string); ok && strings.HasPrefix(s, "[") {
				got = fmt.Sprint(got)
			}
			if got != v {
				t.Errorf("detail %s = %v, want %v", k, got, v)
			}
		}
		if strings.Contains(fmt.Sprint(d), "12AB34567") {
			t.Fatal("identity documents reach the public extract")
		}

		imgs := must(t, s.Do(t, "GET", "/notices/v1/red/"+dash+"/images", "", nil), 200, "images").JSON
		list := imgs["_embedded"].(map[string]any)["images"].([]any)
		img := list[0].(map[string]any)
		if keys(img) != "_links,picture_id" {
			t.Fatalf("image keys: %v", img)
		}
		href := img["_links"].(map[string]any)["self"].(map[string]any)["href"].(string)
		req, _ := http.NewRequest("GET", href, nil)
		pic := must(t, s.Send(t, req), 200, "picture")
		if pic.Header.Get("Content-Type") != "image/jpeg" {
			t.Fatalf("picture content type: %s", pic.Header.Get("Content-Type"))
		}

		for _, bad := range []string{"/notices/v1/red?resultPerPage=500", "/notices/v1/red?page=0", "/notices/v1/red?sexId=Q", "/notices/v1/red?ageMin=x"} {
			must(t, s.Do(t, "GET", bad, "", nil), 400, bad)
		}
		must(t, s.Do(t, "GET", "/notices/v1/yellow/"+dash, "", nil), 404, "red notice as yellow")
		must(t, s.Do(t, "GET", "/notices/v1/red/2026-99999", "", nil), 404, "unknown notice")
	})
}

func TestPublicPaginationAndYellowAndUN(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		for i := range 3 {
			publish(t, s, "ncb-br", "gs-reviewer", map[string]any{
				"type": "yellow", "public": true,
				"subject":       map[string]any{"name": fmt.Sprintf("PERDIDA-FICTICIA-%c", 'A'+i), "forename": "Ana", "date_of_birth": "2010-05-01", "sex": "F", "nationalities": []string{"BR"}, "mother_name": "SILVA", "birth_name": "SOUZA"},
				"disappearance": map[string]any{"date": "2025-01-10", "place": "Recife", "country": "BR", "countries_likely_to_be_visited": []string{"AR"}},
			}, false)
		}
		l := must(t, s.Do(t, "GET", "/notices/v1/yellow?forename=ana&sexId=F&resultPerPage=2&page=2", "", nil), 200, "yellow page 2").JSON
		links := l["_links"].(map[string]any)
		if l["total"] != 3.0 || len(l["_embedded"].(map[string]any)["notices"].([]any)) != 1 || links["next"] != nil || keys(l["query"].(map[string]any)) != "forename,page,resultPerPage,sexId" {
			t.Fatalf("page 2: %v", l)
		}
		l = must(t, s.Do(t, "GET", "/notices/v1/yellow?resultPerPage=2&page=9", "", nil), 200, "past the end").JSON
		if l["query"].(map[string]any)["page"] != 2.0 {
			t.Fatalf("past the last page: %v", l["query"])
		}
		l = must(t, s.Do(t, "GET", "/notices/v1/yellow?resultPerPage=2", "", nil), 200, "page 1").JSON
		if next := l["_links"].(map[string]any)["next"].(map[string]any)["href"].(string); !strings.Contains(next, "page=2") {
			t.Fatalf("next: %s", next)
		}
		it := l["_embedded"].(map[string]any)["notices"].([]any)[0].(map[string]any)
		d := must(t, s.Do(t, "GET", "/notices/v1/yellow/"+strings.ReplaceAll(it["entity_id"].(string), "/", "-"), "", nil), 200, "yellow detail").JSON
		for k, v := range map[string]any{"date_of_event": "2025/01/10", "place": "Recife", "country": "BR", "mother_name": "SILVA", "birth_name": "SOUZA", "issuing_country": "BR", "father_name": nil} {
			if got, ok := d[k]; !ok || got != v {
				t.Errorf("yellow %s = %v (present %v), want %v", k, got, ok, v)
			}
		}
		if _, ok := d["arrest_warrants"]; ok {
			t.Error("a yellow notice has arrest warrants")
		}
		if l := must(t, s.Do(t, "GET", "/notices/v1/yellow?ageMin=30", "", nil), 200, "age").JSON; l["total"] != 0.0 {
			t.Errorf("ageMin=30 finds a child: %v", l["total"])
		}

		// UN notices are public without consent; entity and person lists are apart.
		unEntity := map[string]any{"type": "un", "un": map[string]any{"reference": "QDe.900", "resolution": "1267"}, "entity": map[string]any{"name": "FICTIONAL FRONT", "aliases": []string{"FF"}}}
		r := must(t, s.Do(t, "POST", "/api/v1/notices", "gs-reviewer", unEntity), 201, "UN entity")
		id := fmt.Sprint(int64(r.JSON["id"].(float64)))
		must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/submit", "gs-reviewer", nil), 200, "submit")
		must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/start-review", "gs-reviewer", nil), 200, "start")
		// Approved by a second reviewer, created for the test.
		must(t, s.Do(t, "POST", "/api/v1/users", "admin", map[string]any{"username": "gs-reviewer-2", "org": "GS", "roles": []string{"gs-reviewer"}, "password": apptest.Password}), 201, "second reviewer")
		must(t, s.Do(t, "POST", "/api/v1/notices/"+id+"/approve", "gs-reviewer-2", map[string]any{"checklist": map[string]bool{"art2": true, "art3": true, "identifiers": true}}), 200, "approve")
		l = must(t, s.Do(t, "GET", "/notices/v1/un/entities?unReference=qde.900", "", nil), 200, "UN entities").JSON
		ent := l["_embedded"].(map[string]any)["notices"].([]any)[0].(map[string]any)
		if keys(ent) != "_links,entity_id,name" || ent["name"] != "FICTIONAL FRONT" {
			t.Fatalf("UN entity item: %v", ent)
		}
		d = must(t, s.Do(t, "GET", "/notices/v1/un/entities/"+strings.ReplaceAll(ent["entity_id"].(string), "/", "-"), "", nil), 200, "UN entity detail").JSON
		if d["un_reference"] != "QDe.900" || d["un_resolution"] != "1267" {
			t.Fatalf("UN entity detail: %v", d)
		}
		if l := must(t, s.Do(t, "GET", "/notices/v1/un/persons", "", nil), 200, "UN persons").JSON; l["total"] != 0.0 {
			t.Fatalf("an entity is listed among persons: %v", l)
		}
	})
}
