package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/relais/relais/internal/account"
	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/httpx"
	"github.com/relais/relais/internal/policy"
)

type signInRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	OTP      string `json:"otp,omitempty"` // required for accounts with a second factor
}

type tokenResponse struct {
	Token     string    `json:"token"`
	ID        int64     `json:"id"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (a *API) signIn(w http.ResponseWriter, r *http.Request) {
	var req signInRequest
	if err := httpx.DecodeJSON(w, r, 4096, &req); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	if req.Username == "" || req.Password == "" {
		httpx.WriteError(w, r, fault.New(fault.Invalid, "missing_credentials", "send both username and password"))
		return
	}
	t, secret, err := a.svc.Accounts.SignIn(r.Context(), req.Username, req.Password, req.OTP)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, tokenResponse{Token: secret, ID: t.ID, ExpiresAt: t.ExpiresAt})
}

func (a *API) me(w http.ResponseWriter, r *http.Request) {
	actor := ActorOf(r.Context())
	u, err := a.svc.Accounts.Get(r.Context(), actor, actor.Username)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, u)
}

func (a *API) listUsers(w http.ResponseWriter, r *http.Request) {
	users, err := a.svc.Accounts.List(r.Context(), ActorOf(r.Context()))
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"users": users})
}

func (a *API) getUser(w http.ResponseWriter, r *http.Request) {
	u, err := a.svc.Accounts.Get(r.Context(), ActorOf(r.Context()), r.PathValue("username"))
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, u)
}

func (a *API) createUser(w http.ResponseWriter, r *http.Request) {
	var nu account.NewUser
	if err := httpx.DecodeJSON(w, r, 0, &nu); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	u, err := a.svc.Accounts.Create(r.Context(), ActorOf(r.Context()), nu)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, u)
}

type userUpdate struct {
	Roles    []policy.Role `json:"roles"`
	Disabled *bool         `json:"disabled"`
	Password *string       `json:"password"`
}

func (a *API) updateUser(w http.ResponseWriter, r *http.Request) {
	var up userUpdate
	if err := httpx.DecodeJSON(w, r, 0, &up); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	ctx, actor, name := r.Context(), ActorOf(r.Context()), r.PathValue("username")
	if up.Roles == nil && up.Disabled == nil && up.Password == nil {
		httpx.WriteError(w, r, fault.New(fault.Invalid, "nothing_to_change", "send roles, disabled or password"))
		return
	}
	var err error
	if up.Roles != nil {
		err = a.svc.Accounts.SetRoles(ctx, actor, name, up.Roles)
	}
	if err == nil && up.Password != nil {
		err = a.svc.Accounts.SetPassword(ctx, actor, name, *up.Password)
	}
	if err == nil && up.Disabled != nil {
		err = a.svc.Accounts.SetDisabled(ctx, actor, name, *up.Disabled)
	}
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	a.getUser(w, r)
}

func (a *API) listTokens(w http.ResponseWriter, r *http.Request) {
	tokens, err := a.svc.Accounts.ListTokens(r.Context(), ActorOf(r.Context()), r.PathValue("username"))
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"tokens": tokens})
}

type newToken struct {
	Name    string `json:"name"`
	TTLDays int    `json:"ttl_days"`
}

func (a *API) createToken(w http.ResponseWriter, r *http.Request) {
	var req newToken
	if err := httpx.DecodeJSON(w, r, 4096, &req); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	if req.TTLDays < 0 {
		httpx.WriteError(w, r, fault.InvalidField("ttl_days", "invalid_ttl", "ttl_days must be positive"))
		return
	}
	t, secret, err := a.svc.Accounts.CreateToken(r.Context(), ActorOf(r.Context()), r.PathValue("username"),
		req.Name, time.Duration(req.TTLDays)*24*time.Hour)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusCreated, map[string]any{"token": secret, "details": t})
}

func (a *API) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		httpx.WriteError(w, r, fault.NotFoundf("no such token"))
		return
	}
	if err := a.svc.Accounts.RevokeToken(r.Context(), ActorOf(r.Context()), id); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
