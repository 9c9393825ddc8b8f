// Package app assembles relais: the store, the journal and change feed, the
// domain services and the HTTP surfaces over them. The relais command and
// the end-to-end tests build relais through it, so both run the same thing.
package app

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/relais/relais/internal/account"
	"github.com/relais/relais/internal/api"
	"github.com/relais/relais/internal/changefeed"
	"github.com/relais/relais/internal/journal"
	"github.com/relais/relais/internal/newsroom"
	"github.com/relais/relais/internal/notice"
	"github.com/relais/relais/internal/publicnotices"
	"github.com/relais/relais/internal/records"
	"github.com/relais/relais/internal/screening"
	"github.com/relais/relais/internal/server"
	"github.com/relais/relais/internal/storage"
	"github.com/relais/relais/internal/web"
)

// App is a running relais over one store.
type App struct {
	Store     *storage.Store
	Feed      *changefeed.Feed
	Journal   *journal.Journal
	Accounts  *account.Service
	Notices   *notice.Service
	Records   *records.Service
	Screening *screening.Engine
	Newsroom  *newsroom.Service
	Readiness *server.Readiness
	Logger    *slog.Logger
}

// Open opens the store (migrating it) and builds the services.
func Open(ctx context.Context, opts storage.Options, logger *slog.Logger) (*App, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	opts.Logger = logger
	store, err := storage.Open(ctx, opts)
	if err != nil {
		return nil, err
	}
	feed := changefeed.New(store)
	j := journal.New(store, feed, logger)
	a := &App{
		Store:     store,
		Feed:      feed,
		Journal:   j,
		Accounts:  account.New(j),
		Notices:   notice.New(j),
		Records:   records.NewService(j),
		Screening: screening.New(j, logger),
		Newsroom:  newsroom.New(j),
		Readiness: server.NewReadiness(),
		Logger:    logger,
	}
	a.Screening.AddPersonSource(noticePersons{notices: a.Notices})
	if err := a.Accounts.EnsureOrganisations(ctx); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

// Mount adds every HTTP surface to mux.
func (a *App) Mount(mux *http.ServeMux) {
	api.New(api.Services{Journal: a.Journal, Accounts: a.Accounts, Notices: a.Notices, Records: a.Records, Screening: a.Screening}).Register(mux)
	publicnotices.New(a.Notices).Register(mux)
	web.New(web.Services{Journal: a.Journal, Accounts: a.Accounts, Newsroom: a.Newsroom, Notices: a.Notices,
		Records: a.Records, Screening: a.Screening, Logger: a.Logger}).Register(mux)
}

// Server returns the HTTP server of the app listening on addr.
func (a *App) Server(addr string) *server.Server {
	// A serving node screens: build its indexes in the background (/readyz
	// waits for them). Commands that only write, such as import, never
	// pay for loading them.
	a.Screening.Start(a.Readiness)
	return server.New(server.Config{Addr: addr, Store: a.Store, Readiness: a.Readiness, Logger: a.Logger, Mount: a.Mount})
}

// Close flushes the audit entries still queued and closes the store.
func (a *App) Close() {
	a.Screening.Stop()
	_ = a.Journal.Close()
	_ = a.Store.Close()
}
