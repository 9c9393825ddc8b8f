// Package api serves relais's JSON API under /api/v1. Handlers are thin:
// they authenticate, decode, call a domain service (which asks the policy
// package) and encode; every rule lives in the services and in policy.
package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/relais/relais/internal/account"
	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/httpx"
	"github.com/relais/relais/internal/journal"
	"github.com/relais/relais/internal/notice"
	"github.com/relais/relais/internal/policy"
	"github.com/relais/relais/internal/records"
	"github.com/relais/relais/internal/screening"
)

// Services are the domain services the API exposes.
type Services struct {
	Journal   *journal.Journal
	Accounts  *account.Service
	Notices   *notice.Service
	Records   *records.Service
	Screening *screening.Engine
}

// API is the JSON API.
type API struct {
	svc Services
}

// New returns the API over svc.
func New(svc Services) *API { return &API{svc: svc} }

// Register adds the API's routes to mux.
func (a *API) Register(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v1/auth/token", a.signIn)
	mux.HandleFunc("GET /api/v1/members", a.listMembers)
	mux.HandleFunc("GET /api/v1/members/{code}", a.getMember)

	mux.Handle("GET /api/v1/me", a.auth(a.me))
	mux.Handle("GET /api/v1/users", a.auth(a.listUsers))
	mux.Handle("POST /api/v1/users", a.auth(a.createUser))
	mux.Handle("GET /api/v1/users/{username}", a.auth(a.getUser))
	mux.Handle("PATCH /api/v1/users/{username}", a.auth(a.updateUser))
	mux.Handle("GET /api/v1/users/{username}/tokens", a.auth(a.listTokens))
	mux.Handle("POST /api/v1/users/{username}/tokens", a.auth(a.createToken))
	mux.Handle("DELETE /api/v1/tokens/{id}", a.auth(a.revokeToken))

	mux.Handle("GET /api/v1/audit", a.auth(a.listAudit))

	mux.Handle("POST /api/v1/mrz", a.auth(a.parseMRZ))

	a.registerNotices(mux)
	a.registerRecords(mux)

	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteError(w, r, fault.NotFoundf("no such API endpoint: %s %s", r.Method, r.URL.Path))
	})
}

type actorKey struct{}

// ActorOf returns the authenticated actor of the request.
func ActorOf(ctx context.Context) policy.Actor {
	a, ok := ctx.Value(actorKey{}).(policy.Actor)
	if !ok {
		return policy.Anonymous
	}
	return a
}

// auth requires a valid bearer token and puts its actor in the context.
func (a *API) auth(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		scheme, secret, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(secret) == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="relais"`)
			httpx.WriteError(w, r, fault.New(fault.Unauthorized, "unauthenticated",
				"send Authorization: Bearer TOKEN; get a token from POST /api/v1/auth/token"))
			return
		}
		actor, err := a.svc.Accounts.Authenticate(r.Context(), strings.TrimSpace(secret))
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="relais", error="invalid_token"`)
			httpx.WriteError(w, r, err)
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), actorKey{}, actor)))
	})
}

// intParam reads an optional integer query parameter.
func intParam(r *http.Request, name string, def, lo, hi int) (int, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, fault.InvalidField(name, "invalid_parameter", "%s must be a whole number from %d to %d", name, lo, hi)
	}
	return n, nil
}
