package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/relais/relais/internal/server"
)

// A request in flight when shutdown starts is answered in full.
func TestGracefulShutdown(t *testing.T) {
	started := make(chan struct{})
	srv := server.New(server.Config{Addr: "127.0.0.1:0", Mount: func(mux *http.ServeMux) {
		mux.HandleFunc("GET /slow", func(w http.ResponseWriter, r *http.Request) {
			close(started)
			time.Sleep(300 * time.Millisecond)
			w.Write([]byte("finished"))
		})
	}})
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, 5*time.Second, func(a string) { addrc <- a }) }()
	addr := <-addrc

	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + addr + "/slow")
		if err != nil {
			got <- result{err: err}
			return
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		got <- result{string(b), err}
	}()
	<-started
	cancel()
	r := <-got
	if r.err != nil || r.body != "finished" {
		t.Fatalf("in-flight request: %q %v", r.body, r.err)
	}
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if _, err := http.Get("http://" + addr + "/slow"); err == nil {
		t.Fatal("server still accepts connections after shutdown")
	}
}

func TestReadiness(t *testing.T) {
	ready := server.NewReadiness()
	ready.Wait("screening")
	srv := server.New(server.Config{Addr: "127.0.0.1:0", Readiness: ready})
	for _, tc := range []struct {
		path   string
		status int
	}{{"/healthz", 200}, {"/readyz", 503}} {
		rec := httptestDo(srv.Handler(), tc.path)
		if rec != tc.status {
			t.Errorf("%s: %d, want %d", tc.path, rec, tc.status)
		}
	}
	ready.Done("screening")
	if got := httptestDo(srv.Handler(), "/readyz"); got != 200 {
		t.Errorf("/readyz after Done: %d", got)
	}
}

func httptestDo(h http.Handler, path string) int {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	return rec.Code
}
