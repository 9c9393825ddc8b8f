package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/httpx"
	"github.com/relais/relais/internal/records"
	"github.com/relais/relais/internal/screening"
)

// registerRecords adds the police databases, screening and hits.
func (a *API) registerRecords(mux *http.ServeMux) {
	if a.svc.Records != nil {
		mux.Handle("POST /api/v1/records/{kind}", a.auth(a.createRecord))
		mux.Handle("GET /api/v1/records/{kind}", a.auth(a.listRecords))
		mux.Handle("GET /api/v1/records/{kind}/{id}", a.auth(a.getRecord))
		mux.Handle("PATCH /api/v1/records/{kind}/{id}", a.auth(a.updateRecord))
		mux.Handle("DELETE /api/v1/records/{kind}/{id}", a.auth(a.deleteRecord))
		mux.Handle("POST /api/v1/records/{kind}/import", a.auth(a.importRecords))
	}
	if a.svc.Screening != nil {
		mux.Handle("POST /api/v1/screen", a.auth(a.screen))
		mux.Handle("GET /api/v1/hits", a.auth(a.listHits))
		mux.Handle("GET /api/v1/hits/{id}", a.auth(a.getHit))
		mux.Handle("POST /api/v1/hits/{id}/confirm", a.auth(a.decideHit(screening.HitConfirmed)))
		mux.Handle("POST /api/v1/hits/{id}/reject", a.auth(a.decideHit(screening.HitFalsePositive)))
	}
}

func kindParam(r *http.Request) (records.Kind, error) {
	k, err := records.ParseKind(r.PathValue("kind"))
	if err != nil {
		return "", fault.NotFoundf("no such kind of record %q: use persons, travel-documents, vehicles or artworks", r.PathValue("kind"))
	}
	return k, nil
}

func (a *API) createRecord(w http.ResponseWriter, r *http.Request) {
	kind, err := kindParam(r)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	rec := records.New(kind)
	if err := httpx.DecodeJSON(w, r, 128<<10, rec); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	out, err := a.svc.Records.Create(r.Context(), ActorOf(r.Context()), rec)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, out)
}

func (a *API) getRecord(w http.ResponseWriter, r *http.Request) {
	kind, err := kindParam(r)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	rec, err := a.svc.Records.Get(r.Context(), ActorOf(r.Context()), kind, r.PathValue("id"))
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, rec)
}

func (a *API) updateRecord(w http.ResponseWriter, r *http.Request) {
	kind, err := kindParam(r)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	var patch json.RawMessage
	if err := httpx.DecodeJSON(w, r, 128<<10, &patch); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	rec, err := a.svc.Records.Update(r.Context(), ActorOf(r.Context()), kind, r.PathValue("id"), patch)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, rec)
}

func (a *API) deleteRecord(w http.ResponseWriter, r *http.Request) {
	kind, err := kindParam(r)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	if err := a.svc.Records.Delete(r.Context(), ActorOf(r.Context()), kind, r.PathValue("id")); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) listRecords(w http.ResponseWriter, r *http.Request) {
	kind, err := kindParam(r)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	q := r.URL.Query()
	f := records.Filter{Owner: q.Get("owner"), Q: q.Get("q"), After: q.Get("after")}
	if f.Limit, err = intParam(r, "limit", 50, 1, 500); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	recs, err := a.svc.Records.List(r.Context(), ActorOf(r.Context()), kind, f)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	next := ""
	if len(recs) == f.Limit {
		next = recs[len(recs)-1].Header().ID
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"records": recs, "next": next})
}

// maxImportBody bounds one streamed import.
const maxImportBody = 1 << 30

// importRecords reads JSON lines (one record per line) for the actor's
// country and answers what was imported and which lines were not.
func (a *API) importRecords(w http.ResponseWriter, r *http.Request) {
	kind, err := kindParam(r)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	actor := ActorOf(r.Context())
	owner := r.URL.Query().Get("owner")
	if owner == "" {
		owner = actor.Org
	}
	const maxReported = 1000
	lineErrors := []records.LineError{}
	res, err := a.svc.Records.Import(r.Context(), actor, http.MaxBytesReader(w, r.Body, maxImportBody), records.ImportOptions{
		Kind: kind, Format: records.JSONLines, Owner: owner,
		OnLineError: func(le records.LineError) {
			if len(lineErrors) < maxReported {
				lineErrors = append(lineErrors, le)
			}
		},
	})
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		err = fault.New(fault.Invalid, "body_too_large", "an import is at most %d bytes; the lines before the limit were imported (%d records)", maxImportBody, res.Imported)
	}
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"imported": res.Imported, "failed": res.Failed, "lines": res.Lines, "errors": lineErrors})
}

// screen answers a manifest: a JSON array of up to MaxBatch queries.
func (a *API) screen(w http.ResponseWriter, r *http.Request) {
	body, err := httpx.ReadJSON(w, r, screening.MaxBatch*screening.MaxQueryBytes)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	items, ok := screening.ParseManifest(body.Text())
	if !ok {
		if items, err = decodeManifest(body); err != nil {
			httpx.WriteError(w, r, err)
			return
		}
	}
	if err := tooManyQueries(len(items)); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	if err := a.svc.Screening.Sync(r.Context()); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	answers, err := a.svc.Screening.Screen(r.Context(), ActorOf(r.Context()), items)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteAppendedJSON(w, r, http.StatusOK, func(b []byte) ([]byte, error) {
		return screening.AppendAnswers(b, answers)
	})
}

// decodeManifest reads a manifest that screening.ParseManifest leaves to
// encoding/json: one with a wrong query, or no JSON array of queries.
func decodeManifest(body httpx.Body) ([]screening.Item, error) {
	var raw []json.RawMessage
	if err := body.Decode(&raw); err != nil {
		if fe, ok := fault.As(err); ok && fe.Code == "invalid_type" {
			err = fault.New(fault.Invalid, "invalid_json", "send the queries as a JSON array of objects")
		}
		return nil, err
	}
	if err := tooManyQueries(len(raw)); err != nil {
		return nil, err
	}
	items := make([]screening.Item, len(raw))
	for i, q := range raw {
		items[i].Query, items[i].Err = screening.ParseQuery(q)
	}
	return items, nil
}

func tooManyQueries(n int) error {
	if n <= screening.MaxBatch {
		return nil
	}
	return fault.New(fault.Invalid, "too_many_queries",
		"a manifest holds at most %d queries (got %d): split it, or use relais screen for files of any size", screening.MaxBatch, n)
}

func (a *API) listHits(w http.ResponseWriter, r *http.Request) {
	f := screening.HitFilter{Status: r.URL.Query().Get("status")}
	var err error
	if f.Limit, err = intParam(r, "limit", 100, 1, 500); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	if s := r.URL.Query().Get("before"); s != "" {
		if f.After, err = strconv.ParseInt(s, 10, 64); err != nil || f.After <= 0 {
			httpx.WriteError(w, r, fault.InvalidField("before", "invalid_parameter", "before is the id of the last hit of the previous page"))
			return
		}
	}
	hits, err := a.svc.Screening.ListHits(r.Context(), ActorOf(r.Context()), f)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"hits": hits})
}

func (a *API) getHit(w http.ResponseWriter, r *http.Request) {
	h, err := a.svc.Screening.GetHit(r.Context(), ActorOf(r.Context()), r.PathValue("id"))
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, h)
}

func (a *API) decideHit(status string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Note string `json:"note"`
		}
		if r.ContentLength != 0 {
			if err := httpx.DecodeJSON(w, r, 8<<10, &body); err != nil {
				httpx.WriteError(w, r, err)
				return
			}
		}
		h, err := a.svc.Screening.DecideHit(r.Context(), ActorOf(r.Context()), r.PathValue("id"), status, strings.TrimSpace(body.Note))
		if err != nil {
			httpx.WriteError(w, r, err)
			return
		}
		httpx.WriteJSON(w, http.StatusOK, h)
	}
}
