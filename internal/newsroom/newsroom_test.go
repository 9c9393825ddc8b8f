package newsroom_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"testing"

	"github.com/relais/relais/internal/app/apptest"
	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/newsroom"
	"github.com/relais/relais/internal/policy"
)

func TestNewsroom(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		ctx := context.Background()
		pu, _ := s.Accounts.Get(ctx, policy.Console, "press")
		nu, _ := s.Accounts.Get(ctx, policy.Console, "ncb-fr")
		press, ncb := pu.Actor(), nu.Actor()
		n := s.Newsroom
		good := newsroom.Version{Lang: "fr", Title: "Titre", Place: "Lyon", Body: "Texte."}

		invalid := []struct {
			name, date, field string
			v                 newsroom.Version
		}{
			{"bad date", "2026-13-01", "date", good},
			{"far future", "2099-01-01", "date", good},
			{"unknown language", "2026-03-01", "lang", newsroom.Version{Lang: "de", Title: "T", Place: "P", Body: "B"}},
			{"no title", "2026-03-01", "title", newsroom.Version{Lang: "fr", Title: "  ", Place: "P", Body: "B"}},
			{"no place", "2026-03-01", "place", newsroom.Version{Lang: "fr", Title: "T", Body: "B"}},
			{"no body", "2026-03-01", "body", newsroom.Version{Lang: "fr", Title: "T", Place: "P"}},
			{"NUL in body", "2026-03-01", "body", newsroom.Version{Lang: "fr", Title: "T", Place: "P", Body: "a\x00b"}},
		}
		for _, tt := range invalid {
			_, err := n.Create(ctx, press, tt.date, tt.v)
			if fe, ok := fault.As(err); !ok || fe.Field != tt.field {
				t.Errorf("%s: %v, want an error on %s", tt.name, err, tt.field)
			}
		}
		if _, err := n.Create(ctx, ncb, "2026-03-01", good); !fault.Is(err, fault.Forbidden) {
			t.Errorf("a bureau creates a release: %v", err)
		}
		r, err := n.Create(ctx, press, "2026-03-01", good)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := n.Get(ctx, policy.Anonymous, r.ID); !fault.Is(err, fault.NotFound) {
			t.Errorf("the public reads a draft: %v", err)
		}
		if err := n.SetVersion(ctx, ncb, r.ID, good); !fault.Is(err, fault.NotFound) {
			t.Errorf("a bureau edits a draft it may not know of: %v", err)
		}
		if err := n.SetVersion(ctx, press, r.ID, newsroom.Version{Lang: "ar", Title: "عنوان", Place: "ليون", Body: "نص."}); err != nil {
			t.Fatal(err)
		}
		if err := n.Withdraw(ctx, press, r.ID); !fault.Is(err, fault.Conflict) {
			t.Errorf("withdraw a draft: %v", err)
		}
		if err := n.Publish(ctx, press, r.ID); err != nil {
			t.Fatal(err)
		}
		if err := n.Publish(ctx, press, r.ID); !fault.Is(err, fault.Conflict) {
			t.Errorf("publish twice: %v", err)
		}
		got, err := n.Get(ctx, policy.Anonymous, r.ID)
		if err != nil || got.State != policy.MediaPublished || got.PublishedAt == nil || len(got.Langs()) != 2 || got.Langs()[0] != "ar" {
			t.Fatalf("published release: %+v %v", got, err)
		}
		for lang, want := range map[string]int{"fr": 1, "ar": 1, "en": 0} {
			if list, total, err := n.List(ctx, policy.Anonymous, newsroom.Filter{Lang: lang}); err != nil || total != want || len(list) != want {
				t.Errorf("list %s: %d %d %v", lang, len(list), total, err)
			}
		}
		if _, _, err := n.List(ctx, policy.Anonymous, newsroom.Filter{State: policy.MediaDraft}); !fault.Is(err, fault.Forbidden) {
			t.Errorf("the public lists drafts: %v", err)
		}
		// Photos are checked and re-encoded; a fake is refused whole.
		if _, err := n.AddPhoto(ctx, press, r.ID, []byte("GIF89a not really"), ""); !fault.Is(err, fault.Invalid) {
			t.Errorf("fake photo: %v", err)
		}
		p, err := n.AddPhoto(ctx, press, r.ID, testJPEG(t), "Saisie à Lyon")
		if err != nil {
			t.Fatal(err)
		}
		data, ct, err := n.PhotoData(ctx, policy.Anonymous, r.ID, p.ID)
		if err != nil || ct != "image/jpeg" || len(data) == 0 {
			t.Errorf("photo: %s %d %v", ct, len(data), err)
		}
		if err := n.Withdraw(ctx, press, r.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := n.PhotoData(ctx, policy.Anonymous, r.ID, p.ID); !fault.Is(err, fault.NotFound) {
			t.Errorf("photo of a withdrawn release: %v", err)
		}
	})
}

func testJPEG(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	img.Set(3, 3, color.RGBA{200, 10, 10, 255})
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
