package demo_test

import (
	"context"
	"testing"

	"github.com/relais/relais/internal/app/apptest"
	"github.com/relais/relais/internal/demo"
	"github.com/relais/relais/internal/notice"
	"github.com/relais/relais/internal/storage"
)

func TestSeedNotices(t *testing.T) {
	s := apptest.New(t, storage.SQLite)
	ctx := context.Background()
	n, err := demo.SeedNotices(ctx, s.Accounts, s.Notices)
	if err != nil || n != 5 {
		t.Fatalf("first seed: %d notices, %v", n, err)
	}
	if n, err := demo.SeedNotices(ctx, s.Accounts, s.Notices); err != nil || n != 0 {
		t.Fatalf("second seed changed something: %d, %v", n, err)
	}
	states := map[string]int{}
	for _, as := range []string{"ncb-fr", "ncb-de", "ncb-br", "gs-reviewer"} {
		r := s.Do(t, "GET", "/api/v1/notices", as, nil)
		for _, x := range r.JSON["notices"].([]any) {
			states[x.(map[string]any)["state"].(string)]++
		}
	}
	if states[notice.Published] == 0 || states[notice.Draft] == 0 || states[notice.InReview] == 0 || states[notice.Submitted] == 0 {
		t.Fatalf("demo states: %v", states)
	}
	for _, path := range []string{"/notices/v1/red", "/notices/v1/yellow"} {
		if r := s.Do(t, "GET", path, "", nil); r.JSON["total"] != 1.0 {
			t.Errorf("%s: %s", path, r.Body)
		}
	}
	if r := s.Do(t, "GET", "/api/v1/diffusions", "ncb-fr", nil); len(r.JSON["diffusions"].([]any)) != 1 {
		t.Errorf("demo diffusion: %s", r.Body)
	}
}
