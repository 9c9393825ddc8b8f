// Package web serves relais to browsers: the officers' workspace (sign-in
// required) and the public site, in Arabic, English, French and Spanish,
// under /{ar,en,fr,es}/. Pages are rendered on the server and readable
// without JavaScript; the vendored htmx adds validation as you type and
// progress polling. Handlers are thin: every rule lives in the domain
// services, which ask the policy package.
package web

import (
	"context"
	"embed"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"

	"github.com/relais/relais/internal/account"
	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/httpx"
	"github.com/relais/relais/internal/journal"
	"github.com/relais/relais/internal/newsroom"
	"github.com/relais/relais/internal/notice"
	"github.com/relais/relais/internal/policy"
	"github.com/relais/relais/internal/records"
	"github.com/relais/relais/internal/screening"
	"github.com/relais/relais/internal/storage"
)

//go:embed static
var staticFiles embed.FS

// Services are the domain services the web shows.
type Services struct {
	Journal   *journal.Journal
	Accounts  *account.Service
	Newsroom  *newsroom.Service
	Notices   *notice.Service
	Records   *records.Service
	Screening *screening.Engine
	Logger    *slog.Logger
}

// Web is the browser interface.
type Web struct {
	svc      Services
	sessions *sessions
	pages    map[string]*pageTemplate
	log      *slog.Logger
	mux      *http.ServeMux
	imports  importJobs // uploads being imported, and their reports
}

// New returns the web interface over svc.
func New(svc Services) *Web {
	if svc.Logger == nil {
		svc.Logger = slog.New(slog.DiscardHandler)
	}
	w := &Web{
		svc:      svc,
		sessions: &sessions{store: svc.Journal.Store(), now: storage.Now},
		pages:    mustParsePages(),
		log:      svc.Logger,
		mux:      http.NewServeMux(),
	}
	w.routes()
	return w
}

// Register adds the web's routes to mux: / (choosing the language), the
// four language trees and the static files.
func (w *Web) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", w.chooseLanguage)
	static, _ := fs.Sub(staticFiles, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(static))
	mux.Handle("GET /static/", secure(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		// The files change only with the binary; a day of caching spares
		// repeat visits without hiding an upgrade for long.
		rw.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(rw, r)
	})))
	for _, l := range Languages {
		mux.Handle("/"+l+"/", secure(w.mux))
	}
}

// contentSecurityPolicy allows only relais's own files: no inline script or
// style, no framing, forms posting only back to relais.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"

// secure adds the security headers of every web response.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		h := rw.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(rw, r)
	})
}

// chooseLanguage sends / to the language the browser prefers.
func (w *Web) chooseLanguage(rw http.ResponseWriter, r *http.Request) {
	rw.Header().Set("Vary", "Accept-Language")
	http.Redirect(rw, r, "/"+negotiate(r)+"/", http.StatusSeeOther)
}

// call is one request as the handlers see it.
type call struct {
	rw   http.ResponseWriter
	r    *http.Request
	ctx  context.Context
	loc  *locale
	sess *session // nil when nobody is signed in
	// upload is the rest of a streamed upload after its CSRF token: the
	// handler reads its parts as they arrive.
	upload *multipart.Reader
}

// actor is who is asking: the signed-in user, or the anonymous public.
func (c *call) actor() policy.Actor {
	if c.sess == nil || c.sess.secondFactor {
		return policy.Anonymous
	}
	return c.sess.actor()
}

// href is path in the current language.
func (c *call) href(path string) string { return "/" + c.loc.Code + path }

func (c *call) redirect(path string) { http.Redirect(c.rw, c.r, c.href(path), http.StatusSeeOther) }

// handler is a page handler.
type handler func(c *call)

// access says who may reach a route.
type access int

const (
	public    access = iota // anyone; a session is read when present
	signedIn                // a fully signed-in user; others go to sign-in
	preSignIn               // the sign-in pages: a pre-session token protects their forms
)

// handle registers a route. Every request that changes something (any
// method but GET and HEAD) must carry the CSRF token of its session, or of
// the pre-session for the sign-in forms.
func (w *Web) handle(pattern string, acc access, h handler) {
	w.mux.HandleFunc(pattern, func(rw http.ResponseWriter, r *http.Request) {
		lang := r.PathValue("lang")
		loc, ok := locales[lang]
		if !ok {
			loc = locales["en"]
		}
		c := &call{rw: rw, r: r, ctx: r.Context(), loc: loc}
		if id := cookieValue(r, sessionCookie); id != "" {
			s, err := w.sessions.lookup(c.ctx, id)
			switch {
			case err == nil:
				c.sess = s
			case errors.Is(err, errNoSession):
				setCookie(rw, r, sessionCookie, "", -1)
			default:
				w.fail(c, err)
				return
			}
		}
		if acc == signedIn || strings.Contains(r.URL.Path, "/workspace/") {
			rw.Header().Set("Cache-Control", "no-store")
		}
		if acc == signedIn && (c.sess == nil || c.sess.secondFactor) {
			next := r.URL.Path
			if r.Method != http.MethodGet {
				next = ""
			}
			target := "/workspace/sign-in"
			if next != "" {
				target += "?next=" + urlQueryEscape(next)
			}
			c.redirect(target)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			err := w.checkCSRF(c, acc)
			if _, tooLarge := errors.AsType[*http.MaxBytesError](err); tooLarge {
				w.refuseTooLarge(c)
				return
			}
			if err != nil {
				w.renderError(c, http.StatusForbidden, "error.csrf")
				return
			}
		}
		h(c)
	})
}

// maxFormBytes bounds a form body; uploads have their own, larger bounds.
const (
	maxFormBytes   = 1 << 20
	maxUploadBytes = max(newsroom.MaxPhotoBytes, notice.MaxPhotoBytes) + 1<<20
	// maxImportBodyBytes bounds the body of a bulk upload: the file and
	// the form's other fields.
	maxImportBodyBytes = maxImportBytes + maxFormBytes
)

// errCSRF is a change requested without the token of its session.
var errCSRF = errors.New("no valid CSRF token")

// checkCSRF compares the token of the form (or of the X-CSRF-Token header
// that htmx sends) with the session's, or with the pre-session cookie on
// the sign-in pages. A body over the bound of its route is an
// *http.MaxBytesError, refused unread when its length is declared.
func (w *Web) checkCSRF(c *call, acc access) error {
	r := c.r
	isMultipart := strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
	streamed := isMultipart && r.Pattern == importPattern
	limit := int64(maxFormBytes)
	switch {
	case streamed:
		limit = maxImportBodyBytes
	case isMultipart:
		limit = maxUploadBytes
	}
	if r.ContentLength > limit {
		return &http.MaxBytesError{Limit: limit}
	}
	r.Body = http.MaxBytesReader(c.rw, r.Body, limit)
	sent := r.Header.Get("X-CSRF-Token")
	var err error
	switch {
	case streamed:
		sent, err = c.openUpload(sent)
	case isMultipart:
		err = r.ParseMultipartForm(1 << 20)
	default:
		err = r.ParseForm()
	}
	if err != nil {
		return err
	}
	if sent == "" && !streamed {
		sent = r.PostFormValue("csrf")
	}
	valid := c.sess != nil && sameToken(sent, c.sess.csrf)
	if acc == preSignIn && (c.sess == nil || c.sess.secondFactor) {
		valid = valid || sameToken(sent, cookieValue(r, preCookie))
	}
	if !valid {
		return errCSRF
	}
	return nil
}

// openUpload starts reading a streamed upload, whose first part is its
// CSRF token (the form puts it first) unless the header carries it, and
// returns the token sent.
func (c *call) openUpload(header string) (string, error) {
	mr, err := c.r.MultipartReader()
	if err != nil {
		return "", err
	}
	c.upload = mr
	if header != "" {
		return header, nil
	}
	part, err := mr.NextPart()
	if err != nil {
		return "", err
	}
	defer part.Close()
	if part.FormName() != "csrf" {
		return "", errCSRF
	}
	token, err := io.ReadAll(io.LimitReader(part, 100))
	return string(token), err
}

// refuseTooLarge answers a body over the bound of its route: the upload
// form says how large a file may be, other forms say it on the error page.
func (w *Web) refuseTooLarge(c *call) {
	if c.r.Pattern == importPattern {
		w.refuseUpload(c, url.Values{}, errFileTooLarge)
		return
	}
	w.renderError(c, http.StatusRequestEntityTooLarge, "error.too_large")
}

// fail answers with the page that fits err: not found, forbidden, or (for
// anything unexpected, which is logged) a server error.
func (w *Web) fail(c *call, err error) {
	status, _ := httpx.ErrorResponse(c.r, err)
	switch {
	case fault.Is(err, fault.NotFound):
		w.renderError(c, http.StatusNotFound, "error.not_found")
	case fault.Is(err, fault.Forbidden):
		w.renderError(c, http.StatusForbidden, "error.forbidden")
	case fault.Is(err, fault.Unauthorized):
		c.redirect("/workspace/sign-in")
	case status >= 500:
		// ErrorResponse has logged it with the request id.
		w.renderError(c, status, "error.internal")
	default:
		w.renderErrorDetail(c, status, "error.generic", err)
	}
}
