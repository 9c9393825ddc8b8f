package account

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/relais/relais/internal/audit"
	"github.com/relais/relais/internal/changefeed"
	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/journal"
	"github.com/relais/relais/internal/policy"
)

// TOTP second factor (RFC 6238): 6 digits, 30-second steps, SHA-1, which is
// what every authenticator app understands. One step of clock drift either
// way is accepted.
const (
	totpIssuer = "relais"
	totpPeriod = 30
	totpSkew   = 1
	// ActionSecondFactor is the audit action of a TOTP check at sign-in.
	ActionSecondFactor = "auth.second_factor"
)

// NewTOTPKey makes a fresh TOTP secret for the account named username. It
// stores nothing: the secret takes effect only when EnableTOTP sees a code
// computed from it, so that a half-finished enrolment cannot lock anyone out.
func (s *Service) NewTOTPKey(ctx context.Context, by policy.Actor, username string) (*otp.Key, error) {
	u, err := s.lookup(ctx, username)
	if err != nil {
		return nil, err
	}
	if d := policy.Can(by, policy.UserSecondFactor, policy.Resource{Kind: "user", UserID: u.ID}); !d.Allowed {
		return nil, s.refuse(ctx, by, policy.UserSecondFactor, u.Username, d)
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: u.Username, Period: totpPeriod})
	if err != nil {
		return nil, fmt.Errorf("generate TOTP secret: %w", err)
	}
	return key, nil
}

// EnableTOTP turns the second factor on with secret, once code shows that the
// holder's authenticator computes the same codes.
func (s *Service) EnableTOTP(ctx context.Context, by policy.Actor, username, secret, code string) error {
	u, err := s.lookup(ctx, username)
	if err != nil {
		return err
	}
	if d := policy.Can(by, policy.UserSecondFactor, policy.Resource{Kind: "user", UserID: u.ID}); !d.Allowed {
		return s.refuse(ctx, by, policy.UserSecondFactor, u.Username, d)
	}
	secret = strings.ToUpper(strings.TrimSpace(secret))
	if _, err := totp.GenerateCode(secret, s.now()); err != nil || secret == "" {
		return fault.InvalidField("secret", "invalid_secret", "the enrolment secret is not valid; start the enrolment again")
	}
	step, ok := matchStep(secret, code, s.now())
	if !ok {
		return fault.InvalidField("code", "invalid_code", "this code does not match; type the 6 digits your authenticator shows now")
	}
	entry := audit.Event(ctx, by, policy.UserSecondFactor, "user", u.Username)
	entry.Detail = "enable"
	return s.j.Write(ctx, entry, func(tx *journal.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE users SET totp_secret = ?, totp_last_step = ?, updated_at = ? WHERE id = ?",
			secret, step, s.now(), u.ID); err != nil {
			return fmt.Errorf("store TOTP secret: %w", err)
		}
		tx.Changed("user", fmt.Sprint(u.ID), changefeed.Update)
		return nil
	})
}

// DisableTOTP removes the second factor of the account named username.
func (s *Service) DisableTOTP(ctx context.Context, by policy.Actor, username string) error {
	u, err := s.lookup(ctx, username)
	if err != nil {
		return err
	}
	res := policy.Resource{Kind: "user", UserID: u.ID, State: policy.SecondFactorRemove}
	if d := policy.Can(by, policy.UserSecondFactor, res); !d.Allowed {
		return s.refuse(ctx, by, policy.UserSecondFactor, u.Username, d)
	}
	entry := audit.Event(ctx, by, policy.UserSecondFactor, "user", u.Username)
	entry.Detail = "disable"
	return s.j.Write(ctx, entry, func(tx *journal.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE users SET totp_secret = NULL, totp_last_step = 0, updated_at = ? WHERE id = ?", s.now(), u.ID); err != nil {
			return fmt.Errorf("remove TOTP secret: %w", err)
		}
		tx.Changed("user", fmt.Sprint(u.ID), changefeed.Update)
		return nil
	})
}

// VerifyTOTP checks the second-factor code of an account whose password was
// just accepted by Login. A code is accepted once only, and only if it is
// newer than the last one accepted; every check is audited.
func (s *Service) VerifyTOTP(ctx context.Context, u User, code string) error {
	var secret sql.NullString
	var last int64
	err := s.store.QueryRow(ctx, "SELECT totp_secret, totp_last_step FROM users WHERE id = ? AND disabled = ?", u.ID, false).Scan(&secret, &last)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !secret.Valid) {
		return fault.New(fault.Unauthorized, "no_second_factor", "this account has no second factor; sign in again")
	}
	if err != nil {
		return fmt.Errorf("read second factor: %w", err)
	}
	step, ok := matchStep(secret.String, code, s.now())
	if !ok || step <= last {
		reason := "wrong code"
		if ok {
			reason = "code already used"
		}
		e := audit.Event(ctx, u.Actor(), ActionSecondFactor, "user", u.Username)
		e.Outcome, e.Reason = audit.Denied, reason
		if err := s.j.Record(ctx, e); err != nil {
			return err
		}
		return fault.InvalidField("code", "invalid_code", "this code is wrong or was already used; type the 6 digits your authenticator shows now")
	}
	entry := audit.Event(ctx, u.Actor(), ActionSecondFactor, "user", u.Username)
	err = s.j.Write(ctx, entry, func(tx *journal.Tx) error {
		// The condition makes two concurrent uses of one code on two
		// nodes end with exactly one acceptance.
		res, err := tx.Exec(ctx, "UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?", step, u.ID, step)
		if err != nil {
			return fmt.Errorf("record second factor: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("record second factor: %w", err)
		}
		if n != 1 {
			return errCodeReused
		}
		return nil
	})
	if errors.Is(err, errCodeReused) {
		return fault.InvalidField("code", "invalid_code", "this code is wrong or was already used; type the 6 digits your authenticator shows now")
	}
	return err
}

var errCodeReused = errors.New("TOTP code already used")

// matchStep returns the time step whose code equals code, trying the steps
// within the allowed clock skew of now.
func matchStep(secret, code string, now time.Time) (int64, bool) {
	code = strings.Join(strings.Fields(code), "")
	if len(code) != 6 {
		return 0, false
	}
	opts := totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	for d := -totpSkew; d <= totpSkew; d++ {
		at := now.Add(time.Duration(d*totpPeriod) * time.Second)
		want, err := totp.GenerateCodeCustom(secret, at, opts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return at.Unix() / totpPeriod, true
		}
	}
	return 0, false
}
