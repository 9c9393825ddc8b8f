package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/relais/relais/internal/audit"
	"github.com/relais/relais/internal/changefeed"
	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/journal"
	"github.com/relais/relais/internal/policy"
)

// Token lifetimes.
const (
	DefaultTokenTTL = 90 * 24 * time.Hour
	SignInTokenTTL  = 12 * time.Hour
	MaxTokenTTL     = 366 * 24 * time.Hour
)

// tokenPrefix marks relais tokens, so that secret scanners and people can
// recognise one that leaked.
const tokenPrefix = "relais_"

// Token is an API token, without its secret.
type Token struct {
	ID         int64      `json:"id"`
	Username   string     `json:"username"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

func newSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("read random token: %w", err)
	}
	return tokenPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)), nil
}

// Tokens have 256 random bits, so a plain SHA-256 is enough to store them:
// unlike passwords they cannot be guessed from a dictionary.
func secretHash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CreateToken issues a token for the account named username and returns it
// with its secret, which is shown only this once.
func (s *Service) CreateToken(ctx context.Context, by policy.Actor, username, name string, ttl time.Duration) (Token, string, error) {
	u, err := s.lookup(ctx, username)
	if err != nil {
		return Token{}, "", err
	}
	if d := policy.Can(by, policy.TokenCreate, policy.Resource{Kind: "token", UserID: u.ID}); !d.Allowed {
		return Token{}, "", s.refuse(ctx, by, policy.TokenCreate, u.Username, d)
	}
	if u.Disabled {
		return Token{}, "", fault.New(fault.Conflict, "account_disabled", "account %s is disabled", u.Username)
	}
	return s.issue(ctx, audit.Event(ctx, by, policy.TokenCreate, "token", ""), u, name, ttl)
}

// SignIn checks the credentials — and the second-factor code when the
// account has one — and issues a short-lived token.
func (s *Service) SignIn(ctx context.Context, username, password, code string) (Token, string, error) {
	u, err := s.Login(ctx, username, password)
	if err != nil {
		return Token{}, "", err
	}
	if u.TOTP {
		if code == "" {
			return Token{}, "", fault.New(fault.Unauthorized, "second_factor_required",
				"this account has a second factor: send the 6-digit code of your authenticator as \"otp\"")
		}
		if err := s.VerifyTOTP(ctx, u, code); err != nil {
			return Token{}, "", err
		}
	}
	return s.issue(ctx, audit.Event(ctx, u.Actor(), policy.TokenCreate, "token", ""), u, "sign-in", SignInTokenTTL)
}

func (s *Service) issue(ctx context.Context, entry audit.Entry, u User, name string, ttl time.Duration) (Token, string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = "api"
	}
	if len(name) > 100 {
		return Token{}, "", fault.InvalidField("name", "invalid_name", "a token name has at most 100 characters")
	}
	if ttl <= 0 {
		ttl = DefaultTokenTTL
	}
	if ttl > MaxTokenTTL {
		return Token{}, "", fault.InvalidField("ttl", "invalid_ttl", "a token lives at most %d days", int(MaxTokenTTL.Hours()/24))
	}
	secret, err := newSecret()
	if err != nil {
		return Token{}, "", err
	}
	now := s.now()
	t := Token{Username: u.Username, Name: name, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	entry.Detail = "for " + u.Username + ", expires " + t.ExpiresAt.Format(time.RFC3339)
	err = s.j.Write(ctx, entry, func(tx *journal.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO api_tokens (user_id, name, secret_hash, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, u.ID, name, secretHash(secret), now, t.ExpiresAt).Scan(&t.ID)
		if err != nil {
			return fmt.Errorf("insert token: %w", err)
		}
		tx.Entry.ResourceID = fmt.Sprint(t.ID)
		tx.Changed("token", fmt.Sprint(t.ID), changefeed.Insert)
		return nil
	})
	if err != nil {
		return Token{}, "", err
	}
	return t, secret, nil
}

// ListTokens returns the tokens of the account named username.
func (s *Service) ListTokens(ctx context.Context, by policy.Actor, username string) ([]Token, error) {
	u, err := s.lookup(ctx, username)
	if err != nil {
		return nil, err
	}
	if d := policy.Can(by, policy.TokenList, policy.Resource{Kind: "token", UserID: u.ID}); !d.Allowed {
		return nil, fault.NotFoundf("no such account")
	}
	rows, err := s.store.Query(ctx, `SELECT id, name, created_at, expires_at, revoked_at, last_used_at
		FROM api_tokens WHERE user_id = ? ORDER BY id`, u.ID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	out := []Token{}
	for rows.Next() {
		t := Token{Username: u.Username}
		var revoked, used sql.NullTime
		if err := rows.Scan(&t.ID, &t.Name, &t.CreatedAt, &t.ExpiresAt, &revoked, &used); err != nil {
			return nil, fmt.Errorf("read token: %w", err)
		}
		t.CreatedAt, t.ExpiresAt = t.CreatedAt.UTC(), t.ExpiresAt.UTC()
		if revoked.Valid {
			r := revoked.Time.UTC()
			t.RevokedAt = &r
		}
		if used.Valid {
			l := used.Time.UTC()
			t.LastUsedAt = &l
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken ends a token at once.
func (s *Service) RevokeToken(ctx context.Context, by policy.Actor, id int64) error {
	var userID int64
	var username string
	var revoked sql.NullTime
	err := s.store.QueryRow(ctx, `SELECT t.user_id, u.username, t.revoked_at FROM api_tokens t
		JOIN users u ON u.id = t.user_id WHERE t.id = ?`, id).Scan(&userID, &username, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return fault.NotFoundf("no such token")
	}
	if err != nil {
		return fmt.Errorf("read token: %w", err)
	}
	if d := policy.Can(by, policy.TokenRevoke, policy.Resource{Kind: "token", UserID: userID}); !d.Allowed {
		if err := s.refuse(ctx, by, policy.TokenRevoke, fmt.Sprint(id), d); fault.Is(err, fault.NotFound) {
			return fault.NotFoundf("no such token")
		} else {
			return err
		}
	}
	if revoked.Valid {
		return nil
	}
	entry := audit.Event(ctx, by, policy.TokenRevoke, "token", fmt.Sprint(id))
	entry.Detail = "of " + username
	return s.j.Write(ctx, entry, func(tx *journal.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", s.now(), id); err != nil {
			return err
		}
		tx.Changed("token", fmt.Sprint(id), changefeed.Update)
		return nil
	})
}

// lastUsedResolution bounds how often a token's last use is written: at
// most once per minute per token, not on every request.
const lastUsedResolution = time.Minute

// Authenticate returns the actor whose token secret this is. Unknown,
// expired and revoked tokens and disabled accounts are all refused alike.
func (s *Service) Authenticate(ctx context.Context, secret string) (policy.Actor, error) {
	if !strings.HasPrefix(secret, tokenPrefix) || len(secret) > 128 {
		return policy.Anonymous, invalidToken()
	}
	var (
		id            int64
		expires       time.Time
		revoked, used sql.NullTime
		u             User
		roles         string
	)
	err := s.store.QueryRow(ctx, `SELECT t.id, t.expires_at, t.revoked_at, t.last_used_at,
		u.id, u.username, u.org, u.roles, u.disabled
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.secret_hash = ?`, secretHash(secret)).
		Scan(&id, &expires, &revoked, &used, &u.ID, &u.Username, &u.Org, &roles, &u.Disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return policy.Anonymous, invalidToken()
	}
	if err != nil {
		return policy.Anonymous, fmt.Errorf("read token: %w", err)
	}
	now := s.now()
	switch {
	case revoked.Valid:
		return policy.Anonymous, fault.New(fault.Unauthorized, "token_revoked", "this token was revoked; get a new one")
	case !expires.After(now):
		return policy.Anonymous, fault.New(fault.Unauthorized, "token_expired", "this token has expired; get a new one")
	case u.Disabled:
		return policy.Anonymous, fault.New(fault.Unauthorized, "account_disabled", "this account is disabled; ask your administrator")
	}
	if !used.Valid || now.Sub(used.Time) > lastUsedResolution {
		// Bookkeeping only: not police data, so no journal entry.
		_, _ = s.store.Exec(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", now, id)
	}
	u.Roles = policy.ParseRoles(roles)
	return u.Actor(), nil
}

func invalidToken() error {
	return fault.New(fault.Unauthorized, "invalid_token", "the token is not valid; sign in again or create a new token")
}
