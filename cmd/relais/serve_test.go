package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/storage"
)

// serve starts `relais serve` in-process and returns its base URL, its
// output and a function that stops it (as SIGTERM would) and returns the
// exit code.
func serve(t *testing.T, args ...string) (string, *bufio.Reader, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	out := bufio.NewReader(pr)
	for {
		line, err := out.ReadString('\n')
		if err != nil {
			cancel()
			t.Fatalf("serve stopped before listening (exit %d)", <-done)
		}
		if url, ok := strings.CutPrefix(strings.TrimSpace(line), "relais is serving at "); ok {
			go func() { _, _ = io.Copy(io.Discard, out) }()
			return url, out, func() int { cancel(); return <-done }
		}
		if strings.Contains(line, "Demo accounts") {
			t.Log(strings.TrimSpace(line))
		}
	}
}

func TestServeDemo(t *testing.T) {
	t.Setenv("RELAIS_DEMO_PASSWORD", "demo-password-for-tests")
	st := storeArgs(t, storage.SQLite)
	url, _, stop := serve(t, append([]string{"--demo"}, st...)...)
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		resp, err := http.Get(url + path)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s: %v %v", path, err, resp)
		}
		resp.Body.Close()
	}
	resp, err := http.Post(url+"/api/v1/auth/token", "application/json",
		strings.NewReader(`{"username":"ncb-fr","password":"demo-password-for-tests"}`))
	if err != nil {
		t.Fatal(err)
	}
	var tok struct{ Token string }
	_ = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(tok.Token, "relais_") {
		t.Fatalf("demo sign-in: %d", resp.StatusCode)
	}
	if code := stop(); code != 0 {
		t.Fatalf("serve exit %d after SIGTERM", code)
	}

	// A second start on the same store changes nothing.
	var out strings.Builder
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	pr, pw := io.Pipe()
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--demo"}, st...), strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	deadline := time.AfterFunc(30*time.Second, cancel)
	defer deadline.Stop()
	for sc.Scan() {
		out.WriteString(sc.Text() + "\n")
		if strings.HasPrefix(sc.Text(), "relais is serving") {
			cancel()
		}
	}
	<-done
	if !strings.Contains(out.String(), "already exist; nothing changed") {
		t.Fatalf("second --demo start said:\n%s", out.String())
	}
}
