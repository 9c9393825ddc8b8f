package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/relais/relais/internal/account"
	"github.com/relais/relais/internal/audit"
	"github.com/relais/relais/internal/policy"
	"github.com/relais/relais/internal/storage"
)

// Session lifetimes. A session ends after IdleTimeout without a request, and
// in any case AbsoluteTimeout after sign-in; a session still waiting for its
// second-factor code lasts SecondFactorTimeout.
const (
	IdleTimeout         = 30 * time.Minute
	AbsoluteTimeout     = 12 * time.Hour
	SecondFactorTimeout = 5 * time.Minute
	// touchEvery bounds how often a request writes last_seen_at: the idle
	// clock is exact to within this much, and reads stay reads.
	touchEvery = time.Minute
	// maxFailedCodes wrong second-factor codes end the pending session.
	maxFailedCodes = 5
)

// Cookie names. The session cookie holds the session id; the pre-session
// cookie holds the token that protects the sign-in form itself (a
// double-submitted token: there is no session yet to tie it to).
const (
	sessionCookie = "relais_session"
	preCookie     = "relais_presession"
)

// ActionSignOut is the audit action of a sign-out.
const ActionSignOut = "auth.logout"

// session is a signed-in browser.
type session struct {
	idHash       string
	csrf         string
	secondFactor bool // a TOTP code is still owed
	failedCodes  int
	createdAt    time.Time
	lastSeen     time.Time
	user         account.User
}

func (s *session) actor() policy.Actor { return s.user.Actor() }

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		// The system's random source failing is not something to carry on from.
		panic(fmt.Sprintf("read random bytes: %v", err))
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// Session ids have 256 random bits, so a plain SHA-256 is enough to store
// them: unlike passwords they cannot be guessed from a dictionary.
func hashID(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

// sessions keeps browser sessions in the store.
type sessions struct {
	store *storage.Store
	now   func() time.Time
}

// create starts a session for u and returns its id (the cookie value).
func (ss *sessions) create(ctx context.Context, u account.User, secondFactor bool, addr string) (string, error) {
	id := randomToken()
	now := ss.now()
	// Expired sessions are cleared here rather than by a timer: sign-ins are
	// rare enough to be cheap and frequent enough to keep the table small.
	if _, err := ss.store.Exec(ctx, "DELETE FROM web_sessions WHERE last_seen_at < ? OR created_at < ?",
		now.Add(-IdleTimeout), now.Add(-AbsoluteTimeout)); err != nil {
		return "", fmt.Errorf("clear expired sessions: %w", err)
	}
	_, err := ss.store.Exec(ctx, `INSERT INTO web_sessions (id_hash, user_id, csrf_token, second_factor, created_at, last_seen_at, client_addr)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, hashID(id), u.ID, randomToken(), secondFactor, now, now, addr)
	if err != nil {
		return "", fmt.Errorf("start session: %w", err)
	}
	return id, nil
}

// errNoSession means the request carries no live session.
var errNoSession = errors.New("no live session")

// lookup returns the live session with cookie value id, with its user as
// the store has it now (so that a disabled account or a changed role takes
// effect at the next request), and refreshes its idle clock.
func (ss *sessions) lookup(ctx context.Context, id string) (*session, error) {
	if id == "" || len(id) > 100 {
		return nil, errNoSession
	}
	s := &session{idHash: hashID(id)}
	var roles string
	err := ss.store.QueryRow(ctx, `SELECT s.csrf_token, s.second_factor, s.failed_codes, s.created_at, s.last_seen_at,
			u.id, u.username, u.display_name, u.org, u.roles, u.disabled, u.totp_secret IS NOT NULL
		FROM web_sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`, s.idHash).
		Scan(&s.csrf, &s.secondFactor, &s.failedCodes, &s.createdAt, &s.lastSeen,
			&s.user.ID, &s.user.Username, &s.user.DisplayName, &s.user.Org, &roles, &s.user.Disabled, &s.user.TOTP)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoSession
	}
	if err != nil {
		return nil, fmt.Errorf("read session: %w", err)
	}
	s.user.Roles = policy.ParseRoles(roles)
	now := ss.now()
	expired := s.user.Disabled ||
		now.Sub(s.lastSeen) > IdleTimeout ||
		now.Sub(s.createdAt) > AbsoluteTimeout ||
		(s.secondFactor && now.Sub(s.createdAt) > SecondFactorTimeout)
	if expired {
		if err := ss.end(ctx, id); err != nil {
			return nil, err
		}
		return nil, errNoSession
	}
	if now.Sub(s.lastSeen) >= touchEvery {
		if _, err := ss.store.Exec(ctx, "UPDATE web_sessions SET last_seen_at = ? WHERE id_hash = ?", now, s.idHash); err != nil {
			return nil, fmt.Errorf("refresh session: %w", err)
		}
	}
	return s, nil
}

// end deletes the session with cookie value id.
func (ss *sessions) end(ctx context.Context, id string) error {
	if _, err := ss.store.Exec(ctx, "DELETE FROM web_sessions WHERE id_hash = ?", hashID(id)); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// failCode counts a wrong second-factor code and reports whether the
// session may try again.
func (ss *sessions) failCode(ctx context.Context, s *session) (bool, error) {
	var n int
	err := ss.store.QueryRow(ctx, "UPDATE web_sessions SET failed_codes = failed_codes + 1 WHERE id_hash = ? RETURNING failed_codes", s.idHash).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("count failed code: %w", err)
	}
	if n >= maxFailedCodes {
		_, err := ss.store.Exec(ctx, "DELETE FROM web_sessions WHERE id_hash = ?", s.idHash)
		return false, err
	}
	return true, nil
}

func secureRequest(r *http.Request) bool { return r.TLS != nil }

func setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: secureRequest(r),
	})
}

func cookieValue(r *http.Request, name string) string {
	c, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	return c.Value
}

// sameToken compares two tokens in constant time; an empty token never matches.
func sameToken(a, b string) bool {
	return a != "" && b != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// signOutEntry is the audit entry of a sign-out.
func signOutEntry(ctx context.Context, u account.User) audit.Entry {
	return audit.Event(ctx, u.Actor(), ActionSignOut, "user", u.Username)
}
