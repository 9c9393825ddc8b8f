package policy_test

import (
	"testing"

	"github.com/relais/relais/internal/policy"
)

var (
	admin    = policy.Actor{UserID: 1, Username: "admin", Org: "GS", Roles: []policy.Role{policy.GSAdmin}}
	reviewer = policy.Actor{UserID: 2, Username: "gs-reviewer", Org: "GS", Roles: []policy.Role{policy.GSReviewer}}
	ncbFR    = policy.Actor{UserID: 3, Username: "ncb-fr", Org: "FR", Roles: []policy.Role{policy.NCBOfficer}}
	borderDE = policy.Actor{UserID: 4, Username: "border-de", Org: "DE", Roles: []policy.Role{policy.Frontline}}
	dpo      = policy.Actor{UserID: 5, Username: "dpo", Org: "GS", Roles: []policy.Role{policy.DPO}}
	nobody   = policy.Anonymous
)

func TestAccountRules(t *testing.T) {
	own := func(a policy.Actor) policy.Resource { return policy.Resource{Kind: "user", UserID: a.UserID} }
	cases := []struct {
		name    string
		actor   policy.Actor
		action  policy.Action
		res     policy.Resource
		allowed bool
		hidden  bool
	}{
		{"public reads members", nobody, policy.MemberRead, policy.Resource{}, true, false},
		{"officer reads members", ncbFR, policy.MemberRead, policy.Resource{}, true, false},
		{"admin lists users", admin, policy.UserList, policy.Resource{}, true, false},
		{"officer may not list users", ncbFR, policy.UserList, policy.Resource{}, false, false},
		{"anonymous may not list users", nobody, policy.UserList, policy.Resource{}, false, false},
		{"admin creates users", admin, policy.UserManage, policy.Resource{Kind: "user"}, true, false},
		{"reviewer may not create users", reviewer, policy.UserManage, policy.Resource{Kind: "user"}, false, false},
		{"officer may not manage own account", ncbFR, policy.UserManage, own(ncbFR), false, false},
		{"officer reads own account", ncbFR, policy.UserRead, own(ncbFR), true, false},
		{"another user's account is hidden", ncbFR, policy.UserRead, own(borderDE), false, true},
		{"officer creates own token", ncbFR, policy.TokenCreate, own(ncbFR), true, false},
		{"another user's tokens are hidden", borderDE, policy.TokenCreate, own(ncbFR), false, true},
		{"another user's token cannot be revoked", borderDE, policy.TokenRevoke, own(ncbFR), false, true},
		{"admin revokes anyone's token", admin, policy.TokenRevoke, own(ncbFR), true, false},
		{"dpo reads the audit trail", dpo, policy.AuditRead, policy.Resource{}, true, false},
		{"admin may not read the audit trail", admin, policy.AuditRead, policy.Resource{}, false, false},
		{"officer may not read the audit trail", ncbFR, policy.AuditRead, policy.Resource{}, false, false},
		{"unknown actions are denied", admin, policy.Action("launch.missiles"), policy.Resource{}, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := policy.Can(tc.actor, tc.action, tc.res)
			if d.Allowed != tc.allowed || d.Hidden != tc.hidden {
				t.Fatalf("Can(%s, %s) = %+v, want allowed=%v hidden=%v", tc.actor.Username, tc.action, d, tc.allowed, tc.hidden)
			}
			if d.Reason == "" {
				t.Error("every decision must give a reason")
			}
		})
	}
}

func TestAudience(t *testing.T) {
	cases := []struct {
		au   policy.Audience
		org  string
		want bool
	}{
		{policy.Audience{}, "FR", true},
		{policy.Audience{Mode: policy.AllMembers}, "JP", true},
		{policy.Audience{Mode: policy.OnlyListed, Countries: []string{"DE", "ES"}}, "DE", true},
		{policy.Audience{Mode: policy.OnlyListed, Countries: []string{"DE", "ES"}}, "FR", false},
		{policy.Audience{Mode: policy.AllButListed, Countries: []string{"RU"}}, "RU", false},
		{policy.Audience{Mode: policy.AllButListed, Countries: []string{"RU"}}, "FR", true},
	}
	for _, tc := range cases {
		if got := tc.au.Includes(tc.org); got != tc.want {
			t.Errorf("%+v.Includes(%s) = %v, want %v", tc.au, tc.org, got, tc.want)
		}
	}
}
