package account_test

import (
	"context"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/relais/relais/internal/app/apptest"
	"github.com/relais/relais/internal/audit"
	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/policy"
)

func TestTOTP(t *testing.T) {
	apptest.Each(t, func(t *testing.T, s *apptest.Server) {
		ctx := context.Background()
		acc := s.Accounts
		u, _ := acc.Get(ctx, policy.Console, "ncb-jp")
		other, _ := acc.Get(ctx, policy.Console, "ncb-br")
		admin, _ := acc.Get(ctx, policy.Console, "admin")
		if _, err := acc.NewTOTPKey(ctx, other.Actor(), "ncb-jp"); !fault.Is(err, fault.NotFound) {
			t.Errorf("another bureau enrols ncb-jp: %v", err)
		}
		key, err := acc.NewTOTPKey(ctx, u.Actor(), "ncb-jp")
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		code, _ := totp.GenerateCode(key.Secret(), now)
		tests := []struct {
			name, secret, code, field string
		}{
			{"wrong code", key.Secret(), "000000", "code"},
			{"short code", key.Secret(), "123", "code"},
			{"bad secret", "not base32!", code, "secret"},
			{"empty secret", "", code, "secret"},
		}
		for _, tt := range tests {
			err := acc.EnableTOTP(ctx, u.Actor(), "ncb-jp", tt.secret, tt.code)
			if fe, ok := fault.As(err); !ok || fe.Field != tt.field {
				t.Errorf("%s: %v", tt.name, err)
			}
		}
		if err := acc.EnableTOTP(ctx, u.Actor(), "ncb-jp", key.Secret(), code); err != nil {
			t.Fatal(err)
		}
		if u, _ = acc.Get(ctx, policy.Console, "ncb-jp"); !u.TOTP {
			t.Fatal("the second factor is not on")
		}
		// The enrolment code is spent; the next one works once.
		if err := acc.VerifyTOTP(ctx, u, code); !fault.Is(err, fault.Invalid) {
			t.Errorf("enrolment code reused: %v", err)
		}
		next, _ := totp.GenerateCode(key.Secret(), now.Add(30*time.Second))
		if err := acc.VerifyTOTP(ctx, u, next); err != nil {
			t.Errorf("next code: %v", err)
		}
		if err := acc.VerifyTOTP(ctx, u, next); !fault.Is(err, fault.Invalid) {
			t.Errorf("next code reused: %v", err)
		}
		entries, err := audit.List(ctx, s.Store, audit.Filter{Action: "auth.second_factor", Actor: "ncb-jp"})
		if err != nil || len(entries) != 3 || entries[1].Outcome != audit.Allowed || entries[2].Outcome != audit.Denied {
			t.Errorf("second-factor audit: %+v %v", entries, err)
		}
		if err := acc.DisableTOTP(ctx, other.Actor(), "ncb-jp"); !fault.Is(err, fault.NotFound) {
			t.Errorf("another bureau removes it: %v", err)
		}
		if err := acc.DisableTOTP(ctx, admin.Actor(), "ncb-jp"); err != nil {
			t.Errorf("the administrator resets it: %v", err)
		}
		if u, _ = acc.Get(ctx, policy.Console, "ncb-jp"); u.TOTP {
			t.Error("the second factor is still on")
		}
		if err := acc.VerifyTOTP(ctx, u, next); !fault.Is(err, fault.Unauthorized) {
			t.Errorf("code without a second factor: %v", err)
		}
	})
}
