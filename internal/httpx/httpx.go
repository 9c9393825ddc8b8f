// Package httpx holds what every relais HTTP surface shares: request ids,
// client addresses, structured request logs, panic recovery, security
// headers, JSON bodies and JSON errors.
package httpx

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/relais/relais/internal/audit"
	"github.com/relais/relais/internal/fault"
)

// MaxBodyBytes bounds a JSON request body unless a handler says otherwise.
const MaxBodyBytes = 1 << 20

// ErrorBody is the JSON shape of every API error.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail says what went wrong and, where one is at fault, which field.
// When several fields are at fault, Code, Message and Field are the first's
// and Errors lists every one.
type ErrorDetail struct {
	Code      string       `json:"code"`
	Message   string       `json:"message"`
	Field     string       `json:"field,omitempty"`
	RequestID string       `json:"request_id,omitempty"`
	Errors    []FieldError `json:"errors,omitempty"`
}

// FieldError is one field at fault.
type FieldError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// WriteJSON writes v as the JSON response with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// WriteAppendedJSON answers with the JSON appendJSON appends to a buffer,
// for a handler that encodes its answer faster than WriteJSON does; like
// WriteJSON's, the JSON ends with a newline. When appendJSON fails, the
// answer is WriteError's.
func WriteAppendedJSON(w http.ResponseWriter, r *http.Request, status int, appendJSON func([]byte) ([]byte, error)) {
	buf := getBuffer()
	out, err := appendJSON(buf.AvailableBuffer())
	if err != nil {
		putBuffer(buf)
		WriteError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(out)
	// out's array, grown when the answer outgrew the buffer, is the next
	// answer's
	putBuffer(bytes.NewBuffer(out[:0]))
}

// buffers are reused from request to request, so that large bodies and
// answers do not become garbage each time.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuffer() *bytes.Buffer { return buffers.Get().(*bytes.Buffer) }

func putBuffer(b *bytes.Buffer) {
	// A buffer grown for a rare large body is left to the collector
	// rather than held.
	if b.Cap() > MaxBodyBytes {
		return
	}
	b.Reset()
	buffers.Put(b)
}

// WriteError answers with the JSON error that err calls for. Errors that are
// not classified are logged and answered as a generic 500, never with their
// text, which may say more about the system than a caller should know.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	status, body := ErrorResponse(r, err)
	WriteJSON(w, status, body)
}

// ErrorResponse maps err to a status and error body.
func ErrorResponse(r *http.Request, err error) (int, ErrorBody) {
	reqID := audit.OriginOf(r.Context()).RequestID
	fe, ok := fault.As(err)
	if !ok {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return http.StatusServiceUnavailable, ErrorBody{ErrorDetail{Code: "unavailable", Message: "the request took too long; try again", RequestID: reqID}}
		}
		slog.ErrorContext(r.Context(), "request failed", "request_id", reqID, "method", r.Method, "path", r.URL.Path, "err", err)
		return http.StatusInternalServerError, ErrorBody{ErrorDetail{Code: "internal", Message: "something went wrong on our side; the error is logged under this request id", RequestID: reqID}}
	}
	status := map[fault.Kind]int{
		fault.Invalid:      http.StatusBadRequest,
		fault.NotFound:     http.StatusNotFound,
		fault.Forbidden:    http.StatusForbidden,
		fault.Conflict:     http.StatusConflict,
		fault.Unauthorized: http.StatusUnauthorized,
		fault.TooMany:      http.StatusTooManyRequests,
		fault.Precondition: http.StatusPreconditionFailed,
	}[fe.Kind]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if fe.Code == "body_too_large" {
		status = http.StatusRequestEntityTooLarge
	}
	if fe.Code == "unsupported_media_type" {
		status = http.StatusUnsupportedMediaType
	}
	detail := ErrorDetail{Code: fe.Code, Message: fe.Message, Field: fe.Field, RequestID: reqID}
	for _, e := range fe.Errors {
		detail.Errors = append(detail.Errors, FieldError{Code: e.Code, Message: e.Message, Field: e.Field})
	}
	return status, ErrorBody{detail}
}

// DecodeJSON reads the request body into v: at most limit bytes (MaxBodyBytes
// when zero), one JSON value, no unknown fields.
func DecodeJSON(w http.ResponseWriter, r *http.Request, limit int64, v any) error {
	if limit <= 0 {
		limit = MaxBodyBytes
	}
	if err := checkJSONType(r); err != nil {
		return err
	}
	return decodeJSON(http.MaxBytesReader(w, r.Body, limit), limit, v)
}

// checkJSONType refuses bodies that are certainly not JSON. The body is
// read as JSON whatever Content-Type says, so that plain clients (curl -d
// sends a form type) work; multipart is certainly not JSON. The API
// authenticates with bearer tokens, never cookies, so a cross-site form
// post gains nothing.
func checkJSONType(r *http.Request) error {
	if ct := r.Header.Get("Content-Type"); strings.HasPrefix(ct, "multipart/") {
		return fault.New(fault.Invalid, "unsupported_media_type", "send the body as application/json (got %s)", ct)
	}
	return nil
}

func decodeJSON(body io.Reader, limit int64, v any) error {
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err, limit)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fault.New(fault.Invalid, "invalid_json", "the body must hold a single JSON value")
	}
	return nil
}

// Body is a JSON request body read whole, for a handler that reads the
// usual shape of its JSON faster than encoding/json does and leaves the
// rest to Decode.
type Body struct {
	text  string
	err   error // what ended the reading early
	limit int64
}

// ReadJSON reads the request body whole, within the limits of DecodeJSON.
func ReadJSON(w http.ResponseWriter, r *http.Request, limit int64) (Body, error) {
	if limit <= 0 {
		limit = MaxBodyBytes
	}
	if err := checkJSONType(r); err != nil {
		return Body{}, err
	}
	buf := getBuffer()
	defer putBuffer(buf)
	// Room for the body a client announces, up to a size any client may
	// make the server hold, and for ReadFrom's last read.
	if n := r.ContentLength; n > 0 {
		buf.Grow(int(min(n, limit, MaxBodyBytes)) + bytes.MinRead)
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, limit))
	return Body{text: buf.String(), err: err, limit: limit}, nil
}

// Text returns the body, or "" when it could not be read whole: when it is
// larger than the limit, or the client stopped sending it.
func (b Body) Text() string {
	if b.err != nil {
		return ""
	}
	return b.text
}

// Decode decodes the body into v with the answer, value or error, that
// DecodeJSON gives for it.
func (b Body) Decode(v any) error {
	var rd io.Reader = strings.NewReader(b.text)
	if b.err != nil {
		rd = io.MultiReader(rd, failingReader{b.err})
	}
	return decodeJSON(rd, b.limit, v)
}

// failingReader replays the error that ended the reading of a body.
type failingReader struct{ err error }

func (f failingReader) Read([]byte) (int, error) { return 0, f.err }

func jsonError(err error, limit int64) error {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return fault.New(fault.Invalid, "body_too_large", "the body is larger than %d bytes", limit)
	case errors.Is(err, io.EOF):
		return fault.New(fault.Invalid, "invalid_json", "the body is empty; send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fault.New(fault.Invalid, "invalid_json", "the JSON body ends too early")
	case errors.As(err, &syntax):
		return fault.New(fault.Invalid, "invalid_json", "the body is not valid JSON (at byte %d)", syntax.Offset)
	case errors.As(err, &typeErr):
		return fault.InvalidField(typeErr.Field, "invalid_type", "expected %s", typeErr.Type)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return fault.InvalidField(field, "unknown_field", "unknown field %q", field)
	default:
		return fault.New(fault.Invalid, "invalid_json", "the body could not be read as JSON: %v", err)
	}
}

// NewRequestID returns a random request id.
func NewRequestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// ClientAddr returns the address of the peer. Forwarding headers are not
// trusted: relais behind a proxy is told the proxy's address, which the
// proxy's own log ties to the client.
func ClientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Observer is told about every finished request (for metrics).
type Observer func(r *http.Request, pattern string, status int, elapsed time.Duration)

// Middleware gives every request an id and origin, recovers panics, sets
// security headers and logs one structured line per request: method, path
// (never the query string, which may carry names being screened), status,
// size, duration. No header or body is ever logged.
func Middleware(logger *slog.Logger, observe Observer, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		reqID := NewRequestID()
		ctx := audit.WithOrigin(r.Context(), audit.Origin{RequestID: reqID, ClientAddr: ClientAddr(r)})
		r = r.WithContext(ctx)
		rec := &statusRecorder{ResponseWriter: w}
		h := w.Header()
		h.Set("X-Request-Id", reqID)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				logger.Error("panic while serving request", "request_id", reqID, "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(p))
				if rec.status == 0 {
					WriteJSON(rec, http.StatusInternalServerError, ErrorBody{ErrorDetail{Code: "internal", Message: "something went wrong on our side; the error is logged under this request id", RequestID: reqID}})
				}
			}
			elapsed := time.Since(start)
			if rec.status == 0 {
				rec.status = http.StatusOK
			}
			if observe != nil {
				observe(r, r.Pattern, rec.status, elapsed)
			}
			logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
				slog.String("request_id", reqID),
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.Int("status", rec.status),
				slog.Int64("bytes", rec.bytes),
				slog.Duration("duration", elapsed),
				slog.String("client", ClientAddr(r)))
		}()
		next.ServeHTTP(rec, r)
	})
}
