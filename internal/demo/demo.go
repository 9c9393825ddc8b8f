// Package demo fills an empty relais with demonstration accounts (and, as
// the domains grow, demonstration data) so that a newcomer can try every
// role at once.
package demo

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"

	"github.com/relais/relais/internal/account"
	"github.com/relais/relais/internal/policy"
)

// Account is a demonstration account.
type Account struct {
	Username, DisplayName, Org string
	Roles                      []policy.Role
}

// Accounts are the demonstration accounts that DESIGN.md fixes, plus the
// press office.
var Accounts = []Account{
	{"admin", "GS Administrator", "GS", []policy.Role{policy.GSAdmin}},
	{"gs-reviewer", "GS Compliance Reviewer", "GS", []policy.Role{policy.GSReviewer}},
	{"ncb-fr", "NCB Paris", "FR", []policy.Role{policy.NCBOfficer}},
	{"ncb-de", "NCB Wiesbaden", "DE", []policy.Role{policy.NCBOfficer}},
	{"ncb-us", "NCB Washington", "US", []policy.Role{policy.NCBOfficer}},
	{"ncb-br", "NCB Brasília", "BR", []policy.Role{policy.NCBOfficer}},
	{"ncb-ng", "NCB Abuja", "NG", []policy.Role{policy.NCBOfficer}},
	{"ncb-jp", "NCB Tokyo", "JP", []policy.Role{policy.NCBOfficer}},
	{"border-fr", "Border Police, Paris-CDG", "FR", []policy.Role{policy.Frontline}},
	{"border-de", "Federal Police, Frankfurt Airport", "DE", []policy.Role{policy.Frontline}},
	{"dpo", "Data Protection Officer", "GS", []policy.Role{policy.DPO}},
	{"press", "Press Office", "GS", []policy.Role{policy.Press}},
}

// Result says what Seed did.
type Result struct {
	Created  []string
	Password string // the password of the created accounts; empty if none was created
	Random   bool   // the password was generated, not taken from the environment
}

// Seed creates the demonstration accounts that do not exist yet, all with
// password (a random one when password is empty). Existing accounts are left
// exactly as they are.
func Seed(ctx context.Context, accounts *account.Service, password string) (Result, error) {
	res := Result{Password: password}
	if password == "" {
		res.Password, res.Random = randomPassword(), true
	}
	for _, a := range Accounts {
		created, err := accounts.Seed(ctx, account.NewUser{
			Username: a.Username, DisplayName: a.DisplayName, Org: a.Org, Roles: a.Roles, Password: res.Password,
		})
		if err != nil {
			return res, fmt.Errorf("demo account %s: %w", a.Username, err)
		}
		if created {
			res.Created = append(res.Created, a.Username)
		}
	}
	if len(res.Created) == 0 {
		res.Password, res.Random = "", false
	}
	return res, nil
}

func randomPassword() string {
	const alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	for i := range b {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		b[i] = alphabet[n.Int64()]
	}
	return string(b)
}
