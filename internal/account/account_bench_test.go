package account_test

import (
	"context"
	"testing"
	"time"

	"github.com/relais/relais/internal/account"
	"github.com/relais/relais/internal/changefeed"
	"github.com/relais/relais/internal/journal"
	"github.com/relais/relais/internal/policy"
	"github.com/relais/relais/internal/storage"
	"github.com/relais/relais/internal/storage/storagetest"
)

// BenchmarkCreateToken measures an audited write: a token row, its audit
// entry and its change-feed entry in one transaction.
func BenchmarkCreateToken(b *testing.B) {
	for _, e := range []storage.Engine{storage.SQLite, storage.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			ctx := context.Background()
			svc := serviceWithUser(b, e)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, _, err := svc.CreateToken(ctx, policy.Console, "border-system", "bench", time.Hour); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
		})
	}
}

// BenchmarkAuthenticate measures the token check every API request makes.
func BenchmarkAuthenticate(b *testing.B) {
	for _, e := range []storage.Engine{storage.SQLite, storage.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			ctx := context.Background()
			svc := serviceWithUser(b, e)
			_, secret, err := svc.CreateToken(ctx, policy.Console, "border-system", "bench", time.Hour)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := svc.Authenticate(ctx, secret); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "checks/s")
		})
	}
}

// serviceWithUser returns an account service over a fresh store of engine e
// holding the account border-system.
func serviceWithUser(b *testing.B, e storage.Engine) *account.Service {
	ctx := context.Background()
	s := storagetest.Open(b, e)
	j := journal.New(s, changefeed.New(s), nil)
	b.Cleanup(func() { j.Close() })
	svc := account.New(j)
	if err := svc.EnsureOrganisations(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Create(ctx, policy.Console, account.NewUser{Username: "border-system", Org: "DE", Roles: []policy.Role{policy.Frontline}, Password: "a long passphrase"}); err != nil {
		b.Fatal(err)
	}
	return svc
}
