package api_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/relais/relais/internal/app/apptest"
	"github.com/relais/relais/internal/audit"
	"github.com/relais/relais/internal/policy"
)

func TestSignIn(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		cases := []struct {
			name   string
			body   string
			status int
			code   string
		}{
			{"right password", `{"username":"ncb-fr","password":"` + apptest.Password + `"}`, 200, ""},
			{"username case-insensitive", `{"username":"NCB-FR","password":"` + apptest.Password + `"}`, 200, ""},
			{"wrong password", `{"username":"ncb-fr","password":"nope-nope-nope"}`, 401, "invalid_credentials"},
			{"unknown user", `{"username":"ncb-xx","password":"nope-nope-nope"}`, 401, "invalid_credentials"},
			{"missing password", `{"username":"ncb-fr"}`, 400, "missing_credentials"},
			{"unknown field", `{"username":"ncb-fr","password":"x","remember":true}`, 400, "unknown_field"},
			{"malformed JSON", `{"username":`, 400, "invalid_json"},
			{"two JSON values", `{} {}`, 400, "invalid_json"},
			{"empty body", ``, 400, "invalid_json"},
			{"oversized body", `{"username":"` + strings.Repeat("a", 10000) + `","password":"x"}`, 413, "body_too_large"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := s.Do(t, "POST", "/api/v1/auth/token", "", tc.body)
				if r.Status != tc.status || r.ErrorCode() != tc.code {
					t.Fatalf("got %d %s, want %d %q", r.Status, r.Body, tc.status, tc.code)
				}
				if tc.status == 200 {
					tok, _ := r.JSON["token"].(string)
					me := s.Send(t, bearer(t, s.URL+"/api/v1/me", tok))
					if me.Status != 200 || me.JSON["username"] != "ncb-fr" || me.JSON["org"] != "FR" {
						t.Fatalf("token does not work: %d %s", me.Status, me.Body)
					}
				}
			})
		}
		// Refused sign-ins are in the audit trail.
		entries, err := audit.List(context.Background(), s.Store, audit.Filter{Action: "auth.login", Outcome: audit.Denied})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) < 2 {
			t.Fatalf("refused sign-ins audited: %d, want at least 2", len(entries))
		}
		for _, e := range entries {
			if strings.Contains(e.Detail+e.Reason, "nope") {
				t.Fatal("a password reached the audit trail")
			}
		}
	})
}

func bearer(t *testing.T, url, token string) *http.Request {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	return req
}

func TestLockoutAfterRepeatedFailures(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		wrong := `{"username":"ncb-de","password":"wrong-password"}`
		for i := 0; i < 5; i++ {
			if r := s.Do(t, "POST", "/api/v1/auth/token", "", wrong); r.Status != 401 {
				t.Fatalf("failure %d: %d", i+1, r.Status)
			}
		}
		right := `{"username":"ncb-de","password":"` + apptest.Password + `"}`
		r := s.Do(t, "POST", "/api/v1/auth/token", "", right)
		if r.Status != http.StatusTooManyRequests || r.ErrorCode() != "too_many_attempts" {
			t.Fatalf("locked account signed in: %d %s", r.Status, r.Body)
		}
		// Another account is not affected.
		if r := s.Do(t, "POST", "/api/v1/auth/token", "", `{"username":"ncb-us","password":"`+apptest.Password+`"}`); r.Status != 200 {
			t.Fatalf("other account: %d %s", r.Status, r.Body)
		}
	})
}

func TestTokens(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		ctx := context.Background()
		r := s.Do(t, "POST", "/api/v1/users/ncb-fr/tokens", "ncb-fr", `{"name":"national system","ttl_days":30}`)
		if r.Status != 201 {
			t.Fatalf("create token: %d %s", r.Status, r.Body)
		}
		tok := r.JSON["token"].(string)
		id := int64(r.JSON["details"].(map[string]any)["id"].(float64))
		if got := s.Send(t, bearer(t, s.URL+"/api/v1/me", tok)); got.Status != 200 {
			t.Fatalf("new token refused: %d", got.Status)
		}
		// Another bureau cannot see or revoke it: not found, not forbidden.
		if got := s.Do(t, "GET", "/api/v1/users/ncb-fr/tokens", "ncb-de", nil); got.Status != 404 {
			t.Fatalf("other user's tokens: %d", got.Status)
		}
		if got := s.Do(t, "DELETE", "/api/v1/tokens/"+strconv.FormatInt(id, 10), "ncb-de", nil); got.Status != 404 {
			t.Fatalf("revoke other user's token: %d", got.Status)
		}
		if got := s.Do(t, "DELETE", "/api/v1/tokens/"+strconv.FormatInt(id, 10), "ncb-fr", nil); got.Status != 204 {
			t.Fatalf("revoke own token: %d %s", got.Status, got.Body)
		}
		got := s.Send(t, bearer(t, s.URL+"/api/v1/me", tok))
		if got.Status != 401 || got.ErrorCode() != "token_revoked" {
			t.Fatalf("revoked token: %d %s", got.Status, got.Body)
		}
		// An expired token.
		if _, err := s.Store.Exec(ctx, `UPDATE api_tokens SET expires_at = ?
			WHERE revoked_at IS NULL AND user_id = (SELECT id FROM users WHERE username = 'ncb-fr')`, time.Now().UTC().Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		got = s.Do(t, "GET", "/api/v1/me", "ncb-fr", nil)
		if got.Status != 401 || got.ErrorCode() != "token_expired" {
			t.Fatalf("expired token: %d %s", got.Status, got.Body)
		}
		for _, h := range []string{"", "Bearer", "Basic abc", "Bearer relais_nope"} {
			req, _ := http.NewRequest("GET", s.URL+"/api/v1/me", nil)
			if h != "" {
				req.Header.Set("Authorization", h)
			}
			if got := s.Send(t, req); got.Status != 401 {
				t.Errorf("Authorization %q: %d", h, got.Status)
			}
		}
	})
}

func TestDisabledAccount(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		tok := s.Token(t, "ncb-br")
		if r := s.Do(t, "PATCH", "/api/v1/users/ncb-br", "ncb-fr", `{"disabled":true}`); r.Status != 403 {
			t.Fatalf("officer disabled another account: %d", r.Status)
		}
		if r := s.Do(t, "PATCH", "/api/v1/users/ncb-br", "admin", `{"disabled":true}`); r.Status != 200 || r.JSON["disabled"] != true {
			t.Fatalf("disable: %d %s", r.Status, r.Body)
		}
		if r := s.Send(t, bearer(t, s.URL+"/api/v1/me", tok)); r.Status != 401 {
			t.Fatalf("token of a disabled account still works: %d", r.Status)
		}
		r := s.Do(t, "POST", "/api/v1/auth/token", "", `{"username":"ncb-br","password":"`+apptest.Password+`"}`)
		if r.Status != 401 || r.ErrorCode() != "account_disabled" {
			t.Fatalf("disabled account signed in: %d %s", r.Status, r.Body)
		}
	})
}

func TestUsers(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		cases := []struct {
			name   string
			body   string
			status int
			field  string
		}{
			{"valid", `{"username":"ncb-es","org":"ESP","roles":["ncb-officer"],"password":"a long passphrase"}`, 201, ""},
			{"duplicate", `{"username":"ncb-fr","org":"FR","roles":["ncb-officer"],"password":"a long passphrase"}`, 400, "username"},
			{"unknown country", `{"username":"ncb-xx","org":"XX","roles":["ncb-officer"],"password":"a long passphrase"}`, 400, "org"},
			{"unknown role", `{"username":"ncb-it","org":"IT","roles":["king"],"password":"a long passphrase"}`, 400, "roles"},
			{"GS role in a bureau", `{"username":"ncb-it","org":"IT","roles":["gs-reviewer"],"password":"a long passphrase"}`, 400, "roles"},
			{"short password", `{"username":"ncb-it","org":"IT","roles":["ncb-officer"],"password":"short"}`, 400, "password"},
			{"bad username", `{"username":"Ncb It!","org":"IT","roles":["ncb-officer"],"password":"a long passphrase"}`, 400, "username"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := s.Do(t, "POST", "/api/v1/users", "admin", tc.body)
				if r.Status != tc.status {
					t.Fatalf("got %d %s, want %d", r.Status, r.Body, tc.status)
				}
				if tc.field != "" && r.JSON["error"].(map[string]any)["field"] != tc.field {
					t.Fatalf("field at fault: %s", r.Body)
				}
			})
		}
		if r := s.Do(t, "POST", "/api/v1/users", "ncb-fr", `{"username":"x1","org":"FR","roles":["ncb-officer"],"password":"a long passphrase"}`); r.Status != 403 {
			t.Fatalf("officer created a user: %d", r.Status)
		}
		r := s.Do(t, "GET", "/api/v1/users", "admin", nil)
		if r.Status != 200 || len(r.JSON["users"].([]any)) != 13 {
			t.Fatalf("list users: %d %s", r.Status, r.Body)
		}
		if r := s.Do(t, "GET", "/api/v1/users/ncb-de", "ncb-fr", nil); r.Status != 404 {
			t.Fatalf("another user's account: %d", r.Status)
		}
		var n int
		if err := s.Store.QueryRow(context.Background(), "SELECT COUNT(*) FROM users WHERE username IN ('ncb-it', 'ncb-xx', 'x1')").Scan(&n); err != nil || n != 0 {
			t.Fatalf("refused users were written: %d %v", n, err)
		}
		_ = policy.Roles
	})
}

func TestMembers(t *testing.T) {
	s := apptest.New(t, "sqlite")
	r := s.Do(t, "GET", "/api/v1/members", "", nil)
	if r.Status != 200 || r.JSON["total"].(float64) != 196 {
		t.Fatalf("members: %d total=%v", r.Status, r.JSON["total"])
	}
	for _, code := range []string{"FR", "fra", "Fr"} {
		r = s.Do(t, "GET", "/api/v1/members/"+code, "", nil)
		names, _ := r.JSON["names"].(map[string]any)
		if r.Status != 200 || r.JSON["code"] != "FR" || names["fr"] != "France" || names["ar"] != "فرنسا" {
			t.Fatalf("member %s: %d %s", code, r.Status, r.Body)
		}
	}
	for _, code := range []string{"XX", "KP", "GS", "toolong"} {
		if r := s.Do(t, "GET", "/api/v1/members/"+code, "", nil); r.Status != 404 || r.ErrorCode() != "not_found" {
			t.Errorf("member %s: %d %s", code, r.Status, r.Body)
		}
	}
}

func TestAuditTrailAPI(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		s.Token(t, "ncb-fr")
		for _, who := range []string{"ncb-fr", "admin", "gs-reviewer"} {
			if r := s.Do(t, "GET", "/api/v1/audit", who, nil); r.Status != 403 {
				t.Fatalf("%s read the audit trail: %d", who, r.Status)
			}
		}
		r := s.Do(t, "GET", "/api/v1/audit?action=auth.login&actor=ncb-fr", "dpo", nil)
		if r.Status != 200 {
			t.Fatalf("dpo: %d %s", r.Status, r.Body)
		}
		entries := r.JSON["entries"].([]any)
		if len(entries) != 1 || entries[0].(map[string]any)["actor"] != "ncb-fr" {
			t.Fatalf("entries: %s", r.Body)
		}
		if r := s.Do(t, "GET", "/api/v1/audit?from=yesterday", "dpo", nil); r.Status != 400 {
			t.Fatalf("bad from: %d", r.Status)
		}
		denied, _ := audit.List(context.Background(), s.Store, audit.Filter{Action: "audit.read", Outcome: audit.Denied})
		if len(denied) != 3 {
			t.Fatalf("denied audit reads recorded: %d, want 3", len(denied))
		}
	})
}

func TestUnknownEndpoint(t *testing.T) {
	s := apptest.New(t, "sqlite")
	r := s.Do(t, "GET", "/api/v1/nothing-here", "", nil)
	if r.Status != 404 || r.ErrorCode() != "not_found" {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	r = s.Do(t, "DELETE", "/api/v1/members", "", nil)
	if r.Status != 405 && r.Status != 404 {
		t.Fatalf("wrong method: %d", r.Status)
	}
}

func TestMRZ(t *testing.T) {
	s := apptest.New(t, "sqlite")
	td3 := `["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]`
	r := s.Do(t, "POST", "/api/v1/mrz", "border-fr", `{"lines":`+td3+`}`)
	if r.Status != 200 || r.JSON["valid"] != true || r.JSON["surname"] != "ERIKSSON" {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	r = s.Do(t, "POST", "/api/v1/mrz", "border-fr", `{"lines":["P<UTO", "L898"]}`)
	if r.Status != 400 || r.ErrorCode() != "line_length" {
		t.Fatalf("not an MRZ: %d %s", r.Status, r.Body)
	}
	if r := s.Do(t, "POST", "/api/v1/mrz", "", `{"lines":`+td3+`}`); r.Status != 401 {
		t.Fatalf("anonymous: %d", r.Status)
	}
}

func TestSignInWithSecondFactor(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		ctx := context.Background()
		jp, err := s.Accounts.Get(ctx, policy.Console, "ncb-jp")
		if err != nil {
			t.Fatal(err)
		}
		key, err := s.Accounts.NewTOTPKey(ctx, jp.Actor(), "ncb-jp")
		if err != nil {
			t.Fatal(err)
		}
		now, _ := totp.GenerateCode(key.Secret(), time.Now())
		if err := s.Accounts.EnableTOTP(ctx, jp.Actor(), "ncb-jp", key.Secret(), now); err != nil {
			t.Fatal(err)
		}
		creds := `"username":"ncb-jp","password":"` + apptest.Password + `"`
		if r := s.Do(t, "POST", "/api/v1/auth/token", "", "{"+creds+"}"); r.Status != 401 || r.ErrorCode() != "second_factor_required" {
			t.Fatalf("password alone: %d %s", r.Status, r.Body)
		}
		if r := s.Do(t, "POST", "/api/v1/auth/token", "", "{"+creds+`,"otp":"000000"}`); r.Status != 400 && r.Status != 401 {
			t.Fatalf("wrong code: %d %s", r.Status, r.Body)
		}
		if r := s.Do(t, "POST", "/api/v1/auth/token", "", "{"+creds+`,"otp":"`+now+`"}`); r.Status == 200 {
			t.Fatal("a code already used at enrolment was accepted again")
		}
		next, _ := totp.GenerateCode(key.Secret(), time.Now().Add(30*time.Second))
		if r := s.Do(t, "POST", "/api/v1/auth/token", "", "{"+creds+`,"otp":"`+next+`"}`); r.Status != 200 {
			t.Fatalf("right code: %d %s", r.Status, r.Body)
		}
	})
}
