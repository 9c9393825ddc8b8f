package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/relais/relais/internal/audit"
	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/journal"
	"github.com/relais/relais/internal/policy"
)

// Sign-in throttling. Per account (kept in the store, so every node agrees):
// after lockAfter failures in a row the account waits, twice as long after
// each further failure, up to maxLock. Per client address (kept in memory):
// at most addrFailures failures within addrWindow.
const (
	lockAfter    = 5
	firstLock    = time.Minute
	maxLock      = time.Hour
	addrFailures = 20
	addrWindow   = 10 * time.Minute
)

// ActionLogin is the audit action of a sign-in.
const ActionLogin = "auth.login"

// Login checks a username and password and returns the account. A refused
// sign-in is audited, and counts towards the throttles; the error does not
// say whether the account exists.
func (s *Service) Login(ctx context.Context, username, password string) (User, error) {
	username = normalizeUsername(username)
	addr := audit.OriginOf(ctx).ClientAddr
	now := s.now()
	if until, blocked := s.limiter.blocked(addr, now); blocked {
		s.recordLogin(ctx, username, "", audit.Denied, "too many failed sign-ins from this address")
		return User{}, tooMany(until)
	}
	if len(username) > 128 || len(password) > MaxPasswordLen {
		s.limiter.fail(addr, now)
		s.recordLogin(ctx, truncate(username, 128), "", audit.Denied, "credentials too long")
		return User{}, badCredentials()
	}

	var (
		u           User
		hash        string
		failed      int
		lockedUntil sql.NullTime
	)
	row := s.store.QueryRow(ctx, "SELECT "+userColumns+", password_hash, failed_logins, locked_until FROM users WHERE username = ?", username)
	var roles string
	err := row.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Org, &roles, &u.Disabled, &u.TOTP, &u.CreatedAt, &u.UpdatedAt, &hash, &failed, &lockedUntil)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		checkPassword(dummyHash, password)
		s.limiter.fail(addr, now)
		s.recordLogin(ctx, username, "", audit.Denied, "unknown account")
		return User{}, badCredentials()
	case err != nil:
		return User{}, fmt.Errorf("read account: %w", err)
	}
	u.Roles = policy.ParseRoles(roles)

	if lockedUntil.Valid && lockedUntil.Time.After(now) {
		s.recordLogin(ctx, username, u.Org, audit.Denied, "account locked after failed sign-ins")
		return User{}, tooMany(lockedUntil.Time)
	}
	if !checkPassword(hash, password) {
		s.limiter.fail(addr, now)
		entry := audit.Event(ctx, policy.Actor{Username: username, Org: u.Org}, ActionLogin, "user", username)
		entry.Outcome, entry.Reason = audit.Denied, "wrong password"
		err := s.j.Write(ctx, entry, func(tx *journal.Tx) error {
			// Counted in the database, so that concurrent attempts on
			// several nodes all count.
			var failed int
			err := tx.QueryRow(ctx, "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins", u.ID).Scan(&failed)
			if err != nil || failed < lockAfter {
				return err
			}
			wait := min(firstLock<<min(failed-lockAfter, 10), maxLock)
			_, err = tx.Exec(ctx, "UPDATE users SET locked_until = ? WHERE id = ?", now.Add(wait), u.ID)
			return err
		})
		if err != nil {
			return User{}, err
		}
		return User{}, badCredentials()
	}
	if u.Disabled {
		s.recordLogin(ctx, username, u.Org, audit.Denied, "account disabled")
		return User{}, fault.New(fault.Unauthorized, "account_disabled", "this account is disabled; ask your administrator")
	}
	entry := audit.Event(ctx, u.Actor(), ActionLogin, "user", username)
	err = s.j.Write(ctx, entry, func(tx *journal.Tx) error {
		if failed == 0 && !lockedUntil.Valid {
			return nil
		}
		_, err := tx.Exec(ctx, "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?", u.ID)
		return err
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}

func (s *Service) recordLogin(ctx context.Context, username, org, outcome, reason string) {
	e := audit.Event(ctx, policy.Actor{Username: username, Org: org}, ActionLogin, "user", username)
	e.Outcome, e.Reason = outcome, reason
	if e.ActorOrg == "" {
		e.ActorOrg = "-"
	}
	// A failure to audit must not turn a refusal into an acceptance; the
	// refusal stands either way.
	_ = s.j.Record(ctx, e)
}

func badCredentials() error {
	return fault.New(fault.Unauthorized, "invalid_credentials", "wrong username or password")
}

func tooMany(until time.Time) error {
	return fault.New(fault.TooMany, "too_many_attempts",
		"too many failed sign-ins; try again after %s UTC", until.UTC().Format("15:04:05"))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// addrLimiter counts recent failed sign-ins per client address.
type addrLimiter struct {
	mu       sync.Mutex
	failures map[string][]time.Time
}

func newAddrLimiter() *addrLimiter { return &addrLimiter{failures: map[string][]time.Time{}} }

func (l *addrLimiter) recent(addr string, now time.Time) []time.Time {
	times := l.failures[addr]
	i := 0
	for i < len(times) && now.Sub(times[i]) > addrWindow {
		i++
	}
	times = times[i:]
	if len(times) == 0 {
		delete(l.failures, addr)
	} else {
		l.failures[addr] = times
	}
	return times
}

func (l *addrLimiter) blocked(addr string, now time.Time) (time.Time, bool) {
	if addr == "" {
		return time.Time{}, false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	times := l.recent(addr, now)
	if len(times) >= addrFailures {
		return times[0].Add(addrWindow), true
	}
	return time.Time{}, false
}

func (l *addrLimiter) fail(addr string, now time.Time) {
	if addr == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	times := l.recent(addr, now)
	if len(times) >= 4*addrFailures {
		times = times[1:]
	}
	l.failures[addr] = append(times, now)
	if len(l.failures) > 100000 {
		// Bound memory under a distributed attack: forget the oldest
		// addresses' history rather than grow without limit.
		for k := range l.failures {
			delete(l.failures, k)
			if len(l.failures) <= 50000 {
				break
			}
		}
	}
}
