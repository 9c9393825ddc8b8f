package api

import (
	"net/http"

	"github.com/relais/relais/internal/fault"
	"github.com/relais/relais/internal/httpx"
	"github.com/relais/relais/internal/member"
)

type memberJSON struct {
	Code    string            `json:"code"`
	Alpha3  string            `json:"alpha3"`
	Numeric string            `json:"numeric"`
	Region  string            `json:"region"`
	Names   map[string]string `json:"names"`
	NCB     ncbJSON           `json:"ncb"`
}

type ncbJSON struct {
	Org  string `json:"org"`
	City string `json:"city"`
}

func toMemberJSON(c member.Country) memberJSON {
	return memberJSON{Code: c.Alpha2, Alpha3: c.Alpha3, Numeric: c.Numeric, Region: c.Region,
		Names: c.Names, NCB: ncbJSON{Org: c.Alpha2, City: c.NCBCity}}
}

func (a *API) listMembers(w http.ResponseWriter, r *http.Request) {
	all := member.All()
	out := make([]memberJSON, 0, len(all))
	region := r.URL.Query().Get("region")
	for _, c := range all {
		if region == "" || c.Region == region {
			out = append(out, toMemberJSON(c))
		}
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"total": len(out), "members": out})
}

func (a *API) getMember(w http.ResponseWriter, r *http.Request) {
	c, ok := member.Lookup(r.PathValue("code"))
	if !ok {
		httpx.WriteError(w, r, fault.NotFoundf("%q is not the code of a member country; use an ISO 3166-1 alpha-2 or alpha-3 code", r.PathValue("code")))
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	httpx.WriteJSON(w, http.StatusOK, toMemberJSON(c))
}
