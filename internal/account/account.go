// Package account manages the people and systems that sign in to relais:
// users of one organisation with their roles, argon2id passwords, throttled
// sign-in, and API tokens that are shown once and stored hashed.
package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/relais/relais/internal/audit"
	"github.com/relais/relais/internal/changefeed"
	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/journal"
	"github.com/relais/relais/internal/member"
	"github.com/relais/relais/internal/policy"
	"github.com/relais/relais/internal/storage"
)

// User is an account.
type User struct {
	ID          int64         `json:"id"`
	Username    string        `json:"username"`
	DisplayName string        `json:"display_name"`
	Org         string        `json:"org"`
	Roles       []policy.Role `json:"roles"`
	Disabled    bool          `json:"disabled"`
	TOTP        bool          `json:"totp"`
	CreatedAt   time.Time     `json:"created_at"`
	UpdatedAt   time.Time     `json:"updated_at"`
}

// Actor is the user as policy sees it.
func (u User) Actor() policy.Actor {
	return policy.Actor{UserID: u.ID, Username: u.Username, Org: u.Org, Roles: u.Roles}
}

// Service manages accounts in one store.
type Service struct {
	j       *journal.Journal
	store   *storage.Store
	limiter *addrLimiter
	now     func() time.Time
}

// New returns the account service writing through j.
func New(j *journal.Journal) *Service {
	return &Service{j: j, store: j.Store(), limiter: newAddrLimiter(), now: storage.Now}
}

// EnsureOrganisations makes sure every member country's bureau and the
// General Secretariat exist as organisations. It changes nothing on a store
// that has them all.
func (s *Service) EnsureOrganisations(ctx context.Context) error {
	var n int
	if err := s.store.QueryRow(ctx, "SELECT COUNT(*) FROM organisations").Scan(&n); err != nil {
		return fmt.Errorf("count organisations: %w", err)
	}
	countries := member.All()
	if n == len(countries)+1 {
		return nil
	}
	return s.store.InTx(ctx, func(tx *storage.Tx) error {
		upsert := "INSERT INTO organisations (code, kind, name) VALUES (?, ?, ?) ON CONFLICT (code) DO NOTHING"
		if _, err := tx.Exec(ctx, upsert, policy.GeneralSecretariat, "gs", "General Secretariat"); err != nil {
			return fmt.Errorf("add the General Secretariat: %w", err)
		}
		for _, c := range countries {
			if _, err := tx.Exec(ctx, upsert, c.Alpha2, "ncb", "NCB "+c.NCBCity); err != nil {
				return fmt.Errorf("add the bureau of %s: %w", c.Alpha2, err)
			}
		}
		return nil
	})
}

// NewUser is what it takes to create an account.
type NewUser struct {
	Username    string        `json:"username"`
	DisplayName string        `json:"display_name"`
	Org         string        `json:"org"`
	Roles       []policy.Role `json:"roles"`
	Password    string        `json:"password"`
}

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,62}$`)

func normalizeUsername(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

func normalizeOrg(org string) (string, error) {
	org = strings.ToUpper(strings.TrimSpace(org))
	if org == policy.GeneralSecretariat {
		return org, nil
	}
	code, err := member.Normalize(org)
	if err != nil {
		return "", fault.InvalidField("org", "invalid_org", "%v (or GS for the General Secretariat)", err)
	}
	return code, nil
}

func validateRoles(org string, roles []policy.Role) error {
	if len(roles) == 0 {
		return fault.InvalidField("roles", "invalid_roles", "give at least one role: %s", policy.JoinRoles(policy.Roles(), ", "))
	}
	for _, r := range roles {
		if _, ok := policy.ParseRole(string(r)); !ok {
			return fault.InvalidField("roles", "invalid_roles", "unknown role %q: use one of %s", r, policy.JoinRoles(policy.Roles(), ", "))
		}
		gsOnly := r == policy.GSAdmin || r == policy.GSReviewer || r == policy.Press
		if gsOnly && org != policy.GeneralSecretariat {
			return fault.InvalidField("roles", "invalid_roles", "role %s belongs to the General Secretariat, not to bureau %s", r, org)
		}
		if r == policy.NCBOfficer && org == policy.GeneralSecretariat {
			return fault.InvalidField("roles", "invalid_roles", "role %s belongs to a National Central Bureau, not to the General Secretariat", r)
		}
	}
	return nil
}

func joinRoles(roles []policy.Role) string {
	r := slices.Clone(roles)
	slices.Sort(r)
	r = slices.Compact(r)
	return policy.JoinRoles(r, ",")
}

// Create adds an account.
func (s *Service) Create(ctx context.Context, by policy.Actor, nu NewUser) (User, error) {
	if d := policy.Can(by, policy.UserManage, policy.Resource{Kind: "user"}); !d.Allowed {
		return User{}, s.refuse(ctx, by, policy.UserManage, nu.Username, d)
	}
	nu.Username = normalizeUsername(nu.Username)
	if !usernamePattern.MatchString(nu.Username) {
		return User{}, fault.InvalidField("username", "invalid_username", "a username has 2 to 63 characters: lower-case letters, digits, dot, dash, underscore, starting with a letter or digit")
	}
	org, err := normalizeOrg(nu.Org)
	if err != nil {
		return User{}, err
	}
	if err := validateRoles(org, nu.Roles); err != nil {
		return User{}, err
	}
	if err := validatePassword(nu.Password); err != nil {
		return User{}, fault.InvalidField("password", "weak_password", "%v", err)
	}
	hash, err := hashPassword(nu.Password)
	if err != nil {
		return User{}, err
	}
	return s.insert(ctx, by, nu, org, hash)
}

func (s *Service) insert(ctx context.Context, by policy.Actor, nu NewUser, org, hash string) (User, error) {
	now := s.now()
	u := User{Username: nu.Username, DisplayName: strings.TrimSpace(nu.DisplayName), Org: org,
		Roles: policy.ParseRoles(joinRoles(nu.Roles)), CreatedAt: now, UpdatedAt: now}
	entry := audit.Event(ctx, by, policy.UserManage, "user", u.Username)
	entry.Detail = "create org=" + org + " roles=" + joinRoles(u.Roles)
	err := s.j.Write(ctx, entry, func(tx *journal.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO users (username, display_name, org, roles, password_hash, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			u.Username, u.DisplayName, u.Org, joinRoles(u.Roles), hash, now, now).Scan(&u.ID)
		if storage.IsUniqueViolation(err) {
			return fault.InvalidField("username", "username_taken", "the username %q is taken", u.Username)
		}
		if err != nil {
			return fmt.Errorf("insert user %s: %w", u.Username, err)
		}
		tx.Changed("user", fmt.Sprint(u.ID), changefeed.Insert)
		return nil
	})
	return u, err
}

// refuse records a denied request and returns the error to answer with.
func (s *Service) refuse(ctx context.Context, by policy.Actor, act policy.Action, id string, d policy.Decision) error {
	e := audit.Event(ctx, by, act, "user", id)
	e.Outcome, e.Reason = audit.Denied, d.Reason
	if err := s.j.Record(ctx, e); err != nil {
		return err
	}
	if d.Hidden {
		return fault.NotFoundf("no such account")
	}
	return fault.New(fault.Forbidden, "forbidden", "%s", d.Reason)
}

const userColumns = "id, username, display_name, org, roles, disabled, totp_secret IS NOT NULL, created_at, updated_at"

func scanUser(r interface{ Scan(...any) error }) (User, error) {
	var u User
	var roles string
	err := r.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Org, &roles, &u.Disabled, &u.TOTP, &u.CreatedAt, &u.UpdatedAt)
	u.Roles = policy.ParseRoles(roles)
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return u, err
}

// lookup returns the account named username, without any access check.
func (s *Service) lookup(ctx context.Context, username string) (User, error) {
	u, err := scanUser(s.store.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE username = ?", normalizeUsername(username)))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, fault.NotFoundf("no such account")
	}
	if err != nil {
		return User{}, fmt.Errorf("read user: %w", err)
	}
	return u, nil
}

// Get returns the account named username, if by may see it.
func (s *Service) Get(ctx context.Context, by policy.Actor, username string) (User, error) {
	u, err := s.lookup(ctx, username)
	if err != nil {
		return User{}, err
	}
	if d := policy.Can(by, policy.UserRead, policy.Resource{Kind: "user", UserID: u.ID}); !d.Allowed {
		return User{}, fault.NotFoundf("no such account")
	}
	return u, nil
}

// List returns every account.
func (s *Service) List(ctx context.Context, by policy.Actor) ([]User, error) {
	if d := policy.Can(by, policy.UserList, policy.Resource{Kind: "user"}); !d.Allowed {
		return nil, fault.New(fault.Forbidden, "forbidden", "%s", d.Reason)
	}
	rows, err := s.store.Query(ctx, "SELECT "+userColumns+" FROM users ORDER BY username")
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	out := []User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("read user: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// update changes one account under the UserManage rule.
func (s *Service) update(ctx context.Context, by policy.Actor, username, detail string, apply func(tx *journal.Tx, u User) error) error {
	u, err := s.lookup(ctx, username)
	if err != nil {
		return err
	}
	if d := policy.Can(by, policy.UserManage, policy.Resource{Kind: "user", UserID: u.ID}); !d.Allowed {
		return s.refuse(ctx, by, policy.UserManage, u.Username, d)
	}
	entry := audit.Event(ctx, by, policy.UserManage, "user", u.Username)
	entry.Detail = detail
	return s.j.Write(ctx, entry, func(tx *journal.Tx) error {
		if err := apply(tx, u); err != nil {
			return err
		}
		tx.Changed("user", fmt.Sprint(u.ID), changefeed.Update)
		return nil
	})
}

// SetPassword replaces an account's password and clears its sign-in lock.
func (s *Service) SetPassword(ctx context.Context, by policy.Actor, username, password string) error {
	if err := validatePassword(password); err != nil {
		return fault.InvalidField("password", "weak_password", "%v", err)
	}
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	return s.update(ctx, by, username, "set password", func(tx *journal.Tx, u User) error {
		_, err := tx.Exec(ctx, "UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL, updated_at = ? WHERE id = ?", hash, s.now(), u.ID)
		return err
	})
}

// SetRoles replaces an account's roles.
func (s *Service) SetRoles(ctx context.Context, by policy.Actor, username string, roles []policy.Role) error {
	u, err := s.lookup(ctx, username)
	if err != nil {
		return err
	}
	if err := validateRoles(u.Org, roles); err != nil {
		return err
	}
	return s.update(ctx, by, username, "set roles "+joinRoles(roles), func(tx *journal.Tx, u User) error {
		_, err := tx.Exec(ctx, "UPDATE users SET roles = ?, updated_at = ? WHERE id = ?", joinRoles(roles), s.now(), u.ID)
		return err
	})
}

// SetDisabled disables or re-enables an account. Disabling also revokes its
// tokens, so that nothing signed in before keeps working.
func (s *Service) SetDisabled(ctx context.Context, by policy.Actor, username string, disabled bool) error {
	detail := "enable"
	if disabled {
		detail = "disable"
	}
	return s.update(ctx, by, username, detail, func(tx *journal.Tx, u User) error {
		now := s.now()
		if _, err := tx.Exec(ctx, "UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?", disabled, now, u.ID); err != nil {
			return err
		}
		if disabled {
			_, err := tx.Exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", now, u.ID)
			return err
		}
		return nil
	})
}

// Seed creates the account unless one with its username exists, and reports
// whether it did. It is for demonstration data, whose password the operator
// chose in the environment, so the password length rule is not applied; the
// password is still hashed with argon2id.
func (s *Service) Seed(ctx context.Context, nu NewUser) (bool, error) {
	nu.Username = normalizeUsername(nu.Username)
	if _, err := s.lookup(ctx, nu.Username); err == nil {
		return false, nil
	} else if !fault.Is(err, fault.NotFound) {
		return false, err
	}
	org, err := normalizeOrg(nu.Org)
	if err != nil {
		return false, err
	}
	if err := validateRoles(org, nu.Roles); err != nil {
		return false, err
	}
	if nu.Password == "" || len(nu.Password) > MaxPasswordLen {
		return false, fault.InvalidField("password", "weak_password", "a password has 1 to %d characters", MaxPasswordLen)
	}
	hash, err := hashPassword(nu.Password)
	if err != nil {
		return false, err
	}
	if _, err := s.insert(ctx, policy.Console, nu, org, hash); err != nil {
		return false, err
	}
	return true, nil
}
