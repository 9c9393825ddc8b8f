// Package apptest runs a whole relais over a fresh store for end-to-end
// tests through HTTP, with the demo accounts in place.
package apptest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/relais/relais/internal/app"
	"github.com/relais/relais/internal/demo"
	"github.com/relais/relais/internal/storage"
	"github.com/relais/relais/internal/storage/storagetest"
)

// Password is the password of every demo account in tests.
const Password = "test-password-1234"

// Server is a relais serving over HTTP on a loopback port.
type Server struct {
	*app.App
	URL    string
	tokens sync.Map // username → token
}

// Each runs fn against a fresh relais on every storage engine.
func Each(t *testing.T, fn func(t *testing.T, s *Server)) {
	t.Helper()
	for _, e := range []storage.Engine{storage.SQLite, storage.Postgres} {
		t.Run(string(e), func(t *testing.T) { fn(t, New(t, e)) })
	}
}

// New starts a relais on a new store of engine e with the demo accounts.
func New(t testing.TB, e storage.Engine) *Server {
	t.Helper()
	ctx := context.Background()
	a, err := app.Open(ctx, storagetest.Options(t, e), nil)
	if err != nil {
		t.Fatalf("open relais: %v", err)
	}
	if _, err := demo.Seed(ctx, a.Accounts, Password); err != nil {
		t.Fatalf("demo accounts: %v", err)
	}
	hs := httptest.NewServer(a.Server("127.0.0.1:0").Handler())
	t.Cleanup(func() {
		hs.Close()
		a.Close()
	})
	return &Server{App: a, URL: hs.URL}
}

// Response is an HTTP answer with its JSON body decoded.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	JSON   map[string]any
}

// ErrorCode returns error.code of a JSON error body.
func (r Response) ErrorCode() string {
	e, _ := r.JSON["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

// Do sends a request with body (a value to encode as JSON, a string or nil)
// as the user named as (no token when empty).
func (s *Server) Do(t testing.TB, method, path, as string, body any) Response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if as != "" {
		req.Header.Set("Authorization", "Bearer "+s.Token(t, as))
	}
	return s.Send(t, req)
}

// Send sends req and decodes the answer.
func (s *Server) Send(t testing.TB, req *http.Request) Response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := Response{Status: resp.StatusCode, Header: resp.Header, Body: raw}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") && len(raw) > 0 {
		_ = json.Unmarshal(raw, &r.JSON)
	}
	return r
}

// Token signs in as username (once per server) and returns the token.
func (s *Server) Token(t testing.TB, username string) string {
	t.Helper()
	if tok, ok := s.tokens.Load(username); ok {
		return tok.(string)
	}
	buf, _ := json.Marshal(map[string]string{"username": username, "password": Password})
	req, _ := http.NewRequest("POST", s.URL+"/api/v1/auth/token", bytes.NewReader(buf))
	req.Header.Set("Content-Type", "application/json")
	r := s.Send(t, req)
	tok, _ := r.JSON["token"].(string)
	if r.Status != http.StatusOK || tok == "" {
		t.Fatalf("sign in as %s: %d %s", username, r.Status, r.Body)
	}
	s.tokens.Store(username, tok)
	return tok
}
