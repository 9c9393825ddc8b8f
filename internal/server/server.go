// Package server runs relais's HTTP server: the JSON API, the health and
// readiness probes and the metrics, with timeouts and graceful shutdown.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/relais/relais/internal/httpx"
	"github.com/relais/relais/internal/storage"
)

// Readiness tracks the parts that must be ready before relais takes traffic
// (the store, in-memory indexes being built).
type Readiness struct {
	mu      sync.Mutex
	pending map[string]bool
}

// NewReadiness returns a tracker with nothing pending.
func NewReadiness() *Readiness { return &Readiness{pending: map[string]bool{}} }

// Wait marks part as not yet ready.
func (r *Readiness) Wait(part string) {
	r.mu.Lock()
	r.pending[part] = true
	r.mu.Unlock()
}

// Done marks part as ready.
func (r *Readiness) Done(part string) {
	r.mu.Lock()
	delete(r.pending, part)
	r.mu.Unlock()
}

// Pending lists the parts not yet ready.
func (r *Readiness) Pending() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.pending))
	for p := range r.pending {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Config is what the server needs.
type Config struct {
	Addr      string
	Store     *storage.Store
	Readiness *Readiness
	Logger    *slog.Logger
	// Mount adds the application's routes (API, web, public site).
	Mount func(mux *http.ServeMux)
}

// Server is relais's HTTP server.
type Server struct {
	cfg     Config
	http    *http.Server
	handler http.Handler
}

// New builds the server and its routes.
func New(cfg Config) *Server {
	if cfg.Readiness == nil {
		cfg.Readiness = NewReadiness()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "relais_http_requests_total", Help: "HTTP requests by route and status class.",
	}, []string{"route", "method", "code"})
	latency := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "relais_http_request_duration_seconds", Help: "HTTP request latency by route.",
		Buckets: []float64{.0005, .001, .002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"route"})
	reg.MustRegister(requests, latency)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if cfg.Store != nil {
			if err := cfg.Store.Ping(ctx); err != nil {
				httpx.WriteJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "waiting_for": []string{"store"}})
				return
			}
		}
		if p := cfg.Readiness.Pending(); len(p) > 0 {
			httpx.WriteJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "starting", "waiting_for": p})
			return
		}
		httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	if cfg.Mount != nil {
		cfg.Mount(mux)
	}
	observe := func(r *http.Request, pattern string, status int, elapsed time.Duration) {
		route := pattern
		if route == "" {
			route = "unmatched"
		}
		requests.WithLabelValues(route, r.Method, fmt.Sprintf("%dxx", status/100)).Inc()
		latency.WithLabelValues(route).Observe(elapsed.Seconds())
	}
	handler := httpx.Middleware(cfg.Logger, observe, mux)
	return &Server{
		cfg:     cfg,
		handler: handler,
		http: &http.Server{
			Addr:              cfg.Addr,
			Handler:           handler,
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       2 * time.Minute, // manifests and imports stream large bodies
			WriteTimeout:      5 * time.Minute,
			IdleTimeout:       2 * time.Minute,
			MaxHeaderBytes:    64 << 10,
			ErrorLog:          slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn),
		},
	}
}

// Handler returns the server's handler, for tests.
func (s *Server) Handler() http.Handler { return s.handler }

// Run listens and serves until ctx ends, then stops taking connections and
// lets requests in flight finish (up to grace).
func (s *Server) Run(ctx context.Context, grace time.Duration, listening func(addr string)) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Addr, err)
	}
	if listening != nil {
		listening(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := s.http.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// URL returns a browsable address for a listening address.
func URL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if host == "" || host == "::" || host == "0.0.0.0" {
		host = "localhost"
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return "http://" + host + ":" + port
}
