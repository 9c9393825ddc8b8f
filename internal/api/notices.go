package api

import (
	_ "embed"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/httpx"
	"github.com/relais/relais/internal/notice"
)

// registerNotices adds the routes of notices and diffusions.
func (a *API) registerNotices(mux *http.ServeMux) {
	mux.Handle("POST /api/v1/notices", a.auth(a.createNotice))
	mux.Handle("GET /api/v1/notices", a.auth(a.listNotices))
	mux.Handle("GET /api/v1/notices/review-due", a.auth(a.reviewDue))
	mux.Handle("GET /api/v1/notices/{id}", a.auth(a.getNotice))
	mux.Handle("PATCH /api/v1/notices/{id}", a.auth(a.updateNotice))
	mux.Handle("POST /api/v1/notices/{id}/photos", a.auth(a.addPhoto))
	mux.Handle("GET /api/v1/notices/{id}/photos/{n}", a.auth(a.getPhoto))
	mux.Handle("POST /api/v1/notices/{id}/{action}", a.auth(a.noticeAction))

	mux.Handle("POST /api/v1/diffusions", a.auth(a.sendDiffusion))
	mux.Handle("GET /api/v1/diffusions", a.auth(a.listDiffusions))
	mux.Handle("GET /api/v1/diffusions/{id}", a.auth(a.getDiffusion))
	mux.Handle("POST /api/v1/diffusions/{id}/to-notice", a.auth(a.diffusionToNotice))

	mux.HandleFunc("GET /api/v1/openapi.json", serveOpenAPI)
}

//go:embed openapi.json
var openAPI []byte

func serveOpenAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(openAPI)
}

// noticeBodyLimit bounds a notice's JSON: its free texts are bounded too,
// and a notice with fifty warrants still fits.
const noticeBodyLimit = 1 << 20

func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, fault.NotFoundf("no %s %q", strings.TrimSuffix(name, "id"), r.PathValue(name))
	}
	return id, nil
}

func (a *API) createNotice(w http.ResponseWriter, r *http.Request) {
	var req notice.Request
	if err := httpx.DecodeJSON(w, r, noticeBodyLimit, &req); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	n, err := a.svc.Notices.Create(r.Context(), ActorOf(r.Context()), req)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/notices/"+strconv.FormatInt(n.ID, 10))
	writeNotice(w, http.StatusCreated, n)
}

func (a *API) listNotices(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := notice.Filter{Type: q.Get("type"), State: q.Get("state"), Country: q.Get("country"), Nationality: q.Get("nationality"), Q: q.Get("q")}
	var err error
	if f.Limit, err = intParam(r, "limit", 50, 1, 500); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	if f.Offset, err = intParam(r, "offset", 0, 0, 1<<30); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	list, total, err := a.svc.Notices.List(r.Context(), ActorOf(r.Context()), f)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"total": total, "notices": list})
}

func (a *API) reviewDue(w http.ResponseWriter, r *http.Request) {
	list, err := a.svc.Notices.ReviewDue(r.Context(), ActorOf(r.Context()))
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"total": len(list), "notices": list})
}

func (a *API) getNotice(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	n, err := a.svc.Notices.Get(r.Context(), ActorOf(r.Context()), id)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	writeNotice(w, http.StatusOK, n)
}

func (a *API) updateNotice(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	var patch json.RawMessage
	if ct := r.Header.Get("Content-Type"); strings.HasPrefix(ct, "application/merge-patch+json") {
		r.Header.Set("Content-Type", "application/json")
	}
	if err := httpx.DecodeJSON(w, r, noticeBodyLimit, &patch); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	version, err := ifMatchVersion(r)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	n, err := a.svc.Notices.Update(r.Context(), ActorOf(r.Context()), id, version, patch)
	if fe, ok := fault.As(err); ok && fe.Code == notice.StaleVersion {
		// the If-Match the request set no longer holds (RFC 9110)
		err = fault.New(fault.Precondition, fe.Code, "%s", fe.Message)
	}
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	writeNotice(w, http.StatusOK, n)
}

// writeNotice answers with a notice and, as its ETag, the version of its
// data, which a PATCH names in If-Match to change only that version.
func writeNotice(w http.ResponseWriter, status int, n notice.Notice) {
	w.Header().Set("ETag", `"`+strconv.Itoa(n.Version)+`"`)
	httpx.WriteJSON(w, status, n)
}

// ifMatchVersion is the version of a notice that the request's If-Match
// names (an ETag the API gave); 0, for any version, when there is no
// If-Match or it is "*".
func ifMatchVersion(r *http.Request) (int, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return 0, nil
	}
	v, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(h, `"`), `"`))
	if err != nil || v <= 0 || len(h) < 3 || h[0] != '"' || h[len(h)-1] != '"' {
		return 0, fault.InvalidField("If-Match", "invalid_header", `If-Match takes one ETag of the notice, as the API gave it, such as "3"`)
	}
	return v, nil
}

type reasonBody struct {
	Reason string `json:"reason"`
}

type commentBody struct {
	Comment string `json:"comment"`
}

// noticeAction runs one transition of a notice's lifecycle.
func (a *API) noticeAction(w http.ResponseWriter, r *http.Request) {
	ctx, actor := r.Context(), ActorOf(r.Context())
	id, err := pathID(r, "id")
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	svc := a.svc.Notices
	var n notice.Notice
	withReason := func(do func(string) (notice.Notice, error)) (notice.Notice, error) {
		var b reasonBody
		if err := httpx.DecodeJSON(w, r, 64<<10, &b); err != nil {
			return notice.Notice{}, err
		}
		return do(b.Reason)
	}
	switch r.PathValue("action") {
	case "submit":
		n, err = svc.Submit(ctx, actor, id)
	case "start-review":
		n, err = svc.StartReview(ctx, actor, id)
	case "request-info":
		var b commentBody
		if err = httpx.DecodeJSON(w, r, 64<<10, &b); err == nil {
			n, err = svc.RequestInfo(ctx, actor, id, b.Comment)
		}
	case "approve":
		var b notice.Approval
		if err = httpx.DecodeJSON(w, r, 64<<10, &b); err == nil {
			n, err = svc.Approve(ctx, actor, id, b)
		}
	case "refuse":
		n, err = withReason(func(s string) (notice.Notice, error) { return svc.Refuse(ctx, actor, id, s) })
	case "cancel":
		n, err = withReason(func(s string) (notice.Notice, error) { return svc.Cancel(ctx, actor, id, s) })
	case "withdraw":
		n, err = withReason(func(s string) (notice.Notice, error) { return svc.Withdraw(ctx, actor, id, s) })
	default:
		err = fault.NotFoundf("no such notice action %q: use submit, start-review, request-info, approve, refuse, cancel or withdraw", r.PathValue("action"))
	}
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, n)
}

// addPhoto takes the photo as the raw body or as the first file of a
// multipart form.
func (a *API) addPhoto(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	raw, err := readPhoto(w, r)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	p, err := a.svc.Notices.AddPhoto(r.Context(), ActorOf(r.Context()), id, raw)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, p)
}

func readPhoto(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	const limit = notice.MaxPhotoBytes
	tooLarge := fault.New(fault.Invalid, "body_too_large", "a photo is at most %d MB", limit>>20)
	body := http.MaxBytesReader(w, r.Body, limit+64<<10) // room for multipart headers
	var src io.Reader = body
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		mr, err := r.MultipartReader()
		if err != nil {
			return nil, fault.New(fault.Invalid, "invalid_multipart", "the multipart body cannot be read: %v", err)
		}
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				return nil, fault.InvalidField("photo", "required", "the form holds no file: send the photo as a file field")
			}
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, tooLarge
			}
			if err != nil {
				return nil, fault.New(fault.Invalid, "invalid_multipart", "the multipart body cannot be read: %v", err)
			}
			if part.FileName() != "" {
				src = part
				break
			}
		}
	}
	raw, err := io.ReadAll(io.LimitReader(src, limit+1))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) || len(raw) > limit {
		return nil, tooLarge
	}
	if err != nil {
		return nil, fault.New(fault.Invalid, "invalid_body", "the photo could not be read: %v", err)
	}
	return raw, nil
}

func (a *API) getPhoto(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n <= 0 {
		httpx.WriteError(w, r, fault.NotFoundf("no such photo"))
		return
	}
	p, data, err := a.svc.Notices.Photo(r.Context(), ActorOf(r.Context()), id, n)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", p.ContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(data)
}

func (a *API) sendDiffusion(w http.ResponseWriter, r *http.Request) {
	var req notice.DiffusionRequest
	if err := httpx.DecodeJSON(w, r, noticeBodyLimit, &req); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	d, err := a.svc.Notices.Send(r.Context(), ActorOf(r.Context()), req)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/diffusions/"+strconv.FormatInt(d.ID, 10))
	httpx.WriteJSON(w, http.StatusCreated, d)
}

func (a *API) listDiffusions(w http.ResponseWriter, r *http.Request) {
	limit, err := intParam(r, "limit", 50, 1, 500)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	offset, err := intParam(r, "offset", 0, 0, 1<<30)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	f := notice.DiffusionFilter{Box: r.URL.Query().Get("box"), Limit: limit, Offset: offset}
	list, err := a.svc.Notices.ListDiffusions(r.Context(), ActorOf(r.Context()), f)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"diffusions": list})
}

func (a *API) getDiffusion(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	d, err := a.svc.Notices.GetDiffusion(r.Context(), ActorOf(r.Context()), id)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, d)
}

func (a *API) diffusionToNotice(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	n, err := a.svc.Notices.ToNotice(r.Context(), ActorOf(r.Context()), id)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/notices/"+strconv.FormatInt(n.ID, 10))
	httpx.WriteJSON(w, http.StatusCreated, n)
}
