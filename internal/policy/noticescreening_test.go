package policy_test

import (
	"testing"

	"github.com/relais/relais/internal/policy"
)

func TestNoticeScreenMatchRule(t *testing.T) {
	var (
		borderJP = policy.Actor{UserID: 10, Username: "border-jp", Org: "JP", Roles: []policy.Role{policy.Frontline}}
		ncbJP    = policy.Actor{UserID: 11, Username: "ncb-jp", Org: "JP", Roles: []policy.Role{policy.NCBOfficer}}
		press    = policy.Actor{UserID: 12, Username: "press", Org: "GS", Roles: []policy.Role{policy.Press}}
	)
	// A French notice that Japan was excluded from, as the screening index
	// holds it (no state).
	notice := policy.Resource{Kind: "notice", ID: "7", Owner: "FR",
		Audience: policy.Audience{Mode: policy.AllButListed, Countries: []string{"JP"}}}
	cases := []struct {
		name    string
		actor   policy.Actor
		allowed bool
		hidden  bool
	}{
		{"frontline of a member in the audience", borderDE, true, false},
		{"the requesting bureau", ncbFR, true, false},
		{"the General Secretariat's reviewer", reviewer, true, false},
		{"frontline of an excluded country", borderJP, false, true},
		{"bureau of an excluded country", ncbJP, false, true},
		{"press officer", press, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := policy.Can(c.actor, policy.NoticeScreenMatch, notice)
			if d.Allowed != c.allowed || d.Hidden != c.hidden {
				t.Fatalf("%s: allowed=%v hidden=%v (%s); want allowed=%v hidden=%v", c.actor.Username, d.Allowed, d.Hidden, d.Reason, c.allowed, c.hidden)
			}
		})
	}
}
