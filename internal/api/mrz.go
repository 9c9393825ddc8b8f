package api

import (
	"net/http"

	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/httpx"
	"github.com/relais/relais/internal/mrz"
	"github.com/relais/relais/internal/policy"
)

type mrzRequest struct {
	Lines []string `json:"lines"`
}

// parseMRZ answers 200 with the parsed zone (valid or not, with what is
// wrong) or 400 when the input is not a machine-readable zone at all.
func (a *API) parseMRZ(w http.ResponseWriter, r *http.Request) {
	if d := policy.Can(ActorOf(r.Context()), policy.MRZParse, policy.Resource{Kind: "mrz"}); !d.Allowed {
		httpx.WriteError(w, r, fault.New(fault.Forbidden, "forbidden", "%s", d.Reason))
		return
	}
	var req mrzRequest
	if err := httpx.DecodeJSON(w, r, 16<<10, &req); err != nil {
		httpx.WriteError(w, r, err)
		return
	}
	res, err := mrz.Parse(req.Lines)
	if err != nil {
		reason := "not_mrz"
		if pe, ok := err.(*mrz.ParseError); ok {
			reason = pe.Reason
		}
		httpx.WriteError(w, r, fault.InvalidField("lines", reason, "%v", err))
		return
	}
	httpx.WriteJSON(w, http.StatusOK, res)
}
