package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/relais/relais/internal/audit"
	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/httpx"
	"github.com/relais/relais/internal/policy"
)

// listAudit serves the audit trail to the data protection officer. Reading
// the trail is itself audited.
func (a *API) listAudit(w http.ResponseWriter, r *http.Request) {
	ctx, actor := r.Context(), ActorOf(r.Context())
	if d := policy.Can(actor, policy.AuditRead, policy.Resource{Kind: "audit"}); !d.Allowed {
		e := audit.Event(ctx, actor, policy.AuditRead, "audit", "")
		e.Outcome, e.Reason = audit.Denied, d.Reason
		_ = a.svc.Journal.Record(ctx, e)
		httpx.WriteError(w, r, fault.New(fault.Forbidden, "forbidden", "%s", d.Reason))
		return
	}
	q := r.URL.Query()
	f := audit.Filter{
		Actor: q.Get("actor"), ActorOrg: q.Get("org"), Action: q.Get("action"),
		ResourceKind: q.Get("resource_kind"), ResourceID: q.Get("resource_id"), Outcome: q.Get("outcome"),
	}
	var err error
	if f.Limit, err = intParam(r, "limit", 100, 1, 1000); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	if s := q.Get("after"); s != "" {
		if f.AfterSeq, err = strconv.ParseInt(s, 10, 64); err != nil || f.AfterSeq < 0 {
			httpx.WriteError(w, r, fault.InvalidField("after", "invalid_parameter", "after must be a sequence number"))
			return
		}
	}
	for name, dst := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
		if s := q.Get(name); s != "" {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				httpx.WriteError(w, r, fault.InvalidField(name, "invalid_parameter", "%s must be an RFC 3339 time such as 2026-01-31T00:00:00Z", name))
				return
			}
			*dst = t
		}
	}
	entries, err := audit.List(ctx, a.svc.Journal.Store(), f)
	if err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	e := audit.Event(ctx, actor, policy.AuditRead, "audit", "")
	e.Detail = r.URL.RawQuery
	a.svc.Journal.RecordRead(e)
	next := int64(0)
	if len(entries) == f.Limit {
		next = entries[len(entries)-1].Seq
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"entries": entries, "next_after": next})
}
